"""Loaders check their arguments, and the content of what they read, before returning it.

Small files in the real formats stand in for the datasets; the values a loader
expects (row counts, lengths, checksums of arrays) are set to fit them.
"""

from __future__ import annotations

import dataclasses
import hashlib
import importlib
import io
import tarfile
import warnings
import zipfile
from pathlib import Path

import numpy as np
import pytest

from course.data import (
    CorruptArchiveError,
    DataError,
    DataUnavailableError,
    MirrorVariant,
    UnverifiedFileWarning,
    load_airline_passengers,
    load_cifar10,
    load_conll2003,
    load_glove,
    load_imdb,
    load_jena_climate,
    load_mnist,
    load_nietzsche,
    load_shakespeare,
    load_spa_eng,
    load_text8,
    load_ud_english_ewt,
)
from course.data.fetch import SkippedCopyWarning

loaders = importlib.import_module("course.data.loaders")

ALL_LOADERS = [
    load_airline_passengers,
    load_cifar10,
    load_conll2003,
    load_glove,
    load_imdb,
    load_jena_climate,
    load_mnist,
    load_nietzsche,
    load_shakespeare,
    load_spa_eng,
    load_text8,
    load_ud_english_ewt,
]
by_name = pytest.mark.parametrize("loader", ALL_LOADERS, ids=lambda loader: loader.__name__)


