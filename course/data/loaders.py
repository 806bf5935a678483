"""Load each course dataset into arrays or data frames, with its provenance.

Every loader returns a :class:`Dataset`: its splits (``dataset["train"]``), where
the data came from (``source``), and a one-paragraph ``notice`` with the
citation and any way the copy differs from the canonical download. Show it on
a page with ``dataset.describe()`` (Markdown).

When the data cannot be had (not cached, not mirrored, not downloadable) a
loader either returns generated **stand-in** data, with a loud banner, or
raises :class:`~course.data.fetch.DataUnavailableError`. ``allow_standin=None``
asks the run profile: the fast profile allows stand-ins, the full profile
refuses them. A file that is present but wrong (a checksum mismatch, a corrupt
archive) always raises: stand-ins never hide a broken copy.

Every loader also checks what it read against what the dataset is known to
hold (a text's length and first words, a table's columns and rows, the number
of examples per split and class): a file that passes the fetcher's checks but
holds something else, such as a captive portal's HTML page cached under the
dataset's name, raises :class:`~course.data.fetch.CorruptArchiveError` (a
:class:`~course.data.fetch.DataError`), and a cached copy is set aside (renamed,
never deleted). A file
with no recorded checksum warns (:class:`~course.data.fetch.UnverifiedFileWarning`)
on every load.

Arguments are checked before anything is fetched: a wrong type raises
``TypeError``, a value out of range ``ValueError``; so does an unknown
``COURSE_PROFILE`` when ``allow_standin`` is None (every loader alike).

Example:
    >>> imdb = load_imdb()  # doctest: +SKIP
    >>> imdb["train"].columns.tolist()  # doctest: +SKIP
    ['text', 'label', 'rating', 'review_id']
"""

from __future__ import annotations

import contextlib
import csv
import dataclasses
import functools
import gzip
import hashlib
import io
import numbers
import os
import pickle
import posixpath
import re
import warnings
import zipfile
import zlib
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import IO, Any, TypeVar

import numpy as np
import pandas as pd

from course.data import standins
from course.data.conll import ConllFormatError, TaggedSentences, parse_conll2003, parse_conllu
from course.data.dataset import (
    CIFAR10_CLASS_NAMES,
    JENA_COLUMNS,
    Dataset,
    SplitCounts,
    StandInDataWarning,
    record_loaded,
)
from course.data.derived import derived_arrays
from course.data.fetch import (
    MARKER_FILENAME,
    CorruptArchiveError,
    DamagedExtractionError,
    DataUnavailableError,
    DownloadError,
    FetchedFile,
    SkippedCopyWarning,
    UnverifiedFileWarning,
    discard_corrupt,
    extract,
    extracted_checksums,
    fetch,
    invalidate_extraction,
    read_extracted,
)
from course.data.registry import (
    AIRLINE_PASSENGERS,
    CIFAR10,
    CONLL2003,
    GLOVE_6B,
    IMDB,
    JENA_CLIMATE,
    MNIST,
    NIETZSCHE,
    SHAKESPEARE,
    SPA_ENG,
    TEXT8,
    UD_EWT_DEV,
    UD_EWT_TEST,
    UD_EWT_TRAIN,
    RemoteFile,
)
from course.profile import DEFAULT_SEED, get_profile

PathLike = str | os.PathLike[str]
T = TypeVar("T")
GLOVE_DIMENSIONS = (50, 100, 200, 300)
UPOS_TAG_NAMES = (
    "ADJ", "ADP", "ADV", "AUX", "CCONJ", "DET", "INTJ", "NOUN", "NUM",
    "PART", "PRON", "PROPN", "PUNCT", "SCONJ", "SYM", "VERB", "X",
)  # fmt: skip
CONLL2003_TAG_NAMES = (
    "O",
    "B-PER",
    "I-PER",
    "B-ORG",
    "I-ORG",
    "B-LOC",
    "I-LOC",
    "B-MISC",
    "I-MISC",
)
TAGGED_SPLITS = ("train", "validation", "test")

# ---- What each dataset is known to hold. The loaders check it; tests of the
# ---- loaders on small files in the real formats replace these values.
IMDB_REVIEWS_PER_SPLIT_AND_CLASS = 12_500
JENA_ROWS = 420_551
AIRLINE_FIRST_MONTH, AIRLINE_MONTHS = "1949-01", 144
AIRLINE_FIRST_AND_LAST = (112, 432)  # thousands of passengers, 1949-01 and 1960-12
NIETZSCHE_PREFIX = "preface\n\n\nsupposing that truth is a woman--what then?"
NIETZSCHE_CHARACTERS = 600_893  # lower-cased canonical text: the length the Keras example prints
NIETZSCHE_MIRROR_CHARACTERS = 600_894  # the mirror's lower-cased copy, repaired
TEXT8_CHARACTERS = 100_000_000
TEXT8_PREFIX = " anarchism originated as a term of abuse"
SHAKESPEARE_CHARACTERS = 1_115_394
SHAKESPEARE_PREFIX = "First Citizen:\nBefore we proceed any further, hear me speak."
SPA_ENG_PAIRS = 118_964
SPA_ENG_FIRST_PAIR = ("Go.", "Ve.")
GLOVE_WORDS = 400_000
GLOVE_TRUNCATED_WORDS = 2_604  # the mirror's 100-dimensional extract
GLOVE_FIRST_WORD = "the"
# SHA-256 of the uncompressed glove.6B.50d.txt, the member of the canonical zip
GLOVE_50D_TEXT_SHA256 = "d8f717f8dd4b545cb7f418ef9f3d0c3e6e68a6f48b97d32f8b7aae40cb31f96f"
MNIST_EXAMPLES = {"train": 60_000, "test": 10_000}
# SHA-256 of each canonical MNIST array's raw bytes, whatever the npz wrapper.
MNIST_ARRAY_SHA256 = {
    "x_train": "741c988805d008ac6e4c904b69001ba184c24b2c540a4ef403f4c71b676cf757",
    "y_train": "1feba77c54802fa5339a11837ea4b2866434b83314ec45192930f1df69120c13",
    "x_test": "6d87418db22cc8025d05968bec9bd5c3932904b23485740db143a061a2c9d161",
    "y_test": "ddeff807876a9661a1110d45c266c86239a3a1b7d37da0c3716a7a683c852ff5",
}
CIFAR10_EXAMPLES_PER_CLASS = {"train": 5_000, "test": 1_000}
CIFAR10_JPEG_ORDER_SEED = (
    20_090_408  # fixed shuffle of the JPEG copy, whose canonical order is lost
)
# A 32×32 JPEG image takes about 1 kB; a member larger than this is refused unread.
CIFAR10_JPEG_MAX_MEMBER_BYTES = 64 * 1024
UD_EWT_SENTENCES = {"train": 12_544, "validation": 2_001, "test": 2_077}
CONLL2003_COUNTS = {  # sentences, tokens: the official counts
    "train": (14_041, 203_621),
    "validation": (3_250, 51_362),
    "test": (3_453, 46_435),
}


