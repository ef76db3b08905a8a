"""The permission matrix: every URL pattern of the college's own apps and every API operation, tried by
every role against real ids of other people's objects. A pattern or operation without a row here fails
the test, so a new endpoint cannot ship unchecked (add its row in the same commit).

Outcomes: "ok" (2xx, or a redirect that is not to the login page), "login" (sent to the login page /
401), "deny" (403 or 404 — another subtree's object is as missing as a missing one), "405" (the method
is not served). Third-party apps (Wagtail's own admin, Django admin, allauth) are checked coarsely:
anonymous visitors are sent to the login and trainees are refused.
"""

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from assessments.models import QuestionBank, Quiz
from certificates.services import certificate_issue
from classroom import checkin as classroom_checkin
from classroom import services as classroom_services
from classroom.models import Attendance, CheckinWindow, TrainingSession
from cms.models import CoursePage, DailyLessonPage, LessonPage
from config.api import api
from learning.models import Enrollment, TrainingClass
from learning.services import journal_create
from notifications.models import Notification
from orgs.api import OrgAdminRole, Organization, TraineeProfile
from tests.helpers import report

pytestmark = [pytest.mark.django_db, pytest.mark.dateless]
LOGIN_PAGES = ("/accounts/login/", "/admin/login/", "/django-admin/login/")  # the last two redirect to the first

ROLES = ["anonymous", "trainee", "other_trainee", "trainer", "reviewer", "street_admin", "sibling_admin",
         "district_admin", "superuser"]
USERNAMES = {"trainee": "trainee", "other_trainee": "trainee01", "trainer": "trainer", "reviewer": "reviewer",
             "street_admin": "street_admin", "sibling_admin": "sibling_admin", "district_admin": "district_admin",
             "superuser": "admin"}
OUR_APPS = ("cms.", "core.", "orgs.", "notifications.", "learning.", "certificates.", "growth.", "assessments.",
            "classroom.", "stats.", "config.")

# Who gets what. "ok" for the listed roles, "deny" (or "login" for anonymous) for everyone else, unless a
# role is named with another outcome. Object ids belong to `trainee` (inside 红旗街道, 朝阳区) unless said.
EVERYONE = set(ROLES)
SIGNED_IN = EVERYONE - {"anonymous"}
STAFF = {"trainer", "reviewer", "street_admin", "sibling_admin", "district_admin", "superuser"}
ORG_ADMINS = {"street_admin", "sibling_admin", "district_admin", "superuser"}
# Who runs the world's session (organised by 红旗街道, taught by `trainer`): its trainer, trainers, the
# administrators whose scope holds 红旗街道, superusers.
SESSION_RUNNERS = {"trainer", "street_admin", "district_admin", "superuser"}


def row(ok, **others):
    return {"ok": set(ok), **others}


