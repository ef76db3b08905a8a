"""In-app notifications (站内通知) and their e-mails, written set-based and idempotently.

`reason` is the idempotency key: one row per (user, reason), so a reminder whose beat fires twice,
a task redelivered after a lost worker, or two workers racing create each notice once. E-mail goes
only to rows nobody has claimed yet: a conditional UPDATE (… WHERE emailed_at IS NULL) claims them
with this run's timestamp, and only the rows carrying that timestamp are mailed — a racing run claims
nothing and so mails nothing. E-mail is at most once: a message the backend refuses is released
(emailed_at back to NULL) for the next run, but a worker killed between claim and send loses it.
"""

import dataclasses
import logging
from collections.abc import Iterable, Mapping

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage, get_connection
from django.db import connections, router
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from notifications.models import Notification, NotificationPreference

logger = logging.getLogger(__name__)


@dataclasses.dataclass(frozen=True)
class NotifyResult:
    created: int = 0  # in-app notices created by this call (repeats create none)
    emailed: int = 0  # e-mails handed to the backend by this call
    email_failed: int = 0  # e-mails the backend refused; released for the next run

    def __add__(self, other: "NotifyResult") -> "NotifyResult":
        return NotifyResult(self.created + other.created, self.emailed + other.emailed,
                            self.email_failed + other.email_failed)


def _user_id_query(user_ids) -> QuerySet:
    """A one-column query of user ids: a caller's queryset stays a sub-select (no ids travel through
    Python, whatever the number of trainees); a list of ids is wrapped in one."""
    if isinstance(user_ids, QuerySet):
        if len(user_ids.query.values_select) != 1:
            raise ValueError("notify(user_ids=...) needs a one-column queryset, e.g. .values('user_id')")
        return user_ids.order_by()
    return get_user_model().objects.filter(pk__in=list(user_ids)).values("pk")


def _insert(user_q: QuerySet, *, kind: str, reason: str, title: str, body: str, url: str) -> int:
    """INSERT … SELECT … ON CONFLICT DO NOTHING: one statement for any number of users (SQLite ≥ 3.24
    and PostgreSQL); bulk_create would need one statement per ~110 rows on SQLite. Returns rows created."""
    alias = router.db_for_write(Notification)
    connection = connections[alias]
    qn = connection.ops.quote_name
    user_model = get_user_model()
    columns = {name: Notification._meta.get_field(name).column
               for name in ("user", "kind", "reason", "title", "body", "url", "created_at")}
    sub_sql, sub_params = user_q.query.get_compiler(using=alias).as_sql()
    user_pk = qn(user_model._meta.pk.column)
    sql = (
        f"INSERT INTO {qn(Notification._meta.db_table)} ({', '.join(qn(c) for c in columns.values())}) "
        f"SELECT u.{user_pk}, %s, %s, %s, %s, %s, %s FROM {qn(user_model._meta.db_table)} u "
        f"WHERE u.{user_pk} IN ({sub_sql}) "  # the WHERE also settles SQLite's upsert parsing ambiguity
        "ON CONFLICT DO NOTHING"
    )
    params = [str(kind), reason, title[:120], body, url[:300], connection.ops.adapt_datetimefield_value(timezone.now()),
              *sub_params]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return max(cursor.rowcount, 0)


def _site_url() -> str:
    return (settings.COLLEGE_BASE_URL or settings.WAGTAILADMIN_BASE_URL).rstrip("/")


def _message(*, email: str, title: str, body: str, url: str) -> EmailMessage:
    base = _site_url()
    link = f"{base}{url}" if url.startswith("/") else url
    lines = [body] if body else []
    if link:
        lines.append(_("查看详情：%(link)s") % {"link": link})
    lines += ["", _("—— 社区干部网络学院"), _("不想接收邮件提醒？请到 %(link)s 关闭，站内通知照常保留。")
              % {"link": f"{base}/me/notifications/"}]
    subject = _("【社区干部网络学院】%(title)s") % {"title": " ".join(title.split())}
    return EmailMessage(subject=subject, body="\n".join(lines), to=[email])


