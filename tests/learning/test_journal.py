"""个人日志: trainees write plain-text entries on content pages; trainers and scoped administrators grade
them; an approved entry is credited to the ledger once and the trainee is told."""

import re
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.test import Client

from cms.models import CasePage, CourseIndexPage, CoursePage, DailyLessonPage, LessonPage
from learning.models import JournalEntry, JournalReview, LedgerEntry, TrainingClass
from learning.services import JournalError, journal_create, journal_review
from notifications.models import Notification
from orgs.api import Organization
from tests.helpers import login

pytestmark = pytest.mark.django_db

BODY = "今天学习了党建引领物业服务的做法，准备在小区议事会上推广“红心物业”的经验。"
STREET = "22010401"  # 红旗街道: street_admin's scope, the demo class's members
NANHU = "22010402"  # 南湖街道: same district (district_admin), another street


def user(username):
    return User.objects.get(username=username)


def trainee_in(code, exclude=()):
    root = Organization.objects.get(code=code)
    return (User.objects.filter(profile__organization__path__startswith=root.path)
            .exclude(username__in=exclude).order_by("username").first())


@pytest.fixture
def lesson():
    return LessonPage.objects.live().first()


@pytest.fixture
def entry(lesson):
    return journal_create(user=user("trainee"), page=lesson, body=BODY)


def test_a_trainee_writes_an_entry_from_the_page_and_finds_it_on_me_journal(lesson):
    client = login("trainee")
    page_html = client.get(lesson.url).content.decode()
    assert f'action="/me/journal/new/{lesson.pk}/"' in page_html

    response = client.post(f"/me/journal/new/{lesson.pk}/", {"body": f"  {BODY}\r\n\r\n第二段：联系实际。  "})
    assert response.status_code == 302 and response["Location"] == lesson.url + "#journal"
    entry = JournalEntry.objects.get(user=user("trainee"))
    assert entry.page_id == lesson.pk and entry.body == f"{BODY}\n\n第二段：联系实际。"

    followed = client.get(lesson.url).content.decode()
    assert "学习日志已提交" in followed and "待评价" in followed
    mine = client.get("/me/journal/").content.decode()
    assert BODY in mine and lesson.title in mine
    assert BODY not in login("trainee01").get("/me/journal/").content.decode()


@pytest.mark.parametrize("page_type", [DailyLessonPage, LessonPage, CasePage, CoursePage])
def test_every_content_page_type_takes_entries(page_type):
    page = page_type.objects.live().order_by("pk").first()
    if page_type is DailyLessonPage:
        from django.utils import timezone

        page = page_type.objects.live().filter(lesson_date__lte=timezone.localdate()).order_by("-lesson_date").first()
    html = login("trainee").get(page.url).content.decode()
    assert 'id="journal"' in html
    assert journal_create(user=user("trainee"), page=page, body=BODY).page_id == page.pk


@pytest.mark.parametrize(("body", "ok"), [
    ("字" * 19, False), ("字" * 20, True), ("  " + "字" * 19 + "\n", False), ("字" * 2000, True), ("字" * 2001, False),
])
def test_length_limits_count_the_stripped_text(lesson, body, ok):
    if ok:
        assert journal_create(user=user("trainee"), page=lesson, body=body).body == body.strip()
    else:
        with pytest.raises(JournalError) as error:
            journal_create(user=user("trainee"), page=lesson, body=body)
        assert error.value.code in ("too_short", "too_long") and "个字" in error.value.message
        assert not JournalEntry.objects.exists()


@pytest.mark.parametrize("markup", ["<p>一段话</p>", "<script>alert(1)</script>", '<a href="x">链接</a>', "<br/>",
                                    "<!-- 注释 -->", "<IMG SRC=x onerror=alert(1)>"])
