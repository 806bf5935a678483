"""The loaders, on the real offline mirror and on small files in the real formats.

The mirror is ``$COURSE_DATA_MIRROR`` or else ``../shared/data`` beside the
repository; without it the real-data tests are skipped. Downloads are switched
off throughout.
"""

from __future__ import annotations

import dataclasses
import hashlib
import importlib
import io
import os
import pickle
import tarfile
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from course.data import (
    CorruptArchiveError,
    Dataset,
    DataUnavailableError,
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
from course.data.loaders import JENA_COLUMNS, UPOS_TAG_NAMES, real_notice

loaders = importlib.import_module("course.data.loaders")
REPOSITORY = Path(__file__).resolve().parents[1]


def find_mirror() -> Path | None:
    configured = os.environ.get("COURSE_DATA_MIRROR")
    folder = (
        Path(configured.split(os.pathsep)[0])
        if configured
        else REPOSITORY.parent / "shared" / "data"
    )
    return folder if (folder / "aclImdb_v1.tar.gz").is_file() else None


MIRROR = find_mirror()
needs_mirror = pytest.mark.skipif(
    MIRROR is None,
    reason="no data mirror: set COURSE_DATA_MIRROR or provide ../shared/data beside the checkout",
)


@pytest.fixture(scope="session")
def real_data_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One data home for all real-mirror tests, so IMDB is extracted once."""
    return tmp_path_factory.mktemp("real_data_home")


@pytest.fixture
def real_data(real_data_home: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("COURSE_DATA_HOME", str(real_data_home))
    monkeypatch.setenv("COURSE_DATA_MIRROR", str(MIRROR))
    monkeypatch.setenv("COURSE_DATA_OFFLINE", "1")
    return real_data_home


# ------------------------------------------------------------ the real mirror


@needs_mirror
def test_imdb_splits_sizes_and_balance(real_data):
    imdb = load_imdb(validation_fraction=0.2, seed=1337, allow_standin=False)

    train, validation, test = imdb["train"], imdb["validation"], imdb["test"]
    assert imdb.source == "mirror" and not imdb.is_standin
    assert len(test) == 25_000 and test["label"].value_counts().to_dict() == {0: 12_500, 1: 12_500}
    assert len(train) + len(validation) == 25_000 and len(validation) == 5_000
    assert validation["label"].value_counts().to_dict() == {0: 2_500, 1: 2_500}
    assert list(train.columns) == ["text", "label", "rating", "review_id"]
    assert train["label"].dtype == np.int64 and train["rating"].dtype == np.int64
    assert set(train["rating"]) <= set(range(1, 11))
    assert (train.loc[train["label"] == 1, "rating"] >= 7).all()
    assert (train.loc[train["label"] == 0, "rating"] <= 4).all()
    assert isinstance(train["text"].iloc[0], str) and len(train["text"].iloc[0]) > 10
    keys = pd.concat([train, validation])[["label", "review_id"]]
    assert not keys.duplicated().any()


@needs_mirror
def test_imdb_is_deterministic_and_seeded(real_data):
    first = load_imdb(seed=7)
    second = load_imdb(seed=7)
    other = load_imdb(seed=8)

    pd.testing.assert_frame_equal(first["validation"], second["validation"])
    pd.testing.assert_frame_equal(first["test"], second["test"])
    assert not first["validation"]["review_id"].equals(other["validation"]["review_id"])
    assert first["train"]["label"].head(200).nunique() == 2  # shuffled, not sorted by label


@needs_mirror
def test_imdb_validation_fraction(real_data):
    assert len(load_imdb(validation_fraction=0.1)["validation"]) == 2_500
    assert len(load_imdb(validation_fraction=0)["validation"]) == 0
    with pytest.raises(ValueError, match="validation_fraction"):
        load_imdb(validation_fraction=1.0)


@needs_mirror
def test_imdb_notice_names_the_mirror_difference_and_the_citation(real_data):
    imdb = load_imdb()

    assert "train/unsup" in imdb.notice and "Maas" in imdb.notice
    assert "mirror" in imdb.notice
    markdown = imdb._repr_markdown_()
    assert markdown.startswith("**Large Movie Review Dataset (IMDB)** (from the mirror)")
    assert "| validation | 5,000 rows × 4 columns |" in markdown


@needs_mirror
def test_airline_passengers(real_data):
    airline = load_airline_passengers()
    data = airline["data"]

    assert data.shape == (144, 2) and list(data.columns) == ["month", "passengers"]
    assert (
        pd.api.types.is_datetime64_any_dtype(data["month"])
        and data["passengers"].dtype == np.int64
    )
    assert (
        data["month"].iloc[0] == pd.Timestamp("1949-01-01") and data["passengers"].iloc[0] == 112
    )
    assert (
        data["month"].iloc[-1] == pd.Timestamp("1960-12-01") and data["passengers"].iloc[-1] == 432
    )
    assert "month, passengers" in airline.notice


@needs_mirror
def test_nietzsche_is_lower_case_and_repaired(real_data):
    nietzsche = load_nietzsche()

    # The mirror file has 600,902 bytes; 8 accented letters take two bytes each.
    assert (MIRROR / "nietzsche.txt").stat().st_size == 600_902
    assert len(nietzsche.text) == 600_894 and nietzsche["text"] is nietzsche.text
    assert nietzsche.text == nietzsche.text.lower()
    assert "werthschätzung" in nietzsche.text and "\u00e3" not in nietzsche.text
    assert nietzsche.text.startswith("preface")
    assert "lower-cased" in nietzsche.notice


@needs_mirror
def test_glove_from_the_truncated_mirror_copy(real_data):
    glove = load_glove(100)

    assert len(glove.words) == 2_604 and glove.vectors.shape == (2_604, 100)
    assert glove.vectors.dtype == np.float32 and glove.words[0] == "the"
    assert "2,604" in glove.notice and "Pennington" in glove.notice
    assert "| words | 2,604 items |" in glove.describe()
    assert "| vectors | array of shape (2604, 100) |" in glove.describe()


@needs_mirror
def test_glove_in_another_dimension_is_not_served_by_a_mirror_copy_of_one_member(real_data):
    with pytest.raises(DataUnavailableError, match="no stand-in"):
        load_glove(200)
    with pytest.raises(ValueError, match="50, 100, 200, 300 dimensions, not 64"):
        load_glove(64)


@needs_mirror
def test_mnist_from_the_rebuilt_mirror_copy(real_data):
    mnist = load_mnist(allow_standin=False)

    (x_train, y_train), (x_test, y_test) = mnist["train"], mnist["test"]
    assert mnist.source == "mirror" and mnist.variant.filename == "mnist-from-png.npz"
    assert x_train.shape == (60_000, 28, 28) and x_test.shape == (10_000, 28, 28)
    assert x_train.dtype == np.uint8 and y_train.dtype == np.uint8
    assert round(float(x_train.mean()) / 255, 6) == 0.130660  # the README's pixel means
    assert round(float(x_test.mean()) / 255, 6) == 0.132515
    assert np.bincount(y_test).tolist()[:2] == [980, 1135]  # MNIST's test class counts
    assert "mnist_png" in mnist.notice and "LeCun" in mnist.notice


@pytest.fixture(scope="session")
def real_cifar10(real_data_home: Path) -> Dataset:
    """The JPEG copy decoded once (60,000 images) for every test that needs it."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("COURSE_DATA_HOME", str(real_data_home))
        patch.setenv("COURSE_DATA_MIRROR", str(MIRROR))
        patch.setenv("COURSE_DATA_OFFLINE", "1")
        return load_cifar10(allow_standin=False)


@needs_mirror
def test_cifar10_from_the_jpeg_mirror_copy(real_cifar10, real_data):
    (x_train, y_train), (x_test, y_test) = real_cifar10["train"], real_cifar10["test"]

    assert real_cifar10.source == "mirror" and real_cifar10.variant.filename == "cifar-10-jpeg.zip"
    assert x_train.shape == (50_000, 32, 32, 3) and x_test.shape == (10_000, 32, 32, 3)
    assert (
        np.bincount(y_train).tolist() == [5_000] * 10
        and np.bincount(y_test).tolist() == [1_000] * 10
    )
    assert len(set(y_train[:50].tolist())) > 5  # shuffled, not sorted by class
    # canonical CIFAR-10 training means per channel: 125.3, 123.0, 113.9 (within 0.04 of 255)
    means = x_train.reshape(-1, 3).mean(axis=0) / 255
    np.testing.assert_allclose(means, [0.4914, 0.4822, 0.4465], atol=0.04)
    assert "JPEG" in real_cifar10.notice and "lossy" in real_cifar10.notice
    assert "JPEG" in real_cifar10.describe()


@needs_mirror
def test_cifar10_jpeg_copy_is_decoded_once_and_cached(real_cifar10, real_data, monkeypatch):
    cached = list(real_data.glob("cifar-10-jpeg.*.npz"))
    assert len(cached) == 1 and not list(real_data.glob(".cifar-10-jpeg*"))  # no temporary left

    def no_decoding(fetched):
        raise AssertionError("the JPEG copy was decoded again")

    monkeypatch.setattr(loaders, "_decode_cifar_jpeg", no_decoding)
    again = load_cifar10(allow_standin=False)
    np.testing.assert_array_equal(again["test"][1], real_cifar10["test"][1])


@needs_mirror
def test_glove_50d_complete_from_the_gzip_mirror_copy(real_data):
    glove = load_glove(50)

    assert len(glove.words) == 400_000 and glove.vectors.shape == (400_000, 50)
    assert glove.words[:3] == ["the", ",", "."] and glove.dimension == 50
    assert glove.vectors.dtype == np.float32
    assert "glove.6B.50d.txt.gz" in glove.notice and "400,000" in glove.notice


@needs_mirror
def test_glove_reads_only_the_first_words(real_data):
    glove = load_glove(50, max_words=1_000)
    first_100d = load_glove(100, max_words=10)

    assert glove.vectors.shape == (1_000, 50) and glove.words[0] == "the"
    assert first_100d.vectors.shape == (10, 100) and first_100d.words[0] == "the"


@needs_mirror
def test_spa_eng_from_the_dated_mirror_copy(real_data):
    spa_eng = load_spa_eng(allow_standin=False)
    pairs = spa_eng["pairs"]

    assert len(pairs) == 118_964 and pairs.iloc[0].tolist() == ["Go.", "Ve."]
    assert not spa_eng.is_standin and "2018-05-13" in spa_eng.notice


@needs_mirror
def test_shakespeare(real_data):
    shakespeare = load_shakespeare()

    assert len(shakespeare.text) == 1_115_394 and shakespeare["text"] is shakespeare.text
    assert shakespeare.text.startswith("First Citizen:\nBefore we proceed any further")
    assert shakespeare.variant is None and "Karpathy" in shakespeare.notice


@needs_mirror
def test_ud_english_ewt(real_data):
    ewt = load_ud_english_ewt()

    assert list(ewt) == ["train", "validation", "test"]
    assert [ewt.counts[split].sentences for split in ewt] == [12_544, 2_001, 2_077]
    tokens, tags = ewt["train"]
    assert len(tokens) == len(tags) == 12_544
    assert all(len(words) == len(upos) for words, upos in zip(tokens, tags))
    assert ewt.tag_names == list(UPOS_TAG_NAMES) and len(ewt.tag_names) == 17
    assert ewt.counts["train"].tokens == sum(map(len, tokens))
    assert "en_ewt-ud-dev.conllu" in ewt.notice and "CC BY-SA 4.0" in ewt.notice
    assert "| validation | 2,001 sentences," in ewt.describe()


@needs_mirror
def test_conll2003(real_data):
    conll = load_conll2003()

    assert list(conll) == ["train", "validation", "test"]
    assert [tuple(conll.counts[split]) for split in conll] == [
        (14_041, 203_621),
        (3_250, 51_362),
        (3_453, 46_435),
    ]
    tokens, tags = conll["train"]
    assert tokens[0][:3] == ["EU", "rejects", "German"] and tags[0][:3] == ["B-ORG", "O", "B-MISC"]
    assert conll.tag_names[0] == "O" and len(conll.tag_names) == 9
    assert "IOB2" in conll.notice and "Reuters" in conll.notice


# ------------------------------------------- real formats, made small, in a mirror


@pytest.fixture
def small_mirror(isolated_data_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Register a small file under a dataset's filename and serve it from a mirror."""
    folder = tmp_path / "small_mirror"
    folder.mkdir()
    monkeypatch.setenv("COURSE_DATA_MIRROR", str(folder))

    def register(constant: str, content: bytes) -> Path:
        remote = getattr(loaders, constant)
        path = folder / remote.filename
        path.write_bytes(content)
        small = dataclasses.replace(
            remote, sha256=hashlib.sha256(content).hexdigest(), size=len(content)
        )
        monkeypatch.setattr(loaders, constant, small)
        return path

    return register


@pytest.fixture
def expect(monkeypatch: pytest.MonkeyPatch):
    """Set what the loaders expect a dataset to hold, to fit a small file."""

    def set_expected(**values: object) -> None:
        for name, value in values.items():
            assert hasattr(loaders, name), name
            monkeypatch.setattr(loaders, name, value)

    return set_expected


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


def test_mnist_from_an_npz(small_mirror, monkeypatch):
    monkeypatch.setattr(loaders, "MNIST_EXAMPLES", {"train": 6, "test": 2})
    rng = np.random.default_rng(0)
    buffer = io.BytesIO()
    np.savez(
        buffer,
        x_train=rng.integers(0, 256, (6, 28, 28), dtype=np.uint8),
        y_train=np.arange(6, dtype=np.uint8),
        x_test=rng.integers(0, 256, (2, 28, 28), dtype=np.uint8),
        y_test=np.arange(2, dtype=np.uint8),
    )
    small_mirror("MNIST", buffer.getvalue())

    mnist = load_mnist(allow_standin=False)

    (x_train, y_train), (x_test, _) = mnist["train"], mnist["test"]
    assert x_train.shape == (6, 28, 28) and x_test.shape == (2, 28, 28)
    assert x_train.dtype == np.uint8 and y_train.tolist() == list(range(6))
    assert mnist.source == "mirror" and "LeCun" in mnist.notice


def test_corrupt_npz_in_a_mirror_raises_and_is_kept(small_mirror):
    path = small_mirror("MNIST", b"PK\x03\x04 not really an npz")

    with pytest.raises(CorruptArchiveError, match="left untouched"):
        load_mnist(allow_standin=True)
    assert path.exists()


def test_cifar10_from_pickled_batches(small_mirror, monkeypatch):
    monkeypatch.setattr(loaders, "CIFAR10_EXAMPLES_PER_CLASS", {"train": 2, "test": 1})

    def batch(first_label: int, count: int = 4) -> bytes:
        images = np.zeros((count, 3, 32, 32), dtype=np.uint8)
        images[:, 0] = 255  # red channel
        labels = [(first_label + index) % 10 for index in range(count)]
        return pickle.dumps({b"data": images.reshape(count, 3072), b"labels": labels})

    # 5 batches of 4 images, labels 0-3, 4-7, 8-1, 2-5, 6-9: two of each class
    members = {
        f"cifar-10-batches-py/data_batch_{number}": batch(4 * (number - 1))
        for number in range(1, 6)
    }
    members["cifar-10-batches-py/test_batch"] = batch(0, count=10)
    small_mirror("CIFAR10", tar_gz_bytes(members))

    cifar = load_cifar10(allow_standin=False)

    images, labels = cifar["train"]
    assert (
        images.shape == (20, 32, 32, 3) and images.dtype == np.uint8 and labels.dtype == np.uint8
    )
    assert images[..., 0].min() == 255 and images[..., 1].max() == 0  # channels last
    assert labels[:4].tolist() == [0, 1, 2, 3] and cifar["test"][0].shape == (10, 32, 32, 3)
    assert cifar.class_names[0] == "airplane" and len(cifar.class_names) == 10


def test_archive_without_the_expected_member_is_corrupt(small_mirror):
    small_mirror("CIFAR10", tar_gz_bytes({"something/else.txt": b"hello"}))

    with pytest.raises(CorruptArchiveError, match="cifar-10-batches-py"):
        load_cifar10(allow_standin=False)


def test_jena_climate_from_a_zipped_csv(small_mirror, expect):
    expect(JENA_ROWS=2)
    header = '"Date Time",' + ",".join(f'"{name}"' for name in JENA_COLUMNS)
    rows = [
        "01.01.2009 00:10:00," + ",".join(["996.52", "-8.02"] + ["1.0"] * 12),
        "01.01.2009 00:20:00," + ",".join(["996.57", "-8.41"] + ["2.0"] * 12),
    ]
    csv = "\n".join([header, *rows]) + "\n"
    small_mirror("JENA_CLIMATE", zip_bytes({"jena_climate_2009_2016.csv": csv.encode()}))

    data = load_jena_climate(allow_standin=False)["data"]

    assert list(data.columns) == list(JENA_COLUMNS) and data.index.name == "Date Time"
    assert data.index[1] == pd.Timestamp("2009-01-01 00:20:00")
    assert data["T (degC)"].tolist() == [-8.02, -8.41] and (data.dtypes == np.float64).all()


def test_text8_from_a_zip_with_a_word_limit(small_mirror, expect):
    expect(TEXT8_CHARACTERS=40)
    small_mirror("TEXT8", zip_bytes({"text8": b" anarchism originated as a term of abuse"}))

    assert load_text8().text == "anarchism originated as a term of abuse"
    assert load_text8(max_words=3).text == "anarchism originated as"
    with pytest.raises(ValueError, match="max_words"):
        load_text8(max_words=0)


def test_spa_eng_pairs_from_a_zip(small_mirror, expect):
    expect(SPA_ENG_PAIRS=3)
    text = "Go.\tVe.\nGo.\tVete.\nI won!\t¡He ganado!\n"
    small_mirror("SPA_ENG", zip_bytes({"spa-eng/spa.txt": text.encode()}))

    pairs = load_spa_eng()["pairs"]

    assert list(pairs.columns) == ["english", "spanish"]
    assert pairs.values.tolist() == [["Go.", "Ve."], ["Go.", "Vete."], ["I won!", "¡He ganado!"]]


GLOVE_LINES = [
    "the " + " ".join(["0.5"] * 50),
    "null " + " ".join(["1"] * 50),
    "nan " + " ".join(["-2"] * 50),
]
GLOVE_TEXT = ("\n".join(GLOVE_LINES) + "\n").encode()


def test_glove_from_the_canonical_zip(small_mirror, expect):
    expect(GLOVE_WORDS=3, GLOVE_50D_TEXT_SHA256=hashlib.sha256(GLOVE_TEXT).hexdigest())
    small_mirror("GLOVE_6B", zip_bytes({"glove.6B.50d.txt": GLOVE_TEXT}))

    glove = load_glove(50)

    assert glove.words == ["the", "null", "nan"] and glove.vectors.shape == (3, 50)
    assert glove.vectors[2, 0] == -2 and glove.dimension == 50 and glove.source == "mirror"
    assert load_glove(50, max_words=2).words == ["the", "null"]


def test_glove_50d_text_that_is_not_the_published_one_is_refused(small_mirror, expect):
    expect(GLOVE_WORDS=3)  # the right number of words, but not the published text
    small_mirror("GLOVE_6B", zip_bytes({"glove.6B.50d.txt": GLOVE_TEXT}))

    with pytest.raises(CorruptArchiveError, match="glove.6B.50d.txt should have sha256 d8f717f8"):
        load_glove(50)
    assert (
        load_glove(50, max_words=3).words[0] == "the"
    )  # a prefix cannot be hashed; the count is checked


def test_glove_with_too_few_words_is_refused(small_mirror, expect):
    expect(GLOVE_WORDS=4)
    small_mirror("GLOVE_6B", zip_bytes({"glove.6B.50d.txt": GLOVE_TEXT}))

    with pytest.raises(CorruptArchiveError, match="4 words expected, 3 found"):
        load_glove(50)


def test_glove_file_of_the_wrong_width_is_corrupt(small_mirror):
    small_mirror("GLOVE_6B", zip_bytes({"glove.6B.50d.txt": b"the 0.1 0.2\n"}))

    with pytest.raises(CorruptArchiveError, match="50 numbers per line"):
        load_glove(50)


def test_airline_with_the_other_header_and_a_footer(small_mirror, expect):
    expect(AIRLINE_MONTHS=2, AIRLINE_FIRST_AND_LAST=(112, 118))
    csv = (
        '"Month","Passengers"\n"1949-01",112\n"1949-02",118\n\n'
        "International airline passengers: monthly totals\n"
    )
    small_mirror("AIRLINE_PASSENGERS", csv.encode())

    data = load_airline_passengers()["data"]

    assert data["passengers"].tolist() == [112, 118]
    assert data["month"].tolist() == [pd.Timestamp("1949-01-01"), pd.Timestamp("1949-02-01")]


def test_airline_file_with_other_columns_is_corrupt(small_mirror):
    small_mirror("AIRLINE_PASSENGERS", b"month,passengers,extra\n1949-01,112,1\n")

    with pytest.raises(CorruptArchiveError, match="expected 2 columns"):
        load_airline_passengers()


def test_canonical_nietzsche_is_lower_cased(small_mirror, expect):
    expect(NIETZSCHE_PREFIX="preface\n\nsupposing", NIETZSCHE_CHARACTERS=57)
    small_mirror(
        "NIETZSCHE", "PREFACE\n\nSupposing that Truth is a woman (Werthschätzung)".encode()
    )

    assert load_nietzsche().text == "preface\n\nsupposing that truth is a woman (werthschätzung)"


# ----------------------------------------------------------------- Dataset


def test_dataset_behaves_like_a_mapping_of_splits():
    dataset = Dataset(
        "toy", {"train": (np.zeros((3, 2)), np.zeros(3))}, source="cache", notice="Toy.", extra=5
    )

    assert list(dataset) == ["train"] and len(dataset) == 1 and dataset.extra == 5
    assert repr(dataset) == "Dataset('toy', splits=['train'], source='cache')"
    assert "| train | 3 examples of shape (2,) |" in dataset.describe()
    with pytest.raises(KeyError, match="no split 'test'; its splits are train"):
        dataset["test"]
    with pytest.raises(ValueError, match="source must be one of"):
        Dataset("toy", {}, source="internet", notice="")


def test_notice_says_when_a_file_has_no_checksum(tmp_path):
    from course.data import NIETZSCHE, FetchedFile

    notice = real_notice(FetchedFile(tmp_path / "nietzsche.txt", "download", NIETZSCHE))
    assert "could not be verified" in notice and "Zimmern" in notice
