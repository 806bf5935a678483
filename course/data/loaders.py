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

Example:
    >>> imdb = load_imdb()  # doctest: +SKIP
    >>> imdb["train"].columns.tolist()  # doctest: +SKIP
    ['text', 'label', 'rating', 'review_id']
"""

from __future__ import annotations

import csv
import functools
import os
import pickle
import re
import warnings
import zipfile
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from course.data.fetch import (
    MARKER_FILENAME,
    DataUnavailableError,
    DownloadError,
    FetchedFile,
    discard_corrupt,
    extract,
    fetch,
)
from course.data.registry import (
    AIRLINE_PASSENGERS,
    CIFAR10,
    GLOVE_6B,
    IMDB,
    JENA_CLIMATE,
    MNIST,
    NIETZSCHE,
    SPA_ENG,
    TEXT8,
    RemoteFile,
)
from course.profile import DEFAULT_SEED, get_profile

PathLike = str | os.PathLike[str]
SOURCES = ("cache", "mirror", "download", "stand-in")
JENA_COLUMNS = (
    "p (mbar)",
    "T (degC)",
    "Tpot (K)",
    "Tdew (degC)",
    "rh (%)",
    "VPmax (mbar)",
    "VPact (mbar)",
    "VPdef (mbar)",
    "sh (g/kg)",
    "H2OC (mmol/mol)",
    "rho (g/m**3)",
    "wv (m/s)",
    "max. wv (m/s)",
    "wd (deg)",
)
CIFAR10_CLASS_NAMES = (
    "airplane",
    "automobile",
    "bird",
    "cat",
    "deer",
    "dog",
    "frog",
    "horse",
    "ship",
    "truck",
)


class StandInDataWarning(UserWarning):
    """Generated stand-in data replaces a dataset that could not be had."""


class Dataset(Mapping[str, Any]):
    """A loaded dataset: named splits plus where the data came from.

    Splits are read like a dict (``dataset["train"]``); extra keyword arguments
    become attributes (``text``, ``class_names``, ``words``...).

    Example:
        >>> toy = Dataset("toy", {"train": [1, 2, 3]}, source="cache", notice="A toy.")
        >>> toy["train"], toy.is_standin, list(toy)
        ([1, 2, 3], False, ['train'])
    """

    def __init__(
        self,
        name: str,
        splits: Mapping[str, Any],
        *,
        source: str,
        notice: str,
        title: str = "",
        path: Path | None = None,
        **attributes: Any,
    ) -> None:
        if source not in SOURCES:
            raise ValueError(f"source must be one of {', '.join(SOURCES)}, not {source!r}.")
        self.name = name
        self.title = title or name
        self.splits = dict(splits)
        self.source = source
        self.notice = notice
        self.path = path
        for attribute, value in attributes.items():
            setattr(self, attribute, value)

    @property
    def is_standin(self) -> bool:
        """True when the data is generated stand-in data, not the real dataset."""
        return self.source == "stand-in"

    def __getitem__(self, split: str) -> Any:
        try:
            return self.splits[split]
        except KeyError:
            raise KeyError(f"{self.name} has no split {split!r}; its splits are {', '.join(self.splits)}.") from None

    def __iter__(self) -> Iterator[str]:
        return iter(self.splits)

    def __len__(self) -> int:
        return len(self.splits)

    def __repr__(self) -> str:
        return f"Dataset({self.name!r}, splits={list(self.splits)}, source={self.source!r})"

    def describe(self) -> str:
        """Markdown for a book page: title, source, split sizes and the notice.

        Example:
            >>> toy = Dataset("toy", {"train": "abc"}, source="mirror", notice="A toy.")
            >>> print(toy.describe())
            **toy** (from the mirror)
            <BLANKLINE>
            | split | size |
            | --- | --- |
            | train | 3 characters |
            <BLANKLINE>
            A toy.
        """
        rows = "\n".join(f"| {split} | {_describe_split(value)} |" for split, value in self.splits.items())
        table = f"| split | size |\n| --- | --- |\n{rows}"
        if self.is_standin:
            return f"> **{self.notice}**\n\n**{self.title}** (generated stand-in)\n\n{table}"
        return f"**{self.title}** (from the {self.source})\n\n{table}\n\n{self.notice}"

    def _repr_markdown_(self) -> str:
        return self.describe()


def _describe_split(value: Any) -> str:
    if isinstance(value, tuple) and value and hasattr(value[0], "shape"):
        return f"{len(value[0]):,} examples of shape {tuple(value[0].shape[1:])}"
    if isinstance(value, pd.DataFrame):
        return f"{len(value):,} rows × {len(value.columns)} columns"
    if isinstance(value, str):
        return f"{len(value):,} characters"
    if isinstance(value, np.ndarray):
        return f"array of shape {value.shape}"
    return f"{len(value):,} items"


def real_notice(fetched: FetchedFile) -> str:
    """The provenance paragraph for real data: where from, how it differs, citation.

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
    parts = [f"{remote.title}, `{fetched.path.name}` from {where}."]
    if fetched.variant is not None:
        note = fetched.variant.note
        parts.append(f"Mirror copy, not the canonical download: {note[:1].lower()}{note[1:]}")
    elif remote.sha256 is None:
        parts.append("No published checksum exists for this file, so its content could not be verified.")
    parts.append(f"Cite: {remote.citation} Licence: {remote.licence}")
    return " ".join(parts)


