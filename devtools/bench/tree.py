"""The bench province's organisation tree in a province's proportions (省 → 市 → 区/县 → 街道 → 社区;
about 1 city per 5,000 organisations, 1 district per 700, 1 street per 50, the rest communities),
written with precomputed materialised paths instead of one treebeard insert per node."""

import time

from django.db import transaction

from devtools.bench.base import BENCH_ORG_CODE, BenchRun
from orgs.api import Organization

CITIES = ["兰州市", "嘉峪关市", "金昌市", "白银市", "天水市", "武威市", "张掖市", "平凉市", "酒泉市", "庆阳市",
          "定西市", "陇南市", "临夏州", "甘南州"]
PLACE = "城关安宁西固七里河红古永登皋兰榆中秦州麦积甘谷武山凉州民勤古浪甘州临泽高台肃州玉门敦煌西峰庆城" \
        "安定通渭陇西武都成县文县东乡合作夏河华亭崆峒静宁金川永昌白银平川靖远会宁景泰"
STREET_SUFFIX = ["街道", "街道", "镇", "街道", "乡"]
COMMUNITY_SUFFIX = ["社区", "社区", "社区", "村"]


def _place(index: int) -> str:
    a, b = index % len(PLACE), (index * 7 + 3) % len(PLACE)
    return PLACE[a] + PLACE[b]


def level_counts(orgs: int) -> tuple[int, int, int, int]:
    """(cities, districts, streets, communities) for `orgs` organisations including the province."""
    cities = max(2, round(orgs / 5_000))
    districts = max(cities, round(orgs / 700))
    streets = max(districts * 2, round(orgs / 50))
    communities = max(streets, orgs - 1 - cities - districts - streets)
    return cities, districts, streets, communities


def organizations(run: BenchRun) -> tuple[list[tuple[int, str]], list[tuple[int, str]]]:
    """(id, path) of the province's communities and of its streets; builds the tree when it is missing."""
    root = Organization.objects.filter(code=BENCH_ORG_CODE).first()
    if root is None:
        _build_tree(run)
        root = Organization.objects.get(code=BENCH_ORG_CODE)
    else:
        run.stdout.write(f"组织：已存在 {Organization.objects.filter(path__startswith=root.path).count():,} 个，跳过")
    below = Organization.objects.filter(path__startswith=root.path).order_by("path")
    communities = list(below.filter(level=Organization.Level.COMMUNITY).values_list("id", "path"))
    streets = list(below.filter(level=Organization.Level.STREET).values_list("id", "path"))
    return communities, streets


def _build_tree(run: BenchRun) -> None:
    cities, districts, streets, communities = level_counts(run.sizes["orgs"])
    started = time.perf_counter()
    with transaction.atomic():
        root = Organization.add_root(name="甘肃省（基准测试）", code=BENCH_ORG_CODE,
                                     level=Organization.Level.PROVINCE)
        rows = []  # (path, depth, numchild, name, level, code)

        def spread(parents: list[tuple[str, str, str]], total: int, depth: int, level: str, name_of,
                   width: int) -> list[tuple[str, str, str]]:
            """Give `total` children to `parents` (unevenly, like a real province); returns the children."""
            weights = [0.5 + run.rng.random() for _ in parents]
            scale = total / sum(weights)
            shares = [max(1, int(w * scale)) for w in weights]
            shares[-1] = max(1, total - sum(shares[:-1]))
            children, counter = [], 0
            for (path, code, pname), share in zip(parents, shares, strict=True):
                for n in range(1, share + 1):
                    counter += 1
                    child = (Organization._get_path(path, depth, n), f"{code}{n:0{width}d}",
                             name_of(pname, counter, n))
                    children.append(child)
                rows.append((path, depth - 1, share, pname, None, code))
            return children

        top = [(root.path, BENCH_ORG_CODE, root.name)]
        city_rows = spread(top, cities, 2, "city", lambda p, i, n: CITIES[(n - 1) % len(CITIES)]
                           + (f"（{(n - 1) // len(CITIES) + 1}）" if n > len(CITIES) else ""), 2)
        district_rows = spread(city_rows, districts, 3, "district",
                               lambda p, i, n: _place(i) + ("区" if n % 3 else "县"), 2)
        street_rows = spread(district_rows, streets, 4, "street",
                             lambda p, i, n: _place(i * 3 + 1) + STREET_SUFFIX[i % len(STREET_SUFFIX)], 3)
        community_rows = spread(street_rows, communities, 5, "community",
                                lambda p, i, n: _place(i * 5 + 2) + COMMUNITY_SUFFIX[i % len(COMMUNITY_SUFFIX)], 4)
        levels = {2: "city", 3: "district", 4: "street"}
        parents_numchild = {path: numchild for path, _, numchild, _, _, _ in rows}
        Organization.objects.filter(pk=root.pk).update(numchild=parents_numchild[root.path])
        table = Organization._meta.db_table

        def all_rows():
            for depth, group in ((2, city_rows), (3, district_rows), (4, street_rows)):
                for path, code, name in group:
                    yield (path, depth, parents_numchild.get(path, 0), name[:100], levels[depth], code)
            for path, code, name in community_rows:
                yield (path, 5, 0, name[:100], "community", code)

        run.writer.insert(table, ["path", "depth", "numchild", "name", "level", "code"], all_rows(),
                          label="组织 learning_organization")
    run.stdout.write(f"组织：新增 {1 + cities + districts + streets + communities:,} 个"
                     f"（市 {cities}、区县 {districts}、街道 {streets}、社区 {communities}），"
                     f"{time.perf_counter() - started:.1f} 秒")
