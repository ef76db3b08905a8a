"""The certificate as a PDF (A4 landscape) that shows its Chinese text in any viewer.

reportlab's built-in CID font (STSong-Light) is not embedded, so a machine without a Chinese font shows
boxes. We embed a subset of Noto Sans SC instead: the OFL TrueType (glyf) build from google/fonts, which
the `justmytype-intl-cjk` package ships. That file is a variable font whose default instance is Thin, so
each certificate first cuts it down with fontTools to the characters it uses (~0.4 s) and fixes the
weight at Regular and Bold; reportlab then embeds that, subset again, as /FontFile2.
"""

import contextlib
import datetime as dt
import functools
import io
import logging
import threading
from pathlib import Path
from xml.sax.saxutils import escape

from django.conf import settings
from django.urls import reverse
from fontTools import subset as ft_subset
from fontTools.ttLib import TTFont as FTFont
from fontTools.varLib import instancer
from reportlab.graphics.barcode.qr import QrCode
from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas as pdf_canvas
from reportlab.platypus import Frame, Paragraph

from certificates.models import Certificate
from certificates.services import format_hours

# Where the CJK font comes from, first match wins: an explicit setting (path, optional collection index),
# the Python package (installed by `make install` on any machine), then Debian's fonts-wqy-* as a last resort.
PACKAGE_FONTS = (("justmytype_intl_cjk", "fonts/ofl/notosanssc", "NotoSansSC*.ttf"),)
SYSTEM_FONTS = (
    ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 0),
    ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", 0),
)
REGULAR, BOLD = "CertificateSans", "CertificateSans-Bold"
# Always present in the subset, whatever the certificate says: digits, Latin letters, punctuation.
BASE_CHARACTERS = "".join(chr(c) for c in range(0x20, 0x7F)) + "，。：、；“”《》（）·—"

RED, GOLD, INK, MUTED, PAPER = (HexColor(c) for c in ("#b71c1c", "#c9a227", "#222222", "#666666", "#fffdf7"))
PAGE_WIDTH, PAGE_HEIGHT = landscape(A4)

# Paragraphs look fonts up by family; these are name mappings only (the fonts are swapped per document).
pdfmetrics.registerFontFamily(REGULAR, normal=REGULAR, bold=BOLD)
pdfmetrics.registerFontFamily(BOLD, normal=BOLD, bold=BOLD)
logging.getLogger("fontTools").setLevel(logging.WARNING)  # its subsetter reports every table at INFO

# reportlab's font registry is process-global: one certificate at a time per process registers and uses
# its two per-document fonts (a few KB each), so concurrent renders never swap each other's glyphs.
_render_lock = threading.Lock()


class CertificateFontMissing(RuntimeError):
    pass


def _package_candidates() -> list[tuple[Path, int]]:
    from importlib.resources import files

    found = []
    for package, folder, pattern in PACKAGE_FONTS:
        try:
            root = Path(str(files(package))) / folder
        except (ModuleNotFoundError, TypeError):
            continue
        found += [(path, 0) for path in sorted(root.glob(pattern))]
    return found


def _usable(path: Path, index: int) -> bool:
    """A TrueType-outline font (reportlab cannot embed CFF) that has Chinese glyphs."""
    if not path.is_file():
        return False
    try:
        font = FTFont(str(path), fontNumber=index, lazy=True)
        return "glyf" in font and ord("证") in font.getBestCmap()
    except Exception:  # noqa: BLE001 — any unreadable candidate is simply skipped
        return False


@functools.cache
def font_source() -> tuple[Path, int]:
    configured = settings.COLLEGE_CERTIFICATE_FONT
    candidates = [(Path(configured), settings.COLLEGE_CERTIFICATE_FONT_INDEX)] if configured else []
    candidates += _package_candidates()
    candidates += [(Path(path), index) for path, index in SYSTEM_FONTS]
    for path, index in candidates:
        if _usable(path, index):
            return path, index
    raise CertificateFontMissing(
        "No Chinese TrueType font for certificates: install the project's dependencies (justmytype-intl-cjk) "
        "or set COLLEGE_CERTIFICATE_FONT to a .ttf/.ttc with glyf outlines."
    )


def _rename(font: FTFont, postscript_name: str) -> None:
    for record in font["name"].names:
        if record.nameID == 6:
            record.string = postscript_name


def subset_fonts(text: str) -> tuple[bytes, bytes]:
    """Regular and Bold TrueType fonts holding just `text`'s characters (plus BASE_CHARACTERS)."""
    path, index = font_source()
    font = FTFont(str(path), fontNumber=index, lazy=True)
    options = ft_subset.Options()
    options.layout_features = []  # reportlab does no shaping; Chinese needs none
    options.hinting = False
    options.notdef_outline = True
    options.drop_tables += ["BDF", "FFTM"]  # bitmap and tool tables some system fonts carry
    subsetter = ft_subset.Subsetter(options)
    subsetter.populate(text=text + BASE_CHARACTERS)
    subsetter.subset(font)
    family = (font["name"].getDebugName(6) or "CertificateSans").split("-")[0]
    results = []
    for weight, name in ((400, f"{family}-Regular"), (700, f"{family}-Bold")):
        instance = font
        if "fvar" in font:
            axis = next(a for a in font["fvar"].axes if a.axisTag == "wght")
            instance = instancer.instantiateVariableFont(
                font, {"wght": max(axis.minValue, min(axis.maxValue, weight))}, inplace=False)
        _rename(instance, name)  # a static font serves as both weights, under two names
        buffer = io.BytesIO()
        instance.save(buffer)
        results.append(buffer.getvalue())
    return results[0], results[1]


