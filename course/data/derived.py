"""Caches derived from a fetched file, such as decoded images, made as safely as archives.

Decoding the 60,000 images of the JPEG copy of CIFAR-10 takes a while, so its
arrays are kept in the data home as an ``.npz`` file. Such a cache gets what
the archives get (:mod:`course.data.fetch`):

- a **lock**: processes that share a data home decode once, the others wait
  and read the result;
- a **temporary name** that carries the process id, ``.<name>.<pid>.<random>.part``,
  renamed into place once whole; one left by a killed process is removed by the
  next load;
- a **record** written inside the file (``__course__``): the source file's
  name, SHA-256 and size, and each array's shape, dtype and SHA-256. Every use
  checks them, and the shapes and dtypes the caller expects (so the number of
  examples too); a cache that fails is decoded again, with a warning, and the
  source file is never blamed for it;
- a **size cap**: a cache larger than its arrays need is not read.

What the caller's ``build`` decodes is checked before it is written, so a
source that decodes to the wrong arrays leaves no cache behind. ``build`` caps
what it reads itself (see ``load_cifar10``).

Example:
    >>> spec = {"x": ((2,), "uint8")}
    >>> arrays = {"x": np.array([1, 2], dtype=np.uint8)}
    >>> _array_problem(arrays, spec) is None
    True
    >>> _array_problem({"x": np.zeros(3, dtype=np.uint8)}, spec)
    'x has shape (3,) uint8, (2,) uint8 expected'
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import tempfile
import time
import warnings
import zipfile
import zlib
from collections.abc import Callable, Mapping
from pathlib import Path

import numpy as np

# The data home's lock and stale-file helpers: a derived cache shares them with archives.
from course.data.fetch import (
    _PROCESS_START,
    DataError,
    FetchedFile,
    SkippedCopyWarning,
    _dataset_lock,
    _remove_stale,
)
from course.data.fetch import data_home as resolve_home

RECORD_KEY = "__course__"
FORMAT = 1  # bump when what a cache holds changes: older caches are then rebuilt
SIZE_SLACK = 1 << 20  # an .npz may exceed its arrays' bytes by this much (headers, record)
# Temporary files of versions before the process id was in the name: .<name>.<random>.part
_LEGACY_PART = re.compile(r"^\.(?P<base>.+)\.[a-z0-9_]{8}\.part$")
_LEGACY_AGE_SECONDS = 600.0

Spec = Mapping[str, tuple[tuple[int, ...], str]]  # array name -> (shape, dtype name)


class DerivedCacheError(DataError):
    """Decoding gave arrays of other shapes or types than the caller expects."""


def derived_arrays(
    fetched: FetchedFile,
    filename: str,
    build: Callable[[], dict[str, np.ndarray]],
    spec: Spec,
    *,
    data_home: str | os.PathLike[str] | None = None,
    settings: Mapping[str, object] | None = None,
) -> dict[str, np.ndarray]:
    """The arrays ``build()`` derives from ``fetched``, kept in ``<data home>/<filename>``.

    A cache whose record matches ``fetched`` (and ``settings``, any values the
    decoding depends on), whose arrays have the shapes and dtypes of ``spec``
    and the SHA-256 recorded when they were written, is returned without
    calling ``build``. Otherwise ``build()`` runs, once however many processes
    ask together; its arrays must fit ``spec`` (else nothing is written and a
    DataError is raised) and are saved for the next call. A data home that
    cannot be written gets no cache: the arrays are returned all the same.

    Raises:
        DerivedCacheError: ``build()`` returned arrays that do not fit ``spec``.

    Example:
        >>> import tempfile
        >>> from course.data.registry import MNIST
        >>> home = tempfile.mkdtemp()
        >>> source = Path(home, "mnist.npz")
        >>> _ = source.write_bytes(b"source")
        >>> fetched = FetchedFile(source, "cache", MNIST)
        >>> spec = {"x": ((3,), "uint8")}
        >>> build = lambda: {"x": np.arange(3, dtype=np.uint8)}
        >>> derived_arrays(fetched, "x.npz", build, spec, data_home=home)["x"]
        array([0, 1, 2], dtype=uint8)
        >>> again = derived_arrays(fetched, "x.npz", lambda: {}, spec, data_home=home)
        >>> again["x"].tolist()  # from the cache: build is not called
        [0, 1, 2]
    """
    home = resolve_home(data_home)
    path = home / filename
    identity = _identity(fetched, settings)
    with _dataset_lock(home, f"{fetched.remote.name}.derived", data_home) as writable:
        if writable:
            _remove_stale(home, {filename})
            _remove_legacy_parts(home, filename)
        arrays, problem = _read_cache(path, identity, spec)
        if arrays is not None:
            return arrays
        if problem is not None:
            warnings.warn(
                f"The decoded cache {path} {problem}; it is decoded again from "
                f"{fetched.path} (which is not at fault).",
                SkippedCopyWarning,
                stacklevel=3,
            )
        arrays = build()
        mismatch = _array_problem(arrays, spec)
        if mismatch is not None:
            raise DerivedCacheError(
                f"Decoding {fetched.path} gave other arrays than expected ({mismatch}); "
                f"nothing was saved as {path}."
            )
        if writable:
            _save(path, arrays, identity)
        else:
            warnings.warn(
                f"The decoded arrays cannot be saved as {path}: the data folder is read-only. "
                "They are decoded again on every load; set a writable data folder to keep them.",
                SkippedCopyWarning,
                stacklevel=3,
            )
        return arrays


def _identity(fetched: FetchedFile, settings: Mapping[str, object] | None) -> dict[str, object]:
    return {
        "format": FORMAT,
        "source": fetched.path.name,
        "sha256": fetched.expected_sha256,
        "size": fetched.path.stat().st_size,
        "settings": dict(settings or {}),
    }


def _array_problem(arrays: Mapping[str, np.ndarray], spec: Spec) -> str | None:
    """How ``arrays`` differ from ``spec`` (names, shapes, dtypes), or None."""
    if set(arrays) != set(spec):
        return f"arrays {sorted(arrays)}, {sorted(spec)} expected"
    for name, (shape, dtype) in spec.items():
        array = arrays[name]
        if array.shape != tuple(shape) or array.dtype != np.dtype(dtype):
            return f"{name} has shape {array.shape} {array.dtype}, {tuple(shape)} {dtype} expected"
    return None


def _sha256(array: np.ndarray) -> str:
    return hashlib.sha256(np.ascontiguousarray(array)).hexdigest()


def _read_cache(
    path: Path, identity: dict[str, object], spec: Spec
) -> tuple[dict[str, np.ndarray] | None, str | None]:
    """The cached arrays if every check passes; else None and why (None if there is no file)."""
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        return None, None
    except OSError as error:
        return None, f"cannot be read ({error.strerror or error})"
    limit = sum(int(np.prod(shape)) * np.dtype(dtype).itemsize for shape, dtype in spec.values())
    if size > limit + SIZE_SLACK:
        return None, f"has {size:,} bytes, more than the {limit:,} its arrays need"
    try:
        with np.load(path, allow_pickle=False) as stored:
            if RECORD_KEY not in stored.files:
                return None, "has no record of the course's (an older version's, or not one)"
            record = json.loads(str(stored[RECORD_KEY]))
            arrays = {name: stored[name] for name in stored.files if name != RECORD_KEY}
    except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile, zlib.error) as error:
        return None, f"cannot be read ({type(error).__name__}: {error})"
    if not isinstance(record, dict) or record.get("identity") != identity:
        return None, "was decoded from another file or by other settings"
    problem = _array_problem(arrays, spec)
    if problem is not None:
        return None, f"does not hold the expected arrays: {problem}"
    recorded = record.get("sha256") if isinstance(record.get("sha256"), dict) else {}
    for name, array in arrays.items():
        if recorded.get(name) != _sha256(array):
            return None, f"holds an array {name} whose SHA-256 is not the one recorded"
    return arrays, None


def _save(path: Path, arrays: Mapping[str, np.ndarray], identity: dict[str, object]) -> None:
    """Write ``arrays`` and their record whole or not at all: a temporary file, then a rename.

    A data home that is full or read-only gets no cache, with a warning: the
    arrays were decoded all the same.
    """
    record = {"identity": identity, "sha256": {name: _sha256(a) for name, a in arrays.items()}}
    temporary: Path | None = None
    try:
        handle, name = tempfile.mkstemp(
            dir=path.parent, prefix=f".{path.name}.{os.getpid()}.", suffix=".part"
        )
        temporary = Path(name)
        with os.fdopen(handle, "wb") as stream:
            np.savez(stream, **{RECORD_KEY: np.array(json.dumps(record))}, **arrays)
        os.replace(temporary, path)
        temporary = None
    except OSError as error:
        warnings.warn(
            f"The decoded arrays could not be saved as {path} ({error.strerror or error}); "
            "they are decoded again on every load until they can be.",
            SkippedCopyWarning,
            stacklevel=4,
        )
    finally:
        if temporary is not None:
            with contextlib.suppress(OSError):
                temporary.unlink()


def _remove_legacy_parts(home: Path, filename: str) -> None:
    """Delete ``.<filename>.<random>.part`` files of older versions, left by killed runs.

    Their names carry no process id; one older than this process and not
    written to for ten minutes belongs to no live run.
    """
    for path in home.iterdir():
        match = _LEGACY_PART.match(path.name)
        if match is None or match["base"] != filename:
            continue
        with contextlib.suppress(OSError):
            modified = path.lstat().st_mtime
            if modified < _PROCESS_START and time.time() - modified > _LEGACY_AGE_SECONDS:
                path.unlink()
