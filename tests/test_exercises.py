"""Every solution in the book passes its checker; wrong answers get useful feedback."""

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import keras
import numpy as np
import pytest
import tensorflow as tf
from book_tools import solution_cells

from bookbuild.colab import chapter_sources
from course import exercises
from course.exercises import CHECKERS, check, checker, correct, expect_array, wrong
from course.exercises.text_vectorization import (
    EXERCISE_1_SAMPLES,
    EXERCISE_2_TEXTS,
    EXERCISE_3_SENTENCE,
    EXERCISE_3_VOCABULARY,
)
from course.text import one_hot_words

SOLUTIONS = [
    (label, code) for source in chapter_sources() for label, code in solution_cells(source)
]


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
    verdicts = [
        feedback for checked_id, feedback in exercises.history if checked_id == exercise_id_
    ]
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
    assert problem is not None and "ragged" in problem.message


def test_expect_array_checks_the_dtype_kind():
    array, problem = expect_array(np.ones(3, dtype=np.float32), kind="f")
    assert problem is None and array.dtype == np.float32
    _, problem = expect_array([1, 2], kind="f")
    assert problem is not None and "floats" in problem.message


# Every checker, fed what students send -------------------------------------------------

exercises._load_chapter_checkers()
ALL_EXERCISES = sorted(name for name in CHECKERS if not name.startswith("demo."))

JUNK = {
    "None": (None, "None"),
    "text": ("my answer", "string"),
    "NaN": (float("nan"), "nan"),
    "inf": (float("inf"), "inf"),
    "ragged": ([[1, 2], [3]], ""),
    "huge": (np.zeros((1_000, 1_000)), ""),
    "object": (object(), "object"),
}


@pytest.mark.parametrize("junk", JUNK, ids=list(JUNK))
@pytest.mark.parametrize("exercise", ALL_EXERCISES)
def test_every_checker_gives_specific_feedback_on_junk(exercise, junk):
    answer, mentions = JUNK[junk]
    if (exercise, junk) == ("word2vec.3", "text"):  # a string is the right type there
        mentions = "not one of the words"
    feedback = check(exercise, answer)
    assert not feedback
    assert "raised" not in feedback.message, feedback.message  # no generic crash report
    assert mentions.lower() in feedback.message.lower(), feedback.message
    assert ("ragged" in feedback.message) <= (junk == "ragged"), feedback.message
    assert len(feedback.message) < 400, feedback.message  # a summary, never the array itself


def test_every_chapter_has_checked_exercises():
    slugs = {name.split(".")[0] for name in ALL_EXERCISES}
    chapters = {source.stem[3:].replace("_", "-") for source in chapter_sources()}
    assert chapters <= slugs, f"chapters without a checker: {sorted(chapters - slugs)}"
    assert len(ALL_EXERCISES) >= 14


# Exercise 1 ---------------------------------------------------------------

EXPECTED_1 = one_hot_words(EXERCISE_1_SAMPLES, max_length=6)


@pytest.mark.parametrize(
    "form",
    [
        EXPECTED_1,
        EXPECTED_1.astype(int).tolist(),
        EXPECTED_1.astype(bool),
        tf.constant(EXPECTED_1, tf.float32),
    ],
    ids=["float64 array", "nested int lists", "bool array", "float32 tensor"],
)
def test_exercise_1_accepts_the_tensor_in_any_form(form):
    assert check("text-vectorization.1", form)


@pytest.mark.parametrize(
    "answer, message",
    [
        ("one hot", "string"),
        (EXPECTED_1[0], "3-D array"),
        (EXPECTED_1[:, :5], "(number of samples, max_length) = (2, 6)"),
        (EXPECTED_1[:, :, 1:], "keep index 0 free"),
        (EXPECTED_1 * 2, "only 0s and 1s"),
        (np.ones_like(EXPECTED_1), "at most one 1"),
        (EXPECTED_1[::-1], "differs from the expected values"),
        (np.where(EXPECTED_1 == 1, np.nan, 0), "NaN"),
    ],
)
def test_exercise_1_feedback(answer, message):
    feedback = check("text-vectorization.1", answer)
    assert not feedback
    assert message in feedback.message


