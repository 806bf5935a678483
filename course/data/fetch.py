"""Get a registered file onto this machine, verified, and unpack archives once.

:func:`fetch` looks in three places, in this order:

1. the **cache**, ``<data home>/<filename>``, where earlier downloads live.
   The data home is ``$COURSE_DATA_HOME`` or ``~/course_data``;
2. every **mirror** folder named in ``$COURSE_DATA_MIRROR`` (several folders are
   separated by ``os.pathsep``). A mirror file is verified (size and SHA-256) and
   then used where it is: it is never copied, moved or deleted, because a mirror
   may be a read-only classroom share;
3. a **download** from the registered URL, into a uniquely named ``.part`` file
   in the data home that is verified before it is moved into place. Setting
   ``$COURSE_DATA_OFFLINE`` to any non-empty value switches downloads off.

Nothing half-written is ever left in the cache: a failed, interrupted or bad
download is deleted, and :func:`extract` unpacks into a temporary folder that
replaces the final one only when complete.

Errors all derive from :class:`DataError`, a ``RuntimeError``: the data could
not be had, or is not what the registry says. :class:`UnknownDatasetError` is
also a ``ValueError``, since a misspelt name is a wrong argument.

Example:
    >>> lookup("mnist").filename
    'mnist.npz'
    >>> fetched = fetch("mnist")  # doctest: +SKIP
    >>> fetched.source  # doctest: +SKIP
    'cache'
"""

from __future__ import annotations

import difflib
import functools
import gzip
import hashlib
import http.client
import json
import os
import posixpath
import shutil
import tarfile
import tempfile
import time
import urllib.error
import urllib.request
import warnings
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, NamedTuple

from course.data.registry import REGISTRY, MirrorVariant, RemoteFile

DATA_HOME_ENV = "COURSE_DATA_HOME"
DEFAULT_DATA_HOME = "~/course_data"
MIRROR_ENV = "COURSE_DATA_MIRROR"
OFFLINE_ENV = "COURSE_DATA_OFFLINE"
MARKER_FILENAME = ".course-extracted.json"
ARCHIVE_SUFFIXES = (".tar.gz", ".tgz", ".zip")
CHUNK_SIZE = 1 << 20
BACKOFF_SECONDS = 0.5
USER_AGENT = "dl-text-sequences-course/0.1 (python-urllib)"

Source = Literal["cache", "mirror", "download"]


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


class DataUnavailableError(DataError):
    """A loader could not get the data and may not use a stand-in."""