def zip_bytes(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def tar_gz_bytes(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


@pytest.fixture
def mirror(isolated_data_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Serve a small file from a mirror, as a dataset's canonical file or as a variant of it."""
    folder = tmp_path / "mirror"
    folder.mkdir()
    monkeypatch.setenv("COURSE_DATA_MIRROR", str(folder))

    def register(constant: str, content: bytes, *, variant: str | None = None) -> Path:
        remote = getattr(loaders, constant)
        sha = hashlib.sha256(content).hexdigest()
        if variant is None:
            path = folder / remote.filename
            small = dataclasses.replace(remote, sha256=sha, size=len(content))
        else:
            path = folder / variant
            copy = MirrorVariant(variant, sha, len(content), "This copy is a small test file.")
            small = dataclasses.replace(remote, variants=(copy,))
        path.write_bytes(content)
        monkeypatch.setattr(loaders, constant, small)
        return path

    return register


@pytest.fixture
def expect(monkeypatch: pytest.MonkeyPatch):
    """Set what the loaders expect a dataset to hold, to fit a small file."""

    def set_expected(**values: object) -> None:
        for name, value in values.items():
            if not hasattr(loaders, name):
                raise AttributeError(f"course.data.loaders has no {name}")
            monkeypatch.setattr(loaders, name, value)

    return set_expected


# ------------------------------------------------------------------ arguments


@by_name
@pytest.mark.parametrize("value", ["no", "yes", 0, 1, "False"])
def test_allow_standin_takes_only_true_false_or_none(isolated_data_home, loader, value):
    with pytest.raises(
        TypeError, match=rf"^allow_standin must be True, False or None, not {value!r}\.$"
    ):
        loader(allow_standin=value)


@by_name
def test_data_home_must_be_a_path(isolated_data_home, loader):
    with pytest.raises(
        TypeError, match=r"^data_home must be a path \(str or os.PathLike\) or None, not 3\.$"
    ):
        loader(data_home=3)


@pytest.mark.parametrize(
    ("dimension", "error", "message"),
    [
        (
            "100",
            TypeError,
            "dimension must be one of the ints 50, 100, 200, 300, not the str '100'.",
        ),
        (
            100.0,
            TypeError,
            "dimension must be one of the ints 50, 100, 200, 300, not the float 100.0.",
        ),
        (
            True,
            TypeError,
            "dimension must be one of the ints 50, 100, 200, 300, not the bool True.",
        ),
        (64, ValueError, "GloVe 6B comes in 50, 100, 200, 300 dimensions, not 64."),
    ],
)
def test_glove_dimension_is_checked(isolated_data_home, dimension, error, message):
    with pytest.raises(error) as raised:
        load_glove(dimension)
    assert str(raised.value) == message


@pytest.mark.parametrize("loader", [load_glove, load_text8], ids=lambda loader: loader.__name__)
@pytest.mark.parametrize(
    ("max_words", "error"),
    [(0, ValueError), (-5, ValueError), (2.5, TypeError), ("10", TypeError), (True, TypeError)],
)
def test_max_words_is_a_positive_int_or_none(isolated_data_home, loader, max_words, error):
    with pytest.raises(error) as raised:
        loader(max_words=max_words)
    assert str(raised.value) == f"max_words must be a positive int or None, not {max_words!r}."


@pytest.mark.parametrize(
    ("keywords", "error", "message"),
    [
        (
            {"validation_fraction": 1.0},
            ValueError,
            "validation_fraction must be a number in [0, 1), not 1.0.",
        ),
        (
            {"validation_fraction": -0.1},
            ValueError,
            "validation_fraction must be a number in [0, 1), not -0.1.",
        ),
        (
            {"validation_fraction": "0.2"},
            TypeError,
            "validation_fraction must be a number in [0, 1), not '0.2'.",
        ),
        ({"seed": "7"}, TypeError, "seed must be an int, not '7'."),
        ({"seed": -1}, ValueError, "seed must be zero or positive, not -1."),
    ],
)
def test_imdb_arguments_are_checked(isolated_data_home, keywords, error, message):
    with pytest.raises(error) as raised:
        load_imdb(**keywords)
    assert str(raised.value) == message


@by_name
def test_an_unknown_profile_is_the_same_clear_error_from_every_loader(
    isolated_data_home, monkeypatch, loader
):
    monkeypatch.setenv("COURSE_PROFILE", "turbo")

    with pytest.raises(ValueError, match="Unknown run profile 'turbo'. Set COURSE_PROFILE to one"):
        loader()
    assert list(isolated_data_home.iterdir()) == []  # nothing was fetched


def test_an_explicit_allow_standin_does_not_consult_the_profile(isolated_data_home, monkeypatch):
    monkeypatch.setenv("COURSE_PROFILE", "turbo")

    with pytest.raises(DataUnavailableError, match="no stand-in exists"):
        load_nietzsche(allow_standin=True)


def test_arguments_are_checked_before_anything_is_fetched(isolated_data_home):
    with pytest.raises(TypeError):  # not DataUnavailableError: the bad argument is named first
        load_text8(max_words="all", allow_standin=False)
    assert list(isolated_data_home.iterdir()) == []


# ---------------------------------------- what a file holds, and a bad cached copy


CAPTIVE_PORTAL = b"<!DOCTYPE html><html><body>Please sign in to the hotel Wi-Fi</body></html>\n"


@pytest.mark.parametrize(
    ("loader", "filename"),
    [
        (load_nietzsche, "nietzsche.txt"),
        (load_airline_passengers, "airline-passengers.csv"),
    ],
    ids=["nietzsche", "airline"],
)
def test_a_captive_portal_page_in_the_cache_is_refused_and_set_aside(
    isolated_data_home, loader, filename
):
    cached = isolated_data_home / filename
    cached.write_bytes(CAPTIVE_PORTAL)

    with pytest.warns(UnverifiedFileWarning), pytest.raises(CorruptArchiveError) as raised:
        loader()

    assert isinstance(raised.value, DataError) and "does not hold" in str(raised.value)
    assert f"set aside as {filename}.set-aside-" in str(raised.value)
    assert not cached.exists()  # out of the way of the next fetch, but not deleted:
    [aside] = isolated_data_home.glob(f"{filename}.set-aside-*")
    assert aside.read_bytes() == CAPTIVE_PORTAL


def test_a_warning_of_the_fetcher_reaches_the_user_when_the_load_then_fails(isolated_data_home):
    (isolated_data_home / "mnist.npz").write_bytes(b"a file of the wrong size")

    with (
        pytest.warns(SkippedCopyWarning, match=r"mnist\.npz"),
        pytest.raises(DataUnavailableError, match="could not be had"),
    ):
        load_mnist(allow_standin=False)


def test_a_cut_off_nietzsche_is_refused(isolated_data_home, expect):
    expect(NIETZSCHE_PREFIX="preface", NIETZSCHE_CHARACTERS=40)
    (isolated_data_home / "nietzsche.txt").write_text(
        "PREFACE\n\n\nSupposing that Truth is a", encoding="utf-8"
    )

    with (
        pytest.warns(UnverifiedFileWarning),
        pytest.raises(CorruptArchiveError, match="40 characters expected, 35 found"),
    ):
        load_nietzsche()


def test_an_unverified_cached_file_warns_on_every_load(isolated_data_home, expect):
    expect(NIETZSCHE_PREFIX="preface", NIETZSCHE_CHARACTERS=12)
    (isolated_data_home / "nietzsche.txt").write_text("PREFACE\n\nOne", encoding="utf-8")

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("default")  # the filter a notebook runs with: once per place
        for _ in range(3):
            assert load_nietzsche().text == "preface\n\none"

    unverified = [
        warning for warning in caught if issubclass(warning.category, UnverifiedFileWarning)
    ]
    assert len(unverified) == 3
    assert "no recorded sha256" in str(unverified[0].message)


def test_a_file_with_a_checksum_does_not_warn(mirror, expect):
    expect(SHAKESPEARE_CHARACTERS=22, SHAKESPEARE_PREFIX="First Citizen:")
    mirror("SHAKESPEARE", b"First Citizen:\nSpeak.\n")

    with warnings.catch_warnings():
        warnings.simplefilter("error", UnverifiedFileWarning)
        assert load_shakespeare().text == "First Citizen:\nSpeak.\n"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"First Citizen:\nSpeak, speak.\n", "22 characters expected, 29 found"),
        (b"<html>Not Shakespeare</html>\n", "should start 'First Citizen:'"),
    ],
)
def test_shakespeare_content_is_checked(mirror, expect, content, message):
    expect(SHAKESPEARE_CHARACTERS=22, SHAKESPEARE_PREFIX="First Citizen:")
    path = mirror("SHAKESPEARE", content)

    with pytest.raises(CorruptArchiveError, match=message):
        load_shakespeare()
    assert path.exists()  # a mirror copy is never deleted


