"""Get a registered file onto this machine, verified, and unpack archives once.

:func:`fetch` looks in three places, in this order:

1. the **cache**, ``<data home>/<filename>``, where earlier downloads live.
   The data home is ``$COURSE_DATA_HOME`` or ``~/course_data``. A cached file
   is checked against its registered size and SHA-256 (hashed once per size
   and modification time in a process), and against every registered mirror
   copy of it, since a person may have copied a mirror's files there. A file
   that matches none of them is **set aside** (renamed
   ``<filename>.set-aside-<time>``, never deleted), with a warning, and fetched
   again;
2. every **mirror** folder named in ``$COURSE_DATA_MIRROR`` (several folders are
   separated by ``os.pathsep``). A mirror file is verified (size and SHA-256) and
   then used where it is: it is never copied, moved or deleted, because a mirror
   may be a read-only classroom share. A wrong copy is skipped with a warning
   naming it, and the search goes on;
3. a **download** from the registered URL, into a uniquely named ``.part`` file
   in the data home that is verified before it is moved into place. Setting
   ``$COURSE_DATA_OFFLINE`` to ``1`` (or ``true``, ``yes``, ``on``) switches
   downloads off; ``0``, ``false``, ``no``, ``off`` or empty leave them on.
   ``$COURSE_DATA_DEADLINE`` (seconds) bounds a whole download; a server slower
   than :data:`MIN_BYTES_PER_SECOND` is abandoned.

Processes that share a data home take turns: a lock file per dataset, in
``<data home>/.locks``, lets exactly one of them download or extract while the
others wait, then read its result. Nothing half-written is ever visible: a
download is renamed into place once verified; :func:`extract` unpacks into a
temporary folder, writes a manifest (every file's name, size and SHA-256)
and its marker inside, and renames it into place. A later call checks the
folder against its manifest and extracts again if a file is missing or cut
short; a loader that reads an extracted file checks its SHA-256 as it reads
it (:func:`read_extracted`), and a file altered since is extracted afresh.
Temporary files left by a killed process are removed by the next fetch of the
same dataset.

Nothing a person put in place is ever deleted, moved or rewritten: not a file
in a mirror folder, not a registered file or mirror copy in the data home. A
file in the data home that is none of them is set aside, not deleted; so is a
folder in the place of an extraction that holds no marker of the course's. Only
what the course wrote itself (its downloads in this process, its temporary
files, its extracted folders and decoded caches, recognised by their markers)
is replaced or deleted. The data home may be one of the mirror folders: a
teacher's single folder of datasets works as both, and is never altered but
for the extracted folders and decoded caches added beside the files.

Errors all derive from :class:`DataError`, a ``RuntimeError``: the data could
not be had, or is not what the registry says. :class:`UnknownDatasetError` is
also a ``ValueError``, since a misspelt name is a wrong argument;
:class:`CacheError` says that the data home cannot be used, and how to fix it.

Example:
    >>> lookup("mnist").filename
    'mnist.npz'
    >>> fetched = fetch("mnist")  # doctest: +SKIP
    >>> fetched.source  # doctest: +SKIP
    'cache'
"""

from __future__ import annotations

import contextlib
import difflib
import errno
import functools
import gzip
import hashlib
import http.client
import json
import math
import os
import posixpath
import re
import secrets
import shutil
import sys
import tarfile
import tempfile
import time
import urllib.error
import urllib.request
import warnings
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, NamedTuple

import filelock

from course.data.registry import REGISTRY, MirrorVariant, RemoteFile

DATA_HOME_ENV = "COURSE_DATA_HOME"
DEFAULT_DATA_HOME = "~/course_data"
MIRROR_ENV = "COURSE_DATA_MIRROR"
OFFLINE_ENV = "COURSE_DATA_OFFLINE"
DEADLINE_ENV = "COURSE_DATA_DEADLINE"
DEFAULT_DEADLINE_SECONDS = 3 * 3600.0
MIN_BYTES_PER_SECOND = 4096
MIN_RATE_GRACE_SECONDS = 60.0
MARKER_FILENAME = ".course-extracted.json"
LOCK_FOLDER = ".locks"
SET_ASIDE_MARK = ".set-aside-"  # <name>.set-aside-<time>: a file that matched nothing
ARCHIVE_SUFFIXES = (".tar.gz", ".tgz", ".zip")
ARCHIVE_MAX_EXPANSION = 100  # an archive may unpack to at most this many times its own size ...
ARCHIVE_MIN_BYTES_CAP = 10 * 2**20  # ... or this many bytes, whichever is more
ARCHIVE_BYTES_PER_MEMBER = 100  # at most one member per this many archive bytes ...
ARCHIVE_MIN_MEMBERS_CAP = 20_000  # ... or this many members, whichever is more
CHUNK_SIZE = 1 << 20
BACKOFF_SECONDS = 0.5
USER_AGENT = "dl-text-sequences-course/0.1 (python-urllib)"

Source = Literal["cache", "mirror", "download"]

_PROCESS_START = time.time()  # temporary files older than this belong to an earlier run
_READ_ONLY_ERRNOS = frozenset({errno.EROFS, errno.EACCES, errno.EPERM})
_FULL_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG})
_TEMPORARY = re.compile(
    r"^\.(?P<base>.+)\.(?P<pid>\d+)\.[A-Za-z0-9_]+\.(?:part|extracting|replaced)$"
)
_WARNED_MISSING_MIRRORS: set[Path] = set()


# ----------------------------------------------------------------- errors


class DataError(RuntimeError):
    """Base class: the data could not be had, or is not what the registry says."""


class UnknownDatasetError(DataError, ValueError):
    """No dataset of that name is registered."""


class DownloadError(DataError):
    """The file is in no cache or mirror, and downloading it failed."""


class ChecksumError(DataError):
    """A file's size or SHA-256 differs from the registry."""


class CorruptArchiveError(DataError):
    """An archive or data file cannot be read: truncated or damaged."""


class UnsafeArchiveError(CorruptArchiveError):
    """An archive member would be written outside its extraction folder."""


class ArchiveTooLargeError(CorruptArchiveError):
    """An archive would unpack to more members or bytes than allowed."""


class IncompleteExtractionError(CorruptArchiveError):
    """An extracted folder lacks files its archive held, or holds them cut short."""


class DamagedExtractionError(IncompleteExtractionError):
    """An extracted file's bytes differ from those its archive held (recorded SHA-256)."""


class CacheError(DataError):
    """The data home cannot be used: not a folder, not writable, or full."""


class DataUnavailableError(DataError):
    """A loader could not get the data and may not use a stand-in."""


class UnverifiedFileWarning(UserWarning):
    """A file was accepted without a SHA-256 check: none is recorded for it."""


class SkippedCopyWarning(UserWarning):
    """A copy of a file was wrong or incomplete and was skipped, set aside or redone."""


class MissingMirrorWarning(UserWarning):
    """A folder named in ``$COURSE_DATA_MIRROR`` does not exist."""


# ------------------------------------------------------------ where things live


@dataclass(frozen=True)
class FetchedFile:
    """A verified local copy of a registered file.

    ``source`` says where it was found; ``variant`` is set when a mirror held a
    known non-canonical copy (see :class:`course.data.registry.MirrorVariant`).

    Example:
        >>> from course.data.registry import MNIST
        >>> FetchedFile(Path("mnist.npz"), "cache", MNIST).expected_sha256 == MNIST.sha256
        True
    """

    path: Path
    source: Source
    remote: RemoteFile
    variant: MirrorVariant | None = None

    @property
    def expected_sha256(self) -> str | None:
        """The registered SHA-256 of this copy (the variant's, if it is one).

        Example:
            >>> from course.data.registry import GLOVE_6B
            >>> copy = FetchedFile(Path("g.txt"), "mirror", GLOVE_6B, GLOVE_6B.variants[0])
            >>> copy.expected_sha256.startswith("16f94f4d")
            True
        """
        return self.variant.sha256 if self.variant is not None else self.remote.sha256


