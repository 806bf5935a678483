"""Text vectorization by hand: the pieces that Keras' ``TextVectorization`` hides.

Chapter 1 builds each step in NumPy first (standardize, tokenize, index,
one-hot encode, hash, n-grams), then shows the Keras layer doing the same.

Example:
    >>> tokenize("The cat sat on the mat.")
    ['the', 'cat', 'sat', 'on', 'the', 'mat']
    >>> ngrams(["the", "cat", "sat"], 2)
    ['the cat', 'cat sat']
"""

from __future__ import annotations

import re
import string
import zlib
from typing import Iterable, Sequence

import numpy as np

_HTML_TAG = re.compile(r"<[^>]+>")
_PUNCTUATION = re.compile(f"[{re.escape(string.punctuation)}]")
# The same standardization for tf.strings (RE2 syntax), used inside Keras models.
HTML_TAG_PATTERN = r"<[^>]+>"
PUNCTUATION_PATTERN = f"[{re.escape(string.punctuation)}]"


def standardize(text: str) -> str:
    """Lower-case, drop HTML tags (IMDB reviews contain ``<br />``) and punctuation.

    Example:
        >>> standardize("Great film!<br /><br />Loved it.")
        'great film  loved it'
    """
    text = _HTML_TAG.sub(" ", text.lower())
    return _PUNCTUATION.sub("", text)


def tokenize(text: str) -> list[str]:
    """Standardize, then split on whitespace.

    Example:
        >>> tokenize("Don't panic.")
        ['dont', 'panic']
    """
    return standardize(text).split()


def ngrams(tokens: Sequence[str], n: int) -> list[str]:
    """The contiguous ``n``-grams of a token list, joined by spaces.

    Example:
        >>> ngrams(["a", "b", "c", "d"], 3)
        ['a b c', 'b c d']
    """
    if n < 1:
        raise ValueError(f"n must be at least 1, got {n}.")
    return [" ".join(tokens[i : i + n]) for i in range(len(tokens) - n + 1)]


def build_token_index(texts: Iterable[str]) -> dict[str, int]:
    """Map each word to an index, from 1, in order of first appearance (0 is padding).

    Example:
        >>> build_token_index(["the cat", "the dog"])
        {'the': 1, 'cat': 2, 'dog': 3}
    """
    index: dict[str, int] = {}
    for text in texts:
        for token in tokenize(text):
            if token not in index:
                index[token] = len(index) + 1
    return index


def one_hot_words(
    texts: Sequence[str], max_length: int, token_index: dict[str, int] | None = None
) -> np.ndarray:
    """Word-level one-hot encoding: shape ``(samples, max_length, len(index) + 1)``.

    Row ``[i, j]`` has a single 1 at the index of word ``j`` of text ``i``;
    texts are truncated to ``max_length`` words, shorter ones leave zero rows.

    Example:
        >>> one_hot_words(["the cat", "the dog"], max_length=3).shape
        (2, 3, 4)
    """
    token_index = token_index or build_token_index(texts)
    encoded = np.zeros((len(texts), max_length, len(token_index) + 1), dtype=np.float32)
    for i, text in enumerate(texts):
        for j, token in enumerate(tokenize(text)[:max_length]):
            if token in token_index:
                encoded[i, j, token_index[token]] = 1.0
    return encoded


def one_hot_characters(texts: Sequence[str], max_length: int) -> np.ndarray:
    """Character-level one-hot over the printable ASCII characters.

    Shape ``(samples, max_length, len(string.printable) + 1)``; index 0 is
    unused (padding), characters outside ``string.printable`` are skipped.

    Example:
        >>> one_hot_characters(["hi"], max_length=4).shape
        (1, 4, 101)
    """
    character_index = {character: i + 1 for i, character in enumerate(string.printable)}
    encoded = np.zeros((len(texts), max_length, len(character_index) + 1), dtype=np.float32)
    for i, text in enumerate(texts):
        for j, character in enumerate(text[:max_length]):
            if character in character_index:
                encoded[i, j, character_index[character]] = 1.0
    return encoded


