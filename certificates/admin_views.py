"""结业证书 in the Wagtail admin (/admin/certificates/): an administrator lists the certificates of
their subtree's trainees and revokes one with a reason. Another subtree's certificate answers 404."""

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpResponseForbidden
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from certificates import selectors, services
from certificates.services import normalize_code
from orgs.api import scoping

LIST_PAGE_SIZE = 50


class RevokeForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("撤销原因"), max_length=200,
                             widget=forms.Textarea(attrs={"rows": 3}),
                             help_text=gettext_lazy("例如：学习记录经核查存在代学，证书作废。验证页面不会显示原因。"),
                             error_messages={"required": gettext_lazy("请填写撤销原因。"),
                                             "max_length": gettext_lazy("撤销原因不能超过 200 个字。")})


def _forbidden(request):
    if scoping.is_org_admin(request.user):
        return None
    return HttpResponseForbidden(_("只有组织管理员可以管理证书。"))


@require_GET
def certificate_list(request):
    if denied := _forbidden(request):
        return denied
    certificates = selectors.certificates_in_scope(request.user).select_related("user__profile__organization")
    query = request.GET.get("q", "").strip()[:50]
    if query:
        certificates = certificates.filter(
            Q(holder_name__icontains=query) | Q(title__icontains=query) | Q(code=normalize_code(query)))
    page_obj = Paginator(certificates.order_by("-issued_on", "-pk"), LIST_PAGE_SIZE).get_page(request.GET.get("p"))
    return render(request, "certificates/admin/certificate_list.html", {"page_obj": page_obj, "query": query})


@require_http_methods(["GET", "POST"])
def certificate_revoke(request, certificate_id: int):
    if denied := _forbidden(request):
        return denied
    certificate = get_object_or_404(selectors.certificates_in_scope(request.user), pk=certificate_id)
    form = RevokeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.certificate_revoke(admin_user=request.user, certificate=certificate,
                                        reason=form.cleaned_data["reason"])
        except services.CertificateError as error:
            form.add_error("reason", error.message)
        else:
            messages.success(request, _("已撤销证书“%(title)s”（%(name)s），验证页面将显示“已撤销”。") % {
                "title": certificate.title, "name": certificate.holder_name})
            return redirect("certificates_list")
    return render(request, "certificates/admin/certificate_revoke.html", {"certificate": certificate, "form": form})
