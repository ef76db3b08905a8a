"""日志评价: the journal review queue in the Wagtail admin (/admin/journals/).

Trainers see every trainee's entries; an organisation administrator only entries whose author lies in
their subtree (orgs' scoping) — another subtree's entry id answers 404 like a missing one.
Unreviewed entries come first; the queue filters by training class and by organisation.
"""

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Case, IntegerField, QuerySet, Value, When
from django.http import HttpResponseForbidden
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from learning import membership, selectors, services
from learning.models import JournalEntry, JournalReview, TrainingClass
from learning.services.journal import COMMENT_MAX_LENGTH
from orgs.api import Organization, scoping

QUEUE_PAGE_SIZE = 20
ORG_CHOICE_DEPTH = 3  # levels below the reviewer's own scope offered in the organisation filter


def may_review_journals(user) -> bool:
    return scoping.is_trainer_or_reviewer(user) or scoping.is_org_admin(user)


def _depth_limit(user) -> tuple[QuerySet[Organization], int]:
    if scoping.is_trainer_or_reviewer(user):
        return Organization.objects.all(), 1 + ORG_CHOICE_DEPTH
    roots = scoping.scope_roots(user)
    base_depth = 1 if roots is None else min((root.depth for root in roots), default=1)
    return scoping.organizations_in_scope(user), base_depth + ORG_CHOICE_DEPTH


def organization_choices(user) -> QuerySet[Organization]:
    organizations, max_depth = _depth_limit(user)
    return organizations.filter(depth__lte=max_depth).order_by("path")


def class_choices(user) -> QuerySet[TrainingClass]:
    """Trainers: every class. Administrators: the classes they see (`membership.classes_in_scope`)."""
    if scoping.is_trainer_or_reviewer(user):
        return TrainingClass.objects.order_by("-starts_on", "name")
    return membership.classes_in_scope(user)


def journal_queue(user, *, training_class=None, organization=None, status: str = "") -> QuerySet[JournalEntry]:
    entries = selectors.journal_entries_in_scope(user)
    if training_class is not None:
        entries = entries.filter(user__in=membership.members(training_class))
    if organization is not None:
        entries = entries.filter(user__profile__organization__path__startswith=organization.path)
    if status == "pending":
        entries = entries.filter(review__isnull=True)
    elif status == "reviewed":
        entries = entries.filter(review__isnull=False)
    return (
        entries.select_related("user__profile__organization", "page", "review__reviewer")
        .annotate(reviewed=Case(When(review__isnull=True, then=Value(0)), default=Value(1), output_field=IntegerField()))
        .order_by("reviewed", "-created_at", "-pk")
    )


class QueueFilterForm(forms.Form):
    STATUS_CHOICES = [("", gettext_lazy("全部（待评价在前）")), ("pending", gettext_lazy("待评价")),
                      ("reviewed", gettext_lazy("已评价"))]

    status = forms.ChoiceField(label=gettext_lazy("状态"), choices=STATUS_CHOICES, required=False)
    training_class = forms.ModelChoiceField(label=gettext_lazy("培训班"), queryset=TrainingClass.objects.none(),
                                            required=False, empty_label=gettext_lazy("全部培训班"))
    organization = forms.ModelChoiceField(label=gettext_lazy("组织"), queryset=Organization.objects.none(),
                                          required=False, empty_label=gettext_lazy("全部组织"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["training_class"].queryset = class_choices(user)
        organizations = organization_choices(user)
        self.fields["organization"].queryset = organizations
        self.fields["organization"].label_from_instance = lambda org: "　" * (org.depth - 1) + org.name
        for field in self.fields.values():
            field.error_messages["invalid_choice"] = _("所选项不存在或不在你的管理范围内。")


class ReviewForm(forms.Form):
    grade = forms.ChoiceField(label=gettext_lazy("评价"), choices=JournalReview.Grade.choices, widget=forms.RadioSelect,
                              error_messages={"required": gettext_lazy("请选择评价等级。")})
    comment = forms.CharField(label=gettext_lazy("评语"), required=False, max_length=COMMENT_MAX_LENGTH,
                              widget=forms.Textarea(attrs={"rows": 3}),
                              error_messages={"max_length": gettext_lazy("评语不能超过 1000 个字。")})


@require_GET
def queue(request):
    if not may_review_journals(request.user):
        return HttpResponseForbidden(_("只有培训导师和组织管理员可以评价学习日志。"))
    filters = QueueFilterForm(request.GET or None, user=request.user)
    chosen = filters.cleaned_data if filters.is_valid() else {}
    entries = journal_queue(
        request.user, training_class=chosen.get("training_class"), organization=chosen.get("organization"),
        status=chosen.get("status", ""),
    )
    if filters.is_bound and not filters.is_valid():
        entries = entries.none()  # a class or organisation outside the scope shows nothing, not everything
    page_obj = Paginator(entries, QUEUE_PAGE_SIZE).get_page(request.GET.get("p"))
    return render(request, "learning/admin/journal_queue.html", {
        "filters": filters,
        "page_obj": page_obj,
        "pending": selectors.journal_entries_in_scope(request.user).filter(review__isnull=True).count(),
        "grades": JournalReview.Grade.choices,
        "comment_max_length": COMMENT_MAX_LENGTH,
    })


@require_POST
def review(request, entry_id: int):
    if not may_review_journals(request.user):
        return HttpResponseForbidden(_("只有培训导师和组织管理员可以评价学习日志。"))
    entry = get_object_or_404(selectors.journal_entries_in_scope(request.user), pk=entry_id)
    form = ReviewForm(request.POST)
    if form.is_valid():
        try:
            services.journal_review(reviewer=request.user, entry=entry, grade=form.cleaned_data["grade"],
                                    comment=form.cleaned_data["comment"])
        except services.JournalError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("已评价，学员会收到通知。"))
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        target = ""
    return redirect((target or "learning_journal_queue") + ("" if not target else f"#entry-{entry.pk}"))
