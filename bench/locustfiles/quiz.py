"""Scenario 2, the quiz burst: N trainees start the 10-question bench quiz at the same instant, save
their answers, wait for each other, and submit at the same instant. Each user runs once."""

import os

from common import CONFIG, TARGET_USERS, BenchUser, answers_for
from gevent.event import Event
from locust import constant, task

SAVED = Event()
_saved = 0
BARRIER_TIMEOUT = float(os.environ.get("BENCH_BARRIER_TIMEOUT", "60"))


class QuizTaker(BenchUser):
    wait_time = constant(0)

    @task
    def quiz(self):
        global _saved
        started = self.request("POST", f"/api/v1/quizzes/{CONFIG['quiz']['id']}/attempts", name="quiz start",
                               expect=(201,))
        attempt = started.json() if started.status_code == 201 else None
        if attempt:
            self.request("PUT", f"/api/v1/attempts/{attempt['id']}/answers", name="quiz save answers",
                         json={"answers": answers_for(attempt)})
        _saved += 1
        if _saved >= TARGET_USERS:
            SAVED.set()
        SAVED.wait(BARRIER_TIMEOUT)  # everyone submits together
        if attempt:
            self.request("POST", f"/api/v1/attempts/{attempt['id']}/submit", name="quiz submit")
        self.finished()
