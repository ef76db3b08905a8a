"""The public surface of `cms` for other apps: the daily-lesson rules, and Chinese search (jieba-segmented
index fields and queries) for any indexed model."""

from cms.models.daily import PUBLISH_TIME
from cms.search import search_segmented, segmented
from cms.selectors import daily_lesson_for, daily_lesson_pending, expected_daily_lesson

__all__ = [
    # 八点半课堂: a workday's lesson goes live at PUBLISH_TIME (Beijing time)
    "PUBLISH_TIME", "daily_lesson_for", "daily_lesson_pending", "expected_daily_lesson",
    # search: index `segmented(...)` in a `search_segmented` SearchField, query with `search_segmented`
    "search_segmented", "segmented",
]
