"""Heartbeat plausibility: how much of what a player claims is credited. Pure rules, no database.

The server trusts nothing the browser says about time: a beat may claim at most the wall time since
the previous accepted beat (of any tab or device) plus a small slack, credit stops at the media's
length, and a beat already seen (same player session, sequence number not higher) is refused.
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


def credited_seconds(*, watched: float, total: float, effective: float) -> float:
    """The part of `watched` that counts: never negative, never past the media's `total` length."""
    return max(0.0, min(watched, total - effective))


def clamped_position(position: float, total: float) -> float:
    """The resume position, inside the media (any non-negative position when its length is unknown)."""
    return max(0.0, min(position, total)) if total else max(0.0, position)


def percent(effective: float, needed: float) -> int:
    """Progress shown to the trainee: whole percent of the seconds needed, at most 100."""
    return min(100, int(effective * 100 // needed)) if needed else 100
