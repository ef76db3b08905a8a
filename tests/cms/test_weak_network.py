"""Public pages stay light for a phone on a slow network, and everything comes from the site itself."""

import re

import pytest
from django.contrib.staticfiles import finders

from cms.models import CasePage, CoursePage, DailyLessonPage, LessonPage

pytestmark = pytest.mark.django_db
BUDGET = 200 * 1024


def _public_urls():
    return [
        "/", "/daily/", "/courses/", "/cases/", "/search/?q=%E7%89%A9%E4%B8%9A", "/accounts/login/",
        DailyLessonPage.objects.live().first().url, CoursePage.objects.live().first().url,
        LessonPage.objects.live().first().url, CasePage.objects.live().first().url,
    ]


def test_each_page_with_its_css_stays_under_200_kb_and_uses_no_cdn(client):
    for url in _public_urls():
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in html, url
        stylesheets = re.findall(r'<link rel="stylesheet" href="([^"]+)"', html)
        css_bytes = sum(len(open(finders.find(href.removeprefix("/static/")), "rb").read()) for href in stylesheets)
        assert len(response.content) + css_bytes < BUDGET, f"{url}: {len(response.content) + css_bytes} bytes"
        external = re.findall(r'(?:src|href)="(https?://[^"]+)"', html)
        assert external == [], f"{url} loads from another host: {external}"


def test_videos_load_only_metadata_and_show_a_poster(client):
    for page in [DailyLessonPage.objects.live().first(), LessonPage.objects.live().exclude(video=None).first()]:
        html = client.get(page.url).content.decode()
        video = re.search(r"<video[^>]*>", html).group(0)
        assert 'preload="metadata"' in video and "poster=" in video and "playsinline" in video