def data_home(path: str | os.PathLike[str] | None = None) -> Path:
    """The folder that holds downloads and extracted archives, created if needed.

    ``path`` wins; otherwise ``$COURSE_DATA_HOME``; otherwise ``~/course_data``.

    Raises:
        CacheError: the path is a file, or the folder cannot be created.

    Example:
        >>> import tempfile
        >>> folder = tempfile.mkdtemp()
        >>> data_home(folder) == Path(folder)
        True
    """
    chosen = path if path is not None else (os.environ.get(DATA_HOME_ENV) or DEFAULT_DATA_HOME)
    home = Path(chosen).expanduser()
    if home.is_dir():
        return home
    if home.exists():
        raise CacheError(
            f"The data folder {home} is a file, not a folder ({_home_origin(path)}). "
            f"{_sentence(_choose_folder(path))} (it is created if missing), "
            "or move the file away."
        )
    try:
        home.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError):
        raise CacheError(
            f"The data folder {home} ({_home_origin(path)}) cannot be created: "
            "part of its path is a file. "
            f"{_sentence(_choose_folder(path))}."
        ) from None
    except OSError as error:
        raise _cache_error(home, error, "create the folder", path) from error
    return home


_data_home = data_home  # fetch() and extract() take a parameter of the same name


def mirror_dirs() -> list[Path]:
    """The existing folders named in ``$COURSE_DATA_MIRROR``, in order.

    A named folder that does not exist is left out, with a
    :class:`MissingMirrorWarning` the first time.

    Example:
        >>> all(folder.is_dir() for folder in mirror_dirs())
        True
    """
    existing = []
    for folder in _mirror_entries():
        if folder.is_dir():
            existing.append(folder)
        elif folder not in _WARNED_MISSING_MIRRORS:
            _WARNED_MISSING_MIRRORS.add(folder)
            warnings.warn(
                f"The mirror folder {folder} does not exist; "
                f"it is named in {MIRROR_ENV} and was skipped.",
                MissingMirrorWarning,
                stacklevel=2,
            )
    return existing


def _mirror_entries() -> list[Path]:
    value = os.environ.get(MIRROR_ENV, "")
    return [Path(entry.strip()).expanduser() for entry in value.split(os.pathsep) if entry.strip()]


def lookup(name: RemoteFile | str) -> RemoteFile:
    """The registry entry for ``name`` (a :class:`RemoteFile` passes through).

    Example:
        >>> lookup("GloVe-6B").filename
        'glove.6B.zip'
        >>> lookup("imbd")
        Traceback (most recent call last):
        ...
        course.data.fetch.UnknownDatasetError: No dataset named 'imbd'. Did you mean 'imdb'? ...
    """
    if isinstance(name, RemoteFile):
        return name
    key = name.strip().lower().replace("-", "_")
    if key in REGISTRY:
        return REGISTRY[key]
    close = difflib.get_close_matches(key, list(REGISTRY), n=1)
    hint = f" Did you mean {close[0]!r}?" if close else ""
    raise UnknownDatasetError(
        f"No dataset named {name!r}.{hint} Known datasets: {', '.join(sorted(REGISTRY))}."
    )


# ----------------------------------------------------------------------- fetch


def fetch(
    remote: RemoteFile | str,
    *,
    data_home: str | os.PathLike[str] | None = None,
    progress: bool = True,
    retries: int = 3,
    timeout: float = 30.0,
    deadline: float | None = None,
    accept_variants: bool = True,
) -> FetchedFile:
    """A verified local copy of ``remote``: from the cache, a mirror, or a download.

    ``retries`` is the number of further attempts after a failed download
    (connection errors, timeouts, HTTP 5xx, cut-off transfers), with a short
    growing pause between them. ``timeout`` bounds each network read;
    ``deadline`` (seconds, default ``$COURSE_DATA_DEADLINE`` or three hours)
    bounds the whole download, every attempt included. ``accept_variants=False``
    ignores the non-canonical mirror copies listed in the registry.

    Raises:
        TypeError, ValueError: an argument of the wrong type or value.
        UnknownDatasetError: ``remote`` names no registered dataset.
        ChecksumError: a download is not the registered file, or the only
            copies found (in a mirror) are wrong ones.
        DownloadError: the file is nowhere local and could not be downloaded.
        CacheError: the data home cannot be used (not a folder, read-only, full).

    Example:
        >>> fetch(Path("imdb"))
        Traceback (most recent call last):
        ...
        TypeError: fetch() takes a dataset name or a RemoteFile, not PosixPath('imdb')
        >>> fetched = fetch("imdb")  # doctest: +SKIP
        >>> fetched.path.name, fetched.source  # doctest: +SKIP
        ('aclImdb_v1.tar.gz', 'mirror')
    """
    _check_fetch_arguments(
        remote, data_home, progress, retries, timeout, deadline, accept_variants
    )
    remote = lookup(remote)
    home = _data_home(data_home)
    limit = _deadline(deadline)
    with _dataset_lock(home, remote.name, data_home) as locked:
        if locked:
            _remove_stale(home, _temporary_bases(remote))
        cached = _from_cache(remote, home, writable=locked, accept_variants=accept_variants)
        if cached is not None:
            return cached
        mirrored, bad_copies = _find_in_mirrors(remote, accept_variants=accept_variants)
        if mirrored is not None:
            return mirrored
        if locked:
            _check_free_for_download(remote, home, bad_copies)
        try:
            return _download(
                remote,
                home,
                progress=progress,
                retries=retries,
                timeout=timeout,
                deadline=limit,
                given=data_home,
            )
        except DownloadError as error:
            if bad_copies:
                raise ChecksumError(_only_bad_copies_message(remote, bad_copies, error)) from error
            raise


# ------------------------------------------------------------------ arguments


def _check_fetch_arguments(
    remote: object,
    data_home: object,
    progress: object,
    retries: object,
    timeout: object,
    deadline: object,
    accept_variants: object,
) -> None:
    """Raise TypeError or ValueError, with a one-line message, for a wrong argument."""
    if not isinstance(remote, (str, RemoteFile)):
        shown = repr(remote) if isinstance(remote, os.PathLike) else type(remote).__name__
        raise TypeError(f"fetch() takes a dataset name or a RemoteFile, not {shown}")
    if data_home is not None and not isinstance(data_home, (str, os.PathLike)):
        raise TypeError(f"data_home must be a folder path or None, not {type(data_home).__name__}")
    for name, value in (("progress", progress), ("accept_variants", accept_variants)):
        if not isinstance(value, bool):
            raise TypeError(f"{name} must be True or False, not {value!r}")
    if isinstance(retries, bool) or not isinstance(retries, int):
        raise TypeError(f"retries must be a whole number >= 0, not {retries!r}")
    if retries < 0:
        raise ValueError(f"retries must be a whole number >= 0, not {retries!r}")
    for name, value in (("timeout", timeout), ("deadline", deadline)):
        if name == "deadline" and value is None:
            continue
        _check_seconds(name, value)