def real_notice(
    fetched: FetchedFile, *, title: str | None = None, others: tuple[FetchedFile, ...] = ()
) -> str:
    """The provenance paragraph for real data: where from, how it differs, citation.

    ``others`` are further files of the same dataset (the splits of a treebank).

    Example:
        >>> from course.data.registry import MNIST
        >>> notice = real_notice(FetchedFile(Path("mnist.npz"), "cache", MNIST))
        >>> notice.startswith("MNIST handwritten digits, `mnist.npz` from the download cache")
        True
    """
    remote = fetched.remote
    where = {
        "cache": "the download cache",
        "mirror": "the local mirror (COURSE_DATA_MIRROR)",
        "download": "a fresh download",
    }.get(fetched.source, fetched.source)
    names = ", ".join(f"`{copy.path.name}`" for copy in (fetched, *others))
    parts = [f"{title or remote.title}, {names} from {where}."]
    if fetched.variant is not None:
        note = fetched.variant.note
        parts.append(f"Mirror copy, not the canonical download: {note[:1].lower()}{note[1:]}")
    elif remote.sha256 is None:
        parts.append(
            "No published checksum exists for this file, so its content could not be verified."
        )
    parts.append(f"Cite: {remote.citation} Licence: {remote.licence}")
    return " ".join(parts)


def _standin_or_refuse(
    remote: RemoteFile,
    error: DownloadError,
    allow_standin: bool | None,
    standin: Callable[..., Dataset] | None,
    **options: Any,
) -> Dataset:
    """Generated stand-in data for ``remote``, or DataUnavailableError."""
    if standin is None:
        raise DataUnavailableError(
            f"{remote.title} could not be had, and no stand-in exists for it. {error}"
        ) from error
    if allow_standin is None:
        allow_standin = get_profile().allows_standins
    if not allow_standin:
        raise DataUnavailableError(
            f"{remote.title} could not be had, and stand-in data is not allowed here: the full "
            "profile refuses stand-ins (the fast profile, COURSE_PROFILE=fast, allows them). "
            f"{error}"
        ) from error
    reason = str(error).splitlines()[0]
    dataset = standin(reason=reason, **options)
    banner = (
        f"*** STAND-IN DATA: {remote.title} could not be had; using generated stand-in data "
        "instead. Numbers from it are not results. ***"
    )
    print(banner)
    warnings.warn(banner, StandInDataWarning, stacklevel=3)
    return record_loaded(dataset)


def _dataset(fetched: FetchedFile, splits: Mapping[str, Any], **attributes: Any) -> Dataset:
    dataset = Dataset(
        fetched.remote.name,
        splits,
        source=fetched.source,
        notice=real_notice(fetched),
        title=fetched.remote.title,
        path=fetched.path,
        variant=fetched.variant,
        **attributes,
    )
    return record_loaded(dataset)


# ------------------------------------------------------------ fetching, checking


def _fetch(
    remote: RemoteFile, data_home: PathLike | None, *, accept_variants: bool = True
) -> FetchedFile:
    """:func:`fetch`, plus an UnverifiedFileWarning on every load of a file with no SHA-256.

    The fetcher warns when it accepts such a file from a mirror or a download;
    a copy already in the cache must keep warning too, on every load, until a
    checksum is recorded for it. The fetcher's warnings reach the caller on
    every load, whether the fetch succeeds or fails.
    """
    caught: list[warnings.WarningMessage] = []
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            fetched = fetch(remote, data_home=data_home, accept_variants=accept_variants)
    finally:  # on failure too: a warning may say what became of a file the user placed
        for warning in caught:
            _warn_every_time(warning.message, warning.category)
    warned = any(issubclass(warning.category, UnverifiedFileWarning) for warning in caught)
    if fetched.expected_sha256 is None and not warned:
        _warn_every_time(
            f"{fetched.path} has no recorded sha256 in the registry ({remote.filename}), so only "
            "its content was checked; this warning repeats on every load.",
            UnverifiedFileWarning,
        )
    return fetched


def _warn_every_time(message: Warning | str, category: type[Warning]) -> None:
    """Warn without the once-per-place registry, so that every load shows it."""
    warnings.warn_explicit(
        message, category, filename=__file__, lineno=0, module=__name__, registry=None
    )


def _not_the_dataset(fetched: FetchedFile, problem: str) -> CorruptArchiveError:
    """The error for a readable file that holds something else; a cached copy is set aside."""
    return discard_corrupt(
        fetched, f"it does not hold {fetched.remote.title} as published: {problem}"
    )


def _check_text(fetched: FetchedFile, text: str, *, prefix: str, length: int | None) -> None:
    """The text starts with ``prefix`` and has ``length`` characters (when not None)."""
    if not text.startswith(prefix):
        raise _not_the_dataset(
            fetched, f"it should start {prefix[:40]!r}, but starts {text[:40]!r}"
        )
    if length is not None and len(text) != length:
        raise _not_the_dataset(fetched, f"{length:,} characters expected, {len(text):,} found")


def _check_count(fetched: FetchedFile, what: str, expected: int, found: int) -> None:
    if found != expected:
        raise _not_the_dataset(fetched, f"{expected:,} {what} expected, {found:,} found")


# ------------------------------------------------------------------ arguments


def _check_common(allow_standin: object, data_home: object) -> None:
    """``allow_standin`` is True, False or None; ``data_home`` a path or None.

    With ``allow_standin=None`` the run profile decides, so an unknown
    ``COURSE_PROFILE`` is a ValueError here, from every loader alike, before
    anything is fetched.
    """
    if allow_standin is not None and not isinstance(allow_standin, bool):
        raise TypeError(f"allow_standin must be True, False or None, not {allow_standin!r}.")
    if allow_standin is None:
        get_profile()  # raises ValueError, naming COURSE_PROFILE, for an unknown profile
    if data_home is not None and not isinstance(data_home, (str, os.PathLike)):
        raise TypeError(
            f"data_home must be a path (str or os.PathLike) or None, not {data_home!r}."
        )


def _check_positive_or_none(name: str, value: object) -> None:
    """``value`` is a positive int or None (not a bool, a float or a string)."""
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be a positive int or None, not {value!r}.")
    if value < 1:
        raise ValueError(f"{name} must be a positive int or None, not {value!r}.")


def _check_seed(seed: object) -> None:
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral):
        raise TypeError(f"seed must be an int, not {seed!r}.")
    if seed < 0:
        raise ValueError(f"seed must be zero or positive, not {seed!r}.")


