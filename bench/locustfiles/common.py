"""Shared by the locustfiles: the prepared sessions, the headers a browser behind the HTTPS proxy
sends, a synchronised start, and a clean exit once every simulated user has finished its flow.

Configuration comes from the environment (set by bench/run.py): BENCH_CONFIG (the JSON written by
bench/prepare.py) and, per scenario, BENCH_* knobs documented in each locustfile.
"""

import itertools
import json
import os
from urllib.parse import urlsplit

import gevent
from gevent.event import Event
from locust import events
from locust.contrib.fasthttp import FastHttpUser
from locust.exception import StopUser

with open(os.environ["BENCH_CONFIG"]) as _fh:
    CONFIG = json.load(_fh)

START = Event()  # set once every user is spawned: they all begin at the same instant
_finished = itertools.count(1)
_next_user = itertools.count()
TARGET_USERS = int(os.environ.get("BENCH_USERS", "0"))


@events.spawning_complete.add_listener
def _everyone_spawned(user_count, **kwargs):
    START.set()


def path_of(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def answers_for(attempt: dict) -> dict:
    """Plausible answers: the first option, true, or a word; right or wrong does not matter here."""
    answers = {}
    for question in attempt.get("questions", []):
        kind = question["kind"]
        answers[str(question["id"])] = {"single": "A", "multiple": ["A", "B"], "truefalse": True}.get(kind, "社区")
    return answers


class BenchUser(FastHttpUser):
    """A browser with a prepared session, behind a proxy that terminated HTTPS."""

    abstract = True
    network_timeout = 60.0
    connection_timeout = 60.0
    account = None  # one entry of CONFIG["users"] or CONFIG["admins"]

    def pick_account(self) -> dict:
        users = CONFIG["users"]
        return users[next(_next_user) % len(users)]

    def on_start(self):
        self.account = self.account or self.pick_account()
        origin = f"https://{urlsplit(self.host).netloc}"
        self.headers = {
            "X-Forwarded-Proto": "https",  # what nginx sends; production settings trust it
            "Origin": origin, "Referer": origin + "/",
            "Cookie": f"sessionid={self.account['sessionid']}; csrftoken={self.account['csrftoken']}",
            "X-CSRFToken": self.account["csrftoken"],
        }
        START.wait()

    def request(self, method: str, path: str, name: str, *, expect: tuple[int, ...] = (200,), **kwargs):
        """One request; any status outside `expect` counts as an error, with the reason."""
        with self.client.request(method, path, name=name, headers=self.headers, catch_response=True,
                                 **kwargs) as response:
            if response.status_code not in expect:
                detail = (response.text or "")[:120].replace("\n", " ")
                response.failure(f"HTTP {response.status_code}: {detail}")
            else:
                response.success()
            return response

    def finished(self):
        """This user's flow is done; the last one to finish ends the run (its elapsed time is the burst's)."""
        if TARGET_USERS and next(_finished) >= TARGET_USERS:
            gevent.spawn_later(0.1, self.environment.runner.quit)
        raise StopUser()