def _check_seconds(name: str, value: object) -> float:
    """``value`` as a positive, finite number of seconds, or TypeError/ValueError."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"{name} must be a positive number of seconds, not {value!r}")
    if not (value > 0 and math.isfinite(value)):
        raise ValueError(f"{name} must be a positive number of seconds, not {value!r}")
    return float(value)


class _Deadline(NamedTuple):
    """When a download must be over (``time.monotonic()``), and where the limit came from."""

    seconds: float
    origin: str
    end: float

    def remaining(self) -> float:
        return self.end - time.monotonic()

    def describe(self) -> str:
        return f"the deadline of {self.seconds:g} s ({self.origin})"


def _deadline(seconds: float | None) -> _Deadline:
    if seconds is not None:
        origin = f"the deadline argument; {DEADLINE_ENV} sets it for every download"
    elif os.environ.get(DEADLINE_ENV, "").strip():
        text = os.environ[DEADLINE_ENV].strip()
        try:
            seconds = _check_seconds(DEADLINE_ENV, float(text))
        except ValueError:
            raise ValueError(
                f"{DEADLINE_ENV} must be a positive number of seconds, not {text!r}"
            ) from None
        origin = f"set by {DEADLINE_ENV}; raise it to allow slower downloads"
    else:
        seconds = DEFAULT_DEADLINE_SECONDS
        origin = f"the default; set {DEADLINE_ENV} to more seconds to allow slower downloads"
    return _Deadline(float(seconds), origin, time.monotonic() + float(seconds))


# ------------------------------------------------------ locks and stale files


@contextlib.contextmanager
def _dataset_lock(home: Path, name: str, given: object = None) -> Iterator[bool]:
    """Hold the lock of dataset ``name`` in ``home``; yield whether the cache is writable.

    Where the lock file cannot be created because the data home is read-only,
    nothing can be written anyway: the caller goes on without the lock, reading
    only, and yields False. ``given`` is the ``data_home`` argument, if any, for
    error messages.
    """
    lock = _acquire_lock(home, name, given)
    try:
        yield lock is not None
    finally:
        if lock is not None:
            lock.release()


def _acquire_lock(home: Path, name: str, given: object = None) -> filelock.FileLock | None:
    path = home / LOCK_FOLDER / f"{name}.lock"
    try:
        path.parent.mkdir(exist_ok=True)
        lock = filelock.FileLock(str(path))
        try:
            lock.acquire(timeout=0)
        except filelock.Timeout:
            print(
                f"Waiting for another process to finish fetching {name} (lock file {path}) ...",
                file=sys.stderr,
            )
            lock.acquire()
    except OSError as error:
        if error.errno in _READ_ONLY_ERRNOS:
            return None
        raise _cache_error(home, error, f"create the lock file {path.name}", given) from error
    return lock


def _temporary_bases(remote: RemoteFile) -> set[str]:
    """The names whose temporary files belong to ``remote``: its files and archive folders."""
    filenames = {remote.filename, *(variant.filename for variant in remote.variants)}
    folders = {archive_folder_name(name) for name in filenames if name.endswith(ARCHIVE_SUFFIXES)}
    return filenames | folders


def _remove_stale(home: Path, bases: Iterable[str]) -> None:
    """Delete ``.part``, ``.extracting`` and ``.replaced`` leftovers of ``bases`` whose run is
    over.

    Call only while holding the dataset's lock: no live fetch of the dataset
    can then be writing them.
    """
    bases = set(bases)
    for path in home.iterdir():
        match = _TEMPORARY.match(path.name)
        if match is None or match["base"] not in bases or not _is_stale(path, int(match["pid"])):
            continue
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
        else:
            with contextlib.suppress(OSError):
                path.unlink()


def _is_stale(path: Path, pid: int) -> bool:
    """Whether the process that made ``path`` is dead, or it predates this process."""
    if pid == os.getpid():
        return False
    try:
        older = path.lstat().st_mtime < _PROCESS_START
    except OSError:
        return False
    return older or not _process_alive(pid)


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # it exists but belongs to someone else
        return True
    return True


# ---------------------------------------------------------- cache and mirrors


def _from_cache(
    remote: RemoteFile, home: Path, *, writable: bool, accept_variants: bool
) -> FetchedFile | None:
    """The copy in the data home that is the registered file or a registered mirror copy.

    A person may have copied a mirror's files there, under the canonical name
    or a variant's. A file under the canonical name that matches nothing is in
    the way of a download: it is set aside (renamed, never deleted), with a
    warning. One under a variant's name is only skipped, with a warning. A data
    home that is also a mirror folder is left to the mirror search, which never
    touches a file.
    """
    if _is_mirror_folder(home):
        return None
    candidates = _candidates(remote)
    for filename in dict.fromkeys(candidate.filename for candidate in candidates):
        path = home / filename
        if not path.is_file():
            continue
        match = _identify(path, candidates)
        if match is None:
            _skip_unknown_copy(remote, path, writable=writable)
        elif match.variant is None or accept_variants:
            return FetchedFile(path, "cache", remote, match.variant)
    return None


def _skip_unknown_copy(remote: RemoteFile, path: Path, *, writable: bool) -> None:
    """Warn that ``path`` matches nothing; set it aside if it is in a download's way."""
    if path.name == remote.filename:
        problem = _mismatch(path, remote.size, remote.sha256)
        known = (
            f" nor a known mirror copy of it ({_variant_names(remote)})" if remote.variants else ""
        )
        what = f"{remote.filename} as registered ({problem}){known}"
    else:
        [variant, *_] = [copy for copy in remote.variants if copy.filename == path.name]
        problem = _mismatch(path, variant.size, variant.sha256)
        what = f"the registered mirror copy {path.name} of {remote.filename} ({problem})"
    if path.name != remote.filename:
        action = "it was left as it is and skipped"
    elif not writable:
        action = "it was left in place (the folder is read-only) and is ignored"
    else:
        try:
            aside = _set_aside(path)
        except OSError as error:
            action = (
                f"it could not be set aside ({error.strerror or error}) and is ignored; "
                "move it away yourself"
            )
        else:
            action = (
                f"it was set aside as {aside.name}, not deleted (delete it yourself once you "
                f"no longer need it), and {remote.filename} is fetched again"
            )
    warnings.warn(
        f"The file {path} is not {what}; {action}.",
        SkippedCopyWarning,
        stacklevel=5,
    )


def _variant_names(remote: RemoteFile) -> str:
    return ", ".join(
        f"sha256 {variant.sha256[:12]}..., {variant.size:,} bytes" for variant in remote.variants
    )


def _set_aside(path: Path) -> Path:
    """Rename ``path`` to a free ``<name>.set-aside-<time>[-n]`` beside it; return the new path.

    A file the course cannot recognise may be someone's: it is kept, never deleted.
    """
    stamp = time.strftime("%Y%m%dT%H%M%S")
    for number in range(1000):
        aside = path.with_name(
            f"{path.name}{SET_ASIDE_MARK}{stamp}" + (f"-{number}" if number else "")
        )
        if not (aside.exists() or aside.is_symlink()):
            os.rename(path, aside)
            return aside
    raise FileExistsError(errno.EEXIST, "no free name to set the file aside", str(path))


def _is_mirror_folder(folder: Path) -> bool:
    """Whether ``folder`` is one of the folders named in ``$COURSE_DATA_MIRROR``."""
    for mirror in _mirror_entries():
        with contextlib.suppress(OSError):
            if os.path.samefile(folder, mirror):
                return True
    return False


def _check_free_for_download(remote: RemoteFile, home: Path, bad_copies: list[str]) -> None:
    """Raise if a download would have to replace a file that the course did not write."""
    target = home / remote.filename
    if not (target.exists() or target.is_symlink()):
        return
    if _is_mirror_folder(home):
        why = f"the data folder {home} is also a mirror folder (named in {MIRROR_ENV})"
    elif target.is_file() and _identify(target, _candidates(remote)) is not None:
        why = "it is a registered mirror copy, refused by accept_variants=False"
    else:
        why = "it could not be set aside"
    message = (
        f"{target} is in the place where a download of {remote.filename} would be saved, and "
        f"{why}; a file that the course did not write is never replaced. "
        f"Move {target} away (or replace it with a good copy), or use another data folder."
    )
    if bad_copies:
        raise ChecksumError(
            f"No good copy of {remote.filename} could be had. Wrong copies were found:\n"
            + "\n".join(f"  - {copy}" for copy in bad_copies)
            + f"\nand no download was tried: {message}"
        )
    raise CacheError(message)


def _mismatch(path: Path, size: int | None, sha256: str | None) -> str | None:
    """How ``path`` differs from a registered size and SHA-256, or None."""
    actual_size = path.stat().st_size
    if size is not None and actual_size != size:
        return f"size {actual_size:,} bytes, {size:,} expected"
    if sha256 is not None and (actual := _sha256_of(path)) != sha256:
        return f"sha256 {actual}, {sha256} expected"
    return None