# Every dataset a ``load_*`` function returned in this process, in order. Claims
# consult it: a number from a run that loaded stand-in data is marked as such.
_LOADED: list[Dataset] = []


def record_loaded(dataset: Dataset) -> Dataset:
    """Remember that this process loaded ``dataset``; return it unchanged.

    Every ``load_*`` function passes its result through here, so
    :func:`loaded_datasets` knows what a chapter's numbers rest on.

    Example:
        >>> toy = record_loaded(Dataset("toy", {}, source="cache", notice=""))
        >>> loaded_datasets()[-1] is toy
        True
    """
    _LOADED.append(dataset)
    return dataset


def loaded_datasets() -> list[Dataset]:
    """The datasets this process loaded, oldest first (see :func:`record_loaded`).

    Example:
        >>> isinstance(loaded_datasets(), list)
        True
    """
    return list(_LOADED)


def _standin_or_refuse(
    remote: RemoteFile, error: DownloadError, allow_standin: bool | None, standin: str | None
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
            f"profile refuses stand-ins (the fast profile, COURSE_PROFILE=fast, allows them). {error}"
        ) from error
    from course.data import standins  # standins imports Dataset from this module

    reason = str(error).splitlines()[0]
    dataset = getattr(standins, standin)(reason=reason)
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


