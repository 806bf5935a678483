"""Checkers for chapter 8, sequence labelling (exercise ids ``sequence-labelling.N``)."""

from __future__ import annotations

from typing import Any

import numpy as np

from course.exercises import checker, compare_values, correct, wrong
from course.exercises.answers import AnswerError, as_array, as_number, rounding_hint
from course.tagging import crf_log_partition, entity_scores, entity_spans, viterbi_decode

# Exercise 1: token accuracy on padded arrays, padding (0) excluded.
EXERCISE_1_TRUE = np.array(
    [
        [3, 1, 4, 1, 5, 0],
        [2, 6, 0, 0, 0, 0],
        [5, 3, 5, 8, 9, 7],
        [9, 3, 2, 0, 0, 0],
    ]
)
EXERCISE_1_PREDICTED = np.array(
    [
        [3, 1, 4, 2, 5, 0],
        [2, 1, 0, 3, 0, 0],
        [4, 3, 5, 8, 1, 7],
        [9, 4, 2, 0, 1, 0],
    ]
)

# Exercise 2: entity-level F1 (CoNLL definition) on IOB2 tags.
EXERCISE_2_TRUE = [
    ["B-PER", "I-PER", "O", "O", "B-LOC"],
    ["B-ORG", "I-ORG", "I-ORG", "O", "B-PER", "O"],
    ["O", "B-MISC", "I-MISC", "O", "B-LOC", "I-LOC"],
    ["O", "O", "B-ORG", "O"],
]
EXERCISE_2_PREDICTED = [
    ["B-PER", "I-PER", "O", "O", "B-ORG"],
    ["B-ORG", "I-ORG", "O", "O", "B-PER", "O"],
    ["O", "B-MISC", "I-MISC", "O", "B-LOC", "I-LOC"],
    ["O", "B-MISC", "I-ORG", "O"],
]

# Exercises 3 and 4: a tiny linear-chain CRF, 5 steps and 3 tags, no start scores.
EXERCISE_3_EMISSIONS = np.array(
    [
        [1.0, 0.2, -0.5],
        [0.1, 0.9, 0.8],
        [-0.3, 0.4, 1.1],
        [0.6, 0.7, 0.0],
        [0.2, -0.4, 0.9],
    ]
)
EXERCISE_3_TRANSITIONS = np.array(
    [
        [0.5, -1.5, 0.3],
        [0.2, 0.8, -2.0],
        [-1.0, 0.4, 0.6],
    ]
)


def _f1(true_tags: list[list[str]], predicted_tags: list[list[str]]) -> float:
    return entity_scores(true_tags, predicted_tags)["f1"]


@checker("sequence-labelling.1")
def check_masked_accuracy(answer: Any) -> Any:
    """Token accuracy of EXERCISE_1_PREDICTED on the real (non-zero) tokens of EXERCISE_1_TRUE."""
    value = as_number(answer, name="the accuracy")
    real = EXERCISE_1_TRUE != 0
    expected = float(np.mean(EXERCISE_1_TRUE[real] == EXERCISE_1_PREDICTED[real]))
    if np.isclose(value, expected, atol=1e-6):
        return correct(f"Correct: {int(real.sum())} real tokens, padding left out.")
    if (hint := rounding_hint(value, expected, atol=1e-6, name="the accuracy")) is not None:
        return wrong(hint)
    with_padding = float(np.mean(EXERCISE_1_TRUE == EXERCISE_1_PREDICTED))
    mistakes = {
        with_padding: "That counts the padding positions too. Keep only the tokens whose "
        "true tag is not 0.",
        1 - expected: "That is the error rate: the share of real tokens tagged wrong.",
        float(np.sum(EXERCISE_1_TRUE[real] == EXERCISE_1_PREDICTED[real])): "That is the "
        "number of right tokens; divide by the number of real tokens.",
        float(np.mean((EXERCISE_1_TRUE == EXERCISE_1_PREDICTED)[EXERCISE_1_PREDICTED != 0])): (
            "That masks where the *prediction* is 0. Padding is where the *true* tag is 0."
        ),
    }
    for value_seen, message in mistakes.items():
        if np.isclose(value, value_seen, atol=1e-6):
            return wrong(message)
    if value > 1 or value < 0:
        return wrong("An accuracy is a fraction between 0 and 1.")
    return wrong(
        f"{value:.4f} is not it. Count the positions where EXERCISE_1_TRUE != 0, and the share "
        "of those where the two arrays agree."
    )


