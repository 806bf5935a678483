"""Verified numbers: every number the prose states goes through :func:`claim`.

Each chapter declares its claims once, in a small data file beside this module
(``course/chapter_claims/chNN.yaml``): for every named number, what it
measures, its band for each run profile, its natural range, the published
reference it compares with, and whether it is a *headline* result. The
chapter's flow then only says ``claim("ch01_dense_bigram_test_accuracy",
accuracy)``, which

1. checks that the value is a finite real number inside its natural range,
2. checks it against the band of the current profile,
3. appends it to the results record of that profile (strict JSON Lines, with
   date, versions, hardware and the chapter's elapsed time),
4. glues the formatted value so the prose can show it with
   ``{glue:text}`ch01_dense_bigram_test_accuracy```, and
5. raises :class:`ClaimOutOfBandError` when the value is outside its band, so a
   chapter whose result regresses fails instead of printing a wrong sentence.

Where a value falls outside its band depends on who runs the chapter. The
book build, CI, ``bookbuild.execute`` and the GPU workflow are *strict*
(``COURSE_CLAIMS=strict``, which they set): the claim raises and the run
stops. In a notebook kernel that a reader started (Colab, local Jupyter) the
default is *learner mode*: the cell shows this run's value beside the
course's band and the course's own full-profile value, says what a
difference means, and the notebook goes on. ``COURSE_CLAIMS=learner`` or
``strict`` chooses either mode anywhere.

A *measurement run* (``COURSE_CLAIMS_KEEP_GOING=1``, which
``python -m bookbuild.execute --keep-going`` sets) records an out-of-band value
and goes on instead of stopping, so that one long full-profile run measures
every claim of a chapter whose full bands are not yet measured. The results
page marks each recorded value against the band declared *now*: a band later
set from a measurement covers the value it was set from.

Numbers that cannot vary (parameter counts, sizes) are not claims: glue them
with :func:`glue_text`.

A number from a run that loaded generated stand-in data is marked as stand-in
unless its declaration names the real datasets it rests on (``data:``): the
glued text says so, the results page never lists it as a result, and the full
profile refuses to record it.

Example:
    >>> _ = declare("demo_accuracy", fast=(0.8, None), full=(0.9, None), value_range=(0, 1))
    >>> claim("demo_accuracy", 0.91, record=False, glue=False, profile=get_profile("full"))
    '0.910'
"""

from __future__ import annotations

import math
import os
import re
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from course.profile import Profile, get_profile
from course.records import append_record, chapter_of, published_values, run_environment

KEEP_GOING_ENV = "COURSE_CLAIMS_KEEP_GOING"
MODE_ENV = "COURSE_CLAIMS"
DECLARATIONS_DIR = Path(__file__).resolve().parent / "chapter_claims"
# myst-nb's glue format: a display output under this MIME prefix, named in its metadata.
GLUE_PREFIX = "application/papermill.record/"
_NAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_]*$")
_DECLARATION_KEYS = {
    "what",
    "fast",
    "full",
    "fmt",
    "unit",
    "reference",
    "range",
    "headline",
    "data",
}


class ClaimOutOfBandError(ValueError):
    """A claimed number fell outside the band stated for its profile."""


class ClaimOutOfBandWarning(UserWarning):
    """A measurement run (``COURSE_CLAIMS_KEEP_GOING``) recorded an out-of-band value."""


def keep_going() -> bool:
    """Whether this is a measurement run, where an out-of-band claim warns instead of raising.

    Example:
        >>> keep_going()  # unless COURSE_CLAIMS_KEEP_GOING is set
        False
    """
    setting = os.environ.get(KEEP_GOING_ENV, "").strip().lower()
    if setting in ("", "0", "false", "no", "off"):
        return False
    if setting in ("1", "true", "yes", "on"):
        return True
    raise ValueError(
        f"{KEEP_GOING_ENV}={setting!r} is not understood: set it to 1 for a measurement run "
        "that records out-of-band values and goes on, or unset it."
    )


