"""Bench trainees `bench000001`…: accounts sharing one password hash (`Bench@2026`, hashed once — 100,000
PBKDF2 hashes would take hours) and profiles, 90 % in communities (a few big ones, many small) and 10 %
on street staff."""

import datetime as dt
import random
import time

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from devtools.bench.base import BENCH_PASSWORD, BENCH_USER_PREFIX, SEED, BenchRun
from orgs.api import TraineeProfile

SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何林高罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁"
GIVEN = "秀英建华丽娟国强海燕志刚春梅晓东玉兰立新红霞卫东静敏磊洋芳军勇艳杰娜涛明超霞平刚桂英"


def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


def trainee_ids(run: BenchRun, communities, streets) -> list[int]:
    """The ids of `bench000001`… up to the wanted number, creating the missing accounts and profiles."""
    wanted = run.sizes["trainees"]
    names = [f"{BENCH_USER_PREFIX}{n:06d}" for n in range(1, wanted + 1)]
    existing = set(User.objects.filter(username__startswith=BENCH_USER_PREFIX, username__regex=r"^bench\d{6}$")
                   .values_list("username", flat=True))
    missing = [name for name in names if name not in existing]
    if missing:
        _create_trainees(run, missing, communities, streets)
    else:
        run.stdout.write(f"学员：已存在 {len(existing):,} 名，跳过")
    ids = dict(User.objects.filter(username__regex=r"^bench\d{6}$").values_list("username", "id"))
    return [ids[name] for name in names]


def _create_trainees(run: BenchRun, usernames: list[str], communities, streets) -> None:
    started = time.perf_counter()
    password = make_password(BENCH_PASSWORD)  # once: every bench account shares it
    joined = timezone.make_aware(dt.datetime.combine(run.days[0] - dt.timedelta(days=30), dt.time(9)))
    rng = random.Random(SEED + 1)
    positions = [p for p, _ in TraineeProfile.Position.choices]
    with transaction.atomic():
        names = {}

        def users():
            for username in usernames:
                name = _name(rng)
                names[username] = name
                yield (password, False, username, name, "", "", False, True, joined)

        run.writer.insert(User._meta.db_table, ["password", "is_superuser", "username", "first_name",
                                                "last_name", "email", "is_staff", "is_active", "date_joined"],
                          users(), label="账号 auth_user")
        ids = dict(User.objects.filter(username__regex=r"^bench\d{6}$").values_list("username", "id"))
        # A few big communities and many small ones: weight each by a long-tailed draw.
        weights = [rng.paretovariate(2.0) for _ in communities]

        def profiles():
            community_picks = rng.choices(range(len(communities)), weights=weights, k=len(usernames))
            for index, username in enumerate(usernames):
                number = int(username[len(BENCH_USER_PREFIX):])
                if number % 10 == 0 and streets:  # street (街道) staff
                    org_id = streets[number % len(streets)][0]
                else:
                    org_id = communities[community_picks[index]][0]
                yield (ids[username], names[username], f"1000{number:07d}", org_id,
                       positions[number % len(positions)], dt.date(2015 + number % 10, 1 + number % 12, 1), False)

        run.writer.insert(TraineeProfile._meta.db_table, ["user_id", "real_name", "phone", "organization_id",
                                                          "position", "joined_on", "must_change_password"],
                          profiles(), label="学员档案 learning_traineeprofile")
    run.stdout.write(f"学员：新增 {len(usernames):,} 名，{time.perf_counter() - started:.1f} 秒")
