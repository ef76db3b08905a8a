"""A college running the main of before the apps were split upgrades with `migrate` alone and keeps
every row: the old code (from git) builds a PostgreSQL database with its migrations and the demo
college, the new code migrates it, and every table the old one had holds the same rows."""

import os
import subprocess
import textwrap
import uuid
from pathlib import Path

import psycopg
import pytest
from django.conf import settings

pytestmark = pytest.mark.postgres
ROOT = Path(__file__).resolve().parents[2]
# The newest main that ran in production before models moved out of `learning`.
UPGRADE_FROM = "ac48394"
# Tables whose rows migrate rightly changes: the migration record, content types (a moved model's
# app label — checked below), permissions (new models get theirs; the old ones are checked below).
CHANGING = {"django_migrations", "django_content_type", "auth_permission", "django_session"}


def _checkout(target: Path) -> None:
    if subprocess.run(["git", "cat-file", "-e", f"{UPGRADE_FROM}^{{commit}}"], cwd=ROOT).returncode:
        pytest.fail(f"commit {UPGRADE_FROM} is not in this clone: the upgrade test needs the history")
    target.mkdir()
    archive = subprocess.run(["git", "archive", UPGRADE_FROM], cwd=ROOT, check=True, capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(target)], input=archive, check=True)


def _manage(cwd: Path, url: str, *args: str) -> str:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test", "DATABASE_URL": url,
           "PYTHONPATH": str(cwd)}
    env.pop("TEST_CLOCK_OFFSET_SECONDS", None)
    done = subprocess.run([str(ROOT / ".venv" / "bin" / "python"), "manage.py", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-4000:]
    return done.stdout


def _shell(cwd: Path, url: str, code: str) -> str:
    return _manage(cwd, url, "shell", "-c", textwrap.dedent(code))


def _columns(conn) -> dict[str, list[str]]:
    columns: dict[str, list[str]] = {}
    for table, column in conn.execute(
            "SELECT c.table_name, c.column_name FROM information_schema.columns c JOIN information_schema.tables t"
            " USING (table_schema, table_name) WHERE c.table_schema = 'public' AND t.table_type = 'BASE TABLE'"
            " ORDER BY c.table_name, c.ordinal_position"):
        columns.setdefault(table, []).append(column)
    return columns


def _tables(conn, columns: dict[str, list[str]]) -> dict[str, tuple[int, str]]:
    """Row count and a checksum of every row over `columns` (the old tables' columns: a column a
    migration adds, such as a nullable cover image, does not count as a changed row)."""
    present = _columns(conn)
    result = {}
    for name, names in columns.items():
        if name not in present:
            continue
        row = "ROW(" + ", ".join(f'"{c}"' for c in names) + ")::text"
        result[name] = conn.execute(
            f"SELECT count(*), md5(coalesce(string_agg({row}, '|' ORDER BY {row}), '')) FROM \"{name}\"").fetchone()
    return result


@pytest.fixture
def database():
    db = settings.DATABASES["default"]
    server = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}"
    name = f"college_upgrade_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{server}/{name}"
    finally:
        with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_migrating_the_old_database_keeps_every_row_and_serves_a_trainee(tmp_path, database):
    old = tmp_path / "old"
    _checkout(old)
    _manage(old, database, "migrate", "--noinput")
    _manage(old, database, "load_demo_data", "--skip-index")
    # What an administrator entered before the upgrade, and a group allowed to enter it.
    _shell(old, database, """
        import datetime as dt
        from django.contrib.auth.models import Group, Permission, User
        from learning.models import WorkdayOverride
        WorkdayOverride.objects.create(date=dt.date(2027, 2, 20), is_workday=True, note="升级前录入")
        group = Group.objects.create(name="日历管理员")
        group.permissions.add(Permission.objects.get(codename="change_workdayoverride"))
        User.objects.get(username="trainer").groups.add(group)
    """)
    with psycopg.connect(database) as conn:
        old_columns = _columns(conn)
        before = _tables(conn, old_columns)
        old_permissions = set(conn.execute(
            "SELECT p.id, p.codename, c.model FROM auth_permission p JOIN django_content_type c ON c.id = p.content_type_id"))
        old_types = dict(conn.execute("SELECT id, model FROM django_content_type"))

    _manage(ROOT, database, "migrate", "--noinput")

    with psycopg.connect(database) as conn:
        after = _tables(conn, old_columns)
        new_permissions = set(conn.execute(
            "SELECT p.id, p.codename, c.model FROM auth_permission p JOIN django_content_type c ON c.id = p.content_type_id"))
        new_types = dict(conn.execute("SELECT id, model FROM django_content_type"))
    changed = {name: (before[name], after.get(name)) for name in before
               if name not in CHANGING and after.get(name) != before[name]}
    assert not changed, changed
    assert before["wagtailcore_page"][0] > 10 and before["learning_ledgerentry"][0] > 100  # a real college
    assert old_permissions <= new_permissions  # same ids, same codenames: every group keeps its rights
    assert all(new_types.get(pk) == model for pk, model in old_types.items())  # no content type re-created

    out = _shell(ROOT, database, """
        from django.contrib.auth.models import User
        from django.test import Client
        from core.api import calendar
        import datetime as dt
        client = Client()
        client.force_login(User.objects.get(username="trainee11"))
        page = client.get("/me/")
        print("me", page.status_code, "我的学习" in page.content.decode())
        day = calendar.calendar_day(dt.date(2027, 2, 20))
        print("calendar", day.source.value, day.name, day.is_workday)
        print("perm", User.objects.get(username="trainer").has_perm("core.change_workdayoverride"))
    """)
    assert "me 200 True" in out
    assert "calendar override 升级前录入 True" in out
    assert "perm True" in out