def claims_mode() -> str:
    """``"strict"`` (an out-of-band claim stops the run) or ``"learner"`` (it is shown).

    ``COURSE_CLAIMS`` decides when set; otherwise a notebook kernel (Colab, Jupyter)
    is in learner mode and everything else (scripts, tests) is strict. The book
    build, CI and ``bookbuild.execute`` set ``COURSE_CLAIMS=strict``.

    Example:
        >>> claims_mode()  # outside a notebook kernel, with COURSE_CLAIMS unset
        'strict'
    """
    setting = os.environ.get(MODE_ENV, "").strip().lower()
    if setting in ("strict", "learner"):
        return setting
    if setting:
        raise ValueError(
            f"{MODE_ENV}={setting!r} is not understood: set it to 'strict' (an out-of-band "
            "claim stops the run) or 'learner' (it is shown and the notebook goes on), "
            "or unset it."
        )
    return "learner" if _notebook_shell() is not None else "strict"


def _notebook_shell() -> Any:
    """The IPython shell of a notebook kernel running this code, else None."""
    if "IPython" not in sys.modules:
        return None
    shell = sys.modules["IPython"].get_ipython()
    return shell if shell is not None and hasattr(shell, "kernel") else None


class ClaimValueError(ValueError):
    """A claimed value is not a finite real number in its natural range."""


class StandInClaimError(ValueError):
    """The full profile was asked to record a number measured on stand-in data."""


class ClaimedText(str):
    """The text of a checked claim. A notebook shows the value alone; the check it
    passed is kept in ``verdict``.

    Example:
        >>> text = ClaimedText("0.893", verdict="ch01_x = 0.893: in its fast-profile band ≥ 0.8")
        >>> text == "0.893", text.verdict.startswith("ch01_x")
        (True, True)
    """

    verdict: str

    def __new__(cls, text: str, *, verdict: str) -> ClaimedText:
        instance = super().__new__(cls, text)
        instance.verdict = verdict
        return instance

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        printer.text(str(self))


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
    def of(cls, value: Band | tuple[float | None, float | None]) -> Band:
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


@dataclass(frozen=True)
class Declaration:
    """What a claim measures and the bands it must meet, declared once per chapter.

    Example:
        >>> d = Declaration("ch99_accuracy", fast=Band(0.8, None), full=Band(0.9, None))
        >>> d.chapter, d.band("full").low
        ('ch99', 0.9)
    """

    name: str
    fast: Band
    full: Band
    what: str = ""
    fmt: str = ".3f"
    unit: str = ""
    reference: str = ""
    value_range: tuple[float | None, float | None] | None = None
    headline: bool = False
    data: tuple[str, ...] | None = None  # None: not said; (): rests on no dataset

    @property
    def chapter(self) -> str:
        """The ``chNN`` prefix of the name (``other`` if there is none)."""
        return chapter_of(self.name)

    def band(self, profile: str) -> Band:
        """The band for a profile name (``fast`` or ``full``)."""
        if profile not in ("fast", "full"):
            raise ValueError(f"Unknown profile {profile!r}: use 'fast' or 'full'.")
        return self.fast if profile == "fast" else self.full


_DECLARED: dict[str, Declaration] = {}
_LOADED_FILES: set[str] = set()


