"""Checkers for chapter 3, word2vec (exercise ids ``word2vec.N``)."""

from __future__ import annotations

from collections import Counter
from typing import Any

import numpy as np

from course.exercises import Feedback, checker, compare_values, correct, wrong
from course.exercises.answers import (
    AnswerError,
    as_array,
    as_integer,
    as_text,
    brief,
    describe,
    to_python,
)

# Exercise 1: the skip-gram pairs of a short sentence, window 1.
EXERCISE_1_SENTENCE = "the cat sat on the mat"
EXERCISE_1_WINDOW = 1

# Exercise 2: subsampling keep probabilities for a few word frequencies.
EXERCISE_2_FREQUENCIES = [0.05, 0.01, 0.004, 0.001, 0.0001]
EXERCISE_2_THRESHOLD = 1e-3

# Exercise 3: an analogy by vector arithmetic on a tiny embedding matrix.
EXERCISE_3_WORDS = ["man", "woman", "king", "queen", "prince", "crown"]
EXERCISE_3_MATRIX = np.array(
    [[2, 4, 3], [1, 0, 0], [1, 4, 1], [4, 1, 3], [2, 4, 2], [4, 4, 3]], dtype=float
)
EXERCISE_3_QUESTION = ("man", "woman", "king")  # man is to woman as king is to ?

# Exercise 4: how many positive pairs a sequence of n words gives with window w.
EXERCISE_4_CASES = [(1, 1), (2, 1), (5, 1), (5, 2), (10, 3), (3, 5), (4, 3), (1_000, 5)]


def _expected_pairs() -> list[tuple[str, str]]:
    words = EXERCISE_1_SENTENCE.split()
    pairs = []
    for i, target in enumerate(words):
        for j in range(max(0, i - EXERCISE_1_WINDOW), min(len(words), i + EXERCISE_1_WINDOW + 1)):
            if j != i:
                pairs.append((target, words[j]))
    return pairs


def _pairs_within(distance: int) -> Counter:
    words = EXERCISE_1_SENTENCE.split()
    return Counter(
        (words[i], words[j])
        for i in range(len(words))
        for j in range(len(words))
        if 0 < abs(i - j) <= distance
    )


def _describe(pairs: Any, limit: int = 3) -> str:
    return ", ".join(repr(pair) for pair in list(pairs)[:limit])


def _word(value: Any) -> str | None:
    """A word from ``str``, NumPy string or UTF-8 bytes (TensorFlow's strings); else None."""
    value = to_python(value)
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return value if isinstance(value, str) else None


def _as_pairs(answer: Any) -> list[tuple[str, str]]:
    """(target, context) word pairs from a list, tuple, NumPy array or string tensor of pairs."""
    what = "a list of (target, context) pairs of words"
    if answer is None or isinstance(answer, (str, bytes, dict)) or callable(answer):
        raise AnswerError(f"Expected {what}, got {describe(answer)}.")
    items = to_python(answer)
    if isinstance(items, np.ndarray) and items.ndim != 2:
        raise AnswerError(
            f"Expected {what} (an array of shape (pairs, 2)), got {describe(items)}."
        )
    try:
        items = list(items)
    except TypeError:
        raise AnswerError(f"Expected {what}, got {describe(answer)}.") from None
    sequences = (list, tuple, np.ndarray)
    if len(items) == 2 and all(isinstance(side, sequences) and len(side) > 2 for side in items):
        raise AnswerError(
            "That looks like two lists, the targets and the contexts: pair them up with "
            "list(zip(targets, contexts))."
        )
    pairs = []
    for item in items:
        words = [_word(word) for word in item] if isinstance(item, sequences) else []
        if len(words) != 2 or None in words:
            hint = " Give the words themselves, not their ids." if len(words) == 2 else ""
            raise AnswerError(
                f"Each pair must be a (target, context) tuple of two words (strings); found "
                f"{brief(item)}.{hint}"
            )
        pairs.append((words[0], words[1]))
    return pairs


