"""Cover images (封面图): responsive WebP/JPEG pictures within the 200 KB page budget, a CSS placeholder
without one, a fixed query count for the listings, and the trainers' image chooser.

The byte budget assumes a 360 px wide phone at a device pixel ratio of 2 that shows WebP: for each
<picture> it fetches the smallest WebP candidate at least as wide as (the `sizes` slot at 360 px) × 2, or
the largest. Every card's image is counted, although `loading="lazy"` spares those below the fold.
"""

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.contrib.staticfiles import finders
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.images import get_image_model
from wagtail.permissions import policy_registry

from cms import covers
from cms.models import CaseLibraryPage, CasePage, CourseIndexPage, CoursePage
from devtools.demo.covers import ensure_cover
from tests.helpers import login, report

pytestmark = pytest.mark.django_db
BUDGET = 200 * 1024
VIEWPORT, DPR = 360, 2
TEMPLATES = Path(settings.BASE_DIR) / "cms" / "templates" / "cms" / "includes"


class Pictures(HTMLParser):
    """Each <picture> as {"sources": [attrs], "img": attrs}, and every <img> anywhere."""

    def __init__(self, html: str):
        super().__init__()
        self.pictures, self.imgs, self._open = [], [], None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "picture":
            self._open = {"sources": [], "img": None}
        elif tag == "source" and self._open is not None:
            self._open["sources"].append(attrs)
        elif tag == "img":
            self.imgs.append(attrs)
            if self._open is not None:
                self._open["img"] = attrs

    def handle_endtag(self, tag):
        if tag == "picture" and self._open is not None:
            self.pictures.append(self._open)
            self._open = None


def _slot(sizes: str, viewport: int = VIEWPORT) -> float:
    """The CSS width `sizes` gives an image at `viewport` (min-width conditions, px and vw lengths)."""
    for entry in sizes.split(","):
        match = re.fullmatch(r"\s*(?:\(min-width:\s*(\d+)px\)\s*)?(\d+(?:\.\d+)?)(px|vw)\s*", entry)
        assert match, f"unparsed sizes entry {entry!r}"
        min_width, value, unit = match.groups()
        if min_width is None or viewport >= int(min_width):
            return float(value) * (viewport / 100 if unit == "vw" else 1)
    raise AssertionError(f"no sizes entry applies: {sizes}")


def _pick(srcset: str, needed: float) -> str:
    candidates = sorted((int(w[:-1]), url) for url, w in (c.split() for c in srcset.split(",")))
    return next((url for width, url in candidates if width >= needed), candidates[-1][1])


def _media_file(url: str) -> Path:
    assert url.startswith(settings.MEDIA_URL), url
    return Path(settings.MEDIA_ROOT) / url.removeprefix(settings.MEDIA_URL)


def _phone_bytes(html: str, mime: str = "image/webp") -> tuple[int, int, int]:
    """(HTML + its stylesheets, the images a 360 px phone at 2× fetches, the number of pictures)."""
    css = sum(len(Path(finders.find(href.removeprefix(settings.STATIC_URL))).read_bytes())
              for href in re.findall(r'<link rel="stylesheet" href="([^"]+)"', html))
    images = 0
    pictures = Pictures(html).pictures
    for picture in pictures:
        source = next((s for s in picture["sources"] if s["type"] == mime), None)
        srcset, sizes = (source["srcset"], source["sizes"]) if source else (picture["img"]["srcset"], picture["img"]["sizes"])
        images += _media_file(_pick(srcset, _slot(sizes) * DPR)).stat().st_size
    return len(html.encode()) + css, images, len(pictures)


def _add_courses(count: int) -> None:
    index = CourseIndexPage.objects.get()
    template = CoursePage.objects.live().select_related("track").first()
    for n in range(count):
        title = f"补充课程第{n + 1}讲"
        page = CoursePage(title=title, slug=f"extra-course-{n}", track=template.track, summary="补充的课程简介。",
                          cover=ensure_cover(key=f"test-course-{n}", title=title, track=template.track.slug))
        index.add_child(instance=page)
        page.save_revision().publish()


def _add_cases(count: int) -> None:
    library = CaseLibraryPage.objects.get()
    for n in range(count):
        title = f"补充案例第{n + 1}个"
        page = CasePage(title=title, slug=f"extra-case-{n}", region="吉林省长春市", organization_name="某社区",
                        background="背景", practice="做法", outcome="成效",
                        cover=ensure_cover(key=f"test-case-{n}", title=title))
        library.add_child(instance=page)
        page.tags.set(["补充"])
        page.save_revision().publish()


