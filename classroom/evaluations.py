"""The evaluation report (评教报表): averages per session, course and trainer, and the comments.

Anonymity, by construction and by rule:
- a response row holds no user and no time (classroom.models); nothing here could name its author;
- nothing of a target (a session or a course) with fewer than MIN_RESPONSES responses is shown — not its
  averages, not its comments, and not inside a trainer's totals either (a total that mixed them in
  could be differenced against the shown targets to recover the hidden answers);
- comments are listed in the random order of their keys, never in the order they were written.

Who sees what: a trainer their own sessions and the courses they teach; an administrator the sessions
of classes in their scope and the courses those classes require; superusers everything.
"""

import csv
import io
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db.models import Count, Q, QuerySet, Sum
from django.http import HttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from classroom.models import EvaluationResponse, TrainingSession
from classroom.selectors import MIN_RESPONSES, evaluation_comments, evaluation_summary, sessions_evaluated_for
from cms.models import CoursePage
from core.api import XLSX_CONTENT_TYPE, inert_text, xlsx_row
from learning.api import classes_in_scope
from orgs.api import scope_roots

GROUPINGS = {"session": gettext_lazy("按面授课程"), "course": gettext_lazy("按课程"), "trainer": gettext_lazy("按导师")}
SCORES = ("content_score", "trainer_score", "organisation_score")


def courses_evaluated_for(user) -> QuerySet[CoursePage]:
    courses = CoursePage.objects.all()
    if not user.is_authenticated:
        return courses.none()
    if user.is_superuser:
        return courses
    condition = Q(trainers__user=user)
    if scope_roots(user):
        condition |= Q(training_classes__in=classes_in_scope(user).values("pk"))
    return courses.filter(pk__in=CoursePage.objects.filter(condition).values("pk"))


def _figures(n: int, sums: tuple) -> dict:
    shown = n >= MIN_RESPONSES
    averages = [(Decimal(total) / n).quantize(Decimal("0.1")) if shown and total is not None else None
                for total in sums]
    return {"responses": n, "shown": shown, "content_avg": averages[0], "trainer_avg": averages[1],
            "organisation_avg": averages[2]}


def _aggregated(responses: QuerySet, key: str) -> dict:
    rows = responses.order_by().values(key).annotate(n=Count("pk"), **{f"s_{f}": Sum(f) for f in SCORES})
    return {row[key]: (row["n"], tuple(row[f"s_{f}"] for f in SCORES)) for row in rows}


def _trainer_name(user) -> str:
    if user is None:
        return "—"
    profile_name = getattr(getattr(user, "trainer", None), "name", "")
    return profile_name or user.get_full_name() or user.first_name or user.username


def rows(user, by: str) -> list[dict]:
    sessions = sessions_evaluated_for(user)
    courses = courses_evaluated_for(user)
    if by == "course":
        figures = _aggregated(EvaluationResponse.objects.filter(course__in=courses.values("pk")), "course_id")
        result = []
        for course in CoursePage.objects.filter(pk__in=list(figures)).prefetch_related("trainers").order_by("title"):
            result.append({"kind": "course", "id": course.pk, "title": course.title,
                           "trainer": "、".join(t.name for t in course.trainers.all()) or "—", "context": "",
                           **_figures(*figures[course.pk])})
        return result
    if by == "trainer":
        return _trainer_rows(user, sessions, courses)
    figures = _aggregated(EvaluationResponse.objects.filter(session__in=sessions.values("pk")), "session_id")
    result = []
    for session in (TrainingSession.objects.filter(pk__in=list(figures))
                    .select_related("training_class", "trainer", "trainer__trainer").order_by("-starts_at", "pk")):
        result.append({"kind": "session", "id": session.pk, "title": session.title,
                       "trainer": _trainer_name(session.trainer),
                       "context": f"{timezone.localtime(session.starts_at):%Y-%m-%d} · {session.training_class.name}",
                       **_figures(*figures[session.pk])})
    return result


