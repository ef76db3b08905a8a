"""What learning adds to the Wagtail admin: training classes, the reports, 日志评价 and 结业证书."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet

from learning import admin_certificates, admin_journals, admin_reports  # noqa: F401  (their hooks register on import)
from learning.admin_classes import TrainingClassViewSet  # scoped policy + enrollment sync hooks
from orgs.api import OrgAdminMenuItem

register_snippet(TrainingClassViewSet)


# 日志评价 (journal review queue) and 结业证书 (certificate list and revocation) ----------------------


class JournalReviewerMenuItem(MenuItem):
    def is_shown(self, request):
        return admin_journals.may_review_journals(request.user)


@hooks.register("register_admin_urls")
def register_journal_and_certificate_urls():
    return [
        path("journals/", admin_journals.queue, name="learning_journal_queue"),
        path("journals/<int:entry_id>/review/", admin_journals.review, name="learning_journal_review"),
        path("certificates/", admin_certificates.certificate_list, name="learning_certificate_list"),
        path("certificates/<int:certificate_id>/revoke/", admin_certificates.certificate_revoke,
             name="learning_certificate_revoke"),
    ]


@hooks.register("register_admin_menu_item")
def register_journal_menu_item():
    return JournalReviewerMenuItem(gettext_lazy("日志评价"), reverse("learning_journal_queue"), name="journal-reviews",
                                   icon_name="edit", order=230)


@hooks.register("register_admin_menu_item")
def register_certificate_menu_item():
    return OrgAdminMenuItem(gettext_lazy("结业证书"), reverse("learning_certificate_list"), name="certificates",
                            icon_name="doc-full", order=240)