def _member(fetched: FetchedFile, folder: Path, relative: str) -> Path:
    """``folder / relative``, which the archive must have contained."""
    path = folder / relative
    if not path.exists():
        invalidate_extraction(folder, f"it has no member {relative}")  # extract again next time
        raise discard_corrupt(fetched, f"it has no member {relative}")
    return path


def _from_extraction(
    fetched: FetchedFile, data_home: PathLike | None, read: Callable[[Path], T]
) -> T:
    """``read(folder)`` of the archive's extracted folder.

    ``read`` reads through :func:`~course.data.fetch.read_extracted`, which
    checks each file against the SHA-256 recorded at extraction: a file altered
    since (a flipped byte, an edit, a deletion) makes the folder be extracted
    afresh, once, with a warning.
    """
    folder = extract(fetched, data_home=data_home)
    try:
        return read(folder)
    except DamagedExtractionError as error:
        _warn_every_time(f"{error} It is extracted again now.", SkippedCopyWarning)
        return read(extract(fetched, data_home=data_home))


def _member_bytes(
    fetched: FetchedFile, folder: Path, relative: str, checksums: dict[str, str] | None = None
) -> bytes:
    """The bytes of the member ``relative``, which the archive must have held, checked."""
    if checksums is None:
        _member(fetched, folder, relative)
    return read_extracted(folder, relative, checksums)


def _extracted_text(
    fetched: FetchedFile, folder: Path, relative: str, checksums: dict[str, str] | None = None
) -> str:
    """The UTF-8 text of an extracted member, checked; undecodable text names the file."""
    data = _member_bytes(fetched, folder, relative, checksums)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise _not_the_dataset(
            fetched,
            f"{relative} is not UTF-8 text: byte {error.start:,} "
            f"(0x{data[error.start]:02x}) cannot be decoded",
        ) from None


# ------------------------------------------------------------------------ IMDB