def _member(fetched: FetchedFile, folder: Path, relative: str) -> Path:
    """``folder / relative``, which the archive must have contained."""
    path = folder / relative
    if not path.exists():
        (folder / MARKER_FILENAME).unlink(missing_ok=True)  # extract again next time
        raise discard_corrupt(fetched, f"it has no member {relative}")
    return path


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
    exists: without the data this raises DataUnavailableError.

    Example:
        >>> imdb = load_imdb(validation_fraction=0.2)  # doctest: +SKIP
        >>> len(imdb["train"]), len(imdb["validation"]), len(imdb["test"])  # doctest: +SKIP
        (20000, 5000, 25000)
    """
    if not 0 <= validation_fraction < 1:
        raise ValueError(f"validation_fraction must be in [0, 1), not {validation_fraction}.")
    try:
        fetched = fetch(IMDB, data_home=data_home)
    except DownloadError as error:
        return _standin_or_refuse(IMDB, error, allow_standin, None)
    folder = extract(fetched, data_home=data_home)
    reviews = _member(fetched, folder, "aclImdb")
    full_train, test = _read_imdb(str(reviews), (folder / MARKER_FILENAME).read_text(encoding="utf-8"))
    rng = np.random.default_rng(seed)
    in_validation = np.zeros(len(full_train), dtype=bool)
    for label in (0, 1):
        rows = np.flatnonzero(full_train["label"].to_numpy() == label)
        in_validation[rng.choice(rows, size=round(len(rows) * validation_fraction), replace=False)] = True
    splits = {
        "train": full_train[~in_validation],
        "validation": full_train[in_validation],
        "test": test,
    }
    splits = {name: frame.iloc[rng.permutation(len(frame))].reset_index(drop=True) for name, frame in splits.items()}
    return _dataset(fetched, splits)


@functools.lru_cache(maxsize=2)
def _read_imdb(folder: str, marker: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Parse aclImdb/{train,test}/{neg,pos}/<id>_<rating>.txt; memoised per extraction."""
    frames = []
    for split in ("train", "test"):
        rows = []
        for label, label_name in ((0, "neg"), (1, "pos")):
            files = sorted(Path(folder, split, label_name).glob("*.txt"), key=lambda path: int(path.stem.split("_")[0]))
            for path in files:
                review_id, rating = path.stem.split("_")
                rows.append((path.read_text(encoding="utf-8"), label, int(rating), int(review_id)))
        frames.append(pd.DataFrame(rows, columns=["text", "label", "rating", "review_id"]))
    return frames[0], frames[1]


# ------------------------------------------------------------- time series


def load_jena_climate(*, allow_standin: bool | None = None, data_home: PathLike | None = None) -> Dataset:
    """The Jena weather record: split "data", 14 float columns every 10 minutes.

    The index is the parsed ``Date Time`` column (format ``%d.%m.%Y %H:%M:%S``).

    Example:
        >>> jena = load_jena_climate()  # doctest: +SKIP
        >>> jena["data"]["T (degC)"].iloc[0]  # doctest: +SKIP
        -8.02
    """
    try:
        fetched = fetch(JENA_CLIMATE, data_home=data_home)
    except DownloadError as error:
        return _standin_or_refuse(JENA_CLIMATE, error, allow_standin, "jena_climate_standin")
    folder = extract(fetched, data_home=data_home)
    frame = pd.read_csv(_member(fetched, folder, "jena_climate_2009_2016.csv"))
    frame.index = pd.DatetimeIndex(pd.to_datetime(frame.pop("Date Time"), format="%d.%m.%Y %H:%M:%S"), name="Date Time")
    return _dataset(fetched, {"data": frame.astype("float64")})


def load_airline_passengers(*, allow_standin: bool | None = None, data_home: PathLike | None = None) -> Dataset:
    """Monthly airline passengers 1949-1960: split "data" with ``month`` and ``passengers``.

    ``month`` is a datetime (month start); ``passengers`` an integer, in
    thousands. Accepts ``Month,Passengers`` or ``month,passengers`` headers.
    No stand-in exists.

    Example:
        >>> airline = load_airline_passengers()  # doctest: +SKIP
        >>> airline["data"].shape  # doctest: +SKIP
        (144, 2)
    """
    try:
        fetched = fetch(AIRLINE_PASSENGERS, data_home=data_home)
    except DownloadError as error:
        return _standin_or_refuse(AIRLINE_PASSENGERS, error, allow_standin, None)
    frame = pd.read_csv(fetched.path)
    if frame.shape[1] != 2:
        raise discard_corrupt(fetched, f"expected 2 columns, found {frame.shape[1]}")
    frame.columns = ["month", "passengers"]
    frame = frame.dropna()  # some copies end with a free-text footer line
    frame = pd.DataFrame(
        {
            "month": pd.to_datetime(frame["month"].astype(str).str.strip(), format="%Y-%m"),
            "passengers": frame["passengers"].astype("int64"),
        }
    ).reset_index(drop=True)
    return _dataset(fetched, {"data": frame})


