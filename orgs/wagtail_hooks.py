"""What orgs adds to the Wagtail admin: the scoped trainee list (学员, with export) and the trainee import."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy
from wagtail import hooks

from orgs import views_import
from orgs.admin_trainees import TraineeViewSet
from orgs.scoping import OrgAdminMenuItem


@hooks.register("register_admin_viewset")
def register_trainee_viewset():
    return TraineeViewSet("trainees")


@hooks.register("register_admin_urls")
def register_trainee_import_urls():
    return [
        path("trainee-import/", views_import.upload, name="orgs_trainee_import"),
        path("trainee-import/confirm/", views_import.confirm, name="orgs_trainee_import_confirm"),
        path("trainee-import/template.xlsx", views_import.template_xlsx, name="orgs_trainee_import_template"),
    ]


@hooks.register("register_admin_menu_item")
def register_trainee_import_menu_item():
    return OrgAdminMenuItem(gettext_lazy("学员导入"), reverse("orgs_trainee_import"), name="trainee-import",
                            icon_name="upload", order=220)
