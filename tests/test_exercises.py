"""Every solution in the book passes its checker; wrong answers get useful feedback."""

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import keras
import numpy as np
import pytest
from book_tools import solution_cells

from course import exercises
from course.colab import chapter_sources
from course.exercises import CHECKERS, Feedback, check, checker, correct, expect_array, wrong
from course.exercises.text_vectorization import (
    EXERCISE_1_SAMPLES,
    EXERCISE_2_TEXTS,
    EXERCISE_3_SENTENCE,
    EXERCISE_3_VOCABULARY,
)
from course.text import one_hot_words

SOLUTIONS = [(label, code) for source in chapter_sources() for label, code in solution_cells(source)]


def exercise_id(label: str) -> str:
    """The book's label 'text-vectorization-1' is the checker id 'text-vectorization.1'."""
    slug, number = label.rsplit("-", 1)
    return f"{slug}.{number}"


def test_the_book_has_a_solution_for_every_checker():
    exercises._load_chapter_checkers()
    registered = {name for name in CHECKERS if not name.startswith("demo.")}
    assert {exercise_id(label) for label, _ in SOLUTIONS} == registered


@pytest.mark.parametrize("label, code", SOLUTIONS, ids=[label for label, _ in SOLUTIONS])
def test_each_solution_passes_its_checker(label, code):
    exercise_id_ = exercise_id(label)
    exercises.history.clear()
    exec(compile(code, f"<solution {label}>", "exec"), {})
    verdicts = [feedback for checked_id, feedback in exercises.history if checked_id == exercise_id_]
    assert verdicts, f"the solution of {label} never calls check({exercise_id_!r}, ...)"
    assert all(verdicts), verdicts


def test_unknown_exercise_suggests_the_closest():
    with pytest.raises(ValueError, match="Did you mean 'text-vectorization.1'"):
        check("text-vectorisation.1", None)


def test_feedback_is_truthy_and_shows_a_mark():
    assert bool(correct()) and not bool(wrong("no"))
    assert str(wrong("no")).startswith("❌") and correct()._repr_markdown_().startswith("✅")


def test_a_crashing_checker_gives_feedback_not_a_traceback():
    @checker("demo.crash")
    def crash(answer):
        raise KeyError("boom")

    try:
        feedback = check("demo.crash", 1)
        assert not feedback and "KeyError" in feedback.message
    finally:
        del CHECKERS["demo.crash"]


def test_checkers_cannot_be_registered_twice():
    with pytest.raises(ValueError, match="already has a checker"):
        checker("text-vectorization.1")(lambda answer: correct())


def test_expect_array_explains_ragged_lists():
    _, problem = expect_array([[1, 2], [3]])
    assert problem is not None and "numeric array" in problem.message


# Exercise 1 ---------------------------------------------------------------

EXPECTED_1 = one_hot_words(EXERCISE_1_SAMPLES, max_length=6)


@pytest.mark.parametrize(
    "answer, message",
    [
        ("one hot", "numeric array"),
        (EXPECTED_1[0], "3-D array"),
        (EXPECTED_1[:, :5], "(number of samples, max_length) = (2, 6)"),
        (EXPECTED_1[:, :, 1:], "keep index 0 free"),
        (EXPECTED_1 * 2, "only 0s and 1s"),
        (np.ones_like(EXPECTED_1), "at most one 1"),
        (EXPECTED_1[::-1], "differs from the expected values"),
    ],
)
def test_exercise_1_feedback(answer, message):
    feedback = check("text-vectorization.1", answer)
    assert not feedback
    assert message in feedback.message


# Exercise 2 ---------------------------------------------------------------


def _layer(**overrides):
    settings = dict(max_tokens=50, ngrams=2, output_mode="tf_idf")
    settings.update(overrides)
    layer = keras.layers.TextVectorization(**settings)
    if overrides.pop("adapt", True):
        layer.adapt(EXERCISE_2_TEXTS)
    return layer


def test_exercise_2_feedback():
    assert check("text-vectorization.2", _layer())
    assert "got list" in check("text-vectorization.2", [1]).message
    assert "'multi_hot'" in check("text-vectorization.2", _layer(output_mode="multi_hot")).message
    assert "ngrams=2" in check("text-vectorization.2", _layer(ngrams=None)).message
    assert "asks for 50" in check("text-vectorization.2", _layer(max_tokens=40)).message
    unadapted = keras.layers.TextVectorization(max_tokens=50, ngrams=2, output_mode="tf_idf")
    assert "adapt" in check("text-vectorization.2", unadapted).message


# Exercise 3 ---------------------------------------------------------------


def test_exercise_3_feedback():
    right = keras.layers.TextVectorization(output_mode="count", vocabulary=EXERCISE_3_VOCABULARY[1:])(
        [EXERCISE_3_SENTENCE]
    ).numpy()
    assert check("text-vectorization.3", right)  # a (1, 6) batch is accepted
    assert "out-of-vocabulary" in check("text-vectorization.3", [0, 3, 1, 1, 1, 1]).message
    assert "multi_hot" in check("text-vectorization.3", [2, 1, 1, 1, 1, 1]).message
    assert "shape (6,)" in check("text-vectorization.3", [2, 3, 1]).message
    assert "index (1,)" in check("text-vectorization.3", [2, 2, 1, 1, 1, 1]).message
    assert isinstance(check("text-vectorization.3", "x"), Feedback)
