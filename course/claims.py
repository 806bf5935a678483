"""Verified numbers: every number the prose states goes through :func:`claim`.

A claim is a named metric (``"ch01_dense_bigram_test_accuracy"``) with the band
it must fall in for each run profile. :func:`claim`

1. checks the value against the band of the current profile,
2. appends it to the results record of that profile (a JSON Lines file, with
   date, versions, hardware and the chapter's elapsed time),
3. glues the formatted value so the prose can show it with
   ``{glue:text}`ch01_dense_bigram_test_accuracy```, and
4. raises :class:`ClaimOutOfBandError` when the value is outside its band, so a
   chapter whose result regresses fails its test instead of printing a wrong
   sentence.

Numbers measured on generated stand-in data are checked (so the tests still
prove the model learns) but they are marked as stand-in everywhere: the glued
text says so and the results page never lists them as results.

Example:
    >>> text = claim("demo_accuracy", 0.91, fast=(0.8, None), full=(0.9, None),
    ...              record=False, glue=False, profile=get_profile("full"))
    >>> text
    '0.910'
"""

from __future__ import annotations

import datetime as dt
import json
import math
import os
import platform
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

from course.profile import Profile, get_profile

RESULTS_DIR_ENV = "COURSE_RESULTS_DIR"
_NAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_]*$")


class ClaimOutOfBandError(ValueError):
    """A claimed number fell outside the band stated for its profile."""


class ClaimedText(str):
    """The text of a checked claim; in a notebook it shows which check it passed.

    Example:
        >>> text = ClaimedText("0.893", verdict="ch01_x = 0.893: in its fast-profile band ≥ 0.8")
        >>> text == "0.893", text.verdict.startswith("ch01_x")
        (True, True)
    """

    verdict: str

    def __new__(cls, text: str, *, verdict: str) -> "ClaimedText":
        instance = super().__new__(cls, text)
        instance.verdict = verdict
        return instance

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        printer.text(f"✓ {self.verdict}")


@dataclass(frozen=True)
class Band:
    """A closed interval; either end may be open (None).

    Example:
        >>> Band(0.8, None).contains(0.85), str(Band(0.8, None))
        (True, '≥ 0.8')
    """

    low: float | None = None
    high: float | None = None

    def __post_init__(self) -> None:
        if self.low is None and self.high is None:
            raise ValueError("A band needs at least one end: give low, high or both.")
        if self.low is not None and self.high is not None and self.low > self.high:
            raise ValueError(f"Band low end {self.low} is above its high end {self.high}.")

    @classmethod
    def of(cls, value: "Band | tuple[float | None, float | None]") -> "Band":
        """Accept a Band or a ``(low, high)`` tuple.

        Example:
            >>> Band.of((None, 2.6))
            Band(low=None, high=2.6)
        """
        if isinstance(value, Band):
            return value
        try:
            low, high = value
        except (TypeError, ValueError):
            raise ValueError(
                f"A band is a (low, high) pair such as (0.8, None); got {value!r}."
            ) from None
        return cls(low, high)

    def contains(self, value: float) -> bool:
        """Whether ``value`` lies in the band (ends included)."""
        if math.isnan(value):
            return False
        if self.low is not None and value < self.low:
            return False
        if self.high is not None and value > self.high:
            return False
        return True

    def __str__(self) -> str:
        return self.format("g")

    def format(self, fmt: str) -> str:
        """The band written with a number format, e.g. ``".1%"``.

        Example:
            >>> Band(0.6087, 0.6487).format(".1%")
            '[60.9%, 64.9%]'
        """
        if self.high is None:
            return f"≥ {self.low:{fmt}}"
        if self.low is None:
            return f"≤ {self.high:{fmt}}"
        return f"[{self.low:{fmt}}, {self.high:{fmt}}]"


def _is_standin(data: Any) -> bool:
    """True if ``data`` (a dataset or an iterable of them) is stand-in data."""
    if data is None:
        return False
    if getattr(data, "is_standin", False):
        return True
    if isinstance(data, (list, tuple, set)):
        return any(_is_standin(item) for item in data)
    return False


