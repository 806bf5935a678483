"""Chapter 7's checkers: right answers pass in several forms, wrong ones say what is wrong."""

import math
import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np
import pytest
import tensorflow as tf

from course.exercises import check
from course.exercises.text_generation import (
    EXERCISE_1_PROBABILITIES,
    EXERCISE_2_PROBABILITIES,
    EXERCISE_2_TEMPERATURE,
    EXERCISE_3_TEXT,
    EXERCISE_4_STEP,
    EXERCISE_4_TEXT_LENGTH,
    EXERCISE_4_VOCABULARY,
    EXERCISE_4_WINDOW,
)

# Exercise 1 -------------------------------------------------------------------------

P1 = EXERCISE_1_PROBABILITIES
RIGHT_1 = float(-np.mean(np.log2(P1)))


@pytest.mark.parametrize(
    "answer",
    [
        RIGHT_1,
        np.float32(RIGHT_1),
        tf.constant(RIGHT_1),
        [RIGHT_1],
        -np.mean(np.log(P1)) / math.log(2),
    ],
    ids=["float", "float32", "tensor", "list", "nats / ln 2"],
)
def test_exercise_1_accepts_the_bits(answer):
    assert check("text-generation.1", answer)


@pytest.mark.parametrize(
    "answer, message",
    [
        (-np.mean(np.log(P1)), "in nats"),
        (np.mean(np.log2(P1)), "The sign"),
        (-np.sum(np.log2(P1)), "total over the text"),
        (-np.mean(np.log10(P1)), "log10"),
        (2**RIGHT_1, "perplexity"),
        (-np.log2(np.mean(P1)), "not the log of the mean"),
        (round(RIGHT_1, 2), "Keep more digits"),
        (1.0, "is not it"),
        ("1.8", "string"),
    ],
)
def test_exercise_1_feedback(answer, message):
    feedback = check("text-generation.1", answer)
    assert not feedback
    assert message in feedback.message


# Exercise 2 -------------------------------------------------------------------------

P2, T2 = EXERCISE_2_PROBABILITIES, EXERCISE_2_TEMPERATURE
RIGHT_2 = np.exp(np.log(P2) / T2) / np.exp(np.log(P2) / T2).sum()


def test_exercise_2_accepts_the_distribution_in_any_form():
    assert check("text-generation.2", RIGHT_2)
    assert check("text-generation.2", RIGHT_2.tolist())
    assert check("text-generation.2", tf.nn.softmax(tf.math.log(P2) / T2))
    assert check("text-generation.2", P2**2 / (P2**2).sum())


@pytest.mark.parametrize(
    "answer, message",
    [
        (np.sqrt(P2) / np.sqrt(P2).sum(), "power T"),
        (P2**2, "Normalise"),
        (P2, "temperature 1"),
        (np.log(P2) / T2, "exponentiate"),
        (RIGHT_2[:3], "shape (4,)"),
        (np.array([0.1, 0.2, 0.3, 0.4]), "differs from the expected values"),
        (RIGHT_2 * 1.1, "add up to"),
        (RIGHT_2.round(2), "Keep more digits"),
    ],
)
def test_exercise_2_feedback(answer, message):
    feedback = check("text-generation.2", answer)
    assert not feedback
    assert message in feedback.message


# Exercise 3 -------------------------------------------------------------------------

ALPHABET = sorted(set(EXERCISE_3_TEXT))
COUNTS = np.zeros((len(ALPHABET), len(ALPHABET)))
for a, b in zip(EXERCISE_3_TEXT, EXERCISE_3_TEXT[1:]):
    COUNTS[ALPHABET.index(a), ALPHABET.index(b)] += 1
RIGHT_3 = (COUNTS + 1) / (COUNTS + 1).sum(axis=1, keepdims=True)


def test_exercise_3_accepts_the_table_in_any_form():
    assert check("text-generation.3", RIGHT_3)
    assert check("text-generation.3", RIGHT_3.astype("float32"))
    assert check("text-generation.3", RIGHT_3.tolist())
    assert check("text-generation.3", tf.constant(RIGHT_3))


@pytest.mark.parametrize(
    "answer, message",
    [
        (RIGHT_3.T, "transpose"),
        (COUNTS, "Those are counts"),
        (COUNTS + 1, "Those are counts"),
        (COUNTS / COUNTS.sum(axis=1, keepdims=True), "add-one smoothing"),
        ((COUNTS + 1) / (COUNTS + 1).sum(), "Normalise each row"),
        (RIGHT_3[:-1], "(6, 6) table"),
        (np.full((6, 6), 0.2), "Each row should sum to 1"),
        (np.full((6, 6), 1 / 6), "differs from the expected values"),
    ],
)
def test_exercise_3_feedback(answer, message):
    feedback = check("text-generation.3", answer)
    assert not feedback
    assert message in feedback.message


# Exercise 4 -------------------------------------------------------------------------

N, W, S, V = EXERCISE_4_TEXT_LENGTH, EXERCISE_4_WINDOW, EXERCISE_4_STEP, EXERCISE_4_VOCABULARY
WINDOWS = len(range(0, N - W, S))
RIGHT_4 = WINDOWS * W * V + WINDOWS * V


def test_exercise_4_accepts_the_bytes_in_any_form():
    import keras  # noqa: F401 - the arrays the classic notebook builds

    x = np.zeros((WINDOWS, W, V), dtype=bool)
    y = np.zeros((WINDOWS, V), dtype=bool)
    assert check("text-generation.4", x.nbytes + y.nbytes)
    assert check("text-generation.4", float(RIGHT_4))
    assert check("text-generation.4", np.int64(RIGHT_4))


@pytest.mark.parametrize(
    "answer, message",
    [
        (WINDOWS * W * V, "That is x alone"),
        (WINDOWS * V, "That is y alone"),
        ((N - W) * (W + 1) * V, "every 3 characters"),
        (RIGHT_4 * 4, "not four"),
        (RIGHT_4 // 8, "not per bit"),
        (WINDOWS * (W + 1), "not one byte"),
        (123, "is not it"),
        (RIGHT_4 + 0.5, "fractional part"),
    ],
)
def test_exercise_4_feedback(answer, message):
    feedback = check("text-generation.4", answer)
    assert not feedback
    assert message in feedback.message