PAGES = {
    # public
    "search/": row(EVERYONE),
    "daily/today/": row(EVERYONE),
    "daily/<slug:slug>/": row(EVERYONE),
    "healthz/live": row(EVERYONE),
    "healthz": row(EVERYONE),  # 200 or 503, never a secret: job ages only
    "certificates/verify/<str:code>/": row(EVERYONE),
    # the installable app: manifest, service worker, its offline page; 大字模式 is a POST-only switch
    "manifest.webmanifest": row(EVERYONE), "sw.js": row(EVERYONE), "offline/": row(EVERYONE),
    "display/": row(set(), **{r: "405" for r in EVERYONE}),
    # the other login forms only redirect to the one rate-limited login
    "admin/login/": row(set(), **{r: "login" for r in EVERYONE}),
    "django-admin/login/": row(set(), **{r: "login" for r in EVERYONE}),
    "_util/login/": row(set(), **{r: "login" for r in EVERYONE}),
    # a trainee's own pages
    "accounts/password/change/": row(SIGNED_IN),
    "me/": row(SIGNED_IN), "me/history/": row(SIGNED_IN), "me/tokens/": row(SIGNED_IN),
    "me/journal/": row(SIGNED_IN), "me/certificates/": row(SIGNED_IN),
    "me/notifications/": row(SIGNED_IN), "me/growth/": row(SIGNED_IN),
    "me/journal/new/<int:page_id>/": row(set(), **{r: "405" for r in SIGNED_IN}),  # the form posts here
    "quizzes/<int:quiz_id>/": row(SIGNED_IN),
    # other people's objects
    "me/growth/<int:user_id>/": row({"trainee", "trainer", "street_admin", "district_admin", "superuser"}),
    "me/certificates/<int:certificate_id>.pdf": row({"trainee", "trainer", "street_admin", "district_admin",
                                                      "superuser"}),
    "me/notifications/<int:notification_id>/": row({"trainee"}),
    "quizzes/attempts/<int:attempt_id>/": row({"trainee"}),
    # POST-only actions: a GET is not served to anyone
    "me/notifications/read-all/": row(set(), **{r: "405" for r in SIGNED_IN}),
    "me/notifications/email/": row(set(), **{r: "405" for r in SIGNED_IN}),
    "me/tokens/<int:token_id>/revoke/": row(set(), **{r: "405" for r in SIGNED_IN}),
    "me/courses/<int:course_id>/enrollment/": row(set(), **{r: "405" for r in SIGNED_IN}),
    "admin/logout/": row(set(), **{r: "405" for r in EVERYONE}),
    "admin/failwhale/": row(set(), anonymous="deny"),
    # the admin: trainers and reviewers edit content; organisation administrators see their subtree
    "admin/reports/site-history/": row(STAFF), "admin/reports/site-history/results/": row(STAFF),
    "admin/reports/training-class/": row(ORG_ADMINS), "admin/reports/training-class/results/": row(ORG_ADMINS),
    "admin/reports/courses/": row(ORG_ADMINS), "admin/reports/courses/results/": row(ORG_ADMINS),
    "admin/reports/hours-ranking/": row(ORG_ADMINS), "admin/reports/hours-ranking/results/": row(ORG_ADMINS),
    "admin/reports/quizzes/": row(ORG_ADMINS), "admin/reports/quizzes/results/": row(ORG_ADMINS),
    "admin/calendar/": row({"superuser"}), "admin/calendar/<int:year>/": row({"superuser"}),
    "admin/calendar/<int:year>/unconfirm/": row(set(), **{r: "405" for r in STAFF}),
    "admin/trainee-import/": row(ORG_ADMINS), "admin/trainee-import/template.xlsx": row(ORG_ADMINS),
    "admin/trainee-import/confirm/": row(set(), **{r: "405" for r in STAFF}),
    "admin/journals/": row({"trainer", "reviewer", *ORG_ADMINS}),
    "admin/journals/<int:entry_id>/review/": row(set(), **{r: "405" for r in STAFF}),
    "admin/certificates/": row(ORG_ADMINS),
    "admin/certificates/<int:certificate_id>/revoke/": row({"street_admin", "district_admin", "superuser"}),
    # reviewers hold the same question-bank permissions as trainers (devtools.demo.people)
    "admin/assessments/import/": row({"trainer", "reviewer", "superuser"}),
    "admin/assessments/import/template.xlsx": row({"trainer", "reviewer", "superuser"}),
    "admin/assessments/import/confirm/": row(set(), **{r: "405" for r in STAFF}),
    "admin/assessments/banks/<int:bank_id>/export.xlsx": row({"trainer", "reviewer", "superuser"}),
    "admin/assessments/stats/": row({"trainer", "reviewer", *ORG_ADMINS}),
    "admin/assessments/quizzes/<int:quiz_id>/stats/": row({"trainer", "reviewer", *ORG_ADMINS}),
    "admin/assessments/quizzes/<int:quiz_id>/stats.xlsx": row({"trainer", "reviewer", *ORG_ADMINS}),
    "admin/assessments/banks/": row({"trainer", "reviewer", "superuser"}),
    "admin/assessments/banks/results/": row({"trainer", "reviewer", "superuser"}),
    "admin/assessments/questions/": row({"trainer", "reviewer", "superuser"}),
    "admin/assessments/questions/results/": row({"trainer", "reviewer", "superuser"}),
    "admin/assessments/quizzes/": row({"trainer", "reviewer", "superuser"}),
    "admin/assessments/quizzes/results/": row({"trainer", "reviewer", "superuser"}),
    # the quiz builder's question chooser (segmented Chinese search): like Wagtail's own snippet choosers
    "admin/snippets/choose/assessments/question/": row(STAFF),
    "admin/snippets/choose/assessments/question/results/": row(STAFF),
    "admin/stats/": row(ORG_ADMINS),
    "admin/stats/orgs/<int:org_id>/": row({"street_admin", "district_admin", "superuser"}),
    "admin/stats/absent/": row(ORG_ADMINS),
    "admin/stats/absent/remind/": row(set(), **{r: "405" for r in STAFF}),
    "admin/trainees/": row(ORG_ADMINS), "admin/trainees/results/": row(ORG_ADMINS),
    "admin/trainees/edit/<int:pk>/": row({"street_admin", "district_admin", "superuser"}),
    "admin/trainees/history/<int:pk>/": row({"street_admin", "district_admin", "superuser"}),
    "admin/trainees/history-results/<int:pk>/": row({"street_admin", "district_admin", "superuser"}),
    "admin/trainees/usage/<int:pk>/": row({"street_admin", "district_admin", "superuser"}),
    "admin/snippets/learning/trainingclass/edit/<int:pk>/": row({"street_admin", "district_admin", "superuser"}),
    "admin/snippets/learning/trainingclass/delete/<int:pk>/": row({"superuser"}),
    "admin/snippets/learning/trainingclass/usage/<int:pk>/": row({"street_admin", "district_admin", "superuser"}),
    "admin/snippets/learning/trainingclass/history/<int:pk>/": row({"street_admin", "district_admin", "superuser"}),
    "admin/snippets/learning/trainingclass/history-results/<int:pk>/": row({"street_admin", "district_admin",
                                                                            "superuser"}),
    "admin/snippets/learning/trainingclass/copy/<int:pk>/": row({"street_admin", "district_admin", "superuser"}),
    # the chooser answers every admin user, listing only the classes they may edit (none for trainers)
    "admin/snippets/choose/learning/trainingclass/": row(STAFF),
    "admin/snippets/choose/learning/trainingclass/results/": row(STAFF),
    "admin/snippets/choose/learning/trainingclass/chosen/<str:pk>/": row({"street_admin", "district_admin",
                                                                         "superuser"}),
    # classroom: a trainee's sessions, 签到, calendar feed and 评教 (the session and course are `trainee`'s)
    "classroom/": row(SIGNED_IN),
    "classroom/sessions/<int:session_id>/signup/": row(set(), **{r: "405" for r in SIGNED_IN}),
    "classroom/sessions/<int:session_id>/evaluate/": row({"trainee"}),  # attended it; nobody else did
    "classroom/courses/<int:course_id>/evaluate/": row({"trainee"}),  # completed it
    "classroom/checkin/": row(SIGNED_IN),
    # a fresh QR token of the class's current session: its member checks in, anyone else is refused, a
    # visitor is sent to the login (the scan is remembered)
    "classroom/checkin/<str:token>/": row({"trainee"}),
    "classroom/calendar/": row(SIGNED_IN),
    "classroom/calendar/revoke/": row(set(), **{r: "405" for r in SIGNED_IN}),
    "classroom/calendar/<str:feed_token>.ics": row(EVERYONE),  # the token is the credential (no cookie)
    # classroom: running a session
    "classroom/teach/": row({"trainer", *ORG_ADMINS}),
    "classroom/teach/sessions/<int:session_id>/": row(SESSION_RUNNERS),
    "classroom/teach/sessions/<int:session_id>/checkin/": row(SESSION_RUNNERS),
    "classroom/teach/sessions/<int:session_id>/checkin/code.json": row(SESSION_RUNNERS),
    "classroom/teach/sessions/<int:session_id>/checkin/open/": row(set(), **{r: "405" for r in SIGNED_IN}),
    "classroom/teach/sessions/<int:session_id>/checkin/close/": row(set(), **{r: "405" for r in SIGNED_IN}),
    "classroom/teach/sessions/<int:session_id>/mark/": row(set(), **{r: "405" for r in SIGNED_IN}),
    # classroom in the admin: reports for trainers and administrators (rows limited to the scope)
    "admin/classroom/attendance/": row({"trainer", *ORG_ADMINS}),
    "admin/classroom/attendance/results/": row({"trainer", *ORG_ADMINS}),
    "admin/classroom/attendance-by-class/": row({"trainer", *ORG_ADMINS}),
    "admin/classroom/attendance-by-class/results/": row({"trainer", *ORG_ADMINS}),
    "admin/classroom/evaluations/": row({"trainer", *ORG_ADMINS}),
    "admin/classroom/evaluations/<str:kind>/<int:object_id>/": row(SESSION_RUNNERS),  # its trainer; the scope
    "admin/snippets/classroom/trainingsession/edit/<int:pk>/": row({"street_admin", "district_admin", "superuser"}),
    "admin/snippets/classroom/trainingsession/delete/<int:pk>/": row({"street_admin", "district_admin", "superuser"}),
    "admin/snippets/classroom/trainingsession/usage/<int:pk>/": row({"street_admin", "district_admin", "superuser"}),
    "admin/snippets/classroom/trainingsession/history/<int:pk>/": row({"street_admin", "district_admin", "superuser"}),
    "admin/snippets/classroom/trainingsession/history-results/<int:pk>/": row({"street_admin", "district_admin",
                                                                               "superuser"}),
    "admin/snippets/classroom/trainingsession/copy/<int:pk>/": row({"street_admin", "district_admin", "superuser"}),
    "admin/snippets/choose/classroom/trainingsession/": row(STAFF),
    "admin/snippets/choose/classroom/trainingsession/results/": row(STAFF),
    "admin/snippets/choose/classroom/trainingsession/chosen/<str:pk>/": row({"street_admin", "district_admin",
                                                                            "superuser"}),
}