def claim(
    name: str,
    value: float,
    *,
    fast: "Band | tuple[float | None, float | None]",
    full: "Band | tuple[float | None, float | None]",
    fmt: str = ".3f",
    unit: str = "",
    description: str = "",
    reference: str = "",
    data: Any = None,
    profile: Profile | None = None,
    record: bool = True,
    glue: bool = True,
) -> "ClaimedText":
    """Check a measured number against its band, record it, glue it; return its text.

    The text is a :class:`ClaimedText`: a ``str`` that a notebook shows as the
    check it passed (``✓ name = 0.893: in its fast-profile band ≥ 0.800``).

    Args:
        name: Unique key, lower-case letters, digits and ``_``; conventionally
            ``chNN_what_metric``. The prose shows it with ``{glue:text}`name```.
        value: The measured number.
        fast: Band for the fast profile, a ``(low, high)`` pair (None = open end).
        full: Band for the full profile.
        fmt: Format spec used for the glued text and the results page.
        unit: Appended to the text, e.g. ``" °C"``.
        description: What was measured, for the results page.
        reference: The published number it compares with, for the results page.
        data: The dataset(s) it was measured on; stand-in data marks the claim.
        profile: Defaults to the current profile (``COURSE_PROFILE``).
        record: Append to the results record (off in unit tests).
        glue: Glue the text for myst-nb (skipped where myst-nb is absent).

    Raises:
        ClaimOutOfBandError: the value is outside the band of this profile.

    Example:
        >>> claim("demo_loss", 0.2, fast=(None, 0.5), full=(None, 0.3),
        ...       record=False, glue=False, profile=get_profile("fast"))
        '0.200'
    """
    if not _NAME_PATTERN.match(name):
        raise ValueError(
            f"Claim name {name!r} must use lower-case letters, digits and '_' only "
            "(for example 'ch01_dense_bigram_test_accuracy')."
        )
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"Claim {name!r} needs a number, got {value!r}.") from None
    profile = profile or get_profile()
    bands = {"fast": Band.of(fast), "full": Band.of(full)}
    band = bands[profile.name]
    standin = _is_standin(data)
    text = f"{number:{fmt}}{unit}"
    if standin:
        text += " (stand-in data, not a result)"
    within = band.contains(number)

    if record:
        append_record(
            {
                "name": name,
                "value": number,
                "text": text,
                "band": [band.low, band.high],
                "within_band": within,
                "profile": profile.name,
                "standin": standin,
                "description": description,
                "reference": reference,
                "unit": unit,
                "fmt": fmt,
                "elapsed_s": round(profile.elapsed(), 1),
                "run_id": profile.run_id,
                **run_environment(),
            },
            profile=profile.name,
        )
    if glue:
        glue_text(name, text)
    if not within:
        raise ClaimOutOfBandError(
            f"{name} = {number:{fmt}}{unit} is outside its {profile.name}-profile band "
            f"{band}. The prose would state a number the code no longer supports: "
            "look at what changed (data, profile sizes, model, seed) before moving the band."
        )
    return ClaimedText(text, verdict=f"{name} = {text}: in its {profile.name}-profile band {band.format(fmt)}")


def glue_text(name: str, text: str) -> None:
    """Glue ``text`` under ``name`` for the prose (``{glue:text}`name```).

    Use it for values that are configuration, not results (subset sizes, say);
    results go through :func:`claim`. A no-op where myst-nb is not installed,
    as on a bare Colab runtime, so chapters run there unchanged.

    Example:
        >>> glue_text("ch01_train_size", "8,000")  # doctest: +SKIP
    """
    try:
        from myst_nb import glue
    except ImportError:
        return
    glue(name, text, display=False)


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
    entry = {"recorded_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"), **entry}
    line = json.dumps(entry, sort_keys=True, ensure_ascii=False) + "\n"
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
        latest_run[_chapter_of(entry.get("name", ""))] = entry.get("run_id", "")
    kept = {
        entry["name"]: entry
        for entry in entries
        if entry.get("run_id", "") == latest_run[_chapter_of(entry.get("name", ""))]
    }
    return sorted(kept.values(), key=lambda entry: entry["name"])


