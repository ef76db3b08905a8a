"""Small helpers shared by tests that sign demo accounts in and look organisations up by code."""

from django.contrib.auth.models import User
from django.test import Client

from orgs.api import Organization


def login(username: str) -> Client:
    """A test client signed in as the demo account `username`."""
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


def org(code: str) -> Organization:
    return Organization.objects.get(code=code)

