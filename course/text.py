"""Tokenization and the bag-of-words baseline that chapters share.

Chapter 1 writes each step itself (standardize, tokenize, index, one-hot
encode) and checks that its code agrees with these tested copies, which later
chapters and the exercise checkers import:

- :func:`standardize` / :func:`tokenize`: the IMDB rules (lower-case, no HTML
  tags, no punctuation), and :func:`keras_standardize`, the same rules for
  ``TextVectorization`` in chapters 2 and 4;
- :func:`build_token_index` / :func:`one_hot_words`: the reference one-hot
  encoding of exercise ``text-vectorization.1``;
- :func:`tfidf_logistic_regression`: the TF-IDF + logistic-regression baseline
  of chapters 1 and 4.

Example:
    >>> tokenize("The cat sat on the mat.")
    ['the', 'cat', 'sat', 'on', 'the', 'mat']
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterable, Sequence

import numpy as np

_HTML_TAG = re.compile(r"<[^>]+>")
_PUNCTUATION = re.compile(f"[{re.escape(string.punctuation)}]")
_WHITESPACE = re.compile(r"\s")  # every Unicode space, as str.split() knows them
# The same standardization for tf.strings (RE2 syntax), used inside Keras models.
HTML_TAG_PATTERN = r"<[^>]+>"
PUNCTUATION_PATTERN = f"[{re.escape(string.punctuation)}]"
# RE2's \s is ASCII only, and TensorFlow splits words on ASCII spaces only; these are the
# other characters str.isspace() accepts. A word that kept one of them could break a saved
# model: Keras stores the vocabulary one word per line and reads it back with Python's
# line splitting, which also breaks at U+0085 and U+2028 (284 IMDB training reviews
# contain U+0085), and the reloaded vocabulary then has repeated words.
WHITESPACE_PATTERN = (
    r"[\s\x{0b}\x{1c}-\x{1f}\x{85}\x{a0}\x{1680}\x{2000}-\x{200a}"
    r"\x{2028}\x{2029}\x{202f}\x{205f}\x{3000}]"
)


def standardize(text: str) -> str:
    """Lower-case, drop HTML tags (IMDB reviews contain ``<br />``) and punctuation.

    Example:
        >>> standardize("Great film!<br /><br />Loved it.")
        'great film  loved it'
    """
    text = _HTML_TAG.sub(" ", _WHITESPACE.sub(" ", text.lower()))
    return _PUNCTUATION.sub("", text)


def tokenize(text: str) -> list[str]:
    """Standardize, then split on whitespace.

    Example:
        >>> tokenize("Don't panic.")
        ['dont', 'panic']
    """
    return standardize(text).split()


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

    lowered = tf.strings.lower(text_tensor, encoding="utf-8")  # not only ASCII, like str.lower
    spaced = tf.strings.regex_replace(lowered, WHITESPACE_PATTERN, " ")
    without_tags = tf.strings.regex_replace(spaced, HTML_TAG_PATTERN, " ")
    return tf.strings.regex_replace(without_tags, PUNCTUATION_PATTERN, "")
