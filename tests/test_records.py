"""The committed run records match what the course declares.

``results/full.jsonl`` holds one record per line for claims declared in
``course/chapter_claims/chNN.yaml``; a record of a claim that is no longer
declared is stale and must be removed. ``results/timings-full.jsonl`` holds
one timing per chapter execution, of chapters the book has.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from course.claims import all_declarations

ROOT = Path(__file__).resolve().parents[1]
RECORDS = ROOT / "results" / "full.jsonl"
TIMINGS = ROOT / "results" / "timings-full.jsonl"


def read_lines(path: Path) -> list[tuple[int, dict]]:
    """Every line of a JSON-lines file as ``(line number, record)``; fails on a bad line."""
    entries = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        try:
            entry = json.loads(line)
        except json.JSONDecodeError as error:
            pytest.fail(f"{path.name} line {number} is not JSON ({error}): {line[:80]!r}")
        if not isinstance(entry, dict):
            pytest.fail(f"{path.name} line {number} is not a JSON object: {line[:80]!r}")
        entries.append((number, entry))
    return entries


def test_every_full_profile_record_names_a_declared_claim():
    declared = all_declarations()
    undeclared = [
        f"line {number}: {record.get('name')!r}"
        for number, record in read_lines(RECORDS)
        if record.get("name") not in declared
    ]
    assert not undeclared, (
        f"{len(undeclared)} record(s) in results/full.jsonl name a claim that no "
        "course/chapter_claims/chNN.yaml declares; remove those lines (or declare the claim): "
        + "; ".join(undeclared)
    )


def test_every_full_profile_record_is_of_the_full_profile():
    other = [
        f"line {number}: {record.get('name')!r} ({record.get('profile')!r})"
        for number, record in read_lines(RECORDS)
        if record.get("profile") != "full"
    ]
    assert not other, "results/full.jsonl holds records of another profile: " + "; ".join(other)


def test_every_full_profile_timing_names_a_chapter_of_the_book():
    chapters = {path.stem for path in (ROOT / "book").glob("[0-9][0-9]_*.md")}
    assert len(chapters) >= 11
    unknown = [
        f"line {number}: {timing.get('chapter')!r}"
        for number, timing in read_lines(TIMINGS)
        if timing.get("chapter") not in chapters
    ]
    assert not unknown, (
        "results/timings-full.jsonl times chapters the book does not have (no book/<chapter>.md); "
        "remove those lines: " + "; ".join(unknown)
    )
