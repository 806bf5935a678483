"""Checkers for chapter 2, word embeddings (exercise ids ``word-embeddings.N``)."""

from __future__ import annotations

from typing import Any

import numpy as np

from course.exercises import checker, compare_values, correct, wrong
from course.exercises.answers import as_array, as_integer, as_number, rounding_hint

# Exercise 1: count the parameters of Embedding -> Flatten -> Dense(1).
EXERCISE_1_VOCABULARY_SIZE = 5_000
EXERCISE_1_EMBEDDING_DIM = 16
EXERCISE_1_SEQUENCE_LENGTH = 50

# Exercise 2: an embedding lookup by hand.
EXERCISE_2_WEIGHTS = np.array(
    [
        [0.0, 0.0, 0.0],
        [0.1, 0.2, 0.3],
        [1.0, -1.0, 0.5],
        [0.4, 0.4, -0.2],
        [-0.7, 0.0, 0.9],
        [2.0, 1.5, -1.0],
    ],
    dtype=np.float32,
)
EXERCISE_2_IDS = np.array([[1, 5, 0], [3, 3, 2]])

# Exercise 3: the mask of a padded batch.
EXERCISE_3_BATCH = np.array(
    [
        [7, 2, 9, 0, 0],
        [4, 0, 0, 0, 0],
        [3, 8, 1, 6, 5],
    ]
)

# Exercise 4: cosine similarity of two word vectors.
EXERCISE_4_VECTORS = {
    "good": np.array([1.0, 2.0, 2.0]),
    "great": np.array([2.0, 3.0, 6.0]),
}


def expected_parameter_count(
    vocabulary_size: int, embedding_dim: int, sequence_length: int
) -> int:
    """Parameters of Embedding(vocabulary_size, embedding_dim) -> Flatten -> Dense(1).

    Example:
        >>> expected_parameter_count(10_000, 8, 20)
        80161
    """
    return vocabulary_size * embedding_dim + sequence_length * embedding_dim + 1


@checker("word-embeddings.1")
def check_parameter_count(answer: Any) -> Any:
    """Trainable parameters of Embedding(5,000, 16) -> Flatten over 50 positions -> Dense(1)."""
    value = as_integer(answer, name="the parameter count")
    v, d, n = EXERCISE_1_VOCABULARY_SIZE, EXERCISE_1_EMBEDDING_DIM, EXERCISE_1_SEQUENCE_LENGTH
    expected = expected_parameter_count(v, d, n)
    hints = {
        v * d: "That is the Embedding layer alone: add the Dense layer's weights and bias.",
        v * d + n * d: "Almost: the Dense layer also has a bias, one per unit.",
        v * d + d + 1: (
            f"Flatten turns the ({n}, {d}) output into {n * d} numbers, so the Dense layer has "
            f"{n * d} weights, not {d}."
        ),
        (v + 1) * d + n * d + 1: (
            "input_dim is the vocabulary size and already includes index 0 (padding): "
            f"the table has {v} rows, not {v + 1}."
        ),
        n * v + 1: (
            "That is the count for one-hot input (Flatten over 50 × 5,000 one-hot values, then "
            "Dense(1)); with an Embedding layer the words go through a 16-wide table first."
        ),
        v * d
        + n * d
        + d: "The Dense layer has one unit, so one bias, not one per embedding dimension.",
    }
    if value == expected:
        return correct(
            f"Correct: {v:,} × {d} = {v * d:,} in the embedding table, "
            f"plus {n * d} + 1 in Dense(1)."
        )
    if value in hints:
        return wrong(hints[value])
    return wrong(
        f"Got {value:,}. Count each layer: an Embedding has input_dim × output_dim weights; "
        "Flatten has none; a Dense layer has inputs × units weights plus units biases. "
        "Check with model.count_params()."
    )


