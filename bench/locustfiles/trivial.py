"""Closed loop against `/healthz/live` (no database, no session) and against the daily lesson page
(a logged-in trainee): their req/s in the same run on the same server give the ratio the issue asks
for. Pick the class on the command line: `locust -f trivial.py TrivialView` or `DailyPage`."""

from common import CONFIG, BenchUser
from locust import constant, task


class TrivialView(BenchUser):
    wait_time = constant(0)

    def on_start(self):
        super().on_start()
        self.headers = {"X-Forwarded-Proto": "https"}  # anonymous: no cookie, nothing to look up

    @task
    def live(self):
        self.request("GET", "/healthz/live", name="trivial view /healthz/live")


class DailyPage(BenchUser):
    wait_time = constant(0)

    @task
    def page(self):
        self.request("GET", CONFIG["daily"]["url"], name="daily lesson page")
