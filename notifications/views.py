"""The notification centre (通知, /me/notifications/): thin — parse, call selectors or services, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from notifications import selectors
from notifications.models import Notification
from notifications.services import email_opt_out_set, notifications_mark_read

PAGE_SIZE = 20


@login_required
@require_safe
def notifications(request):
    user = request.user
    page_obj = Paginator(selectors.notifications_for(user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "notifications/notifications.html", {
        "page_obj": page_obj,
        "unread": selectors.unread_count(user),
        "email_opt_out": selectors.email_opted_out(user),
        "has_email": bool(user.email),
    })


@login_required
@require_POST
def notifications_read_all(request):
    count = notifications_mark_read(user=request.user)
    if count:
        messages.success(request, _("已将 %(n)d 条通知标为已读。") % {"n": count})
    return redirect("notifications:notifications")


@login_required
@require_safe
def notification_open(request, notification_id: int):
    """Open a notice: mark it read and follow its link (a link inside this site only)."""
    notice = get_object_or_404(Notification, pk=notification_id, user=request.user)
    notifications_mark_read(user=request.user, ids=[notice.pk])
    if notice.url and url_has_allowed_host_and_scheme(notice.url, allowed_hosts={request.get_host()},
                                                       require_https=request.is_secure()):
        return redirect(notice.url)
    return redirect("notifications:notifications")


@login_required
@require_POST
def notifications_email(request):
    opt_out = request.POST.get("email_opt_out") == "1"
    email_opt_out_set(user=request.user, opt_out=opt_out)
    if opt_out:
        messages.success(request, _("已关闭邮件提醒，站内通知照常保留。"))
    else:
        messages.success(request, _("已开启邮件提醒。"))
    return redirect("notifications:notifications")
