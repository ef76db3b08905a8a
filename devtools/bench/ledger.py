"""The content and the ledger of the bench days: a daily lesson for every workday of the last `--days`
days that has none (and, through `devtools.demo.quizzes`, its 今日小测); then the ledger of those days —
the daily lesson (each trainee has a habit between 25 % and 95 % of workdays, mostly 08:30–10:00), its
quiz, now and then a course lesson or a case — with the matching `LessonProgress` rows. A day is written
whole, in one transaction, or not at all."""

import datetime as dt
import random
import time
from decimal import Decimal

from django.conf import settings
from django.core.management.base import CommandError
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from cms.models import CasePage, DailyLessonIndexPage, DailyLessonPage, LessonPage
from cms.models.daily import PUBLISH_TIME
from core.api import calendar as workdays
from devtools.bench.base import BENCH_USER_PREFIX, SEED, BenchRun
from devtools.demo import quizzes
from learning import rules
from learning.models import LedgerEntry, LessonProgress

DEFER_TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


def daily_lessons(run: BenchRun) -> dict[dt.date, DailyLessonPage]:
    """A live daily lesson for every workday of the window (reusing the demo's), with its quiz."""
    wanted = [day for day in run.days if workdays.is_workday(day)]
    existing = {page.lesson_date: page for page in DailyLessonPage.objects.filter(lesson_date__in=wanted)}
    missing = [day for day in wanted if day not in existing]
    if missing:
        started = time.perf_counter()
        index = DailyLessonIndexPage.objects.first()
        template = DailyLessonPage.objects.live().select_related("video").order_by("-lesson_date").first()
        if index is None or template is None:
            raise CommandError("请先加载演示内容：manage.py load_demo_data（需要八点半课堂栏目和至少一节每日一课）。")
        with override_settings(TASKS=DEFER_TASKS), transaction.atomic():
            for day in missing:
                page = DailyLessonPage(
                    slug=f"{day:%Y-%m-%d}", title=f"{template.title}（{day:%m月%d日}）", lesson_date=day,
                    quote=template.quote, quote_source=template.quote_source, note=template.note,
                    video=template.video,
                )
                index.add_child(instance=page)
                page.save_revision().publish()
                existing[day] = page
        if settings.COLLEGE_ALLOW_DEMO_DATA:
            quizzes.load_quizzes()  # 今日小测 for the new lessons
        run.writer.add("每日一课 DailyLessonPage（Wagtail）", len(missing), time.perf_counter() - started)
        run.stdout.write(f"每日一课：新增 {len(missing)} 节")
    return {day: existing[day] for day in wanted}


