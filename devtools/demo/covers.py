"""Cover images (封面图) for the demo courses and cases, drawn with Pillow at load time instead of committed.

Each cover is a 1200×675 JPEG (~40 KB): a diagonal gradient in the college's red and gold, two thin gold
rings and one large character of the title in Noto Sans SC Bold (from justmytype-intl-cjk, as the
certificates use; without a CJK font the rings stay and the character is left out). A cover is a real
Wagtail image found again by its title, so a second load adds no image; its file name carries a digest
of what drew it, so a file left under MEDIA_ROOT by an earlier load (a test session's in-memory
database is new each time) is taken over instead of stored again with a random suffix. The renditions
the pages use (cms.covers) are made here too — the first visitor, or every test, would otherwise pay for
them — and taken over the same way.
"""

import functools
import hashlib
import io
from importlib.resources import files
from pathlib import Path

from django.core.files.base import ContentFile
from PIL import Image as PILImage
from PIL import ImageChops, ImageDraw, ImageFont
from wagtail.images import get_image_model
from wagtail.images.models import IMAGE_FORMAT_EXTENSIONS, Filter

from cms import covers

SIZE = (1200, 675)
JPEG_QUALITY = 80
# (light corner, dark corner, character colour): four moods of red and gold, one per track.
PALETTES = {
    "gan-er-lun-dao": ((196, 36, 32), (112, 10, 16), (240, 204, 104)),
    "jin-se-lu-xian": ((214, 150, 40), (160, 40, 24), (255, 240, 200)),
    "jing-shen-chuan-cheng": ((150, 20, 26), (74, 6, 12), (236, 196, 96)),
    "ying-ji-yan-lian": ((222, 78, 40), (140, 18, 18), (255, 228, 168)),
}
DEFAULT_PALETTE = PALETTES["gan-er-lun-dao"]
# The character that says what the page is about (the first one of the title often does not: 一, 从, 互).
GLYPHS = {
    "hongxin-wuye-shiwu": "红", "shuji-linghang-xiangmu": "书", "dangqun-zhendi-luxian": "路",
    "wangge-dangjian-luxian": "网", "xiaoxiang-zongli-chuxin": "巷", "dangyuan-xianfeng-shequ": "锋",
    "shouda-fangxian-shiwu": "守", "tufa-shijian-yanlian": "急",
    "hongxin-wuye-laolou": "红", "minqing-zhuandi": "民", "jiexiang-chuishao-bumen-baodao": "哨",
    "dangyuan-zhongxinhu": "户", "wangge-wuzhang-liandong": "网", "hulianwang-shuang-baodao": "双",
    "xingji-pingding": "星", "shuji-jiangtang": "讲", "chengshi-dangjian-lianmeng": "盟",
    "shangquan-lianhe-dangwei": "商", "duju-laoren-shouhu": "守", "pingzhan-jiehe-bianzu": "战",
}
# What the pages use, and the admin's thumbnail (image listing and chooser: every test that opens them
# would otherwise draw one per cover).
RENDITION_SPECS = [*covers.ALL_FILTER_SPECS, "max-165x165"]
FONT_PACKAGE, FONT_FOLDER, FONT_PATTERN = "justmytype_intl_cjk", "fonts/ofl/notosanssc", "NotoSansSC*.ttf"
SYSTEM_FONTS = ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")


@functools.cache
def font_path() -> Path | None:
    try:
        candidates = sorted((Path(str(files(FONT_PACKAGE))) / FONT_FOLDER).glob(FONT_PATTERN))
    except (ModuleNotFoundError, TypeError):
        candidates = []
    candidates += [Path(path) for path in SYSTEM_FONTS]
    return next((path for path in candidates if path.is_file()), None)


@functools.cache
def _font(size: int) -> ImageFont.FreeTypeFont | None:
    path = font_path()
    if path is None:
        return None
    font = ImageFont.truetype(str(path), size)
    try:
        font.set_variation_by_axes([800])  # Noto Sans SC is a variable font whose default instance is Thin
    except OSError:
        pass  # a static font (wqy) has no axes
    return font


