"""Shared fixtures: the demo college loaded once per session, service and browser gates.

Tests marked `postgres`, `redis` or `browser` skip on a machine without those (with a line saying
how to run them); CI sets REQUIRE_SERVICES=1 / REQUIRE_BROWSER=1 so they can never skip there.
"""

import os
import shutil
import socket
from urllib.parse import urlparse

import pytest
from django.conf import settings
from django.core.management import call_command

# pytest-django's live_server + Playwright's sync API share a thread with an event loop.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
HOW_TO = {
    "postgres": "needs PostgreSQL — run: DATABASE_URL=postgres://postgres@127.0.0.1:5432/college make test",
    "redis": "needs Redis — run: CELERY_BROKER_URL=redis://127.0.0.1:6379/15 make test",
    "browser": "needs Debian's chromium — run: apt-get install -y chromium fonts-wqy-zenhei && make test",
    "poppler": "needs pdftoppm — run: apt-get install -y poppler-utils && make test",
}
# Which CI switch forbids skipping: the rendering tools come with the browser's system packages.
REQUIRED_BY = {"postgres": "REQUIRE_SERVICES", "redis": "REQUIRE_SERVICES", "browser": "REQUIRE_BROWSER",
               "poppler": "REQUIRE_BROWSER"}


def pytest_configure(config):
    """TEST_CLOCK=<ISO instant> runs the whole session under that clock (see tests/clock.py)."""
    from tests import clock

    config._shifted_clock = clock.start(os.environ.get("TEST_CLOCK") or None)


def pytest_terminal_summary(terminalreporter):
    from tests.helpers import COUNTS

    if COUNTS:
        terminalreporter.section("suite counts")
        for line in COUNTS:
            terminalreporter.write_line(line)


def pytest_report_header(config):
    if config._shifted_clock:
        return f"shifted clock: the session starts at {config._shifted_clock.isoformat()} (TEST_CLOCK)"
    return None


def _reachable(url: str) -> bool:
    parsed = urlparse(url)
    try:
        with socket.create_connection((parsed.hostname or "127.0.0.1", parsed.port or 6379), timeout=1):
            return True
    except OSError:
        return False


def _available(marker: str) -> bool:
    if marker == "postgres":
        return settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
    if marker == "redis":
        return settings.CELERY_BROKER_URL.startswith("redis") and _reachable(settings.CELERY_BROKER_URL)
    if marker == "poppler":
        return shutil.which("pdftoppm") is not None
    return os.path.exists(CHROMIUM)


def pytest_runtest_setup(item):
    for marker, required_by in REQUIRED_BY.items():
        if item.get_closest_marker(marker) and not _available(marker):
            if os.environ.get(required_by) == "1":
                pytest.fail(f"{required_by}=1 but this test {HOW_TO[marker]}")
            pytest.skip(HOW_TO[marker])


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Every test starts from the demo college (rolled back after each test)."""
    with django_db_blocker.unblock():
        call_command("load_demo_data", verbosity=0)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--autoplay-policy=no-user-gesture-required"],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    """Playwright's own string predicates (wait_for_function) are eval'd in the page, which the strict
    Content-Security-Policy forbids: tests bypass it, except tests/core/test_csp.py, which checks it.
    The service worker is blocked (it would fetch the app shell from the live server after a test has
    ended) except in tests/cms/test_app_browser.py, which tests it in contexts of its own."""
    return {**browser_context_args, "bypass_csp": True, "service_workers": "block"}


@pytest.fixture(scope="session")
def base_url():
    """Browser tests address `live_server.url`; this replaces pytest-playwright's fallback fixture, an
    instance method that pytest deprecates (and our warnings filter turns into an error)."""
    return None


@pytest.fixture
def phone_page(page):
    page.set_viewport_size({"width": 360, "height": 740})
    return page


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate-limit counters (allauth, heartbeats) must not leak from one test into the next."""
    from django.core.cache import cache

    cache.clear()
