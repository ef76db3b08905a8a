"""`make mutants`: mutation testing (cosmic-ray) of the rule modules, with the kill rate per module.

Each rule module is mutated one small change at a time (a number, a comparison, a boolean, an
operator) and its tests run against every mutant; a mutant the tests do not notice "survives".
The run works in copies of the checkout under var/mutants/ (cosmic-ray edits files in place), two
at a time on two cores, each on its own SQLite test database kept between runs (--reuse-db), so a
mutant costs one pytest start plus its tests. Survivors we accept, with the reason, are in ACCEPTED.

    make mutants                     # every module
    make mutants MODULES=learning/rules.py
"""

import argparse
import concurrent.futures
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "var" / "mutants"
PYTEST = "python -m pytest -x -q -p no:warnings --reuse-db --timeout=120"

# Rule module → the tests that state its rules.
MODULES = {
    "learning/rules.py": ["tests/learning/test_progress.py", "tests/assessments/test_completion.py",
                          "tests/learning/test_growth.py", "tests/learning/test_journal.py"],
    "learning/plausibility.py": ["tests/learning/test_plausibility.py", "tests/learning/test_progress.py"],
    "assessments/grading.py": ["tests/assessments/test_grading.py", "tests/assessments/test_attempts.py"],
    "learning/scoping.py": ["tests/learning/test_scoping.py", "tests/learning/test_reports.py",
                            "tests/learning/test_journal.py"],
    "growth/streaks.py": ["tests/growth/test_streaks.py", "tests/growth/test_growth.py"],
    "learning/completion.py": ["tests/assessments/test_completion.py"],
    "learning/services/ledger.py": ["tests/learning/test_ledger.py"],
    "core/calendar.py": ["tests/core/test_calendar.py", "tests/core/test_admin_calendar.py"],
    "core/holiday_schedule.py": ["tests/core/test_holiday_schedule.py"],
}

# Survivors accepted, as (module, text on the mutated line): why no test should notice them.
ACCEPTED = {
    ("learning/rules.py", '"heartbeat_interval_seconds": 30'): "a hint for the player's beat interval; "
    "the server's check is the wall clock, whatever the interval",
    ("learning/rules.py", '"heartbeat_rate": "30/m"'): "a string: cosmic-ray does not mutate it",
}


def _copy_checkout(target: Path) -> None:
    """A copy of the tracked files (times kept) sharing this checkout's virtualenv."""
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    files = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, check=True, capture_output=True).stdout
    subprocess.run(["xargs", "-0", "cp", "-a", "--parents", "-t", str(target)], cwd=ROOT, input=files, check=True)


def _env(copy: Path) -> dict:
    return {**os.environ, "TEST_SQLITE_FILE": str(copy / "var" / "mutants-test.sqlite3"),
            "PATH": f"{ROOT / '.venv' / 'bin'}:{os.environ['PATH']}", "DJANGO_SETTINGS_MODULE": "config.settings.test"}


def _config(module: str, tests: list[str]) -> str:
    return f"""[cosmic-ray]
module-path = "{module}"
timeout = 240.0
excluded-modules = []
test-command = "{PYTEST} {' '.join(tests)}"

[cosmic-ray.distributor]
name = "local"
"""


def _run_module(copy: Path, module: str) -> Path:
    """Mutate `module` in `copy` and run its tests against each mutant; returns the session file."""
    env = _env(copy)
    name = module.replace("/", "_").removesuffix(".py")
    config, session = copy / f"{name}.toml", WORK / f"{name}.sqlite"
    config.write_text(_config(module, MODULES[module]))
    session.unlink(missing_ok=True)
    for command in (["cosmic-ray", "init", str(config), str(session)], ["cr-filter-pragma", str(session)],
                    ["cosmic-ray", "exec", str(config), str(session)]):
        subprocess.run(command, cwd=copy, env=env, check=True, stdout=subprocess.DEVNULL)
    return session


