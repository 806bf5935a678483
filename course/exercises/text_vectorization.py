"""Checkers for chapter 1, text vectorization (exercise ids ``text-vectorization.N``)."""

from __future__ import annotations

from typing import Any

import numpy as np

from course.exercises import checker, compare_values, correct, expect_array, wrong
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

# Exercise 3: a count vector under a fixed vocabulary (TextVectorization's layout).
EXERCISE_3_VOCABULARY = ["[UNK]", "the", "cat", "sat", "on", "mat"]
EXERCISE_3_SENTENCE = "the cat sat on the mat with the hat"


@checker("text-vectorization.1")
def check_one_hot_words(answer: Any) -> Any:
    """One-hot tensor of ``EXERCISE_1_SAMPLES``: indices from 1 in order of first appearance."""
    expected = one_hot_words(EXERCISE_1_SAMPLES, max_length=EXERCISE_1_MAX_LENGTH)
    array, problem = expect_array(answer, kind="fiub")
    if problem is not None:
        return problem
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
            f"(index 0 is reserved), got {array.shape[2]}. Did you lower-case and strip punctuation, "
            "and keep index 0 free?"
        )
    if not np.isin(array, (0, 1)).all():
        return wrong("A one-hot tensor holds only 0s and 1s.")
    per_word = array.sum(axis=2)
    if (per_word > 1).any():
        return wrong("Each word position must have at most one 1.")
    return compare_values(array, expected)


@checker("text-vectorization.2")
def check_tfidf_bigram_layer(answer: Any) -> Any:
    """An adapted ``TextVectorization`` with TF-IDF output over unigrams and bigrams."""
    import keras

    if not isinstance(answer, keras.layers.TextVectorization):
        return wrong(f"Expected a keras.layers.TextVectorization layer, got {type(answer).__name__}.")
    config = answer.get_config()
    if config["output_mode"] != "tf_idf":
        return wrong(f"output_mode is {config['output_mode']!r}; TF-IDF weighting needs 'tf_idf'.")
    ngrams = config["ngrams"]
    if ngrams not in (2, (1, 2), [1, 2]):
        return wrong(f"ngrams is {ngrams!r}; use ngrams=2 to get unigrams and bigrams.")
    if config["max_tokens"] != EXERCISE_2_MAX_TOKENS:
        return wrong(f"max_tokens is {config['max_tokens']!r}; the exercise asks for {EXERCISE_2_MAX_TOKENS}.")
    vocabulary = answer.get_vocabulary()
    if len(vocabulary) <= 1:
        return wrong("The layer has no vocabulary yet: call .adapt() on the texts first.")
    if not any(" " in token for token in vocabulary):
        return wrong("The vocabulary holds no bigram (two words with a space): check ngrams.")
    output = np.asarray(answer(["the cat sat on the mat"]))
    if output.shape != (1, len(vocabulary)):
        return wrong(
            f"One text should give one weight per vocabulary token, shape (1, {len(vocabulary)}); "
            f"got {output.shape}. Did you set output_sequence_length? TF-IDF output has none."
        )
    return correct(f"Correct: {len(vocabulary)} tokens, TF-IDF weighted unigrams and bigrams.")


@checker("text-vectorization.3")
def check_count_vector(answer: Any) -> Any:
    """Count vector of ``EXERCISE_3_SENTENCE`` under ``EXERCISE_3_VOCABULARY``."""
    tokens = EXERCISE_3_SENTENCE.split()
    expected = np.zeros(len(EXERCISE_3_VOCABULARY))
    for token in tokens:
        index = EXERCISE_3_VOCABULARY.index(token) if token in EXERCISE_3_VOCABULARY else 0
        expected[index] += 1
    array, problem = expect_array(answer, kind="fiu")
    if problem is not None:
        return problem
    array = array.reshape(-1) if array.ndim == 2 and array.shape[0] == 1 else array
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
    return compare_values(array, expected)
