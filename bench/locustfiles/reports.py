"""Scenario 4, reports: administrators of the province, a city and a street open their dashboards,
今日未学 and the statistics API in a closed loop. The pages come from BENCH_REPORTS (JSON list of
{"name", "url", "admin"}, built by bench/run.py); each user is one administrator."""

import json
import os

from common import CONFIG, BenchUser
from locust import constant, task

PAGES = json.loads(os.environ["BENCH_REPORTS"])
ADMINS = sorted({page["admin"] for page in PAGES})
_turn = 0


class Administrator(BenchUser):
    wait_time = constant(0)

    def pick_account(self):
        global _turn
        _turn += 1
        self.admin = ADMINS[_turn % len(ADMINS)]
        self.pages = [page for page in PAGES if page["admin"] == self.admin]
        return CONFIG["admins"][self.admin]

    @task
    def dashboards(self):
        for page in self.pages:
            self.request("GET", page["url"], name=page["name"])