def _spans_ignoring_type(tags: list[str]) -> set[tuple[int, int]]:
    return {(start, end) for _, start, end in entity_spans(tags)}


def _exercise_2_variants() -> dict[str, float]:
    """Answers that common mistakes in exercise 2 produce."""
    true, predicted = EXERCISE_2_TRUE, EXERCISE_2_PREDICTED
    scores = entity_scores(true, predicted)
    pairs = [(t, p) for ts, ps in zip(true, predicted) for t, p in zip(ts, ps)]
    token_accuracy = sum(t == p for t, p in pairs) / len(pairs)
    untyped = [(_spans_ignoring_type(t), _spans_ignoring_type(p)) for t, p in zip(true, predicted)]
    right = sum(len(t & p) for t, p in untyped)
    p_untyped = right / sum(len(p) for _, p in untyped)
    r_untyped = right / sum(len(t) for t, _ in untyped)
    non_o = [(t, p) for t, p in pairs if t != "O" or p != "O"]
    return {
        "precision": scores["precision"],
        "recall": scores["recall"],
        "token accuracy": token_accuracy,
        "types ignored": 2 * p_untyped * r_untyped / (p_untyped + r_untyped),
        "token F1": sum(t == p for t, p in non_o) / len(non_o),
        "strict I-": _strict_f1(true, predicted),
    }


def _strict_f1(true: list[list[str]], predicted: list[list[str]]) -> float:
    """F1 if an I- tag that continues nothing were dropped instead of starting an entity."""

    def strict(tags: list[str]) -> list[str]:
        cleaned, previous = [], "O"
        for tag in tags:
            if tag.startswith("I-") and previous[2:] != tag[2:]:
                tag = "O"
            cleaned.append(tag)
            previous = tag
        return cleaned

    return _f1(true, [strict(tags) for tags in predicted])


@checker("sequence-labelling.2")
def check_entity_f1(answer: Any) -> Any:
    """Entity-level F1 of EXERCISE_2_PREDICTED against EXERCISE_2_TRUE."""
    value = as_number(answer, name="the F1 score")
    expected = _f1(EXERCISE_2_TRUE, EXERCISE_2_PREDICTED)
    if np.isclose(value, expected, atol=1e-6):
        return correct("Correct: an entity counts only with its exact span and type.")
    if (hint := rounding_hint(value, expected, atol=1e-6, name="the F1 score")) is not None:
        return wrong(hint)
    hints = {
        "precision": "That is the precision (right entities / predicted entities). F1 is the "
        "harmonic mean of precision and recall.",
        "recall": "That is the recall (right entities / true entities). F1 is the harmonic mean "
        "of precision and recall.",
        "token accuracy": "That is token accuracy. Entity F1 compares whole entities: spans "
        "read from the B- and I- tags.",
        "types ignored": "You matched spans but ignored the entity types: a predicted ORG where "
        "the truth has a LOC is wrong.",
        "token F1": "That scores tokens, not entities. Read each sentence's entities "
        "(type, start, end) and compare the sets.",
        "strict I-": "You dropped the I-ORG that follows an O. The CoNLL script counts an I- "
        "tag that continues nothing as the start of a new entity.",
    }
    for name, variant in _exercise_2_variants().items():
        if np.isclose(value, variant, atol=1e-6) and not np.isclose(variant, expected):
            return wrong(hints[name])
    if not 0 <= value <= 1:
        return wrong("F1 is between 0 and 1.")
    return wrong(
        f"{value:.4f} is not it. Count the true entities, the predicted ones and those in both "
        "(same type, same start, same end)."
    )


