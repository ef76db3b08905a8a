"""Every COLLEGE_* setting the code reads is declared with its default; production insists on the secrets."""

import os
import re
import subprocess
import sys
from pathlib import Path

from django.conf import settings

from config.settings import base

ROOT = Path(__file__).resolve().parents[2]
APPS = ["core", "cms", "orgs", "notifications", "learning", "certificates", "growth", "assessments", "stats",
        "config", "devtools"]


def test_every_college_setting_read_by_the_code_is_declared_in_the_base_settings():
    read = set()
    for app in APPS:
        for source in (ROOT / app).rglob("*.py"):
            text = source.read_text(encoding="utf-8")
            read |= set(re.findall(r"settings\.(COLLEGE_[A-Z_]+)", text))
            assert not re.search(r"getattr\(settings, [\"']COLLEGE_", text), f"{source}: read a declared setting directly"
    assert read, "the scan found no COLLEGE_* reads at all"
    assert sorted(name for name in read if not hasattr(base, name)) == []
    assert settings.COLLEGE_CERTIFICATE_ISSUER == "社区干部网络学院"


def _production_check(**extra) -> subprocess.CompletedProcess:
    env = {"PATH": os.environ["PATH"], "DJANGO_SETTINGS_MODULE": "config.settings.production",
           "SECRET_KEY": "x" * 60, "ALLOWED_HOSTS": "college.example",
           "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/postgres", "CELERY_BROKER_URL": "redis://127.0.0.1:6379/0",
           **extra}
    return subprocess.run([sys.executable, "-c", "import django; django.setup()"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)


def test_production_refuses_to_start_without_an_initial_password_for_imported_accounts():
    refused = _production_check()
    assert refused.returncode != 0 and "Set the COLLEGE_INITIAL_PASSWORD environment variable." in refused.stderr
    assert _production_check(COLLEGE_INITIAL_PASSWORD="Chang3-me-2027").returncode == 0



def _local_debug(**env) -> str:
    return subprocess.run([sys.executable, "-c", "import django; django.setup(); from django.conf import settings; "
                           "print(settings.DEBUG)"], cwd=ROOT, capture_output=True, text=True, timeout=120,
                          env={**{k: v for k, v in os.environ.items() if k != "COLLEGE_DEBUG"},
                               "DJANGO_SETTINGS_MODULE": "config.settings.local", **env}).stdout.strip()


def test_make_run_shows_visitors_the_production_error_pages_unless_debugging_is_asked_for():
    assert _local_debug() == "False"  # no technical 404 listing every URL pattern
    assert _local_debug(COLLEGE_DEBUG="1") == "True"