def test_text8_content_is_checked(mirror, expect):
    expect(TEXT8_CHARACTERS=41)
    mirror("TEXT8", zip_bytes({"text8": b" anarchism originated as a term of abuse"}))

    with pytest.raises(CorruptArchiveError, match="41 characters expected, 40 found"):
        load_text8()


def test_spa_eng_pair_count_is_checked(mirror, expect):
    expect(SPA_ENG_PAIRS=3)
    mirror("SPA_ENG", zip_bytes({"spa-eng/spa.txt": b"Go.\tVe.\nGo.\tVete.\n"}))

    with pytest.raises(CorruptArchiveError, match="3 sentence pairs expected, 2 found"):
        load_spa_eng()


def test_spa_eng_from_a_dated_variant(mirror, expect):
    expect(SPA_ENG_PAIRS=2)
    mirror(
        "SPA_ENG",
        zip_bytes({"spa-eng/spa.txt": b"Go.\tVe.\nGo.\tVete.\n"}),
        variant="spa-eng-x.zip",
    )

    spa_eng = load_spa_eng(allow_standin=False)

    assert (
        spa_eng.source == "mirror"
        and not spa_eng.is_standin
        and "small test file" in spa_eng.notice
    )


def test_airline_months_must_run_without_gaps(mirror, expect):
    expect(AIRLINE_MONTHS=2, AIRLINE_FIRST_AND_LAST=(112, 118))
    mirror("AIRLINE_PASSENGERS", b"month,passengers\n1949-01,112\n1949-03,118\n")

    with pytest.raises(CorruptArchiveError, match="months should run from 1949-01"):
        load_airline_passengers()