def _gradient(light: tuple, dark: tuple) -> PILImage.Image:
    """Light at the top left, dark at the bottom right."""
    vertical = PILImage.linear_gradient("L").resize(SIZE)
    horizontal = PILImage.linear_gradient("L").rotate(90).resize(SIZE)
    mask = ImageChops.add(vertical, horizontal, scale=2)
    return PILImage.composite(PILImage.new("RGB", SIZE, dark), PILImage.new("RGB", SIZE, light), mask)


def draw_cover(glyph: str, palette: tuple = DEFAULT_PALETTE) -> bytes:
    """The JPEG bytes of one cover."""
    light, dark, accent = palette
    width, height = SIZE
    image = _gradient(light, dark).convert("RGBA")
    layer = PILImage.new("RGBA", SIZE, (0, 0, 0, 0))
    draw = ImageDraw.Draw(layer)
    cx, cy, r = int(width * 0.7), height // 2, int(height * 0.36)
    draw.ellipse((cx - r, cy - r, cx + r, cy + r), outline=accent + (120,), width=5)
    draw.ellipse((cx - r - 36, cy - r - 36, cx + r + 36, cy + r + 36), outline=accent + (50,), width=2)
    for step in range(4):  # a few soft ribbons rising from the lower left
        y = int(height * 0.86) + step * 20
        draw.line((0, y, int(width * 0.42), y - 120), fill=accent + (34,), width=7)
    font = _font(int(height * 0.5))
    if font is not None and glyph:
        draw.text((cx, cy), glyph, font=font, fill=accent + (255,), anchor="mm")
    image = PILImage.alpha_composite(image, layer).convert("RGB")
    out = io.BytesIO()
    image.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True)
    return out.getvalue()


def _file_name(key: str, glyph: str, palette: tuple) -> str:
    """A name that changes with anything that changes the picture (this module's code, the font, the glyph,
    the colours) and differs between keys. The digest comes first: Wagtail names renditions after the first
    ~20 characters of the original's name."""
    digest = hashlib.sha256(Path(__file__).read_bytes())
    digest.update(f"{key}|{font_path()}|{glyph}|{palette}|{SIZE}|{JPEG_QUALITY}".encode())
    return f"cover-{digest.hexdigest()[:12]}-{key}.jpg"


def ensure_cover(*, key: str, title: str, track: str = ""):
    """The Wagtail image titled "<title>·封面", drawn and stored (with its renditions) if there is none."""
    Image = get_image_model()
    image_title = f"{title}·封面"
    image = Image.objects.filter(title=image_title).first()
    if image is not None:
        return image
    glyph = GLYPHS.get(key) or title[:1]
    palette = PALETTES.get(track, DEFAULT_PALETTE)
    name = _file_name(key, glyph, palette)
    image = Image(title=image_title)
    storage = image.file.storage
    stored_name = image.get_upload_to(name)
    if storage.exists(stored_name):
        image.file.name = stored_name  # drawn the same way by an earlier load: take the file over
    else:
        image.file.save(name, ContentFile(draw_cover(glyph, palette)), save=False)
    image.width, image.height = SIZE  # Django's own probe gives up on some progressive JPEGs
    image._set_image_file_metadata()
    image.save()
    image.get_renditions(*_adopt_renditions(image))
    return image


def _adopt_renditions(image) -> list[str]:
    """Records the rendition files an earlier load made from this very file (named as Wagtail names
    them: `images/<original>.<spec>.<ext>`) and returns the specs still to make."""
    Rendition = image.get_rendition_model()
    storage = Rendition._meta.get_field("file").storage
    stem = Path(image.file.name).stem
    to_make = []
    for spec in RENDITION_SPECS:
        focal_point_key = Filter(spec).get_cache_key(image)
        output_format = spec.split("format-")[1].split("|")[0] if "format-" in spec else "jpeg"
        suffix = spec.replace("|", ".") + IMAGE_FORMAT_EXTENSIONS[output_format]
        suffix = f"{focal_point_key}.{suffix}" if focal_point_key else suffix
        name = Rendition(image=image).get_upload_to(f"{stem[: 59 - len(suffix)]}.{suffix}")
        if not storage.exists(name):
            to_make.append(spec)
            continue
        with storage.open(name) as file:
            width, height = PILImage.open(file).size
        Rendition.objects.create(
            image=image, filter_spec=spec, focal_point_key=focal_point_key, file=name, width=width, height=height
        )
    return to_make