class UnverifiedFileWarning(UserWarning):
    """A file was accepted without a SHA-256 check: none is recorded for it."""


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

    Example:
        >>> import tempfile
        >>> folder = tempfile.mkdtemp()
        >>> data_home(folder) == Path(folder)
        True
    """
    chosen = path if path is not None else (os.environ.get(DATA_HOME_ENV) or DEFAULT_DATA_HOME)
    home = Path(chosen).expanduser()
    home.mkdir(parents=True, exist_ok=True)
    return home


_data_home = data_home  # fetch() and extract() take a parameter of the same name


def mirror_dirs() -> list[Path]:
    """The existing folders named in ``$COURSE_DATA_MIRROR``, in order.

    Example:
        >>> all(folder.is_dir() for folder in mirror_dirs())
        True
    """
    value = os.environ.get(MIRROR_ENV, "")
    folders = [Path(entry.strip()).expanduser() for entry in value.split(os.pathsep) if entry.strip()]
    return [folder for folder in folders if folder.is_dir()]


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
    accept_variants: bool = True,
) -> FetchedFile:
    """A verified local copy of ``remote``: from the cache, a mirror, or a download.

    ``retries`` is the number of further attempts after a failed download
    (connection errors, timeouts, HTTP 5xx, cut-off transfers), with a short
    growing pause between them. ``accept_variants=False`` ignores the
    non-canonical mirror copies listed in the registry.

    Raises:
        UnknownDatasetError: ``remote`` names no registered dataset.
        ChecksumError: a download, or a mirror file, is not the registered file.
        DownloadError: the file is nowhere local and could not be downloaded.

    Example:
        >>> fetched = fetch("imdb")  # doctest: +SKIP
        >>> fetched.path.name, fetched.source  # doctest: +SKIP
        ('aclImdb_v1.tar.gz', 'mirror')
    """
    remote = lookup(remote)
    home = _data_home(data_home)
    cached = home / remote.filename
    if cached.is_file() and (remote.size is None or cached.stat().st_size == remote.size):
        return FetchedFile(cached, "cache", remote)
    mirrored = _find_in_mirrors(remote, accept_variants=accept_variants)
    if mirrored is not None:
        return mirrored
    return _download(remote, home, progress=progress, retries=retries, timeout=timeout)


class _Candidate(NamedTuple):
    """One registered form of a file: the canonical copy or a mirror variant."""

    filename: str
    sha256: str | None
    size: int | None
    variant: MirrorVariant | None


def _find_in_mirrors(remote: RemoteFile, *, accept_variants: bool) -> FetchedFile | None:
    candidates = [
        _Candidate(remote.filename, remote.sha256, remote.size, None),
        *(_Candidate(variant.filename, variant.sha256, variant.size, variant) for variant in remote.variants),
    ]
    for folder in mirror_dirs():
        for filename in dict.fromkeys(candidate.filename for candidate in candidates):
            path = folder / filename
            if not path.is_file():
                continue
            match = _identify(path, [candidate for candidate in candidates if candidate.filename == filename])
            if match is None:
                raise ChecksumError(
                    f"The mirror file {path} is neither {remote.filename} as registered "
                    f"(sha256 {remote.sha256 or 'not recorded'}, size {_size_text(remote.size)}) "
                    f"nor a known variant of it: it has sha256 {_sha256_of(path)}, "
                    f"size {path.stat().st_size:,} bytes. It was left untouched. Replace it with a "
                    f"good copy, or remove {folder} from {MIRROR_ENV}."
                )
            if match.variant is not None and not accept_variants:
                continue
            if match.sha256 is None:
                _warn_unverified(remote, path)
            return FetchedFile(path, "mirror", remote, match.variant)
    return None


def _identify(path: Path, candidates: list[_Candidate]) -> _Candidate | None:
    """The candidate that ``path`` is, checking those with a recorded SHA-256 first."""
    size = path.stat().st_size
    for candidate in sorted(candidates, key=lambda candidate: candidate.sha256 is None):
        if candidate.size is not None and size != candidate.size:
            continue
        if candidate.sha256 is None or _sha256_of(path) == candidate.sha256:
            return candidate
    return None


class _TransientFailure(Exception):
    """A download attempt failed in a way that a retry may fix."""


def _download(
    remote: RemoteFile, home: Path, *, progress: bool, retries: int, timeout: float
) -> FetchedFile:
    if os.environ.get(OFFLINE_ENV):
        raise DownloadError(_unreachable_message(remote, home, f"downloads are switched off ({OFFLINE_ENV} is set)"))
    reason = ""
    for attempt in range(1 + max(retries, 0)):
        if attempt:
            time.sleep(BACKOFF_SECONDS * 2 ** (attempt - 1))
        try:
            return _download_once(remote, home, progress=progress, timeout=timeout)
        except _TransientFailure as failure:
            reason = str(failure)
    attempts = 1 + max(retries, 0)
    raise DownloadError(_unreachable_message(remote, home, f"{reason} ({attempts} attempts)"))


def _download_once(remote: RemoteFile, home: Path, *, progress: bool, timeout: float) -> FetchedFile:
    from tqdm.auto import tqdm

    request = urllib.request.Request(remote.url, headers={"User-Agent": USER_AGENT})
    part_path: Path | None = None
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            announced = response.headers.get("Content-Length")
            announced_size = int(announced) if announced and announced.isdigit() else None
            handle, name = tempfile.mkstemp(dir=home, prefix=f".{remote.filename}.", suffix=".part")
            part_path = Path(name)
            digest = hashlib.sha256()
            received = 0
            with os.fdopen(handle, "wb") as part, tqdm(
                total=remote.size or announced_size,
                unit="B",
                unit_scale=True,
                desc=remote.filename,
                disable=not progress,
            ) as bar:
                while chunk := response.read(CHUNK_SIZE):
                    part.write(chunk)
                    digest.update(chunk)
                    received += len(chunk)
                    bar.update(len(chunk))
        if announced_size is not None and received < announced_size:
            raise _TransientFailure(f"the transfer stopped after {received:,} of {announced_size:,} bytes")
        _verify_download(remote, received, digest.hexdigest(), home)
        target = home / remote.filename
        os.replace(part_path, target)
        part_path = None
        if remote.sha256 is None:
            _warn_unverified(remote, target)
        return FetchedFile(target, "download", remote)
    except urllib.error.HTTPError as error:
        if error.code >= 500 or error.code in (408, 429):
            raise _TransientFailure(f"HTTP {error.code} {error.reason}") from error
        raise DownloadError(_unreachable_message(remote, home, f"HTTP {error.code} {error.reason}")) from error
    except urllib.error.URLError as error:
        raise _TransientFailure(str(error.reason)) from error
    except (TimeoutError, ConnectionError, http.client.HTTPException) as error:
        raise _TransientFailure(f"{type(error).__name__}: {error}") from error
    finally:
        if part_path is not None:
            part_path.unlink(missing_ok=True)


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
            "Try again; if it fails the same way, the file on the server has changed: please report it."
        )


def _unreachable_message(remote: RemoteFile, home: Path, reason: str) -> str:
    mirrors = os.environ.get(MIRROR_ENV, "").strip()
    searched = f"the mirror folders in {MIRROR_ENV} ({mirrors})" if mirrors else f"a mirror ({MIRROR_ENV} is not set)"
    return (
        f"Could not download {remote.filename} from {remote.url}: {reason}.\n"
        f"It is not in the cache folder {home} nor in {searched}. Do one of:\n"
        f"  - connect to the internet and run this again;\n"
        f"  - download {remote.url} yourself and copy it into {home};\n"
        f"  - set {MIRROR_ENV} to a folder that holds {remote.filename} "
        f"(separate several folders with {os.pathsep!r})."
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


_CORRUPTION = (zipfile.BadZipFile, tarfile.TarError, EOFError, zlib.error, gzip.BadGzipFile, _UnsafeMember)


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
    raise ValueError(f"{filename} is not an archive extract() can open (it opens {', '.join(ARCHIVE_SUFFIXES)}).")


def extract(fetched: FetchedFile, *, data_home: str | os.PathLike[str] | None = None) -> Path:
    """Unpack an archive once into ``<data home>/<archive name without suffix>``.

    The folder holds a marker file recording which archive (SHA-256, size,
    variant) it came from; later calls return it at once while the marker
    matches. Members that would land outside the folder are refused.

    Raises:
        CorruptArchiveError: the archive is truncated or damaged. A cached copy
            is deleted (so the next fetch gets a fresh one); a mirror copy is
            left untouched.
        UnsafeArchiveError: a member's path escapes the folder. Nothing is kept.

    Example:
        >>> folder = extract(fetch("imdb"))  # doctest: +SKIP
        >>> sorted(path.name for path in (folder / "aclImdb").iterdir())[:2]  # doctest: +SKIP
        ['README', 'imdb.vocab']
    """
    home = _data_home(data_home)
    folder_name = archive_folder_name(fetched.path.name)
    target = home / folder_name
    marker = {
        "archive": fetched.path.name,
        "sha256": fetched.expected_sha256,
        "size": fetched.path.stat().st_size,
        "variant": fetched.variant.note if fetched.variant is not None else None,
    }
    if _read_marker(target) == marker:
        return target
    staging = Path(tempfile.mkdtemp(dir=home, prefix=f".{folder_name}.", suffix=".extracting"))
    try:
        try:
            _unpack(fetched.path, staging)
        except _CORRUPTION as error:
            raise discard_corrupt(fetched, error) from error
        (staging / MARKER_FILENAME).write_text(json.dumps(marker, indent=1, sort_keys=True), encoding="utf-8")
        if target.exists():
            shutil.rmtree(target)
        os.replace(staging, target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return target


def discard_corrupt(fetched: FetchedFile, problem: object) -> CorruptArchiveError:
    """The error to raise for an unreadable file; deletes the copy if it is ours.

    A cached or downloaded copy is deleted so that the next call fetches a good
    one; a mirror copy is never touched.

    Example:
        >>> from course.data.registry import MNIST
        >>> error = discard_corrupt(FetchedFile(Path("/mirror/mnist.npz"), "mirror", MNIST), "bad zip")
        >>> "left untouched" in str(error)
        True
    """
    error_class = UnsafeArchiveError if isinstance(problem, _UnsafeMember) else CorruptArchiveError
    if fetched.source == "mirror":
        action = (
            f"The mirror copy was left untouched: replace it with a good copy, or remove its "
            f"folder from {MIRROR_ENV}."
        )
    else:
        fetched.path.unlink(missing_ok=True)
        action = "This copy was deleted from the cache; the next call fetches the file again."
    return error_class(f"{fetched.path} cannot be read ({problem}). {action}")


def _read_marker(folder: Path) -> dict | None:
    try:
        return json.loads((folder / MARKER_FILENAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _unpack(archive_path: Path, destination: Path) -> None:
    if archive_path.name.endswith(".zip"):
        with zipfile.ZipFile(archive_path) as archive:
            for name in archive.namelist():
                _check_member(name)
            archive.extractall(destination)
        return
    with tarfile.open(archive_path, "r:*") as archive:
        members = archive.getmembers()
        for member in members:
            _check_member(member.name)
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


def _check_member(name: str) -> None:
    normal = posixpath.normpath(name.replace("\\", "/"))
    first = normal.split("/", 1)[0]
    if normal.startswith("/") or first == ".." or ":" in first:
        raise _UnsafeMember(f"member {name!r} would be written outside the extraction folder; nothing was kept")
