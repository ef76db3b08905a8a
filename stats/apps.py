from django.apps import AppConfig


class StatsConfig(AppConfig):
    """Statistics (学习统计): the organisation and class rollups, the dashboards and drill-down,
    今日未学, and the statistics API — all reading the ledger through learning.api."""

    name = "stats"
    verbose_name = "统计"
    default_auto_field = "django.db.models.BigAutoField"