class _Candidate(NamedTuple):
    """One registered form of a file: the canonical copy or a mirror variant."""

    filename: str
    sha256: str | None
    size: int | None
    variant: MirrorVariant | None


def _candidates(remote: RemoteFile) -> list[_Candidate]:
    """Every registered form of ``remote``: the canonical file, then its mirror variants."""
    return [
        _Candidate(remote.filename, remote.sha256, remote.size, None),
        *(
            _Candidate(variant.filename, variant.sha256, variant.size, variant)
            for variant in remote.variants
        ),
    ]


def _find_in_mirrors(
    remote: RemoteFile, *, accept_variants: bool
) -> tuple[FetchedFile | None, list[str]]:
    """The first good mirror copy, and a description of every bad copy skipped on the way."""
    candidates = _candidates(remote)
    bad_copies = []
    for folder in mirror_dirs():
        for filename in dict.fromkeys(candidate.filename for candidate in candidates):
            path = folder / filename
            if not path.is_file():
                continue
            match = _identify(
                path, [candidate for candidate in candidates if candidate.filename == filename]
            )
            if match is None:
                bad_copies.append(_bad_mirror_copy(remote, path))
                warnings.warn(
                    f"{bad_copies[-1]} It was skipped; the search goes on.",
                    SkippedCopyWarning,
                    stacklevel=4,
                )
                continue
            if match.variant is not None and not accept_variants:
                continue
            if match.sha256 is None:
                _warn_unverified(remote, path)
            return FetchedFile(path, "mirror", remote, match.variant), bad_copies
    return None, bad_copies


def _bad_mirror_copy(remote: RemoteFile, path: Path) -> str:
    return (
        f"The mirror file {path} is neither {remote.filename} as registered "
        f"(sha256 {remote.sha256 or 'not recorded'}, size {_size_text(remote.size)}) "
        f"nor a known variant of it: it has sha256 {_sha256_of(path)}, "
        f"size {path.stat().st_size:,} bytes. "
        "It was left untouched: replace it with a good copy, "
        f"or remove {path.parent} from {MIRROR_ENV}."
    )


def _only_bad_copies_message(
    remote: RemoteFile, bad_copies: list[str], error: DownloadError
) -> str:
    return (
        f"No good copy of {remote.filename} could be had. Wrong copies were found:\n"
        + "\n".join(f"  - {copy}" for copy in bad_copies)
        + f"\nand the download failed: {error}"
    )


def _identify(path: Path, candidates: list[_Candidate]) -> _Candidate | None:
    """The candidate of ``path``'s name that it is, checking those with a SHA-256 first."""
    size = path.stat().st_size
    named = [candidate for candidate in candidates if candidate.filename == path.name]
    for candidate in sorted(named, key=lambda candidate: candidate.sha256 is None):
        if candidate.size is not None and size != candidate.size:
            continue
        if candidate.sha256 is None or _sha256_of(path) == candidate.sha256:
            return candidate
    return None


# ------------------------------------------------------------------- download


class _TransientFailure(Exception):
    """A download attempt failed in a way that a retry may fix."""


def _download(
    remote: RemoteFile,
    home: Path,
    *,
    progress: bool,
    retries: int,
    timeout: float,
    deadline: _Deadline,
    given: object = None,
) -> FetchedFile:
    if downloads_switched_off():
        raise DownloadError(
            _unreachable_message(
                remote, home, f"downloads are switched off ({OFFLINE_ENV} is set)"
            )
        )
    reason = ""
    for attempt in range(1 + retries):
        if attempt:
            time.sleep(max(0.0, min(BACKOFF_SECONDS * 2 ** (attempt - 1), deadline.remaining())))
        try:
            return _download_once(
                remote, home, progress=progress, timeout=timeout, deadline=deadline, given=given
            )
        except _TransientFailure as failure:
            reason = str(failure)
    raise DownloadError(_unreachable_message(remote, home, f"{reason} ({1 + retries} attempts)"))


def _download_once(
    remote: RemoteFile,
    home: Path,
    *,
    progress: bool,
    timeout: float,
    deadline: _Deadline,
    given: object = None,
) -> FetchedFile:
    request = urllib.request.Request(remote.url, headers={"User-Agent": USER_AGENT})
    part_path: Path | None = None
    try:
        _check_deadline(remote, home, deadline)
        with urllib.request.urlopen(request, timeout=timeout) as response:
            announced = response.headers.get("Content-Length")
            announced_size = int(announced) if announced and announced.isdigit() else None
            part_path, handle = _new_part_file(remote, home, given)
            with contextlib.closing(_FileDescriptor(handle)):
                received, sha256 = _receive(
                    response, handle, remote, home, announced_size, progress, deadline, given
                )
        if announced_size is not None and received < announced_size:
            raise _TransientFailure(
                f"the transfer stopped after {received:,} of {announced_size:,} bytes"
            )
        _verify_download(remote, received, sha256, home)
        target = home / remote.filename
        try:
            os.replace(part_path, target)
        except OSError as error:
            raise _cache_error(home, error, f"save {remote.filename}", given) from error
        part_path = None
        if remote.sha256 is None:
            _warn_unverified(remote, target)
        return FetchedFile(target, "download", remote)
    except urllib.error.HTTPError as error:
        if error.code >= 500 or error.code in (408, 429):
            raise _TransientFailure(f"HTTP {error.code} {error.reason}") from error
        raise DownloadError(_gone_message(remote, home, _http_failure(error))) from error
    except urllib.error.URLError as error:
        raise _TransientFailure(str(error.reason)) from error
    except (TimeoutError, ConnectionError, http.client.HTTPException) as error:
        raise _TransientFailure(f"{type(error).__name__}: {error}") from error
    finally:
        if part_path is not None:
            with contextlib.suppress(OSError):
                part_path.unlink()


class _FileDescriptor(int):
    """An open file descriptor that ``contextlib.closing`` can close."""

    def close(self) -> None:
        os.close(self)


def _new_part_file(remote: RemoteFile, home: Path, given: object = None) -> tuple[Path, int]:
    """A new, uniquely named ``.part`` file in ``home`` that names this process."""
    try:
        handle, name = tempfile.mkstemp(
            dir=home, prefix=f".{remote.filename}.{os.getpid()}.", suffix=".part"
        )
    except OSError as error:
        raise _cache_error(home, error, f"download {remote.filename}", given) from error
    return Path(name), handle


def _receive(
    response: http.client.HTTPResponse,
    handle: int,
    remote: RemoteFile,
    home: Path,
    announced_size: int | None,
    progress: bool,
    deadline: _Deadline,
    given: object = None,
) -> tuple[int, str]:
    """Copy the response body into ``handle``; return its size and SHA-256.

    Reads whatever has arrived (``read1``), so that the deadline and the
    minimum rate are checked however slowly the server sends.
    """
    from tqdm.auto import tqdm

    digest = hashlib.sha256()
    received = 0
    started = time.monotonic()
    with tqdm(
        total=remote.size or announced_size,
        unit="B",
        unit_scale=True,
        desc=remote.filename,
        disable=not progress,
    ) as bar:
        while chunk := response.read1(CHUNK_SIZE):
            _write_all(handle, chunk, remote, home, given)
            digest.update(chunk)
            received += len(chunk)
            bar.update(len(chunk))
            _check_deadline(remote, home, deadline)
            _check_rate(received, time.monotonic() - started)
    return received, digest.hexdigest()


def _write_all(
    handle: int, data: bytes, remote: RemoteFile, home: Path, given: object = None
) -> None:
    view = memoryview(data)
    try:
        while view:
            view = view[os.write(handle, view) :]
    except OSError as error:
        raise _cache_error(home, error, f"download {remote.filename}", given) from error


def _check_deadline(remote: RemoteFile, home: Path, deadline: _Deadline) -> None:
    if deadline.remaining() < 0:
        raise DownloadError(
            _unreachable_message(
                remote, home, f"the download took longer than {deadline.describe()}"
            )
        )