# Exercise 2 ---------------------------------------------------------------


def _layer(texts=EXERCISE_2_TEXTS, **overrides):
    settings = dict(max_tokens=50, ngrams=2, output_mode="tf_idf")
    settings.update(overrides)
    layer = keras.layers.TextVectorization(**settings)
    layer.adapt(texts)
    return layer


@pytest.mark.parametrize(
    "texts",
    [
        EXERCISE_2_TEXTS,
        np.array(EXERCISE_2_TEXTS),
        tf.data.Dataset.from_tensor_slices(EXERCISE_2_TEXTS).batch(3),
    ],
    ids=["list", "array", "batched dataset"],
)
def test_exercise_2_accepts_the_layer_adapted_on_the_texts_in_any_form(texts):
    assert check("text-vectorization.2", _layer(texts))


def test_exercise_2_accepts_ngrams_as_a_tuple():
    assert check("text-vectorization.2", _layer(ngrams=(1, 2)))


@pytest.mark.parametrize(
    "make, message",
    [
        (lambda: [1], "got a list of 1 item"),
        (lambda: _layer(output_mode="multi_hot"), "'multi_hot'"),
        (lambda: _layer(ngrams=None), "ngrams=2"),
        (lambda: _layer(max_tokens=40), "asks for 50"),
        (
            lambda: keras.layers.TextVectorization(max_tokens=50, ngrams=2, output_mode="tf_idf"),
            "adapt",
        ),
        (
            lambda: _layer(["the movie was bad", "what a great movie", "bad acting, bad plot"]),
            "never occur",
        ),
        (lambda: _layer(EXERCISE_2_TEXTS[:4]), "adapt the layer on all 8 texts"),
        (lambda: _layer(EXERCISE_2_TEXTS * 2), "exactly once"),
        (lambda: _layer(standardize="lower"), "standardize is 'lower'"),
    ],
    ids=[
        "list",
        "multi_hot",
        "unigrams",
        "max_tokens",
        "unadapted",
        "other texts",
        "half the texts",
        "texts twice",
        "standardize",
    ],
)
def test_exercise_2_feedback(make, message):
    feedback = check("text-vectorization.2", make())
    assert not feedback
    assert message in feedback.message


# Exercise 3 ---------------------------------------------------------------

RIGHT_3 = keras.layers.TextVectorization(
    output_mode="count", vocabulary=EXERCISE_3_VOCABULARY[1:]
)([EXERCISE_3_SENTENCE])


@pytest.mark.parametrize(
    "form",
    [
        RIGHT_3,
        RIGHT_3.numpy(),
        RIGHT_3.numpy()[0],
        [2, 3, 1, 1, 1, 1],
        np.array([2, 3, 1, 1, 1, 1], dtype=np.int64),
    ],
    ids=["(1, 6) tensor", "(1, 6) float32 array", "(6,) array", "list", "int64 array"],
)
def test_exercise_3_accepts_the_counts_in_any_form(form):
    assert check("text-vectorization.3", form)


@pytest.mark.parametrize(
    "answer, message",
    [
        ([0, 3, 1, 1, 1, 1], "out-of-vocabulary"),
        ([2, 1, 1, 1, 1, 1], "multi_hot"),
        ([2, 3, 1], "shape (6,)"),
        ([2, 2, 1, 1, 1, 1], "index (1,)"),
        ([2, 3, 1, 1, 1, 1.5], "whole numbers"),
        ("2 3 1 1 1 1", "string"),
        ([2, 3, 1, 1, 1, None], "None at index (5,)"),
    ],
)
def test_exercise_3_feedback(answer, message):
    feedback = check("text-vectorization.3", answer)
    assert not feedback
    assert message in feedback.message