def test_jena_columns_are_checked(mirror, expect):
    expect(JENA_ROWS=1)
    mirror(
        "JENA_CLIMATE",
        zip_bytes(
            {"jena_climate_2009_2016.csv": b'"Date Time","T (degC)"\n01.01.2009 00:10:00,-8.02\n'}
        ),
    )

    with pytest.raises(CorruptArchiveError, match="columns .* expected"):
        load_jena_climate(allow_standin=False)


def imdb_archive(per_class: dict[tuple[str, str], int]) -> bytes:
    members = {"aclImdb/README": b"Large Movie Review Dataset v1.0"}
    for (split, label), count in per_class.items():
        rating = 9 if label == "pos" else 2
        for number in range(count):
            members[f"aclImdb/{split}/{label}/{number}_{rating}.txt"] = (
                f"A {label} review {number}.".encode()
            )
    return tar_gz_bytes(members)


def test_imdb_needs_every_review_per_split_and_class(mirror, expect):
    expect(IMDB_REVIEWS_PER_SPLIT_AND_CLASS=2)
    counts = {(split, label): 2 for split in ("train", "test") for label in ("neg", "pos")}
    mirror("IMDB", imdb_archive(counts))

    imdb = load_imdb(validation_fraction=0.5)
    assert len(imdb["train"]) == 2 and len(imdb["validation"]) == 2 and len(imdb["test"]) == 4


def test_imdb_with_a_review_missing_is_refused(mirror, expect):
    expect(IMDB_REVIEWS_PER_SPLIT_AND_CLASS=2)
    counts = {(split, label): 2 for split in ("train", "test") for label in ("neg", "pos")}
    counts["test", "pos"] = 1
    mirror("IMDB", imdb_archive(counts))

    with pytest.raises(CorruptArchiveError, match="2 positive test reviews expected, 1 found"):
        load_imdb()


IMDB_COUNTS = {(split, label): 2 for split in ("train", "test") for label in ("neg", "pos")}


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: b"\xff" + data[1:],  # invalid UTF-8, same size
        lambda data: data.upper(),  # other valid text, same size
    ],
    ids=["invalid-utf-8", "other-text"],
)
def test_an_extracted_review_damaged_after_a_load_is_extracted_again(
    mirror, expect, isolated_data_home, damage
):
    expect(IMDB_REVIEWS_PER_SPLIT_AND_CLASS=2)
    mirror("IMDB", imdb_archive(IMDB_COUNTS))
    first = load_imdb(validation_fraction=0.5, seed=1)
    review = isolated_data_home / "aclImdb_v1" / "aclImdb" / "test" / "pos" / "0_9.txt"
    review.write_bytes(damage(review.read_bytes()))
    loaders._read_imdb.cache_clear()  # as in a new process

    with pytest.warns(SkippedCopyWarning, match=r"0_9\.txt differs .* extracted again"):
        again = load_imdb(validation_fraction=0.5, seed=1)

    assert again["test"].equals(first["test"])
    assert review.read_bytes() == b"A pos review 0."


def test_a_review_that_is_not_utf8_in_the_archive_is_named(mirror, expect):
    expect(IMDB_REVIEWS_PER_SPLIT_AND_CLASS=2)
    members = tarfile_members(imdb_archive(IMDB_COUNTS))
    members["aclImdb/test/pos/1_9.txt"] = b"caf\xe9"
    path = mirror("IMDB", tar_gz_bytes(members))

    with pytest.raises(CorruptArchiveError) as raised:
        load_imdb()

    message = str(raised.value)
    assert "aclImdb/test/pos/1_9.txt is not UTF-8 text: byte 3 (0xe9)" in message
    assert "left untouched" in message and path.exists()


def tarfile_members(archive: bytes) -> dict[str, bytes]:
    with tarfile.open(fileobj=io.BytesIO(archive)) as opened:
        return {
            member.name: opened.extractfile(member).read()
            for member in opened.getmembers()
            if member.isfile()
        }