@checker("word2vec.1")
def check_skipgram_pairs(answer: Any) -> Any:
    """The (target, context) word pairs of ``EXERCISE_1_SENTENCE`` with window 1."""
    pairs = _as_pairs(answer)
    given, expected = Counter(pairs), Counter(_expected_pairs())
    if given == expected:
        return correct(f"Correct: {len(pairs)} pairs, each neighbour pair in both directions.")
    if any(target == context for target, context in pairs) and not any(
        target == context for target, context in expected
    ):
        return wrong("A word is never its own context: skip the target's own position.")
    far = [pair for pair in given - expected if pair not in expected and pair in _pairs_within(99)]
    if far:
        return wrong(
            f"Window {EXERCISE_1_WINDOW} means only the words right next to the target "
            f"(at distance 1); you have pairs from further away, e.g. {_describe(far)}."
        )
    reversed_pairs = Counter((context, target) for target, context in pairs)
    if given + reversed_pairs == expected:
        return wrong(
            "Each neighbour pair appears twice, once in each direction: a word is the target "
            "with its right neighbour as context, and that neighbour is a target too."
        )
    missing, extra = expected - given, given - expected
    parts = []
    if missing:
        parts.append(f"missing {sum(missing.values())} pair(s), e.g. {_describe(missing)}")
    if extra:
        parts.append(f"{sum(extra.values())} pair(s) too many, e.g. {_describe(extra)}")
    return wrong(
        f"Expected {sum(expected.values())} pairs, got {len(pairs)}: " + "; ".join(parts) + "."
    )


def _keep_probabilities() -> np.ndarray:
    f = np.asarray(EXERCISE_2_FREQUENCIES)
    t = EXERCISE_2_THRESHOLD
    return np.minimum(1.0, (np.sqrt(f / t) + 1.0) * t / f)


@checker("word2vec.2")
def check_keep_probabilities(answer: Any) -> Any:
    """Keep probabilities of ``EXERCISE_2_FREQUENCIES`` with threshold ``EXERCISE_2_THRESHOLD``."""
    expected = _keep_probabilities()
    array = as_array(answer, shape=expected.shape, dtype=float, name="the keep probabilities")
    if (array > 1 + 1e-9).any():
        return wrong(
            "Some values are above 1, which no probability can be: for rare words the "
            "formula exceeds 1, so take min(1, ...)."
        )
    if (array < 0).any():
        return wrong("Probabilities cannot be negative.")
    f, t = np.asarray(EXERCISE_2_FREQUENCIES), EXERCISE_2_THRESHOLD
    if np.allclose(array, np.minimum(1.0, np.sqrt(t / f)), atol=1e-4):
        return wrong(
            "That is the paper's sqrt(t / f). The word2vec code (and gensim, and this chapter) "
            "keeps a word with probability (sqrt(f / t) + 1) * t / f, which keeps a bit more."
        )
    if np.allclose(array, 1 - expected, atol=1e-4):
        return wrong(
            "Those are the probabilities of dropping each word; the exercise asks for keeping."
        )
    return compare_values(array, expected, atol=1e-4, name="the keep probabilities")


def _analogy(normalise: bool = True, exclude: bool = True, cosine: bool = True) -> str:
    """The analogy answer, or what a common slip gives instead."""
    matrix = EXERCISE_3_MATRIX
    unit = matrix / np.linalg.norm(matrix, axis=1, keepdims=True)
    vectors = unit if normalise else matrix
    a, b, c = (EXERCISE_3_WORDS.index(word) for word in EXERCISE_3_QUESTION)
    query = vectors[b] - vectors[a] + vectors[c]
    scores = (unit if cosine else matrix) @ query
    if exclude:
        scores[[a, b, c]] = -np.inf
    return EXERCISE_3_WORDS[int(np.argmax(scores))]


