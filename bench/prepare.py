"""Server-side set-up for one `make bench` scenario run: logged-in sessions, the 10-question bench
quiz, the administrators whose dashboards are measured, and a clean slate for the trainees a scenario
uses. Writes what the locustfiles need as JSON.

    DJANGO_SETTINGS_MODULE=bench.settings python -m bench.prepare --users 1000 --out var/bench/config.json

Sessions are created directly in the session store (the way a login would leave them), not by logging
1,000 people in through the rate-limited login form. Every session key starts with `bench`, so the
next run deletes the previous run's sessions and nothing else.
"""

import argparse
import datetime as dt
import json
import os
import sys

import django

SESSION_PREFIX = "bench"
BENCH_QUIZ_TITLE = "基准测验（10题）"
ADMINS = {  # username → (superuser?, organisation level managed)
    "bench_admin": (True, None),
    "bench_city_admin": (False, "city"),
    "bench_street_admin": (False, "street"),
}


def _setup():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    django.setup()


def bench_quiz():
    """A fixed 10-question quiz on a live course lesson (created once)."""
    from assessments.models import Question, Quiz, QuizQuestion
    from cms.models import LessonPage

    quiz = Quiz.objects.filter(title=BENCH_QUIZ_TITLE).first()
    if quiz is None:
        taken = set(Quiz.objects.values_list("page_id", flat=True))
        page = next(p for p in LessonPage.objects.live().order_by("id") if p.pk not in taken)
        quiz = Quiz.objects.create(title=BENCH_QUIZ_TITLE, page=page, mode=Quiz.Mode.FIXED, attempts_allowed=50,
                                   pass_mark=60, review=Quiz.Review.AFTER_ATTEMPT)
        for order, question in enumerate(Question.objects.order_by("id")[:10]):
            QuizQuestion.objects.create(quiz=quiz, question=question, sort_order=order)
    return quiz


def admins() -> dict[str, dict]:
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import Group, User

    from devtools.management.commands.bench_data import BENCH_ORG_CODE, BENCH_PASSWORD
    from orgs.api import OrgAdminRole, Organization

    root = Organization.objects.get(code=BENCH_ORG_CODE)
    below = Organization.objects.filter(path__startswith=root.path)
    # The busiest city and one of its streets: the dashboards' worst case at that level.
    city = max(below.filter(level="city"), key=lambda o: o.numchild)
    street = below.filter(level="street", path__startswith=city.path).order_by("-numchild", "path").first()
    org_admins = Group.objects.filter(name="组织管理员").first()
    password = make_password(BENCH_PASSWORD)
    result = {}
    for username, (superuser, level) in ADMINS.items():
        user, _ = User.objects.get_or_create(username=username, defaults={
            "password": password, "is_superuser": superuser, "is_staff": superuser, "first_name": username})
        org = {"city": city, "street": street, None: root}[level]
        if level:
            OrgAdminRole.objects.get_or_create(user=user, organization=org)
            if org_admins:
                user.groups.add(org_admins)
        result[username] = {"user_id": user.pk, "org_id": org.pk, "org_name": org.name, "level": level or "province"}
    return result


