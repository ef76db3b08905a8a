"""What certificates adds to the Wagtail admin: 结业证书 (the subtree's certificates, revocation)."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy
from wagtail import hooks

from certificates import admin_views
from orgs.api import OrgAdminMenuItem


@hooks.register("register_admin_urls")
def register_certificate_urls():
    return [
        path("certificates/", admin_views.certificate_list, name="certificates_list"),
        path("certificates/<int:certificate_id>/revoke/", admin_views.certificate_revoke, name="certificates_revoke"),
    ]


@hooks.register("register_admin_menu_item")
def register_certificate_menu_item():
    return OrgAdminMenuItem(gettext_lazy("结业证书"), reverse("certificates_list"), name="certificates",
                            icon_name="doc-full", order=240)
