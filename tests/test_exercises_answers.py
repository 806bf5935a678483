"""The answer-normalisation layer: each form of a right answer read, each wrong one explained."""

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np
import pytest
import tensorflow as tf

from course.exercises import CHECKERS, check, checker, compare_values, correct
from course.exercises.answers import (
    AnswerError,
    as_array,
    as_integer,
    as_number,
    as_shape,
    as_text,
    brief,
    describe,
    rounding_hint,
    shape_problem,
)

# Scalars ----------------------------------------------------------------------------

THREE = [
    3,
    3.0,
    np.int64(3),
    np.int32(3),
    np.float32(3),
    np.array(3),
    [3],
    (3,),
    np.array([[3]]),
    tf.constant(3),
    tf.constant(3.0),
    tf.constant([3]),
]


@pytest.mark.parametrize("form", THREE, ids=[describe(form) for form in THREE])
def test_as_integer_reads_every_form_of_a_whole_number(form):
    value = as_integer(form)
    assert value == 3 and type(value) is int


def test_as_integer_keeps_large_counts_exact():
    assert as_integer(np.int64(2**53 + 1)) == 2**53 + 1


@pytest.mark.parametrize(
    "answer, message",
    [
        (2.7, "got 2.7, which has a fractional part"),
        (np.float32(2.5), "fractional part"),
        ([2.7], "fractional part"),
        (tf.constant(2.7), "fractional part"),
        (True, "the boolean True"),
        (np.bool_(False), "the boolean False"),
        ("3", "without quotes (3)"),
        ("three", "got the string 'three'."),
        (b"3", "without quotes"),
        (None, "forget to `return`"),
        (float("nan"), "NaN (not a number)"),
        (float("-inf"), "-inf"),
        ([1, 2], "got a list of 2 items"),
        (np.zeros((2, 2)), "an array of shape (2, 2)"),
        (1 + 2j, "complex"),
        (len, "call it and pass the result"),
        ({"count": 3}, "a dict of 1 key"),
    ],
)
def test_as_integer_explains_what_is_wrong(answer, message):
    with pytest.raises(AnswerError) as problem:
        as_integer(answer, name="the count")
    assert message in str(problem.value)
    assert "ragged" not in str(problem.value)


@pytest.mark.parametrize(
    "form", [0.25, np.float32(0.25), np.array(0.25), [0.25], tf.constant(0.25), 1 / 4]
)
def test_as_number_reads_every_form_of_a_number(form):
    value = as_number(form)
    assert value == 0.25 and type(value) is float


def test_as_number_turns_integers_into_floats():
    assert as_number(np.int64(7)) == 7.0 and type(as_number(7)) is float


@pytest.mark.parametrize(
    "answer, message",
    [
        (np.nan, "NaN"),
        (np.inf, "+inf"),
        ("0.25", "without quotes (0.25)"),
        ([0.1, 0.2], "a list of 2 items"),
        (None, "got None"),
        (True, "boolean"),
    ],
)
def test_as_number_explains_what_is_wrong(answer, message):
    with pytest.raises(AnswerError, match=None) as problem:
        as_number(answer, name="the loss")
    assert message in str(problem.value)


def test_as_text_reads_strings_bytes_and_tensors():
    forms = [
        "queen",
        np.str_("queen"),
        b"queen",
        tf.constant("queen"),
        ["queen"],
        np.array(["queen"]),
        " queen\n",
    ]
    assert {as_text(form) for form in forms} == {"queen"}
    for answer, message in (
        (None, "got None"),
        (3, "the number 3"),
        (["a", "b"], "a list of 2 items"),
    ):
        with pytest.raises(AnswerError, match=None) as problem:
            as_text(answer)
        assert message in str(problem.value)


# Arrays -----------------------------------------------------------------------------

MATRIX = np.arange(6, dtype=float).reshape(2, 3)
MATRIX_FORMS = [
    MATRIX,
    MATRIX.tolist(),
    MATRIX.astype(np.float32),
    MATRIX.astype(int),
    tf.constant(MATRIX),
    tuple(map(tuple, MATRIX.tolist())),
    [np.array(row) for row in MATRIX],
    [tf.constant(row) for row in MATRIX],
]


@pytest.mark.parametrize("form", MATRIX_FORMS, ids=[describe(form) for form in MATRIX_FORMS])
def test_as_array_reads_every_form_of_an_array(form):
    array = as_array(form, shape=(2, 3), dtype=float)
    assert array.dtype == np.float64
    np.testing.assert_array_equal(array, MATRIX)


@pytest.mark.parametrize(
    "answer, kwargs, message",
    [
        (None, {}, "got None"),
        ("1 2 3", {}, "got the string '1 2 3'"),
        ([[1, 2], [3]], {}, "ragged list: its rows have different lengths (2, 1)"),
        ([1, [2, 3]], {}, "ragged"),
        ([1.0, None, 3.0], {}, "holds None at index (1,)"),
        (["1", "2"], {}, "got text"),
        ([1, "a"], {}, "got text"),
        (
            [0.5, np.nan, np.nan],
            {},
            "NaN (not a number) in the vector at 2 position(s), first at index (1,)",
        ),
        ([0.5, np.inf], {}, "inf in the vector at 1 position(s)"),
        (MATRIX.T, {"shape": (2, 3)}, "got (3, 2): that is the transpose"),
        (np.zeros((4, 2, 3)), {"shape": (2, 3, 4)}, "the right sizes in the wrong order"),
        (MATRIX[None], {"shape": (2, 3)}, "extra axis of size 1. Take answer[0]"),
        (np.zeros(6), {"shape": (6, 1)}, "an axis of size 1 missing"),
        (
            np.zeros((2, 4)),
            {"shape": (2, 3)},
            "Expected the vector to have shape (2, 3), got (2, 4).",
        ),
        ([1.0, 2.5], {"dtype": int}, "whole numbers, got 2.5 at index (1,)"),
        ([0, 1], {"dtype": bool}, "booleans (True/False), got dtype int64"),
        ([True, False], {"dtype": float}, "got booleans"),
        ([1 + 1j], {}, "complex"),
        ({1, 2}, {}, "a set of 2 items"),
        (lambda: 0, {}, "call it"),
    ],
)
def test_as_array_explains_what_is_wrong(answer, kwargs, message):
    with pytest.raises(AnswerError) as problem:
        as_array(answer, name="the vector", **kwargs)
    assert message in str(problem.value)