def load_imdb(
    validation_fraction: float = 0.2,
    seed: int = DEFAULT_SEED,
    *,
    allow_standin: bool | None = None,
    data_home: PathLike | None = None,
) -> Dataset:
    """The IMDB reviews: "train", "validation" and "test" data frames.

    Columns: ``text`` (the raw review), ``label`` (1 positive, 0 negative),
    ``rating`` (1-10 stars) and ``review_id``. The validation split is carved
    from the 25,000 training reviews, stratified by label; every split is in a
    seeded random order, so ``frame.head(n)`` is a fair sample. No stand-in
    exists: without the data this raises DataUnavailableError. Checked: 12,500
    reviews per split and class.

    Example:
        >>> imdb = load_imdb(validation_fraction=0.2)  # doctest: +SKIP
        >>> len(imdb["train"]), len(imdb["validation"]), len(imdb["test"])  # doctest: +SKIP
        (20000, 5000, 25000)
        >>> load_imdb(validation_fraction=1)
        Traceback (most recent call last):
        ...
        ValueError: validation_fraction must be a number in [0, 1), not 1.
    """
    if isinstance(validation_fraction, bool) or not isinstance(validation_fraction, numbers.Real):
        raise TypeError(
            f"validation_fraction must be a number in [0, 1), not {validation_fraction!r}."
        )
    if not 0 <= validation_fraction < 1:
        raise ValueError(
            f"validation_fraction must be a number in [0, 1), not {validation_fraction!r}."
        )
    _check_seed(seed)
    _check_common(allow_standin, data_home)
    try:
        fetched = _fetch(IMDB, data_home)
    except DownloadError as error:
        return _standin_or_refuse(IMDB, error, allow_standin, None)

    def read(folder: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
        _member(fetched, folder, "aclImdb")
        return _read_imdb(
            fetched, str(folder), (folder / MARKER_FILENAME).read_text(encoding="utf-8")
        )

    full_train, test = _from_extraction(fetched, data_home, read)
    for split, frame in (("train", full_train), ("test", test)):
        for label, label_name in ((0, "negative"), (1, "positive")):
            found = int((frame["label"] == label).sum())
            _check_count(
                fetched, f"{label_name} {split} reviews", IMDB_REVIEWS_PER_SPLIT_AND_CLASS, found
            )
    rng = np.random.default_rng(seed)
    in_validation = np.zeros(len(full_train), dtype=bool)
    for label in (0, 1):
        rows = np.flatnonzero(full_train["label"].to_numpy() == label)
        in_validation[
            rng.choice(rows, size=round(len(rows) * validation_fraction), replace=False)
        ] = True
    splits = {
        "train": full_train[~in_validation],
        "validation": full_train[in_validation],
        "test": test,
    }
    splits = {
        name: frame.iloc[rng.permutation(len(frame))].reset_index(drop=True)
        for name, frame in splits.items()
    }
    return _dataset(fetched, splits)


_IMDB_REVIEW = re.compile(r"aclImdb/(train|test)/(neg|pos)/([0-9]+)_([0-9]+)\.txt")


@functools.lru_cache(maxsize=2)
def _read_imdb(
    fetched: FetchedFile, folder: str, marker: str
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Parse aclImdb/{train,test}/{neg,pos}/<id>_<rating>.txt; memoised per extraction.

    The reviews are the files the extraction's manifest lists, each checked
    against its SHA-256 as it is read; negative reviews first, by id.
    """
    checksums = extracted_checksums(folder)
    entries: dict[str, list[tuple[int, int, int, str]]] = {"train": [], "test": []}
    for relative in checksums:
        match = _IMDB_REVIEW.fullmatch(relative)
        if match is not None:
            split, label_name, review_id, rating = match.groups()
            label = int(label_name == "pos")
            entries[split].append((label, int(review_id), int(rating), relative))
    frames = []
    for split in ("train", "test"):
        rows = [
            (_extracted_text(fetched, Path(folder), relative, checksums), label, rating, review_id)
            for label, review_id, rating, relative in sorted(entries[split])
        ]
        frames.append(pd.DataFrame(rows, columns=["text", "label", "rating", "review_id"]))
    return frames[0], frames[1]


# ------------------------------------------------------------- time series


def load_jena_climate(
    *, allow_standin: bool | None = None, data_home: PathLike | None = None
) -> Dataset:
    """The Jena weather record: split "data", 14 float columns every 10 minutes.

    The index is the parsed ``Date Time`` column (format ``%d.%m.%Y %H:%M:%S``).
    Checked: the ``Date Time`` column and the 14 named columns, 420,551 rows.
    The fast profile falls back to a generated stand-in (none is in the mirror).

    Example:
        >>> jena = load_jena_climate()  # doctest: +SKIP
        >>> jena["data"]["T (degC)"].iloc[0]  # doctest: +SKIP
        -8.02
    """
    _check_common(allow_standin, data_home)
    try:
        fetched = _fetch(JENA_CLIMATE, data_home)
    except DownloadError as error:
        return _standin_or_refuse(
            JENA_CLIMATE, error, allow_standin, standins.jena_climate_standin
        )
    data = _from_extraction(
        fetched,
        data_home,
        lambda folder: _member_bytes(fetched, folder, "jena_climate_2009_2016.csv"),
    )
    try:
        frame = pd.read_csv(io.BytesIO(data))
    except (ValueError, UnicodeDecodeError) as error:
        raise _not_the_dataset(fetched, f"it is not a readable CSV file ({error})") from error
    expected_columns = ["Date Time", *JENA_COLUMNS]
    if list(frame.columns) != expected_columns:
        raise _not_the_dataset(
            fetched, f"columns {expected_columns} expected, {list(frame.columns)} found"
        )
    _check_count(fetched, "rows", JENA_ROWS, len(frame))
    frame.index = pd.DatetimeIndex(
        pd.to_datetime(frame.pop("Date Time"), format="%d.%m.%Y %H:%M:%S"), name="Date Time"
    )
    return _dataset(fetched, {"data": frame.astype("float64")})


def load_airline_passengers(
    *, allow_standin: bool | None = None, data_home: PathLike | None = None
) -> Dataset:
    """Monthly airline passengers 1949-1960: split "data" with ``month`` and ``passengers``.

    ``month`` is a datetime (month start); ``passengers`` an integer, in
    thousands. Accepts ``Month,Passengers`` or ``month,passengers`` headers.
    Checked: 144 consecutive months from 1949-01, the first value 112 and the
    last 432. No stand-in exists.

    Example:
        >>> airline = load_airline_passengers()  # doctest: +SKIP
        >>> airline["data"].shape  # doctest: +SKIP
        (144, 2)
    """
    _check_common(allow_standin, data_home)
    try:
        fetched = _fetch(AIRLINE_PASSENGERS, data_home)
    except DownloadError as error:
        return _standin_or_refuse(AIRLINE_PASSENGERS, error, allow_standin, None)
    try:
        frame = pd.read_csv(fetched.path)
    except (ValueError, UnicodeDecodeError) as error:
        raise _not_the_dataset(fetched, f"it is not a readable CSV file ({error})") from error
    if frame.shape[1] != 2:
        problem = f"expected 2 columns (month, passengers), found {frame.shape[1]}"
        raise _not_the_dataset(fetched, problem)
    frame.columns = ["month", "passengers"]
    frame = frame.dropna()  # some copies end with a free-text footer line
    try:
        frame = pd.DataFrame(
            {
                "month": pd.to_datetime(frame["month"].astype(str).str.strip(), format="%Y-%m"),
                "passengers": frame["passengers"].astype("int64"),
            }
        ).reset_index(drop=True)
    except (ValueError, TypeError) as error:
        raise _not_the_dataset(
            fetched, f"a month or a passenger count cannot be read ({error})"
        ) from error
    _check_airline(fetched, frame)
    return _dataset(fetched, {"data": frame})


def _check_airline(fetched: FetchedFile, frame: pd.DataFrame) -> None:
    """144 consecutive months from 1949-01, first and last values as published."""
    _check_count(fetched, "months", AIRLINE_MONTHS, len(frame))
    months = pd.date_range(AIRLINE_FIRST_MONTH, periods=AIRLINE_MONTHS, freq="MS").strftime(
        "%Y-%m"
    )
    if frame["month"].dt.strftime("%Y-%m").tolist() != months.tolist():
        raise _not_the_dataset(
            fetched, f"the months should run from {AIRLINE_FIRST_MONTH}, one a row, without gaps"
        )
    ends = (int(frame["passengers"].iloc[0]), int(frame["passengers"].iloc[-1]))
    if ends != AIRLINE_FIRST_AND_LAST:
        raise _not_the_dataset(
            fetched, f"first and last values {AIRLINE_FIRST_AND_LAST} expected, {ends} found"
        )


# ----------------------------------------------------------------------- text


def load_nietzsche(
    *, allow_standin: bool | None = None, data_home: PathLike | None = None
) -> Dataset:
    """Nietzsche's *Beyond Good and Evil*, lower-cased: ``.text`` (also split "text").

    The text is always lower-cased, so the canonical download and the
    mirror's lower-cased copy give the same characters. Checked: the first
    words and the length (600,893 characters; 600,894 from the mirror's copy).
    No stand-in exists.

    Example:
        >>> nietzsche = load_nietzsche()  # doctest: +SKIP
        >>> nietzsche.text[:7]  # doctest: +SKIP
        'preface'
    """
    _check_common(allow_standin, data_home)
    try:
        fetched = _fetch(NIETZSCHE, data_home)
    except DownloadError as error:
        return _standin_or_refuse(NIETZSCHE, error, allow_standin, None)
    try:
        text = _decode_lowercased(fetched.path.read_bytes())
    except UnicodeDecodeError as error:
        raise _not_the_dataset(fetched, f"it is not UTF-8 text ({error})") from error
    length = NIETZSCHE_CHARACTERS if fetched.variant is None else NIETZSCHE_MIRROR_CHARACTERS
    _check_text(fetched, text, prefix=NIETZSCHE_PREFIX, length=length)
    return _dataset(fetched, {"text": text}, text=text)


def load_shakespeare(
    *, allow_standin: bool | None = None, data_home: PathLike | None = None
) -> Dataset:
    """Tiny Shakespeare, as published (not lower-cased): ``.text`` (also split "text").

    Checked: 1,115,394 characters, starting "First Citizen:". No stand-in exists.

    Example:
        >>> shakespeare = load_shakespeare()  # doctest: +SKIP
        >>> shakespeare.text[:14], len(shakespeare.text)  # doctest: +SKIP
        ('First Citizen:', 1115394)
    """
    _check_common(allow_standin, data_home)
    try:
        fetched = _fetch(SHAKESPEARE, data_home)
    except DownloadError as error:
        return _standin_or_refuse(SHAKESPEARE, error, allow_standin, None)
    try:
        text = fetched.path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as error:
        raise _not_the_dataset(fetched, f"it is not UTF-8 text ({error})") from error
    _check_text(fetched, text, prefix=SHAKESPEARE_PREFIX, length=SHAKESPEARE_CHARACTERS)
    return _dataset(fetched, {"text": text}, text=text)


def _decode_lowercased(raw: bytes) -> str:
    """UTF-8 text, lower-cased, repairing a copy that was lower-cased byte by byte.

    Lower-casing UTF-8 bytes as if they were Latin-1 turns the lead byte 0xC3
    ("Ã") into 0xE3 ("ã"), which breaks two-byte letters such as "ä" (C3 A4).

    Example:
        >>> _decode_lowercased("Werthschätzung".encode().lower().replace(b"\\xc3", b"\\xe3"))
        'werthschätzung'
    """
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = re.sub(rb"\xe3(?=[\x80-\xbf](?![\x80-\xbf]))", b"\xc3", raw).decode("utf-8")
    return text.lower()


def load_text8(
    max_words: int | None = None,
    *,
    allow_standin: bool | None = None,
    data_home: PathLike | None = None,
) -> Dataset:
    """text8, cleaned Wikipedia text: ``.text`` (also split "text"), lower-case words.

    ``max_words`` keeps only the first words (the whole corpus has 17 million),
    from the real corpus and from the stand-in alike. Checked: 100,000,000
    characters, starting "anarchism originated as a term of abuse". The fast
    profile falls back to a generated stand-in (none is in the mirror).

    Example:
        >>> text8 = load_text8(max_words=5)  # doctest: +SKIP
        >>> text8.text  # doctest: +SKIP
        'anarchism originated as a term'
        >>> load_text8(max_words=0)
        Traceback (most recent call last):
        ...
        ValueError: max_words must be a positive int or None, not 0.
    """
    _check_positive_or_none("max_words", max_words)
    _check_common(allow_standin, data_home)
    try:
        fetched = _fetch(TEXT8, data_home)
    except DownloadError as error:
        return _standin_or_refuse(
            TEXT8, error, allow_standin, standins.text8_standin, max_words=max_words
        )
    text = _from_extraction(
        fetched, data_home, lambda folder: _extracted_text(fetched, folder, "text8")
    )
    _check_text(fetched, text, prefix=TEXT8_PREFIX, length=TEXT8_CHARACTERS)
    text = text.strip()
    if max_words is not None:
        text = " ".join(text.split(maxsplit=max_words)[:max_words])
    return _dataset(fetched, {"text": text}, text=text)


def load_spa_eng(
    *, allow_standin: bool | None = None, data_home: PathLike | None = None
) -> Dataset:
    """English-Spanish sentence pairs: split "pairs", columns ``english``, ``spanish``.

    From TensorFlow's ``spa-eng.zip`` or the mirror's copy of the same dated
    file. Checked: 118,964 pairs, the first "Go." / "Ve.". The fast profile
    falls back to a generated stand-in only when neither can be had.

    Example:
        >>> pairs = load_spa_eng()["pairs"]  # doctest: +SKIP
        >>> pairs.iloc[0].tolist(), len(pairs)  # doctest: +SKIP
        (['Go.', 'Ve.'], 118964)
    """
    _check_common(allow_standin, data_home)
    try:
        fetched = _fetch(SPA_ENG, data_home)
    except DownloadError as error:
        return _standin_or_refuse(SPA_ENG, error, allow_standin, standins.spa_eng_standin)
    lines = _from_extraction(
        fetched, data_home, lambda folder: _extracted_text(fetched, folder, "spa-eng/spa.txt")
    ).splitlines()
    pairs = [line.split("\t")[:2] for line in lines if "\t" in line]
    _check_count(fetched, "sentence pairs", SPA_ENG_PAIRS, len(pairs))
    if tuple(pairs[0]) != SPA_ENG_FIRST_PAIR:
        raise _not_the_dataset(
            fetched, f"the first pair should be {SPA_ENG_FIRST_PAIR}, not {tuple(pairs[0])}"
        )
    return _dataset(fetched, {"pairs": pd.DataFrame(pairs, columns=["english", "spanish"])})


def load_glove(
    dimension: int = 100,
    *,
    max_words: int | None = None,
    allow_standin: bool | None = None,
    data_home: PathLike | None = None,
) -> Dataset:
    """GloVe 6B vectors: ``.words`` (list) and ``.vectors`` (float32, words × dimension).

    Read from ``glove.6B.zip`` (member ``glove.6B.<dimension>d.txt``, without
    extracting the archive) or from a mirror's copy of one member: the
    50-dimensional file complete (gzip-compressed), or the 100-dimensional
    file truncated to its 2,604 most frequent words (the notice says so).
    Words are in frequency order; ``max_words`` reads only the first ones.
    Checked: ``dimension`` numbers on every line, 400,000 words (2,604 in the
    truncated copy) unless ``max_words`` stops earlier, "the" first, and, for
    the whole 50-dimensional file, the SHA-256 of its text. No stand-in exists:
    without the data this raises DataUnavailableError.

    Example:
        >>> glove = load_glove(50, max_words=1000)  # doctest: +SKIP
        >>> glove.words[0], glove.vectors.shape  # doctest: +SKIP
        ('the', (1000, 50))
        >>> load_glove("100")
        Traceback (most recent call last):
        ...
        TypeError: dimension must be one of the ints 50, 100, 200, 300, not the str '100'.
    """
    _check_glove_dimension(dimension)
    _check_positive_or_none("max_words", max_words)
    _check_common(allow_standin, data_home)
    try:
        fetched = _fetch(_glove_remote(dimension), data_home)
    except DownloadError as error:
        return _standin_or_refuse(GLOVE_6B, error, allow_standin, None)
    digest = hashlib.sha256()
    try:
        with _open_glove_text(fetched, f"glove.6B.{dimension}d.txt") as raw:
            table = pd.read_csv(
                io.BufferedReader(_HashingReader(raw, digest)),
                sep=" ",
                header=None,
                nrows=max_words,
                quoting=csv.QUOTE_NONE,
                na_filter=False,
                dtype={0: str},
                encoding="utf-8",
            )
    except (
        zipfile.BadZipFile,
        EOFError,
        OSError,
        ValueError,
    ) as error:  # gzip and zlib errors included
        raise discard_corrupt(fetched, error) from error
    if table.shape[1] != dimension + 1:
        raise discard_corrupt(
            fetched, f"expected {dimension} numbers per line, found {table.shape[1] - 1}"
        )
    words = table[0].tolist()
    try:
        vectors = table.iloc[:, 1:].to_numpy(dtype=np.float32)
    except (ValueError, TypeError) as error:
        raise _not_the_dataset(
            fetched, f"a vector holds something other than numbers ({error})"
        ) from error
    _check_glove(fetched, words, dimension, max_words, digest.hexdigest())
    splits = {"words": words, "vectors": vectors}
    return _dataset(fetched, splits, words=words, vectors=vectors, dimension=dimension)


# The mirror copies of single members of glove.6B.zip, by the dimension they hold.
_GLOVE_MEMBER_COPIES = {50: "glove.6B.50d.txt.gz", 100: "glove.6B.100d.txt"}


def _glove_remote(dimension: int) -> RemoteFile:
    """GLOVE_6B with only the mirror copies that hold ``dimension``-dimensional vectors."""
    variants = tuple(
        variant
        for variant in GLOVE_6B.variants
        if variant.filename == _GLOVE_MEMBER_COPIES.get(dimension)
    )
    return dataclasses.replace(GLOVE_6B, variants=variants)


def _check_glove_dimension(dimension: object) -> None:
    choices = ", ".join(map(str, GLOVE_DIMENSIONS))
    if isinstance(dimension, bool) or not isinstance(dimension, numbers.Integral):
        raise TypeError(
            f"dimension must be one of the ints {choices}, "
            f"not the {type(dimension).__name__} {dimension!r}."
        )
    if dimension not in GLOVE_DIMENSIONS:
        raise ValueError(f"GloVe 6B comes in {choices} dimensions, not {dimension!r}.")


@contextlib.contextmanager
def _open_glove_text(fetched: FetchedFile, member: str) -> Iterator[IO[bytes]]:
    """The GloVe text, as bytes: a member of the zip, a gzip-compressed or a plain copy."""
    name = fetched.path.name
    if name.endswith(".zip"):
        with zipfile.ZipFile(fetched.path) as archive:
            if member not in archive.namelist():
                raise discard_corrupt(fetched, f"it has no member {member}")
            with archive.open(member) as handle:
                yield handle
    elif name.endswith(".gz"):
        with gzip.open(fetched.path, "rb") as handle:
            yield handle
    else:
        with open(fetched.path, "rb") as handle:
            yield handle


class _HashingReader(io.RawIOBase):
    """A readable stream that feeds every byte it passes on into ``digest``."""

    def __init__(self, raw: IO[bytes], digest: Any) -> None:
        super().__init__()
        self._raw = raw
        self._digest = digest

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        data = self._raw.read(len(buffer))
        buffer[: len(data)] = data
        self._digest.update(data)
        return len(data)


def _check_glove(
    fetched: FetchedFile, words: list[str], dimension: int, max_words: int | None, sha256: str
) -> None:
    truncated = (
        fetched.variant is not None and fetched.variant.filename == _GLOVE_MEMBER_COPIES[100]
    )
    total = GLOVE_TRUNCATED_WORDS if truncated else GLOVE_WORDS
    _check_count(
        fetched, "words", total if max_words is None else min(max_words, total), len(words)
    )
    if words and words[0] != GLOVE_FIRST_WORD:
        raise _not_the_dataset(
            fetched, f"the first word should be {GLOVE_FIRST_WORD!r}, not {words[0]!r}"
        )
    if dimension == 50 and max_words is None and sha256 != GLOVE_50D_TEXT_SHA256:
        raise _not_the_dataset(
            fetched,
            f"glove.6B.50d.txt should have sha256 {GLOVE_50D_TEXT_SHA256}, this text has {sha256}",
        )


# --------------------------------------------------------------------- images


def load_mnist(*, allow_standin: bool | None = None, data_home: PathLike | None = None) -> Dataset:
    """MNIST digits: "train" and "test" as (images uint8 (n, 28, 28), labels uint8 (n,)).

    From Keras's ``mnist.npz`` or the mirror's rebuilt copy, whose four arrays
    are checked against the canonical arrays' SHA-256. Checked for any copy:
    60,000 and 10,000 images of 28×28 uint8, labels 0-9. The fast profile falls
    back to a generated stand-in only when neither copy can be had.

    Example:
        >>> (x_train, y_train), (x_test, y_test) = load_mnist().values()  # doctest: +SKIP
        >>> x_train.shape, x_test.shape  # doctest: +SKIP
        ((60000, 28, 28), (10000, 28, 28))
    """
    _check_common(allow_standin, data_home)
    try:
        fetched = _fetch(MNIST, data_home)
    except DownloadError as error:
        return _standin_or_refuse(MNIST, error, allow_standin, standins.mnist_standin)
    try:
        with np.load(fetched.path, allow_pickle=False) as archive:
            arrays = {key: archive[key] for key in ("x_train", "y_train", "x_test", "y_test")}
    except (zipfile.BadZipFile, ValueError, OSError, KeyError, EOFError) as error:
        raise discard_corrupt(fetched, error) from error
    splits = {split: (arrays[f"x_{split}"], arrays[f"y_{split}"]) for split in ("train", "test")}
    _check_images(fetched, splits, MNIST_EXAMPLES, (28, 28), labels=10)
    if fetched.variant is not None:
        for key, expected in MNIST_ARRAY_SHA256.items():
            found = hashlib.sha256(np.ascontiguousarray(arrays[key]).tobytes()).hexdigest()
            if found != expected:
                raise _not_the_dataset(
                    fetched, f"its array {key} has sha256 {found}, not the canonical {expected}"
                )
    return _dataset(fetched, splits)


def _check_images(
    fetched: FetchedFile,
    splits: Mapping[str, tuple[np.ndarray, np.ndarray]],
    examples: Mapping[str, int],
    shape: tuple[int, ...],
    *,
    labels: int,
) -> None:
    """Each split: ``examples[split]`` uint8 images of ``shape``, uint8 labels below ``labels``."""
    for split, (images, targets) in splits.items():
        expected = (examples[split], *shape)
        if images.shape != expected or images.dtype != np.uint8:
            raise _not_the_dataset(
                fetched,
                f"{split} images of shape {expected} uint8 expected, "
                f"{images.shape} {images.dtype} found",
            )
        if (
            targets.shape != (examples[split],)
            or targets.dtype != np.uint8
            or (targets >= labels).any()
        ):
            raise _not_the_dataset(
                fetched,
                f"{examples[split]:,} {split} labels 0-{labels - 1} (uint8) expected, "
                f"{targets.shape} {targets.dtype} found",
            )


def load_cifar10(
    *, allow_standin: bool | None = None, data_home: PathLike | None = None
) -> Dataset:
    """CIFAR-10: "train" and "test" as (images uint8 (n, 32, 32, 3), labels uint8 (n,)).

    ``class_names`` lists the ten labels in order. (Keras's own loader returns
    labels of shape (n, 1); these are flat.) From the canonical pickled batches,
    or from a mirror's JPEG copy (``cifar-10-jpeg.zip``): all 60,000 images,
    but JPEG-compressed, so close to, not equal to, the canonical pixels; the
    notice says so. The JPEG copy is decoded once into ``cifar-10-jpeg.<sha>.npz``
    in the data home, its images in a fixed shuffled order (its canonical order
    is lost); that cache is checked on every use against the checksums recorded
    in it, and decoded again if it fails (see :mod:`course.data.derived`).
    Checked: 5,000 training and 1,000 test images per class. The fast
    profile falls back to a generated stand-in only when neither copy can be had.

    Example:
        >>> cifar = load_cifar10()  # doctest: +SKIP
        >>> cifar["train"][0].shape, cifar.class_names[0]  # doctest: +SKIP
        ((50000, 32, 32, 3), 'airplane')
    """
    _check_common(allow_standin, data_home)
    try:
        fetched = _fetch(CIFAR10, data_home)
    except DownloadError as error:
        return _standin_or_refuse(CIFAR10, error, allow_standin, standins.cifar10_standin)
    if fetched.variant is not None:
        splits = _cifar10_from_jpeg(fetched, data_home)
    else:
        splits = _cifar10_from_batches(fetched, data_home)
    _check_cifar10(fetched, splits)
    return _dataset(fetched, splits, class_names=list(CIFAR10_CLASS_NAMES))


def _cifar10_examples() -> dict[str, int]:
    """How many images each split holds: its images per class times ten classes."""
    return {
        split: count * len(CIFAR10_CLASS_NAMES)
        for split, count in CIFAR10_EXAMPLES_PER_CLASS.items()
    }


def _check_cifar10(
    fetched: FetchedFile, splits: Mapping[str, tuple[np.ndarray, np.ndarray]]
) -> None:
    """Shapes, dtypes, labels and the number of images per class of each split."""
    _check_images(
        fetched, splits, _cifar10_examples(), (32, 32, 3), labels=len(CIFAR10_CLASS_NAMES)
    )
    for split, (_, labels) in splits.items():
        _check_class_counts(
            fetched, split, np.bincount(labels, minlength=len(CIFAR10_CLASS_NAMES))
        )


def _check_class_counts(fetched: FetchedFile, split: str, counts: np.ndarray) -> None:
    if (counts != CIFAR10_EXAMPLES_PER_CLASS[split]).any():
        raise _not_the_dataset(
            fetched,
            f"{CIFAR10_EXAMPLES_PER_CLASS[split]:,} {split} images per class expected, "
            f"{counts.tolist()} found",
        )


def _cifar10_from_batches(
    fetched: FetchedFile, data_home: PathLike | None
) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    def read(folder: Path) -> dict[str, tuple[np.ndarray, np.ndarray]]:
        _member(fetched, folder, "cifar-10-batches-py")
        batches = [f"data_batch_{number}" for number in range(1, 6)]
        train, test = (
            [
                _read_cifar_batch(_member_bytes(fetched, folder, f"cifar-10-batches-py/{name}"))
                for name in names
            ]
            for names in (batches, ["test_batch"])
        )
        return {
            "train": (
                np.concatenate([images for images, _ in train]),
                np.concatenate([labels for _, labels in train]),
            ),
            "test": test[0],
        }

    return _from_extraction(fetched, data_home, read)


def _read_cifar_batch(data: bytes) -> tuple[np.ndarray, np.ndarray]:
    # The batches are Python pickles; they come from the checksum-verified archive,
    # and read_extracted checked them against the SHA-256 recorded at extraction.
    batch = pickle.loads(data, encoding="bytes")
    images = (
        np.asarray(batch[b"data"], dtype=np.uint8).reshape(-1, 3, 32, 32).transpose(0, 2, 3, 1)
    )
    return np.ascontiguousarray(images), np.asarray(batch[b"labels"], dtype=np.uint8)


_CIFAR_JPEG_MEMBER = re.compile(r"(train|test)/([a-z]+)/([^/]+\.jpe?g)", re.IGNORECASE)


def _cifar10_from_jpeg(
    fetched: FetchedFile, data_home: PathLike | None
) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """The JPEG copy's arrays, decoded once and kept in the data home as an .npz file.

    :func:`course.data.derived.derived_arrays` locks, names, records and checks
    the cache; the decoded arrays are checked (counts per class) before they
    are saved, so a wrong copy leaves no cache behind.
    """
    examples = _cifar10_examples()
    spec = {
        f"{kind}_{split}": ((count, 32, 32, 3) if kind == "x" else (count,), "uint8")
        for split, count in examples.items()
        for kind in "xy"
    }

    def build() -> dict[str, np.ndarray]:
        splits = _decode_cifar_jpeg(fetched)
        _check_cifar10(fetched, splits)
        return {
            f"{kind}_{split}": array
            for split, pair in splits.items()
            for kind, array in zip("xy", pair)
        }

    sha = fetched.expected_sha256 or "unverified"
    arrays = derived_arrays(
        fetched,
        f"cifar-10-jpeg.{sha[:16]}.npz",
        build,
        spec,
        data_home=data_home,
        settings={"order_seed": CIFAR10_JPEG_ORDER_SEED},
    )
    return {split: (arrays[f"x_{split}"], arrays[f"y_{split}"]) for split in examples}


def _decode_cifar_jpeg(fetched: FetchedFile) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Decode train/<class>/*.jpg and test/<class>/*.jpg; a fixed seeded order per split.

    The images per class are counted before anything is decoded, and a member
    larger than :data:`CIFAR10_JPEG_MAX_MEMBER_BYTES` is refused before it is
    read: memory use is bounded by the expected number of images.
    """
    from PIL import Image

    classes = {name: index for index, name in enumerate(CIFAR10_CLASS_NAMES)}
    members: dict[str, list[tuple[int, str, zipfile.ZipInfo]]] = {"train": [], "test": []}
    cap = CIFAR10_JPEG_MAX_MEMBER_BYTES
    try:
        with zipfile.ZipFile(fetched.path) as archive:
            for info in archive.infolist():
                match = _CIFAR_JPEG_MEMBER.fullmatch(info.filename)
                if match is None:
                    continue
                split, class_name, _ = match.groups()
                if class_name not in classes:
                    raise _not_the_dataset(
                        fetched, f"{info.filename} is in no CIFAR-10 class folder"
                    )
                members[split.lower()].append((classes[class_name], info.filename, info))
            for split, entries in members.items():
                counts = np.bincount([label for label, _, _ in entries], minlength=len(classes))
                _check_class_counts(fetched, split, counts)
            rng = np.random.default_rng(CIFAR10_JPEG_ORDER_SEED)
            splits = {}
            for split, entries in members.items():
                entries.sort(key=lambda entry: entry[:2])
                images = np.empty((len(entries), 32, 32, 3), dtype=np.uint8)
                for index, (_, name, info) in enumerate(entries):
                    with archive.open(info) as handle:
                        data = b"" if info.file_size > cap else handle.read(cap + 1)
                    if info.file_size > cap or len(data) > cap:
                        raise _not_the_dataset(
                            fetched,
                            f"{name} is {max(info.file_size, len(data)):,} bytes, more than the "
                            f"{cap:,} a 32×32 JPEG image can need: it is not a CIFAR-10 image",
                        )
                    with Image.open(io.BytesIO(data)) as image:
                        if image.size != (32, 32):
                            raise _not_the_dataset(
                                fetched, f"{name} is {image.size[0]}×{image.size[1]}, not 32×32"
                            )
                        images[index] = np.asarray(image.convert("RGB"))
                labels = np.array([label for label, _, _ in entries], dtype=np.uint8)
                order = rng.permutation(len(entries))
                splits[split] = (images[order], labels[order])
    except (
        zipfile.BadZipFile,
        OSError,
        EOFError,
        zlib.error,
    ) as error:  # PIL.UnidentifiedImageError is an OSError
        raise discard_corrupt(fetched, error) from error
    return splits


# ---------------------------------------------------------------- tagged text


def load_ud_english_ewt(
    *, allow_standin: bool | None = None, data_home: PathLike | None = None
) -> Dataset:
    """UD English Web Treebank, words with UPOS tags: "train", "validation", "test".

    Each split is a :class:`~course.data.conll.TaggedSentences` ``(tokens,
    tags)``: one list of words and one list of UPOS tags per sentence, from
    ``en_ewt-ud-{train,dev,test}.conllu`` ("dev" is the "validation" split).
    Multi-word token lines (``1-2``) and empty nodes (``8.1``) are skipped.
    ``tag_names`` lists the 17 UPOS tags in alphabetical order; ``counts``
    maps each split to :class:`SplitCounts` ``(sentences, tokens)``. Checked:
    12,544 / 2,001 / 2,077 sentences, no tag outside the 17. A malformed line
    raises CorruptArchiveError naming the file and line. No stand-in exists.

    Example:
        >>> ewt = load_ud_english_ewt()  # doctest: +SKIP
        >>> tokens, tags = ewt["train"]  # doctest: +SKIP
        >>> tokens[0][:3], tags[0][:3], ewt.counts["train"].sentences  # doctest: +SKIP
        (['Al', '-', 'Zaman'], ['PROPN', 'PUNCT', 'PROPN'], 12544)
    """
    _check_common(allow_standin, data_home)
    files = dict(zip(TAGGED_SPLITS, (UD_EWT_TRAIN, UD_EWT_DEV, UD_EWT_TEST)))
    fetched: dict[str, FetchedFile] = {}
    for split, remote in files.items():
        try:
            fetched[split] = _fetch(remote, data_home)
        except DownloadError as error:
            return _standin_or_refuse(remote, error, allow_standin, None)
    splits = {}
    for split, copy in fetched.items():
        try:
            with open(copy.path, encoding="utf-8") as lines:
                corpus = parse_conllu(lines, source=copy.path.name)
        except (ConllFormatError, UnicodeDecodeError) as error:
            raise discard_corrupt(copy, error) from error
        _check_count(copy, "sentences", UD_EWT_SENTENCES[split], corpus.sentence_count)
        _check_tags(copy, corpus, UPOS_TAG_NAMES)
        splits[split] = corpus
    return _tagged_dataset(
        "ud_english_ewt",
        "Universal Dependencies English Web Treebank",
        list(fetched.values()),
        splits,
        UPOS_TAG_NAMES,
    )


# The three files of CoNLL-2003 under their original names (the mirror's copy)
# and under the names of the canonical download.
_CONLL2003_MEMBERS = {
    "train": ("eng.train", "train.txt"),
    "validation": ("eng.testa", "valid.txt"),
    "test": ("eng.testb", "test.txt"),
}


def load_conll2003(
    *, allow_standin: bool | None = None, data_home: PathLike | None = None
) -> Dataset:
    """CoNLL-2003 English named entities, tokens with IOB2 tags: "train", "validation", "test".

    Each split is a :class:`~course.data.conll.TaggedSentences` ``(tokens,
    tags)``: one list of words and one list of entity tags (``O``, ``B-PER``,
    ``I-PER``, ... in IOB2) per sentence, from ``eng.train``, ``eng.testa`` and
    ``eng.testb`` (or ``train.txt``, ``valid.txt``, ``test.txt``). ``-DOCSTART-``
    lines and blank lines end sentences. ``tag_names`` lists the nine tags,
    ``O`` first; ``counts`` maps each split to :class:`SplitCounts`. Checked: the
    official 14,041 / 3,250 / 3,453 sentences and 203,621 / 51,362 / 46,435
    tokens, no tag outside the nine. A malformed line raises CorruptArchiveError
    naming the file and line. No stand-in exists. The text is Reuters': for
    research use only.

    Example:
        >>> conll = load_conll2003()  # doctest: +SKIP
        >>> tokens, tags = conll["train"]  # doctest: +SKIP
        >>> tokens[0][:3], tags[0][:3]  # doctest: +SKIP
        (['EU', 'rejects', 'German'], ['B-ORG', 'O', 'B-MISC'])
    """
    _check_common(allow_standin, data_home)
    try:
        fetched = _fetch(CONLL2003, data_home)
    except DownloadError as error:
        return _standin_or_refuse(CONLL2003, error, allow_standin, None)
    splits = {}
    try:
        with zipfile.ZipFile(fetched.path) as archive:
            by_name = {
                posixpath.basename(name): name
                for name in archive.namelist()
                if not name.endswith("/")
            }
            for split, candidates in _CONLL2003_MEMBERS.items():
                member = next((by_name[name] for name in candidates if name in by_name), None)
                if member is None:
                    raise discard_corrupt(fetched, f"it has no member {' or '.join(candidates)}")
                lines = archive.read(member).decode("utf-8").splitlines()
                splits[split] = parse_conll2003(lines, source=f"{fetched.path.name}:{member}")
    except (
        zipfile.BadZipFile,
        EOFError,
        zlib.error,
        ConllFormatError,
        UnicodeDecodeError,
    ) as error:
        raise discard_corrupt(fetched, error) from error
    for split, corpus in splits.items():
        sentences, tokens = CONLL2003_COUNTS[split]
        _check_count(fetched, f"{split} sentences", sentences, corpus.sentence_count)
        _check_count(fetched, f"{split} tokens", tokens, corpus.token_count)
        _check_tags(fetched, corpus, CONLL2003_TAG_NAMES)
    return _tagged_dataset(CONLL2003.name, CONLL2003.title, [fetched], splits, CONLL2003_TAG_NAMES)


def _check_tags(fetched: FetchedFile, corpus: TaggedSentences, tag_names: tuple[str, ...]) -> None:
    unknown = {tag for tags in corpus.tags for tag in tags} - set(tag_names)
    if unknown:
        raise _not_the_dataset(
            fetched, f"tags {sorted(unknown)} are not among {', '.join(tag_names)}"
        )


def _tagged_dataset(
    name: str,
    title: str,
    fetched: list[FetchedFile],
    splits: dict[str, TaggedSentences],
    tag_names: tuple[str, ...],
) -> Dataset:
    first = fetched[0]
    counts = {
        split: SplitCounts(corpus.sentence_count, corpus.token_count)
        for split, corpus in splits.items()
    }
    dataset = Dataset(
        name,
        splits,
        source=first.source,
        notice=real_notice(first, title=title, others=tuple(fetched[1:])),
        title=title,
        path=first.path,
        variant=first.variant,
        tag_names=list(tag_names),
        counts=counts,
    )
    return record_loaded(dataset)