# -------------------------------------------------------------- image variants


def small_mnist(rng: np.random.Generator) -> dict[str, np.ndarray]:
    return {
        "x_train": rng.integers(0, 256, (6, 28, 28), dtype=np.uint8),
        "y_train": np.arange(6, dtype=np.uint8),
        "x_test": rng.integers(0, 256, (2, 28, 28), dtype=np.uint8),
        "y_test": np.arange(2, dtype=np.uint8),
    }


def npz_bytes(arrays: dict[str, np.ndarray]) -> bytes:
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)
    return buffer.getvalue()


def test_mnist_variant_arrays_are_checked_against_the_canonical_checksums(mirror, expect):
    arrays = small_mnist(np.random.default_rng(0))
    sums = {key: hashlib.sha256(array.tobytes()).hexdigest() for key, array in arrays.items()}
    expect(MNIST_EXAMPLES={"train": 6, "test": 2}, MNIST_ARRAY_SHA256=sums)
    mirror("MNIST", npz_bytes(arrays), variant="mnist-from-png.npz")

    assert load_mnist(allow_standin=False).variant.filename == "mnist-from-png.npz"


def test_mnist_variant_with_other_arrays_is_refused(mirror, expect):
    arrays = small_mnist(np.random.default_rng(0))
    sums = {key: hashlib.sha256(array.tobytes()).hexdigest() for key, array in arrays.items()}
    arrays["x_test"] = arrays["x_test"] // 2
    expect(MNIST_EXAMPLES={"train": 6, "test": 2}, MNIST_ARRAY_SHA256=sums)
    mirror("MNIST", npz_bytes(arrays), variant="mnist-from-png.npz")

    with pytest.raises(CorruptArchiveError, match="its array x_test has sha256"):
        load_mnist(allow_standin=True)  # a broken copy is never hidden by a stand-in


def test_mnist_of_the_wrong_shape_is_refused(mirror, expect):
    expect(MNIST_EXAMPLES={"train": 7, "test": 2})
    mirror("MNIST", npz_bytes(small_mnist(np.random.default_rng(0))))

    with pytest.raises(
        CorruptArchiveError, match=r"train images of shape \(7, 28, 28\) uint8 expected"
    ):
        load_mnist()


CLASS_COLOURS = np.random.default_rng(5).integers(30, 225, size=(10, 3))


def jpeg_zip(per_class: dict[str, int], size: int = 32) -> bytes:
    from PIL import Image

    members = {}
    for split, count in per_class.items():
        for label, name in enumerate(loaders.CIFAR10_CLASS_NAMES):
            for number in range(count):
                image = Image.new(
                    "RGB", (size, size), tuple(int(value) for value in CLASS_COLOURS[label])
                )
                buffer = io.BytesIO()
                image.save(buffer, format="JPEG", quality=75)
                members[f"{split}/{name}/{number:04d}.jpg"] = buffer.getvalue()
    return zip_bytes(members)


def test_cifar10_from_a_jpeg_variant(mirror, expect, isolated_data_home):
    expect(CIFAR10_EXAMPLES_PER_CLASS={"train": 3, "test": 1})
    mirror("CIFAR10", jpeg_zip({"train": 3, "test": 1}), variant="cifar-10-jpeg.zip")

    cifar = load_cifar10(allow_standin=False)

    (x_train, y_train), (x_test, y_test) = cifar["train"], cifar["test"]
    assert x_train.shape == (30, 32, 32, 3) and x_test.shape == (10, 32, 32, 3)
    assert x_train.dtype == np.uint8 and np.bincount(y_train).tolist() == [3] * 10
    assert sorted(y_test.tolist()) == list(range(10))
    centres = x_train[:, 16, 16].astype(int)  # JPEG: close to, not exactly, the colours drawn
    assert np.abs(centres - CLASS_COLOURS[y_train]).max() <= 6
    assert cifar.variant.filename == "cifar-10-jpeg.zip" and "small test file" in cifar.notice
    assert len(list(isolated_data_home.glob("cifar-10-jpeg.*.npz"))) == 1

    again = load_cifar10(allow_standin=False)  # from the decoded arrays in the cache
    np.testing.assert_array_equal(again["train"][0], x_train)


