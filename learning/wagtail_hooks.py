"""What learning adds to the Wagtail admin: training classes, the reports and 日志评价."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet

from learning import admin_journals, admin_reports  # noqa: F401  (their hooks register on import)
from learning.admin_classes import TrainingClassViewSet  # scoped policy + enrollment sync hooks

register_snippet(TrainingClassViewSet)


# 日志评价 (journal review queue) -------------------------------------------------------------------


class JournalReviewerMenuItem(MenuItem):
    def is_shown(self, request):
        return admin_journals.may_review_journals(request.user)


@hooks.register("register_admin_urls")
def register_journal_urls():
    return [
        path("journals/", admin_journals.queue, name="learning_journal_queue"),
        path("journals/<int:entry_id>/review/", admin_journals.review, name="learning_journal_review"),
    ]


@hooks.register("register_admin_menu_item")
def register_journal_menu_item():
    return JournalReviewerMenuItem(gettext_lazy("日志评价"), reverse("learning_journal_queue"), name="journal-reviews",
                                   icon_name="edit", order=230)