def test_as_array_may_allow_nan_when_the_exercise_wants_it():
    assert np.isnan(as_array([1.0, np.nan], finite=False)[1])


def test_as_array_feedback_on_a_huge_answer_is_short():
    with pytest.raises(AnswerError) as problem:
        as_array(np.zeros((2_000, 3_000)), shape=(2, 3))
    assert len(str(problem.value)) < 200


def test_shape_problem_is_plain_when_there_is_nothing_more_to_say():
    assert shape_problem((5,), (4,)) == "Expected your answer to have shape (4,), got (5,)."


# Shapes -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "form",
    [
        (32, 40, 16),
        [32, 40, 16],
        np.array([32, 40, 16]),
        tf.TensorShape([32, 40, 16]),
        (32.0, 40, np.int64(16)),
        tf.constant([32, 40, 16]),
    ],
    ids=["tuple", "list", "array", "TensorShape", "mixed", "tensor"],
)
def test_as_shape_reads_every_form_of_a_shape(form):
    assert as_shape(form) == (32, 40, 16)


def test_as_shape_keeps_unknown_sizes():
    assert as_shape(tf.TensorShape([None, 4])) == (None, 4)


@pytest.mark.parametrize(
    "answer, message",
    [
        ((32, 2.7), "size 2 of the shape to be a whole number, got 2.7"),
        ((32, -1), "cannot be negative"),
        ("32, 4", "got the string '32, 4'"),
        (32, "got the number 32"),
        ((32, True), "boolean"),
        (np.zeros((2, 2)), "an array of shape (2, 2)"),
    ],
)
def test_as_shape_explains_what_is_wrong(answer, message):
    with pytest.raises(AnswerError) as problem:
        as_shape(answer)
    assert message in str(problem.value)


# Rounding ---------------------------------------------------------------------------

THIRDS = np.array([1 / 3, 2 / 3, 0.5])


@pytest.mark.parametrize(
    "answer",
    [
        THIRDS.round(3),
        THIRDS.round(2).astype(np.float32),
        [0.333, 0.666, 0.5],
        np.round(THIRDS, 4).tolist(),
    ],
    ids=["rounded", "rounded float32", "cut short", "4 decimals"],
)
def test_rounding_hint_asks_for_more_digits(answer):
    hint = rounding_hint(answer, THIRDS, atol=1e-6)
    assert hint is not None and hint.startswith("Keep more digits")


@pytest.mark.parametrize(
    "answer",
    [THIRDS, [0.334, 0.667, 0.5], [0.3, 0.6, 0.5], [1 / 3, 2 / 3, 0.6], [0.0, 1.0, 0.0]],
    ids=["right", "wrong third decimal", "one decimal cut short", "a real mistake", "integers"],
)
def test_rounding_hint_stays_quiet_unless_rounding_explains_the_difference(answer):
    assert rounding_hint(answer, THIRDS, atol=1e-6) is None


def test_rounding_hint_ignores_off_by_one_counts():
    assert rounding_hint([3, 2, 1], [3, 3, 1], atol=1e-6) is None


# Describing -------------------------------------------------------------------------


def test_describe_and_brief_never_print_a_whole_array():
    big = np.zeros((300, 300))
    assert describe(big) == "an array of shape (300, 300) and dtype float64"
    assert len(brief(list(range(10_000)))) < 40
    assert describe(tf.zeros((2, 3))) == "an EagerTensor of shape (2, 3) and dtype float32"


# check() ------------------------------------------------------------------------------


def test_check_reports_an_answer_error_as_feedback():
    @checker("demo.answers")
    def _count(answer):
        return correct() if as_integer(answer, name="the count") == 3 else correct("?")

    try:
        assert check("demo.answers", np.array(3.0))
        feedback = check("demo.answers", 2.7)
        assert not feedback
        assert (
            feedback.message
            == "Expected the count to be a whole number, got 2.7, which has a fractional part."
        )
    finally:
        del CHECKERS["demo.answers"]


def test_compare_values_takes_one_tolerance_per_column():
    expected = np.array([[1000.0, 1.0], [1001.0, 2.0]])
    tolerance = np.array([1e-2, 1e-6])
    assert compare_values(expected + [5e-3, 0.0], expected, atol=tolerance)
    feedback = compare_values(expected + [0.0, 5e-3], expected, atol=tolerance)
    assert not feedback and "first at index (0, 1)" in feedback.message
    rounded = compare_values(
        np.array([[1000.0, 1.004]]), np.array([[1000.0, 1.0041]]), atol=tolerance
    )
    assert not rounded and rounded.message.startswith("Keep more digits")
