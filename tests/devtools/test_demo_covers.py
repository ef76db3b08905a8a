"""The demo college's covers: drawn once, real Wagtail images with files under MEDIA_ROOT, never duplicated."""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from PIL import Image as PILImage
from wagtail.images import get_image_model

from cms import covers
from cms.models import CasePage, CoursePage
from devtools.demo.covers import draw_cover, font_path

pytestmark = pytest.mark.django_db


def _image_counts():
    Image = get_image_model()
    return Image.objects.count(), Image.get_rendition_model().objects.count()


def test_every_demo_course_and_case_has_a_small_16_9_cover_stored_under_media_root():
    pages = [*CoursePage.objects.live().select_related("cover"), *CasePage.objects.live().select_related("cover")]
    assert len(pages) >= 16
    for page in pages:
        image = page.cover
        assert image is not None, page.title
        assert image.title == f"{page.title}·封面"
        path = Path(settings.MEDIA_ROOT) / image.file.name
        assert path.is_file() and path.stat().st_size < 80 * 1024, path
        with PILImage.open(path) as picture:
            assert (picture.format, picture.size) == ("JPEG", (1200, 675))
        assert (image.width, image.height) == (1200, 675) and image.file_hash
        assert image.renditions.filter(filter_spec__in=covers.ALL_FILTER_SPECS).count() == len(covers.ALL_FILTER_SPECS)
    assert len({page.cover_id for page in pages}) == len(pages)


def test_loading_twice_adds_no_image_and_no_rendition():
    before = _image_counts()
    call_command("load_demo_data", "--skip-index", verbosity=0)
    assert _image_counts() == before


def test_a_demo_page_that_lost_its_cover_gets_it_back_in_a_published_revision():
    course = CoursePage.objects.live().first()
    cover_id = course.cover_id
    CoursePage.objects.filter(pk=course.pk).update(cover=None)
    before = _image_counts()
    call_command("load_demo_data", "--skip-index", verbosity=0)
    course.refresh_from_db()
    assert course.cover_id == cover_id and _image_counts() == before
    assert course.live_revision.as_object().cover_id == cover_id  # the admin edits from this revision


def test_the_artwork_uses_a_chinese_font_from_the_environment():
    assert font_path() is not None, "justmytype-intl-cjk (Noto Sans SC) should be installed"
    plain, with_glyph = draw_cover(""), draw_cover("红")
    assert plain != with_glyph
