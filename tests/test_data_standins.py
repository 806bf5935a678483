"""Stand-in data: only when allowed, unmistakable, same schema, seeded, learnable."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from course.data import (
    DataUnavailableError,
    StandInDataWarning,
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
    standins,
)
from course.data.loaders import CIFAR10_CLASS_NAMES, JENA_COLUMNS

LOADERS_WITH_STANDINS = [load_mnist, load_cifar10, load_jena_climate, load_text8, load_spa_eng]
LOADERS_WITHOUT = [
    load_imdb,
    load_airline_passengers,
    load_nietzsche,
    load_glove,
    load_shakespeare,
    load_ud_english_ewt,
    load_conll2003,
]


@pytest.fixture
def fast(isolated_data_home, monkeypatch):
    monkeypatch.setenv("COURSE_PROFILE", "fast")


@pytest.fixture
def full(isolated_data_home, monkeypatch):
    monkeypatch.setenv("COURSE_PROFILE", "full")


@pytest.fixture(scope="module")
def small_digits():
    return standins.mnist_standin(seed=3, train_size=2_000, test_size=500)


# ------------------------------------------------------------- when they appear


@pytest.mark.parametrize("loader", LOADERS_WITH_STANDINS, ids=lambda loader: loader.__name__)
def test_fast_profile_falls_back_to_a_loud_standin(fast, loader, capsys):
    with pytest.warns(StandInDataWarning, match="STAND-IN DATA"):
        dataset = loader()

    assert dataset.is_standin and dataset.source == "stand-in"
    assert dataset.notice.startswith("STAND-IN DATA")
    assert "not results" in dataset.notice and "COURSE_DATA_OFFLINE" in dataset.notice
    assert "STAND-IN DATA" in capsys.readouterr().out
    assert dataset.describe().startswith("> **STAND-IN DATA")


@pytest.mark.parametrize("loader", LOADERS_WITH_STANDINS, ids=lambda loader: loader.__name__)
def test_full_profile_refuses_standins(full, loader):
    with pytest.raises(DataUnavailableError) as raised:
        loader()

    message = str(raised.value)
    assert "full profile refuses stand-ins" in message
    assert "COURSE_DATA_OFFLINE" in message and "COURSE_DATA_MIRROR" in message


def test_text8_standin_keeps_max_words(fast):
    with pytest.warns(StandInDataWarning):
        text8 = load_text8(max_words=7)

    assert text8.is_standin and len(text8.text.split()) == 7
    assert "first 7 words" in text8.notice


def test_explicit_permission_beats_the_profile(full):
    with pytest.warns(StandInDataWarning):
        assert load_spa_eng(allow_standin=True).is_standin
    with pytest.raises(DataUnavailableError):
        load_spa_eng(allow_standin=False)


@pytest.mark.parametrize("loader", LOADERS_WITHOUT, ids=lambda loader: loader.__name__)
def test_datasets_without_a_standin_raise_even_in_the_fast_profile(fast, loader):
    with pytest.raises(DataUnavailableError, match="no stand-in exists"):
        loader()


# ------------------------------------------------------- schema and determinism


def test_mnist_standin_schema(small_digits):
    (x_train, y_train), (x_test, y_test) = small_digits["train"], small_digits["test"]

    assert x_train.shape == (2_000, 28, 28) and x_test.shape == (500, 28, 28)
    assert x_train.dtype == np.uint8 and y_train.dtype == np.uint8
    assert set(np.unique(y_train)) == set(range(10))
    assert y_train.shape == (2_000,) and y_test.shape == (500,)


def test_cifar10_standin_schema():
    cifar = standins.cifar10_standin(train_size=50, test_size=20)

    (x_train, y_train), (x_test, _) = cifar["train"], cifar["test"]
    assert x_train.shape == (50, 32, 32, 3) and x_test.shape == (20, 32, 32, 3)
    assert x_train.dtype == np.uint8 and y_train.dtype == np.uint8 and y_train.max() <= 9
    assert cifar.class_names == list(CIFAR10_CLASS_NAMES)


def test_jena_standin_schema_and_magnitudes():
    data = standins.jena_climate_standin(days=30)["data"]

    assert list(data.columns) == list(JENA_COLUMNS) and (data.dtypes == np.float64).all()
    assert isinstance(data.index, pd.DatetimeIndex) and data.index.name == "Date Time"
    assert len(data) == 30 * 144 and (data.index[1] - data.index[0]) == pd.Timedelta("10min")
    assert (
        950 < data["p (mbar)"].mean() < 1030
        and -30 < data["T (degC)"].min() < data["T (degC)"].max() < 40
    )
    assert data["rh (%)"].between(0, 100).all() and data["wd (deg)"].between(0, 360).all()
    assert (data["Tdew (degC)"] <= data["T (degC)"] + 1e-6).all()


def test_text8_standin_schema():
    text = standins.text8_standin(sentences=500).text

    assert re.fullmatch(r"[a-z]+( [a-z]+)*", text)


def test_spa_eng_standin_schema():
    pairs = standins.spa_eng_standin(pairs=200)["pairs"]

    assert list(pairs.columns) == ["english", "spanish"] and len(pairs) == 200
    assert not pairs.duplicated().any()
    assert pairs["english"].str.endswith(".").all() and pairs["spanish"].str.endswith(".").all()


@pytest.mark.parametrize(
    "make",
    [
        lambda seed: standins.mnist_standin(seed=seed, train_size=30, test_size=5)["train"][0],
        lambda seed: standins.cifar10_standin(seed=seed, train_size=30, test_size=5)["train"][0],
        lambda seed: standins.jena_climate_standin(seed=seed, days=2)["data"].to_numpy(),
        lambda seed: np.array(standins.text8_standin(seed=seed, sentences=50).text.split()),
        lambda seed: standins.spa_eng_standin(seed=seed, pairs=50)["pairs"].to_numpy(),
    ],
    ids=["mnist", "cifar10", "jena", "text8", "spa_eng"],
)
def test_standins_are_seeded(make):
    first, again, other = make(1), make(1), make(2)

    np.testing.assert_array_equal(first, again)
    assert first.shape != other.shape or not np.array_equal(first, other)


# ------------------------------------------------------------------ learnable


def test_mnist_standin_is_learnable(small_digits):
    from sklearn.linear_model import RidgeClassifier

    def features(images: np.ndarray) -> np.ndarray:  # 14×14 average pooling keeps it quick
        return (
            images.reshape(len(images), 14, 2, 14, 2).mean(axis=(2, 4)).reshape(len(images), -1)
            / 255
        )

    (x_train, y_train), (x_test, y_test) = small_digits["train"], small_digits["test"]
    model = RidgeClassifier().fit(
        features(x_train), y_train
    )  # a linear model, fitted in closed form

    assert model.score(features(x_test), y_test) > 0.5  # chance is 0.1


def test_cifar10_standin_is_learnable():
    from sklearn.linear_model import RidgeClassifier

    cifar = standins.cifar10_standin(seed=4, train_size=1_500, test_size=500)

    def features(images: np.ndarray) -> np.ndarray:  # 8×8 colour thumbnails
        return (
            images.reshape(len(images), 8, 4, 8, 4, 3).mean(axis=(2, 4)).reshape(len(images), -1)
            / 255
        )

    (x_train, y_train), (x_test, y_test) = cifar["train"], cifar["test"]
    model = RidgeClassifier().fit(features(x_train), y_train)

    assert model.score(features(x_test), y_test) > 0.3  # chance is 0.1


def test_jena_standin_temperature_is_forecastable_and_the_naive_forecast_beatable():
    temperature = standins.jena_climate_standin(days=365)["data"]["T (degC)"].to_numpy()
    day = 144
    truth = temperature[5 * day :]
    # now, 1 day ago, ..., 4 days ago, each aligned with the temperature a day after "now"
    same_time = np.array(
        [temperature[(4 - back) * day : len(temperature) - (back + 1) * day] for back in range(5)]
    )
    now, five_days = same_time[0], same_time.mean(axis=0)

    naive_error = np.abs(truth - now).mean()
    mean_error = np.abs(truth - temperature.mean()).mean()
    # fit how far today's departure from the last five days relaxes on one half; test on the other
    half = len(truth) // 2
    change, departure = truth - now, now - five_days
    relax = (change[:half] @ departure[:half]) / (departure[:half] @ departure[:half])
    relaxed_error = np.abs(truth[half:] - now[half:] - relax * departure[half:]).mean()

    assert naive_error < 0.6 * mean_error  # "tomorrow like today" beats the mean
    assert -1 < relax < -0.1  # departures fade, partly
    assert relaxed_error < 0.95 * np.abs(truth[half:] - now[half:]).mean()  # history helps


def test_text8_standin_words_keep_company_by_topic():
    words = np.array(standins.text8_standin(sentences=4_000).text.split())
    royal_objects = ["kingdom", "empire", "castle", "throne", "crown", "army"]

    def following(word: str, window: int) -> np.ndarray:
        positions = np.flatnonzero(words == word)
        return np.concatenate(
            [
                words[positions[positions + offset < len(words)] + offset]
                for offset in range(1, window + 1)
            ]
        )

    def royal_share(word: str) -> float:
        return float(np.isin(following(word, 3), royal_objects).mean())

    assert royal_share("king") > 0.15 and royal_share("king") > 5 * royal_share("lion")
    assert (following("paris", 5) == "france").any() and not (
        following("paris", 5) == "spain"
    ).any()


def test_spa_eng_standin_translates_words_consistently():
    pairs = standins.spa_eng_standin(pairs=2_000)["pairs"]

    with_apple = pairs["english"].str.contains("apple")
    assert pairs.loc[with_apple, "spanish"].str.contains("manzana").all()
    assert not pairs.loc[~with_apple, "spanish"].str.contains("manzana").any()
    negative = pairs["english"].str.contains(" not ")
    assert (pairs.loc[negative, "spanish"].str.contains(" no ")).all()
