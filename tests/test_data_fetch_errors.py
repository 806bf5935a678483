"""Errors a reader can act on: unwritable caches, full disks, dead URLs, wrong arguments,
slow servers.

The tests run as root, where permission bits stop nothing, so a read-only
file system is simulated at the ``os`` level: every call that would create,
rename or delete something inside the cache raises ``EROFS``.
"""

from __future__ import annotations

import errno
import importlib
import os
import tarfile
from pathlib import Path

import pytest
import test_data_fetch as shared
from test_data_fetch import CONTENT, make_tar_gz, served_remote

from course.data import DataError, DownloadError, extract, fetch

fetch_module = importlib.import_module("course.data.fetch")
# The fixtures of test_data_fetch (a local HTTP server, an isolated data home, a mirror).
server, home, mirror = shared.server, shared.home, shared.mirror
MEMBERS = {"bundle/a.txt": b"alpha", "bundle/b.txt": b"beta"}


def read_only(monkeypatch: pytest.MonkeyPatch, folder: Path) -> None:
    """Make every create, rename and delete under ``folder`` fail as on a read-only file system."""
    inside = str(folder)

    def refuse(real, *path_positions):
        def call(*args, **kwargs):
            for position in path_positions:
                if position < len(args) and os.fspath(args[position]).startswith(inside):
                    raise OSError(errno.EROFS, "Read-only file system", os.fspath(args[position]))
            return real(*args, **kwargs)

        return call

    real_open = os.open

    def guarded_open(path, flags, *args, **kwargs):
        if flags & (os.O_CREAT | os.O_WRONLY | os.O_RDWR) and os.fspath(path).startswith(inside):
            raise OSError(errno.EROFS, "Read-only file system", os.fspath(path))
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", guarded_open)
    for name in ("mkdir", "unlink", "rmdir", "remove"):
        monkeypatch.setattr(os, name, refuse(getattr(os, name), 0))
    for name in ("rename", "replace"):
        monkeypatch.setattr(os, name, refuse(getattr(os, name), 0, 1))


# ------------------------------------------------------- caches and disks (7)


def test_a_read_only_cache_with_a_complete_extraction_still_serves_the_data(
    server, home, monkeypatch
):
    remote = served_remote(server, "bundle.tar.gz", make_tar_gz(MEMBERS))
    folder = extract(fetch(remote, progress=False))
    server.default_mode = "404"
    read_only(monkeypatch, home)

    again = extract(fetch(remote, progress=False))

    assert again == folder and (again / "bundle" / "a.txt").read_bytes() == b"alpha"


def test_a_read_only_cache_without_the_data_says_to_set_the_variable(server, home, monkeypatch):
    remote = served_remote(server, "table.csv", CONTENT)
    read_only(monkeypatch, home)

    with pytest.raises(DataError) as raised:
        fetch(remote, progress=False)

    message = str(raised.value)
    assert str(home) in message and "COURSE_DATA_HOME" in message and "writable folder" in message
    assert "Errno" not in message.split("(")[0]


def test_a_read_only_cache_cannot_extract_and_says_so(server, home, mirror, monkeypatch):
    archive = make_tar_gz(MEMBERS)
    remote = served_remote(server, "bundle.tar.gz", archive)
    (mirror / "bundle.tar.gz").write_bytes(archive)
    fetched = fetch(remote, progress=False)
    read_only(monkeypatch, home)

    with pytest.raises(DataError, match=r"COURSE_DATA_HOME to a writable folder"):
        extract(fetched)


def test_a_data_home_that_is_a_file_is_a_clear_error(tmp_path, monkeypatch):
    not_a_folder = tmp_path / "course_data"
    not_a_folder.write_text("oops")
    monkeypatch.setenv("COURSE_DATA_HOME", str(not_a_folder))

    with pytest.raises(DataError) as raised:
        fetch_module.data_home()

    message = str(raised.value)
    assert f"{not_a_folder} is a file, not a folder" in message and "COURSE_DATA_HOME" in message


