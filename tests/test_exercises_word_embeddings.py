"""Chapter 2 checkers: right answers pass, wrong ones get specific feedback."""

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np
import pytest
import tensorflow as tf

from course.exercises import Feedback, check
from course.exercises.word_embeddings import (
    EXERCISE_2_IDS,
    EXERCISE_2_WEIGHTS,
    EXERCISE_3_BATCH,
    EXERCISE_4_VECTORS,
    expected_parameter_count,
)

# Exercise 1: parameter count ---------------------------------------------------

V, D, N = 5_000, 16, 50


def test_exercise_1_accepts_the_count_in_any_numeric_form():
    right = expected_parameter_count(V, D, N)
    assert right == 80_801
    for answer in (
        right,
        float(right),
        np.int64(right),
        np.array(right),
        [right],
        tf.constant(right),
    ):
        assert check("word-embeddings.1", answer), answer


def test_exercise_1_matches_keras():
    import keras

    model = keras.Sequential(
        [
            keras.Input(shape=(N,), dtype="int64"),
            keras.layers.Embedding(V, D),
            keras.layers.Flatten(),
            keras.layers.Dense(1),
        ]
    )
    assert model.count_params() == expected_parameter_count(V, D, N)


@pytest.mark.parametrize(
    "answer, message",
    [
        (V * D, "Embedding layer alone"),
        (V * D + N * D, "also has a bias"),
        (V * D + D + 1, "800 weights, not 16"),
        ((V + 1) * D + N * D + 1, "already includes index 0"),
        (N * V + 1, "one-hot input"),
        (V * D + N * D + D, "one bias, not one per embedding dimension"),
        (12_345, "input_dim × output_dim"),
        (80_801.5, "fractional part"),
        ("80801", "without quotes"),
        (True, "boolean"),
        ([1, 2], "a list of 2 items"),
        (float("nan"), "NaN"),
        (None, "forget to `return`"),
    ],
)
def test_exercise_1_feedback(answer, message):
    feedback = check("word-embeddings.1", answer)
    assert not feedback
    assert message in feedback.message


# Exercise 2: lookup ----------------------------------------------------------------

RIGHT_2 = EXERCISE_2_WEIGHTS[EXERCISE_2_IDS]


def test_exercise_2_accepts_the_lookup_and_a_keras_tensor():
    import keras

    assert check("word-embeddings.2", RIGHT_2)
    assert check("word-embeddings.2", RIGHT_2.astype(np.float64).tolist())
    layer = keras.layers.Embedding(
        6, 3, embeddings_initializer=keras.initializers.Constant(EXERCISE_2_WEIGHTS)
    )
    assert check("word-embeddings.2", layer(EXERCISE_2_IDS))


@pytest.mark.parametrize(
    "answer, message",
    [
        (np.eye(6)[EXERCISE_2_IDS], "looks like one-hot"),
        (RIGHT_2.transpose(1, 0, 2), "batch and position are swapped"),
        (RIGHT_2[0], "Expected shape (batch, sequence length, embedding width) = (2, 3, 3)"),
        (EXERCISE_2_WEIGHTS[np.clip(EXERCISE_2_IDS - 1, 0, 5)], "rows at ids - 1"),
        (EXERCISE_2_WEIGHTS[np.clip(EXERCISE_2_IDS + 1, 0, 5)], "rows at ids + 1"),
        (np.where(np.arange(3)[None, :, None] == 2, 0, RIGHT_2), "Only id 0 is padding"),
        (RIGHT_2 + np.eye(3)[None, 0:1, :] * 0.5, "differs from the expected values"),
        ("vectors", "string"),
        (np.where(RIGHT_2 > 1, np.inf, RIGHT_2), "inf"),
        ([[[0.1, 0.2, 0.3]], [[0.4]]], "ragged"),
    ],
)
def test_exercise_2_feedback(answer, message):
    feedback = check("word-embeddings.2", answer)
    assert not feedback
    assert message in feedback.message


# Exercise 3: mask ------------------------------------------------------------------

RIGHT_3 = EXERCISE_3_BATCH != 0


def test_exercise_3_accepts_the_keras_mask():
    import keras

    assert check("word-embeddings.3", RIGHT_3)
    assert check("word-embeddings.3", RIGHT_3.tolist())
    assert check(
        "word-embeddings.3",
        keras.layers.Embedding(10, 2, mask_zero=True).compute_mask(EXERCISE_3_BATCH),
    )


@pytest.mark.parametrize(
    "answer, message",
    [
        (~RIGHT_3, "inverted"),
        (RIGHT_3.astype(int), "Keras masks are booleans"),
        (EXERCISE_3_BATCH, "True/False"),
        (RIGHT_3[:2], "shape (3, 5)"),
        (np.ones_like(RIGHT_3), "differs from the expected values"),
        (RIGHT_3.T, "transpose"),
        ("mask", "string"),
    ],
)
def test_exercise_3_feedback(answer, message):
    feedback = check("word-embeddings.3", answer)
    assert not feedback
    assert message in feedback.message


# Exercise 4: cosine similarity -----------------------------------------------------

GOOD, GREAT = EXERCISE_4_VECTORS["good"], EXERCISE_4_VECTORS["great"]


def test_exercise_4_accepts_the_cosine():
    assert check("word-embeddings.4", 20 / 21)
    assert check("word-embeddings.4", np.float32(20 / 21))
    assert check("word-embeddings.4", tf.constant(20 / 21))
    assert check("word-embeddings.4", [round(20 / 21, 5)])
    assert "20 / (3 × 7)" in check("word-embeddings.4", 20 / 21).message


@pytest.mark.parametrize(
    "answer, message",
    [
        (20.0, "dot product"),
        (1 - 20 / 21, "cosine *distance*"),
        (float(np.linalg.norm(GOOD - GREAT)), "Euclidean distance"),
        (0.5, "a·b / (|a| |b|)"),
        (-3.0, "between −1 and 1"),
        ([0.1, 0.2], "single number"),
        (round(20 / 21, 3), "Keep more digits"),
        (np.float32(round(20 / 21, 2)), "Keep more digits"),
        ("0.952", "without quotes"),
        (np.nan, "NaN"),
    ],
)
def test_exercise_4_feedback(answer, message):
    feedback = check("word-embeddings.4", answer)
    assert not feedback
    assert message in feedback.message
    assert isinstance(feedback, Feedback)
