"""The results page: every declared claim with its fast and full values, bands and references.

``book/results.md`` shows :func:`results_markdown`; :func:`publish_full_values`
writes the course's full-profile values into the package after a full run
(``python -m course.results_page --publish``).

Example:
    >>> results_markdown().startswith("## Headline results")
    True
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

from course.claims import Band, all_declarations, declaration
from course.records import PUBLISHED_FILE, latest_run_records, published_values, read_records
from course.timings import latest_timings


def published_from_record() -> dict[str, dict[str, Any]]:
    """The latest full-profile run's value of every declared claim (stand-ins never).

    Example:
        >>> isinstance(published_from_record(), dict)
        True
    """
    declared = all_declarations()
    return {
        entry["name"]: {
            "text": entry["text"],
            "value": entry["value"],
            "recorded_at": entry.get("recorded_at", "")[:10],
        }
        for entry in latest_run_records("full")
        if entry["name"] in declared and not entry.get("standin")
    }


def publish_full_values() -> Path:
    """Write :data:`PUBLISHED_FILE` from the full-profile record; return its path.

    Example:
        >>> publish_full_values()  # doctest: +SKIP
        PosixPath('.../course/chapter_claims/published-full.json')
    """
    text = json.dumps(published_from_record(), indent=1, sort_keys=True, ensure_ascii=False)
    partial = PUBLISHED_FILE.with_name(f".{PUBLISHED_FILE.name}.{os.getpid()}.part")
    partial.write_text(text + "\n", encoding="utf-8")
    partial.replace(PUBLISHED_FILE)
    return PUBLISHED_FILE


def _shown_value(entry: dict[str, Any] | None) -> str:
    """A recorded claim as the results page shows it (stand-ins never show a value).

    The value is marked against the band declared now when the claim is still
    declared, else against the band it was recorded with.
    """
    if entry is None:
        return ""
    if entry.get("standin"):
        return "stand-in data: not a result"
    shown = f"{entry['value']:{entry.get('fmt', '.3f')}}{entry.get('unit', '')}"
    try:
        within = declaration(entry["name"]).band(entry["profile"]).contains(entry["value"])
    except (KeyError, ValueError):
        within = entry.get("within_band", True)
    return shown if within else shown + " (OUT OF BAND)"


def results_table(profile: str) -> Any:
    """The claims of each chapter's latest run in a profile, as a pandas DataFrame.

    Example:
        >>> results_table("fast").columns[:3].tolist()
        ['claim', 'what', 'value']
    """
    import pandas as pd

    rows = []
    for entry in latest_run_records(profile):
        low, high = entry.get("band") or [None, None]
        fmt = entry.get("fmt", ".3f")
        rows.append(
            {
                "claim": entry["name"],
                "what": entry.get("description", ""),
                "value": _shown_value(entry),
                "band": Band(low, high).format(fmt) if (low, high) != (None, None) else "",
                "reference": entry.get("reference", ""),
                "run": _describe_run(entry),
                "elapsed_s": entry.get("elapsed_s", 0.0),
            }
        )
    columns = ["claim", "what", "value", "band", "reference", "run", "elapsed_s"]
    return pd.DataFrame(rows, columns=columns)


def _describe_run(entry: dict[str, Any], run_time: str | None = None) -> str:
    """When and on what a recorded claim was measured, e.g. ``2026-11-30, 2 CPU cores``."""
    hardware = entry.get("hardware", {})
    device = ", ".join(hardware.get("gpus", [])) or f"{hardware.get('cpus', '?')} CPU cores"
    return f"{entry.get('recorded_at', '')[:10]}, {device}" + (f", {run_time}" if run_time else "")


def _run_time(timing: dict[str, Any]) -> str:
    """A timing record's line as the results page says it.

    Example:
        >>> _run_time({"seconds": 1234.5, "method": "bookbuild.execute --without jena"})
        'partial run (without jena) 1234 s'
    """
    left_out = re.findall(r"--without (\S+)", timing.get("method", ""))
    if left_out:
        return f"partial run (without {', '.join(left_out)}) {timing['seconds']:.0f} s"
    return f"chapter ran {timing['seconds']:.0f} s"


def full_spreads() -> dict[str, list[float]]:
    """Every full-profile value recorded for each claim (stand-ins never), oldest first.

    Example:
        >>> isinstance(full_spreads(), dict)
        True
    """
    values: dict[str, list[float]] = {}
    for entry in read_records("full", latest_only=False):
        if "name" in entry and not entry.get("standin"):
            values.setdefault(entry["name"], []).append(entry["value"])
    return values


def _full_cell(
    entry: dict[str, Any] | None, run_time: str | None, values: list[float] | None = None
) -> str:
    """A full-profile value, when and how it was measured, and the spread over runs.

    Example:
        >>> entry = {"value": 0.871, "fmt": ".3f", "name": "x", "profile": "full"}
        >>> _full_cell(entry, None, [0.8705, 0.8696, 0.871])
        '0.871 (measured , ? CPU cores; 3 runs: 0.870–0.871)'
    """
    if entry is None:
        return "not yet measured"
    spread = ""
    if values and len(values) >= 2:
        fmt = entry.get("fmt", ".3f")
        spread = f"; {len(values)} runs: {min(values):{fmt}}–{max(values):{fmt}}"
    return f"{_shown_value(entry)} (measured {_describe_run(entry, run_time)}{spread})"


def results_markdown() -> str:
    """The results page: headline results with their published references, then checked facts.

    Every declared claim is listed, by chapter, with the value of the latest
    fast-profile run and either the measured full-profile value (date,
    hardware, the chapter's run time) or "not yet measured".

    Example:
        >>> results_markdown().startswith("## Headline results")
        True
    """
    latest = {
        profile: {entry["name"]: entry for entry in latest_run_records(profile)}
        for profile in ("fast", "full")
    }
    full_run_times = {
        "ch" + chapter[:2]: _run_time(timing) for chapter, timing in latest_timings("full").items()
    }
    spreads = full_spreads()
    declared = all_declarations()
    lines: list[str] = []
    for headline, title in ((True, "Headline results"), (False, "Checked facts")):
        lines += [f"## {title}", ""]
        chosen = [item for item in declared.values() if item.headline == headline]
        if not chosen:
            lines += ["None declared yet.", ""]
        chapters = sorted({item.chapter for item in chosen})
        for chapter in chapters:
            lines += [f"### Chapter {chapter[2:].lstrip('0')}", ""]
            lines += [
                "| what | fast profile | full profile | full band | published reference |",
                "| --- | --- | --- | --- | --- |",
            ]
            for item in (item for item in chosen if item.chapter == chapter):
                fast = _shown_value(latest["fast"].get(item.name)) or "not run"
                full = _full_cell(
                    latest["full"].get(item.name),
                    full_run_times.get(chapter),
                    spreads.get(item.name),
                )
                what = f"{item.what}<br>`{item.name}`" if item.what else f"`{item.name}`"
                band = item.full.format(item.fmt)
                lines.append(f"| {what} | {fast} | {full} | {band} | {item.reference} |")
            lines.append("")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    """Command line: ``python -m course.results_page --publish`` writes :data:`PUBLISHED_FILE`."""
    import argparse

    parser = argparse.ArgumentParser(description="The course's claims and their records.")
    parser.add_argument(
        "--publish",
        action="store_true",
        help="write the latest full-profile values into the package (for readers' notebooks)",
    )
    arguments = parser.parse_args(argv)
    if not arguments.publish:
        parser.error("nothing to do: use --publish")
    path = publish_full_values()
    print(f"{path}: {len(published_values())} full-profile values")


if __name__ == "__main__":
    main()
