"""Files that a person put in place are never deleted, moved or rewritten.

A teacher may copy the mirror's files into a student's data home, or keep one
folder of datasets and point both ``COURSE_DATA_HOME`` and
``COURSE_DATA_MIRROR`` at it. A registered file or a registered mirror copy
there is used as it is; a file that matches nothing is set aside (renamed),
never deleted, with a warning that reaches the user through every loader. Only
a local server on 127.0.0.1 is ever asked for a download.
"""

from __future__ import annotations

import dataclasses
import hashlib
import importlib
import os
import shutil
import warnings
from pathlib import Path

import pytest
import test_data_fetch as shared
from test_data_fetch import CONTENT, make_tar_gz, served_remote
from test_data_loaders import MIRROR, needs_mirror
from test_data_validation import ALL_LOADERS, imdb_archive

from course.data import (
    ChecksumError,
    DataError,
    MirrorVariant,
    extract,
    fetch,
    load_conll2003,
    load_imdb,
    load_nietzsche,
)
from course.data.fetch import MARKER_FILENAME, CacheError, SkippedCopyWarning

fetch_module = importlib.import_module("course.data.fetch")
loaders = importlib.import_module("course.data.loaders")
# The fixtures of test_data_fetch (a local HTTP server, an isolated data home, a mirror).
server, home, mirror = shared.server, shared.home, shared.mirror
SMALL = CONTENT[:100]
JUNK = b"notes a person keeps under this name\n"


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def snapshot(folder: Path) -> dict[str, tuple[str, int]]:
    """Every file directly in ``folder``: its SHA-256 and modification time (ns)."""
    return {
        path.name: (sha256(path.read_bytes()), path.stat().st_mtime_ns)
        for path in folder.iterdir()
        if path.is_file()
    }


def with_small_variant(server, name: str = "table.csv"):
    """A served canonical file and a registered mirror copy of it under the same name."""
    variant = MirrorVariant(name, sha256(SMALL), len(SMALL), "The first 100 bytes only.")
    return served_remote(server, name, CONTENT, variants=(variant,)), variant


# ------------------------------------------------- a mirror copy in the data home


def test_a_mirror_copy_copied_into_the_data_home_is_used_not_deleted(server, home):
    remote, variant = with_small_variant(server)
    (home / "table.csv").write_bytes(SMALL)

    fetched = fetch(remote, progress=False)

    assert fetched.source == "cache" and fetched.variant == variant
    assert (home / "table.csv").read_bytes() == SMALL and server.requests == []


def test_a_refused_mirror_copy_in_the_data_home_is_not_overwritten_by_a_download(server, home):
    remote, _ = with_small_variant(server)
    (home / "table.csv").write_bytes(SMALL)

    with pytest.raises(CacheError, match="refused by accept_variants=False.*never replaced"):
        fetch(remote, progress=False, accept_variants=False)

    assert (home / "table.csv").read_bytes() == SMALL and server.requests == []


def test_a_mirror_copy_in_the_data_home_that_a_loader_refuses_is_left_untouched(
    isolated_data_home, monkeypatch
):
    placed = isolated_data_home / "nietzsche.txt"
    placed.write_bytes(b"PREFACE\n\nNot quite the text.")
    copy = MirrorVariant("nietzsche.txt", sha256(placed.read_bytes()), 28, "A test copy.")
    monkeypatch.setattr(
        loaders, "NIETZSCHE", dataclasses.replace(loaders.NIETZSCHE, variants=(copy,))
    )

    with pytest.raises(DataError, match="registered mirror copy .* left untouched"):
        load_nietzsche()

    assert placed.read_bytes() == b"PREFACE\n\nNot quite the text."


# ------------------------------------------- a file that matches nothing, per loader