def declare(
    name: str,
    *,
    fast: Band | tuple[float | None, float | None],
    full: Band | tuple[float | None, float | None],
    what: str = "",
    fmt: str = ".3f",
    unit: str = "",
    reference: str = "",
    value_range: tuple[float | None, float | None] | None = None,
    headline: bool = False,
    data: Iterable[str] | str = (),
) -> Declaration:
    """Declare a claim in code (chapters use their YAML file; tests use this).

    Example:
        >>> declare("demo_error", fast=(None, 3.0), full=(None, 2.5), unit=" °C").unit
        ' °C'
    """
    if not _NAME_PATTERN.match(name):
        raise ValueError(
            f"Claim name {name!r} must use lower-case letters, digits and '_' only "
            "(for example 'ch01_dense_bigram_test_accuracy')."
        )
    natural = None
    if value_range is not None:
        natural_band = Band.of(value_range)
        natural = (natural_band.low, natural_band.high)
    names = (data,) if isinstance(data, str) else None if data is None else tuple(data)
    declared = Declaration(
        name,
        Band.of(fast),
        Band.of(full),
        what=what,
        fmt=fmt,
        unit=unit,
        reference=reference,
        value_range=natural,
        headline=bool(headline),
        data=names,
    )
    _DECLARED[name] = declared
    return declared


def load_declarations(path: Path) -> dict[str, Declaration]:
    """Read one chapter's declaration file (YAML: claim name → fields); declare its claims.

    Fields: ``what``, ``fast`` and ``full`` (``[low, high]``, ``null`` for an
    open end), and optionally ``fmt``, ``unit``, ``reference``, ``range`` (the
    natural range, e.g. ``[0, 1]`` for an accuracy), ``headline`` (shown first
    on the results page) and ``data`` (names of the datasets the number rests on).

    Example:
        >>> "ch01_dense_bigram_test_accuracy" in load_declarations(DECLARATIONS_DIR / "ch01.yaml")
        True
    """
    import yaml

    try:
        content = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as error:
        raise ValueError(f"{path} is not valid YAML: {error}") from None
    if not isinstance(content, dict):
        raise ValueError(f"{path} must map claim names to their fields.")
    declared = {}
    for name, fields in content.items():
        if not isinstance(fields, dict) or "fast" not in fields or "full" not in fields:
            raise ValueError(f"{path}: claim {name!r} needs at least 'fast' and 'full' bands.")
        unknown = set(fields) - _DECLARATION_KEYS
        if unknown:
            raise ValueError(
                f"{path}: claim {name!r} has unknown field(s) {', '.join(sorted(unknown))}; "
                f"the fields are {', '.join(sorted(_DECLARATION_KEYS))}."
            )
        if not str(name).startswith(path.stem + "_"):
            raise ValueError(f"{path}: claim {name!r} must start with '{path.stem}_'.")
        arguments = dict(fields)
        arguments["value_range"] = arguments.pop("range", None)
        declared[name] = declare(str(name), **arguments)
    return declared


def declaration(name: str) -> Declaration:
    """The declaration of ``name``, reading its chapter's file on first use.

    Example:
        >>> declaration("demo_accuracy").full.low
        0.9
    """
    if name not in _DECLARED:
        chapter = chapter_of(name)
        path = DECLARATIONS_DIR / f"{chapter}.yaml"
        if chapter not in _LOADED_FILES and path.is_file():
            _LOADED_FILES.add(chapter)
            load_declarations(path)
    if name not in _DECLARED:
        raise KeyError(
            f"Claim {name!r} is not declared. Add it to course/chapter_claims/"
            f"{chapter_of(name)}.yaml with its 'what', 'fast' and 'full' bands."
        )
    return _DECLARED[name]


def all_declarations() -> dict[str, Declaration]:
    """Every claim the chapters' files declare (and any declared in code), by name.

    Example:
        >>> "demo_accuracy" in all_declarations()
        True
    """
    for path in sorted(DECLARATIONS_DIR.glob("ch*.yaml")):
        if path.stem not in _LOADED_FILES:
            _LOADED_FILES.add(path.stem)
            load_declarations(path)
    return dict(sorted(_DECLARED.items()))


