"""现场教学实践基地: the catalogue filters by region and track, the Chinese search finds a base by a word
inside a longer run, and a base page lists the sessions held there (a panel classroom registers)."""

import pytest

from cms.models import TeachingBaseIndexPage, TeachingBasePage

pytestmark = pytest.mark.django_db


def _titles(response):
    return [base.title for base in response.context["page_obj"].object_list]


def test_the_catalogue_filters_by_region_and_track(client):
    index = TeachingBaseIndexPage.objects.get()
    everything = _titles(client.get(index.url))
    assert {"长山花园社区党群服务中心", "南湖街道应急演练实训基地"} <= set(everything)
    by_track = _titles(client.get(index.url, {"track": "ying-ji-yan-lian"}))
    assert by_track == ["南湖街道应急演练实训基地"]
    assert set(_titles(client.get(index.url, {"region": "吉林省长春市"}))) == set(everything)
    response = client.get(index.url, {"region": "黑龙江省"})
    assert _titles(response) == [] and "没有符合条件的实践基地" in response.content.decode()


def test_the_search_finds_a_base_by_a_word_inside_a_longer_run(client):
    response = client.get("/search/", {"q": "应急演练"})
    hits = [hit["page"] for hit in response.context["page_obj"].object_list]
    assert any(isinstance(page, TeachingBasePage) and page.slug == "nanhu-emergency" for page in hits)
    assert "现场教学实践基地" in response.content.decode()  # the result says what kind of page it is


def test_a_base_page_lists_the_sessions_held_there(client):
    base = TeachingBasePage.objects.get(slug="nanhu-emergency")
    html = client.get(base.url).content.decode()
    assert "在这里开展的现场教学" in html and "社区应急处置情景演练" in html
    assert "现场教学内容" in html and base.address in html
    upcoming = TeachingBasePage.objects.get(slug="changshan-garden")
    assert "党建引领物业服务现场教学" in client.get(upcoming.url).content.decode()
