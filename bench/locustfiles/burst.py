"""Scenario 1, the 08:30 burst: N logged-in trainees start at the same instant, open /daily/today/
(302 to the lesson), play its video with heartbeats and finish with the lesson's quiz (which
completes the lesson and writes its ledger entry). Each user runs the flow once; the run ends when
the last one finishes.

Time is compressed: the demo clips last seconds, and a beat goes every BENCH_BEAT_SECONDS (default 3)
claiming the wall time since the previous one — what the server checks it against — instead of the
player's 30 s. The beats a real morning spreads over minutes therefore arrive within seconds: a
harsher load than the real one, per user.
"""

import os
import time
import uuid

import gevent
from common import CONFIG, BenchUser, answers_for, path_of
from locust import constant, task

BEAT = float(os.environ.get("BENCH_BEAT_SECONDS", "3"))


def take_quiz(user, quiz_id: int, label: str) -> None:
    started = user.request("POST", f"/api/v1/quizzes/{quiz_id}/attempts", name=f"{label} start", expect=(201,))
    if started.status_code != 201:
        return
    attempt = started.json()
    user.request("PUT", f"/api/v1/attempts/{attempt['id']}/answers", name=f"{label} save",
                 json={"answers": answers_for(attempt)})
    user.request("POST", f"/api/v1/attempts/{attempt['id']}/submit", name=f"{label} submit")


class MorningTrainee(BenchUser):
    wait_time = constant(0)

    @task
    def morning(self):
        daily = CONFIG["daily"]
        redirect = self.request("GET", "/daily/today/", name="/daily/today/ (302)", expect=(302,),
                                allow_redirects=False)
        self.request("GET", path_of(redirect.headers.get("Location") or daily["url"]), name="daily lesson page")
        url, session, duration = f"/api/v1/lessons/{daily['id']}/heartbeat", uuid.uuid4().hex[:16], daily["duration"]
        seq, position = 1, 0.0
        self.request("POST", url, name="heartbeat", json={"session": session, "seq": seq, "position": 0, "watched": 0})
        last = time.monotonic()
        while position < duration:
            gevent.sleep(min(BEAT, duration - position))
            now = time.monotonic()
            watched = min(now - last, duration - position)
            last, position, seq = now, position + watched, seq + 1
            self.request("POST", url, name="heartbeat", json={
                "session": session, "seq": seq, "position": round(position, 1), "watched": round(watched, 1)})
        if daily.get("quiz_id"):
            take_quiz(self, daily["quiz_id"], "daily quiz")
        self.finished()