def sessions(usernames: list[str]) -> list[dict]:
    """A fresh logged-in session (and CSRF secret) per user, written in bulk."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.auth.models import User
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session
    from django.utils import timezone
    from django.utils.crypto import get_random_string

    Session.objects.filter(session_key__startswith=SESSION_PREFIX).delete()
    users = {u.username: u for u in User.objects.filter(username__in=usernames)}
    missing = [name for name in usernames if name not in users]
    if missing:
        raise SystemExit(f"bench users missing (run bench_data with more trainees): {missing[:3]}…")
    store = SessionStore()
    expires = timezone.now() + dt.timedelta(seconds=settings.SESSION_COOKIE_AGE)
    rows, out = [], []
    for name in usernames:
        user = users[name]
        key = SESSION_PREFIX + get_random_string(27, "abcdefghijklmnopqrstuvwxyz0123456789")
        data = {SESSION_KEY: str(user.pk), BACKEND_SESSION_KEY: "django.contrib.auth.backends.ModelBackend",
                HASH_SESSION_KEY: user.get_session_auth_hash()}
        rows.append(Session(session_key=key, session_data=store.encode(data), expire_date=expires))
        out.append({"username": name, "user_id": user.pk, "sessionid": key, "csrftoken": get_random_string(32)})
    Session.objects.bulk_create(rows, batch_size=1000)
    return out


def reset(user_ids: list[int], page_ids: list[int], quiz_ids: list[int]) -> None:
    """Forget the scenario users' progress, credits and attempts on the pages and quizzes it uses,
    so every run starts from the same state (a bench database only: the ledger is append-only)."""
    from assessments.models import Attempt
    from learning.models import LedgerEntry, LessonProgress, WatchClock

    LessonProgress.objects.filter(user_id__in=user_ids, page_id__in=page_ids).delete()
    WatchClock.objects.filter(user_id__in=user_ids).delete()  # each run's first beat starts the clock again
    LedgerEntry.objects.filter(user_id__in=user_ids, kind__in=["daily", "lesson", "case"], object_id__in=page_ids).delete()
    LedgerEntry.objects.filter(user_id__in=user_ids, kind="quiz", object_id__in=quiz_ids).delete()
    Attempt.objects.filter(user_id__in=user_ids, quiz_id__in=quiz_ids).delete()


def flush_cache() -> None:
    """Rate-limit counters of the previous scenario (the bench's own Redis database) go."""
    from django.core.cache import cache

    cache.clear()


def main(argv=None):
    parser = argparse.ArgumentParser()
    parser.add_argument("--users", type=int, required=True, help="trainee sessions to create (bench000001…)")
    parser.add_argument("--out", required=True)
    parser.add_argument("--reset-only", action="store_true", help="only reset state and flush the cache")
    args = parser.parse_args(argv)
    _setup()
    from django.contrib.auth.models import User

    from assessments.models import Quiz
    from cms import selectors as cms_selectors
    from devtools.management.commands.bench_data import BENCH_ORG_CODE
    from learning.services.progress import media_seconds
    from orgs.api import Organization

    lesson = cms_selectors.current_daily_lesson()
    if lesson is None:
        raise SystemExit("no daily lesson is live: load the demo content first")
    daily_quiz = Quiz.objects.filter(page_id=lesson.pk).order_by("id").first()
    quiz = bench_quiz()
    usernames = [f"bench{n:06d}" for n in range(1, args.users + 1)]
    user_ids = list(User.objects.filter(username__in=usernames).values_list("pk", flat=True))
    reset(user_ids, [lesson.pk, quiz.page_id], [q for q in (quiz.pk, daily_quiz and daily_quiz.pk) if q])
    flush_cache()
    if args.reset_only:
        return
    admin_info = admins()
    all_sessions = sessions(usernames + list(admin_info))
    config = {
        "daily": {"id": lesson.pk, "url": lesson.url, "title": lesson.title, "date": str(lesson.lesson_date),
                  "duration": media_seconds(lesson), "quiz_id": daily_quiz.pk if daily_quiz else None},
        "org_count": Organization.objects.filter(code__startswith=BENCH_ORG_CODE).count(),
        "quiz": {"id": quiz.pk, "title": quiz.title, "questions": quiz.fixed_questions.count()},
        "users": all_sessions[: len(usernames)],
        "admins": {s["username"]: {**s, **admin_info[s["username"]]} for s in all_sessions[len(usernames):]},
    }
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    with open(args.out, "w") as fh:
        json.dump(config, fh, ensure_ascii=False, indent=1)
    print(f"prepared {len(usernames)} trainee sessions, daily lesson {lesson.url} ({config['daily']['duration']} s), "
          f"quiz {quiz.pk}", file=sys.stderr)


if __name__ == "__main__":
    main()
