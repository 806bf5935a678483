"""course.data.fetch against a local HTTP server: cache, mirror, download, extract.

No test reaches the internet: every URL points at 127.0.0.1.
"""

from __future__ import annotations

import hashlib
import importlib
import io
import os
import socket
import tarfile
import threading
import time
import zipfile
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from course.data import (
    REGISTRY,
    ChecksumError,
    CorruptArchiveError,
    DownloadError,
    FetchedFile,
    MirrorVariant,
    RemoteFile,
    UnknownDatasetError,
    UnsafeArchiveError,
    UnverifiedFileWarning,
    data_home,
    extract,
    fetch,
    lookup,
    mirror_dirs,
)
from course.data.fetch import (
    MARKER_FILENAME,
    SkippedCopyWarning,
    archive_folder_name,
    discard_corrupt,
)

# `course.data.fetch` the attribute is the function; the module is in sys.modules.
fetch_module = importlib.import_module("course.data.fetch")

CONTENT = b"column\n" + b"1234567890\n" * 500


# ------------------------------------------------------------------ the server


class FileServer(ThreadingHTTPServer):
    """Serves files from ``root``; ``modes`` (consumed one per request) injects failures."""

    daemon_threads = True

    def __init__(self, root: Path) -> None:
        super().__init__(("127.0.0.1", 0), FileHandler)
        self.root = root
        self.modes: list[str] = []
        self.default_mode = "ok"
        self.requests: list[str] = []

    def url(self, name: str) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/{name}"