API = {
    "GET /api/v1/daily/today": row(SIGNED_IN),
    "GET /api/v1/me/summary": row(SIGNED_IN),
    "GET /api/v1/me/enrollments": row(SIGNED_IN),
    "GET /api/v1/me/ledger": row(SIGNED_IN),
    "GET /api/v1/lessons/{lesson_id}/progress": row(SIGNED_IN),
    "GET /api/v1/attempts/{attempt_id}": row({"trainee"}),
    "PUT /api/v1/attempts/{attempt_id}/answers": row({"trainee"}),
    "GET /api/v1/stats/orgs/{org_id}": row({"street_admin", "district_admin", "superuser"}),
    "GET /api/v1/stats/orgs/{org_id}/absent": row({"street_admin", "district_admin", "superuser"}),
    # writes that change the caller's own state only (their own enrollment, beat, attempt): tried by the
    # API's own tests; here only that a visitor without a session is refused
    "POST /api/v1/courses/{course_id}/enroll": row(SIGNED_IN, write=True),
    "DELETE /api/v1/courses/{course_id}/enroll": row(SIGNED_IN, write=True),
    "POST /api/v1/lessons/{lesson_id}/heartbeat": row(SIGNED_IN, write=True),
    "POST /api/v1/quizzes/{quiz_id}/attempts": row(SIGNED_IN, write=True),
    "POST /api/v1/attempts/{attempt_id}/submit": row({"trainee"}, write=True),
}