def _trainer_rows(user, sessions, courses) -> list[dict]:
    """Per trainer (a user): the responses of their shown sessions and courses (each with ≥ MIN_RESPONSES)."""
    session_counts = _aggregated(EvaluationResponse.objects.filter(session__in=sessions.values("pk")), "session_id")
    course_counts = _aggregated(EvaluationResponse.objects.filter(course__in=courses.values("pk")), "course_id")
    shown_sessions = [pk for pk, (n, _sums) in session_counts.items() if n >= MIN_RESPONSES]
    shown_courses = [pk for pk, (n, _sums) in course_counts.items() if n >= MIN_RESPONSES]
    totals: dict[int, list] = {}

    def add(trainer_id, n, sums):
        if trainer_id is None:
            return
        total = totals.setdefault(trainer_id, [0, [0, 0, 0]])
        total[0] += n
        total[1] = [a + (b or 0) for a, b in zip(total[1], sums, strict=True)]

    for trainer_id, (n, sums) in _aggregated(EvaluationResponse.objects.filter(session__in=shown_sessions),
                                              "session__trainer").items():
        add(trainer_id, n, sums)
    for trainer_id, (n, sums) in _aggregated(EvaluationResponse.objects.filter(course__in=shown_courses),
                                              "course__trainers__user").items():
        add(trainer_id, n, sums)
    if not user.is_superuser and not scope_roots(user):
        totals = {pk: value for pk, value in totals.items() if pk == user.pk}  # a trainer: themselves only
    people = get_user_model().objects.filter(pk__in=list(totals)).select_related("trainer")
    return sorted(({"kind": "trainer", "id": person.pk, "title": _trainer_name(person), "trainer": "", "context": "",
                    **_figures(totals[person.pk][0], tuple(totals[person.pk][1]))} for person in people),
                  key=lambda row: row["title"])


def detail(user, kind: str, object_id: int) -> dict | None:
    if kind == "session":
        target = sessions_evaluated_for(user).select_related("training_class").filter(pk=object_id).first()
        responses = EvaluationResponse.objects.filter(session_id=object_id)
    elif kind == "course":
        target = courses_evaluated_for(user).filter(pk=object_id).first()
        responses = EvaluationResponse.objects.filter(course_id=object_id)
    else:
        return None
    if target is None:
        return None
    return {"target": target, "kind": kind, "summary": evaluation_summary(responses),
            "comments": evaluation_comments(responses)}


HEADINGS = [gettext_lazy("对象"), gettext_lazy("导师"), gettext_lazy("时间与班次"), gettext_lazy("评价份数"),
            gettext_lazy("内容（均分）"), gettext_lazy("讲授（均分）"), gettext_lazy("组织（均分）")]


def _cells(row: dict) -> list:
    note = _("不足 %(n)d 份，暂不显示") % {"n": MIN_RESPONSES}
    averages = [float(row[key]) if row["shown"] and row[key] is not None else note
                for key in ("content_avg", "trainer_avg", "organisation_avg")]
    return [row["title"], row["trainer"], row["context"], row["responses"], *averages]


def export(rows_: list[dict], by: str, fmt: str) -> HttpResponse:
    filename = f"评教报表-{GROUPINGS[by]}-{timezone.localdate():%Y%m%d}"
    table = [_cells(row) for row in rows_]
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow([str(heading) for heading in HEADINGS])
        for cells in table:
            writer.writerow([inert_text(cell) for cell in cells])
        response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    else:
        from openpyxl import Workbook

        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet(str(GROUPINGS[by])[:31])
        sheet.append(xlsx_row(sheet, [str(heading) for heading in HEADINGS]))
        for cells in table:
            sheet.append(xlsx_row(sheet, cells))
        output = io.BytesIO()
        workbook.save(output)
        response = HttpResponse(output.getvalue(), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, f"{filename}.{fmt}")
    return response