def verify_url(certificate: Certificate) -> str:
    base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    return base + reverse("certificate_verify", args=[certificate.code])


def display_code(code: str) -> str:
    return "-".join(code[i:i + 4] for i in range(0, len(code), 4))


def _date(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def certificate_texts(certificate: Certificate) -> dict[str, str]:
    hours = format_hours(certificate.credit_hours)
    date = _date(certificate.issued_on)
    subtitle = certificate.get_kind_display()
    if certificate.kind == Certificate.Kind.ANNUAL:
        heading = "学时证明"
        subtitle = certificate.title
        body = f"在 {certificate.object_id} 年度累计完成学习 {hours} 学时，达到年度学习目标，特发此证。"
    elif certificate.kind == Certificate.Kind.CLASS:
        heading = "结业证书"
        body = f"于{date}完成{certificate.title}全部必修课程的学习，共计 {hours} 学时，准予结业，特发此证。"
    else:
        heading = "结业证书"
        body = f"于{date}完成课程《{certificate.title}》的全部学习内容，共计 {hours} 学时，特发此证。"
    return {
        "heading": heading,
        "subtitle": subtitle,
        "salutation": f"{certificate.holder_name} 同志：",
        "body": body,
        "issuer": certificate.issuer,
        "date": date,
        "code": f"验证码：{display_code(certificate.code)}",
        "verify_hint": "扫描二维码或访问以下网址验证本证书：",
        "url": verify_url(certificate),
    }


def _qr(c, url: str, x: float, y: float, size: float) -> None:
    c.setFillColor(INK)
    QrCode(url, width=size, height=size, qrLevel="M", qrBorder=2).drawOn(c, x, y)


def _draw(c, texts: dict[str, str]) -> None:
    w, h = PAGE_WIDTH, PAGE_HEIGHT
    c.setFillColor(PAPER)
    c.rect(0, 0, w, h, stroke=0, fill=1)
    c.setStrokeColor(RED)
    c.setLineWidth(5)
    c.rect(22, 22, w - 44, h - 44)
    c.setStrokeColor(GOLD)
    c.setLineWidth(1.2)
    c.rect(34, 34, w - 68, h - 68)

    c.setFillColor(RED)
    c.setFont(BOLD, 46)
    c.drawCentredString(w / 2, h - 128, texts["heading"], charSpace=18)
    c.setFillColor(MUTED)
    c.setFont(REGULAR, 14)
    c.drawCentredString(w / 2, h - 158, texts["subtitle"])
    c.setStrokeColor(GOLD)
    c.setLineWidth(1)
    c.line(w / 2 - 150, h - 172, w / 2 + 150, h - 172)

    salutation = ParagraphStyle("salutation", fontName=BOLD, bulletFontName=BOLD, fontSize=22, leading=36,
                                textColor=INK)
    body = ParagraphStyle("body", fontName=REGULAR, bulletFontName=REGULAR, fontSize=19, leading=36, textColor=INK, wordWrap="CJK",
                          firstLineIndent=38)
    frame = Frame(110, 190, w - 220, h - 380, leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
    frame.addFromList([Paragraph(escape(texts["salutation"]), salutation),
                       Paragraph(escape(texts["body"]), body)], c)

    c.setFillColor(INK)
    c.setFont(BOLD, 18)
    c.drawRightString(w - 110, 150, texts["issuer"])
    c.setFont(REGULAR, 15)
    c.drawRightString(w - 110, 124, texts["date"])

    _qr(c, texts["url"], 64, 58, 96)
    c.setFont(REGULAR, 12)
    c.drawString(172, 128, texts["code"])
    c.setFillColor(MUTED)
    c.setFont(REGULAR, 9)
    c.drawString(172, 104, texts["verify_hint"])
    c.drawString(172, 90, texts["url"])


@contextlib.contextmanager
def _document_fonts(*fonts: TTFont):
    """Make this document's fonts the registered ones, and forget them afterwards.

    reportlab has no public way to replace or drop a registered TrueType font: registerFont ignores a
    name (or a face name) it already knows, so the next certificate would reuse the previous one's
    glyph subset. Its two registry dicts are set and cleared here, under the lock, and nothing leaks."""
    with _render_lock:
        for font in fonts:
            pdfmetrics._fonts[font.fontName] = font
            pdfmetrics._dynFaceNames[font.face.name] = font
        try:
            yield
        finally:
            for font in fonts:
                pdfmetrics._fonts.pop(font.fontName, None)
                pdfmetrics._dynFaceNames.pop(font.face.name, None)


def render_certificate_pdf(certificate: Certificate) -> bytes:
    texts = certificate_texts(certificate)
    regular, bold = subset_fonts("".join(texts.values()))
    buffer = io.BytesIO()
    with _document_fonts(TTFont(REGULAR, io.BytesIO(regular)), TTFont(BOLD, io.BytesIO(bold))):
        c = pdf_canvas.Canvas(buffer, pagesize=(PAGE_WIDTH, PAGE_HEIGHT), pageCompression=1,
                              initialFontName=REGULAR, initialFontSize=12)
        c.setTitle(f"{texts['heading']} · {certificate.holder_name}")
        c.setAuthor(certificate.issuer)
        c.setSubject(certificate.title)
        _draw(c, texts)
        c.showPage()
        c.save()
    return buffer.getvalue()