def _patterns(resolver=None, prefix=""):
    for pattern in (resolver or get_resolver()).url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from _patterns(pattern, route)
        elif isinstance(pattern, URLPattern):
            callback = pattern.callback
            module = getattr(getattr(callback, "view_class", callback), "__module__", "") or ""
            yield route, module


def _ours(route: str, module: str) -> bool:
    if route.startswith(("api/v1/", "^media/", "admin/test404/")):
        return False  # the API is checked operation by operation below; media are files
    return module.startswith(OUR_APPS) or route in PAGES


@pytest.fixture
def world():
    """Other people's objects, with real ids: each belongs to `trainee` (红旗街道, 朝阳区)."""
    sibling_street = Organization.objects.get(code="22010402")
    sibling = User.objects.create_user("sibling_admin", password="demo12345")
    sibling.groups.add(Group.objects.get(name="组织管理员"))
    OrgAdminRole.objects.create(user=sibling, organization=sibling_street)
    trainee = User.objects.get(username="trainee")
    lesson = LessonPage.objects.live().first()
    certificate = certificate_issue(user=trainee, kind="course", object_id=lesson.pk, title="测试证书",
                                    credit_hours=Decimal("1"), issued_on=dt.date(2026, 11, 24))
    entry = journal_create(user=trainee, page=lesson, body="今天学习了楼道议事会的做法，很有收获，准备试一试。")
    quiz = Quiz.objects.first()
    from assessments.services import attempt_start

    attempt = attempt_start(user=trainee, quiz=quiz)
    notification = Notification.objects.filter(user=trainee).first() or Notification.objects.create(
        user=trainee, kind="daily_out", reason="matrix", title="测试通知")
    session, current, window = _classroom_world(trainee)
    course_id = CoursePage.objects.live().first().pk
    Enrollment.objects.update_or_create(user=trainee, course_id=course_id,
                                        defaults={"source": Enrollment.Source.SELF, "completed_at": timezone.now()})
    return {
        "session_id": session.pk, "kind": "session", "object_id": session.pk,
        "token": FreshCheckinToken(current.pk, window.pk),
        "feed_token": classroom_services.calendar_feed_create(user=trainee),
        "slug": DailyLessonPage.objects.live().first().slug, "code": certificate.code, "page_id": lesson.pk,
        "quiz_id": quiz.pk, "user_id": trainee.pk, "certificate_id": certificate.pk,
        "notification_id": notification.pk, "attempt_id": attempt.pk, "token_id": 1,
        "course_id": course_id, "year": 2027, "entry_id": entry.pk,
        "bank_id": QuestionBank.objects.order_by("pk").first().pk,  # a real one (ids differ after a flush)
        "org_id": trainee.profile.organization.pk, "pk": TraineeProfile.objects.get(user=trainee).pk,
        "lesson_id": lesson.pk, "class_pk": TrainingClass.objects.get(member_organizations__code="22010401").pk,
    }