def _queries(client, url: str) -> int:
    client.get(url)  # warm what every request shares (site root paths)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_a_page_with_a_cover_shows_a_webp_picture_with_a_jpeg_fallback_that_cannot_shift_the_layout(client):
    for page in (CoursePage.objects.live().first(), CasePage.objects.live().first()):
        assert page.cover_id, "the demo college gives every course and case a cover"
        pictures = Pictures(client.get(page.url).content.decode()).pictures
        assert len(pictures) == 1, page.url
        picture = pictures[0]
        assert [s["type"] for s in picture["sources"]] == ["image/webp"]
        webp = picture["sources"][0]["srcset"]
        assert [w for _, w in (c.split() for c in webp.split(","))] == ["480w", "720w", "960w"]
        img = picture["img"]
        assert img["alt"] == page.title
        assert (int(img["width"]), int(img["height"])) == (480, 270)
        assert img["src"].endswith(".jpg") and "sizes" in img and "loading" not in img
        for url in [img["src"], *(c.split()[0] for c in webp.split(",") + img["srcset"].split(","))]:
            assert _media_file(url).is_file(), url


def test_listing_cards_show_covers_the_first_eager_the_rest_lazy(client):
    for url, model, per_page in (("/courses/", CoursePage, 12), ("/cases/", CasePage, 10)):
        html = client.get(url).content.decode()
        pictures = Pictures(html).pictures
        assert len(pictures) == min(model.objects.live().count(), per_page) >= 8
        loading = [p["img"]["loading"] for p in pictures]
        assert loading == ["eager"] + ["lazy"] * (len(pictures) - 1), url
        for picture in pictures:
            assert [s["type"] for s in picture["sources"]] == ["image/webp"]
            assert picture["img"]["width"] == "240" and picture["img"]["height"] == "135"
            assert f'>{picture["img"]["alt"]}</a></h2>' in html  # alt: the card's title
        assert " style=" not in html  # no inline style (CSP): the look comes from site.css


def test_without_a_cover_no_img_at_all_and_the_cards_draw_a_placeholder(client):
    CoursePage.objects.update(cover=None)
    CasePage.objects.update(cover=None)
    for page in (CoursePage.objects.live().first(), CasePage.objects.live().first()):
        html = client.get(page.url).content.decode()
        assert "<img" not in html and "<picture" not in html and "cover-hero" not in html, page.url
    for url in ("/courses/", "/cases/", "/"):
        html = client.get(url).content.decode()
        assert "<img" not in html, url
        assert re.search(r'<div class="cover cover-empty" data-glyph="[^"]" aria-hidden="true"></div>', html), url


def test_a_full_course_listing_page_fits_the_budget_on_a_360px_phone(client):
    _add_courses(12 - CoursePage.objects.live().count())  # a full first page: 12 cards
    html = client.get("/courses/").content.decode()
    page_bytes, webp_bytes, cards = _phone_bytes(html)
    _, jpeg_bytes, _ = _phone_bytes(html, "image/jpeg")
    assert cards == 12
    report(f"course listing at 360 px ×2: HTML+CSS {page_bytes} B + {cards} WebP covers {webp_bytes} B "
           f"= {page_bytes + webp_bytes} B (JPEG-only browser: {page_bytes + jpeg_bytes} B)")
    assert page_bytes + webp_bytes < BUDGET
    assert page_bytes + jpeg_bytes < BUDGET  # a browser without WebP stays within it too

    case = CasePage.objects.live().first()
    html = client.get(case.url).content.decode()
    page_bytes, webp_bytes, _ = _phone_bytes(html)
    report(f"case page at 360 px ×2: HTML+CSS {page_bytes} B + cover {webp_bytes} B = {page_bytes + webp_bytes} B")
    assert page_bytes + webp_bytes < BUDGET


def test_listing_query_counts_do_not_grow_with_the_number_of_covered_cards(client):
    small = (_queries(client, "/courses/"), _queries(client, "/cases/"), _queries(client, "/"))
    _add_courses(4)
    _add_cases(4)
    large = (_queries(client, "/courses/"), _queries(client, "/cases/"), _queries(client, "/"))
    assert len(Pictures(client.get("/courses/").content.decode()).pictures) == CoursePage.objects.live().count() == 12
    assert small == large


def test_the_templates_ask_for_the_renditions_that_are_prefetched_and_made_in_advance():
    specs = {name: re.findall(r"{% picture \S+ (format-\S+ fill-\S+)", (TEMPLATES / name).read_text())
             for name in ("cover_card.html", "cover_hero.html")}
    assert specs == {"cover_card.html": [covers.CARD_SPEC], "cover_hero.html": [covers.HERO_SPEC]}
    Image = get_image_model()
    Rendition = Image.get_rendition_model()
    for image in Image.objects.filter(title__endswith="·封面"):
        assert set(Rendition.objects.filter(image=image).values_list("filter_spec", flat=True)) >= set(
            covers.ALL_FILTER_SPECS)


def test_trainers_can_choose_and_upload_images_in_the_admin():
    permission_policy = policy_registry.get_by_type(get_image_model())
    user = User.objects.get(username="trainer")
    assert permission_policy.user_has_permission(user, "choose")
    assert permission_policy.user_has_permission(user, "add")
    response = login("trainer").get("/admin/images/chooser/")
    assert response.status_code == 200
    assert "·封面" in response.json()["html"]  # the demo covers are there to choose