def test_html_is_refused_with_a_chinese_message_and_nothing_is_saved(lesson, markup):
    client = login("trainee")
    response = client.post(f"/me/journal/new/{lesson.pk}/", {"body": BODY + markup}, follow=True)
    assert "不能包含 HTML 标签" in _journal_section(response.content.decode())  # next to the form
    assert not JournalEntry.objects.exists()
    # The refused text is offered again in the form, escaped, so nothing the trainee typed is lost.
    assert "今天学习了党建引领物业服务的做法" in _journal_section(response.content.decode())


def _journal_section(html: str) -> str:
    start = html.index('<section class="card journal" id="journal"')
    return html[start:html.index("</section>", start)]


def test_a_refused_entry_shows_why_under_the_text_box_and_keeps_the_text(lesson):
    """The page lands on #journal: the reason must be there, under the field, not at the top of the page."""
    client = login("trainee")
    typed = "学了，有收获。"  # too short
    response = client.post(f"/me/journal/new/{lesson.pk}/", {"body": typed})
    assert response.status_code == 302 and response["Location"] == lesson.url + "#journal"

    html = client.get(lesson.url).content.decode()
    main = html[html.index("<main"):]
    assert '<div class="notice">' not in main[:main.index('id="journal"')], "no message at the top of the page"
    form = _journal_section(html)
    textarea = re.search(r"<textarea[^>]*>([^<]*)</textarea>", form)
    assert textarea.group(1) == typed, "the typed text is offered again"
    assert 'aria-invalid="true"' in textarea.group(0)
    error = re.search(r'<p class="journal-error" id="(journal-error-\d+)" role="alert">([^<]+)</p>', form)
    assert error and "至少需要 20 个字" in error.group(2)
    assert error.group(1) in textarea.group(0), "the text box is described by its error"
    assert form.index("</textarea>") < form.index('class="journal-error"') < form.index('type="submit"')
    assert not JournalEntry.objects.exists()

    again = _journal_section(client.get(lesson.url).content.decode())
    assert "journal-error" not in again and "aria-invalid" not in again, "shown once, after the refusal"
    client.post(f"/me/journal/new/{lesson.pk}/", {"body": BODY})
    assert "journal-error" not in _journal_section(client.get(lesson.url).content.decode())


def test_plain_angle_brackets_in_prose_are_not_markup(lesson):
    body = "居民满意度<90% 的小区要重点回访，a < b 且 c > d 时优先处理，注意《条例》要求。"
    assert journal_create(user=user("trainee"), page=lesson, body=body).body == body


def test_only_live_content_pages_take_entries(lesson):
    index = CourseIndexPage.objects.first()
    with pytest.raises(JournalError) as error:
        journal_create(user=user("trainee"), page=index, body=BODY)
    assert error.value.code == "page_invalid"
    client = login("trainee")
    assert client.post(f"/me/journal/new/{index.pk}/", {"body": BODY}).status_code == 404
    lesson.unpublish()
    assert client.post(f"/me/journal/new/{lesson.pk}/", {"body": BODY}).status_code == 404
    assert client.post("/me/journal/new/999999/", {"body": BODY}).status_code == 404
    assert not JournalEntry.objects.exists()


def test_anonymous_readers_see_a_login_prompt_and_cannot_post(lesson):
    client = Client()
    html = client.get(lesson.url).content.decode()
    assert "登录后写学习日志" in html and "/me/journal/new/" not in html
    response = client.post(f"/me/journal/new/{lesson.pk}/", {"body": BODY})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not JournalEntry.objects.exists()


def test_a_double_submit_files_one_entry(lesson):
    first = journal_create(user=user("trainee"), page=lesson, body=BODY)
    assert journal_create(user=user("trainee"), page=lesson, body=BODY + "  ") == first
    assert JournalEntry.objects.count() == 1


