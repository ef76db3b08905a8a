"""Question banks, questions and quizzes in the Wagtail admin (assessments.admin_views, wagtail_hooks)."""

import json

import pytest
from django.contrib.auth.models import Group, User

from assessments.models import Question, QuestionBank
from tests.assessments.factories import question_bank, quiz_on

pytestmark = pytest.mark.django_db

ADD_QUESTION = "/admin/assessments/questions/add/"


def _login(client, username):
    user = User.objects.get(username=username)
    client.force_login(user)
    return user


def _question_form(bank, **overrides):
    data = {"bank": bank.pk, "kind": "single", "difficulty": 2, "score": "1", "stem": "社区居委会每届任期几年？",
            "option_a": "三年", "option_b": "五年", "option_c": "", "option_d": "", "option_e": "", "option_f": "",
            "answer": "B", "explanation": "", "tags": "", "track": ""}
    data.update(overrides)
    return data


@pytest.mark.parametrize("group", ["培训导师", "内容审核"])
def test_trainers_and_reviewers_may_manage_banks_questions_and_quizzes(group):
    permissions = set(Group.objects.get(name=group).permissions.filter(content_type__app_label="assessments")
                      .values_list("codename", flat=True))
    assert permissions == {f"{action}_{model}" for action in ("add", "change", "delete", "view")
                           for model in ("questionbank", "question", "quiz")}


def test_a_bad_question_is_refused_in_the_admin_form_with_the_chinese_reason(client):
    _login(client, "trainer")
    bank = QuestionBank.objects.create(name="表单测试题库")
    response = client.post(ADD_QUESTION, _question_form(bank, answer="AB"))
    assert response.status_code == 200
    assert "单选题只能有一个答案" in response.content.decode()
    response = client.post(ADD_QUESTION, _question_form(bank, answer="E"))
    assert "答案 E 没有对应的选项" in response.content.decode()
    assert not Question.objects.filter(bank=bank).exists()

    response = client.post(ADD_QUESTION, _question_form(bank))
    assert response.status_code == 302
    assert Question.objects.get(bank=bank).answer == "B"


def test_the_menu_and_listings_for_a_trainer(client):
    _login(client, "trainer")
    bank, questions = question_bank("列表测试题库")
    quiz = quiz_on(_a_page(), questions)
    assert {"测验与题库", "测验统计"} <= _menu_labels(client)

    banks = client.get("/admin/assessments/banks/").content.decode()
    assert f"/admin/assessments/banks/{bank.pk}/export.xlsx" in banks
    assert f"/admin/assessments/import/?bank={bank.pk}" in banks

    listing = client.get(f"/admin/assessments/questions/?bank={bank.pk}&kind=single&difficulty=2")
    assert listing.status_code == 200
    page = listing.content.decode()
    assert questions[0].stem[:20] in page and questions[1].stem[:20] not in page  # filtered to 单选
    found = client.get("/admin/assessments/questions/?q=每日一课包含").content.decode()
    assert questions[1].stem[:10] in found and questions[0].stem[:10] not in found

    quizzes = client.get("/admin/assessments/quizzes/").content.decode()
    assert f"/admin/assessments/quizzes/{quiz.pk}/stats/" in quizzes
    assert client.get(f"/admin/assessments/quizzes/edit/{quiz.pk}/").status_code == 200


def test_organisation_administrators_do_not_edit_questions(client):
    _login(client, "street_admin")
    response = client.get("/admin/assessments/questions/")
    assert response.status_code == 302  # Wagtail: "Sorry, you do not have permission…", back to the dashboard
    labels = _menu_labels(client)
    assert "测验与题库" not in labels and "测验统计" in labels


def _menu_labels(client) -> set[str]:
    """Labels in the admin sidebar (rendered as JSON props, so compare after decoding)."""
    html = client.get("/admin/").content.decode()
    return {label for label in ("测验与题库", "测验统计") if json.dumps(label)[1:-1] in html or label in html}


def _a_page():
    from wagtail.models import Page

    return Page.objects.filter(depth__gt=2).live().order_by("id").first()



def test_the_question_chooser_finds_chinese_words_inside_longer_text(client):
    """The quiz builder's question chooser searches segmented words (cms.search): 网格 inside 社区网格员,
    居民 inside 小区居民议事会 — the plain index sees each run of Chinese characters as one token."""
    _login(client, "trainer")
    bank = QuestionBank.objects.create(name="选择器搜索题库")
    grid = Question.objects.create(bank=bank, kind="truefalse", answer="对",
                                   stem="社区网格员发现独居老人连续两天没有出门，应当立即上门查看。")
    residents = Question.objects.create(bank=bank, kind="single", option_a="居委会", option_b="物业公司",
                                        answer="A", stem="小区居民议事会的议题一般由谁来征集？")
    chosen = "/admin/snippets/choose/assessments/question/chosen/{}/"

    def found(url, query):
        response = client.get(url, {"q": query})
        assert response.status_code == 200
        html = json.loads(response.content)["html"] if response["Content-Type"].startswith("application/json") \
            else response.content.decode()
        return {question.pk for question in (grid, residents) if chosen.format(question.pk) in html}

    for url in ("/admin/snippets/choose/assessments/question/", "/admin/snippets/choose/assessments/question/results/"):
        assert found(url, "网格") == {grid.pk}
        assert found(url, "居民") == {residents.pk}
        assert found(url, "网格 老人") == {grid.pk}  # every word must match
        assert found(url, "网格 议事会") == set()