def canonical_filename(loader) -> str:
    """The file name under which ``loader`` looks in the data home first."""
    if loader is loaders.load_glove:
        return loaders.GLOVE_6B.filename
    if loader is loaders.load_ud_english_ewt:
        return loaders.UD_EWT_TRAIN.filename
    remote = {
        "load_airline_passengers": "AIRLINE_PASSENGERS",
        "load_cifar10": "CIFAR10",
        "load_conll2003": "CONLL2003",
        "load_imdb": "IMDB",
        "load_jena_climate": "JENA_CLIMATE",
        "load_mnist": "MNIST",
        "load_nietzsche": "NIETZSCHE",
        "load_shakespeare": "SHAKESPEARE",
        "load_spa_eng": "SPA_ENG",
        "load_text8": "TEXT8",
    }[loader.__name__]
    return getattr(loaders, remote).filename


@pytest.mark.parametrize("loader", ALL_LOADERS, ids=lambda loader: loader.__name__)
def test_a_file_that_matches_nothing_is_set_aside_and_every_loader_says_so(
    isolated_data_home, loader
):
    filename = canonical_filename(loader)
    (isolated_data_home / filename).write_bytes(JUNK)

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with pytest.raises(DataError) as raised:
            loader(allow_standin=False)

    said = [str(warning.message) for warning in caught] + [str(raised.value)]
    assert any(f"set aside as {filename}.set-aside-" in message for message in said), said
    [aside] = isolated_data_home.glob(f"{filename}.set-aside-*")
    assert aside.read_bytes() == JUNK  # kept, under a name no loader reads


def test_a_folder_without_marker_where_an_archive_goes_is_set_aside(server, home):
    remote = served_remote(server, "bundle.tar.gz", make_tar_gz({"bundle/a.txt": b"alpha"}))
    (home / "bundle").mkdir()
    (home / "bundle" / "mine.txt").write_text("a person's notes")

    with pytest.warns(SkippedCopyWarning, match="no record of an extraction.*set aside"):
        folder = extract(fetch(remote, progress=False))

    assert (folder / "bundle" / "a.txt").read_bytes() == b"alpha"
    [aside] = home.glob("bundle.set-aside-*")
    assert (aside / "mine.txt").read_text() == "a person's notes"


def test_a_missing_member_invalidates_the_marker_rather_than_deleting_it(
    isolated_data_home, tmp_path, monkeypatch
):
    folder = tmp_path / "mirror"
    folder.mkdir()
    monkeypatch.setenv("COURSE_DATA_MIRROR", str(folder))
    archive = make_tar_gz({"README": b"no reviews"})
    (folder / "aclImdb_v1.tar.gz").write_bytes(archive)
    small = dataclasses.replace(loaders.IMDB, sha256=sha256(archive), size=len(archive))
    monkeypatch.setattr(loaders, "IMDB", small)

    with pytest.raises(DataError, match="no member aclImdb"):
        load_imdb()

    extracted = isolated_data_home / "aclImdb_v1"
    assert fetch_module._read_marker(extracted) == {"invalidated": "it has no member aclImdb"}
    with warnings.catch_warnings():
        warnings.simplefilter("error", SkippedCopyWarning)  # ours: replaced, not set aside
        with pytest.raises(DataError, match="no member aclImdb"):
            load_imdb()
    assert not list(isolated_data_home.glob("aclImdb_v1.set-aside-*"))


# -------------------------------------------- one folder for everything (teachers)


@pytest.fixture
def one_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A teacher's single folder of datasets, both the data home and the mirror."""
    folder = tmp_path / "datasets"
    folder.mkdir()
    monkeypatch.setenv("COURSE_DATA_HOME", str(folder))
    monkeypatch.setenv("COURSE_DATA_MIRROR", str(folder))
    monkeypatch.setenv("COURSE_DATA_OFFLINE", "1")
    return folder


def test_one_folder_for_everything_loads_and_changes_no_file(one_folder, monkeypatch):
    archive = imdb_archive(
        {(split, label): 2 for split in ("train", "test") for label in ("neg", "pos")}
    )
    variant = MirrorVariant("aclImdb_v1.tar.gz", sha256(archive), len(archive), "A test copy.")
    monkeypatch.setattr(loaders, "IMDB", dataclasses.replace(loaders.IMDB, variants=(variant,)))
    monkeypatch.setattr(loaders, "IMDB_REVIEWS_PER_SPLIT_AND_CLASS", 2)
    (one_folder / "aclImdb_v1.tar.gz").write_bytes(archive)
    placed = snapshot(one_folder)

    first = load_imdb(validation_fraction=0.5)
    again = load_imdb(validation_fraction=0.5)

    assert first.source == again.source == "mirror" and len(again["test"]) == 4
    assert snapshot(one_folder) == placed  # every placed file as it was
    added = {path.name for path in one_folder.iterdir()} - set(placed)
    assert added == {"aclImdb_v1", ".locks"}  # the extraction, beside the archive