def _is_standin(data: Any) -> bool:
    """True if ``data`` (a dataset, or a container of datasets) is stand-in data."""
    if data is None:
        return False
    if getattr(data, "is_standin", False) is True:
        return True
    if hasattr(data, "is_standin"):
        return False
    if isinstance(data, Mapping):
        return any(_is_standin(item) for item in data.values())
    if isinstance(data, (list, tuple, set, frozenset)):
        return any(_is_standin(item) for item in data)
    return False


def rests_on_standin(declared: Declaration, data: Any = None) -> bool:
    """Whether a claim's number rests on generated stand-in data.

    True when ``data`` is or holds a stand-in dataset, or when this process
    loaded a stand-in among the datasets the declaration names (among all
    loaded datasets if it says nothing; ``data: []`` declares a number that
    rests on no dataset).

    Example:
        >>> rests_on_standin(Declaration("x", Band(0, None), Band(0, None), data=("nothing",)))
        False
    """
    if _is_standin(data):
        return True
    from course.data.dataset import loaded_datasets

    loaded = loaded_datasets()
    if declared.data is not None:  # the declaration names what it rests on ([] = nothing)
        loaded = [dataset for dataset in loaded if dataset.name in declared.data]
    return any(dataset.is_standin for dataset in loaded)


def as_claim_value(name: str, value: Any) -> float:
    """``value`` as a finite float; bools, strings, NaN and infinities are refused.

    NumPy scalars and one-element arrays or tensors are accepted.

    Example:
        >>> as_claim_value("x", 3)
        3.0
    """
    if isinstance(value, (str, bytes, bool, np.bool_)):
        raise ClaimValueError(
            f"Claim {name!r} needs a real number, got {type(value).__name__} {value!r}."
        )
    try:
        array = np.asarray(value)
    except Exception:  # noqa: BLE001 - whatever fails here is not a number
        array = np.asarray(None)
    if array.size != 1 or array.dtype.kind not in "iuf":
        raise ClaimValueError(f"Claim {name!r} needs one real number, got {value!r}.")
    number = float(array.reshape(()))
    if not math.isfinite(number):
        raise ClaimValueError(f"Claim {name!r} got {number}, which is not a finite number.")
    return number


def claim(
    name: str,
    value: Any,
    *,
    data: Any = None,
    profile: Profile | None = None,
    record: bool = True,
    glue: bool = True,
) -> ClaimedText:
    """Check a measured number against its declared band, record it, glue it; return its text.

    Args:
        name: A declared claim (see :func:`declaration`); the prose shows it
            with ``{glue:text}`name```.
        value: The measured number: a finite real (Python or NumPy scalar, or a
            one-element array or tensor).
        data: Optionally the dataset(s) it was measured on; stand-in data marks it.
        profile: Defaults to the current profile (``COURSE_PROFILE``).
        record: Append to the results record (off in unit tests).
        glue: Glue the text for the prose (``{glue:text}`name```).

    Raises:
        KeyError: the claim is not declared.
        ClaimValueError: the value is not a finite real number in its natural range.
        StandInClaimError: the full profile was asked to record a stand-in number.
        ClaimOutOfBandError: the value is outside the band of this profile
            (in a measurement run, see :func:`keep_going`, a warning instead; in
            learner mode, see :func:`claims_mode`, a note beside the value).

    Example:
        >>> _ = declare("demo_loss", fast=(None, 0.5), full=(None, 0.3), value_range=(0, None))
        >>> claim("demo_loss", 0.2, record=False, glue=False, profile=get_profile("fast"))
        '0.200'
    """
    declared = declaration(name)
    number = as_claim_value(name, value)
    if declared.value_range is not None and not Band(*declared.value_range).contains(number):
        raise ClaimValueError(
            f"{name} = {number!r} is outside its natural range {Band(*declared.value_range)}: "
            "the measurement itself is wrong (a percentage instead of a fraction?)."
        )
    profile = profile or get_profile()
    band = declared.band(profile.name)
    standin = rests_on_standin(declared, data)
    if standin and profile.is_full:
        raise StandInClaimError(
            f"{name} rests on generated stand-in data; the full profile records real results only."
        )
    text = f"{number:{declared.fmt}}{declared.unit}"
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
                "description": declared.what,
                "reference": declared.reference,
                "unit": declared.unit,
                "fmt": declared.fmt,
                "headline": declared.headline,
                "elapsed_s": round(profile.elapsed(), 1),
                "run_id": profile.run_id,
                **run_environment(),
            },
            profile=profile.name,
        )
    if glue:
        glue_text(name, text)
    if not within:
        message = (
            f"{name} = {number:{declared.fmt}}{declared.unit} is outside its "
            f"{profile.name}-profile band {band}. "
        )
        if keep_going():
            import warnings

            message += "Recorded, and the measurement run goes on."
            print(f"*** OUT OF BAND: {message}", flush=True)
            warnings.warn(message, ClaimOutOfBandWarning, stacklevel=2)
            return ClaimedText(text, verdict=f"OUT OF BAND: {message}")
        if claims_mode() == "learner":
            _show(learner_note(declared, text, profile.name, within=False))
            return ClaimedText(text, verdict=f"OUT OF BAND: {message}")
        raise ClaimOutOfBandError(
            message + "The prose would state a number the code no longer supports: "
            "look at what changed (data, profile sizes, model, seed) before moving the band."
        )
    verdict = f"{name} = {text}: in its {profile.name}-profile band {band.format(declared.fmt)}"
    if claims_mode() == "learner":
        _show(learner_note(declared, text, profile.name, within=True))
    return ClaimedText(text, verdict=verdict)


