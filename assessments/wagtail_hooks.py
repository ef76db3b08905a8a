"""The "测验与题库" admin menu (banks, questions, quizzes), question import/export and quiz statistics."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet

from assessments import admin_import, admin_reports, admin_stats  # noqa: F401
from assessments.admin_views import AssessmentsGroup
from assessments.stats import can_view_stats

register_snippet(AssessmentsGroup)


@hooks.register("register_admin_urls")
def register_assessment_urls():
    return [
        path("assessments/import/", admin_import.upload, name="assessments_question_import"),
        path("assessments/import/confirm/", admin_import.confirm, name="assessments_question_import_confirm"),
        path("assessments/import/template.xlsx", admin_import.template_download,
             name="assessments_question_import_template"),
        path("assessments/banks/<int:bank_id>/export.xlsx", admin_import.bank_export, name="assessments_bank_export"),
        path("assessments/stats/", admin_stats.index, name="assessments_stats_index"),
        path("assessments/quizzes/<int:quiz_id>/stats/", admin_stats.detail, name="assessments_quiz_stats"),
        path("assessments/quizzes/<int:quiz_id>/stats.xlsx", admin_stats.export, name="assessments_quiz_stats_xlsx"),
    ]


class StatsMenuItem(MenuItem):
    def is_shown(self, request):
        return can_view_stats(request.user)


@hooks.register("register_admin_menu_item")
def register_stats_menu_item():
    # Organisation administrators hold no quiz permissions, so the quiz listing is not theirs: this is.
    return StatsMenuItem(gettext_lazy("测验统计"), reverse("assessments_stats_index"), name="quiz-stats",
                         icon_name="table", order=260)
