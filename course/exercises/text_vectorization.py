"""Checkers for chapter 1, text vectorization (exercise ids ``text-vectorization.N``)."""

from __future__ import annotations

from functools import cache
from typing import Any

import numpy as np

from course.exercises import Feedback, checker, compare_values, correct, wrong
from course.exercises.answers import AnswerError, as_array, describe
from course.text import one_hot_words

# Exercise 1: word-level one-hot encoding by hand.
EXERCISE_1_SAMPLES = ["The cat sat on the mat.", "The dog ate my homework."]
EXERCISE_1_MAX_LENGTH = 6

# Exercise 2: a TextVectorization layer for TF-IDF bigrams.
EXERCISE_2_MAX_TOKENS = 50
EXERCISE_2_TEXTS = [
    "A wonderful film with a wonderful cast.",
    "Not good at all, a waste of time.",
    "The plot was not good but the acting was great.",
    "One of the best films of the year.",
    "The worst film I have seen in years.",
    "Great acting, great music, a great film.",
    "I wanted to like it but it was boring.",
    "Not bad at all: funny, warm and well acted.",
]

DEFAULT_STANDARDIZE = "lower_and_strip_punctuation"

# Exercise 3: a count vector under a fixed vocabulary (TextVectorization's layout).
EXERCISE_3_VOCABULARY = ["[UNK]", "the", "cat", "sat", "on", "mat"]
EXERCISE_3_SENTENCE = "the cat sat on the mat with the hat"


@checker("text-vectorization.1")
def check_one_hot_words(answer: Any) -> Any:
    """One-hot tensor of ``EXERCISE_1_SAMPLES``: indices from 1 in order of first appearance."""
    expected = one_hot_words(EXERCISE_1_SAMPLES, max_length=EXERCISE_1_MAX_LENGTH)
    array = as_array(answer, name="the one-hot tensor")
    if array.ndim != 3:
        return wrong(
            f"Expected a 3-D array (samples, words, vocabulary size + 1), got {array.ndim} "
            f"dimension(s) with shape {array.shape}."
        )
    if array.shape[:2] != expected.shape[:2]:
        return wrong(
            f"The first two dimensions should be (number of samples, max_length) = "
            f"{expected.shape[:2]}, got {array.shape[:2]}."
        )
    if array.shape[2] != expected.shape[2]:
        return wrong(
            f"The last dimension should be the number of distinct words + 1 = {expected.shape[2]} "
            f"(index 0 is reserved), got {array.shape[2]}. "
            "Did you lower-case and strip punctuation, "
            "and keep index 0 free?"
        )
    if not np.isin(array, (0, 1)).all():
        return wrong("A one-hot tensor holds only 0s and 1s.")
    per_word = array.sum(axis=2)
    if (per_word > 1).any():
        return wrong("Each word position must have at most one 1.")
    return compare_values(array, expected, name="the one-hot tensor")


@cache
def _reference_layer(max_tokens: int | None = EXERCISE_2_MAX_TOKENS) -> Any:
    """The layer the exercise asks for, adapted once on ``EXERCISE_2_TEXTS``."""
    import keras

    layer = keras.layers.TextVectorization(max_tokens=max_tokens, ngrams=2, output_mode="tf_idf")
    layer.adapt(EXERCISE_2_TEXTS)
    return layer


def _vocabulary(layer: Any) -> list[str]:
    return [t.decode("utf-8") if isinstance(t, bytes) else str(t) for t in layer.get_vocabulary()]


def _output(layer: Any, texts: list[str]) -> np.ndarray:
    """The layer's output on ``texts``; AnswerError when it cannot take a batch of strings."""
    try:
        return np.asarray(layer(texts), dtype=float)
    except Exception as error:  # the student's layer: report, do not crash
        raise AnswerError(
            f"Calling the layer on a list of texts raised {type(error).__name__}: {error}. "
            "Expected a keras.layers.TextVectorization layer, which takes strings."
        ) from None


def _weights_by_token(layer: Any, texts: list[str]) -> list[dict[str, float]]:
    """For each text, the nonzero output as {token: weight}, whatever the vocabulary's order."""
    output = _output(layer, texts)
    vocabulary = _vocabulary(layer)
    return [{vocabulary[i]: row[i] for i in np.flatnonzero(row)} for row in output]


def _config_problem(config: dict[str, Any]) -> Feedback | None:
    """Specific feedback on the settings the exercise names, when the layer reports them."""
    if config.get("output_mode", "tf_idf") != "tf_idf":
        return wrong(f"output_mode is {config['output_mode']!r}; TF-IDF weighting needs 'tf_idf'.")
    ngrams = config.get("ngrams", 2)
    if ngrams not in (2, (1, 2), [1, 2]):
        return wrong(f"ngrams is {ngrams!r}; use ngrams=2 to get unigrams and bigrams.")
    if config.get("max_tokens", EXERCISE_2_MAX_TOKENS) != EXERCISE_2_MAX_TOKENS:
        return wrong(
            f"max_tokens is {config['max_tokens']!r}; "
            f"the exercise asks for {EXERCISE_2_MAX_TOKENS}."
        )
    if config.get("output_sequence_length") is not None:
        return wrong(
            "output_sequence_length is set; TF-IDF output has one weight per vocabulary token and "
            "no sequence length. Leave it out."
        )
    return None