def test_a_full_disk_during_a_download_is_a_clear_error_and_leaves_nothing(
    server, home, monkeypatch
):
    remote = served_remote(server, "table.csv", CONTENT)
    monkeypatch.setattr(
        os,
        "write",
        lambda fd, data: (_ for _ in ()).throw(OSError(errno.ENOSPC, "No space left on device")),
    )

    with pytest.raises(DataError) as raised:
        fetch(remote, progress=False)

    message = str(raised.value)
    assert "No space left" in message and str(home) in message and "COURSE_DATA_HOME" in message
    assert [path.name for path in home.iterdir() if path.name != ".locks"] == []


def test_a_full_disk_during_extraction_is_a_clear_error_and_leaves_nothing(
    server, home, monkeypatch
):
    fetched = fetch(served_remote(server, "bundle.tar.gz", make_tar_gz(MEMBERS)), progress=False)

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(tarfile, "copyfileobj", full)
    with pytest.raises(DataError) as raised:
        extract(fetched)

    message = str(raised.value)
    assert "No space left" in message and "COURSE_DATA_HOME" in message
    assert sorted(path.name for path in home.iterdir() if path.name != ".locks") == [
        "bundle.tar.gz"
    ]


# ---------------------------------------------------------------- messages (8)


@pytest.fixture(autouse=True)
def fresh_mirror_warnings(monkeypatch):
    monkeypatch.setattr(fetch_module, "_WARNED_MISSING_MIRRORS", set(), raising=False)


def test_a_missing_mirror_folder_is_reported_once_and_not_called_searched(
    server, home, tmp_path, monkeypatch
):
    missing = tmp_path / "no-such-mirror"
    monkeypatch.setenv("COURSE_DATA_MIRROR", str(missing))
    remote = served_remote(server, "table.csv", CONTENT)
    server.default_mode = "404"

    with pytest.warns(UserWarning, match=f"{missing} does not exist"):
        with pytest.raises(DownloadError) as raised:
            fetch(remote, progress=False)
    assert "does not exist" in str(
        raised.value
    ) and f"folders in COURSE_DATA_MIRROR ({missing})" not in str(raised.value)

    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(DownloadError):
            fetch(remote, progress=False)


def test_an_undecodable_file_is_named(tmp_path):
    bad = tmp_path / "review.txt"
    bad.write_bytes(b"fine so far \xff\xfe then not")

    with pytest.raises(DataError) as raised:
        fetch_module.read_text(bad)

    message = str(raised.value)
    assert str(bad) in message and "UTF-8" in message and "byte 12" in message


def test_read_text_names_a_missing_file(tmp_path):
    with pytest.raises(DataError, match=str(tmp_path / "gone.txt")):
        fetch_module.read_text(tmp_path / "gone.txt")


def test_a_404_says_the_url_is_gone_not_to_connect(server, home):
    remote = served_remote(server, "table.csv", CONTENT)
    server.default_mode = "404"

    with pytest.raises(DownloadError) as raised:
        fetch(remote, progress=False)

    message = str(raised.value)
    assert "connect to the internet" not in message
    assert "no longer" in message and remote.url in message and "COURSE_DATA_MIRROR" in message


def test_a_redirect_loop_says_the_url_is_broken(server, home):
    remote = served_remote(server, "table.csv", CONTENT)
    server.default_mode = "loop"

    with pytest.raises(DownloadError) as raised:
        fetch(remote, progress=False)

    message = str(raised.value)
    assert "connect to the internet" not in message and "redirect" in message


# --------------------------------------------------------------- arguments (9)


