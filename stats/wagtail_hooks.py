"""What statistics add to the Wagtail admin: the dashboard panel, the drill-down and 今日未学."""

from stats import admin_views  # noqa: F401 - its hooks register the panel, the URLs and the menu items