def _worker(copy: Path, modules: list[str]) -> list[tuple[str, Path, float]]:
    _copy_checkout(copy)
    # Build the test database once (migrations + the demo college); every mutant run reuses it.
    subprocess.run([*PYTEST.replace("--reuse-db", "--create-db").split(), "tests/core/test_calendar.py"], cwd=copy,
                   env=_env(copy), check=True, stdout=subprocess.DEVNULL)
    done = []
    for module in modules:
        started = time.monotonic()
        done.append((module, _run_module(copy, module), time.monotonic() - started))
    return done


def _outcomes(session: Path):
    from cosmic_ray.work_db import WorkDB, use_db
    from cosmic_ray.work_item import TestOutcome

    with use_db(str(session), WorkDB.Mode.open) as db:
        for item, result in db.completed_work_items:
            mutation = item.mutations[0]
            yield mutation, result.test_outcome or TestOutcome.INCOMPETENT


def _source_lines(module: str) -> list[str]:
    """The module as the copies had it when they were mutated (the checkout may have moved on)."""
    for path in [*sorted(WORK.glob(f"copy-*/{module}")), ROOT / module]:
        if path.exists():
            return path.read_text().splitlines()
    return []


def report(results: list[tuple[str, Path, float]]) -> int:
    from cosmic_ray.work_item import TestOutcome

    rows, survivors = [], []
    for module, session, seconds in sorted(results):
        lines = _source_lines(module)
        counts = {outcome: 0 for outcome in TestOutcome}
        accepted = 0
        for mutation, outcome in _outcomes(session):
            counts[outcome] += 1
            if outcome == TestOutcome.SURVIVED:
                line = lines[mutation.start_pos[0] - 1].strip()
                reason = next((why for (mod, text), why in ACCEPTED.items() if mod == module and text in line), None)
                accepted += reason is not None
                survivors.append((module, mutation.start_pos[0], mutation.operator_name, line, reason))
        valid = counts[TestOutcome.KILLED] + counts[TestOutcome.SURVIVED]
        rate = 100 * counts[TestOutcome.KILLED] / valid if valid else 100.0
        rows.append((module, valid, counts[TestOutcome.KILLED], counts[TestOutcome.SURVIVED], accepted,
                     counts[TestOutcome.INCOMPETENT], rate, seconds))
    print("\n| module | mutants | killed | survived | accepted | incompetent | kill rate | time |")
    print("|---|---|---|---|---|---|---|---|")
    for module, valid, killed, survived, accepted, incompetent, rate, seconds in rows:
        print(f"| {module} | {valid} | {killed} | {survived} | {accepted} | {incompetent} | {rate:.0f} % "
              f"| {seconds / 60:.1f} min |")
    if survivors:
        print("\nSurvivors:")
        for module, line_no, operator, line, reason in survivors:
            print(f"- {module}:{line_no} {operator.split('/')[-1]}: `{line[:90]}`"
                  + (f" — accepted: {reason}" if reason else ""))
    return 0 if all(row[6] >= 90 for row in rows) else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("modules", nargs="*", default=list(MODULES))
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    unknown = set(args.modules) - set(MODULES)
    if unknown:
        parser.error(f"not a rule module: {', '.join(sorted(unknown))}")
    WORK.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    # Largest modules first, dealt round-robin: the workers finish at about the same time.
    ordered = sorted(args.modules, key=lambda m: -(ROOT / m).stat().st_size)
    shares = [ordered[n::args.workers] for n in range(args.workers)]
    with concurrent.futures.ThreadPoolExecutor(args.workers) as pool:
        futures = [pool.submit(_worker, WORK / f"copy-{n}", share) for n, share in enumerate(shares) if share]
        results = [row for future in futures for row in future.result()]
    status = report(results)
    print(f"\nmake mutants: {(time.monotonic() - started) / 60:.1f} min on {args.workers} workers")
    return status


if __name__ == "__main__":
    sys.exit(main())