def test_cifar10_jpeg_variant_with_a_class_short_is_refused(mirror, expect):
    expect(CIFAR10_EXAMPLES_PER_CLASS={"train": 4, "test": 1})
    mirror("CIFAR10", jpeg_zip({"train": 3, "test": 1}), variant="cifar-10-jpeg.zip")

    with pytest.raises(CorruptArchiveError, match=r"4 train images per class expected, \[3, 3,"):
        load_cifar10(allow_standin=False)


def test_cifar10_jpeg_variant_of_the_wrong_size_is_refused(mirror, expect):
    expect(CIFAR10_EXAMPLES_PER_CLASS={"train": 1, "test": 1})
    mirror("CIFAR10", jpeg_zip({"train": 1, "test": 1}, size=16), variant="cifar-10-jpeg.zip")

    with pytest.raises(CorruptArchiveError, match="is 16×16, not 32×32"):
        load_cifar10(allow_standin=False)


# ---------------------------------------------------------------- tagged text

CONLLU = """# sent_id = 1
# text = Don't go.
1-2\tDon't\t_\t_\t_\t_\t_\t_\t_\t_
1\tDo\tdo\tAUX\tVBP\t_\t3\taux\t_\t_
2\tn't\tnot\tPART\tRB\t_\t3\tadvmod\t_\t_
3\tgo\tgo\tVERB\tVB\t_\t0\troot\t_\t_
3.1\tgone\tgo\tVERB\tVBN\t_\t_\t_\t3:conj\t_
4\t.\t.\tPUNCT\t.\t_\t3\tpunct\t_\t_

# sent_id = 2
1\tHi\thi\tINTJ\tUH\t_\t0\troot\t_\t_

"""


@pytest.fixture
def ewt_mirror(mirror):
    def register(text: str, *, broken_split: str | None = None) -> None:
        for split, constant in (
            ("train", "UD_EWT_TRAIN"),
            ("dev", "UD_EWT_DEV"),
            ("test", "UD_EWT_TEST"),
        ):
            content = text if split == broken_split or broken_split is None else CONLLU
            mirror(constant, content.encode())

    return register


def test_ud_english_ewt_from_small_files(ewt_mirror, expect):
    expect(UD_EWT_SENTENCES={"train": 2, "validation": 2, "test": 2})
    ewt_mirror(CONLLU)

    ewt = load_ud_english_ewt()

    tokens, tags = ewt["validation"]
    assert tokens == [["Do", "n't", "go", "."], ["Hi"]]
    assert tags == [["AUX", "PART", "VERB", "PUNCT"], ["INTJ"]]
    assert ewt.counts["test"] == (2, 5) and ewt.counts["test"].tokens == 5
    assert "| train | 2 sentences, 5 tokens |" in ewt.describe()


def test_ud_english_ewt_sentence_count_is_checked(ewt_mirror, expect):
    expect(UD_EWT_SENTENCES={"train": 2, "validation": 3, "test": 2})
    ewt_mirror(CONLLU)

    with pytest.raises(CorruptArchiveError, match="3 sentences expected, 2 found"):
        load_ud_english_ewt()


def test_ud_english_ewt_malformed_line_names_the_file_and_line(ewt_mirror, expect):
    expect(UD_EWT_SENTENCES={"train": 2, "validation": 2, "test": 2})
    ewt_mirror(CONLLU.replace("2\tn't\tnot\tPART", "2\tn't\tnot PART"), broken_split="dev")

    with pytest.raises(
        CorruptArchiveError, match=r"en_ewt-ud-dev.conllu, line 5: expected 10 tab-separated"
    ):
        load_ud_english_ewt()


