"""Chinese word segmentation for Wagtail search, and the excerpt that shows where a word matched.

Neither SQLite FTS5 nor PostgreSQL splits a run of Chinese characters into words, so pages index an
extra field of jieba-segmented text and queries are segmented the same way.
"""

import re
import threading

from django.conf import settings
from django.utils.html import escape
from django.utils.safestring import mark_safe

_lock = threading.Lock()
_ready = False
_PUNCT = re.compile(r"^[\W_]+$", re.UNICODE)
MAX_QUERY_LENGTH = 100


def warm_up():
    """Load jieba's dictionary once (~0.5 s); Celery calls this before its pool forks."""
    global _ready
    if _ready:
        return
    with _lock:
        if _ready:
            return
        import logging

        import jieba

        jieba.setLogLevel(logging.WARNING)
        cache = settings.JIEBA_CACHE_FILE
        cache.parent.mkdir(parents=True, exist_ok=True)
        jieba.dt.tmp_dir = str(cache.parent)
        jieba.dt.cache_file = cache.name
        jieba.initialize()
        _ready = True


def terms(text: str) -> list[str]:
    """Search terms of a text: jieba's fine-grained words, without punctuation, de-duplicated."""
    warm_up()
    import jieba

    seen: dict[str, None] = {}
    for word in jieba.cut_for_search(text or ""):
        word = word.strip().lower()
        if word and not _PUNCT.match(word):
            seen.setdefault(word, None)
    return list(seen)


def segmented(*texts: str) -> str:
    """The text a model indexes in its extra `search_segmented` SearchField."""
    return " ".join(terms(" ".join(t for t in texts if t)))


def search_segmented(queryset, query: str):
    """`queryset` (of an indexed model declaring a `search_segmented` SearchField) narrowed to what
    matches every segmented word of `query`, through the search backend: (results, words). Results
    are a lazy search result set (sliceable, countable); nothing when the query has no words."""
    from wagtail.search.backends import get_search_backend

    words = terms(query)
    if not words:
        return queryset.none(), words
    return get_search_backend().search(" ".join(words), queryset, operator="and"), words


def excerpt(text: str, words: list[str], width: int = 36) -> str:
    """An HTML-safe excerpt of `text` around the first matched word, matches wrapped in <mark>."""
    text = re.sub(r"\s+", " ", text or "").strip()
    if not text:
        return ""
    lowered = text.lower()
    hits = [(lowered.find(w), w) for w in words if w and lowered.find(w) >= 0]
    if not hits:
        return escape(text[: width * 2]) + ("…" if len(text) > width * 2 else "")
    first = min(hits)[0]
    start = max(0, first - width // 2)
    piece = text[start : start + width * 2]
    longest_first = sorted({w for _, w in hits}, key=len, reverse=True)
    pattern = re.compile("|".join(re.escape(w) for w in longest_first), re.IGNORECASE)
    html = pattern.sub(lambda m: f"\x00{m.group(0)}\x01", piece)
    html = escape(html).replace("\x00", "<mark>").replace("\x01", "</mark>")
    return mark_safe(("…" if start else "") + html + ("…" if start + width * 2 < len(text) else ""))  # noqa: S308
