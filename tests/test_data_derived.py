"""The decoded CIFAR-10 cache is made as safely as the archives.

A small JPEG copy in the real layout (10 classes, a few images each) is served
from a mirror folder; the loader's expected counts are set to fit it. Worker
processes are forked and released together by a barrier. Nothing is downloaded.
"""

from __future__ import annotations

import hashlib
import importlib
import io
import multiprocessing
import os
import signal
import time
import zipfile
from pathlib import Path

import numpy as np
import pytest
import test_data_fetch_errors
from test_data_validation import expect, jpeg_zip, mirror  # noqa: F401 - fixtures

from course.data import CorruptArchiveError, load_cifar10
from course.data.fetch import SkippedCopyWarning

loaders = importlib.import_module("course.data.loaders")
derived = importlib.import_module("course.data.derived")
FORK = multiprocessing.get_context("fork")
PER_CLASS = {"train": 3, "test": 1}


@pytest.fixture
def small_cifar(mirror, expect, isolated_data_home):  # noqa: F811 - the imported fixtures
    """A 40-image JPEG copy of CIFAR-10 in a mirror; the data home, where its cache goes."""
    expect(CIFAR10_EXAMPLES_PER_CLASS=PER_CLASS)
    mirror("CIFAR10", jpeg_zip(PER_CLASS), variant="cifar-10-jpeg.zip")
    return isolated_data_home


def cache_of(home: Path) -> Path:
    [cache] = home.glob("cifar-10-jpeg.*.npz")
    return cache


def temporary_files(home: Path) -> list[str]:
    return sorted(path.name for path in home.iterdir() if path.name.endswith(".part"))