def test_one_folder_for_everything_never_replaces_a_bad_copy(server, one_folder, monkeypatch):
    monkeypatch.delenv("COURSE_DATA_OFFLINE")
    remote = served_remote(server, "table.csv", CONTENT)
    (one_folder / "table.csv").write_bytes(JUNK)

    with pytest.warns(SkippedCopyWarning), pytest.raises(ChecksumError, match="never replaced"):
        fetch(remote, progress=False)

    assert (one_folder / "table.csv").read_bytes() == JUNK and server.requests == []
    assert not list(one_folder.glob("*.set-aside-*"))


def test_one_folder_for_everything_moves_no_folder_without_marker(server, one_folder):
    remote = served_remote(server, "bundle.tar.gz", make_tar_gz({"bundle/a.txt": b"alpha"}))
    (one_folder / "bundle.tar.gz").write_bytes((server.root / "bundle.tar.gz").read_bytes())
    (one_folder / "bundle").mkdir()
    (one_folder / "bundle" / "mine.txt").write_text("a person's notes")

    with pytest.raises(CacheError, match="also a mirror folder"):
        extract(fetch(remote, progress=False))

    assert (one_folder / "bundle" / "mine.txt").read_text() == "a person's notes"
    assert MARKER_FILENAME not in os.listdir(one_folder / "bundle")


@needs_mirror
@pytest.mark.parametrize("layout", ["one folder", "copied into the data home"])
def test_the_mirror_copies_of_conll2003_and_nietzsche_are_kept(tmp_path, monkeypatch, layout):
    folder = tmp_path / "datasets"
    folder.mkdir()
    for name in ("conll2003.zip", "nietzsche.txt"):
        shutil.copy2(MIRROR / name, folder / name)
    placed = snapshot(folder)
    monkeypatch.setenv("COURSE_DATA_HOME", str(folder))
    monkeypatch.setenv("COURSE_DATA_OFFLINE", "1")
    if layout == "one folder":
        monkeypatch.setenv("COURSE_DATA_MIRROR", str(folder))
    else:
        monkeypatch.delenv("COURSE_DATA_MIRROR", raising=False)

    conll = load_conll2003()
    nietzsche = load_nietzsche()

    assert conll.counts["train"].sentences == 14_041 and len(nietzsche.text) == 600_894
    assert conll.variant is not None and nietzsche.variant is not None
    assert snapshot(folder) == placed


def test_a_mirror_copy_under_its_own_name_in_the_data_home_is_used(server, home):
    variant = MirrorVariant("table-small.csv", sha256(SMALL), len(SMALL), "The first 100 bytes.")
    remote = served_remote(server, "table.csv", CONTENT, variants=(variant,))
    (home / "table-small.csv").write_bytes(SMALL)

    fetched = fetch(remote, progress=False)

    assert fetched.source == "cache" and fetched.variant == variant
    assert fetched.path == home / "table-small.csv" and server.requests == []


def test_a_wrong_file_under_a_mirror_copy_name_is_skipped_and_left_as_it_is(server, home):
    variant = MirrorVariant("table-small.csv", sha256(SMALL), len(SMALL), "The first 100 bytes.")
    remote = served_remote(server, "table.csv", CONTENT, variants=(variant,))
    (home / "table-small.csv").write_bytes(JUNK)

    with pytest.warns(SkippedCopyWarning, match="registered mirror copy table-small.csv .* left"):
        fetched = fetch(remote, progress=False)

    assert fetched.source == "download" and (home / "table-small.csv").read_bytes() == JUNK
