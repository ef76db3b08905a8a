"""Faults with counts (bench/faults.py, also `make faults`): thousands of heartbeat, quiz and credit events
while the worker is killed, the broker (a private redis-server) is down for a minute and a private
PostgreSQL cluster crashes and restarts. Lost 0, duplicated 0, no server error while the broker is down,
and every growth record equal to a rebuild within two minutes of the load."""

import json
import os
import shutil
import subprocess
import sys

import pytest

from tests.helpers import report
from tests.worker import ROOT

pytestmark = [pytest.mark.postgres, pytest.mark.redis]


def test_nothing_is_lost_or_credited_twice_through_a_killed_worker_a_lost_broker_and_a_database_crash(tmp_path):
    missing = [tool for tool in ("initdb", "pg_ctl", "redis-server") if not shutil.which(tool)]
    if missing:
        message = f"needs {', '.join(missing)} on PATH (PostgreSQL's server binaries, redis-server)"
        if os.environ.get("REQUIRE_SERVICES") == "1":
            pytest.fail(message)
        pytest.skip(message)
    out = tmp_path / "faults.json"
    done = subprocess.run([sys.executable, "-m", "bench.faults", "--trainees", "150", "--seconds", "150",
                           "--json", str(out)], cwd=ROOT, capture_output=True, text=True, timeout=900)
    summary = next((line for line in done.stdout.splitlines() if line.startswith("faults:")), "")
    assert out.exists(), done.stdout[-3000:] + done.stderr[-3000:]
    counts = json.loads(out.read_text())
    report(summary)
    assert counts["events"] >= 2_500 and counts["acknowledged"] > counts["events"] / 2, summary
    assert counts["by_kind"].get("quiz", 0) > 0 and counts["replays"].get("heartbeat", 0) > 0, summary
    assert counts["lost_watch"] == counts["lost_completions"] == counts["lost_quiz"] == 0, summary
    assert counts["duplicated_credits"] == counts["replays_that_credited"] == 0, summary
    assert counts["server_errors_broker_down"] == 0 and counts["http_500"] == 0, counts["samples"]
    assert counts["converged_seconds"] is not None and counts["converged_seconds"] <= 120, summary
    assert done.returncode == 0, done.stderr[-3000:]