def _chapter_of(name: str) -> str:
    match = re.match(r"^(ch\d+)_", name)
    return match.group(1) if match else "other"


def results_table(profile: str) -> "Any":
    """The claims of each chapter's latest run as a pandas DataFrame for the results page.

    Stand-in claims keep their row but never their value: it is not a result.

    Example:
        >>> results_table("full").columns[:3].tolist()  # doctest: +SKIP
        ['claim', 'what', 'value']
    """
    import pandas as pd

    rows = []
    for entry in latest_run_records(profile):
        fmt = entry.get("fmt", ".3f")
        low_high = entry.get("band") or [None, None]
        band = Band(*low_high).format(fmt) if any(end is not None for end in low_high) else ""
        if entry.get("standin"):
            shown = "stand-in data: not a result"
        else:
            shown = f"{entry['value']:{fmt}}{entry.get('unit', '')}"
            if not entry.get("within_band"):
                shown += " (OUT OF BAND)"
        rows.append(
            {
                "claim": entry["name"],
                "what": entry.get("description", ""),
                "value": shown,
                "band": band,
                "reference": entry.get("reference", ""),
                "run": _describe_run(entry),
                "elapsed_s": entry.get("elapsed_s", 0.0),
            }
        )
    columns = ["claim", "what", "value", "band", "reference", "run", "elapsed_s"]
    return pd.DataFrame(rows, columns=columns)


def results_markdown(profile: str) -> str:
    """The results page's section for one profile: a Markdown table per chapter.

    Example:
        >>> results_markdown("full").startswith("## Full profile")  # doctest: +SKIP
        True
    """
    table = results_table(profile)
    lines = [f"## {profile.capitalize()} profile", ""]
    if table.empty:
        return "\n".join(lines + [f"No {profile}-profile run has been recorded yet."])
    chapters = table["claim"].map(_chapter_of)
    for chapter, rows in table.groupby(chapters, sort=True):
        lines += [f"### Chapter {chapter[2:].lstrip('0')}" if chapter != "other" else "### Other", ""]
        lines += ["| what | value | band | published reference |", "| --- | --- | --- | --- |"]
        for row in rows.itertuples():
            what = f"{row.what}<br>`{row.claim}`" if row.what else f"`{row.claim}`"
            lines.append(f"| {what} | {row.value} | {row.band} | {row.reference} |")
        last_measured = rows.loc[rows["elapsed_s"].astype(float).idxmax()]
        lines += ["", f"Run: {last_measured['run']}.", ""]
    return "\n".join(lines)


def _describe_run(entry: dict[str, Any]) -> str:
    versions = entry.get("versions", {})
    hardware = entry.get("hardware", {})
    device = ", ".join(hardware.get("gpus", [])) or f"{hardware.get('cpus', '?')} CPU cores"
    return (
        f"{entry.get('recorded_at', '')[:10]}, {device}, keras {versions.get('keras', '?')}, "
        f"TensorFlow {versions.get('tensorflow', '?')}, "
        f"{entry.get('elapsed_s', '?')} s into the chapter"
    )


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


def run_info_markdown(profile: Profile, datasets: Iterable[Any] = ()) -> str:
    """Markdown for the top of a chapter: which profile and data produced its numbers.

    Example:
        >>> "fast" in run_info_markdown(get_profile("fast"))
        True
    """
    lines = [f"**Where the numbers on this page come from.** {profile.describe()}", ""]
    for dataset in datasets:
        notice = getattr(dataset, "notice", None)
        if notice:
            prefix = "**Stand-in data.** " if getattr(dataset, "is_standin", False) else ""
            lines.append(f"- {prefix}{notice}")
    return "\n".join(f"> {line}".rstrip() for line in lines)


def show_run_info(profile: Profile, *datasets: Any) -> None:
    """Display :func:`run_info_markdown` in a notebook (prints it elsewhere)."""
    text = run_info_markdown(profile, datasets)
    try:
        from IPython.display import Markdown, display
    except ImportError:  # pragma: no cover - IPython comes with Jupyter
        print(text)
        return
    display(Markdown(text))
