"""Reports in the Wagtail admin (报表): class, course and 学时 ranking, scoped and exportable."""