class FreshCheckinToken:
    """A check-in token minted when the URL is built: a token lives 30 seconds, the matrix runs longer."""

    def __init__(self, session_id: int, window_id: int):
        self.session_id, self.window_id = session_id, window_id

    def __str__(self):
        return classroom_checkin.mint_token(session_id=self.session_id, window_id=self.window_id)


def _classroom_world(trainee):
    """A session of `trainee`'s class that ended yesterday (they attended), and one under way with check-in open."""
    training_class = TrainingClass.objects.get(member_organizations__code="22010401")
    trainer, now = User.objects.get(username="trainer"), timezone.now()
    common = {"training_class": training_class, "trainer": trainer, "address": "红旗街道党群服务中心"}
    past = TrainingSession.objects.create(title="矩阵面授课", starts_at=now - dt.timedelta(days=1),
                                          ends_at=now - dt.timedelta(days=1) + dt.timedelta(hours=2), **common)
    Attendance.objects.create(session=past, user=trainee, status="present", method="manual")
    current = TrainingSession.objects.create(title="矩阵现场教学", starts_at=now - dt.timedelta(minutes=10),
                                             ends_at=now + dt.timedelta(hours=2), **common)
    window = CheckinWindow.objects.create(session=current, opened_by=trainer, opened_at=now)
    return past, current, window


def _url(route: str, ids: dict) -> str:
    import re

    if route.startswith(("admin/snippets/classroom/", "admin/snippets/choose/classroom/")):
        ids = {**ids, "pk": ids["session_id"]}
    elif route.startswith("admin/snippets/"):
        ids = {**ids, "pk": ids["class_pk"]}

    def value(match):
        return str(ids[match.group(2)])

    return "/" + re.sub(r"<(?:(\w+):)?(\w+)>", value, route)


