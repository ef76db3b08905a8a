"""Quiz report in the Wagtail admin (测验报表), scoped and exportable."""
