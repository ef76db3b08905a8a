"""Per-user state on content pages: `cms` templates load these tags instead of importing `learning`."""

from decimal import Decimal

from django import template
from django.template.defaultfilters import floatformat

from learning import rules, selectors
from learning.plausibility import percent
from learning.services.progress import required_seconds

register = template.Library()


@register.inclusion_tag("learning/includes/tracker.html", takes_context=True)
def lesson_tracker(context, page):
    """The progress bar and the data the player script needs to send heartbeats and resume."""
    request = context["request"]
    user = request.user
    progress = selectors.lesson_progress(user, page.pk) if user.is_authenticated else None
    needed = required_seconds(page)
    effective = progress.effective_seconds if progress else 0
    return {
        "request": request,
        "user": user,
        "page": page,
        "csrf_token": context.get("csrf_token"),
        "has_video": bool(getattr(page, "video", None)),
        "resume": progress.position_seconds if progress and not progress.completed_at else 0,
        "completed": bool(progress and progress.completed_at),
        "percent": percent(effective, needed),
        "required": needed,
        "interval": rules.rule("heartbeat_interval_seconds"),
    }


@register.simple_tag(takes_context=True)
def lessons_completed(context, lessons) -> set[int]:
    """`{% lessons_completed lessons as done %}`: the ids of the lessons the reader has finished, for the
    course page's ticks; one query for the whole list (none for a visitor)."""
    return selectors.completed_lesson_ids(context["request"].user, (lesson.pk for lesson in lessons))


@register.inclusion_tag("learning/includes/enrollment.html", takes_context=True)
def course_enrollment(context, course):
    """报名 / 已报名 / 退出 on a course page."""
    from learning.models import Enrollment

    user = context["request"].user
    enrollment = Enrollment.objects.filter(user=user, course=course).first() if user.is_authenticated else None
    return {"request": context["request"], "user": user, "course": course, "enrollment": enrollment,
            "csrf_token": context.get("csrf_token")}


@register.filter
def signed(value) -> str:
    """A ledger amount with its sign: "+0.5", "−1.5" (a correction's reversal), "+0"."""
    number = Decimal(value or 0)
    text = floatformat(abs(number), "-2")
    return f"−{text}" if number < 0 else f"+{text}"
