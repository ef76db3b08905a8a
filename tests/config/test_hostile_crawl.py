"""Hostile data (issue 15): script, template and formula payloads are planted in the texts trainees,
trainers and administrators write — names, organisations, classes, journals, questions, page titles —
then every page each role may open is loaded in Chromium. No payload may run (no dialog, no injected
element, whatever the Content-Security-Policy says: the contexts bypass it, so escaping alone is
tested), template syntax shows literally, no page requests another host (the policy does not hide one
here either), and every cell of every export the admin roles reach is inert.

The pages are derived from the permission matrix (every URL pattern of ours, with real ids; a role loads
the GET pages its row says it may open), plus the Wagtail-served pages and a handful of Wagtail's admin.
"""

import html
import re
import time
from urllib.parse import quote, urlsplit

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.core.management import call_command
from django.urls import reverse

from assessments.models import Attempt, Question, QuestionBank, Quiz
from certificates.models import Certificate
from cms.models import CasePage, CourseIndexPage, CoursePage, DailyLessonPage, LessonPage, Trainer
from core.api import inert_text
from learning.models import JournalEntry, TrainingClass
from learning.services import journal_create, journal_review
from notifications.models import Notification
from orgs.api import Organization, TraineeProfile
from tests.config.test_permission_matrix import (
    PAGES,
    USERNAMES,
    _ours,
    _outcome,
    _patterns,
    _url,
    world,  # noqa: F401 — a fixture, requested by name
)
from tests.core.test_exports_inert import (
    PAYLOADS,
    STREET,
    _csv_cells,
    _exports,
    _xlsx_cells,
    on_a_workday,  # noqa: F401 — a fixture, requested mid-test
)
from tests.helpers import login, report

pytestmark = [pytest.mark.browser, pytest.mark.dateless, pytest.mark.django_db(transaction=True)]

ROLES = ["trainee", "trainer", "street_admin", "superuser"]
ADMIN_ROLES = ROLES[1:]
IMG, SCRIPT, SVG = "<img src=x onerror=alert(1)>", "<script>alert(1)</script>", '"><svg onload=alert(1)>'
SVG_SQ, TEXTAREA, TITLE = "'><svg onload=alert(1)>", "</textarea><script>alert(1)</script>", "</title><svg onload=alert(1)>"
# Template syntax behind a marker: rendered, "SSTI{{ 7*7 }}" would read "SSTI49", "SSTI{% debug %}" a context dump.
SUM, DEBUG = "SSTI{{ 7*7 }}", "SSTI{% debug %}"
HYPERLINK, PLUS, MINUS, AT = PAYLOADS[:4]  # '=HYPERLINK("http://evil.example/","点我")', "+1+1", "-2+3", "@SUM(1)"
MARKUP = (IMG, SCRIPT, SVG, SVG_SQ, TEXTAREA, TITLE)
ALL = (*MARKUP, SUM, DEBUG, HYPERLINK, PLUS, MINUS, AT)
RENDERED_TEMPLATE = re.compile(r"SSTI(?!\{\{ 7\*7 \}\}|\{% debug %\})")
# a certificate PDF and a calendar feed (.ics) hold no cells
DOWNLOADS, SPREADSHEETS = (".pdf", ".xlsx", ".csv", ".ics"), (".xlsx", ".csv")
NUMBER = re.compile(r"-?\d+(\.\d+)?%?")  # "-2" in a CSV is a number to a spreadsheet, not a formula

# Elements a payload would have created: an event handler that calls alert, or a script that is only alert.
INJECTED_JS = """() => {
  const found = [];
  for (const el of document.querySelectorAll("*")) {
    for (const attr of el.attributes) {
      if (attr.name.startsWith("on") && attr.value.includes("alert(1)")) found.push(el.outerHTML.slice(0, 120));
    }
  }
  for (const s of document.scripts) if (s.text.trim() === "alert(1)") found.push(s.outerHTML.slice(0, 120));
  return found;
}"""
HREF = re.compile(r'href="([^"]+)"')  # from the source: Wagtail keeps its export buttons in a <template>