# ----------------------------------------------------------------------- text


def load_nietzsche(*, allow_standin: bool | None = None, data_home: PathLike | None = None) -> Dataset:
    """Nietzsche's *Beyond Good and Evil*, lower-cased: ``.text`` (also split "text").

    The text is always lower-cased, so the canonical download and the
    mirror's lower-cased copy give the same characters. No stand-in exists.

    Example:
        >>> nietzsche = load_nietzsche()  # doctest: +SKIP
        >>> nietzsche.text[:7]  # doctest: +SKIP
        'preface'
    """
    try:
        fetched = fetch(NIETZSCHE, data_home=data_home)
    except DownloadError as error:
        return _standin_or_refuse(NIETZSCHE, error, allow_standin, None)
    text = _decode_lowercased(fetched.path.read_bytes())
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
    max_words: int | None = None, *, allow_standin: bool | None = None, data_home: PathLike | None = None
) -> Dataset:
    """text8, cleaned Wikipedia text: ``.text`` (also split "text"), lower-case words.

    ``max_words`` keeps only the first words (the whole corpus has 17 million).

    Example:
        >>> text8 = load_text8(max_words=5)  # doctest: +SKIP
        >>> text8.text  # doctest: +SKIP
        'anarchism originated as a term'
    """
    if max_words is not None and max_words < 1:
        raise ValueError(f"max_words must be a positive number or None, not {max_words}.")
    try:
        fetched = fetch(TEXT8, data_home=data_home)
    except DownloadError as error:
        return _standin_or_refuse(TEXT8, error, allow_standin, "text8_standin")
    folder = extract(fetched, data_home=data_home)
    text = _member(fetched, folder, "text8").read_text(encoding="utf-8").strip()
    if max_words is not None:
        text = " ".join(text.split(maxsplit=max_words)[:max_words])
    return _dataset(fetched, {"text": text}, text=text)


def load_spa_eng(*, allow_standin: bool | None = None, data_home: PathLike | None = None) -> Dataset:
    """English-Spanish sentence pairs: split "pairs", columns ``english``, ``spanish``.

    Example:
        >>> pairs = load_spa_eng()["pairs"]  # doctest: +SKIP
        >>> pairs.iloc[0].tolist()  # doctest: +SKIP
        ['Go.', 'Ve.']
    """
    try:
        fetched = fetch(SPA_ENG, data_home=data_home)
    except DownloadError as error:
        return _standin_or_refuse(SPA_ENG, error, allow_standin, "spa_eng_standin")
    folder = extract(fetched, data_home=data_home)
    lines = _member(fetched, folder, "spa-eng/spa.txt").read_text(encoding="utf-8").splitlines()
    pairs = [line.split("\t")[:2] for line in lines if "\t" in line]
    return _dataset(fetched, {"pairs": pd.DataFrame(pairs, columns=["english", "spanish"])})


