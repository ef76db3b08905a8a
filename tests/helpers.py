"""Small helpers shared by tests that sign demo accounts in and look organisations up by code."""

from django.contrib.auth.models import User
from django.test import Client

from orgs.api import Organization

COUNTS: list[str] = []  # the permanent suites' counts, printed at the end of every run (tests/conftest.py)


def report(line: str) -> None:
    """Record a suite's counts for the run's summary (passing tests' output is otherwise not shown)."""
    COUNTS.append(line)


def login(username: str) -> Client:
    """A test client signed in as the demo account `username`."""
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


def org(code: str) -> Organization:
    return Organization.objects.get(code=code)