@pytest.mark.parametrize(
    ("arguments", "error", "message"),
    [
        (
            (Path("imdb"),),
            TypeError,
            "fetch() takes a dataset name or a RemoteFile, not PosixPath('imdb')",
        ),
        ((42,), TypeError, "fetch() takes a dataset name or a RemoteFile, not int"),
        (("imdb", {"retries": -1}), ValueError, "retries must be a whole number >= 0, not -1"),
        (("imdb", {"retries": 1.5}), TypeError, "retries must be a whole number >= 0, not 1.5"),
        (
            ("imdb", {"timeout": 0}),
            ValueError,
            "timeout must be a positive number of seconds, not 0",
        ),
        (
            ("imdb", {"timeout": "30"}),
            TypeError,
            "timeout must be a positive number of seconds, not '30'",
        ),
        (
            ("imdb", {"deadline": -5}),
            ValueError,
            "deadline must be a positive number of seconds, not -5",
        ),
        (
            ("imdb", {"data_home": 3}),
            TypeError,
            "data_home must be a folder path or None, not int",
        ),
        (("imdb", {"progress": "yes"}), TypeError, "progress must be True or False, not 'yes'"),
        (
            ("imdb", {"accept_variants": None}),
            TypeError,
            "accept_variants must be True or False, not None",
        ),
    ],
)
def test_fetch_arguments_are_checked(home, arguments, error, message):
    name, *rest = arguments
    keywords = rest[0] if rest else {}

    with pytest.raises(error) as raised:
        fetch(name, **keywords)

    assert str(raised.value) == message


# ------------------------------------------------------------------ limits (10)


def test_a_trickling_server_hits_the_total_deadline_from_the_environment(
    server, home, monkeypatch
):
    remote = served_remote(server, "table.csv", CONTENT)
    server.default_mode = (
        "trickle"  # ten bytes every 20 ms: each read is quick, the whole takes 11 s
    )
    monkeypatch.setenv("COURSE_DATA_DEADLINE", "0.5")

    with pytest.raises(DownloadError, match=r"COURSE_DATA_DEADLINE"):
        fetch(remote, progress=False, retries=0, timeout=5)
    assert [path.name for path in home.iterdir() if path.name != ".locks"] == []


def test_a_trickling_server_hits_the_deadline_keyword(server, home):
    remote = served_remote(server, "table.csv", CONTENT)
    server.default_mode = "trickle"

    with pytest.raises(DownloadError, match=r"deadline of 0\.5 s"):
        fetch(remote, progress=False, retries=3, timeout=5, deadline=0.5)
    assert len(server.requests) == 1  # the deadline covers every attempt


def test_a_server_below_the_minimum_rate_is_abandoned(server, home, monkeypatch):
    remote = served_remote(server, "table.csv", CONTENT)
    server.default_mode = "trickle"  # about 500 bytes a second
    monkeypatch.setattr(fetch_module, "MIN_RATE_GRACE_SECONDS", 0.3)
    monkeypatch.setattr(fetch_module, "MIN_BYTES_PER_SECOND", 100_000)

    with pytest.raises(DownloadError, match="bytes a second"):
        fetch(remote, progress=False, retries=0, timeout=5)


# ------------------------------------- the data_home argument, named in the advice


def test_a_read_only_data_home_passed_as_an_argument_is_named_as_one(server, home, monkeypatch):
    remote = served_remote(server, "table.csv", CONTENT)
    read_only(monkeypatch, home)

    with pytest.raises(DataError) as raised:
        fetch(remote, progress=False, data_home=home)

    message = str(raised.value)
    assert "(the data_home argument)" in message and "as data_home=" in message
    assert "COURSE_DATA_HOME" not in message


def test_a_full_disk_during_extraction_into_a_data_home_argument_names_the_argument(
    server, home, monkeypatch
):
    remote = served_remote(server, "bundle.tar.gz", make_tar_gz(MEMBERS))
    fetched = fetch(remote, progress=False, data_home=home)

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(tarfile, "copyfileobj", full)
    with pytest.raises(DataError) as raised:
        extract(fetched, data_home=home)

    message = str(raised.value)
    assert "No space left" in message and "as data_home=" in message
    assert "COURSE_DATA_HOME" not in message
