"""What growth adds to the Wagtail admin: the 学时排行 report."""

from growth import admin_reports  # noqa: F401  (its hooks register on import)