def _send(rows: list[tuple[int, str, str, str, str]]) -> tuple[int, list[int]]:
    """Send one message per row over one connection; returns (sent, ids the backend refused)."""
    messages = [(pk, _message(email=email, title=title, body=body, url=url)) for pk, email, title, body, url in rows]
    backend = get_connection(fail_silently=False)
    try:
        backend.open()
    except OSError:
        logger.exception("e-mail backend unavailable; %d notification e-mails released for the next run", len(rows))
        return 0, [pk for pk, _message_ in messages]
    sent, failed = 0, []
    try:
        for pk, message in messages:
            try:
                sent += backend.send_messages([message]) or 0
            except OSError:  # smtplib's errors are OSErrors
                logger.warning("notification e-mail %s not sent", pk, exc_info=True)
                failed.append(pk)
    finally:
        backend.close()
    return sent, failed


def _email_unclaimed(*, reason: str, user_q: QuerySet) -> tuple[int, int]:
    """E-mail this reason's rows nobody has e-mailed yet, for users with an address who did not opt out."""
    stamp = timezone.now()
    eligible = (
        Notification.objects.filter(reason=reason, user_id__in=user_q, user__is_active=True)
        .exclude(user__email="")
        .exclude(user__notification_pref__email_opt_out=True)
        .values("pk")
    )
    # `emailed_at IS NULL` stays on the UPDATE itself (not inside the sub-select): under PostgreSQL's
    # READ COMMITTED a racing UPDATE re-checks it against the row the winner committed, and skips it.
    claimed = Notification.objects.filter(reason=reason, emailed_at__isnull=True, pk__in=eligible).update(
        emailed_at=stamp
    )
    if not claimed:
        return 0, 0
    rows = list(
        Notification.objects.filter(reason=reason, emailed_at=stamp)
        .order_by("pk")
        .values_list("pk", "user__email", "title", "body", "url")
    )
    sent, failed = _send(rows)
    if failed:
        Notification.objects.filter(pk__in=failed, emailed_at=stamp).update(emailed_at=None)
    return sent, len(failed)


def notify(*, user_ids: Iterable[int] | QuerySet, kind: str, reason: str, title: str, body: str = "",
           url: str = "") -> NotifyResult:
    """One notice per user for `reason`, created at most once; e-mail for the notices not yet mailed.

    `user_ids` is a list of ids or a one-column queryset (``TraineeProfile.objects.values("user_id")``);
    a queryset is used as a sub-select, so the call costs the same few queries for 30 or 30,000 users.
    """
    if not isinstance(user_ids, QuerySet):
        user_ids = list(user_ids)
        if not user_ids:
            return NotifyResult()
    user_q = _user_id_query(user_ids)
    created = _insert(user_q, kind=kind, reason=reason, title=title, body=body, url=url)
    emailed, failed = _email_unclaimed(reason=reason, user_q=user_q)
    return NotifyResult(created=created, emailed=emailed, email_failed=failed)


def notify_each(*, kind: str, reason: str, messages: Mapping[int, tuple[str, str]], url: str = "") -> NotifyResult:
    """Like `notify`, with a personal (title, body) per user id — e.g. each administrator's weekly summary."""
    if not messages:
        return NotifyResult()
    ids = list(messages)
    existing = set(Notification.objects.filter(reason=reason, user_id__in=ids).values_list("user_id", flat=True))
    rows = [
        Notification(user_id=uid, kind=kind, reason=reason, title=title[:120], body=body, url=url[:300])
        for uid, (title, body) in messages.items() if uid not in existing
    ]
    Notification.objects.bulk_create(rows, ignore_conflicts=True)  # a racing run's rows win; ours are dropped
    emailed, failed = _email_unclaimed(reason=reason, user_q=_user_id_query(ids))
    return NotifyResult(created=len(rows), emailed=emailed, email_failed=failed)


def notifications_mark_read(*, user, ids: Iterable[int] | None = None) -> int:
    """Mark `user`'s notices read (all of them when `ids` is None); others' ids are ignored."""
    unread = Notification.objects.filter(user=user, read_at__isnull=True)
    if ids is not None:
        unread = unread.filter(pk__in=list(ids))
    return unread.update(read_at=timezone.now())


def email_opt_out_set(*, user, opt_out: bool) -> NotificationPreference:
    """Turn e-mail reminders off (or back on) for `user`; in-app notices are unaffected."""
    preference, _created = NotificationPreference.objects.update_or_create(
        user=user, defaults={"email_opt_out": bool(opt_out)}
    )
    return preference
