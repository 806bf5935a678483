"""Chapter 3 (word2vec) checkers: right answers pass, wrong ones say what is wrong."""

from __future__ import annotations

import numpy as np
import pytest
import tensorflow as tf

from course.exercises import check
from course.exercises.word2vec import (
    EXERCISE_1_SENTENCE,
    EXERCISE_2_FREQUENCIES,
    EXERCISE_2_THRESHOLD,
    EXERCISE_3_MATRIX,
    EXERCISE_3_WORDS,
)

WORDS = EXERCISE_1_SENTENCE.split()
PAIRS = [
    (WORDS[i], WORDS[j]) for i in range(len(WORDS)) for j in (i - 1, i + 1) if 0 <= j < len(WORDS)
]


# Exercise 1 ---------------------------------------------------------------


@pytest.mark.parametrize(
    "form",
    [
        PAIRS,
        [list(pair) for pair in reversed(PAIRS)],
        np.array(PAIRS),
        tf.constant(PAIRS),
        tuple(PAIRS),
    ],
    ids=["list of tuples", "reversed lists", "array", "string tensor", "tuple"],
)
def test_exercise_1_accepts_the_pairs_in_any_order_and_form(form):
    assert check("word2vec.1", form)


@pytest.mark.parametrize(
    "answer, message",
    [
        ("the cat", "list of (target, context) pairs"),
        (42, "got the number 42"),
        (None, "got None"),
        ([[0, 1], [1, 0]], "not their ids"),
        ([tuple(side) for side in zip(*PAIRS)], "list(zip(targets, contexts))"),
        ([("the",)], "tuple of two words"),
        ([(1, 2)], "tuple of two words"),
        (PAIRS + [("cat", "cat")], "never its own context"),
        (
            [(WORDS[i], WORDS[j]) for i in range(6) for j in range(6) if 0 < abs(i - j) <= 2],
            "right next to the target",
        ),
        ([(WORDS[i], WORDS[i + 1]) for i in range(5)], "once in each direction"),
        ([(WORDS[i + 1], WORDS[i]) for i in range(5)], "once in each direction"),
        (PAIRS[:-1], "missing 1 pair(s), e.g. ('mat', 'the')"),
        (PAIRS + [("cat", "the")], "1 pair(s) too many"),
    ],
)
def test_exercise_1_feedback(answer, message):
    feedback = check("word2vec.1", answer)
    assert not feedback
    assert message in feedback.message


# Exercise 2 ---------------------------------------------------------------

F = np.array(EXERCISE_2_FREQUENCIES)
T = EXERCISE_2_THRESHOLD
RIGHT_2 = np.minimum(1, (np.sqrt(F / T) + 1) * T / F)


def test_exercise_2_accepts_lists_arrays_and_tensors():
    assert check("word2vec.2", RIGHT_2)
    assert check("word2vec.2", RIGHT_2.round(5).tolist())
    assert check("word2vec.2", RIGHT_2.astype(np.float32))
    assert check("word2vec.2", tf.constant(RIGHT_2))


@pytest.mark.parametrize(
    "answer, message",
    [
        ((np.sqrt(F / T) + 1) * T / F, "min(1, ...)"),
        (np.minimum(1, np.sqrt(T / F)), "paper's sqrt(t / f)"),
        (1 - RIGHT_2, "probabilities of dropping"),
        (-RIGHT_2, "cannot be negative"),
        (RIGHT_2[:4], "shape (5,)"),
        ("0.4", "without quotes"),
        (RIGHT_2 * 0.9, "differs from the expected values"),
        (RIGHT_2.round(3), "Keep more digits: rounded to the 3 decimal(s)"),
        (RIGHT_2.round(2).tolist(), "Keep more digits"),
        (RIGHT_2[:, None], "extra axis of size 1"),
        (np.append(RIGHT_2[:4], np.nan), "NaN"),
        ([0.16, 0.42, 0.75, 1, None], "None at index (4,)"),
    ],
)
def test_exercise_2_feedback(answer, message):
    feedback = check("word2vec.2", answer)
    assert not feedback
    assert message in feedback.message


# Exercise 3 ---------------------------------------------------------------


def test_exercise_3_answer_agrees_with_the_course_helper():
    from course.embeddings import analogy

    expected = analogy((EXERCISE_3_WORDS, EXERCISE_3_MATRIX), "man", "woman", "king")[0][0]
    assert check("word2vec.3", expected)
    assert check("word2vec.3", [(expected, 0.9)]).passed is False  # a list of pairs: say so


@pytest.mark.parametrize(
    "form", ["queen", np.str_("queen"), b"queen", tf.constant("queen"), ["queen"], "queen\n"]
)
def test_exercise_3_accepts_the_word_in_any_form(form):
    assert check("word2vec.3", form)


@pytest.mark.parametrize(
    "answer, message",
    [
        ("woman", "leave the three query words out"),
        ("king", "leave the three query words out"),
        ("prince", "Normalise each vector"),
        ("crown", "not by the raw dot product"),
        ("emperor", "not one of the words"),
        (("queen", 0.93), "word alone"),
        (3, "Expected the word to be a string, got the number 3"),
        ("Queen", "lower-case"),
        (None, "got None"),
    ],
)
def test_exercise_3_feedback(answer, message):
    feedback = check("word2vec.3", answer)
    assert not feedback
    assert message in feedback.message


def test_exercise_3_every_slip_gives_a_different_word():
    """The matrix is built so that each common mistake lands on its own word."""
    from course.exercises.word2vec import _analogy

    answers = {
        _analogy(),
        _analogy(exclude=False),
        _analogy(normalise=False),
        _analogy(cosine=False),
    }
    assert len(answers) == 4


# Exercise 4 ---------------------------------------------------------------


def loop(n, w):
    return sum(min(i, w) + min(n - 1 - i, w) for i in range(n))


def test_exercise_4_accepts_loops_and_the_closed_form_with_its_edge_case():
    assert check("word2vec.4", loop)
    closed = lambda n, w: w * (2 * n - w - 1) if w < n else n * (n - 1)  # noqa: E731
    assert check("word2vec.4", closed)


@pytest.mark.parametrize(
    "function",
    [
        lambda n, w: np.int64(loop(n, w)),
        lambda n, w: float(loop(n, w)),
        lambda n, w: tf.constant(loop(n, w)),
    ],
    ids=["np.int64", "float", "tensor"],
)
def test_exercise_4_accepts_any_whole_number_result(function):
    assert check("word2vec.4", function)


@pytest.mark.parametrize(
    "answer, message",
    [
        (9970, "Expected a function"),
        (lambda n, w: str(loop(n, w)), "got the string '0'"),
        (lambda n, w: None, "forget to `return`"),
        (lambda n, w: loop(n, w) + 0.5, "fractional part"),
        (lambda n, w: float("nan"), "NaN"),
        (lambda n: n, "raised TypeError"),
        (lambda n, w: loop(n, w) // (n - 1), "raised ZeroDivisionError"),
        (lambda n, w: 2 * n * w, "window is cut off"),
        (lambda n, w: w * (2 * n - w - 1) // 2, "two different pairs"),
        (lambda n, w: w * (2 * n - w - 1), "reaches past both ends"),
        (lambda n, w: "many", "should return the count as a number"),
        (lambda n, w: n * w, "expected"),
    ],
)
def test_exercise_4_feedback(answer, message):
    feedback = check("word2vec.4", answer)
    assert not feedback
    assert message in feedback.message