def stable_hash(token: str, dimension: int) -> int:
    """Bucket of ``token`` in a hash space of size ``dimension`` (CRC-32, same on every run).

    Python's built-in ``hash`` of a string changes between processes, so it
    cannot be used for a vectorizer that must give the same index tomorrow.

    Example:
        >>> stable_hash("cat", 1000) == stable_hash("cat", 1000)
        True
    """
    if dimension < 1:
        raise ValueError(f"The hash space needs at least one bucket, got {dimension}.")
    return zlib.crc32(token.encode("utf-8")) % dimension


def hash_collision_rate(words: Iterable[str], dimension: int) -> float:
    """Fraction of distinct words that share their bucket with another word.

    Example:
        >>> hash_collision_rate(["a", "b"], dimension=1)
        1.0
    """
    distinct = sorted(set(words))
    if not distinct:
        raise ValueError("Give at least one word to hash.")
    buckets = np.array([stable_hash(word, dimension) for word in distinct])
    _, inverse, counts = np.unique(buckets, return_inverse=True, return_counts=True)
    return float(np.mean(counts[inverse] > 1))


def expected_collision_rate(number_of_words: int, dimension: int) -> float:
    """Collision rate if ``number_of_words`` words fell uniformly into ``dimension`` buckets.

    A word collides unless all the other ``n - 1`` words miss its bucket:
    ``1 - (1 - 1/D) ** (n - 1)``.

    Example:
        >>> round(expected_collision_rate(1000, 1_000_000), 4)
        0.001
    """
    return 1.0 - (1.0 - 1.0 / dimension) ** (number_of_words - 1)


def hashed_bag_of_words(texts: Sequence[str], dimension: int) -> np.ndarray:
    """Multi-hot encoding through the hashing trick: no vocabulary to store.

    Example:
        >>> hashed_bag_of_words(["the cat", "the dog"], dimension=16).shape
        (2, 16)
    """
    encoded = np.zeros((len(texts), dimension), dtype=np.float32)
    for i, text in enumerate(texts):
        for token in tokenize(text):
            encoded[i, stable_hash(token, dimension)] = 1.0
    return encoded


def tfidf_logistic_regression(
    train_texts: Sequence[str],
    train_labels: Sequence[int],
    test_texts: Sequence[str],
    test_labels: Sequence[int],
    *,
    ngram_range: tuple[int, int] = (1, 2),
    regularization_c: float = 4.0,
    max_features: int | None = None,
) -> float:
    """The bag-of-words baseline: TF-IDF features + logistic regression; test accuracy.

    Tokens are :func:`standardize`-d words; n-grams seen in fewer than two
    training texts are dropped; term frequencies are log-scaled (``sublinear_tf``).

    Example:
        >>> texts = ["good fun", "great fun", "bad plot", "awful plot"] * 5
        >>> labels = [1, 1, 0, 0] * 5
        >>> tfidf_logistic_regression(texts, labels, texts, labels)
        1.0
    """
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    model = make_pipeline(
        TfidfVectorizer(
            preprocessor=standardize,
            ngram_range=ngram_range,
            min_df=2,
            max_features=max_features,
            sublinear_tf=True,
        ),
        LogisticRegression(C=regularization_c, max_iter=1_000),
    )
    model.fit(list(train_texts), list(train_labels))
    return float(model.score(list(test_texts), list(test_labels)))


def keras_standardize(text_tensor):  # type: ignore[no-untyped-def]
    """``standardize`` for ``TextVectorization(standardize=...)``: same rules, in TensorFlow.

    Example:
        >>> import tensorflow as tf  # doctest: +SKIP
        >>> keras_standardize(tf.constant(["Hi!<br />You"])).numpy()  # doctest: +SKIP
        array([b'hi  you'], dtype=object)
    """
    import tensorflow as tf

    lowered = tf.strings.lower(text_tensor)
    without_tags = tf.strings.regex_replace(lowered, HTML_TAG_PATTERN, " ")
    return tf.strings.regex_replace(without_tags, PUNCTUATION_PATTERN, "")
