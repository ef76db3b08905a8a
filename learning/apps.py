from django.apps import AppConfig


class LearningConfig(AppConfig):
    name = "learning"
    verbose_name = "学习"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from cms.panels import register_page_panel
        from learning.home import today_panel
        from learning.services import classes_sync_for_moved_members
        from orgs.api import register_members_moved

        register_members_moved(classes_sync_for_moved_members)
        register_page_panel(page_type="cms.HomePage", template="learning/includes/home_today.html", context=today_panel,
                            order=10)
