from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    """Question banks, quizzes, attempts and grading."""

    name = "assessments"
    verbose_name = "测验"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from assessments.requirements import quizzes_done
        from assessments.scores import final_exam_scores
        from learning.api import register_completion_requirement, register_exam_scores

        register_completion_requirement(quizzes_done)
        register_exam_scores(final_exam_scores)
