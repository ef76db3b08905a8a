"""Heartbeat plausibility: how much of what a player claims is credited. Pure rules, no database.

The server trusts nothing the browser says about time: a beat may claim at most the wall time since
the previous accepted beat (of any tab or device) plus a small slack, credit stops at the media's
length, and a beat already seen (same player session, sequence number not higher) is refused. Across
all of a trainee's lessons, tabs and devices, credited time never runs ahead of the wall clock by more
than one slack (`watch_clock`): reading eight cases round-robin, or ten fresh players at once, earns
the time that really passed.
"""

import datetime as dt


def beat_refusal(*, session: str, seq: int, watched: float, now: dt.datetime, last_session: str,
                 last_seq: int, last_beat_at: dt.datetime | None, slack: float) -> str | None:
    """Why this beat is refused ("replayed_beat", "implausible_beat"), or None when it is plausible."""
    if session == last_session and seq <= last_seq:
        return "replayed_beat"
    elapsed = (now - last_beat_at).total_seconds() if last_beat_at else 0.0
    if watched > max(elapsed, 0.0) + slack:
        return "implausible_beat"
    return None


def watch_clock(*, claimed: float, now: dt.datetime, credited_until: dt.datetime | None,
                slack: float) -> tuple[float, dt.datetime]:
    """(seconds credited, the trainee's new `credited_until`) for a beat claiming `claimed` seconds
    watched up to `now`. The claim covers [now - claimed, now]; nothing before the trainee's first beat
    (the clock starts there) and nothing already credited to any lesson is credited again, and the clock
    may run at most `slack` ahead of `now` — one slack, used once, not one per beat."""
    if credited_until is None:
        credited_until = now
    start = max(now - dt.timedelta(seconds=claimed), credited_until)
    limit = now + dt.timedelta(seconds=slack)
    credited = max(0.0, min(claimed, (limit - start).total_seconds()))
    return credited, max(credited_until, start + dt.timedelta(seconds=credited))


def credited_seconds(*, watched: float, total: float, effective: float) -> float:
    """The part of `watched` that counts: never negative, never past the media's `total` length."""
    return max(0.0, min(watched, total - effective))


def clamped_position(position: float, total: float) -> float:
    """The resume position, inside the media (any non-negative position when its length is unknown)."""
    return max(0.0, min(position, total)) if total else max(0.0, position)


def percent(effective: float, needed: float) -> int:
    """Progress shown to the trainee: whole percent of the seconds needed, at most 100."""
    return min(100, int(effective * 100 // needed)) if needed else 100