def learner_note(declared: Declaration, text: str, profile: str, *, within: bool) -> str:
    """What a reader's notebook shows for a claim: this run's value, the course's band and
    (where measured) the course's own full-profile value; outside the band, what that means.

    Example:
        >>> item = declare("demo_share", fast=(0.8, None), full=(0.9, None), what="A share")
        >>> print(learner_note(item, "0.512", "fast", within=False))
        ⚠ **A share**: this run 0.512, outside the course's fast band ≥ 0.800. ...
    """
    band = declared.band(profile).format(declared.fmt)
    published = published_values().get(declared.name)
    course = f"; the course's full run: {published['text']}" if published else ""
    what = declared.what or declared.name
    if within:
        return f"✓ **{what}**: this run {text}, in the course's {profile} band {band}{course}."
    return (
        f"⚠ **{what}**: this run {text}, outside the course's {profile} band "
        f"{band}{course}. If you changed a cell above, this is your experiment's number and a "
        "different result is expected. If you changed nothing, the course may have a "
        "regression: please report it with this output."
    )


def _show(markdown: str) -> None:
    """Display Markdown in a notebook; print it elsewhere."""
    if _notebook_shell() is None:
        print(markdown)
        return
    from IPython.display import Markdown, display

    display(Markdown(markdown))


def glue_text(name: str, text: Any) -> None:
    """Glue ``text`` under ``name`` for the prose (``{glue:text}`name```).

    Use it for values that are configuration or cannot vary (subset sizes,
    parameter counts); results go through :func:`claim`. The glue is a display
    output in myst-nb's format, written by strict runs (the book build, CI,
    ``bookbuild.execute``) whose outputs make the book's pages; a reader's kernel
    shows nothing, as the Colab edition's prose needs no glue.

    Example:
        >>> glue_text("ch01_train_size", "8,000")  # outside a notebook: nothing to do
    """
    if _notebook_shell() is None or claims_mode() != "strict":
        return
    from IPython.core.formatters import format_display_data
    from IPython.display import display

    bundle, metadata = format_display_data(str(text))
    metadata = {**metadata, "scrapbook": {"name": name, "mime_prefix": GLUE_PREFIX}}
    display(
        {GLUE_PREFIX + kind: value for kind, value in bundle.items()}, raw=True, metadata=metadata
    )


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
