"""The scenarios of `make bench`, each writing one Markdown section (see `bench/run.py` for the run)."""

import json

from bench.report import ScenarioFailed, fmt, mark

TARGETS = {
    "burst_p95_ms": 1000, "page_ratio": 0.15, "quiz_submit_p95_ms": 500, "growth_ratio": 0.25,
    "dashboard_p95_ms": 100, "export_growth_mb": 50,
}
REPORT_PAGES = [  # (name, URL template, administrator) — the statistics pages of issue 7
    ("省 province dashboard", "/admin/stats/orgs/{province}/", "bench_admin"),
    ("市 city dashboard", "/admin/stats/orgs/{city}/", "bench_city_admin"),
    ("街道 street dashboard", "/admin/stats/orgs/{street}/", "bench_street_admin"),
    ("今日未学 absent (street)", "/admin/stats/absent/?org={street}", "bench_street_admin"),
    ("今日未学 absent (city)", "/admin/stats/absent/?org={city}", "bench_city_admin"),
    ("API stats org (province)", "/api/v1/stats/orgs/{province}", "bench_admin"),
    ("API absent (street)", "/api/v1/stats/orgs/{street}/absent", "bench_street_admin"),
    ("admin home panel /admin/", "/admin/", "bench_city_admin"),
]
FALLBACK_PAGES = [("trainee list /admin/trainees/ (harness check)", "/admin/trainees/", "bench_city_admin")]