def _check_rate(received: int, elapsed: float) -> None:
    if elapsed > MIN_RATE_GRACE_SECONDS and received / elapsed < MIN_BYTES_PER_SECOND:
        raise _TransientFailure(
            f"the server sent {received / elapsed:,.0f} bytes a second, less than the minimum of "
            f"{MIN_BYTES_PER_SECOND:,} bytes a second"
        )


def _http_failure(error: urllib.error.HTTPError) -> str:
    if 300 <= error.code < 400:
        return (
            f"HTTP {error.code}: the server sends the request round in a redirect loop "
            "(or too many redirects)"
        )
    return f"HTTP {error.code} {error.reason}"


def _verify_download(remote: RemoteFile, size: int, sha256: str, home: Path) -> None:
    problems = []
    if remote.size is not None and size != remote.size:
        problems.append(f"size {remote.size:,} bytes expected, {size:,} received")
    if remote.sha256 is not None and sha256 != remote.sha256:
        problems.append(f"sha256 {remote.sha256} expected, {sha256} received")
    if problems:
        raise ChecksumError(
            f"The download of {remote.filename} from {remote.url} is not the registered file: "
            f"{'; '.join(problems)}. The bad download was deleted; nothing was written to {home}. "
            "Try again; if it fails the same way, the file on the server has changed: "
            "please report it."
        )


# ------------------------------------------------------------------- messages


def _searched_text() -> str:
    """Which mirror folders were searched, and which named ones do not exist."""
    entries = _mirror_entries()
    if not entries:
        return f"a mirror ({MIRROR_ENV} is not set)"
    existing = [str(folder) for folder in entries if folder.is_dir()]
    missing = [str(folder) for folder in entries if not folder.is_dir()]
    parts = []
    if existing:
        parts.append(f"the mirror folders in {MIRROR_ENV} ({os.pathsep.join(existing)})")
    else:
        parts.append("a mirror")
    if missing:
        parts.append(
            f"(the mirror folder{'s' if len(missing) > 1 else ''} {', '.join(missing)} "
            f"named in {MIRROR_ENV} does not exist)"
        )
    return " ".join(parts)


_SWITCH_ON = ("1", "true", "yes", "on")
_SWITCH_OFF = ("", "0", "false", "no", "off")


def downloads_switched_off() -> bool:
    """Whether ``$COURSE_DATA_OFFLINE`` switches downloads off.

    ``1``, ``true``, ``yes`` and ``on`` (any case) switch them off; unset,
    empty, ``0``, ``false``, ``no`` and ``off`` leave them on. Anything else is
    an error rather than a guess.

    Example:
        >>> from unittest import mock
        >>> with mock.patch.dict(os.environ, {"COURSE_DATA_OFFLINE": "0"}):
        ...     downloads_switched_off()
        False
        >>> with mock.patch.dict(os.environ, {"COURSE_DATA_OFFLINE": "Yes"}):
        ...     downloads_switched_off()
        True
    """
    value = os.environ.get(OFFLINE_ENV, "").strip().lower()
    if value in _SWITCH_ON:
        return True
    if value in _SWITCH_OFF:
        return False
    raise ValueError(
        f"{OFFLINE_ENV}={os.environ[OFFLINE_ENV]!r} is neither on nor off. "
        "Set it to 1 to switch downloads off, or to 0 (or unset it) to allow them."
    )


def _unreachable_message(remote: RemoteFile, home: Path, reason: str) -> str:
    return (
        f"Could not download {remote.filename} from {remote.url}: {reason}.\n"
        f"It is not in the cache folder {home} nor in {_searched_text()}. Do one of:\n"
        f"  - connect to the internet and run this again;\n"
        f"  - download {remote.url} yourself and copy it into {home};\n"
        f"  - set {MIRROR_ENV} to a folder that holds {remote.filename} "
        f"(separate several folders with {os.pathsep!r})."
    )


def _gone_message(remote: RemoteFile, home: Path, reason: str) -> str:
    return (
        f"Could not download {remote.filename}: {reason}. "
        f"The address {remote.url} no longer serves the "
        "file, so trying again, or from another network, will not help.\n"
        f"It is not in the cache folder {home} nor in {_searched_text()}. Do one of:\n"
        f"  - get {remote.filename} (sha256 {remote.sha256 or 'not recorded'}) "
        "from a teacher, a classroom "
        f"share or another copy, and set {MIRROR_ENV} to its folder;\n"
        f"  - or copy it into {home};\n"
        "  - and please report the dead link, so that the course can register a new address."
    )


def _home_origin(path: object = None) -> str:
    if path is not None:
        return "the data_home argument"
    if os.environ.get(DATA_HOME_ENV):
        return f"set by {DATA_HOME_ENV}"
    return f"the default; {DATA_HOME_ENV} is not set"


def _choose_folder(path: object = None, kind: str = "") -> str:
    """How to choose another data folder: the argument if one was passed, else the variable.

    Example:
        >>> _choose_folder("/tmp/x", "writable")
        'pass a writable folder as data_home='
    """
    folder = f"a {kind} folder" if kind else "a folder"
    if path is not None:
        return f"pass {folder} as data_home="
    return f"set {DATA_HOME_ENV} to {folder}"


def _sentence(text: str) -> str:
    """``text`` with its first letter in upper case (the rest as it is)."""
    return text[:1].upper() + text[1:]


def _cache_error(home: Path, error: OSError, doing: str, path: object = None) -> CacheError:
    """A :class:`CacheError` for an OS error in the data home: which folder, why, what to do.

    ``path`` is the ``data_home`` argument, if one was passed: the advice then
    names the argument, not ``$COURSE_DATA_HOME``.
    """
    if error.errno in _FULL_ERRNOS:
        advice = f"free some space there, or {_choose_folder(path, 'roomier')} on another disk"
    elif error.errno in _READ_ONLY_ERRNOS:
        advice = _choose_folder(path, "writable")
    else:
        advice = f"check that folder, or {_choose_folder(path, 'writable')}"
    return CacheError(
        f"Could not {doing} in the data folder {home} ({_home_origin(path)}): "
        f"{error.strerror or error}. To fix it, {advice}."
    )


def _warn_unverified(remote: RemoteFile, path: Path) -> None:
    if remote.size is not None:
        checked = "only its size was checked"
    else:
        checked = "neither its size nor its content could be checked"
    warnings.warn(
        f"{path} has no recorded sha256 in the registry ({remote.filename}), so {checked}.",
        UnverifiedFileWarning,
        stacklevel=4,
    )


def _size_text(size: int | None) -> str:
    return f"{size:,} bytes" if size is not None else "not recorded"


def _sha256_of(path: Path) -> str:
    stat = path.stat()
    return _sha256_cached(str(path), stat.st_size, stat.st_mtime_ns)


@functools.lru_cache(maxsize=64)
def _sha256_cached(path: str, size: int, mtime_ns: int) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(CHUNK_SIZE):
            digest.update(chunk)
    return digest.hexdigest()


# --------------------------------------------------------------------- extract


class _UnsafeMember(Exception):
    """An archive member would land outside the extraction folder."""


class _DamagedArchive(Exception):
    """The archive's structure is broken where the archive library does not notice."""


class _UnusableMember(Exception):
    """A member's name cannot be written here: too long, or the name of the marker."""


_CORRUPTION = (
    zipfile.BadZipFile,
    tarfile.TarError,
    EOFError,
    zlib.error,
    gzip.BadGzipFile,
    _UnsafeMember,
    _DamagedArchive,
    _UnusableMember,
)


def archive_folder_name(filename: str) -> str:
    """The name of the folder an archive is extracted into: its name without suffix.

    Example:
        >>> archive_folder_name("aclImdb_v1.tar.gz")
        'aclImdb_v1'
        >>> archive_folder_name("jena_climate_2009_2016.csv.zip")
        'jena_climate_2009_2016.csv'
    """
    for suffix in ARCHIVE_SUFFIXES:
        if filename.endswith(suffix):
            return filename[: -len(suffix)]
    raise ValueError(
        f"{filename} is not an archive extract() can open "
        f"(it opens {', '.join(ARCHIVE_SUFFIXES)})."
    )


