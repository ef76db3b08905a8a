"""结业证书: issued once per completed course, training class or annual target, with a public
verification code; administrators revoke. The PDF is drawn by certificates.pdf.

Certificates follow the ledger the way growth records do: never inside the transaction that credits
(a heartbeat writes progress and at most one ledger entry), but after it commits — a course
completion enqueues `certificates_refresh` for the trainee, and the minute-by-minute catch-up finds
whatever an enqueue lost from the ledger itself. The annual 学时证明 follows the growth record (growth
calls `certificate_for_annual_target` after it recomputes a trainee's year), which already sums the
year once per refresh instead of once per ledger entry."""

import datetime as dt
import secrets
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, Max, OuterRef, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from certificates.models import Certificate
from cms.models import CoursePage
from core.api import DomainError, JobRun, year_days
from learning.api import Enrollment, LedgerEntry, TrainingClass, classes_of
from notifications.api import NotificationKind, notify
from orgs.api import TraineeProfile, scoping

# No 0/O, 1/I/L: a code read aloud over the phone or typed from paper is not mistaken.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 12


class CertificateError(DomainError):
    pass


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _n in range(CODE_LENGTH))


def normalize_code(raw: str) -> str:
    """What a person types or scans (“abcd-efgh-jkmn”, spaces) to the stored form."""
    return "".join(ch for ch in (raw or "").upper() if ch.isalnum())[:32]


def issuer() -> str:
    return settings.COLLEGE_CERTIFICATE_ISSUER


def holder_name(user) -> str:
    profile = TraineeProfile.objects.filter(user=user).only("real_name").first()
    if profile and profile.real_name.strip():
        return profile.real_name.strip()[:40]
    # Chinese names read family name first.
    return (f"{user.last_name}{user.first_name}".strip() or user.get_username())[:40]


@transaction.atomic
def certificate_issue(
    *, user, kind: str, object_id: int, title: str, credit_hours: Decimal, issued_on: dt.date | None = None
) -> Certificate:
    """Issue once per (user, kind, object): a replay or a concurrent duplicate returns the existing one.

    A revoked certificate is returned as it is — completing again does not undo an administrator's revocation."""
    existing = Certificate.objects.filter(user=user, kind=kind, object_id=object_id).first()
    if existing is not None:
        return existing
    fields = {
        "user": user, "kind": kind, "object_id": object_id, "title": title[:200], "holder_name": holder_name(user),
        "credit_hours": Decimal(credit_hours), "issued_on": issued_on or timezone.localdate(), "issuer": issuer(),
    }
    certificate = None
    for _attempt in range(5):
        try:
            with transaction.atomic():  # a savepoint: a lost race or a code collision leaves ours usable
                certificate = Certificate.objects.create(code=new_code(), **fields)
            break
        except IntegrityError:
            existing = Certificate.objects.filter(user=user, kind=kind, object_id=object_id).first()
            if existing is not None:
                return existing  # issued concurrently
            # else: the random code collided (2^-60 odds); draw another
    if certificate is None:
        raise CertificateError("code_exhausted", _("证书编号生成失败，请稍后重试。"), 503)
    notify(user_ids=[user.pk], kind=NotificationKind.CERTIFICATE, reason=f"certificate:{kind}:{object_id}",
           title=_("你获得了%(kind)s证书：%(title)s") % {"kind": certificate.get_kind_display(), "title": certificate.title},
           body=_("可在“我的证书”中下载 PDF，验证码 %(code)s。") % {"code": certificate.code}, url="/me/certificates/")
    return certificate


def can_revoke(admin_user, certificate: Certificate) -> bool:
    if not admin_user.is_authenticated:
        return False
    if admin_user.is_superuser:
        return True
    profile = TraineeProfile.objects.filter(user_id=certificate.user_id).select_related("organization").first()
    return profile is not None and scoping.is_org_admin(admin_user) and scoping.can_manage(
        admin_user, profile.organization)


@transaction.atomic
def certificate_revoke(*, admin_user, certificate: Certificate, reason: str) -> Certificate:
    certificate = Certificate.objects.select_for_update().filter(pk=certificate.pk).first()
    if certificate is None or not can_revoke(admin_user, certificate):
        raise CertificateError("not_found", _("证书不存在，或不在你的管理范围内。"), 404)
    reason = " ".join((reason or "").split())
    if not reason:
        raise CertificateError("reason_required", _("请填写撤销原因。"))
    if len(reason) > 200:
        raise CertificateError("reason_too_long", _("撤销原因不能超过 200 个字。"))
    if certificate.revoked_at is not None:
        raise CertificateError("already_revoked", _("该证书已于 %(date)s 撤销。") % {
            "date": timezone.localtime(certificate.revoked_at).strftime("%Y-%m-%d %H:%M")})
    certificate.revoked_at = timezone.now()
    certificate.revoked_reason = reason
    certificate.save(update_fields=["revoked_at", "revoked_reason"])
    return certificate


