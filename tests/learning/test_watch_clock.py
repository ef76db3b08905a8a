"""Hole 2 of the outside probe: credited watching time, across all of a trainee's lessons, tabs and
devices, never runs ahead of the wall clock by more than one slack."""

import datetime as dt

import pytest
import time_machine
from django.contrib.auth.models import User

from cms.models import CasePage, LessonPage
from learning.models import LessonProgress
from learning.plausibility import watch_clock
from tests.helpers import login
from tests.learning.test_progress import T0, Player

pytestmark = pytest.mark.django_db
SLACK = 5


@pytest.fixture
def trainee_client():
    return login("trainee")


def _credited(user) -> float:
    return sum(LessonProgress.objects.filter(user=user).values_list("effective_seconds", flat=True))


def test_the_rule_credits_each_wall_second_once_and_the_slack_once():
    credited, until = watch_clock(claimed=0, now=T0, credited_until=None, slack=SLACK)
    assert (credited, until) == (0, T0)  # the first beat starts the clock
    assert watch_clock(claimed=10, now=T0, credited_until=None, slack=SLACK)[0] == SLACK  # nothing before it
    credited, until = watch_clock(claimed=10, now=T0 + dt.timedelta(seconds=5), credited_until=until, slack=SLACK)
    assert credited == 10 and until == T0 + dt.timedelta(seconds=10)  # 5 s of wall time + the whole slack
    credited, until = watch_clock(claimed=10, now=T0 + dt.timedelta(seconds=10), credited_until=until, slack=SLACK)
    assert credited == 5  # the slack is spent: from now on, wall time only
    idle = T0 + dt.timedelta(hours=1)
    assert watch_clock(claimed=30, now=idle, credited_until=until, slack=SLACK)[0] == 30  # a pause costs nothing


def test_a_case_cannot_be_read_faster_than_the_clock_with_the_slack_claimed_on_every_beat(trainee_client):
    """The probe: a 120 s case completed in 40 s of wall time by claiming wall time + 5 s on each beat."""
    user = User.objects.get(username="trainee")
    case = CasePage.objects.live().first()
    with time_machine.travel(T0, tick=False) as clock:
        player = Player(trainee_client, case, clock)
        player.beat(0)
        for _ in range(8):
            assert player.beat(5 + SLACK, wait=5).status_code == 200
    assert _credited(user) <= 40 + SLACK
    assert not LessonProgress.objects.get(user=user, page=case).completed_at


def test_eight_cases_read_round_robin_earn_the_wall_time_not_eight_times_it(trainee_client):
    user = User.objects.get(username="trainee")
    cases = list(CasePage.objects.live()[:8]) or pytest.skip("the demo has no cases")
    lessons = cases + list(LessonPage.objects.live().exclude(video=None)[:8 - len(cases)])
    with time_machine.travel(T0, tick=False) as clock:
        players = [Player(trainee_client, page, clock, session=f"tab-{n}-session") for n, page in enumerate(lessons)]
        for player in players:
            player.beat(0)
        elapsed = 0
        for _round in range(4):
            for player in players:
                clock.shift(3)
                elapsed += 3
                player.beat(min(elapsed, 3 * len(players)) if _round else 3)  # each lesson's own wall time
    assert _credited(user) <= elapsed + SLACK, (_credited(user), elapsed)


def test_ten_fresh_players_at_once_earn_at_most_the_slack(trainee_client):
    user = User.objects.get(username="trainee")
    pages = list(LessonPage.objects.live())[:10]
    with time_machine.travel(T0, tick=False):
        for n, page in enumerate(pages):
            Player(trainee_client, page, None, session=f"fresh-{n}-session").beat(SLACK)
    assert _credited(user) <= SLACK + 0.5
