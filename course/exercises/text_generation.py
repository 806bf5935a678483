"""Checkers for chapter 7 (text generation): cross-entropy in bits, temperature, a bigram
table, the memory of the classic one-hot windows.

Example:
    >>> from course.exercises import check
    >>> check("text-generation.4", 1).passed
    False
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from course.exercises import checker, compare_values, correct, wrong
from course.exercises.answers import as_array, as_integer, as_number, rounding_hint

# Exercise 1: the probabilities a model gave the true next characters of a text.
EXERCISE_1_PROBABILITIES = np.array([0.5, 0.25, 0.8, 0.1, 0.6, 0.05, 0.9, 0.4])

# Exercise 2: reweight a distribution with a temperature.
EXERCISE_2_PROBABILITIES = np.array([0.05, 0.15, 0.5, 0.3])
EXERCISE_2_TEMPERATURE = 0.5

# Exercise 3: an add-one bigram table over the sorted characters of a text.
EXERCISE_3_TEXT = "the cat ate the hat"
EXERCISE_3_SMOOTHING = 1.0

# Exercise 4: bytes of the classic one-hot x and y arrays (booleans, one byte each).
EXERCISE_4_TEXT_LENGTH = 600_893
EXERCISE_4_WINDOW = 60
EXERCISE_4_STEP = 3
EXERCISE_4_VOCABULARY = 57


def _cross_entropy_bits() -> float:
    return float(-np.mean(np.log2(EXERCISE_1_PROBABILITIES)))


@checker("text-generation.1")
def check_cross_entropy_bits(answer: Any) -> Any:
    """Cross-entropy in bits per character of ``EXERCISE_1_PROBABILITIES``."""
    value = as_number(answer, name="the cross-entropy")
    expected = _cross_entropy_bits()
    if math.isclose(value, expected, rel_tol=1e-6):
        return correct(
            f"Correct: {expected:.4f} bits per character, a perplexity of {2**expected:.3f}."
        )
    p = EXERCISE_1_PROBABILITIES
    mistakes = {
        float(-np.mean(np.log(p))): "That is in nats (natural logarithm). Divide by ln 2, or use "
        "np.log2, for bits.",
        float(np.mean(np.log2(p))): "The sign: log-probabilities are negative, cross-entropy is "
        "their negated mean.",
        float(-np.sum(np.log2(p))): "That is the total over the text. Cross-entropy per "
        "character is the mean.",
        float(-np.mean(np.log10(p))): "That is in decimal digits (log10). Use log2 for bits.",
        float(2**expected): "That is the perplexity, 2 ** (bits). The exercise asks for the "
        "cross-entropy itself.",
        float(-np.log2(np.mean(p))): "Take the mean of the log-probabilities, not the log of the "
        "mean probability.",
    }
    for mistake, message in mistakes.items():
        if math.isclose(value, mistake, rel_tol=1e-6):
            return wrong(message)
    if (hint := rounding_hint(np.array(value), np.array(expected), atol=0, rtol=1e-6)) is not None:
        return wrong(hint)
    return wrong(
        f"{value} is not it. Average -log2(p) over the {len(p)} probabilities (each one is what "
        "the model gave the character that really came next)."
    )


@checker("text-generation.2")
def check_temperature(answer: Any) -> Any:
    """``EXERCISE_2_PROBABILITIES`` reweighted with ``EXERCISE_2_TEMPERATURE``."""
    from course.language_models import reweight

    p, temperature = EXERCISE_2_PROBABILITIES, EXERCISE_2_TEMPERATURE
    array = as_array(answer, dtype=float, name="the reweighted distribution")
    if array.shape != p.shape:
        return wrong(
            f"Expected one probability per token, shape {p.shape}; got shape {array.shape}."
        )
    expected = reweight(p, temperature)
    if np.allclose(array, expected, atol=1e-8, rtol=1e-6):
        return correct("Correct: at temperature 0.5 the likely tokens gain, the rare ones lose.")
    mistakes = {
        "power_t": (
            p**temperature / (p**temperature).sum(),
            "You raised p to the power T. The "
            "reweighting is p ** (1 / T): a low temperature sharpens the distribution.",
        ),
        "not_normalised": (
            p ** (1 / temperature),
            "Normalise: divide by the sum so that the probabilities add up to 1.",
        ),
        "unchanged": (
            p,
            "That is the distribution at temperature 1 (dividing the probabilities by T and "
            "normalising gives it back too). Divide the log-probabilities by T, then "
            "exponentiate and normalise.",
        ),
        "log_not_exp": (
            np.log(p) / temperature,
            "Those are the reweighted logits: exponentiate them and normalise.",
        ),
    }
    for candidate, message in mistakes.values():
        if np.allclose(array, candidate, atol=1e-8, rtol=1e-6):
            return wrong(message)
    if not math.isclose(float(array.sum()), 1.0, abs_tol=1e-6):
        return wrong(f"The probabilities add up to {array.sum():.4f}, not 1.")
    return compare_values(array, expected, atol=1e-8, rtol=1e-6, name="the distribution")


def _bigram_counts(text: str) -> np.ndarray:
    alphabet = sorted(set(text))
    index = {character: i for i, character in enumerate(alphabet)}
    counts = np.zeros((len(alphabet), len(alphabet)))
    for first, second in zip(text, text[1:]):
        counts[index[first], index[second]] += 1
    return counts


def _bigram_table(text: str, smoothing: float) -> np.ndarray:
    counts = _bigram_counts(text) + smoothing
    return counts / counts.sum(axis=1, keepdims=True)


@checker("text-generation.3")
def check_bigram_table(answer: Any) -> Any:
    """The add-one bigram table ``P[a, b] = P(next = b | current = a)`` of ``EXERCISE_3_TEXT``."""
    text, k = EXERCISE_3_TEXT, EXERCISE_3_SMOOTHING
    expected = _bigram_table(text, k)
    size = len(expected)
    array = as_array(answer, dtype=float, name="the bigram table")
    if array.shape != expected.shape:
        return wrong(
            f"Expected a ({size}, {size}) table, one row and one column per character of "
            f"sorted(set(text)) ({size} characters, the space included); got {array.shape}."
        )
    if np.allclose(array, expected, atol=1e-8):
        return correct("Correct: every row is a distribution over the next character.")
    if np.allclose(array, expected.T, atol=1e-8):
        return wrong(
            "That is the transpose: row a must hold P(next | a), so rows (not columns) sum to 1."
        )
    counts = _bigram_counts(text)
    if np.allclose(array, counts, atol=1e-8) or np.allclose(array, counts + k, atol=1e-8):
        return wrong("Those are counts. Divide each row by its total to get probabilities.")
    rows = counts.sum(axis=1, keepdims=True)
    with np.errstate(divide="ignore", invalid="ignore"):
        unsmoothed = counts / rows
    if np.allclose(np.nan_to_num(array), np.nan_to_num(unsmoothed), atol=1e-8):
        return wrong(
            f"Add {k:g} to every count before normalising (add-one smoothing), so that no "
            "bigram has probability 0."
        )
    if np.allclose(array, (counts + k) / (counts + k).sum(), atol=1e-8):
        return wrong(
            "Normalise each row, not the whole table: P(next | current) sums to 1 over each row."
        )
    if not np.allclose(array.sum(axis=1), 1, atol=1e-6):
        return wrong("Each row should sum to 1: it is a distribution over the next character.")
    return compare_values(array, expected, atol=1e-8, name="the bigram table")


@checker("text-generation.4")
def check_one_hot_bytes(answer: Any) -> Any:
    """Bytes of the classic boolean one-hot ``x`` and ``y`` for Nietzsche, window 60, step 3."""
    from course.language_models import one_hot_bytes

    n, window, step, size = (
        EXERCISE_4_TEXT_LENGTH,
        EXERCISE_4_WINDOW,
        EXERCISE_4_STEP,
        EXERCISE_4_VOCABULARY,
    )
    count = as_integer(answer, name="the number of bytes")
    expected = one_hot_bytes(n, window, step, size)
    windows = len(range(0, n - window, step))
    if count == expected:
        return correct(
            f"Correct: {windows:,} windows × ({window} + 1) × {size} bytes = {expected:,} bytes "
            f"({expected / 2**20:.0f} MiB), against {n * 4:,} bytes for the int32 ids."
        )
    mistakes = {
        windows * window * size: "That is x alone. Add y, the one-hot next character of every "
        "window (windows × V).",
        windows * size: "That is y alone. Add x, windows × window length × V.",
        len(range(0, n - window)) * (window + 1) * size: "Windows start every "
        f"{step} characters, not at every one.",
        windows * (window + 1) * size * 4: "NumPy stores booleans in one byte each, not four.",
        windows * (window + 1) * size * 8: "NumPy stores booleans in one byte each, not eight.",
        windows * (window + 1) * size // 8: "NumPy stores one boolean per byte, not per bit.",
        windows * (window + 1): "Each position is a one-hot vector of V bytes, not one byte.",
    }
    if count in mistakes:
        return wrong(mistakes[count])
    return wrong(
        f"{count:,} is not it. Count the windows, range(0, {n:,} - {window}, {step}), then "
        f"multiply by the bytes of one window's x ({window} × {size}) and y ({size})."
    )