def certificates_for_completed_course(*, user, course: CoursePage) -> Certificate | None:
    """The course certificate, once the ledger says the course is complete (None before that)."""
    completion = LedgerEntry.objects.filter(user=user, kind=LedgerEntry.Kind.COURSE, object_id=course.pk).first()
    if completion is None:
        return None
    return certificate_issue(
        user=user, kind=Certificate.Kind.COURSE, object_id=course.pk, title=course.title,
        credit_hours=course.credit_hours, issued_on=timezone.localdate(completion.occurred_at),
    )


def certificate_for_class_if_complete(*, user, training_class: TrainingClass) -> Certificate | None:
    """The class certificate, once a member has completed every required course (None before that)."""
    if training_class.pk not in {c.pk for c in classes_of(user.pk)}:
        return None
    course_ids = list(training_class.courses.values_list("pk", flat=True))
    if not course_ids:
        return None
    done = Enrollment.objects.filter(user=user, course_id__in=course_ids, completed_at__isnull=False).aggregate(
        courses=Count("course_id", distinct=True), last=Max("completed_at"))
    if done["courses"] < len(course_ids):
        return None
    hours = CoursePage.objects.filter(pk__in=course_ids).aggregate(total=Sum("credit_hours"))["total"] or Decimal(0)
    return certificate_issue(
        user=user, kind=Certificate.Kind.CLASS, object_id=training_class.pk, title=training_class.name,
        credit_hours=hours, issued_on=timezone.localdate(done["last"]),
    )


def certificate_for_annual_target(*, user, year: int, credit_hours: Decimal, target_hours: Decimal) -> Certificate | None:
    """The 学时证明 for a year whose target is met (None below the target)."""
    if target_hours <= 0 or Decimal(credit_hours) < Decimal(target_hours):
        return None
    today = timezone.localdate()
    issued_on = today if today.year == year else year_days(year)[1]
    return certificate_issue(
        user=user, kind=Certificate.Kind.ANNUAL, object_id=year,
        title=_("%(year)d 年度学习目标（%(target)s 学时）") % {"year": year, "target": format_hours(target_hours)},
        credit_hours=credit_hours, issued_on=issued_on,
    )


def format_hours(hours) -> str:
    """12.50 → "12.5", 3.00 → "3"."""
    return f"{Decimal(hours):.2f}".rstrip("0").rstrip(".")


# --- following the ledger ------------------------------------------------------------------------------
CATCH_UP_JOB = "certificates-catch-up"
CATCH_UP_SAFETY_IDS = 10_000  # re-read recent ids: a slow transaction may commit a lower id late


def certificates_refresh(*, user_id: int) -> int:
    """Issue the course and class certificates `user_id` has earned and does not hold: one per completed
    course, one per class whose required courses are all complete. Idempotent; returns how many."""
    user = get_user_model().objects.filter(pk=user_id).first()
    if user is None:
        return 0
    issued = 0
    held = set(Certificate.objects.filter(user_id=user_id).values_list("kind", "object_id"))
    completed = set(LedgerEntry.objects.filter(user_id=user_id, kind=LedgerEntry.Kind.COURSE)
                    .values_list("object_id", flat=True))
    for course in CoursePage.objects.filter(pk__in=completed - {oid for kind, oid in held if kind == "course"}):
        issued += bool(certificates_for_completed_course(user=user, course=course))
    if completed:
        for training_class in classes_of(user_id):
            if (Certificate.Kind.CLASS, training_class.pk) not in held:
                issued += bool(certificate_for_class_if_complete(user=user, training_class=training_class))
    return issued


def users_owed(*, after_id: int, limit: int = 5000) -> tuple[list[int], int]:
    """Trainees whose ledger since `after_id` holds a course completion without its certificate, and the
    highest id seen. Two queries however many entries arrived (08:30 brings tens of thousands)."""
    recent = LedgerEntry.objects.filter(id__gt=after_id)
    highest = recent.aggregate(top=Max("id"))["top"]
    if highest is None:
        return [], after_id
    courses = Certificate.objects.filter(user_id=OuterRef("user_id"), kind=Certificate.Kind.COURSE,
                                         object_id=OuterRef("object_id"))
    owed = set(recent.filter(kind=LedgerEntry.Kind.COURSE).exclude(Exists(courses))
               .values_list("user_id", flat=True)[:limit])
    return sorted(owed), highest


def certificates_catch_up() -> int:
    """Every minute: issue what the ledger says is owed (lost enqueues, broker outages)."""
    job, _created = JobRun.objects.get_or_create(name=CATCH_UP_JOB)
    owed, highest = users_owed(after_id=max(0, job.cursor - CATCH_UP_SAFETY_IDS))
    issued = sum(certificates_refresh(user_id=user_id) for user_id in owed)
    JobRun.objects.filter(pk=job.pk, cursor__lt=highest).update(cursor=highest)
    return issued
