"""The heartbeat plausibility rules on their own (the API-level checks are in test_progress.py)."""

import datetime as dt

import pytest

from learning.plausibility import beat_refusal, clamped_position, credited_seconds, percent

T0 = dt.datetime(2026, 11, 24, 9, tzinfo=dt.UTC)


def refusal(*, watched, after=30.0, session="tab-one", seq=2, last_session="tab-one", last_seq=1, first=False):
    return beat_refusal(session=session, seq=seq, watched=watched, now=T0 + dt.timedelta(seconds=after),
                        last_session=last_session, last_seq=last_seq, last_beat_at=None if first else T0, slack=5)


@pytest.mark.parametrize(("watched", "expected"), [(0, None), (30, None), (35, None), (35.5, "implausible_beat"),
                                                   (36, "implausible_beat")])
def test_a_beat_may_claim_the_wall_time_plus_the_slack_and_no_more(watched, expected):
    assert refusal(watched=watched) == expected


def test_the_first_beat_of_a_lesson_may_claim_only_the_slack():
    assert refusal(watched=5, first=True) is None
    assert refusal(watched=6, first=True) == "implausible_beat"


def test_a_clock_that_went_backwards_allows_only_the_slack():
    assert refusal(watched=5, after=-60) is None
    assert refusal(watched=6, after=-60) == "implausible_beat"


@pytest.mark.parametrize(("session", "seq", "expected"), [("tab-one", 1, "replayed_beat"), ("tab-one", 0, "replayed_beat"),
                                                          ("tab-one", 2, None), ("tab-two", 1, None)])
def test_a_sequence_number_already_seen_in_the_same_session_is_a_replay(session, seq, expected):
    assert refusal(watched=10, session=session, seq=seq) == expected


def test_a_replay_is_named_as_such_even_when_it_also_claims_too_much():
    assert refusal(watched=100, seq=1) == "replayed_beat"


def test_credit_stops_at_the_media_length_and_is_never_negative():
    assert credited_seconds(watched=30, total=600, effective=100) == 30
    assert credited_seconds(watched=30, total=600, effective=590) == 10
    assert credited_seconds(watched=30, total=600, effective=600) == 0
    assert credited_seconds(watched=-5, total=600, effective=0) == 0


def test_the_position_stays_inside_the_media():
    assert clamped_position(120, 600) == 120
    assert clamped_position(999, 600) == 600
    assert clamped_position(-3, 600) == 0
    assert clamped_position(999, 0) == 999  # length unknown: any forward position
    assert clamped_position(-3, 0) == 0


@pytest.mark.parametrize(("effective", "needed", "shown"), [(0, 540, 0), (53.9, 540, 9), (54, 540, 10),
                                                            (539.9, 540, 99), (540, 540, 100), (600, 540, 100),
                                                            (10, 0, 100)])
def test_the_percent_is_whole_capped_at_100_and_full_when_nothing_is_needed(effective, needed, shown):
    assert percent(effective, needed) == shown
