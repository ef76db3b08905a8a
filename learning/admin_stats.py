"""Statistics in the Wagtail admin: the dashboard panel, organisation drill-down and 今日未学."""
