"""Several processes sharing one cache, and processes killed half-way.

Each test forks small worker processes that fetch and extract a small archive
from a local HTTP server (127.0.0.1) or a mirror folder, all released at once
by a barrier. No test reaches the internet.
"""

from __future__ import annotations

import hashlib
import importlib
import multiprocessing
import os
import signal
import time
from pathlib import Path

import pytest
import test_data_fetch as shared
from test_data_fetch import make_tar_gz, served_remote

from course.data import RemoteFile, extract, fetch

fetch_module = importlib.import_module("course.data.fetch")
# The fixtures of test_data_fetch (a local HTTP server, an isolated data home, a mirror).
server, home, mirror = shared.server, shared.home, shared.mirror
FORK = multiprocessing.get_context("fork")
WORKERS = 4
MEMBERS = {
    f"bundle/{split}/{index:03d}.txt": f"{split} review {index}\n".encode() * 20
    for split in ("train", "test")
    for index in range(150)
}


def folder_digest(folder: Path) -> tuple[int, str]:
    """How many data files a folder holds, and one hash over their names and bytes."""
    digest = hashlib.sha256()
    files = sorted(path for path in folder.rglob("*.txt") if path.is_file())
    for path in files:
        digest.update(str(path.relative_to(folder)).encode() + b"\0" + path.read_bytes())
    return len(files), digest.hexdigest()


def load_worker(remote: RemoteFile, barrier, results, unpack_log: str) -> None:
    """Fetch, extract and read ``remote`` in a fresh process; report what it saw."""
    real_unpack = fetch_module._unpack

    def counting_unpack(*args, **kwargs):
        with open(unpack_log, "a", encoding="utf-8") as log:
            log.write(f"{os.getpid()}\n")
        return real_unpack(*args, **kwargs)

    fetch_module._unpack = counting_unpack
    try:
        barrier.wait(timeout=10)
        folder = extract(fetch(remote, progress=False))
        results.put(("ok", *folder_digest(folder)))
    except BaseException as error:  # report every failure to the parent
        results.put(("error", f"{type(error).__name__}: {error}", ""))


def run_workers(
    remote: RemoteFile, log: Path, count: int = WORKERS
) -> list[tuple[str, object, str]]:
    barrier, results = FORK.Barrier(count), FORK.Queue()
    workers = [
        FORK.Process(target=load_worker, args=(remote, barrier, results, str(log)))
        for _ in range(count)
    ]
    for worker in workers:
        worker.start()
    outcomes = [results.get(timeout=60) for _ in workers]
    for worker in workers:
        worker.join(timeout=30)
    return outcomes


def test_processes_sharing_an_empty_cache_download_and_extract_once(server, home, tmp_path):
    archive = make_tar_gz(MEMBERS)
    remote = served_remote(server, "bundle.tar.gz", archive)
    server.default_mode = "delay"  # every worker's request is in flight before any answer
    log = tmp_path / "unpacked.log"

    outcomes = run_workers(remote, log)

    assert [outcome[0] for outcome in outcomes] == ["ok"] * WORKERS, outcomes
    assert {outcome[1:] for outcome in outcomes} == {(len(MEMBERS), outcomes[0][2])}
    assert len(server.requests) == 1
    assert len(log.read_text().split()) == 1
    assert sorted(path.name for path in home.iterdir() if path.name != ".locks") == [
        "bundle",
        "bundle.tar.gz",
    ]


def test_processes_sharing_an_empty_cache_extract_a_mirror_archive_once(
    server, home, mirror, tmp_path
):
    archive = make_tar_gz(MEMBERS)
    remote = served_remote(server, "bundle.tar.gz", archive)
    (mirror / "bundle.tar.gz").write_bytes(archive)
    log = tmp_path / "unpacked.log"

    outcomes = run_workers(remote, log)

    assert [outcome[0] for outcome in outcomes] == ["ok"] * WORKERS, outcomes
    assert {outcome[1:] for outcome in outcomes} == {(len(MEMBERS), outcomes[0][2])}
    assert server.requests == []
    assert len(log.read_text().split()) == 1


def test_a_stale_extraction_is_replaced_once_while_others_wait(server, home, tmp_path):
    archive = make_tar_gz(MEMBERS)
    remote = served_remote(server, "bundle.tar.gz", archive)
    stale = home / "bundle"
    (stale / "bundle").mkdir(parents=True)
    (stale / "bundle" / "old.txt").write_text("old")
    (stale / fetch_module.MARKER_FILENAME).write_text('{"sha256": "an older archive"}')
    log = tmp_path / "unpacked.log"

    outcomes = run_workers(remote, log)

    assert [outcome[0] for outcome in outcomes] == ["ok"] * WORKERS, outcomes
    assert {outcome[1] for outcome in outcomes} == {len(MEMBERS)}
    assert len(log.read_text().split()) == 1
    assert not (home / "bundle" / "bundle" / "old.txt").exists()


# ------------------------------------------------------------ killed processes


def stale_names(home: Path) -> list[str]:
    return sorted(
        path.name for path in home.iterdir() if path.name.endswith((".part", ".extracting"))
    )


def fetch_forever(remote: RemoteFile) -> None:
    fetch(remote, progress=False, retries=0, timeout=30)


def extract_then_die(remote: RemoteFile) -> None:
    real_unpack = fetch_module._unpack

    def unpack_and_die(archive_path, destination, *args, **kwargs):
        real_unpack(archive_path, destination, *args, **kwargs)
        os.kill(os.getpid(), signal.SIGKILL)

    fetch_module._unpack = unpack_and_die
    extract(fetch(remote, progress=False))


def wait_for(condition, seconds: float = 20.0) -> None:
    """Poll until ``condition()`` holds; fail (not hang) after ``seconds``."""
    end = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > end:
            pytest.fail("the worker never reached the point where it is killed")
        time.sleep(0.02)


def test_a_download_killed_half_way_leaves_a_part_file_that_the_next_fetch_removes(server, home):
    remote = served_remote(server, "table.csv", os.urandom(5_000))
    server.modes = ["hang"]
    worker = FORK.Process(target=fetch_forever, args=(remote,))
    worker.start()
    wait_for(lambda: stale_names(home) != [])
    os.kill(worker.pid, signal.SIGKILL)
    worker.join()
    assert stale_names(home) != []  # the kill left its .part behind

    fetched = fetch(remote, progress=False)

    assert fetched.source == "download"
    assert stale_names(home) == []


def test_an_extraction_killed_half_way_is_cleaned_and_redone(server, home):
    archive = make_tar_gz(MEMBERS)
    remote = served_remote(server, "bundle.tar.gz", archive)
    worker = FORK.Process(target=extract_then_die, args=(remote,))
    worker.start()
    worker.join(timeout=30)
    assert worker.exitcode == -signal.SIGKILL
    assert stale_names(home) != []  # the kill left its .extracting folder behind

    folder = extract(fetch(remote, progress=False))

    assert folder_digest(folder)[0] == len(MEMBERS)
    assert stale_names(home) == []


def test_temporary_files_of_a_live_process_are_left_alone(server, home):
    remote = served_remote(server, "table.csv", b"x" * 100)
    busy = home / f".table.csv.{os.getppid()}.abcd1234.part"  # its owner is alive
    busy.write_bytes(b"partial")
    os.utime(busy, (time.time() + 3600, time.time() + 3600))  # and newer than this process

    fetch(remote, progress=False)

    assert busy.exists()
