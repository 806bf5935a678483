"""Chapter 8's checkers: right answers pass, wrong ones say what is wrong."""

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np
import pytest

from course.exercises import check
from course.exercises.sequence_labelling import (
    EXERCISE_1_PREDICTED,
    EXERCISE_1_TRUE,
    EXERCISE_2_PREDICTED,
    EXERCISE_2_TRUE,
    EXERCISE_3_EMISSIONS,
    EXERCISE_3_TRANSITIONS,
    _exercise_2_variants,
)
from course.tagging import crf_log_partition_brute_force, entity_scores

# Exercise 1 ----------------------------------------------------------------------

REAL = EXERCISE_1_TRUE != 0
RIGHT_1 = float(np.mean(EXERCISE_1_TRUE[REAL] == EXERCISE_1_PREDICTED[REAL]))


def test_exercise_1_data_makes_the_mistakes_distinguishable():
    with_padding = np.mean(EXERCISE_1_TRUE == EXERCISE_1_PREDICTED)
    assert not np.isclose(with_padding, RIGHT_1)


@pytest.mark.parametrize(
    "answer", [RIGHT_1, np.float32(RIGHT_1), [RIGHT_1], np.array(RIGHT_1)], ids=str
)
def test_exercise_1_accepts_the_accuracy(answer):
    assert check("sequence-labelling.1", answer)


@pytest.mark.parametrize(
    "answer, message",
    [
        (np.mean(EXERCISE_1_TRUE == EXERCISE_1_PREDICTED), "counts the padding"),
        (1 - RIGHT_1, "error rate"),
        (float(np.sum(EXERCISE_1_TRUE[REAL] == EXERCISE_1_PREDICTED[REAL])), "number of right"),
        (
            np.mean((EXERCISE_1_TRUE == EXERCISE_1_PREDICTED)[EXERCISE_1_PREDICTED != 0]),
            "*true* tag is 0",
        ),
        (round(RIGHT_1, 2), "Keep more digits"),
        (0.5, "is not it"),
        ("0.8", "without quotes"),
        (None, "None"),
    ],
)
def test_exercise_1_feedback(answer, message):
    feedback = check("sequence-labelling.1", answer)
    assert not feedback
    assert message in feedback.message


# Exercise 2 ----------------------------------------------------------------------

RIGHT_2 = entity_scores(EXERCISE_2_TRUE, EXERCISE_2_PREDICTED)["f1"]


def test_exercise_2_variants_all_differ_from_the_answer():
    variants = _exercise_2_variants()
    assert all(not np.isclose(value, RIGHT_2) for value in variants.values())
    assert len({round(value, 9) for value in variants.values()}) == len(variants)


def test_exercise_2_answer_by_hand():
    # 7 true entities, 8 predicted, 5 right
    assert RIGHT_2 == pytest.approx(2 * (5 / 8) * (5 / 7) / (5 / 8 + 5 / 7))


@pytest.mark.parametrize("answer", [RIGHT_2, np.float64(RIGHT_2), [RIGHT_2]], ids=str)
def test_exercise_2_accepts_the_f1(answer):
    assert check("sequence-labelling.2", answer)


@pytest.mark.parametrize(
    "variant, message",
    [
        ("precision", "That is the precision"),
        ("recall", "That is the recall"),
        ("token accuracy", "token accuracy"),
        ("types ignored", "ignored the entity types"),
        ("token F1", "scores tokens"),
        ("strict I-", "I- tag that continues nothing"),
    ],
)
def test_exercise_2_feedback_on_common_mistakes(variant, message):
    feedback = check("sequence-labelling.2", _exercise_2_variants()[variant])
    assert not feedback
    assert message in feedback.message


@pytest.mark.parametrize(
    "answer, message",
    [(RIGHT_2 * 100, "between 0 and 1"), (0.1, "is not it"), (round(RIGHT_2, 2), "digits")],
)
def test_exercise_2_other_wrong_answers(answer, message):
    feedback = check("sequence-labelling.2", answer)
    assert not feedback
    assert message in feedback.message


# Exercise 3 ----------------------------------------------------------------------

RIGHT_3 = crf_log_partition_brute_force(EXERCISE_3_EMISSIONS, EXERCISE_3_TRANSITIONS)


@pytest.mark.parametrize("answer", [RIGHT_3, np.float32(RIGHT_3), np.array([RIGHT_3])], ids=str)
def test_exercise_3_accepts_log_z(answer):
    assert check("sequence-labelling.3", answer)


def _logsumexp(values):
    return float(np.log(np.exp(values).sum()))


@pytest.mark.parametrize(
    "answer, message",
    [
        (5.9, "best path"),
        (sum(_logsumexp(row) for row in EXERCISE_3_EMISSIONS), "transitions are missing"),
        (np.exp(RIGHT_3), "Z itself"),
        (np.zeros(3), "last alpha vector"),
        (RIGHT_3 + 1, "is not it"),
        ("8.0", "without quotes"),
    ],
)
def test_exercise_3_feedback(answer, message):
    feedback = check("sequence-labelling.3", answer)
    assert not feedback
    assert message in feedback.message


def test_exercise_3_transposed_transitions():
    from course.tagging import crf_log_partition

    feedback = check(
        "sequence-labelling.3", crf_log_partition(EXERCISE_3_EMISSIONS, EXERCISE_3_TRANSITIONS.T)
    )
    assert not feedback and "transposed" in feedback.message


# Exercise 4 ----------------------------------------------------------------------

RIGHT_4 = [0, 2, 2, 2, 2]


def test_exercise_4_answer_is_the_best_of_all_paths():
    import itertools

    def score(path):
        emitted = sum(EXERCISE_3_EMISSIONS[t, tag] for t, tag in enumerate(path))
        return emitted + sum(EXERCISE_3_TRANSITIONS[a, b] for a, b in zip(path, path[1:]))

    assert list(max(itertools.product(range(3), repeat=5), key=score)) == RIGHT_4


@pytest.mark.parametrize(
    "answer", [RIGHT_4, tuple(RIGHT_4), np.array(RIGHT_4), np.array(RIGHT_4, float)], ids=str
)
def test_exercise_4_accepts_the_path(answer):
    assert check("sequence-labelling.4", answer)


@pytest.mark.parametrize(
    "answer, message",
    [
        (EXERCISE_3_EMISSIONS.argmax(axis=1), "greedy"),
        (RIGHT_4[::-1], "backwards"),
        ([1, 3, 3, 3, 3], "start at 0"),
        ([0, 1, 1, 1, 2], "transposed"),
        ([0, 2, 2], "5 numbers"),
        ([0, 2, 2, 2, 1], "differs"),
        ([0, 2, 7, 2, 2], "from 0 to 2"),
    ],
)
def test_exercise_4_feedback(answer, message):
    feedback = check("sequence-labelling.4", answer)
    assert not feedback
    assert message in feedback.message
