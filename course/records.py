"""The results records: where each run's claims are appended, and how they are read.

Every :func:`course.claims.claim` appends one JSON line to
``results/<profile>.jsonl`` (:func:`append_record`), with the date, the
versions and the hardware of the run (:func:`run_environment`). The full
profile's record is committed; the course's own full-profile values also ship
with the package (:data:`PUBLISHED_FILE`, read by :func:`published_values`) so
that a reader's notebook can show them.

Example:
    >>> record_path("full").name
    'full.jsonl'
"""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import re
import sys
from pathlib import Path
from typing import Any

RESULTS_DIR_ENV = "COURSE_RESULTS_DIR"
# The course's own full-profile values, shipped with the package so that a reader's
# kernel (Colab) can show them: written from results/full.jsonl by
# ``python -m course.results_page --publish`` (bookbuild.execute does it after a full run).
PUBLISHED_FILE = Path(__file__).resolve().parent / "chapter_claims" / "published-full.json"


def published_values() -> dict[str, dict[str, Any]]:
    """The course's own full-profile values shipped with the package, by claim name.

    Example:
        >>> published_values()["ch01_dense_bigram_test_accuracy"]["text"]  # doctest: +SKIP
        '0.893'
    """
    if not PUBLISHED_FILE.is_file():
        return {}
    return json.loads(PUBLISHED_FILE.read_text(encoding="utf-8"))


def results_dir() -> Path:
    """Where results records live.

    ``COURSE_RESULTS_DIR`` if set; else ``results/`` at the root of the course
    checkout that contains the working directory (the folder holding
    ``_toc.yml``); else ``results/`` inside the data home.

    Example:
        >>> isinstance(results_dir(), Path)
        True
    """
    configured = os.environ.get(RESULTS_DIR_ENV)
    if configured:
        return Path(configured).expanduser()
    here = Path.cwd().resolve()
    for folder in (here, *here.parents):
        if (folder / "_toc.yml").is_file() and (folder / "course").is_dir():
            return folder / "results"
    from course.data import data_home

    return data_home() / "results"


def record_path(profile: str) -> Path:
    """The JSON Lines results record of a profile.

    Example:
        >>> record_path("fast").name
        'fast.jsonl'
    """
    if profile not in ("fast", "full"):
        raise ValueError(f"Unknown profile {profile!r}: use 'fast' or 'full'.")
    return results_dir() / f"{profile}.jsonl"


def append_record(entry: dict[str, Any], *, profile: str) -> Path:
    """Append one entry (with a UTC timestamp) to a profile's results record.

    Example:
        >>> append_record({"name": "x", "value": 1.0}, profile="fast")  # doctest: +SKIP
    """
    path = record_path(profile)
    path.parent.mkdir(parents=True, exist_ok=True)
    entry = {
        "recorded_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        **entry,
    }
    line = json.dumps(entry, sort_keys=True, ensure_ascii=False, allow_nan=False) + "\n"
    with path.open("a", encoding="utf-8") as record_file:
        record_file.write(line)  # one write per line: concurrent runs never interleave halves
    return path


def read_records(profile: str, *, latest_only: bool = True) -> list[dict[str, Any]]:
    """Entries of a profile's record, oldest first; by default the latest per name.

    Lines that are not valid JSON (a run killed mid-write) are skipped.

    Example:
        >>> read_records("full")  # doctest: +SKIP
        [{'name': 'ch01_dense_bigram_test_accuracy', 'value': 0.893, ...}]
    """
    path = record_path(profile)
    if not path.is_file():
        return []
    entries: list[dict[str, Any]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            entries.append(json.loads(line))
        except json.JSONDecodeError:
            continue
    if not latest_only:
        return entries
    latest: dict[str, dict[str, Any]] = {}
    for entry in entries:
        latest[entry.get("name", "")] = entry
    return sorted(latest.values(), key=lambda entry: entry.get("name", ""))


def latest_run_records(profile: str) -> list[dict[str, Any]]:
    """The claims of each chapter's most recent run (chapter = the ``chNN`` name prefix).

    A claim a chapter no longer makes disappears with the next run of that chapter.

    Example:
        >>> latest_run_records("full")  # doctest: +SKIP
        [{'name': 'ch01_dense_bigram_test_accuracy', ...}]
    """
    entries = read_records(profile, latest_only=False)
    latest_run: dict[str, str] = {}
    for entry in entries:
        latest_run[chapter_of(entry.get("name", ""))] = entry.get("run_id", "")
    kept = {
        entry["name"]: entry
        for entry in entries
        if entry.get("run_id", "") == latest_run[chapter_of(entry.get("name", ""))]
    }
    return sorted(kept.values(), key=lambda entry: entry["name"])


def chapter_of(name: str) -> str:
    """The ``chNN`` prefix of a claim's name (``other`` if there is none).

    Example:
        >>> chapter_of("ch07_char_lstm_validation_nats")
        'ch07'
    """
    match = re.match(r"^(ch\d+)_", name)
    return match.group(1) if match else "other"


def run_environment() -> dict[str, Any]:
    """Versions and hardware of this run, for the results record.

    TensorFlow is only asked about devices if a chapter already imported it.

    Example:
        >>> sorted(run_environment())
        ['hardware', 'versions']
    """
    from importlib import metadata

    versions: dict[str, str] = {"python": platform.python_version()}
    for package in ("numpy", "keras", "tensorflow", "tensorflow-cpu", "scikit-learn", "gensim"):
        try:
            versions[package.replace("-cpu", "")] = metadata.version(package)
        except metadata.PackageNotFoundError:
            continue
    gpus: list[str] = []
    tensorflow = sys.modules.get("tensorflow")
    if tensorflow is not None:
        try:
            gpus = [device.name for device in tensorflow.config.list_physical_devices("GPU")]
        except Exception:  # pragma: no cover - device queries vary across builds
            gpus = []
    hardware = {
        "machine": platform.machine(),
        "system": platform.system(),
        "cpus": os.cpu_count(),
        "gpus": gpus,
    }
    return {"versions": versions, "hardware": hardware}