@checker("word-embeddings.2")
def check_embedding_lookup(answer: Any) -> Any:
    """``EXERCISE_2_WEIGHTS`` looked up at ``EXERCISE_2_IDS``: shape (2, 3, 3)."""
    expected = EXERCISE_2_WEIGHTS[EXERCISE_2_IDS]
    array = as_array(answer, dtype=float, name="the lookup")
    rows, vocabulary, width = len(EXERCISE_2_IDS), *EXERCISE_2_WEIGHTS.shape
    length = EXERCISE_2_IDS.shape[1]
    if array.shape == (rows, length, vocabulary):
        return wrong(
            f"Shape {array.shape} looks like one-hot vectors (one column per vocabulary entry). "
            f"The lookup returns the weight row of each id: shape ({rows}, {length}, {width})."
        )
    if array.shape == (length, rows, width):
        return wrong(
            f"Shape {array.shape}: batch and position are swapped; expected {expected.shape}."
        )
    if array.shape != expected.shape:
        return wrong(
            f"Expected shape (batch, sequence length, embedding width) = {expected.shape}, "
            f"got {array.shape}."
        )
    for shift, direction in ((1, "ids + 1"), (-1, "ids - 1")):
        shifted = np.clip(EXERCISE_2_IDS + shift, 0, vocabulary - 1)
        if np.allclose(array, EXERCISE_2_WEIGHTS[shifted]) and not np.allclose(array, expected):
            return wrong(
                f"Those are the rows at {direction}: "
                "row i of the weight matrix is the vector of id i, "
                "counting from 0 (row 0 is padding)."
            )
    if np.allclose(array[:, 2], 0) and not np.allclose(expected[:, 2], 0):
        return wrong("Only id 0 is padding; other ids look up their own rows.")
    return compare_values(array, expected, atol=1e-6, name="the lookup")


@checker("word-embeddings.3")
def check_padding_mask(answer: Any) -> Any:
    """The mask of ``EXERCISE_3_BATCH``: True for real tokens, False for padding (id 0)."""
    expected = EXERCISE_3_BATCH != 0
    array = as_array(answer, shape=expected.shape, name="the mask (one entry per id)")
    if array.dtype.kind != "b":
        if np.isin(array, (0, 1)).all():
            return wrong(
                f"Keras masks are booleans, got dtype {array.dtype}. Use `ids != 0` or "
                "`.astype(bool)` (or the layer's compute_mask)."
            )
        return wrong(f"A mask holds True/False, got values of dtype {array.dtype}.")
    if np.array_equal(array, ~expected):
        return wrong("The mask is inverted: True marks real tokens to keep, False marks padding.")
    return compare_values(array, expected, name="the mask")


@checker("word-embeddings.4")
def check_cosine_similarity(answer: Any) -> Any:
    """Cosine similarity of ``EXERCISE_4_VECTORS["good"]`` and ``["great"]``."""
    value = as_number(answer, name="the cosine similarity")
    a, b = EXERCISE_4_VECTORS["good"], EXERCISE_4_VECTORS["great"]
    dot = float(a @ b)
    expected = dot / (np.linalg.norm(a) * np.linalg.norm(b))
    if np.isclose(value, expected, atol=1e-4):
        return correct(
            f"Correct: {dot:g} / ({np.linalg.norm(a):g} × {np.linalg.norm(b):g}) = {expected:.4f}."
        )
    if (
        hint := rounding_hint(value, expected, atol=1e-4, name="the cosine similarity")
    ) is not None:
        return wrong(hint)
    if np.isclose(value, dot):
        return wrong("That is the dot product; divide it by the lengths (norms) of both vectors.")
    if np.isclose(value, 1 - expected, atol=1e-4):
        return wrong(
            "That is the cosine *distance* (1 − similarity), what scipy's `cosine` returns."
        )
    if np.isclose(value, np.linalg.norm(a - b)):
        return wrong(
            "That is the Euclidean distance; cosine similarity compares directions, not positions."
        )
    if not -1 <= value <= 1:
        return wrong(f"A cosine similarity lies between −1 and 1; got {value:g}.")
    return wrong(f"Got {value:.4f}; cosine similarity is a·b / (|a| |b|).")
