"""Cover images (封面图) of courses and cases: the renditions the templates ask for, in one place.

The templates (`cms/includes/cover_card.html`, `cms/includes/cover_hero.html`) name the same filter
specs literally in their `{% picture %}` tags (a test keeps the two in step); listings prefetch
exactly these renditions, and the demo loader makes them in advance. WebP with a JPEG fallback, no
AVIF: Pillow here encodes AVIF, but at 10–50× WebP's cost per rendition (0.1–1.6 s at 720 px, measured)
for ~3 KB less per card, and phones' built-in browsers (WeChat's X5 among them) show WebP everywhere.
All sizes are 16:9 and at most 960 px wide (no upscaling of a 1200×675 original).
"""

from wagtail.images.models import Filter

CARD_SPEC = "format-{webp,jpeg} fill-{240x135,480x270,720x405}"
HERO_SPEC = "format-{webp,jpeg} fill-{480x270,720x405,960x540}"


def expand(spec: str) -> list[str]:
    """The single-rendition filter specs a `{% picture %}` spec stands for (Wagtail's own expansion)."""
    return Filter.expand_spec(spec.split())


CARD_FILTER_SPECS = expand(CARD_SPEC)
HERO_FILTER_SPECS = expand(HERO_SPEC)
ALL_FILTER_SPECS = list(dict.fromkeys(CARD_FILTER_SPECS + HERO_FILTER_SPECS))