@checker("word2vec.3")
def check_analogy(answer: Any) -> Any:
    """The word that answers ``EXERCISE_3_QUESTION`` by 3CosAdd on ``EXERCISE_3_MATRIX``."""
    if isinstance(answer, (list, tuple)) and answer and isinstance(answer[0], (list, tuple)):
        answer = answer[0]  # [(word, score), ...] as analogy() returns it
    if isinstance(answer, (list, tuple)) and len(answer) == 2 and _word(answer[0]) is not None:
        return wrong(
            "Answer with the word alone (a string), not a (word, score) pair: "
            f"{_word(answer[0])!r}?"
        )
    answer = as_text(answer, name="the word")
    if answer not in EXERCISE_3_WORDS:
        if answer.lower() in EXERCISE_3_WORDS:
            return wrong(f"The words are lower-case: {answer.lower()!r}?")
        return wrong(f"{answer!r} is not one of the words: {', '.join(EXERCISE_3_WORDS)}.")
    if answer == _analogy():
        return correct(f"Correct: {' - '.join(EXERCISE_3_QUESTION[:2][::-1])} + king ≈ {answer}.")
    if answer in EXERCISE_3_QUESTION:
        return wrong(
            f"{answer!r} is one of the question's words; leave the three query words out of "
            "the candidates, as gensim's most_similar does."
        )
    if answer == _analogy(normalise=False):
        return wrong(
            "Normalise each vector to unit length before computing woman - man + king: the rule "
            "adds directions, and long vectors would otherwise dominate."
        )
    if answer == _analogy(cosine=False):
        return wrong(
            "Rank the candidates by cosine similarity to the query (divide by the norms), "
            "not by the raw dot product."
        )
    return wrong(
        f"{answer!r} is not the word nearest to woman - man + king; compute the query from unit "
        "vectors, then take the candidate with the highest cosine similarity."
    )


def _pairs_by_brute_force(n: int, w: int) -> int:
    return sum(min(i, w) + min(n - 1 - i, w) for i in range(n))


def _call(function: Any, n: int, w: int) -> int | Feedback:
    """``function(n, w)`` read as a whole number, or feedback on what went wrong."""
    call = f"positive_pairs({n}, {w})"
    try:
        result = function(n, w)
    except Exception as error:  # the student's function failed: say where
        return wrong(
            f"{call} raised {type(error).__name__}: {error}. It should take two whole "
            "numbers, n and w, and return a number."
        )
    try:
        return as_integer(result, name=f"what {call} returned")
    except AnswerError as problem:
        return wrong(f"{problem} positive_pairs should return the count as a number.")


@checker("word2vec.4")
def check_positive_pair_count(answer: Any) -> Any:
    """A function ``positive_pairs(n, w)``: the number of (target, context) pairs."""
    if not callable(answer) or isinstance(answer, type):
        return wrong(
            "Expected a function positive_pairs(n, w) that returns a number, "
            f"got {describe(answer)}."
        )
    for n, w in EXERCISE_4_CASES:
        expected = _pairs_by_brute_force(n, w)
        number = _call(answer, n, w)
        if isinstance(number, Feedback):
            return number
        if number == expected:
            continue
        if number == 2 * n * w:
            hint = (
                "near the two ends of the sequence the window is cut off, "
                "so those words have fewer neighbours"
            )
        elif number * 2 == expected:
            hint = (
                "(a, b) and (b, a) are two different pairs: count each neighbour from both sides"
            )
        elif w >= n - 1 and n > 0:
            hint = (
                "here the window reaches past both ends of the sequence: "
                "every word pairs with every other word"
            )
        else:
            hint = (
                "count, for each position, the neighbours on the left and on the right that exist"
            )
        return wrong(f"positive_pairs({n}, {w}) returned {number}, expected {expected}: {hint}.")
    return correct(f"Correct for all {len(EXERCISE_4_CASES)} test cases.")
