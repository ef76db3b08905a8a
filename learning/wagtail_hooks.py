"""What learning adds to the Wagtail admin: the scoped trainee list (with export), training classes, and the trainee import for organisation administrators."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet

from learning import (  # noqa: F401
    admin_certificates,
    admin_journals,
    admin_reports,
    scoping,
    views_import,
)
from learning.admin_classes import TrainingClassViewSet  # scoped policy + enrollment sync hooks
from learning.admin_trainees import TraineeViewSet

register_snippet(TrainingClassViewSet)


@hooks.register("register_admin_viewset")
def register_trainee_viewset():
    return TraineeViewSet("trainees")


class OrgAdminMenuItem(MenuItem):
    def is_shown(self, request):
        return scoping.is_org_admin(request.user)


@hooks.register("register_admin_urls")
def register_trainee_import_urls():
    return [
        path("trainee-import/", views_import.upload, name="learning_trainee_import"),
        path("trainee-import/confirm/", views_import.confirm, name="learning_trainee_import_confirm"),
        path("trainee-import/template.xlsx", views_import.template_xlsx, name="learning_trainee_import_template"),
    ]


@hooks.register("register_admin_menu_item")
def register_trainee_import_menu_item():
    return OrgAdminMenuItem(gettext_lazy("学员导入"), reverse("learning_trainee_import"), name="trainee-import",
                            icon_name="upload", order=220)


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
