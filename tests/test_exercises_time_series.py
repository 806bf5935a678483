"""Chapter 5's checkers: right answers pass in several forms, wrong ones say what is wrong."""

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np
import pandas as pd
import pytest
import tensorflow as tf

from course import timeseries
from course.exercises import check
from course.exercises import time_series as exercise

SPAN = (exercise.EXERCISE_1_SEQUENCE_LENGTH - 1) * exercise.EXERCISE_1_SAMPLING_RATE
RIGHT_1 = exercise.EXERCISE_1_ROWS - SPAN - exercise.EXERCISE_1_HORIZON
RIGHT_2 = exercise.EXERCISE_2_START + SPAN + exercise.EXERCISE_1_HORIZON
SERIES, LAG = exercise.EXERCISE_3_SERIES, exercise.EXERCISE_3_HORIZON
RIGHT_3 = float(np.mean(np.abs(SERIES[LAG:] - SERIES[:-LAG])))
DATA, TRAIN = exercise.EXERCISE_4_DATA, exercise.EXERCISE_4_TRAIN_ROWS
RIGHT_4 = (DATA - DATA[:TRAIN].mean(axis=0)) / DATA[:TRAIN].std(axis=0)


def test_exercise_1_agrees_with_make_windows():
    windows, _ = timeseries.make_windows(
        np.arange(exercise.EXERCISE_1_ROWS),
        sequence_length=exercise.EXERCISE_1_SEQUENCE_LENGTH,
        sampling_rate=exercise.EXERCISE_1_SAMPLING_RATE,
        horizon=exercise.EXERCISE_1_HORIZON,
    )
    assert len(windows) == RIGHT_1
    for answer in (RIGHT_1, np.int64(RIGHT_1), float(RIGHT_1), [RIGHT_1], tf.constant(RIGHT_1)):
        assert check("time-series.1", answer)


@pytest.mark.parametrize(
    "answer, message",
    [
        (RIGHT_1 + 36, "forgot the horizon"),
        (RIGHT_1 - 6, "not 24 × 6"),
        (1000 - 23 - 36, "left out the sampling rate"),
        (RIGHT_1 + 1, "One too many"),
        (RIGHT_1 - 1, "One too few"),
        (12, "is not it"),
        ("826", "without quotes"),
        (RIGHT_1 + 0.5, "fractional part"),
        (None, "got None"),
    ],
)
def test_exercise_1_feedback(answer, message):
    feedback = check("time-series.1", answer)
    assert not feedback
    assert message in feedback.message


def test_exercise_2_accepts_the_row_in_any_numeric_form():
    windows, targets = timeseries.make_windows(
        np.arange(exercise.EXERCISE_1_ROWS),
        sequence_length=exercise.EXERCISE_1_SEQUENCE_LENGTH,
        sampling_rate=exercise.EXERCISE_1_SAMPLING_RATE,
        horizon=exercise.EXERCISE_1_HORIZON,
    )
    assert targets[exercise.EXERCISE_2_START] == RIGHT_2
    for answer in (RIGHT_2, np.int32(RIGHT_2), np.array([RIGHT_2]), float(RIGHT_2)):
        assert check("time-series.2", answer)


@pytest.mark.parametrize(
    "answer, message",
    [
        (RIGHT_2 + 6, "one step too far"),
        (RIGHT_2 - 36, "last input row"),
        (100 + 36, "counts from the window's last row"),
        (100 + 23 + 36, "left out the sampling rate"),
        (7, "is not it"),
        ([RIGHT_2, RIGHT_2], "a list of 2 items"),
    ],
)
def test_exercise_2_feedback(answer, message):
    feedback = check("time-series.2", answer)
    assert not feedback
    assert message in feedback.message


def test_exercise_3_accepts_numpy_pandas_and_tensors():
    frame = pd.Series(SERIES)
    from_pandas = (frame - frame.shift(LAG)).abs().mean()
    assert check("time-series.3", RIGHT_3)
    assert check("time-series.3", from_pandas)
    assert check("time-series.3", timeseries.mae(SERIES[LAG:], SERIES[:-LAG]))
    assert check("time-series.3", tf.constant(RIGHT_3, dtype=tf.float64))


def test_exercise_3_accepts_the_answer_as_the_solution_prints_it():
    printed = f"{RIGHT_3:.4f}"  # the solution prints 4 decimals; a student may copy them
    assert check("time-series.3", float(printed))
    assert check("time-series.3", np.float32(printed))
    assert check("time-series.3", round(RIGHT_3, 5))


