"""A copy is trusted only once verified: cache hits, extracted folders, damaged archives, mirrors.

Every URL points at a local HTTP server on 127.0.0.1.
"""

from __future__ import annotations

import gzip
import hashlib
import importlib
import io
import json
import os
import tarfile
import zipfile

import pytest
import test_data_fetch as shared
from test_data_fetch import CONTENT, leftovers, make_tar_gz, make_zip, served_remote

from course.data import ChecksumError, CorruptArchiveError, extract, fetch
from course.data.fetch import MARKER_FILENAME

fetch_module = importlib.import_module("course.data.fetch")
# The fixtures of test_data_fetch (a local HTTP server, an isolated data home, a mirror).
server, home, mirror = shared.server, shared.home, shared.mirror
MEMBERS = {
    f"bundle/{split}/{index}.txt": f"{split} {index}\n".encode() * 10
    for split in ("train", "test")
    for index in range(5)
}


def tar_bytes(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w", format=tarfile.USTAR_FORMAT) as archive:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            info.mtime = 0
            archive.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


# ------------------------------------------------------- extracted folders (2)


def test_an_extraction_missing_a_file_is_redone_not_trusted(server, home):
    fetched = fetch(served_remote(server, "bundle.tar.gz", make_tar_gz(MEMBERS)), progress=False)
    folder = extract(fetched)
    (folder / "bundle" / "test" / "3.txt").unlink()

    with pytest.warns(UserWarning, match=r"bundle/test/3\.txt"):
        again = extract(fetched)

    assert (again / "bundle" / "test" / "3.txt").read_bytes() == MEMBERS["bundle/test/3.txt"]


def test_an_extraction_with_a_truncated_file_is_redone(server, home):
    fetched = fetch(served_remote(server, "bundle.zip", make_zip(MEMBERS)), progress=False)
    folder = extract(fetched)
    (folder / "bundle" / "train" / "0.txt").write_bytes(b"cut")

    with pytest.warns(UserWarning, match="size"):
        again = extract(fetched)

    assert (again / "bundle" / "train" / "0.txt").read_bytes() == MEMBERS["bundle/train/0.txt"]


def test_the_marker_holds_a_manifest_of_member_names_and_sizes(server, home):
    folder = extract(fetch(served_remote(server, "bundle.zip", make_zip(MEMBERS)), progress=False))

    marker = json.loads((folder / MARKER_FILENAME).read_text())

    assert marker["files"] == {name: len(data) for name, data in MEMBERS.items()}
    assert fetch_module.verify_extracted(folder) == marker["files"]


def test_the_marker_holds_the_sha256_of_every_extracted_file(server, home):
    folder = extract(fetch(served_remote(server, "bundle.zip", make_zip(MEMBERS)), progress=False))

    checksums = fetch_module.extracted_checksums(folder)

    assert checksums == {name: hashlib.sha256(data).hexdigest() for name, data in MEMBERS.items()}


def test_an_extraction_without_checksums_is_redone(server, home, monkeypatch):
    fetched = fetch(served_remote(server, "bundle.zip", make_zip(MEMBERS)), progress=False)
    folder = extract(fetched)
    marker = json.loads((folder / MARKER_FILENAME).read_text())
    del marker["sha256s"]  # as an older version of the course wrote it
    (folder / MARKER_FILENAME).write_text(json.dumps(marker))
    unpacked = []
    real_unpack = fetch_module._unpack
    monkeypatch.setattr(
        fetch_module,
        "_unpack",
        lambda *args, **kwargs: unpacked.append(real_unpack(*args, **kwargs)),
    )

    again = extract(fetched)

    assert len(unpacked) == 1 and fetch_module.extracted_checksums(again)


def test_read_extracted_refuses_a_file_altered_since_and_invalidates_the_folder(server, home):
    fetched = fetch(served_remote(server, "bundle.zip", make_zip(MEMBERS)), progress=False)
    folder = extract(fetched)
    path = folder / "bundle" / "train" / "0.txt"
    assert (
        fetch_module.read_extracted(folder, "bundle/train/0.txt") == MEMBERS["bundle/train/0.txt"]
    )
    path.write_bytes(path.read_bytes().replace(b"train", b"TRAIN"))  # same size, other bytes

    with pytest.raises(fetch_module.DamagedExtractionError) as raised:
        fetch_module.read_extracted(folder, "bundle/train/0.txt")

    assert str(path) in str(raised.value) and "changed or damaged since" in str(raised.value)
    again = extract(fetched)  # the folder was marked invalid: extracted afresh
    assert (again / "bundle" / "train" / "0.txt").read_bytes() == MEMBERS["bundle/train/0.txt"]


def test_verify_extracted_names_what_is_missing(server, home):
    folder = extract(fetch(served_remote(server, "bundle.zip", make_zip(MEMBERS)), progress=False))
    (folder / "bundle" / "train" / "4.txt").unlink()

    with pytest.raises(fetch_module.IncompleteExtractionError) as raised:
        fetch_module.verify_extracted(folder)

    message = str(raised.value)
    assert "bundle/train/4.txt" in message and str(folder) in message and "1 of 10" in message


def test_verify_extracted_refuses_a_folder_without_marker(tmp_path):
    with pytest.raises(fetch_module.IncompleteExtractionError, match="no record"):
        fetch_module.verify_extracted(tmp_path)


def test_expect_files_checks_a_count(server, home):
    folder = extract(fetch(served_remote(server, "bundle.zip", make_zip(MEMBERS)), progress=False))

    assert len(fetch_module.expect_files(folder / "bundle" / "test", "*.txt", 5)) == 5
    with pytest.raises(
        fetch_module.IncompleteExtractionError, match=r"5 files match \*\.txt, 12,500 expected"
    ):
        fetch_module.expect_files(folder / "bundle" / "test", "*.txt", 12_500)


# ------------------------------------------------------------ cache hits (3)


def test_a_cached_file_of_the_right_size_but_wrong_content_is_replaced(server, home):
    remote = served_remote(server, "table.csv", CONTENT)
    (home / "table.csv").write_bytes(CONTENT.replace(b"1", b"2"))

    with pytest.warns(UserWarning, match=r"table\.csv.*sha256.*set aside"):
        fetched = fetch(remote, progress=False)

    assert fetched.source == "download" and fetched.path.read_bytes() == CONTENT
    assert len(list(home.glob("table.csv.set-aside-*"))) == 1
    assert len(server.requests) == 1


def test_a_cache_hit_is_hashed_once_per_size_and_mtime(server, home, monkeypatch):
    remote = served_remote(server, "table.csv", CONTENT)
    fetch(remote, progress=False)
    hashed = []
    real = fetch_module._sha256_cached.__wrapped__
    monkeypatch.setattr(
        fetch_module,
        "_sha256_cached",
        fetch_module.functools.lru_cache(maxsize=8)(lambda *key: hashed.append(key) or real(*key)),
    )

    for _ in range(3):
        assert fetch(remote, progress=False).source == "cache"
    os.utime(home / "table.csv", ns=(0, 1_000_000_000))
    assert fetch(remote, progress=False).source == "cache"

    assert len(hashed) == 2


# ------------------------------------------------------- damaged archives (3)


def test_a_flipped_byte_in_a_tar_header_is_an_error_not_a_shorter_archive(server, home):
    raw = bytearray(tar_bytes(MEMBERS))
    raw[512 * 4 + 10] ^= 0xFF  # inside the name field of the third member's header
    remote = served_remote(server, "bundle.tar.gz", gzip.compress(bytes(raw), mtime=0))
    fetched = fetch(remote, progress=False)

    with pytest.raises(CorruptArchiveError, match="damaged"):
        extract(fetched)
    assert not (home / "bundle").exists()


def test_a_damaged_gzip_checksum_is_an_error(server, home):
    packed = bytearray(gzip.compress(tar_bytes(MEMBERS), mtime=0))
    packed[-6] ^= 0xFF  # the CRC-32 in the gzip trailer, which tarfile never reads
    fetched = fetch(served_remote(server, "bundle.tar.gz", bytes(packed)), progress=False)

    with pytest.raises(CorruptArchiveError, match="CRC"):
        extract(fetched)
    assert not (home / "bundle").exists()


def test_a_damaged_zip_member_is_an_error(server, home):
    raw = bytearray(make_zip({"bundle/a.txt": b"a" * 1000}))
    offset = raw.index(b"a" * 100)
    raw[offset] ^= 0x01
    fetched = fetch(served_remote(server, "bundle.zip", bytes(raw)), progress=False)

    with pytest.raises(CorruptArchiveError):
        extract(fetched)
    assert not (home / "bundle").exists()


# ---------------------------------------------------------------- limits (10)


def deflated_zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_an_archive_that_unpacks_far_beyond_its_size_is_refused(server, home):
    bomb = deflated_zip({"bundle/zeros.bin": bytes(20_000_000)})  # 20 MB of zeros in about 20 kB
    fetched = fetch(served_remote(server, "bomb.zip", bomb), progress=False)

    with pytest.raises(CorruptArchiveError, match="20,000,000 bytes"):
        extract(fetched)
    assert not (home / "bomb").exists()


def test_an_archive_with_too_many_members_is_refused(server, home):
    many = make_zip({f"bundle/{index}.txt": b"" for index in range(3_000)})
    fetched = fetch(served_remote(server, "many.zip", many), progress=False)

    with pytest.raises(CorruptArchiveError, match="3,000 members"):
        extract(fetched, max_members=1_000)
    assert not (home / "many").exists()


def test_explicit_limits_can_allow_a_large_archive(server, home):
    big = deflated_zip({"bundle/zeros.bin": bytes(20_000_000)})
    fetched = fetch(served_remote(server, "big.zip", big), progress=False)

    folder = extract(fetched, max_bytes=30_000_000)

    assert (folder / "bundle" / "zeros.bin").stat().st_size == 20_000_000


# ---------------------------------------------------------------- mirrors (5)


def test_a_bad_copy_in_the_first_mirror_does_not_hide_a_good_one_in_the_second(
    server, home, tmp_path, monkeypatch
):
    bad, good = tmp_path / "bad", tmp_path / "good"
    bad.mkdir()
    good.mkdir()
    (bad / "table.csv").write_bytes(b"something else")
    (good / "table.csv").write_bytes(CONTENT)
    monkeypatch.setenv("COURSE_DATA_MIRROR", os.pathsep.join([str(bad), str(good)]))
    remote = served_remote(server, "table.csv", CONTENT)

    with pytest.warns(UserWarning, match=str(bad / "table.csv")):
        fetched = fetch(remote, progress=False)

    assert fetched.path == good / "table.csv" and fetched.source == "mirror"
    assert (bad / "table.csv").read_bytes() == b"something else"


def test_a_bad_mirror_copy_does_not_stop_a_download(server, home, mirror):
    remote = served_remote(server, "table.csv", CONTENT)
    (mirror / "table.csv").write_bytes(CONTENT.replace(b"1", b"2"))

    with pytest.warns(UserWarning, match="skipped"):
        fetched = fetch(remote, progress=False)

    assert fetched.source == "download" and fetched.path.read_bytes() == CONTENT
    assert (mirror / "table.csv").read_bytes() == CONTENT.replace(b"1", b"2")


def test_when_nothing_else_works_the_bad_mirror_copy_is_named_in_the_error(server, home, mirror):
    remote = served_remote(server, "table.csv", CONTENT)
    (mirror / "table.csv").write_bytes(b"wrong")
    server.default_mode = "404"

    with pytest.warns(UserWarning), pytest.raises(ChecksumError) as raised:
        fetch(remote, progress=False)

    assert str(mirror / "table.csv") in str(raised.value)


# ------------------------------- members the course cannot write: an archive's fault


@pytest.mark.parametrize("kind", ["tar.gz", "zip"])
@pytest.mark.parametrize(
    ("member", "problem"),
    [
        (MARKER_FILENAME, "has the name of the course's record of an extraction"),
        (f"{MARKER_FILENAME}/inside.txt", "has the name of the course's record of an extraction"),
        ("bundle/" + "x" * 300 + ".txt", "has a name part of 304 bytes, more than the 255"),
    ],
    ids=["marker", "marker-folder", "300-characters"],
)
def test_a_member_the_course_cannot_write_is_the_archive_fault_not_the_folder(
    server, home, kind, member, problem
):
    members = {"bundle/a.txt": b"alpha", member: b"x" * 10}
    archive = make_tar_gz(members) if kind == "tar.gz" else make_zip(members)
    fetched = fetch(served_remote(server, f"bundle.{kind}", archive), progress=False)

    with pytest.raises(CorruptArchiveError) as raised:
        extract(fetched, data_home=home)

    message = str(raised.value)
    assert problem in message and f"bundle.{kind}" in message
    assert "COURSE_DATA_HOME" not in message and "data folder" not in message
    assert not (home / "bundle").exists() and leftovers(home) == []