def extract(
    fetched: FetchedFile,
    *,
    data_home: str | os.PathLike[str] | None = None,
    max_members: int | None = None,
    max_bytes: int | None = None,
) -> Path:
    """Unpack an archive once into ``<data home>/<archive name without suffix>``.

    The folder holds a marker file recording which archive (SHA-256, size,
    variant) it came from and a manifest of every file's name, size and
    SHA-256 (which :func:`read_extracted` checks as a loader reads); later
    calls return it at once while the marker matches and every listed file is
    there at its size, and extract again (with a warning) otherwise. Whatever
    stands in the folder's place without a marker is not the course's: it is
    set aside (renamed ``<name>.set-aside-<time>``), never deleted. The whole
    archive is read, so a damaged member or checksum is an error, not a shorter
    folder. ``max_members`` and ``max_bytes`` cap what an archive may unpack to
    (by default a generous multiple of the archive's own size).

    Raises:
        CorruptArchiveError: the archive is truncated or damaged. A cached copy
            is set aside (so the next fetch gets a fresh one); a mirror copy is
            left untouched.
        UnsafeArchiveError: a member's path escapes the folder. Nothing is kept.
        ArchiveTooLargeError: the archive would unpack beyond the caps.
        CacheError: the folder is missing or incomplete and the data home
            cannot be written (read-only, full).

    Example:
        >>> folder = extract(fetch("imdb"))  # doctest: +SKIP
        >>> sorted(path.name for path in (folder / "aclImdb").iterdir())[:2]  # doctest: +SKIP
        ['README', 'imdb.vocab']
    """
    home = _data_home(data_home)
    folder_name = archive_folder_name(fetched.path.name)
    target = home / folder_name
    identity = _archive_identity(fetched)
    with _dataset_lock(home, fetched.remote.name, data_home) as writable:
        problem = _extraction_problem(target, identity)
        if problem is None:
            return target
        if not writable:
            raise CacheError(
                f"The extracted folder {target} is missing or incomplete ({problem}), "
                f"and the data folder {home} "
                f"({_home_origin(data_home)}) is read-only, "
                f"so {fetched.path.name} cannot be extracted there. "
                f"{_sentence(_choose_folder(data_home, 'writable'))}."
            )
        if problem.startswith("it lacks"):
            warnings.warn(
                f"The extracted folder {target} does not match its archive: {problem}. "
                f"It is extracted again from {fetched.path}.",
                SkippedCopyWarning,
                stacklevel=2,
            )
        if problem == _NO_MARKER and (target.exists() or target.is_symlink()):
            _set_aside_unknown_folder(target, home, fetched)
        _remove_stale(home, {folder_name})
        limits = _limits(fetched.path.stat().st_size, max_members, max_bytes)
        _extract_into(fetched, home, target, identity, limits, data_home)
    return target


_NO_MARKER = "it has no marker"


def _set_aside_unknown_folder(target: Path, home: Path, fetched: FetchedFile) -> None:
    """Set aside what stands where ``fetched`` is to be extracted but holds no marker."""
    if _is_mirror_folder(home):
        raise CacheError(
            f"{target} is in the place where {fetched.path.name} is to be extracted, but it "
            f"holds no record of an extraction by the course ({MARKER_FILENAME}), and {home} is "
            f"also a mirror folder (named in {MIRROR_ENV}), whose files are never moved. "
            f"Move {target} away, or use another data folder."
        )
    aside = _set_aside(target)
    warnings.warn(
        f"{target} holds no record of an extraction by the course ({MARKER_FILENAME}); it was "
        f"set aside as {aside.name}, not deleted, and {fetched.path.name} is extracted afresh.",
        SkippedCopyWarning,
        stacklevel=3,
    )


def _archive_identity(fetched: FetchedFile) -> dict[str, object]:
    return {
        "archive": fetched.path.name,
        "sha256": fetched.expected_sha256,
        "size": fetched.path.stat().st_size,
        "variant": fetched.variant.note if fetched.variant is not None else None,
    }


def _extraction_problem(target: Path, identity: dict[str, object]) -> str | None:
    """Why ``target`` is not a complete extraction of the archive ``identity`` describes, or
    None."""
    marker = _read_marker(target)
    if marker is None:
        return _NO_MARKER
    if {key: marker.get(key) for key in identity} != identity or not isinstance(
        marker.get("files"), dict
    ):
        return "it comes from another archive"
    if not isinstance(marker.get(_CHECKSUMS), dict):
        return "it records no checksums (an extraction by an older version of the course)"
    problems = _manifest_problems(target, marker["files"])
    if problems:
        return f"it lacks {_summary(problems, len(marker['files']))}"
    return None


class _Limits(NamedTuple):
    members: int
    bytes: int
    explained: str


