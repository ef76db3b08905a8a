"""What every stage of `manage.py bench_data` shares: the bench's names and seed, the bulk writer, and
the run (sizes, days, random generator, output) that the stages read and report to."""

import datetime as dt
import random
import time
from dataclasses import dataclass, field
from typing import Any

from django.db import connection

BENCH_USER_PREFIX = "bench"  # every account bench_data and `make bench` create starts with it
BENCH_ORG_CODE = "B62"  # the bench province's code; its subtree's codes all start with it
BENCH_PASSWORD = "Bench@2026"
SEED = 20261124


class Writer:
    """Bulk inserts: COPY on PostgreSQL, executemany elsewhere. Counts rows and seconds per table."""

    def __init__(self):
        self.postgres = connection.vendor == "postgresql"
        self.stats: dict[str, list[float]] = {}

    def insert(self, table: str, columns: list[str], rows, label: str | None = None) -> int:
        started = time.perf_counter()
        count = 0
        with connection.cursor() as cursor:
            if self.postgres:
                with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
                        count += 1
            else:
                sql = f"INSERT OR IGNORE INTO {table} ({', '.join(columns)}) VALUES ({', '.join(['%s'] * len(columns))})"
                batch = []
                for row in rows:
                    batch.append(row)
                    if len(batch) >= 5_000:
                        cursor.executemany(sql, batch)
                        count, batch = count + len(batch), []
                if batch:
                    cursor.executemany(sql, batch)
                    count += len(batch)
        self.add(label or table, count, time.perf_counter() - started)
        return count

    def add(self, label: str, count: int, seconds: float) -> None:
        entry = self.stats.setdefault(label, [0, 0.0])
        entry[0] += count
        entry[1] += seconds



@dataclass
class BenchRun:
    """One run of the command: the sizes (orgs, trainees, days), the days of ledger before today, the
    command's output for progress lines, the writer and the random generator that shapes the tree."""

    sizes: dict[str, int]
    days: list[dt.date]
    stdout: Any
    writer: Writer = field(default_factory=Writer)
    rng: random.Random = field(default_factory=lambda: random.Random(SEED))