def _outcome(response) -> str:
    if response.status_code == 405:
        return "405"
    if response.status_code == 401 or (response.status_code in (301, 302)
                                        and response["Location"].startswith(LOGIN_PAGES)):
        return "login"
    if response.status_code == 302 and response["Location"] == "/admin/":
        return "deny"  # Wagtail's "permission denied": back to the admin home with a message
    if response.status_code in (403, 404):
        return "deny"
    if response.status_code < 400 or response.status_code == 503:  # /healthz may be 503 on a fresh database
        return "ok"
    return f"error {response.status_code}"


def _clients() -> dict:
    clients = {"anonymous": Client()}
    for role, username in USERNAMES.items():
        clients[role] = Client()
        clients[role].force_login(User.objects.get(username=username))
    return clients


def _expected(rule: dict, role: str) -> str:
    if role in rule:
        return rule[role]
    if role in rule["ok"]:
        return "ok"
    return "login" if role == "anonymous" else "deny"


def test_every_page_of_ours_has_a_row_and_every_role_gets_what_its_row_says(world):
    ours = sorted({route for route, module in _patterns() if _ours(route, module)})
    missing = [route for route in ours if route not in PAGES]
    assert missing == [], f"URL patterns without a row in the permission matrix: {missing}"
    clients, wrong, tried = _clients(), [], 0
    for route in ours:
        url = _url(route, world)
        for role in ROLES:
            got, want = _outcome(clients[role].get(url)), _expected(PAGES[route], role)
            tried += 1
            if got != want and not (want == "deny" and got == "login" and role == "anonymous"):
                wrong.append(f"{role} GET {url}: {got}, expected {want}")
    report(f"permission matrix: {len(ours)} page patterns × {len(ROLES)} roles = {tried} requests")
    assert wrong == []


def test_every_api_operation_has_a_row_and_every_role_gets_what_its_row_says(world):
    schema = api.get_openapi_schema()
    operations = sorted(f"{method.upper()} {path}" for path, ops in schema["paths"].items() for method in ops)
    missing = [op for op in operations if op not in API]
    assert missing == [], f"API operations without a row in the permission matrix: {missing}"
    clients, wrong, tried = _clients(), [], 0
    for operation in operations:
        method, path = operation.split(" ", 1)
        url = path.format(**world)
        rule = API[operation]
        for role in (["anonymous"] if rule.get("write") else ROLES):
            body = {"answers": {}} if method == "PUT" else None
            response = getattr(clients[role], method.lower())(url, body, content_type="application/json")
            got, want = _outcome(response), _expected(rule, role)
            tried += 1
            if got != want:
                wrong.append(f"{role} {method} {url}: {got}, expected {want}")
    report(f"permission matrix: {len(operations)} API operations, {tried} requests")
    assert wrong == []


@pytest.mark.parametrize("url", ["/admin/pages/", "/admin/images/", "/admin/documents/", "/admin/users/",
                                 "/admin/groups/", "/admin/reports/locked/", "/django-admin/", "/django-admin/auth/user/"])
def test_third_party_admin_pages_send_visitors_to_the_login_and_refuse_trainees(url):
    assert _outcome(Client().get(url)) == "login", url
    trainee = Client()
    trainee.force_login(User.objects.get(username="trainee"))
    assert _outcome(trainee.get(url)) in ("deny", "login"), url


def test_no_response_to_a_trainee_carries_another_persons_phone_number(world):
    trainee = _clients()["trainee"]
    phones = set(TraineeProfile.objects.exclude(user__username="trainee").exclude(phone=None)
                 .values_list("phone", flat=True))
    pages = [_url(route, world) for route, rule in PAGES.items() if "trainee" in rule["ok"]]
    apis = [op.split(" ", 1)[1].format(**world) for op, rule in API.items()
            if op.startswith("GET ") and "trainee" in rule["ok"]]
    leaked = {url: [p for p in phones if p in trainee.get(url).content.decode(errors="ignore")]
              for url in pages + apis}
    assert {url: found for url, found in leaked.items() if found} == {}
