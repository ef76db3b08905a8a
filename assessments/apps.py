from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    """Question banks, quizzes and attempts (arrive with the assessments issue)."""

    name = "assessments"
    verbose_name = "测验"
    default_auto_field = "django.db.models.BigAutoField"
