"""How long each chapter takes to execute: measured on every run, never asserted.

Every execution of a chapter (the book build, or :mod:`bookbuild.execute`) appends
one line to ``results/timings-<profile>.jsonl``: the chapter, the seconds it
took, how it ran, when, and on what hardware. Tests never compare these with a
limit (the machines are shared and noisy); the speed targets live here, and
``python -m course.timings`` prints the latest time of every chapter next to
its target.

Example:
    >>> SPEED_TARGET_S["fast"]
    180
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
from pathlib import Path
from typing import Any

# Seconds a chapter should take, per profile: the fast profile on 2 CPU cores
# (so the whole book stays well under 40 minutes of CI), the full profile on
# one GPU of the Colab class.
SPEED_TARGET_S = {"fast": 180, "full": 3600}


def timings_path(profile: str) -> Path:
    """The timings record of a profile, beside the results records.

    Example:
        >>> timings_path("fast").name
        'timings-fast.jsonl'
    """
    from course.records import results_dir

    if profile not in SPEED_TARGET_S:
        raise ValueError(f"Unknown profile {profile!r}: use 'fast' or 'full'.")
    return results_dir() / f"timings-{profile}.jsonl"


def record_timing(chapter: str, seconds: float, *, profile: str, method: str) -> Path:
    """Append one chapter's execution time to its profile's timings record.

    Example:
        >>> record_timing(
        ...     "01_text_vectorization", 31.2, profile="fast", method="book"
        ... )  # doctest: +SKIP
    """
    from course.records import run_environment

    if seconds < 0:
        raise ValueError(f"An execution time cannot be negative, got {seconds}.")
    path = timings_path(profile)
    path.parent.mkdir(parents=True, exist_ok=True)
    entry = {
        "recorded_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "chapter": chapter,
        "seconds": round(float(seconds), 1),
        "profile": profile,
        "method": method,
        **run_environment(),
    }
    with path.open("a", encoding="utf-8") as record:
        record.write(json.dumps(entry, sort_keys=True, allow_nan=False) + "\n")
    return path


def latest_timings(profile: str) -> dict[str, dict[str, Any]]:
    """The most recent timing of each chapter in a profile's record.

    Example:
        >>> isinstance(latest_timings("fast"), dict)
        True
    """
    path = timings_path(profile)
    if not path.is_file():
        return {}
    latest: dict[str, dict[str, Any]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            entry = json.loads(line)
        except json.JSONDecodeError:
            continue  # a line cut short by a killed run
        latest[entry.get("chapter", "?")] = entry
    return dict(sorted(latest.items()))


def timings_report(profile: str) -> str:
    """A plain-text table: each chapter's latest time against the profile's target.

    Example:
        >>> timings_report("fast").splitlines()[0].startswith("fast profile")
        True
    """
    target = SPEED_TARGET_S[profile]
    latest = latest_timings(profile)
    lines = [f"{profile} profile (target ≤ {target} s per chapter)"]
    if not latest:
        return "\n".join(lines + ["  no chapter has been timed yet"])
    for chapter, entry in latest.items():
        flag = "" if entry["seconds"] <= target else "  OVER TARGET"
        cpus = entry.get("hardware", {}).get("cpus", "?")
        gpus = ", ".join(entry.get("hardware", {}).get("gpus", [])) or f"{cpus} CPU cores"
        when = entry.get("recorded_at", "")[:16]
        lines.append(
            f"  {chapter:<28} {entry['seconds']:>8.1f} s  {when}  {gpus}, {entry['method']}{flag}"
        )
    total = sum(entry["seconds"] for entry in latest.values())
    lines.append(f"  {'all chapters':<28} {total:>8.1f} s")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    """Command line: ``python -m course.timings [--profile fast|full]``."""
    parser = argparse.ArgumentParser(description="Print each chapter's latest execution time.")
    parser.add_argument("--profile", choices=sorted(SPEED_TARGET_S), action="append")
    arguments = parser.parse_args(argv)
    for profile in arguments.profile or sorted(SPEED_TARGET_S):
        print(timings_report(profile))


if __name__ == "__main__":
    main()