@pytest.fixture
def demo_college():
    call_command("load_demo_data", "--skip-index", verbosity=0)


def _publish(page, **fields):
    for name, value in fields.items():
        setattr(page, name, value)
    page.save_revision().publish()  # the editor opens the latest revision: it must carry the payload too


@pytest.fixture
def hostile(demo_college, request):
    """The matrix's world (real ids of `trainee`'s objects) with payloads written into it:
    (ids, {place: payload})."""
    ids, places = request.getfixturevalue("world"), {}

    def plant(place, payload):
        places[place] = payload
        return payload

    trainee = User.objects.get(username="trainee")
    User.objects.filter(pk=trainee.pk).update(first_name=plant("学员 first_name", SCRIPT),
                                              last_name=plant("学员 last_name", SUM))
    street_profiles = list(TraineeProfile.objects.filter(organization__path__startswith=Organization.objects.get(
        code=STREET).path).exclude(user=trainee).order_by("pk")[:6])
    TraineeProfile.objects.filter(user=trainee).update(real_name=plant("学员档案 real_name", IMG))
    for number, (profile, payload) in enumerate(zip(street_profiles, (SVG, DEBUG, HYPERLINK, PLUS, MINUS, AT),
                                                    strict=True), start=1):
        profile.real_name = plant(f"学员档案 real_name #{number}", payload)
    TraineeProfile.objects.bulk_update(street_profiles, ["real_name"])
    community = trainee.profile.organization
    Organization.objects.filter(pk=community.pk).update(name=plant("组织 name", SVG_SQ))
    if community.code != STREET:
        Organization.objects.filter(code=STREET).update(name=plant("街道 name", PLUS))
    TrainingClass.objects.filter(pk=ids["class_pk"]).update(name=plant("培训班 name", TEXTAREA))

    lesson = LessonPage.objects.get(pk=ids["lesson_id"])
    _publish(lesson, title=plant("课时 title", TITLE), transcript=plant("课时 transcript", f"{SUM}\n{SCRIPT}"))
    _publish(CoursePage.objects.get(pk=ids["course_id"]), title=plant("课程 title", HYPERLINK),
             summary=plant("课程 summary", IMG))
    case = CasePage.objects.live().first()
    _publish(case, title=plant("案例 title", SVG), background=plant("案例 background", SCRIPT),
             organization_name=plant("案例 organization_name", DEBUG))
    _publish(DailyLessonPage.objects.live().get(slug=ids["slug"]), quote=plant("每日一课 quote", IMG),
             note=plant("每日一课 note", SUM))
    Trainer.objects.filter(pk=Trainer.objects.order_by("pk").values("pk")[:1]).update(
        name=plant("导师 name", SCRIPT), bio=plant("导师 bio", SVG))

    quiz = Quiz.objects.get(pk=ids["quiz_id"])
    Quiz.objects.filter(pk=quiz.pk).update(title=plant("测验 title", AT))
    paper = [item["id"] for item in Attempt.objects.get(pk=ids["attempt_id"]).paper]  # the trainee's open paper
    questions = list(Question.objects.filter(pk__in=paper[:2]).order_by("pk"))
    Question.objects.filter(pk=questions[0].pk).update(
        stem=plant("题干", SCRIPT), option_a=plant("选项A", IMG), option_b=plant("选项B", SVG),
        option_c=plant("选项C", SUM), option_d=plant("选项D", HYPERLINK), explanation=plant("解析", DEBUG))
    Question.objects.filter(pk=questions[-1].pk).update(stem=plant("题干 #2", HYPERLINK))
    ids["question_ids"] = [question.pk for question in questions]
    QuestionBank.objects.filter(pk=questions[0].bank_id).update(name=plant("题库 name", MINUS),
                                                               description=plant("题库 description", SVG_SQ))

    # Journals: the service refuses markup, so the template and formula payloads go through it, and a
    # marked-up body is written the way an older row or a direct database edit would carry one.
    padding = "今天学习了楼道议事会的做法，很有收获。"
    journal_create(user=trainee, page=lesson, body=plant("学习日志 body", f"{SUM} {DEBUG} {HYPERLINK} {padding}"))
    marked_up = journal_create(user=trainee, page=lesson, body=f"{padding}准备在小区里试一试。")
    journal_review(reviewer=User.objects.get(username="trainer"), entry=marked_up, grade="good",
                   comment=plant("日志评语 comment", f"{SUM} 写得很好"))
    JournalEntry.objects.filter(pk=marked_up.pk).update(body=plant("学习日志 body (markup)", f"{IMG}\n{SCRIPT}"))
    Certificate.objects.filter(pk=ids["certificate_id"]).update(title=plant("证书 title", SVG),
                                                                  holder_name=plant("证书 holder_name", IMG))
    Notification.objects.filter(pk=ids["notification_id"]).update(title=plant("通知 title", SCRIPT),
                                                                    body=plant("通知 body", SUM))
    return ids, places