def load_glove(
    dimension: int = 100, *, allow_standin: bool | None = None, data_home: PathLike | None = None
) -> Dataset:
    """GloVe 6B vectors: ``.words`` (list) and ``.vectors`` (float32, words × dimension).

    From the cached ``glove.6B.zip`` (member ``glove.6B.<dimension>d.txt``), or
    from a mirror's extracted 100-dimensional file, which may be truncated to
    the most frequent words (the notice says so). Words are in frequency order.
    No stand-in exists: without the data this raises DataUnavailableError.

    Example:
        >>> glove = load_glove(100)  # doctest: +SKIP
        >>> glove.words[0], glove.vectors.shape[1]  # doctest: +SKIP
        ('the', 100)
    """
    if dimension not in (50, 100, 200, 300):
        raise ValueError(f"GloVe 6B comes in 50, 100, 200 and 300 dimensions, not {dimension}.")
    try:
        # The mirror's extracted file has 100 dimensions: accept it only for 100.
        fetched = fetch(GLOVE_6B, data_home=data_home, accept_variants=dimension == 100)
    except DownloadError as error:
        return _standin_or_refuse(GLOVE_6B, error, allow_standin, None)
    if fetched.variant is None:
        path = _member(fetched, extract(fetched, data_home=data_home), f"glove.6B.{dimension}d.txt")
    else:
        path = fetched.path
    table = pd.read_csv(
        path, sep=" ", header=None, quoting=csv.QUOTE_NONE, na_filter=False, dtype={0: str}, encoding="utf-8"
    )
    if table.shape[1] != dimension + 1:
        raise discard_corrupt(fetched, f"expected {dimension} numbers per line, found {table.shape[1] - 1}")
    words = table[0].tolist()
    vectors = table.iloc[:, 1:].to_numpy(dtype=np.float32)
    splits = {"words": words, "vectors": vectors}
    return _dataset(fetched, splits, words=words, vectors=vectors, dimension=dimension)


# --------------------------------------------------------------------- images


def load_mnist(*, allow_standin: bool | None = None, data_home: PathLike | None = None) -> Dataset:
    """MNIST digits: "train" and "test" as (images uint8 (n, 28, 28), labels uint8 (n,)).

    Example:
        >>> (x_train, y_train), (x_test, y_test) = load_mnist().values()  # doctest: +SKIP
        >>> x_train.shape, x_test.shape  # doctest: +SKIP
        ((60000, 28, 28), (10000, 28, 28))
    """
    try:
        fetched = fetch(MNIST, data_home=data_home)
    except DownloadError as error:
        return _standin_or_refuse(MNIST, error, allow_standin, "mnist_standin")
    try:
        with np.load(fetched.path, allow_pickle=False) as archive:
            splits = {
                "train": (archive["x_train"], archive["y_train"]),
                "test": (archive["x_test"], archive["y_test"]),
            }
    except (zipfile.BadZipFile, ValueError, OSError, KeyError, EOFError) as error:
        raise discard_corrupt(fetched, error) from error
    return _dataset(fetched, splits)


def load_cifar10(*, allow_standin: bool | None = None, data_home: PathLike | None = None) -> Dataset:
    """CIFAR-10: "train" and "test" as (images uint8 (n, 32, 32, 3), labels uint8 (n,)).

    ``class_names`` lists the ten labels in order. (Keras's own loader returns
    labels of shape (n, 1); these are flat.)

    Example:
        >>> cifar = load_cifar10()  # doctest: +SKIP
        >>> cifar["train"][0].shape, cifar.class_names[0]  # doctest: +SKIP
        ((50000, 32, 32, 3), 'airplane')
    """
    try:
        fetched = fetch(CIFAR10, data_home=data_home)
    except DownloadError as error:
        return _standin_or_refuse(CIFAR10, error, allow_standin, "cifar10_standin")
    folder = _member(fetched, extract(fetched, data_home=data_home), "cifar-10-batches-py")
    train = [_read_cifar_batch(_member(fetched, folder, f"data_batch_{number}")) for number in range(1, 6)]
    splits = {
        "train": (np.concatenate([images for images, _ in train]), np.concatenate([labels for _, labels in train])),
        "test": _read_cifar_batch(_member(fetched, folder, "test_batch")),
    }
    return _dataset(fetched, splits, class_names=list(CIFAR10_CLASS_NAMES))


def _read_cifar_batch(path: Path) -> tuple[np.ndarray, np.ndarray]:
    # The batches are Python pickles; they come from the checksum-verified archive.
    with open(path, "rb") as handle:
        batch = pickle.load(handle, encoding="bytes")
    images = np.asarray(batch[b"data"], dtype=np.uint8).reshape(-1, 3, 32, 32).transpose(0, 2, 3, 1)
    return np.ascontiguousarray(images), np.asarray(batch[b"labels"], dtype=np.uint8)
