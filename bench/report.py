"""Numbers and Markdown for `make bench`: formatting, target marks and locust statistics merged."""

import re


def mark(ok: bool | None) -> str:
    return "—" if ok is None else ("✅" if ok else "❌")


def fmt(value, digits=0) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:,.{digits}f}"
    return f"{value:,}" if isinstance(value, int) else str(value)


def summarise(entries: list[dict]) -> dict:
    """Locust's final per-request statistics (its --json-file entries) merged: count, errors, req/s over
    the time requests were made, and percentiles from its response-time buckets."""
    buckets: dict[float, int] = {}
    for entry in entries:
        for key, count in entry["response_times"].items():
            buckets[float(key)] = buckets.get(float(key), 0) + count
    count = sum(entry["num_requests"] for entry in entries)
    start = min(entry["start_time"] for entry in entries)
    end = max(entry["last_request_timestamp"] or start for entry in entries)
    ordered = sorted(buckets.items())

    def percentile(share: float) -> float | None:
        if not ordered:
            return None
        needed, seen = share * sum(buckets.values()), 0
        for value, hits in ordered:
            seen += hits
            if seen >= needed:
                return value
        return ordered[-1][0]

    return {"count": count, "errors": sum(entry["num_failures"] for entry in entries),
            "rps": count / (end - start) if end > start else None, "seconds": end - start,
            "p50": percentile(0.50), "p95": percentile(0.95), "p99": percentile(0.99),
            "avg": sum(e["total_response_time"] for e in entries) / count if count else None,
            "max": max((e["max_response_time"] or 0) for e in entries)}


def section_order(section: str) -> tuple:
    match = re.match(r"## (\d+)([a-z]?)", section)
    if section.startswith("## Data"):
        return (0, "")
    return (int(match.group(1)), match.group(2)) if match else (99, "")


class ScenarioFailed(Exception):
    pass