def test_approval_credits_the_ledger_once_however_often_it_is_graded(entry):
    trainer = user("trainer")
    journal_review(reviewer=trainer, entry=entry, grade=JournalReview.Grade.GOOD, comment="结合实际，很好。")
    journal_review(reviewer=trainer, entry=entry, grade=JournalReview.Grade.GOOD, comment="结合实际，很好。")
    journal_review(reviewer=trainer, entry=entry, grade=JournalReview.Grade.EXCELLENT, comment="")
    credits = LedgerEntry.objects.filter(user=entry.user, kind=LedgerEntry.Kind.JOURNAL, object_id=entry.pk)
    assert credits.count() == 1
    assert credits.get().credit_hours == Decimal("0.25") and credits.get().points == 2
    # A later 需改进 keeps the credit: the ledger is append-only.
    journal_review(reviewer=trainer, entry=entry, grade=JournalReview.Grade.IMPROVE, comment="请补充具体做法。")
    assert credits.count() == 1
    assert JournalReview.objects.filter(entry=entry).count() == 1
    assert JournalReview.objects.get(entry=entry).grade == JournalReview.Grade.IMPROVE


def test_improve_credits_nothing_and_needs_a_comment(entry):
    with pytest.raises(JournalError) as error:
        journal_review(reviewer=user("trainer"), entry=entry, grade=JournalReview.Grade.IMPROVE, comment="  ")
    assert error.value.code == "comment_required"
    assert not JournalReview.objects.exists()
    journal_review(reviewer=user("reviewer"), entry=entry, grade=JournalReview.Grade.IMPROVE, comment="请联系工作实际。")
    assert not LedgerEntry.objects.filter(kind=LedgerEntry.Kind.JOURNAL).exists()


def test_the_trainee_is_notified_once_per_grade(entry):
    trainer = user("trainer")
    for _ in range(2):
        journal_review(reviewer=trainer, entry=entry, grade=JournalReview.Grade.PASS, comment="合格。")
    notices = Notification.objects.filter(user=entry.user, kind=Notification.Kind.JOURNAL_REVIEWED)
    assert notices.count() == 1
    assert notices.get().reason == f"journal_reviewed:{entry.pk}:pass" and "合格" in notices.get().title
    journal_review(reviewer=trainer, entry=entry, grade=JournalReview.Grade.IMPROVE, comment="请补充。")
    assert notices.count() == 2


def test_reviewers_are_trainers_or_the_authors_administrators(entry):
    with pytest.raises(JournalError):
        journal_review(reviewer=user("trainee01"), entry=entry, grade="good", comment="")
    with pytest.raises(JournalError):
        journal_review(reviewer=entry.user, entry=entry, grade="good", comment="")  # not one's own
    with pytest.raises(JournalError) as error:
        journal_review(reviewer=user("trainer"), entry=entry, grade="perfect", comment="")
    assert error.value.code == "grade_invalid"
    assert journal_review(reviewer=user("street_admin"), entry=entry, grade="good", comment="").grade == "good"


def test_a_scoped_administrator_cannot_review_another_streets_trainee(lesson):
    outsider = trainee_in(NANHU)
    entry = journal_create(user=outsider, page=lesson, body=BODY)
    client = login("street_admin")
    response = client.post(f"/admin/journals/{entry.pk}/review/", {"grade": "good", "comment": ""})
    assert response.status_code == 404
    with pytest.raises(JournalError) as error:
        journal_review(reviewer=user("street_admin"), entry=entry, grade="good", comment="")
    assert error.value.status == 404
    assert not JournalReview.objects.exists() and not LedgerEntry.objects.filter(kind="journal").exists()
    # The district above both streets may.
    response = login("district_admin").post(f"/admin/journals/{entry.pk}/review/", {"grade": "good", "comment": "好"})
    assert response.status_code == 302
    assert JournalReview.objects.get(entry=entry).reviewer == user("district_admin")


