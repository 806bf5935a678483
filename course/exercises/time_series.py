"""Checkers for chapter 5, forecasting with recurrent networks (ids ``time-series.N``)."""

from __future__ import annotations

from typing import Any

import numpy as np

from course.exercises import checker, compare_values, correct, wrong
from course.exercises.answers import as_array, as_integer, as_number, rounding_hint

# Exercises 1 and 2: counting windows and finding a window's target row.
EXERCISE_1_ROWS = 1_000
EXERCISE_1_SEQUENCE_LENGTH = 24
EXERCISE_1_SAMPLING_RATE = 6
EXERCISE_1_HORIZON = 36
EXERCISE_2_START = 100

# Exercise 3: the naive forecast's MAE, 3 hours ahead, on 48 hourly temperatures.
_rng = np.random.default_rng(505)
EXERCISE_3_SERIES = np.round(
    8 + 5 * np.sin(2 * np.pi * (np.arange(48) - 9) / 24) + _rng.normal(0, 0.8, 48), 1
)
EXERCISE_3_HORIZON = 3
# The solution prints the MAE with 4 decimals: an answer within half a unit of the 4th decimal
# (and float32's noise on that) is right, so a student may copy the printed value.
_EXERCISE_3_ATOL, _EXERCISE_3_RTOL = 0.5e-4, 4 * float(np.finfo(np.float32).eps)

# Exercise 4: normalization with the training rows' statistics.
EXERCISE_4_DATA = np.round(
    _rng.normal([1000.0, 10.0, 70.0], [5.0, 6.0, 12.0], size=(20, 3)) + np.arange(20)[:, None],
    2,
)
EXERCISE_4_TRAIN_ROWS = 12
del _rng

_SPAN = (EXERCISE_1_SEQUENCE_LENGTH - 1) * EXERCISE_1_SAMPLING_RATE


@checker("time-series.1")
def check_window_count(answer: Any) -> Any:
    """How many windows fit in ``EXERCISE_1_ROWS`` rows (stride 1)."""
    count = as_integer(answer, name="the number of windows")
    expected = EXERCISE_1_ROWS - _SPAN - EXERCISE_1_HORIZON
    if count == expected:
        return correct(
            f"Correct: {EXERCISE_1_ROWS} rows − {_SPAN} rows inside a window − "
            f"{EXERCISE_1_HORIZON} rows to its target = {expected}."
        )
    mistakes = {
        expected + EXERCISE_1_HORIZON: "You forgot the horizon: the target of the last window "
        f"must lie inside the series too, {EXERCISE_1_HORIZON} rows after its last input row.",
        expected - EXERCISE_1_SAMPLING_RATE: "A window of 24 steps spans 23 gaps of "
        f"{EXERCISE_1_SAMPLING_RATE} rows, (24 − 1) × 6 rows from its first to its last row, "
        "not 24 × 6.",
        EXERCISE_1_ROWS - (EXERCISE_1_SEQUENCE_LENGTH - 1) - EXERCISE_1_HORIZON: "You left out "
        f"the sampling rate: the steps of a window are {EXERCISE_1_SAMPLING_RATE} rows apart.",
        expected + 1: "One too many: the last window's target must be a row of the series, "
        f"at most row {EXERCISE_1_ROWS - 1}.",
        expected - 1: "One too few: count the window starts 0, 1, …, the last one whose "
        "target is still in the series.",
    }
    if count in mistakes:
        return wrong(mistakes[count])
    return wrong(
        f"{count} is not it. A window starting at row s reads rows s … s + (24 − 1) × 6 and its "
        "target is 36 rows after that; count the starts s for which the target is a row."
    )


@checker("time-series.2")
def check_target_row(answer: Any) -> Any:
    """The target row of the window that starts at ``EXERCISE_2_START``."""
    row = as_integer(answer, name="the target row")
    last_input = EXERCISE_2_START + _SPAN
    expected = last_input + EXERCISE_1_HORIZON
    if row == expected:
        return correct(
            f"Correct: the last input row is {EXERCISE_2_START} + {_SPAN} = {last_input}, "
            f"and the target lies {EXERCISE_1_HORIZON} rows later."
        )
    mistakes = {
        expected + EXERCISE_1_SAMPLING_RATE: "That is one step too far (the slip of the classic "
        "generator): the window's last row is start + (24 − 1) × 6, and the target lies 36 rows "
        "after that row.",
        last_input: "That is the window's last input row; the target lies 36 rows after it.",
        EXERCISE_2_START + EXERCISE_1_HORIZON: "The horizon counts from the window's last row, "
        "not from its first.",
        EXERCISE_2_START
        + EXERCISE_1_SEQUENCE_LENGTH
        - 1
        + EXERCISE_1_HORIZON: "You left out the sampling rate: the 24 steps are 6 rows apart.",
    }
    if row in mistakes:
        return wrong(mistakes[row])
    return wrong(f"Row {row} is not it. Find the window's last input row first.")