class FileHandler(BaseHTTPRequestHandler):
    server: FileServer

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        server = self.server
        server.requests.append(self.path)
        mode = server.modes.pop(0) if server.modes else server.default_mode
        path = server.root / self.path.lstrip("/")
        if mode == "404" or not path.is_file():
            self.send_error(404)
            return
        if mode == "500":
            self.send_error(500)
            return
        if mode == "loop":
            self.send_response(302)
            self.send_header("Location", self.path)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if mode == "slow":
            time.sleep(1.0)
        if mode == "delay":  # every request arrives before any answer: a race, every time
            time.sleep(0.3)
        body = path.read_bytes()
        self.send_response(200)
        if mode in ("trickle", "hang"):
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body[:100])
            self.wfile.flush()
            for offset in range(100, len(body), 10):
                time.sleep(0.02 if mode == "trickle" else 0.5)
                try:
                    self.wfile.write(body[offset : offset + 10])
                    self.wfile.flush()
                except OSError:
                    return
            return
        if mode == "truncated":
            self.send_header("Content-Length", str(len(body) + 1000))
            self.end_headers()
            self.wfile.write(body[: len(body) // 2])
            self.wfile.flush()
            self.close_connection = True
            return
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def server(tmp_path: Path):
    root = tmp_path / "served"
    root.mkdir()
    httpd = FileServer(root)
    thread = threading.Thread(
        target=httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
    )
    thread.start()
    yield httpd
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def home(isolated_data_home: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Downloads on (to the local server only), no pauses between retries."""
    monkeypatch.delenv("COURSE_DATA_OFFLINE", raising=False)
    monkeypatch.setattr(fetch_module, "BACKOFF_SECONDS", 0.0)
    return isolated_data_home


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def served_remote(
    server: FileServer,
    filename: str,
    content: bytes,
    *,
    sha: str | None = "auto",
    size: int | None = -1,
    **fields,
) -> RemoteFile:
    """Put ``content`` on the server and describe it with a test-only RemoteFile."""
    (server.root / filename).write_bytes(content)
    return RemoteFile(
        name="test_" + filename.replace(".", "_"),
        filename=filename,
        url=server.url(filename),
        sha256=sha256(content) if sha == "auto" else sha,
        size=len(content) if size == -1 else size,
        citation="Test data.",
        licence="Test licence.",
        title="Test file",
        **fields,
    )


def entries(folder: Path) -> list[Path]:
    """What ``folder`` holds, leaving out the lock files of the data home (``.locks``)."""
    return sorted(path for path in folder.iterdir() if path.name != ".locks")


def leftovers(folder: Path) -> list[str]:
    """Temporary files or folders that a failure must never leave behind."""
    return sorted(
        path.name
        for path in entries(folder)
        if path.name.startswith(".") or path.name.endswith(".part")
    )


def closed_port_url(filename: str) -> str:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}/{filename}"


def make_tar_gz(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


def make_zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


# -------------------------------------------------------------------- download


def test_download_lands_in_the_cache_and_the_next_call_makes_no_request(server, home):
    remote = served_remote(server, "table.csv", CONTENT)

    first = fetch(remote, progress=False)
    second = fetch(remote, progress=True)

    assert first.source == "download" and second.source == "cache"
    assert first.path == second.path == home / "table.csv"
    assert first.path.read_bytes() == CONTENT
    assert len(server.requests) == 1
    assert leftovers(home) == []


def test_hash_mismatch_deletes_the_download_and_says_so(server, home):
    remote = served_remote(server, "table.csv", CONTENT, sha="0" * 64)

    with pytest.raises(ChecksumError) as raised:
        fetch(remote, progress=False)

    message = str(raised.value)
    assert "deleted" in message and "0" * 64 in message and sha256(CONTENT) in message
    assert entries(home) == []


def test_size_mismatch_is_a_checksum_error(server, home):
    remote = served_remote(server, "table.csv", CONTENT, size=len(CONTENT) + 1)

    with pytest.raises(ChecksumError, match="size"):
        fetch(remote, progress=False)
    assert entries(home) == []


def test_unreachable_server_names_url_file_cache_and_mirror_variable(home):
    remote = RemoteFile(
        "test_offline", "offline.zip", closed_port_url("offline.zip"), "0" * 64, 10, "c", "l"
    )

    with pytest.raises(DownloadError) as raised:
        fetch(remote, progress=False, retries=1, timeout=2)

    message = str(raised.value)
    for expected in (remote.url, "offline.zip", str(home), "COURSE_DATA_MIRROR", "2 attempts"):
        assert expected in message
    assert entries(home) == []


def test_offline_switch_stops_downloads_before_any_request(server, home, monkeypatch):
    monkeypatch.setenv("COURSE_DATA_OFFLINE", "1")
    remote = served_remote(server, "table.csv", CONTENT)

    with pytest.raises(DownloadError, match="COURSE_DATA_OFFLINE"):
        fetch(remote, progress=False)
    assert server.requests == []


@pytest.mark.parametrize("value", ["0", "false", "No", "off", ""])
def test_offline_switch_set_to_off_lets_downloads_through(server, home, monkeypatch, value):
    monkeypatch.setenv("COURSE_DATA_OFFLINE", value)
    remote = served_remote(server, "table.csv", CONTENT)

    fetched = fetch(remote, progress=False)
    assert fetched.path.read_bytes() == CONTENT
    assert len(server.requests) == 1


@pytest.mark.parametrize("value", ["1", "TRUE", "yes", " on "])
def test_offline_switch_accepts_the_usual_spellings_of_on(server, home, monkeypatch, value):
    monkeypatch.setenv("COURSE_DATA_OFFLINE", value)
    remote = served_remote(server, "table.csv", CONTENT)

    with pytest.raises(DownloadError, match="COURSE_DATA_OFFLINE"):
        fetch(remote, progress=False)
    assert server.requests == []


def test_offline_switch_with_an_unknown_value_says_what_to_set(server, home, monkeypatch):
    monkeypatch.setenv("COURSE_DATA_OFFLINE", "maybe")
    remote = served_remote(server, "table.csv", CONTENT)

    with pytest.raises(ValueError, match="'maybe' is neither on nor off.*Set it to 1"):
        fetch(remote, progress=False)
    assert server.requests == []


def test_retry_succeeds_after_a_transient_server_error(server, home):
    remote = served_remote(server, "table.csv", CONTENT)
    server.modes = ["500"]

    fetched = fetch(remote, progress=False, retries=2)

    assert fetched.source == "download" and fetched.path.read_bytes() == CONTENT
    assert len(server.requests) == 2


def test_not_found_is_not_retried(server, home):
    remote = served_remote(server, "table.csv", CONTENT)
    server.default_mode = "404"

    with pytest.raises(DownloadError, match="HTTP 404"):
        fetch(remote, progress=False, retries=3)
    assert len(server.requests) == 1
    assert entries(home) == []


def test_persistent_server_errors_give_up_after_the_retries(server, home):
    remote = served_remote(server, "table.csv", CONTENT)
    server.default_mode = "500"

    with pytest.raises(DownloadError, match="HTTP 500"):
        fetch(remote, progress=False, retries=2)
    assert len(server.requests) == 3
    assert entries(home) == []


def test_truncated_download_is_retried_then_reported_and_leaves_nothing(server, home):
    remote = served_remote(server, "table.csv", CONTENT)
    server.default_mode = "truncated"

    with pytest.raises(DownloadError, match="stopped after"):
        fetch(remote, progress=False, retries=1)
    assert len(server.requests) == 2
    assert entries(home) == []


def test_truncated_then_complete_download_succeeds(server, home):
    remote = served_remote(server, "table.csv", CONTENT)
    server.modes = ["truncated"]

    assert fetch(remote, progress=False, retries=1).path.read_bytes() == CONTENT


def test_slow_server_times_out(server, home):
    remote = served_remote(server, "table.csv", CONTENT)
    server.default_mode = "slow"

    with pytest.raises(DownloadError, match="timed out"):
        fetch(remote, progress=False, retries=0, timeout=0.2)
    assert entries(home) == []


def test_interrupted_download_leaves_no_part_file(server, home, monkeypatch):
    remote = served_remote(server, "table.csv", CONTENT)

    class InterruptingHash:
        def update(self, chunk: bytes) -> None:
            assert leftovers(home), "the .part file should exist while downloading"
            raise KeyboardInterrupt

    monkeypatch.setattr(fetch_module.hashlib, "sha256", InterruptingHash)
    with pytest.raises(KeyboardInterrupt):
        fetch(remote, progress=False)
    assert entries(home) == []


def test_a_file_without_checksum_is_downloaded_with_a_warning(server, home):
    remote = served_remote(server, "table.csv", CONTENT, sha=None, size=None)

    with pytest.warns(UnverifiedFileWarning, match="no recorded sha256"):
        fetched = fetch(remote, progress=False)
    assert fetched.path.read_bytes() == CONTENT
    assert fetch(remote, progress=False).source == "cache"


# ---------------------------------------------------------------------- mirror


@pytest.fixture
def mirror(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "mirror"
    folder.mkdir()
    monkeypatch.setenv("COURSE_DATA_MIRROR", str(folder))
    return folder


def test_mirror_file_is_used_in_place_and_not_copied(server, home, mirror):
    remote = served_remote(server, "table.csv", CONTENT)
    (mirror / "table.csv").write_bytes(CONTENT)

    fetched = fetch(remote, progress=False)

    assert fetched.source == "mirror" and fetched.path == mirror / "table.csv"
    assert fetched.variant is None
    assert entries(home) == [] and server.requests == []
    assert (mirror / "table.csv").read_bytes() == CONTENT


def test_mirror_variant_is_accepted_with_its_note(server, home, mirror):
    small = CONTENT[:100]
    variant = MirrorVariant(
        "table-small.csv", sha256(small), len(small), "Only the first 100 bytes."
    )
    remote = served_remote(server, "table.csv", CONTENT, variants=(variant,))
    (mirror / "table-small.csv").write_bytes(small)

    fetched = fetch(remote, progress=False)

    assert fetched.source == "mirror" and fetched.variant == variant
    assert fetched.variant.note == "Only the first 100 bytes."
    assert fetched.expected_sha256 == sha256(small)


def test_mirror_variant_with_the_canonical_name_is_recognised(server, home, mirror):
    small = CONTENT[:100]
    variant = MirrorVariant("table.csv", sha256(small), len(small), "Truncated.")
    remote = served_remote(server, "table.csv", CONTENT, variants=(variant,))
    (mirror / "table.csv").write_bytes(small)

    assert fetch(remote, progress=False).variant == variant


def test_variants_can_be_refused(server, home, mirror):
    small = CONTENT[:100]
    variant = MirrorVariant("table.csv", sha256(small), len(small), "Truncated.")
    remote = served_remote(server, "table.csv", CONTENT, variants=(variant,))
    (mirror / "table.csv").write_bytes(small)

    fetched = fetch(remote, progress=False, accept_variants=False)

    assert fetched.source == "download" and fetched.variant is None
    assert (mirror / "table.csv").read_bytes() == small


def test_bad_mirror_file_is_skipped_with_a_warning_and_left_untouched(server, home, mirror):
    remote = served_remote(server, "table.csv", CONTENT)
    (mirror / "table.csv").write_bytes(b"something else entirely")

    with pytest.warns(SkippedCopyWarning) as warned:
        fetched = fetch(remote, progress=False)

    message = str(warned[0].message)
    assert str(mirror / "table.csv") in message and "left untouched" in message
    assert fetched.source == "download"
    assert (mirror / "table.csv").read_bytes() == b"something else entirely"


def test_mirror_file_of_the_right_size_but_wrong_content_raises_when_nothing_else_works(
    server, home, mirror
):
    remote = served_remote(server, "table.csv", CONTENT)
    (mirror / "table.csv").write_bytes(CONTENT.replace(b"1", b"2"))
    server.default_mode = "404"

    with pytest.warns(SkippedCopyWarning), pytest.raises(ChecksumError, match="left untouched"):
        fetch(remote, progress=False)


def test_mirror_file_without_checksum_is_accepted_with_a_warning(server, home, mirror):
    remote = served_remote(server, "table.csv", CONTENT, sha=None)
    (mirror / "table.csv").write_bytes(CONTENT)

    with pytest.warns(UnverifiedFileWarning, match="only its size was checked"):
        assert fetch(remote, progress=False).source == "mirror"


def test_several_mirror_folders_are_searched_in_order(server, home, tmp_path, monkeypatch):
    empty, full, missing = tmp_path / "empty", tmp_path / "full", tmp_path / "missing"
    empty.mkdir()
    full.mkdir()
    (full / "table.csv").write_bytes(CONTENT)
    monkeypatch.setenv(
        "COURSE_DATA_MIRROR", os.pathsep.join([str(missing), str(empty), "", str(full)])
    )
    remote = served_remote(server, "table.csv", CONTENT)

    with pytest.warns(UserWarning, match="does not exist"):
        assert mirror_dirs() == [empty, full]
    assert fetch(remote, progress=False).path == full / "table.csv"


def test_cache_wins_over_mirror(server, home, mirror):
    remote = served_remote(server, "table.csv", CONTENT)
    (mirror / "table.csv").write_bytes(CONTENT)
    (home / "table.csv").write_bytes(CONTENT)

    assert fetch(remote, progress=False).source == "cache"


def test_cached_file_of_the_wrong_size_is_set_aside_and_replaced_by_a_download(server, home):
    remote = served_remote(server, "table.csv", CONTENT)
    (home / "table.csv").write_bytes(b"stale")

    with pytest.warns(SkippedCopyWarning, match="size 5 bytes, 5,507 expected.*set aside as"):
        fetched = fetch(remote, progress=False)

    assert fetched.source == "download" and fetched.path.read_bytes() == CONTENT
    [aside] = home.glob("table.csv.set-aside-*")  # kept, not deleted
    assert aside.read_bytes() == b"stale"


# --------------------------------------------------------------------- extract


def test_archive_is_extracted_once_and_the_marker_reused(server, home, monkeypatch):
    archive = make_tar_gz({"bundle/a.txt": b"alpha", "bundle/b.txt": b"beta"})
    fetched = fetch(served_remote(server, "bundle_v1.tar.gz", archive), progress=False)

    folder = extract(fetched)
    assert folder == home / "bundle_v1"
    assert (folder / "bundle" / "a.txt").read_bytes() == b"alpha"
    assert (folder / MARKER_FILENAME).is_file()

    def must_not_unpack(*args: object) -> None:
        raise AssertionError("extracted twice")

    monkeypatch.setattr(fetch_module, "_unpack", must_not_unpack)
    assert extract(fetched) == folder
    assert leftovers(home) == []


def test_a_different_archive_replaces_a_stale_extraction(server, home, mirror):
    archive = make_zip({"inner/new.txt": b"new"})
    remote = served_remote(server, "bundle.zip", archive)
    stale = home / "bundle"
    stale.mkdir()
    (stale / "old.txt").write_text("old")
    (stale / MARKER_FILENAME).write_text('{"sha256": "something else"}')

    folder = extract(fetch(remote, progress=False))

    assert (folder / "inner" / "new.txt").read_bytes() == b"new"
    assert not (folder / "old.txt").exists()


def test_mirror_archive_is_extracted_into_the_data_home(server, home, mirror):
    archive = make_zip({"inner/file.txt": b"content"})
    remote = served_remote(server, "bundle.zip", archive)
    (mirror / "bundle.zip").write_bytes(archive)

    folder = extract(fetch(remote, progress=False))

    assert folder.parent == home
    assert (folder / "inner" / "file.txt").read_bytes() == b"content"
    assert sorted(path.name for path in mirror.iterdir()) == ["bundle.zip"]


def test_corrupt_cached_archive_is_deleted(server, home):
    remote = served_remote(server, "broken.zip", b"this is not a zip file")
    fetched = fetch(remote, progress=False)

    with pytest.raises(CorruptArchiveError, match="deleted"):
        extract(fetched)
    assert entries(home) == []


def test_truncated_tarball_is_corrupt_and_leaves_no_half_extracted_folder(server, home):
    archive = make_tar_gz({f"bundle/{index}.txt": os.urandom(2000) for index in range(20)})
    fetched = fetch(
        served_remote(server, "bundle.tar.gz", archive[: len(archive) // 2]), progress=False
    )

    with pytest.raises(CorruptArchiveError):
        extract(fetched)
    assert entries(home) == []


def test_corrupt_mirror_archive_is_left_untouched(server, home, mirror):
    content = b"PK\x03\x04 truncated zip"
    remote = served_remote(server, "broken.zip", content)
    (mirror / "broken.zip").write_bytes(content)
    fetched = fetch(remote, progress=False)

    with pytest.raises(CorruptArchiveError, match="left untouched"):
        extract(fetched)
    assert (mirror / "broken.zip").read_bytes() == content
    assert entries(home) == []


@pytest.mark.parametrize(
    "member",
    ["../escape.txt", "/tmp/absolute.txt", "inner/../../escape.txt"],
    ids=["parent", "absolute", "nested"],
)
def test_path_traversal_members_are_refused(server, home, member):
    archive = make_tar_gz({"inner/fine.txt": b"fine", member: b"evil"})
    fetched = fetch(served_remote(server, "evil.tar.gz", archive), progress=False)

    with pytest.raises(UnsafeArchiveError, match="outside the extraction folder"):
        extract(fetched)
    assert entries(home) == []
    assert not (home.parent / "escape.txt").exists()


def test_zip_path_traversal_is_refused(server, home):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(zipfile.ZipInfo("../escape.txt"), b"evil")
    fetched = fetch(served_remote(server, "evil.zip", buffer.getvalue()), progress=False)

    with pytest.raises(UnsafeArchiveError):
        extract(fetched)
    assert entries(home) == []


def test_symlink_out_of_the_archive_is_refused(server, home):
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        link = tarfile.TarInfo("inner/passwd")
        link.type = tarfile.SYMTYPE
        link.linkname = "/etc/passwd"
        archive.addfile(link)
    fetched = fetch(served_remote(server, "link.tar.gz", buffer.getvalue()), progress=False)

    with pytest.raises(UnsafeArchiveError):
        extract(fetched)


@pytest.mark.parametrize("kind", ["hardlink", "device"])
def test_hard_links_out_of_the_archive_and_device_files_are_refused(server, home, kind):
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        member = tarfile.TarInfo("inner/special")
        if kind == "hardlink":
            member.type, member.linkname = tarfile.LNKTYPE, "../../outside"
        else:
            member.type = tarfile.CHRTYPE
        archive.addfile(member)
    fetched = fetch(served_remote(server, "special.tar.gz", buffer.getvalue()), progress=False)

    with pytest.raises(UnsafeArchiveError):
        extract(fetched)
    assert entries(home) == []


def test_only_known_archive_types_are_extracted():
    assert archive_folder_name("cifar-10-python.tar.gz") == "cifar-10-python"
    assert archive_folder_name("thing.tgz") == "thing"
    with pytest.raises(ValueError, match="not an archive"):
        archive_folder_name("mnist.npz")


def test_discard_corrupt_deletes_only_this_process_downloads(tmp_path):
    ours, theirs, cached, placed = (
        tmp_path / name for name in ("ours.npz", "theirs.npz", "cached.npz", "placed.npz")
    )
    for path in (ours, theirs, cached, placed):
        path.write_bytes(b"x")
    remote = REGISTRY["mnist"]
    variant = remote.variants[0]

    assert "deleted" in str(discard_corrupt(FetchedFile(ours, "download", remote), "bad"))
    assert "untouched" in str(discard_corrupt(FetchedFile(theirs, "mirror", remote), "bad"))
    assert "set aside as cached.npz.set-aside-" in str(
        discard_corrupt(FetchedFile(cached, "cache", remote), "bad")
    )
    assert "untouched" in str(discard_corrupt(FetchedFile(placed, "cache", remote, variant), "x"))
    assert not ours.exists() and theirs.exists() and placed.exists() and not cached.exists()
    assert [path.read_bytes() for path in tmp_path.glob("cached.npz.set-aside-*")] == [b"x"]


# ---------------------------------------------------------- names and settings


def test_unknown_dataset_name_suggests_the_closest_one():
    with pytest.raises(UnknownDatasetError) as raised:
        fetch("imbd")

    message = str(raised.value)
    assert "Did you mean 'imdb'?" in message
    assert all(name in message for name in REGISTRY)
    assert isinstance(raised.value, ValueError)


def test_names_are_looked_up_loosely():
    assert lookup("GloVe-6B") is REGISTRY["glove_6b"]
    assert lookup(REGISTRY["mnist"]) is REGISTRY["mnist"]


def test_data_home_follows_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("COURSE_DATA_HOME", str(tmp_path / "from_env"))
    assert data_home() == tmp_path / "from_env" and (tmp_path / "from_env").is_dir()
    assert data_home(tmp_path / "explicit") == tmp_path / "explicit"

    monkeypatch.delenv("COURSE_DATA_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "user"))
    assert data_home() == tmp_path / "user" / "course_data"


def test_fetch_uses_the_data_home_from_the_environment(server, home, tmp_path, monkeypatch):
    other = tmp_path / "other_home"
    monkeypatch.setenv("COURSE_DATA_HOME", str(other))
    remote = served_remote(server, "table.csv", CONTENT)

    assert fetch(remote, progress=False).path == other / "table.csv"
    assert fetch(remote, progress=False, data_home=home).source == "download"


def test_registry_entries_are_complete():
    for name, remote in REGISTRY.items():
        assert remote.name == name
        assert remote.url.startswith("http") and remote.url.endswith(remote.filename)
        assert remote.citation and remote.licence and remote.title
        assert remote.sha256 is None or len(remote.sha256) == 64
        for variant in remote.variants:
            assert len(variant.sha256) == 64 and variant.size > 0 and variant.note