class Scenarios:
    """Mixed into `bench.run.Bench`: uses its server, locust runner, presets and measurements."""

    def scenario_ratio(self) -> None:
        users, seconds = self.preset["ratio_users"], self.preset["ratio_seconds"]
        runs = []
        for label, cls in (("trivial-1", "TrivialView"), ("page", "DailyPage"), ("trivial-2", "TrivialView")):
            self.prepare(0, reset_only=True)  # rate-limit counters out of the way
            stats = self.locust(f"ratio-{label}", "trivial.py", users, seconds, cls, env={"BENCH_USERS": "0"})
            runs.append((label, self.row(stats, "Aggregated")))
        trivial = [r for label, r in runs if label.startswith("trivial")]
        trivial_rps = sum(r["rps"] for r in trivial) / len(trivial)
        page = runs[1][1]
        ratio = page["rps"] / trivial_rps if trivial_rps else 0
        self.ratio = {"trivial_rps": trivial_rps, "page_rps": page["rps"], "ratio": ratio}
        lines = [
            "## 1a. Daily lesson page vs a trivial view (same server, same run)", "",
            f"{users} locust users in a closed loop (no wait) for {seconds} s each: `/healthz/live` (a view that "
            "touches nothing), then the daily lesson page as a logged-in trainee, then `/healthz/live` again "
            "(the trivial rate is the mean of both, to cancel drift on a shared machine).", "",
            "| run | requests | errors | req/s | p50 ms | p95 ms | p99 ms |", "|---|---:|---:|---:|---:|---:|---:|"]
        for label, r in runs:
            lines.append(f"| {label} | {fmt(r['count'])} | {fmt(r['errors'])} | {fmt(r['rps'], 1)} | {fmt(r['p50'])} "
                         f"| {fmt(r['p95'])} | {fmt(r['p99'])} |")
        ok = ratio >= TARGETS["page_ratio"]
        lines += ["", f"**Ratio daily page ÷ trivial view: {ratio:.1%}** (target ≥ {TARGETS['page_ratio']:.0%}) "
                  f"{mark(ok)}. Moodle 5.1.3's course page in the issue's reference: ~17 ÷ ~5,200 ≈ 0.3 %.", ""]
        self.sections.append("\n".join(lines))

    def scenario_burst(self) -> None:
        results = []
        by_name = {}
        for users in self.preset["bursts"]:
            self.prepare(users, reset_only=True)
            stats = self.locust(f"burst-{users}", "burst.py", users, 300, "MorningTrainee",
                                env={"BENCH_BEAT_SECONDS": str(self.preset["beat_seconds"])})
            total = self.row(stats, "Aggregated")
            results.append((users, total))
            by_name[users] = {name: self.row(stats, name) for name in stats if name != "Aggregated"}
        biggest = self.preset["bursts"][-1]
        lines = [
            "## 1. The 08:30 burst", "",
            "N trainees with prepared sessions start at the same instant (locust's `spawning_complete`), open "
            "`/daily/today/` (302) and the lesson, play it with heartbeats (compressed: one every "
            f"{self.preset['beat_seconds']} s, each claiming the wall time since the previous one) and finish "
            "with the lesson's quiz (start, save, submit), which completes the lesson and writes its ledger "
            "entry. Each user runs once; the run ends when the last one finishes.", "",
            "| N | requests | errors | req/s | p50 ms | p95 ms | p99 ms | max ms | target (N=1000: 0 errors, p95 ≤ 1 s) |",
            "|---:|---:|---:|---:|---:|---:|---:|---:|---|"]
        for users, r in results:
            ok = (r["errors"] == 0 and (r["p95"] or 0) <= TARGETS["burst_p95_ms"]) if users >= 1000 else None
            lines.append(f"| {users} | {fmt(r['count'])} | {fmt(r['errors'])} | {fmt(r['rps'], 1)} | {fmt(r['p50'])} | "
                         f"{fmt(r['p95'])} | {fmt(r['p99'])} | {fmt(r['max'])} | {mark(ok)} |")
        lines += ["", f"Per request, N = {biggest}:", "",
                  "| request | count | errors | p50 ms | p95 ms | p99 ms |", "|---|---:|---:|---:|---:|---:|"]
        for name, r in sorted(by_name[biggest].items()):
            lines.append(f"| {name} | {fmt(r['count'])} | {fmt(r['errors'])} | {fmt(r['p50'])} | {fmt(r['p95'])} | "
                         f"{fmt(r['p99'])} |")
        self.burst = {users: r for users, r in results}
        self.burst_names = by_name
        self.sections.append("\n".join(lines) + "\n")

    def scenario_beat_cost(self) -> None:
        result = self.measure("beat-cost", str(self.preset["beat_samples"]))
        http = {}
        for users, names in getattr(self, "burst_names", {}).items():
            http[users] = names.get("heartbeat", {})
        lines = [
            "## 1b. Cost per heartbeat", "",
            f"Measured in-process through the whole Django stack (session, CSRF, rate limit in Redis, the "
            f"service) on `{result['lesson']}`, one trainee per sample ({result['samples']} samples, p50):", "",
            "| beat | SQL queries | ms |", "|---|---:|---:|",
            f"| first of a session (creates the progress row) | {result.get('first_queries')} | {result.get('first_ms_p50')} |",
            f"| steady (every 30 s while playing) | {result.get('steady_queries')} | {result.get('steady_ms_p50')} |",
            f"| reaching the end 30 s later (checks completion requirements) | {result.get('completing_queries')} | "
            f"{result.get('completing_ms_p50')} |", ""]
        steady = result.get("steady_ms_p50") or 0
        if steady:
            lines.append(f"At {steady} ms of one worker per steady beat, one CPU core absorbs ≈ {1000 / steady:,.0f} "
                         f"beats/s: 30,000 trainees beating every 30 s (1,000 beats/s) need ≈ {steady:.1f} cores of "
                         "web workers (plus PostgreSQL's share), against twice that at a 15 s interval.")
        for users, r in http.items():
            if r:
                lines.append(f"Over HTTP in the N = {users} burst: heartbeat p50 {fmt(r['p50'])} ms, p95 {fmt(r['p95'])} ms "
                             f"({fmt(r['count'])} beats, {fmt(r['errors'])} errors).")
        lines += ["", "Steady beat SQL:", "", "```sql", *result.get("steady_sql", []), "```", ""]
        self.sections.append("\n".join(lines))

    def scenario_quiz(self) -> None:
        lines = ["## 2. Quiz burst", "",
                 f"N trainees start the {self.config['quiz']['questions']}-question bench quiz at the same instant, "
                 "save their answers, wait for each other and submit at the same instant.", "",
                 "| N | request | count | errors | p50 ms | p95 ms | p99 ms | target (N=200: submit p95 ≤ 500 ms) |",
                 "|---:|---|---:|---:|---:|---:|---:|---|"]
        for users in self.preset["quiz"]:
            self.prepare(users, reset_only=True)
            stats = self.locust(f"quiz-{users}", "quiz.py", users, 180, "QuizTaker")
            for name in ("quiz start", "quiz save answers", "quiz submit"):
                r = self.row(stats, name)
                if not r:
                    continue
                ok = (r["errors"] == 0 and (r["p95"] or 0) <= TARGETS["quiz_submit_p95_ms"]) \
                    if name == "quiz submit" and users >= 200 else None
                lines.append(f"| {users} | {name} | {fmt(r['count'])} | {fmt(r['errors'])} | {fmt(r['p50'])} | "
                             f"{fmt(r['p95'])} | {fmt(r['p99'])} | {mark(ok)} |")
        self.sections.append("\n".join(lines) + "\n")

    def scenario_reports(self) -> None:
        admins = self.config["admins"]
        ids = {"province": admins["bench_admin"]["org_id"], "city": admins["bench_city_admin"]["org_id"],
               "street": admins["bench_street_admin"]["org_id"]}
        pages = [{"name": name, "url": url.format(**ids), "admin": admin, "user": admin}
                 for name, url, admin in REPORT_PAGES + FALLBACK_PAGES]
        pages_file = self.work / "report-pages.json"
        pages_file.write_text(json.dumps(pages, ensure_ascii=False))
        queries = self.measure("queries", str(pages_file))
        live = [p for p in pages if queries.get(p["name"], {}).get("status") == 200]
        missing = [p for p in pages if p not in live]
        if not live:
            raise ScenarioFailed(f"no report page answered 200: {queries}")
        self.prepare(0, reset_only=True)
        stats = self.locust("reports", "reports.py", self.preset["reports_users"], self.preset["reports_seconds"],
                            "Administrator", env={"BENCH_REPORTS": json.dumps(live, ensure_ascii=False)})
        org_count = self.config.get("org_count")
        lines = ["## 4. Reports", "",
                 f"{self.preset['reports_users']} administrators (province: superuser; city and street: "
                 f"`OrgAdminRole`) load their pages in a closed loop for {self.preset['reports_seconds']} s over "
                 f"gunicorn; queries counted in-process on a warm request. Scopes: province "
                 f"{admins['bench_admin']['org_name']}, city {admins['bench_city_admin']['org_name']}, street "
                 f"{admins['bench_street_admin']['org_name']}{f' ({org_count:,} organisations)' if org_count else ''}.", "",
                 "| page | URL | requests | errors | p50 ms | p95 ms | SQL queries | target p95 ≤ 100 ms |",
                 "|---|---|---:|---:|---:|---:|---:|---|"]
        for page in live:
            r = self.row(stats, page["name"])
            ok = (r["p95"] or 0) <= TARGETS["dashboard_p95_ms"] and r["errors"] == 0 if r else None
            is_fallback = page["url"] == "/admin/trainees/"
            lines.append(f"| {page['name']} | `{page['url']}` | {fmt(r.get('count'))} | {fmt(r.get('errors'))} | "
                         f"{fmt(r.get('p50'))} | {fmt(r.get('p95'))} | {queries[page['name']]['queries']} | "
                         f"{'(not a target)' if is_fallback else mark(ok)} |")
        for page in missing:
            lines.append(f"| {page['name']} | `{page['url']}` | not measured: HTTP {queries.get(page['name'], {}).get('status')} "
                         "| | | | | |")
        self.sections.append("\n".join(lines) + "\n")

    def scenario_growth(self) -> None:
        r = self.measure("growth", timeout=3600)
        ok = r["ratio_to_raw_upsert"] is not None and r["ratio_to_raw_upsert"] >= TARGETS["growth_ratio"]
        lines = ["## 3. Growth recompute", "",
                 f"`growth_rebuild` of all {r['trainees']:,} bench trainees for this year (records and weekly "
                 "snapshots, in its default batches), against a raw `INSERT … ON CONFLICT (user_id, year) DO UPDATE` "
                 "of as many rows into a copy of the growth-record table (`LIKE … INCLUDING ALL`), sent in "
                 "multi-row statements of 1,000 rows from Python — the raw write the rebuild ends in.", "",
                 "| what | rows/s |", "|---|---:|",
                 f"| growth_rebuild ({r['seconds']} s) | {fmt(r['rows_per_s'])} |",
                 f"| raw upsert, rows already present (updates) | {fmt(r.get('raw_upsert_rows_per_s'))} |",
                 f"| raw upsert, empty table (inserts) | {fmt(r.get('raw_insert_rows_per_s'))} |",
                 f"| for scale: one server-side `INSERT … SELECT … ON CONFLICT` | {fmt(r.get('server_side_upsert_rows_per_s'))} |",
                 "", f"**Ratio rebuild ÷ raw upsert: {fmt(r['ratio_to_raw_upsert'], 3)}** (target ≥ "
                 f"{TARGETS['growth_ratio']}) {mark(ok)}; ÷ raw insert: {fmt(r['ratio_to_raw_insert'], 3)}.", ""]
        self.sections.append("\n".join(lines))

    def scenario_import_export(self) -> None:
        imported = self.measure("import", str(self.preset["import_rows"]))
        small = self.measure("export", "small")
        full = self.measure("export", "all")
        growth = full["peak_mb"] - small["peak_mb"]
        ok = growth <= TARGETS["export_growth_mb"]
        lines = ["## 5. Import and export", "",
                 "Each in a fresh process; memory is the resident-set high-water mark during the work minus the "
                 "resident size just before it.", "",
                 "| what | rows | seconds | peak memory added (MB) | notes |", "|---|---:|---:|---:|---|",
                 f"| trainee import (.xlsx, {imported['file_kb']} KB): parse + validate + write | {fmt(imported['rows'])} | "
                 f"{imported['seconds']} | {imported['peak_mb']} | parse {imported['parse_seconds']} s, validate "
                 f"{imported['validate_seconds']} s, created {imported['created']}{'; errors: ' + '; '.join(imported['errors']) if imported['errors'] else ''} |",
                 f"| trainee export `/admin/trainees/?export=xlsx`, district administrator | {fmt(small['rows'])} | "
                 f"{small['seconds']} | {small['peak_mb']} | {small['bytes'] // 1024:,} KB |",
                 f"| trainee export `/admin/trainees/?export=xlsx`, superuser | {fmt(full['rows'])} | {full['seconds']} | "
                 f"{full['peak_mb']} | {full['bytes'] // 1024:,} KB |",
                 "", f"**Export memory growth from {small['rows']:,} to {full['rows']:,} rows: {growth:.1f} MB** "
                 f"(target ≤ {TARGETS['export_growth_mb']} MB from 10,000 to 100,000) {mark(ok)}.", ""]
        self.sections.append("\n".join(lines))

    # --- the whole run -----------------------------------------------------------------------------
