"""个人日志: a trainee writes an entry on a piece of content; a trainer or one of their administrators
grades it. An approved entry is credited to the ledger once; the trainee is told about every grade."""

import hashlib
import re

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.models import Page

from cms.models import CasePage, CoursePage, DailyLessonPage, LessonPage
from core.api import DomainError
from learning import rules
from learning.models import JournalEntry, JournalReview, LedgerEntry
from learning.services.ledger import ledger_record
from notifications.api import NotificationKind, notify
from orgs.api import TraineeProfile, scoping

JOURNAL_PAGE_TYPES = (DailyLessonPage, LessonPage, CasePage, CoursePage)
BODY_MIN_LENGTH = 20
BODY_MAX_LENGTH = 2000
COMMENT_MAX_LENGTH = 1000
# What a browser would take for markup: "<" directly followed by a letter, "/", "!" or "?" ("<p>",
# "</div>", "<!-- -->", "<img src=x>"). "满意度<90%" or "a < b 且 c > d" stay plain text.
HTML_TAG = re.compile(r"<[/!?]?[A-Za-z][^<>]*>|<!--")


class JournalError(DomainError):
    pass


def clean_journal_text(text: str, *, field: str, min_length: int, max_length: int) -> str:
    """Plain text with paragraphs: line breaks normalised, outer blank space removed, no markup."""
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n").strip()
    if HTML_TAG.search(text):
        raise JournalError("html_not_allowed", _("%(field)s只能是纯文本，不能包含 HTML 标签（如 <p>、<a>）。") % {
            "field": field})
    if len(text) < min_length:
        raise JournalError("too_short", _("%(field)s至少需要 %(min)d 个字，当前 %(n)d 个字。") % {
            "field": field, "min": min_length, "n": len(text)})
    if len(text) > max_length:
        raise JournalError("too_long", _("%(field)s不能超过 %(max)d 个字，当前 %(n)d 个字。") % {
            "field": field, "max": max_length, "n": len(text)})
    return text


def journal_page(page_id: int):
    """The live daily lesson, lesson, case or course a journal entry may be written on, or None."""
    page = Page.objects.live().filter(pk=page_id).type(*JOURNAL_PAGE_TYPES).first()
    if page is None:
        return None
    page = page.specific
    if isinstance(page, DailyLessonPage) and page.lesson_date > timezone.localdate():
        return None  # tomorrow's lesson is not out yet
    return page


def body_digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def journal_create(*, user, page, body: str) -> JournalEntry:
    """Write one entry. Bad input raises JournalError and saves nothing; the same text on the same page
    again — a double click, a resubmitted form, ten racing requests — returns the one entry."""
    target = journal_page(page.pk) if page is not None else None
    if target is None:
        raise JournalError("page_invalid", _("只能在已发布的每日一课、课时、案例或课程页面上写学习日志。"), 404)
    text = clean_journal_text(body, field=_("日志内容"), min_length=BODY_MIN_LENGTH, max_length=BODY_MAX_LENGTH)
    key = {"user": user, "page_id": target.pk, "body_digest": body_digest(text)}
    existing = JournalEntry.objects.filter(**key).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            return JournalEntry.objects.create(body=text, **key)
    except IntegrityError:  # a concurrent identical submission won: theirs is ours
        return JournalEntry.objects.get(**key)


def can_review(reviewer, entry: JournalEntry) -> bool:
    """Trainers review every entry; an administrator only entries whose author lies in their subtree."""
    if not reviewer.is_authenticated or reviewer.pk == entry.user_id:
        return False
    if scoping.is_trainer_or_reviewer(reviewer):
        return True
    profile = TraineeProfile.objects.filter(user_id=entry.user_id).select_related("organization").first()
    return profile is not None and scoping.is_org_admin(reviewer) and scoping.can_manage(reviewer, profile.organization)


@transaction.atomic
def journal_review(*, reviewer, entry: JournalEntry, grade: str, comment: str = "") -> JournalReview:
    """Grade `entry` (creating or replacing its single review), credit it once if approved, tell the author."""
    entry = JournalEntry.objects.select_for_update().select_related("page").filter(pk=entry.pk).first()
    if entry is None or not can_review(reviewer, entry):
        # The same answer as a missing entry: another subtree's journals do not exist for this reviewer.
        raise JournalError("not_found", _("日志不存在，或不在你的评价范围内。"), 404)
    if grade not in JournalReview.Grade.values:
        raise JournalError("grade_invalid", _("请选择评价等级：优秀、良好、合格或需改进。"))
    comment = (comment or "").replace("\r\n", "\n").strip()
    if grade == JournalReview.Grade.IMPROVE and not comment:
        raise JournalError("comment_required", _("评为“需改进”时请写明需要改进的地方。"))
    if comment:
        comment = clean_journal_text(comment, field=_("评语"), min_length=1, max_length=COMMENT_MAX_LENGTH)

    review, _created = JournalReview.objects.update_or_create(
        entry=entry, defaults={"reviewer": reviewer, "grade": grade, "comment": comment}
    )
    page_title = entry.page.title
    if grade in JournalReview.APPROVED:
        hours, points = rules.journal_credit()
        # The ledger's unique key (user, kind, text) credits a text once, however often it is approved —
        # keyed by the first entry with this text, so duplicates filed before the uniqueness rule (kept by
        # migration 0013) earn one credit between them. A later re-grade to 需改进 takes nothing back: the
        # ledger is append-only, a credit stays earned.
        first = (JournalEntry.objects.filter(user_id=entry.user_id, page_id=entry.page_id, body=entry.body)
                 .order_by("pk").values_list("pk", flat=True).first())
        ledger_record(
            user_id=entry.user_id, kind=LedgerEntry.Kind.JOURNAL, object_id=first,
            title=_("学习日志：%(title)s") % {"title": page_title}, credit_hours=hours, points=points,
            occurred_at=timezone.now(),
        )
    label = JournalReview.Grade(grade).label
    notify(  # through the one writer: e-mailed too, unless the trainee opted out
        user_ids=[entry.user_id], kind=NotificationKind.JOURNAL_REVIEWED,
        reason=f"journal_reviewed:{entry.pk}:{grade}",  # one per grade given: a comment edit does not notify again
        title=(_("你的学习日志获评“%(grade)s”：%(title)s") % {"grade": label, "title": page_title})[:120],
        body=comment, url=reverse("learning:me_journal"),
    )
    return review
