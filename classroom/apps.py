from django.apps import AppConfig


class ClassroomConfig(AppConfig):
    name = "classroom"
    verbose_name = "线下集中培训"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from classroom import panels
        from cms.panels import register_page_panel
        from learning.api import register_me_panel

        register_me_panel(template="classroom/includes/me_sessions.html", context=panels.me_sessions, order=50)
        register_page_panel(page_type="cms.TeachingBasePage", template="classroom/includes/base_sessions.html",
                            context=panels.base_sessions)
        register_page_panel(page_type="cms.CoursePage", template="classroom/includes/course_evaluation.html",
                            context=panels.course_evaluation)
