from django.apps import AppConfig


class GrowthConfig(AppConfig):
    name = "growth"
    verbose_name = "成长档案"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from growth import selectors, tasks
        from learning.api import register_ledger_listener, register_summary_figure

        register_ledger_listener(tasks.ledger_entry_committed)
        register_summary_figure("streak", selectors.shown_streak)