def no_decoding(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(fetched):
        raise AssertionError("the JPEG copy was decoded again")

    monkeypatch.setattr(loaders, "_decode_cifar_jpeg", refuse)


def same_arrays(first, second) -> bool:
    return all(
        np.array_equal(first[split][index], second[split][index])
        for split in ("train", "test")
        for index in (0, 1)
    )


# ------------------------------------------------------ validation on use (4)


def test_the_cache_is_used_while_it_checks_out(small_cifar, monkeypatch):
    first = load_cifar10(allow_standin=False)
    no_decoding(monkeypatch)

    assert same_arrays(load_cifar10(allow_standin=False), first)


def test_a_cache_of_ten_images_is_decoded_again_and_the_archive_is_not_blamed(
    small_cifar, monkeypatch
):
    first = load_cifar10(allow_standin=False)
    cache = cache_of(small_cifar)
    rng = np.random.default_rng(0)
    np.savez(
        cache,
        x_train=rng.integers(0, 256, (10, 32, 32, 3), dtype=np.uint8),
        y_train=np.arange(10, dtype=np.uint8),
        x_test=rng.integers(0, 256, (10, 32, 32, 3), dtype=np.uint8),
        y_test=np.arange(10, dtype=np.uint8),
    )

    with pytest.warns(SkippedCopyWarning, match="decoded again .* not at fault"):
        again = load_cifar10(allow_standin=False)

    assert same_arrays(again, first)
    no_decoding(monkeypatch)  # the cache was replaced by a good one
    assert same_arrays(load_cifar10(allow_standin=False), first)


@pytest.mark.parametrize("keep_record", [False, True], ids=["no-record", "record-kept"])
def test_a_cache_of_the_right_shapes_with_zeroed_pixels_is_decoded_again(small_cifar, keep_record):
    first = load_cifar10(allow_standin=False)
    cache = cache_of(small_cifar)
    with np.load(cache) as stored:
        arrays = {name: stored[name] for name in stored.files}
    arrays["x_test"] = np.zeros_like(arrays["x_test"])
    if not keep_record:
        del arrays[derived.RECORD_KEY]
    np.savez(cache, **arrays)

    with pytest.warns(SkippedCopyWarning, match="no record|SHA-256 is not the one recorded"):
        again = load_cifar10(allow_standin=False)

    assert same_arrays(again, first) and again["test"][0].any()


def test_a_cache_larger_than_its_arrays_need_is_not_read(small_cifar, monkeypatch):
    first = load_cifar10(allow_standin=False)
    cache = cache_of(small_cifar)
    cache.write_bytes(b"\0" * (derived.SIZE_SLACK + 200_000))

    def must_not_load(*args, **kwargs):
        raise AssertionError("an oversized cache was read")

    with monkeypatch.context() as patch:
        patch.setattr(derived.np, "load", must_not_load)
        with pytest.warns(SkippedCopyWarning, match="more than the .* its arrays need"):
            again = load_cifar10(allow_standin=False)

    assert same_arrays(again, first)


# ---------------------------------------------------- what decoding may do (2)


def test_a_count_error_leaves_no_decoded_cache(mirror, expect, isolated_data_home):  # noqa: F811
    expect(CIFAR10_EXAMPLES_PER_CLASS=PER_CLASS)
    path = mirror("CIFAR10", jpeg_zip({"train": 4, "test": 1}), variant="cifar-10-jpeg.zip")

    with pytest.raises(CorruptArchiveError, match="3 train images per class expected"):
        load_cifar10(allow_standin=False)

    assert not list(isolated_data_home.glob("cifar-10-jpeg.*"))
    assert temporary_files(isolated_data_home) == [] and path.exists()


def test_a_huge_jpg_member_is_refused_before_it_is_read(mirror, expect, isolated_data_home):  # noqa: F811
    expect(CIFAR10_EXAMPLES_PER_CLASS={"train": 1, "test": 1})
    members = zipfile.ZipFile(io.BytesIO(jpeg_zip({"train": 1, "test": 1})))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name in members.namelist():
            huge = name == "train/cat/0000.jpg"  # 8 MiB of zeros, a few kB compressed
            archive.writestr(name, b"\0" * (8 << 20) if huge else members.read(name))
    mirror("CIFAR10", buffer.getvalue(), variant="cifar-10-jpeg.zip")
    read_sizes = []
    real_read = zipfile.ZipExtFile.read

    def recording_read(self, n=-1):
        read_sizes.append(n)
        return real_read(self, n)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(zipfile.ZipExtFile, "read", recording_read)
        with pytest.raises(CorruptArchiveError, match=r"train/cat/0000\.jpg is 8,388,608 bytes"):
            load_cifar10(allow_standin=False)

    assert read_sizes and max(read_sizes) <= loaders.CIFAR10_JPEG_MAX_MEMBER_BYTES + 1
    assert not list(isolated_data_home.glob("cifar-10-jpeg.*"))


# --------------------------------------------------- processes and kills (3)


def load_worker(barrier, results, log: str) -> None:
    """Load CIFAR-10 in a forked process, logging each decode; report a digest of it."""
    real_decode = loaders._decode_cifar_jpeg

    def logged_decode(fetched):
        with open(log, "a", encoding="utf-8") as handle:
            handle.write(f"{os.getpid()}\n")
        time.sleep(0.3)  # long enough for every other worker to arrive meanwhile
        return real_decode(fetched)

    loaders._decode_cifar_jpeg = logged_decode
    try:
        barrier.wait(timeout=10)
        cifar = load_cifar10(allow_standin=False)
        digest = hashlib.sha256(cifar["train"][0].tobytes() + cifar["test"][1].tobytes())
        results.put(("ok", digest.hexdigest()))
    except BaseException as error:  # report every failure to the parent
        results.put(("error", f"{type(error).__name__}: {error}"))


def test_four_processes_on_an_empty_cache_decode_once(small_cifar, tmp_path):
    log = tmp_path / "decoded.log"
    barrier, results = FORK.Barrier(4), FORK.Queue()
    workers = [
        FORK.Process(target=load_worker, args=(barrier, results, str(log))) for _ in range(4)
    ]
    for worker in workers:
        worker.start()
    outcomes = [results.get(timeout=60) for _ in workers]
    for worker in workers:
        worker.join(timeout=30)

    assert [outcome[0] for outcome in outcomes] == ["ok"] * 4, outcomes
    assert len({outcome[1] for outcome in outcomes}) == 1
    assert len(log.read_text().split()) == 1
    assert temporary_files(small_cifar) == []


def save_then_die() -> None:
    real_savez = np.savez

    def savez_and_die(stream, *args, **kwargs):
        stream.write(b"PK\x03\x04 the start of an npz")
        stream.flush()
        os.kill(os.getpid(), signal.SIGKILL)
        return real_savez(stream, *args, **kwargs)

    np.savez = savez_and_die
    load_cifar10(allow_standin=False)


def test_a_save_killed_half_way_leaves_a_part_file_that_the_next_load_removes(small_cifar):
    worker = FORK.Process(target=save_then_die)
    worker.start()
    worker.join(timeout=60)
    assert worker.exitcode == -signal.SIGKILL
    [left] = temporary_files(small_cifar)
    assert left.startswith(".cifar-10-jpeg.") and f".{worker.pid}." in left

    cifar = load_cifar10(allow_standin=False)

    assert temporary_files(small_cifar) == [] and cifar["train"][0].shape == (30, 32, 32, 3)
    assert cache_of(small_cifar).is_file()


def test_temporary_files_of_older_versions_are_removed(small_cifar):
    load_cifar10(allow_standin=False)
    name = cache_of(small_cifar).name
    old, recent = small_cifar / f".{name}.k3j9x_2a.part", small_cifar / f".{name}.q8w7e6r5.part"
    for path in (old, recent):
        path.write_bytes(b"PK\x03\x04 half an npz")
    an_hour_ago = time.time() - 3600
    os.utime(old, (an_hour_ago, an_hour_ago))

    load_cifar10(allow_standin=False)

    assert not old.exists()
    assert recent.exists()  # it may belong to a run of an older version that is still going


def test_a_read_only_data_home_gets_the_arrays_without_a_cache(small_cifar, monkeypatch):
    test_data_fetch_errors.read_only(monkeypatch, small_cifar)

    with pytest.warns(SkippedCopyWarning, match="cannot be saved .* read-only"):
        cifar = load_cifar10(allow_standin=False)

    assert cifar["train"][0].shape == (30, 32, 32, 3)
    assert not list(small_cifar.glob("cifar-10-jpeg.*"))


def test_a_read_only_data_home_still_serves_a_good_cache(small_cifar, monkeypatch):
    first = load_cifar10(allow_standin=False)
    test_data_fetch_errors.read_only(monkeypatch, small_cifar)
    no_decoding(monkeypatch)

    assert same_arrays(load_cifar10(allow_standin=False), first)