def ledger_days(run: BenchRun, user_ids: list[int], lessons: dict[dt.date, DailyLessonPage]) -> None:
    """The ledger and progress rows of every bench day that has none yet (judged by the first 500 trainees)."""
    from django.apps import apps

    from core.api import local_days

    tz = timezone.get_current_timezone()
    sample = user_ids[:500]  # a day is there when any of these trainees has an entry on it
    done_days = {day for day in run.days
                 if LedgerEntry.objects.filter(user_id__in=sample, occurred_at__range=local_days(day, day)).exists()}
    todo = [day for day in run.days if day not in done_days]
    if not todo:
        run.stdout.write("学习台账：各天均已存在，跳过")
        return
    quiz_model = apps.get_model("assessments", "Quiz") if apps.is_installed("assessments") else None
    quiz_of = {}
    if quiz_model is not None:
        quiz_of = dict(quiz_model.objects.filter(page_id__in=[p.pk for p in lessons.values()])
                       .order_by("-id").values_list("page_id", "id"))
    course_lessons = list(LessonPage.objects.live().values_list("id", "title", "credit_hours"))
    cases = list(CasePage.objects.live().values_list("id", "title"))
    daily_hours, daily_points = rules.daily_credit()
    quiz_hours, quiz_points = rules.quiz_credit()
    _, lesson_points = rules.lesson_credit(Decimal("0"))
    case_hours, case_points = rules.case_credit()
    # Each trainee's habit is fixed by their id, so every run (and every day added later) agrees.
    habit = {uid: 0.25 + 0.70 * random.Random(uid).random() for uid in user_ids}
    ledger_table, progress_table = LedgerEntry._meta.db_table, LessonProgress._meta.db_table
    ledger_columns = ["user_id", "kind", "object_id", "title", "credit_hours", "points", "occurred_at"]
    progress_columns = ["user_id", "page_id", "position_seconds", "effective_seconds", "last_session",
                        "last_beat_seq", "last_beat_at", "started_at", "updated_at", "completed_at"]
    existing_progress = set()
    if course_lessons or cases:  # course lessons and cases done before this run keep their one credit
        existing_progress = set(LedgerEntry.objects.filter(
            user__username__startswith=BENCH_USER_PREFIX, kind__in=[LedgerEntry.Kind.LESSON, LedgerEntry.Kind.CASE]
        ).values_list("user_id", "kind", "object_id"))
    total_started = time.perf_counter()
    for day in todo:
        rng = random.Random(SEED + day.toordinal())
        lesson = lessons.get(day)
        if lesson is None and not (course_lessons or cases):
            continue
        ledger, progress = [], []
        base = dt.datetime.combine(day, PUBLISH_TIME, tzinfo=tz)
        duration = float(lesson.video.duration or 300) if lesson and lesson.video else 300.0
        for uid in user_ids:
            # Workdays: the daily lesson, mostly right after 08:30; weekends only the odd case.
            if lesson is not None and rng.random() < habit[uid]:
                minutes = rng.expovariate(1 / 40) if rng.random() < 0.7 else rng.uniform(60, 720)
                when = base + dt.timedelta(minutes=min(minutes, 900), seconds=rng.randrange(60))
                ledger.append((uid, "daily", lesson.pk, lesson.title, daily_hours, daily_points, when))
                progress.append((uid, lesson.pk, duration, duration, "bench", 3, when,
                                 when - dt.timedelta(seconds=duration + 30), when, when))
                quiz_id = quiz_of.get(lesson.pk)
                if quiz_id and rng.random() < 0.6:
                    ledger.append((uid, "quiz", quiz_id, "今日小测", quiz_hours, quiz_points,
                                   when + dt.timedelta(seconds=90)))
            if course_lessons and rng.random() < (0.05 if lesson is not None else 0.01):
                page_id, title, hours = course_lessons[rng.randrange(len(course_lessons))]
                if (uid, "lesson", page_id) not in existing_progress:
                    existing_progress.add((uid, "lesson", page_id))
                    when = base + dt.timedelta(hours=rng.uniform(1, 12))
                    ledger.append((uid, "lesson", page_id, title, hours, lesson_points, when))
                    progress.append((uid, page_id, 600.0, 600.0, "bench", 20, when,
                                     when - dt.timedelta(minutes=11), when, when))
            if cases and rng.random() < 0.03:
                page_id, title = cases[rng.randrange(len(cases))]
                if (uid, "case", page_id) not in existing_progress:
                    existing_progress.add((uid, "case", page_id))
                    when = base + dt.timedelta(hours=rng.uniform(1, 12))
                    ledger.append((uid, "case", page_id, title, case_hours, case_points, when))
                    progress.append((uid, page_id, 0.0, float(rules.rule("case_min_reading_seconds")), "bench", 5,
                                     when, when - dt.timedelta(minutes=3), when, when))
        with transaction.atomic():  # one day at a time: an interrupted run leaves whole days
            run.writer.insert(ledger_table, ledger_columns, ledger, label="学习台账 learning_ledgerentry")
            run.writer.insert(progress_table, progress_columns, progress, label="学习进度 learning_lessonprogress")
        run.stdout.write(f"\r学习台账：{day}，{len(ledger):,} 条", ending="")
    run.stdout.write(f"\n学习台账：{len(todo)} 天，{time.perf_counter() - total_started:.1f} 秒")