def _matrix_urls(role: str, ids: dict) -> list[str]:
    routes = sorted({route for route, module in _patterns() if _ours(route, module)})
    return [_url(route, ids) for route in routes if role in PAGES[route]["ok"]]


def _extra_urls(ids: dict) -> list[str]:
    """Wagtail-served pages and some of Wagtail's own admin, with payloads echoed through search boxes."""
    lesson = LessonPage.objects.get(pk=ids["lesson_id"])
    pages = [lesson, CoursePage.objects.get(pk=ids["course_id"]), CasePage.objects.live().first()]
    return [
        "/", *[page.url for page in pages], f"/search/?q={quote(SCRIPT)}",
        reverse("wagtailadmin_home"), reverse("wagtailadmin_explore", args=[CourseIndexPage.objects.first().pk]),
        reverse("wagtailadmin_explore", args=[lesson.get_parent().pk]),
        reverse("wagtailadmin_pages:edit", args=[lesson.pk]), reverse("wagtailadmin_pages:edit", args=[pages[2].pk]),
        reverse("wagtailadmin_pages:search") + f"?q={quote(IMG)}",
        reverse("wagtailsnippets_learning_trainingclass:list"), reverse("wagtailsnippets_cms_trainer:list"),
        reverse("wagtailsnippets_assessments_question:edit", args=[min(ids["question_ids"])]),
        reverse("wagtailusers_users:index"),
        *[reverse(f"wagtailadmin_reports:{name}") for name in ("locked_pages", "aging_pages", "workflow",
                                                                "workflow_tasks", "page_types_usage")],
    ]


def _role_urls(role: str, client, ids: dict) -> tuple[list[str], list[str]]:
    """(pages to load in the browser, download links) for `role`: the matrix's "ok" rows and the
    extra pages this role's client is served."""
    urls = _matrix_urls(role, ids) + [url for url in _extra_urls(ids) if _outcome(client.get(url)) == "ok"]
    urls = list(dict.fromkeys(urls))
    pages = [url for url in urls if not urlsplit(url).path.endswith(DOWNLOADS)]
    return pages, [url for url in urls if urlsplit(url).path.endswith(SPREADSHEETS)]