def _limits(archive_size: int, max_members: int | None, max_bytes: int | None) -> _Limits:
    for name, value in (("max_members", max_members), ("max_bytes", max_bytes)):
        if value is not None and (
            isinstance(value, bool) or not isinstance(value, int) or value < 1
        ):
            raise ValueError(f"{name} must be a positive whole number or None, not {value!r}")
    if max_members is None and max_bytes is None:
        explained = (
            f"the default for a {archive_size:,}-byte archive; "
            "pass max_members= or max_bytes= to extract() "
            "if this archive is genuine"
        )
    else:
        explained = "set by max_members= / max_bytes="
    return _Limits(
        max_members
        if max_members is not None
        else max(archive_size // ARCHIVE_BYTES_PER_MEMBER, ARCHIVE_MIN_MEMBERS_CAP),
        max_bytes
        if max_bytes is not None
        else max(archive_size * ARCHIVE_MAX_EXPANSION, ARCHIVE_MIN_BYTES_CAP),
        explained,
    )


def _extract_into(
    fetched: FetchedFile,
    home: Path,
    target: Path,
    identity: dict[str, object],
    limits: _Limits,
    given: object = None,
) -> None:
    """Unpack into a temporary folder, write manifest and marker inside, rename it to
    ``target``."""
    try:
        staging = Path(
            tempfile.mkdtemp(
                dir=home, prefix=f".{target.name}.{os.getpid()}.", suffix=".extracting"
            )
        )
    except OSError as error:
        raise _cache_error(home, error, f"extract {fetched.path.name}", given) from error
    try:
        try:
            _unpack(fetched.path, staging, max_members=limits.members, max_bytes=limits.bytes)
        except _TooLarge as error:
            raise ArchiveTooLargeError(
                f"{fetched.path} {error} ({limits.explained}). Nothing was extracted."
            ) from None
        except _CORRUPTION as error:
            raise discard_corrupt(fetched, error) from error
        except OSError as error:
            if error.errno != errno.ENAMETOOLONG:
                raise
            raise discard_corrupt(
                fetched, f"a member's path is too long for this file system ({error.filename})"
            ) from error
        files = _manifest(staging)
        marker = {**identity, "files": files, _CHECKSUMS: _checksums(staging, files)}
        (staging / MARKER_FILENAME).write_text(
            json.dumps(marker, sort_keys=True), encoding="utf-8"
        )
        _publish(staging, target, home)
    except OSError as error:
        raise _cache_error(home, error, f"extract {fetched.path.name}", given) from error
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _publish(staging: Path, target: Path, home: Path) -> None:
    """Rename ``staging`` to ``target``; an old ``target`` is renamed aside first, then deleted."""
    if not (target.exists() or target.is_symlink()):
        os.rename(staging, target)
        return
    aside = home / f".{target.name}.{os.getpid()}.{secrets.token_hex(4)}.replaced"
    os.rename(target, aside)
    os.rename(staging, target)
    if aside.is_dir() and not aside.is_symlink():
        shutil.rmtree(aside, ignore_errors=True)
    else:
        aside.unlink(missing_ok=True)


def _manifest(folder: Path) -> dict[str, int]:
    """Every regular file under ``folder``: its ``/``-separated relative path and size."""
    files = {}
    for root, _, names in os.walk(folder):
        for name in names:
            path = Path(root, name)
            if path.is_file() and not path.is_symlink():
                files[path.relative_to(folder).as_posix()] = path.stat().st_size
    return dict(sorted(files.items()))


_CHECKSUMS = "sha256s"  # the marker's key for every extracted file's SHA-256


def _checksums(folder: Path, files: dict[str, int]) -> dict[str, str]:
    """The SHA-256 of each listed file: one more read of what was just written, cheap."""
    checksums = {}
    for name in files:
        digest = hashlib.sha256()
        with open(folder / name, "rb") as handle:
            while chunk := handle.read(CHUNK_SIZE):
                digest.update(chunk)
        checksums[name] = digest.hexdigest()
    return checksums


def extracted_checksums(folder: str | os.PathLike[str]) -> dict[str, str]:
    """The SHA-256 of every file of an extraction, as recorded when it was extracted.

    Raises:
        IncompleteExtractionError: the folder has no marker with checksums.

    Example:
        >>> import tempfile
        >>> extracted_checksums(tempfile.mkdtemp())
        Traceback (most recent call last):
        ...
        course.data.fetch.IncompleteExtractionError: /... has no record of a complete ...
    """
    marker = _read_marker(Path(folder))
    if marker is None or not isinstance(marker.get(_CHECKSUMS), dict):
        raise IncompleteExtractionError(
            f"{folder} has no record of a complete extraction with checksums "
            f"({MARKER_FILENAME} is missing, unreadable or from an older version): "
            "extract the archive again with extract(fetch(...))."
        )
    return {str(name): str(sha) for name, sha in marker[_CHECKSUMS].items()}


def read_extracted(
    folder: str | os.PathLike[str], relative: str, checksums: dict[str, str] | None = None
) -> bytes:
    """The bytes of the extracted file ``folder/relative``, checked against its SHA-256.

    ``checksums`` is :func:`extracted_checksums` of ``folder`` (read from the
    marker when None; pass it when reading many files). A file that is missing,
    or whose bytes differ from those extracted, marks the extraction invalid,
    so that the next :func:`extract` redoes it, and raises.

    Raises:
        DamagedExtractionError: the file is missing, or altered since extraction.
        IncompleteExtractionError: the folder has no marker with checksums.

    Example:
        >>> import tempfile
        >>> folder = Path(tempfile.mkdtemp())
        >>> _ = (folder / "a.txt").write_bytes(b"alpha")
        >>> read_extracted(folder, "a.txt", {"a.txt": hashlib.sha256(b"alpha").hexdigest()})
        b'alpha'
        >>> read_extracted(folder, "a.txt", {"a.txt": "0" * 64})
        Traceback (most recent call last):
        ...
        course.data.fetch.DamagedExtractionError: /.../a.txt differs from the file ...
    """
    folder = Path(folder)
    if checksums is None:
        checksums = extracted_checksums(folder)
    path = folder / relative
    expected = checksums.get(relative)
    if expected is None:
        raise IncompleteExtractionError(
            f"{path} is not a file of the extraction in {folder} (its marker does not list it)."
        )
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        problem = "is missing"
    else:
        actual = hashlib.sha256(data).hexdigest()
        if actual == expected:
            return data
        problem = (
            f"differs from the file extracted from the archive (sha256 {actual}, "
            f"{expected} when extracted): it was changed or damaged since"
        )
    invalidate_extraction(folder, f"{relative} {problem}")
    raise DamagedExtractionError(
        f"{path} {problem}. The extraction in {folder} was marked invalid, so that "
        "extract() redoes it."
    )


def decode_text(path: str | os.PathLike[str], data: bytes, encoding: str = "utf-8") -> str:
    """``data``, the bytes of the file ``path``, as text; an error names the file.

    Raises:
        CorruptArchiveError: the bytes are not valid ``encoding`` text.

    Example:
        >>> decode_text("review.txt", b"caf\\xc3\\xa9")
        'café'
        >>> decode_text("review.txt", b"caf\\xe9")
        Traceback (most recent call last):
        ...
        course.data.fetch.CorruptArchiveError: review.txt is not valid UTF-8 text: byte 3 ...
    """
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as error:
        name = _encoding_name(encoding)
        raise CorruptArchiveError(
            f"{path} is not valid {name} text: "
            f"byte {error.start:,} (0x{error.object[error.start]:02x}) cannot "
            f"be decoded. The file is damaged or not {name}: "
            "delete its folder and load the data again; if it "
            "fails the same way, the archive itself holds the bad file: please report it."
        ) from None


def _manifest_problems(folder: Path, files: dict[str, int]) -> list[str]:
    """The listed files that are missing from ``folder`` or not at their listed size."""
    problems = []
    for name, size in files.items():
        try:
            actual = (folder / name).stat().st_size
        except OSError:
            problems.append(f"{name} is missing")
            continue
        if actual != size:
            problems.append(f"{name} has {actual:,} bytes, {size:,} expected")
    return problems


def _summary(problems: list[str], total: int) -> str:
    shown = "; ".join(problems[:3]) + ("; ..." if len(problems) > 3 else "")
    return f"{len(problems):,} of {total:,} files are missing or of the wrong size: {shown}"


def verify_extracted(folder: str | os.PathLike[str]) -> dict[str, int]:
    """The manifest of an extracted folder, after checking every file's presence and size.

    Cheap (one ``stat`` per file): it catches files deleted, or cut short, after
    extraction. :func:`extract` already calls it; loaders may call it again.

    Raises:
        IncompleteExtractionError: the folder has no marker, or a listed file
            is missing or of another size.

    Example:
        >>> import tempfile
        >>> verify_extracted(tempfile.mkdtemp())
        Traceback (most recent call last):
        ...
        course.data.fetch.IncompleteExtractionError: /... has no record of a complete ...
    """
    folder = Path(folder)
    marker = _read_marker(folder)
    if marker is None or not isinstance(marker.get("files"), dict):
        raise IncompleteExtractionError(
            f"{folder} has no record of a complete extraction "
            f"({MARKER_FILENAME} is missing, unreadable or "
            "from an older version): extract the archive again with extract(fetch(...))."
        )
    files = {str(name): int(size) for name, size in marker["files"].items()}
    problems = _manifest_problems(folder, files)
    if problems:
        raise IncompleteExtractionError(
            f"{folder} is incomplete: {_summary(problems, len(files))}. "
            "Load the data again: extract() "
            "notices and extracts the archive afresh."
        )
    return files


def expect_files(folder: str | os.PathLike[str], pattern: str, count: int) -> list[Path]:
    """The files in ``folder`` matching the glob ``pattern``, sorted; exactly ``count`` of them.

    Raises:
        IncompleteExtractionError: another number of files matches.

    Example:
        >>> import tempfile
        >>> folder = Path(tempfile.mkdtemp())
        >>> _ = (folder / "1_7.txt").write_text("A review.")
        >>> [path.name for path in expect_files(folder, "*.txt", 1)]
        ['1_7.txt']
        >>> expect_files(folder, "*.txt", 2)
        Traceback (most recent call last):
        ...
        course.data.fetch.IncompleteExtractionError: /...: 1 files match *.txt, 2 expected. ...
    """
    paths = sorted(path for path in Path(folder).glob(pattern) if path.is_file())
    if len(paths) != count:
        raise IncompleteExtractionError(
            f"{folder}: {len(paths):,} files match {pattern}, {count:,} expected. "
            "The extraction is incomplete "
            f"or from another archive: delete {folder} and load the data again."
        )
    return paths


def read_text(path: str | os.PathLike[str], encoding: str = "utf-8") -> str:
    """The text of an extracted file.

    A missing or undecodable file is a :class:`DataError` that names it.

    Raises:
        IncompleteExtractionError: the file does not exist.
        CorruptArchiveError: the bytes are not valid ``encoding`` text.

    Example:
        >>> import tempfile
        >>> path = Path(tempfile.mkdtemp()) / "review.txt"
        >>> _ = path.write_bytes(b"caf\\xc3\\xa9")
        >>> read_text(path)
        'café'
        >>> _ = path.write_bytes(b"caf\\xe9")
        >>> read_text(path)
        Traceback (most recent call last):
        ...
        course.data.fetch.CorruptArchiveError: /.../review.txt is not valid UTF-8 text: byte 3 ...
    """
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise IncompleteExtractionError(
            f"{path} is missing: its extraction is incomplete. "
            "Load the data again to extract it afresh."
        ) from None
    return decode_text(path, data, encoding)


def _encoding_name(encoding: str) -> str:
    """The usual spelling of an encoding's name.

    Example:
        >>> _encoding_name("utf_8")
        'UTF-8'
    """
    import codecs

    return {"utf-8": "UTF-8"}.get(codecs.lookup(encoding).name, codecs.lookup(encoding).name)


def discard_corrupt(fetched: FetchedFile, problem: object) -> CorruptArchiveError:
    """The error to raise for an unreadable file; moves the copy out of the way if need be.

    A copy downloaded by this process is deleted and a cached copy is set
    aside (renamed ``<name>.set-aside-<time>``), so that the next call fetches
    a good one. A mirror copy, and a registered mirror copy that a person put
    in the data home, are never touched.

    Example:
        >>> from course.data.registry import MNIST
        >>> mirror_copy = FetchedFile(Path("/mirror/mnist.npz"), "mirror", MNIST)
        >>> error = discard_corrupt(mirror_copy, "bad zip")
        >>> "left untouched" in str(error)
        True
    """
    error_class = UnsafeArchiveError if isinstance(problem, _UnsafeMember) else CorruptArchiveError
    if fetched.source == "mirror":
        action = (
            f"The mirror copy was left untouched: replace it with a good copy, or remove its "
            f"folder from {MIRROR_ENV}."
        )
    elif fetched.variant is not None:
        action = (
            "It is a registered mirror copy that was put in the data folder, so it was left "
            "untouched: replace it with a good copy."
        )
    elif fetched.source == "download":
        with contextlib.suppress(OSError):
            fetched.path.unlink()
        action = "This download was deleted; the next call fetches the file again."
    else:
        try:
            aside = _set_aside(fetched.path)
        except FileNotFoundError:
            action = "The next call fetches the file again."
        except OSError as error:
            action = (
                f"It could not be set aside ({error.strerror or error}): move it away, and "
                "the next call fetches the file again."
            )
        else:
            action = (
                f"This copy was set aside as {aside.name}, not deleted (delete it yourself once "
                "you no longer need it); the next call fetches the file again."
            )
    return error_class(f"{fetched.path} cannot be read ({problem}). {action}")


def invalidate_extraction(folder: str | os.PathLike[str], reason: str) -> None:
    """Mark an extracted folder as not to be trusted, so that :func:`extract` redoes it.

    The marker is rewritten, not deleted: a folder without a marker is not the
    course's, and would be set aside rather than replaced.

    Example:
        >>> import tempfile
        >>> folder = Path(tempfile.mkdtemp())
        >>> invalidate_extraction(folder, "a member is missing")
        >>> _read_marker(folder)
        {'invalidated': 'a member is missing'}
    """
    with contextlib.suppress(OSError):
        (Path(folder) / MARKER_FILENAME).write_text(
            json.dumps({"invalidated": reason}), encoding="utf-8"
        )


def _read_marker(folder: Path) -> dict | None:
    try:
        marker = json.loads((folder / MARKER_FILENAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return marker if isinstance(marker, dict) else None


class _TooLarge(Exception):
    """An archive would unpack beyond its caps."""


def _unpack(archive_path: Path, destination: Path, *, max_members: int, max_bytes: int) -> None:
    """Extract every member into ``destination``, reading the archive to its very end."""
    if archive_path.name.endswith(".zip"):
        with zipfile.ZipFile(archive_path) as archive:
            infos = archive.infolist()
            _check_limits(
                len(infos), sum(info.file_size for info in infos), max_members, max_bytes
            )
            for info in infos:
                _check_member(info.filename)
                _check_member_name(info.filename, destination)
            archive.extractall(destination)  # checks every member's CRC-32 as it goes
        return
    with tarfile.open(archive_path, "r:*") as archive:
        members = archive.getmembers()
        _check_limits(
            len(members),
            sum(member.size for member in members if member.isreg()),
            max_members,
            max_bytes,
        )
        for member in members:
            _check_member(member.name)
            _check_member_name(member.name, destination)
            if member.issym():
                _check_member(posixpath.join(posixpath.dirname(member.name), member.linkname))
            if member.islnk():
                _check_member(member.linkname)
            if member.isdev():
                raise _UnsafeMember(f"member {member.name!r} is a device file")
        if hasattr(tarfile, "data_filter"):
            archive.extractall(destination, members=members, filter="data")
        else:  # pragma: no cover - Python before 3.10.12 / 3.11.4
            archive.extractall(destination, members=members)
        _check_tar_end(archive)


def _check_tar_end(archive: tarfile.TarFile) -> None:
    """Read from the last member to the end.

    Only zero padding may follow, and the gzip CRC must match.

    tarfile stops, silently, at the first header it cannot read, as if the
    archive ended there; a flipped byte would otherwise drop every later member.
    """
    stream = archive.fileobj
    stream.seek(archive.offset)
    position = archive.offset
    while chunk := stream.read(CHUNK_SIZE):
        if chunk.count(0) != len(chunk):
            raise _DamagedArchive(
                f"it is damaged: the member header at byte {position:,} "
                "of the unpacked archive cannot be read, "
                "and data follows it"
            )
        position += len(chunk)


def _check_limits(members: int, total_bytes: int, max_members: int, max_bytes: int) -> None:
    if members > max_members:
        raise _TooLarge(f"has {members:,} members, more than the limit of {max_members:,}")
    if total_bytes > max_bytes:
        raise _TooLarge(
            f"would unpack to {total_bytes:,} bytes, more than the limit of {max_bytes:,} bytes"
        )


def _check_member_name(name: str, destination: Path) -> None:
    """Refuse a member named like the extraction marker, or too long for the file system.

    Either is the archive's problem, not the data folder's: say so before
    anything is written, rather than fail half-way with an OS error.
    """
    normal = posixpath.normpath(name.replace("\\", "/")).lstrip("/")
    shown = name if len(name) <= 60 else f"{name[:40]}...{name[-12:]}"
    if normal == MARKER_FILENAME or normal.startswith(MARKER_FILENAME + "/"):
        raise _UnusableMember(
            f"its member {shown!r} has the name of the course's record of an extraction, "
            "so the course cannot extract this archive"
        )
    name_max, path_max = _name_limits(destination)
    for part in normal.split("/"):
        if len(os.fsencode(part)) > name_max:
            raise _UnusableMember(
                f"its member {shown!r} has a name part of {len(os.fsencode(part)):,} bytes, "
                f"more than the {name_max:,} this file system allows"
            )
    if len(os.fsencode(destination / normal)) >= path_max:
        raise _UnusableMember(
            f"its member {shown!r} would have a path of more than the {path_max:,} bytes "
            "this file system allows"
        )


@functools.lru_cache(maxsize=8)
def _name_limits(folder: Path) -> tuple[int, int]:
    """The longest file name and path (bytes) that the file system of ``folder`` allows."""
    limits = []
    for name, default in (("PC_NAME_MAX", 255), ("PC_PATH_MAX", 4096)):
        try:
            limits.append(os.pathconf(folder, name))
        except (OSError, ValueError, AttributeError):
            limits.append(default)
    return limits[0], limits[1]


def _check_member(name: str) -> None:
    normal = posixpath.normpath(name.replace("\\", "/"))
    first = normal.split("/", 1)[0]
    if normal.startswith("/") or first == ".." or ":" in first:
        raise _UnsafeMember(
            f"member {name!r} would be written outside the extraction folder; nothing was kept"
        )