def test_ud_english_ewt_unknown_tag_is_refused(ewt_mirror, expect):
    expect(UD_EWT_SENTENCES={"train": 2, "validation": 2, "test": 2})
    ewt_mirror(CONLLU.replace("INTJ", "EXCL"))

    with pytest.raises(CorruptArchiveError, match=r"tags \['EXCL'\] are not among ADJ"):
        load_ud_english_ewt()


CONLL_TRAIN = (
    "-DOCSTART- -X- -X- O\n\nEU NNP B-NP B-ORG\nrejects VBZ B-VP O\n\n"
    "Peter NNP B-NP B-PER\nBlackburn NNP I-NP I-PER\n"
)
CONLL_OTHER = "-DOCSTART- -X- -X- O\n\nBRUSSELS NNP B-NP B-LOC\n1996-08-22 CD I-NP O\n\n"


def conll_zip(names: tuple[str, str, str], train: str = CONLL_TRAIN) -> bytes:
    return zip_bytes(
        {names[0]: train.encode(), names[1]: CONLL_OTHER.encode(), names[2]: CONLL_OTHER.encode()}
    )


SMALL_CONLL_COUNTS = {"train": (2, 4), "validation": (1, 2), "test": (1, 2)}


@pytest.mark.parametrize(
    "names",
    [("eng.train", "eng.testa", "eng.testb"), ("train.txt", "valid.txt", "test.txt")],
    ids=["eng", "txt"],
)
def test_conll2003_from_either_layout(mirror, expect, names):
    expect(CONLL2003_COUNTS=SMALL_CONLL_COUNTS)
    mirror("CONLL2003", conll_zip(names))

    conll = load_conll2003()

    assert conll["train"].tokens == [["EU", "rejects"], ["Peter", "Blackburn"]]
    assert conll["train"].tags == [["B-ORG", "O"], ["B-PER", "I-PER"]]
    assert conll["validation"].tags == [["B-LOC", "O"]]
    assert conll.counts["train"] == (2, 4) and conll.tag_names[0] == "O"


def test_conll2003_iob1_tags_come_out_as_iob2(mirror, expect):
    expect(CONLL2003_COUNTS=SMALL_CONLL_COUNTS)
    mirror(
        "CONLL2003",
        conll_zip(("eng.train", "eng.testa", "eng.testb"), CONLL_TRAIN.replace("B-ORG", "I-ORG")),
    )

    assert load_conll2003()["train"].tags[0] == ["B-ORG", "O"]


def test_conll2003_token_count_is_checked(mirror, expect):
    expect(CONLL2003_COUNTS={**SMALL_CONLL_COUNTS, "train": (2, 5)})
    mirror("CONLL2003", conll_zip(("eng.train", "eng.testa", "eng.testb")))

    with pytest.raises(CorruptArchiveError, match="5 train tokens expected, 4 found"):
        load_conll2003()


def test_conll2003_malformed_line_names_the_file_and_line(mirror, expect):
    expect(CONLL2003_COUNTS=SMALL_CONLL_COUNTS)
    mirror(
        "CONLL2003",
        conll_zip(
            ("eng.train", "eng.testa", "eng.testb"), CONLL_TRAIN.replace("VBZ B-VP O", "VBZ O")
        ),
    )

    with pytest.raises(
        CorruptArchiveError, match=r"conll2003.zip:eng.train, line 4: expected 4 space-separated"
    ):
        load_conll2003()


def test_conll2003_without_its_files_is_refused(mirror, expect):
    mirror("CONLL2003", zip_bytes({"README": b"nothing here"}))

    with pytest.raises(CorruptArchiveError, match="no member eng.train or train.txt"):
        load_conll2003()


@pytest.mark.parametrize(
    "loader", [load_shakespeare, load_ud_english_ewt, load_conll2003], ids=lambda f: f.__name__
)
def test_new_datasets_have_no_standin(isolated_data_home, monkeypatch, loader):
    monkeypatch.setenv("COURSE_PROFILE", "fast")
    with pytest.raises(DataUnavailableError, match="no stand-in exists"):
        loader()