def _logsumexp(values: np.ndarray) -> float:
    top = values.max()
    return float(top + np.log(np.exp(values - top).sum()))


def _exercise_3_variants() -> dict[str, float]:
    emissions, transitions = EXERCISE_3_EMISSIONS, EXERCISE_3_TRANSITIONS
    return {
        "viterbi": viterbi_decode(emissions, transitions)[1],
        "no transitions": sum(_logsumexp(row) for row in emissions),
        "transposed": crf_log_partition(emissions, transitions.T),
        "no log": float(np.exp(crf_log_partition(emissions, transitions))),
    }


@checker("sequence-labelling.3")
def check_log_partition(answer: Any) -> Any:
    """log Z of the CRF with EXERCISE_3_EMISSIONS and EXERCISE_3_TRANSITIONS."""
    try:
        value = as_number(answer, name="log Z")
    except AnswerError as error:
        if np.size(np.asarray(answer, dtype=object)) == EXERCISE_3_EMISSIONS.shape[1]:
            return wrong(
                "That looks like the last alpha vector (one number per tag). log Z is the "
                "logsumexp of it."
            )
        raise error
    expected = crf_log_partition(EXERCISE_3_EMISSIONS, EXERCISE_3_TRANSITIONS)
    if np.isclose(value, expected, atol=1e-6):
        return correct(
            "Correct: the forward algorithm sums over all 243 paths without listing them."
        )
    if (hint := rounding_hint(value, expected, atol=1e-6, name="log Z")) is not None:
        return wrong(hint)
    hints = {
        "viterbi": "That is the score of the best path (max instead of logsumexp): Viterbi. "
        "log Z sums over every path.",
        "no transitions": "The transitions are missing: add transitions[i, j] for every step "
        "from tag i to tag j.",
        "transposed": "The transitions are transposed: transitions[i, j] scores tag i followed "
        "by tag j, so add alpha[:, None] + transitions and reduce over axis 0.",
        "no log": "That is Z itself; the exercise asks for log Z.",
    }
    for name, variant in _exercise_3_variants().items():
        if np.isclose(value, variant, atol=1e-6):
            return wrong(hints[name])
    return wrong(
        f"{value:.4f} is not it. Start from alpha = emissions[0]; at each step "
        "alpha[j] = logsumexp_i(alpha[i] + transitions[i, j]) + emissions[t, j]; "
        "finally logsumexp(alpha)."
    )


@checker("sequence-labelling.4")
def check_viterbi_path(answer: Any) -> Any:
    """The best tag path of the CRF of exercise 3, as 5 tag indices."""
    steps, tags = EXERCISE_3_EMISSIONS.shape
    path = as_array(answer, dtype=int, name="the path").reshape(-1)
    if path.shape != (steps,):
        return wrong(f"Give one tag index per step: {steps} numbers, got {path.size}.")
    expected = np.array(viterbi_decode(EXERCISE_3_EMISSIONS, EXERCISE_3_TRANSITIONS)[0])
    if (path == expected).all():
        return correct("Correct: the best of the 243 paths.")
    if path.min() < 0 or path.max() >= tags:
        if (path - 1 == expected).all():
            return wrong("Tag indices start at 0 here, not 1.")
        return wrong(f"Tag indices go from 0 to {tags - 1}.")
    if (path == EXERCISE_3_EMISSIONS.argmax(axis=1)).all():
        return wrong(
            "That is the best tag at each step on its own (greedy). Viterbi adds the "
            "transition scores and keeps back-pointers."
        )
    if (path[::-1] == expected).all():
        return wrong("That is the path backwards: the back-pointers are followed from the end.")
    transposed = np.array(viterbi_decode(EXERCISE_3_EMISSIONS, EXERCISE_3_TRANSITIONS.T)[0])
    if (path == transposed).all():
        return wrong("The transitions are transposed: transitions[i, j] scores i followed by j.")
    return compare_values(path, expected, atol=0, rtol=0, name="the path")