def _naive_errors(lag: int) -> np.ndarray:
    series = EXERCISE_3_SERIES
    return series[lag:] - series[:-lag]


@checker("time-series.3")
def check_naive_mae(answer: Any) -> Any:
    """The naive forecast's MAE, ``EXERCISE_3_HORIZON`` steps ahead."""
    value = as_number(answer, name="the mean absolute error")
    errors = _naive_errors(EXERCISE_3_HORIZON)
    expected = float(np.mean(np.abs(errors)))
    atol, rtol = _EXERCISE_3_ATOL, _EXERCISE_3_RTOL
    if np.isclose(value, expected, rtol=rtol, atol=atol):
        return correct(f"Correct: the naive forecast is off by {expected:.4f} degrees on average.")
    hint = rounding_hint(np.array(value), np.array(expected), atol=atol, rtol=rtol)
    if hint is not None:
        return wrong(hint)
    mistakes = {
        "lag": (
            float(np.mean(np.abs(_naive_errors(1)))),
            "That is the forecast one hour ahead: use the value 3 hours earlier.",
        ),
        "rmse": (
            float(np.sqrt(np.mean(errors**2))),
            "That is the root mean squared error; the exercise asks for the mean absolute error.",
        ),
        "signed": (
            float(np.mean(errors)),
            "Take the absolute value of each error before "
            "averaging: positive and negative errors cancel otherwise.",
        ),
        "signed_negative": (
            float(-np.mean(errors)),
            "Take the absolute value of each error before averaging.",
        ),
        "all_hours": (
            float(np.sum(np.abs(errors)) / len(EXERCISE_3_SERIES)),
            "Average over the "
            "hours that have a forecast (the first 3 have none), not over all 48.",
        ),
    }
    for candidate, message in mistakes.values():
        if np.isclose(value, candidate, rtol=rtol, atol=atol):
            return wrong(message)
    return wrong(f"{value:.4g} is not it; the expected value is near {expected:.1f}.")


def _float32_tolerance(data: np.ndarray, train: np.ndarray) -> np.ndarray:
    """One absolute tolerance per column of normalized data, from the data's scale.

    Computed in float32, a value near 1,000 carries an error near float32's
    resolution there (about 1e-4); normalized, that error is divided by the
    column's standard deviation. The tolerance allows 16 such roundings.
    """
    eps = float(np.finfo(np.float32).eps)
    return 16 * eps * np.abs(data).max(axis=0) / train.std(axis=0)


@checker("time-series.4")
def check_normalization(answer: Any) -> Any:
    """The data normalized with the training rows' mean and standard deviation."""
    data = EXERCISE_4_DATA
    train = data[:EXERCISE_4_TRAIN_ROWS]
    array = as_array(answer, shape=data.shape, dtype=float, name="the normalized data")
    mean = train.mean(axis=0)
    atol = _float32_tolerance(data, train)  # float32 answers are right too

    def close(got: np.ndarray, want: np.ndarray) -> bool:
        return bool(np.allclose(got, want, rtol=1e-5, atol=atol))

    candidates = {
        ddof: (data - mean) / train.std(axis=0, ddof=ddof) for ddof in (0, 1)
    }  # np.std (ddof=0) and pandas .std() (ddof=1) are both fine
    for expected in candidates.values():
        if close(array, expected):
            return correct(
                "Correct: every column is centred and scaled with the training rows' statistics."
            )
    mistakes = [
        (
            (data - data.mean(axis=0)) / data.std(axis=0),
            "You used every row's mean and standard "
            "deviation, the future included: use the first 12 rows only.",
        ),
        (
            (data - data.mean(axis=0)) / data.std(axis=0, ddof=1),
            "You used every row's mean and "
            "standard deviation, the future included: use the first 12 rows only.",
        ),
        (
            (data - train.min(axis=0)) / (train.max(axis=0) - train.min(axis=0)),
            "That is min-max scaling; the exercise asks for the mean and the standard deviation.",
        ),
        (data - mean, "You centred the columns but did not divide by the standard deviation."),
        (
            (data - train.mean()) / train.std(),
            "Compute the statistics column by column (axis=0), not over the whole array.",
        ),
    ]
    for wrong_answer, message in mistakes:
        if close(array, wrong_answer):
            return wrong(message)
    if close(array[:EXERCISE_4_TRAIN_ROWS], candidates[0][:EXERCISE_4_TRAIN_ROWS]):
        return wrong(
            "The training rows are right; normalize the later rows with the same statistics."
        )
    feedback = compare_values(array, candidates[0], atol=atol, name="the normalized data")
    return wrong(feedback.message)
