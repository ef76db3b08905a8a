import pytest

from cms.models import CasePage

pytestmark = pytest.mark.django_db


def _titles(response):
    return [hit["page"].title for hit in response.context["page_obj"].object_list]


def test_a_word_inside_a_longer_chinese_run_is_found(client):
    """物业 sits inside 红心物业 and 物业服务: found only because both sides are segmented."""
    case = CasePage.objects.get(slug="hongxin-wuye-laolou")
    response = client.get("/search/", {"q": "物业"})
    assert response.status_code == 200
    titles = []
    page_obj = response.context["page_obj"]
    for number in page_obj.paginator.page_range:
        titles += _titles(client.get("/search/", {"q": "物业", "page": number}))
    assert case.title in titles


def test_chuishao_finds_the_whistle_and_report_case(client):
    response = client.get("/search/", {"q": "吹哨"})
    titles = _titles(response)
    assert any("吹哨" in title and "报到" in title for title in titles)
    assert "<mark>吹哨</mark>" in response.content.decode(), "the result shows where the word matched"


def test_every_word_of_a_query_must_match(client):
    assert _titles(client.get("/search/", {"q": "红心物业"}))
    assert _titles(client.get("/search/", {"q": "物业 应急演练脚本不存在的词组"})) == []


def test_results_are_paginated(client):
    first = client.get("/search/", {"q": "网格"})
    paginator = first.context["page_obj"].paginator
    assert paginator.count > 10
    second = client.get("/search/", {"q": "网格", "page": 2})
    assert set(_titles(first)).isdisjoint(_titles(second))
    assert "page=2" in first.content.decode() and "q=%E7%BD%91%E6%A0%BC" in first.content.decode()


def test_unpublished_content_is_not_found(client):
    case = CasePage.objects.get(slug="hongxin-wuye-laolou")
    case.unpublish()
    assert case.title not in _titles(client.get("/search/", {"q": "红心物业"}))


@pytest.mark.parametrize(
    ("query", "status", "message"),
    [("", 200, "请输入要搜索的词"), ("   ", 200, "请输入要搜索的词"), ("网" * 500, 400, "搜索词太长了"),
     ("！？。，", 200, "没有找到相关内容"), ("<script>alert(1)</script>", 200, "没有找到相关内容")],
)
def test_bad_queries_get_a_clear_chinese_page(client, query, status, message):
    response = client.get("/search/", {"q": query})
    assert response.status_code == status
    html = response.content.decode()
    assert message in html
    assert "<script>alert(1)</script>" not in html
