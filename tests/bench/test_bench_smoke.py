"""`manage.py bench_data` (the data behind `make bench`): builds a small province, adds nothing when
run again, and refuses a database that holds real accounts. The benchmarks themselves are not tests
(DESIGN §6): CI runs `make bench` in its small preset as a smoke test."""

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command

from devtools.management.commands.bench_data import BENCH_ORG_CODE
from growth.models import GrowthRecord
from learning.models import LedgerEntry, LessonProgress
from orgs.api import Organization, TraineeProfile
from stats.models import OrgDailyStats

pytestmark = pytest.mark.django_db
SIZES = ["--orgs", "40", "--trainees", "30", "--days", "4"]


def _counts():
    bench = {"user__username__startswith": "bench"}
    return (Organization.objects.filter(code__startswith=BENCH_ORG_CODE).count(),
            TraineeProfile.objects.filter(**bench).count(), LedgerEntry.objects.filter(**bench).count(),
            LessonProgress.objects.filter(**bench).count(), GrowthRecord.objects.filter(**bench).count(),
            OrgDailyStats.objects.filter(organization__code__startswith=BENCH_ORG_CODE).count())


def test_bench_data_builds_a_province_and_a_second_run_adds_nothing():
    call_command("bench_data", *SIZES, verbosity=0)
    orgs, trainees, ledger, progress, growth, stats = first = _counts()
    assert orgs == 40 and trainees == 30
    assert ledger > 0 and progress > 0 and growth > 0 and stats > 0
    root = Organization.objects.get(code=BENCH_ORG_CODE)
    assert root.get_descendant_count() == 39  # treebeard agrees with the precomputed paths
    assert {o.level for o in root.get_descendants()} == {"city", "district", "street", "community"}
    call_command("bench_data", *SIZES, verbosity=0)
    assert _counts() == first


def test_bench_data_refuses_a_database_with_real_accounts():
    User.objects.create(username="zhangsan")
    with pytest.raises(CommandError, match="不属于基准测试或演示学院"):
        call_command("bench_data", *SIZES, verbosity=0)
    assert not Organization.objects.filter(code=BENCH_ORG_CODE).exists()