def _vocabulary_problem(vocabulary: list[str], config: dict[str, Any]) -> Feedback | None:
    """Feedback when the layer learned its vocabulary from other texts than the exercise's."""
    expected = _vocabulary(_reference_layer())
    every_token = set(_vocabulary(_reference_layer(max_tokens=None)))
    foreign = [token for token in vocabulary[1:] if token not in every_token]
    if foreign and config.get("standardize", DEFAULT_STANDARDIZE) != DEFAULT_STANDARDIZE:
        return wrong(
            "The layer's tokens differ from the standard ones, e.g. "
            f"{', '.join(repr(t) for t in foreign[:3])}: "
            f"standardize is {config['standardize']!r}. Keep the default {DEFAULT_STANDARDIZE!r}, "
            "so that 'Film.' and 'film' are one token."
        )
    if foreign:
        return wrong(
            f"The layer learned tokens that never occur in EXERCISE_2_TEXTS, e.g. "
            f"{', '.join(repr(t) for t in foreign[:3])}: adapt it on EXERCISE_2_TEXTS "
            "(course.exercises.text_vectorization), not on other texts."
        )
    missing = [token for token in expected if token not in set(vocabulary)]
    if missing:
        return wrong(
            f"The vocabulary lacks {len(missing)} of the {len(expected)} most frequent tokens of "
            f"EXERCISE_2_TEXTS, e.g. {', '.join(repr(t) for t in missing[:3])}: "
            "adapt the layer on "
            f"all {len(EXERCISE_2_TEXTS)} texts, with the default standardisation and splitting."
        )
    return None


def _weights_problem(layer: Any) -> Feedback | None:
    """Feedback when the layer's TF-IDF output differs from the reference layer's."""
    probes = [*EXERCISE_2_TEXTS, "The film was great, not boring at all!"]
    given, expected = (
        _weights_by_token(layer, probes),
        _weights_by_token(_reference_layer(), probes),
    )
    for text, got, want in zip(probes, given, expected):
        for token in sorted(set(got) | set(want)):
            if not np.isclose(got.get(token, 0.0), want.get(token, 0.0), rtol=1e-4, atol=1e-4):
                return wrong(
                    f"On the text {text!r} the layer gives {token!r} the weight "
                    f"{got.get(token, 0.0):.4f}, where a layer adapted once on EXERCISE_2_TEXTS "
                    f"gives {want.get(token, 0.0):.4f}. "
                    "The IDF weights come from the texts you adapt on: "
                    "adapt on the exercise's texts exactly once, as a list of documents."
                )
    return None


@checker("text-vectorization.2")
def check_tfidf_bigram_layer(answer: Any) -> Any:
    """An adapted ``TextVectorization`` with TF-IDF output over unigrams and bigrams.

    Judged by behaviour: its vocabulary must be the one ``EXERCISE_2_TEXTS``
    gives, and its output on probe texts must match a reference layer's.
    """
    if not (callable(answer) and callable(getattr(answer, "get_vocabulary", None))):
        return wrong(
            f"Expected an adapted keras.layers.TextVectorization layer, got {describe(answer)}."
        )
    config = answer.get_config() if callable(getattr(answer, "get_config", None)) else {}
    if (problem := _config_problem(config)) is not None:
        return problem
    vocabulary = _vocabulary(answer)
    if len(vocabulary) <= 1:
        return wrong("The layer has no vocabulary yet: call .adapt() on the texts first.")
    if not any(" " in token for token in vocabulary):
        return wrong("The vocabulary holds no bigram (two words with a space): check ngrams.")
    if (problem := _vocabulary_problem(vocabulary, config)) is not None:
        return problem
    output = _output(answer, ["the cat sat on the mat"])
    if output.shape != (1, len(vocabulary)):
        return wrong(
            f"One text should give one weight per vocabulary token, shape (1, {len(vocabulary)}); "
            f"got {output.shape}. Did you set output_sequence_length? TF-IDF output has none."
        )
    if (problem := _weights_problem(answer)) is not None:
        return problem
    return correct(f"Correct: {len(vocabulary)} tokens, TF-IDF weighted unigrams and bigrams.")


@checker("text-vectorization.3")
def check_count_vector(answer: Any) -> Any:
    """Count vector of ``EXERCISE_3_SENTENCE`` under ``EXERCISE_3_VOCABULARY``."""
    tokens = EXERCISE_3_SENTENCE.split()
    expected = np.zeros(len(EXERCISE_3_VOCABULARY))
    for token in tokens:
        index = EXERCISE_3_VOCABULARY.index(token) if token in EXERCISE_3_VOCABULARY else 0
        expected[index] += 1
    array = as_array(answer, dtype=int, name="the count vector")
    array = (
        array.reshape(-1) if array.ndim == 2 and array.shape[0] == 1 else array
    )  # a batch of one
    if array.shape != expected.shape:
        return wrong(
            f"Expected one count per vocabulary entry, shape {expected.shape}; got {array.shape}."
        )
    if array[0] == 0 and expected[0] > 0:
        return wrong(
            "Index 0 is the out-of-vocabulary bucket '[UNK]': count the words that are not in "
            "the vocabulary there."
        )
    if array[1:].max(initial=0) <= 1 and expected.max() > 1:
        return wrong("Those look like 0/1 flags (multi_hot); count mode counts repeats.")
    return compare_values(array, expected, name="the count vector")
