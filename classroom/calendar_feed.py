"""The trainee's sessions as an iCalendar feed (RFC 5545), built with `icalendar`."""

from django.utils import timezone
from icalendar import Calendar, Event

from classroom.models import TrainingSession


def ics(sessions: list[TrainingSession], *, host: str) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//社区干部网络学院//面授课程//ZH")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", "面授课程")
    calendar.add("x-wr-timezone", timezone.get_current_timezone_name())
    stamp = timezone.now()
    for session in sessions:
        event = Event()
        event.add("uid", f"session-{session.pk}@{host.split(':')[0] or 'college'}")
        event.add("dtstamp", stamp)
        event.add("dtstart", session.starts_at)
        event.add("dtend", session.ends_at)
        event.add("summary", f"【{session.get_kind_display()}】{session.title}")
        if session.venue:
            event.add("location", session.venue)
        lines = [f"培训班：{session.training_class.name}", f"学时：{session.credit_hours.normalize():f}"]
        if getattr(session, "signed_up", False):
            lines.append("已报名")
        event.add("description", "\n".join(lines))
        calendar.add_component(event)
    return calendar.to_ical()