class Crawl:
    def __init__(self, base_url: str):
        self.base_url, self.loads = base_url, 0
        self.problems, self.dialogs, self.seen = [], [], {}
        self.exports = {role: set() for role in ADMIN_ROLES}

    def run(self, browser, role: str, client, urls: list[str]):
        context = browser.new_context(bypass_csp=True, base_url=self.base_url, service_workers="block")
        context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "url": self.base_url,
                              "value": client.cookies[settings.SESSION_COOKIE_NAME].value}])
        page = context.new_page()

        def on_dialog(dialog):
            self.dialogs.append(f"{role} {page.url}: {dialog.type} {dialog.message!r}")
            dialog.dismiss()

        def on_request(request):  # the CSP is bypassed here, so a request to another host would really leave
            if request.url.startswith("http") and urlsplit(request.url).hostname not in ("127.0.0.1", "localhost"):
                self.problems.append(f"{role} {page.url}: requests another host: {request.url}")

        page.on("dialog", on_dialog)
        page.on("request", on_request)
        for url in urls:
            self.check(role, url, page, page.goto(url, wait_until="load"))
        context.close()

    def check(self, role, url, page, response):
        self.loads += 1
        where = f"{role} GET {url}"
        if response is None or (response.status >= 400 and response.status != 503):
            self.problems.append(f"{where}: status {response and response.status}")
            return
        if urlsplit(page.url).path.startswith("/accounts/login/"):
            self.problems.append(f"{where}: sent to the login page")
            return
        source = response.text() if response.headers.get("content-type", "").startswith("text/html") else ""
        text = page.evaluate("document.body ? document.body.innerText : ''")
        self.problems += [f"{where}: injected {element}" for element in page.evaluate(INJECTED_JS)]
        self.problems += [f"{where}: markup unescaped in the HTML: {p}" for p in MARKUP if p in source]
        if RENDERED_TEMPLATE.search(text):
            self.problems.append(f"{where}: template rendered: {text[RENDERED_TEMPLATE.search(text).start():][:60]!r}")
        for payload in ALL:
            if payload in text:
                self.seen[payload] = self.seen.get(payload, 0) + 1
        if role in self.exports:
            hrefs = {html.unescape(href) for href in HREF.findall(source)}
            self.exports[role] |= {href for href in hrefs if href.startswith("/")
                                   and ("export=" in href or urlsplit(href).path.endswith(SPREADSHEETS))}


def _export_cells(response) -> tuple[list, list]:
    """(every cell, the live ones): CSV text a spreadsheet would evaluate, or an XLSX formula cell."""
    if response["Content-Type"].startswith("text/csv"):
        cells = _csv_cells(response)
        return cells, [c for c in cells if inert_text(c) != c and not NUMBER.fullmatch(c)]
    cells = _xlsx_cells(b"".join(response.streaming_content) if response.streaming else response.content)
    return [c.value for c in cells], [c.coordinate for c in cells if c.data_type == "f"]


def test_no_planted_payload_runs_on_any_page_and_every_export_cell_is_inert(live_server, browser, hostile, request):
    ids, places = hostile
    started = time.monotonic()
    clients = {role: login(USERNAMES[role]) for role in ROLES}
    crawl = Crawl(live_server.url)
    for role in ROLES:
        pages, downloads = _role_urls(role, clients[role], ids)
        crawl.run(browser, role, clients[role], pages)
        if role in crawl.exports:
            crawl.exports[role] |= set(downloads)
    crawl_seconds = time.monotonic() - started

    # The exports on a workday with today's lesson out (今日未学 lists people only then), with the
    # export suite's filtered links (a class's report) besides the ones the pages offer.
    request.getfixturevalue("on_a_workday")
    known = [url + export for url in _exports().values() for export in ("export=csv", "export=xlsx")]
    exports = sorted({(role, url) for role, urls in crawl.exports.items() for url in urls}
                     | {("street_admin", url) for url in known})
    cells, live, formulas_seen = 0, [], set()
    for role, url in exports:
        response = clients[role].get(url)
        assert response.status_code == 200, f"{role} GET {url}: {response.status_code}"
        values, live_cells = _export_cells(response)
        cells += len(values)
        live += [f"{role} {url}: {cell}" for cell in live_cells]
        formulas_seen |= {p for p in (HYPERLINK, PLUS, MINUS, AT) if p in values or "'" + p in values}

    payloads = [p for p in ALL if any(p in value for value in places.values())]
    report(f"hostile crawl: {crawl.loads} page loads ({len(ROLES)} roles), {len(payloads)} payloads planted "
           f"in {len(places)} places, {len(crawl.dialogs)} dialogs; {len(exports)} exports, "
           f"{cells - len(live):,} cells inert (crawl {crawl_seconds:.0f} s)")
    assert crawl.dialogs == []
    assert crawl.problems == [], "\n".join(crawl.problems)
    unseen = [p for p in ALL if p not in crawl.seen]
    assert unseen == [], f"payloads no page showed literally: {unseen}"
    assert live == [], "\n".join(live)
    assert formulas_seen == {HYPERLINK, PLUS, MINUS, AT}, "a planted formula reached no export"