@pytest.mark.parametrize(
    "answer",
    [round(RIGHT_3, 4) + 1e-4, round(RIGHT_3, 4) - 1e-4, RIGHT_3 + 6e-5, round(RIGHT_3, 3)],
    ids=["4th decimal up", "4th decimal down", "just outside", "3 decimals"],
)
def test_exercise_3_still_refuses_an_answer_wrong_in_the_4th_decimal(answer):
    assert abs(answer - RIGHT_3) > 5.1e-5
    assert not check("time-series.3", answer)


@pytest.mark.parametrize(
    "answer, message",
    [
        (float(np.mean(np.abs(SERIES[1:] - SERIES[:-1]))), "one hour ahead"),
        (float(np.sqrt(np.mean((SERIES[LAG:] - SERIES[:-LAG]) ** 2))), "root mean squared"),
        (float(np.mean(SERIES[LAG:] - SERIES[:-LAG])), "absolute value"),
        (float(np.sum(np.abs(SERIES[LAG:] - SERIES[:-LAG])) / 48), "not over all 48"),
        (round(RIGHT_3, 1), "Keep more digits"),
        (RIGHT_3 + 1, "is not it"),
        ("1.5", "without quotes"),
        (float("nan"), "NaN"),
    ],
)
def test_exercise_3_feedback(answer, message):
    feedback = check("time-series.3", answer)
    assert not feedback
    assert message in feedback.message


def test_exercise_4_accepts_ddof_0_and_1_lists_and_tensors():
    train = pd.DataFrame(DATA[:TRAIN])
    with_pandas = (pd.DataFrame(DATA) - train.mean()) / train.std()  # ddof=1
    assert check("time-series.4", RIGHT_4)
    assert check("time-series.4", with_pandas)
    assert check("time-series.4", RIGHT_4.tolist())
    assert check("time-series.4", tf.constant(RIGHT_4, dtype=tf.float32))
    scaled, _, _ = timeseries.normalize(DATA, slice(0, TRAIN))
    assert check("time-series.4", scaled)


def test_exercise_4_accepts_an_answer_computed_in_float32():
    data = tf.constant(DATA, dtype=tf.float32)  # a column near 1,000: float32 keeps ~4 decimals
    train = data[:TRAIN]
    with_tensorflow = (data - tf.reduce_mean(train, 0)) / tf.math.reduce_std(train, 0)
    single = DATA.astype(np.float32)
    with_numpy = (single - single[:TRAIN].mean(axis=0)) / single[:TRAIN].std(axis=0)
    assert np.abs(with_numpy - RIGHT_4).max() > 1e-6  # float32 noise the old check refused
    assert check("time-series.4", with_tensorflow)
    assert check("time-series.4", with_numpy)


@pytest.mark.parametrize("column", [0, 1, 2])
def test_exercise_4_still_refuses_one_value_off_by_a_hundredth_of_the_raw_data(column):
    off = RIGHT_4.copy()  # 0.01 is the data's resolution: far above float32's noise
    off[3, column] += 0.01 / DATA[:TRAIN, column].std()
    feedback = check("time-series.4", off)
    assert not feedback
    assert f"first at index (3, {column})" in feedback.message


def test_exercise_4_still_refuses_float32_mistakes():
    single = DATA.astype(np.float32)
    every_row = (single - single.mean(axis=0)) / single.std(axis=0)
    assert "the future included" in check("time-series.4", every_row).message
    assert not check("time-series.4", RIGHT_4.round(4))


@pytest.mark.parametrize(
    "answer, message",
    [
        ((DATA - DATA.mean(axis=0)) / DATA.std(axis=0), "the future included"),
        (
            (DATA - DATA[:TRAIN].min(axis=0))
            / (DATA[:TRAIN].max(axis=0) - DATA[:TRAIN].min(axis=0)),
            "min-max",
        ),
        (DATA - DATA[:TRAIN].mean(axis=0), "did not divide"),
        ((DATA - DATA[:TRAIN].mean()) / DATA[:TRAIN].std(), "column by column"),
        (np.vstack([RIGHT_4[:TRAIN], RIGHT_4[TRAIN:] + 1]), "training rows are right"),
        (RIGHT_4.T, "shape"),
        (RIGHT_4[:TRAIN], "shape"),
        (RIGHT_4 * 2, "differs from the expected values"),
    ],
)
def test_exercise_4_feedback(answer, message):
    feedback = check("time-series.4", answer)
    assert not feedback
    assert message in feedback.message