def test_the_review_form_in_the_queue_grades_and_returns_to_the_queue(entry):
    client = login("trainer")
    response = client.post(f"/admin/journals/{entry.pk}/review/",
                           {"grade": "excellent", "comment": "很有启发。", "next": "/admin/journals/?status=pending"})
    assert response.status_code == 302 and response["Location"].startswith("/admin/journals/?status=pending")
    assert JournalReview.objects.get(entry=entry).grade == "excellent"
    response = client.post(f"/admin/journals/{entry.pk}/review/", {"grade": "", "next": "https://evil.example/"})
    assert response["Location"] == "/admin/journals/"
    assert JournalReview.objects.get(entry=entry).grade == "excellent"


def _queue(client, **params):
    response = client.get("/admin/journals/", params)
    assert response.status_code == 200
    return response.content.decode()


def test_the_queue_filters_by_class_and_organisation_within_scope(lesson):
    member = user("trainee")  # 红旗街道: a member of the demo class
    nanhu = trainee_in(NANHU)
    faraway = trainee_in("2202")  # 吉林市
    entries = {u.username: journal_create(user=u, page=lesson, body=f"{BODY}（{u.username}）")
               for u in (member, nanhu, faraway)}
    training_class = TrainingClass.objects.get(member_organizations__code=STREET)
    nanhu_org = Organization.objects.get(code=NANHU)

    trainer = login("trainer")
    html = _queue(trainer)
    assert all(f'data-journal-entry="{e.pk}"' in html for e in entries.values())
    html = _queue(trainer, training_class=training_class.pk)
    assert f'data-journal-entry="{entries["trainee"].pk}"' in html
    assert f'data-journal-entry="{entries[nanhu.username].pk}"' not in html
    assert f'data-journal-entry="{entries[faraway.username].pk}"' not in html

    district = login("district_admin")
    html = _queue(district)
    assert f'data-journal-entry="{entries[faraway.username].pk}"' not in html
    html = _queue(district, organization=nanhu_org.pk)
    assert f'data-journal-entry="{entries[nanhu.username].pk}"' in html
    assert f'data-journal-entry="{entries["trainee"].pk}"' not in html

    street = login("street_admin")
    html = _queue(street)
    assert f'data-journal-entry="{entries["trainee"].pk}"' in html
    assert f'data-journal-entry="{entries[nanhu.username].pk}"' not in html
    html = _queue(street, organization=nanhu_org.pk)  # outside the scope: refused, and nothing listed
    assert "不在你的管理范围内" in html and "data-journal-entry=" not in html


def test_unreviewed_entries_come_first(lesson):
    older = journal_create(user=user("trainee"), page=lesson, body=BODY + "（一）")
    newer = journal_create(user=user("trainee"), page=lesson, body=BODY + "（二）")
    journal_review(reviewer=user("trainer"), entry=newer, grade="good", comment="")
    html = _queue(login("trainer"))
    assert html.index(f'data-journal-entry="{older.pk}"') < html.index(f'data-journal-entry="{newer.pk}"')
    assert f'data-journal-entry="{newer.pk}"' not in _queue(login("trainer"), status="pending")


def _menu_labels(username):
    from django.test import RequestFactory
    from wagtail.admin.menu import admin_menu

    request = RequestFactory().get("/admin/")
    request.user = user(username)
    return [str(item.label) for item in admin_menu.menu_items_for_request(request)]


def test_only_trainers_and_administrators_reach_the_queue():
    assert login("trainee").get("/admin/journals/").status_code == 403  # no admin access at all
    for username in ("trainer", "reviewer", "street_admin", "district_admin", "admin"):
        assert "日志评价" in _menu_labels(username), username
        assert login(username).get("/admin/journals/").status_code == 200


def test_me_journal_is_paginated_by_ten(lesson):
    trainee = user("trainee")
    for n in range(12):
        journal_create(user=trainee, page=lesson, body=f"{BODY}第 {n} 篇")
    client = login("trainee")
    first = client.get("/me/journal/")
    assert len(first.context["page_obj"].object_list) == 10
    assert len(client.get("/me/journal/", {"page": 2}).context["page_obj"].object_list) == 2
