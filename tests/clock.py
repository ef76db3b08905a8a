"""Run the suite under a shifted clock, to prove no test depends on the date it runs on.

`TEST_CLOCK=2027-03-10T10:00+08:00 make test` starts the whole session at that instant (the clock
keeps ticking from there): the demo college is loaded "on" that day, and tests that freeze time
freeze it inside the shifted session. Worker and beat processes that tests start run through
`python -m tests.clock celery …`, which shifts their clock by the same offset, so every process of
the run agrees on "now". CI runs the suite this way at a date in 2027 and at a Saturday 07:00.
"""

import datetime as dt
import os
import runpy
import sys

import time_machine

OFFSET = "TEST_CLOCK_OFFSET_SECONDS"
_traveller = None


def start(destination: str | None = None) -> dt.datetime | None:
    """Shift this process's clock to `destination` (ISO 8601 with a UTC offset), or by the offset a
    parent process handed down; returns the shifted "now", or None when the clock is real."""
    global _traveller
    real = dt.datetime.now(dt.UTC)
    if destination:
        target = dt.datetime.fromisoformat(destination)
        if target.tzinfo is None:
            raise SystemExit(f"TEST_CLOCK needs a UTC offset, e.g. {destination}+08:00")
        os.environ[OFFSET] = str((target - real).total_seconds())
    elif os.environ.get(OFFSET):
        target = real + dt.timedelta(seconds=float(os.environ[OFFSET]))
    else:
        return None
    _traveller = time_machine.travel(target, tick=True)
    _traveller.start()
    return target


def command(*args: str, shifted: bool = False) -> list[str]:
    """argv running `python -m <args>` in a child process on this run's clock (or, `shifted`, on the
    clock its environment's TEST_CLOCK_OFFSET_SECONDS says: see `child_offset`)."""
    if shifted or os.environ.get(OFFSET):
        return [sys.executable, "-m", "tests.clock", *args]
    return [sys.executable, "-m", *args]


def child_offset(target: dt.datetime) -> dict[str, str]:
    """The environment that starts a child process's clock at `target` (also inside a shifted run:
    this process's "now" is the real time plus its own offset)."""
    own = float(os.environ.get(OFFSET) or 0)
    return {OFFSET: str((target - dt.datetime.now(dt.UTC)).total_seconds() + own)}


if __name__ == "__main__":  # python -m tests.clock celery -A config worker …
    start()
    module, sys.argv = sys.argv[1], sys.argv[1:]
    runpy.run_module(module, run_name="__main__", alter_sys=True)
