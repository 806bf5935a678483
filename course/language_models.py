"""Language models for chapter 7: n-gram baselines, streaming windows, sampling, repetition.

Chapter 7 writes its own code for each of these in its cells and compares it
with the tested references here:

- :func:`ngram_cross_entropy`: an n-gram model (unigram, bigram, trigram, …)
  counted in NumPy with add-k smoothing, scored on held-out tokens in nats per
  token; :func:`nats_to_bits` and :func:`perplexity` convert the result;
- :func:`window_dataset`: a streaming ``tf.data`` pipeline of
  ``(window, next token)`` examples (or every position's next token), built from
  the token ids alone instead of a giant one-hot array;
- :func:`one_hot_bytes`: what the classic one-hot arrays of those windows weigh;
- :func:`reweight` and :func:`sample_with_temperature`: the reference
  temperature sampler;
- :func:`repeated_ngram_share`: how much of a generated text repeats itself.

Example:
    >>> ids = np.array([0, 1, 0, 1, 0, 1])
    >>> round(ngram_cross_entropy(ids, ids, order=1, vocabulary_size=2, smoothing=0), 4)
    0.6931
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np

__all__ = [
    "nats_to_bits",
    "ngram_cross_entropy",
    "ngram_log_probabilities",
    "one_hot_bytes",
    "perplexity",
    "repeated_ngram_share",
    "reweight",
    "sample_with_temperature",
    "window_dataset",
]


def _as_ids(ids: Any, name: str) -> np.ndarray:
    array = np.asarray(ids)
    if array.ndim != 1 or array.dtype.kind not in "iu":
        raise ValueError(
            f"{name} must be a 1-D array of integer token ids, got shape {array.shape} "
            f"and dtype {array.dtype}."
        )
    return array.astype(np.int64)


def _check_vocabulary(ids: np.ndarray, vocabulary_size: int, name: str) -> None:
    if len(ids) and (ids.min() < 0 or ids.max() >= vocabulary_size):
        raise ValueError(
            f"{name} holds ids outside [0, {vocabulary_size}): min {ids.min()}, max "
            f"{ids.max()}. Pass vocabulary_size larger than the largest id."
        )


def ngram_log_probabilities(
    train_ids: Any,
    eval_ids: Any,
    *,
    order: int,
    vocabulary_size: int,
    smoothing: float = 0.1,
) -> np.ndarray:
    """Log-probability (nats) an add-k n-gram model gives each token of ``eval_ids``.

    The model is counted on ``train_ids``: ``P(w | context) = (count(context, w) + k) /
    (count(context) + k V)`` where the context is the ``order - 1`` tokens before
    ``w``, ``k`` is ``smoothing`` and ``V`` is ``vocabulary_size``. Order 1 is the
    unigram model (no context). The first ``order - 1`` tokens of ``eval_ids`` have
    no full context and are skipped, so the result has ``len(eval_ids) - order + 1``
    entries. Counts are kept sparse (sorted codes), so large vocabularies work.

    Example:
        >>> train = np.array([0, 1, 0, 1, 0, 1])
        >>> ngram_log_probabilities(train, np.array([0, 1]), order=2, vocabulary_size=2,
        ...                         smoothing=0).round(3).tolist()
        [0.0]
    """
    train = _as_ids(train_ids, "train_ids")
    evaluate = _as_ids(eval_ids, "eval_ids")
    if not isinstance(order, (int, np.integer)) or order < 1:
        raise ValueError(f"order must be a whole number ≥ 1 (1 = unigram), got {order!r}.")
    if vocabulary_size < 1 or vocabulary_size ** float(order) >= 2.0**62:
        raise ValueError(
            f"vocabulary_size ** order must fit in 62 bits; got {vocabulary_size} ** {order}."
        )
    if smoothing < 0 or not math.isfinite(smoothing):
        raise ValueError(f"smoothing must be a finite number ≥ 0, got {smoothing!r}.")
    if len(train) < order or len(evaluate) < order:
        raise ValueError(
            f"An order-{order} model needs at least {order} tokens in train_ids and eval_ids; "
            f"got {len(train)} and {len(evaluate)}."
        )
    _check_vocabulary(train, vocabulary_size, "train_ids")
    _check_vocabulary(evaluate, vocabulary_size, "eval_ids")

    def codes(ids: np.ndarray, length: int) -> np.ndarray:
        """One integer per run of ``length`` tokens (0 for length 0)."""
        count = len(ids) - order + 1
        code = np.zeros(count, dtype=np.int64)
        for offset in range(length):
            code = code * vocabulary_size + ids[offset : offset + count]
        return code

    def lookup(table: np.ndarray, keys: np.ndarray) -> np.ndarray:
        """How often each key occurs in the sorted ``table``."""
        return np.searchsorted(table, keys, side="right") - np.searchsorted(table, keys)

    grams, contexts = np.sort(codes(train, order)), np.sort(codes(train, order - 1))
    gram_counts = lookup(grams, codes(evaluate, order)).astype(np.float64)
    context_counts = lookup(contexts, codes(evaluate, order - 1)).astype(np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        probabilities = (gram_counts + smoothing) / (context_counts + smoothing * vocabulary_size)
    if smoothing == 0:  # an unseen context: fall back to uniform
        probabilities = np.where(context_counts == 0, 1 / vocabulary_size, probabilities)
    with np.errstate(divide="ignore"):
        return np.log(probabilities)


def ngram_cross_entropy(
    train_ids: Any,
    eval_ids: Any,
    *,
    order: int,
    vocabulary_size: int,
    smoothing: float = 0.1,
) -> float:
    """Mean cross-entropy (nats per token) of an add-k n-gram model on ``eval_ids``.

    See :func:`ngram_log_probabilities` for the model. Infinite when ``smoothing``
    is 0 and a held-out n-gram never occurred in training.

    Example:
        >>> uniform = ngram_cross_entropy(np.array([0]), np.array([3]), order=1,
        ...                               vocabulary_size=4, smoothing=1e9)
        >>> round(uniform, 4) == round(math.log(4), 4)
        True
    """
    log_probabilities = ngram_log_probabilities(
        train_ids, eval_ids, order=order, vocabulary_size=vocabulary_size, smoothing=smoothing
    )
    return float(-log_probabilities.mean())


def nats_to_bits(nats: float) -> float:
    """Cross-entropy in bits from nats (divide by ln 2).

    Example:
        >>> nats_to_bits(math.log(2))
        1.0
    """
    return float(nats) / math.log(2)


def perplexity(nats: float) -> float:
    """Perplexity, ``exp(cross-entropy in nats)``: the effective number of choices per token.

    Example:
        >>> round(perplexity(math.log(57)), 6)
        57.0
    """
    return float(math.exp(nats))


def one_hot_bytes(
    text_length: int, window: int, step: int, vocabulary_size: int, *, itemsize: int = 1
) -> int:
    """Bytes of the classic one-hot arrays ``x`` (windows × window × V) and ``y`` (windows × V).

    The classic notebook takes a window at every ``step``-th position, ``range(0,
    text_length - window, step)``, and stores booleans (one byte each).

    Example:
        >>> one_hot_bytes(100, 10, 3, 5)  # 30 windows: 30·10·5 + 30·5
        1650
    """
    for name, value in (("text_length", text_length), ("window", window), ("step", step)):
        if value < 1:
            raise ValueError(f"{name} must be ≥ 1, got {value}.")
    windows = len(range(0, text_length - window, step))
    return windows * (window + 1) * vocabulary_size * itemsize


def window_dataset(
    ids: Any,
    window: int,
    *,
    shift: int = 1,
    every_position: bool = False,
    batch_size: int | None = None,
    shuffle_buffer: int = 0,
    seed: int | None = None,
) -> Any:
    """A streaming ``tf.data.Dataset`` of windows of ``ids`` and the tokens that follow.

    Windows of ``window`` tokens start every ``shift`` tokens. With
    ``every_position=False`` each example is ``(window, next token)``, shapes
    ``(window,)`` and ``()``; with ``every_position=True`` the target is the window
    shifted by one, shape ``(window,)``: each position's next token. Only the ids
    are held in memory; windows are cut as they are needed.

    Example:
        >>> data = window_dataset(np.arange(6), 3, shift=2)
        >>> [(x.numpy().tolist(), int(y)) for x, y in data]
        [([0, 1, 2], 3), ([2, 3, 4], 5)]
    """
    import tensorflow as tf

    array = _as_ids(ids, "ids")
    if window < 1 or shift < 1:
        raise ValueError(f"window and shift must be ≥ 1, got window={window}, shift={shift}.")
    if len(array) <= window:
        raise ValueError(
            f"A window of {window} tokens and its next token need {window + 1} ids; "
            f"got {len(array)}."
        )
    dataset = tf.data.Dataset.from_tensor_slices(array.astype(np.int32))
    dataset = dataset.window(window + 1, shift=shift, drop_remainder=True)
    dataset = dataset.flat_map(lambda chunk: chunk.batch(window + 1))
    if every_position:
        dataset = dataset.map(lambda chunk: (chunk[:-1], chunk[1:]))
    else:
        dataset = dataset.map(lambda chunk: (chunk[:-1], chunk[-1]))
    if shuffle_buffer:
        dataset = dataset.shuffle(shuffle_buffer, seed=seed)
    if batch_size:
        dataset = dataset.batch(batch_size).prefetch(tf.data.AUTOTUNE)
    return dataset


def reweight(probabilities: Any, temperature: float) -> np.ndarray:
    """A distribution reweighted by a temperature: ``p ** (1 / T)``, renormalised.

    Temperature 1 leaves it as it is; towards 0 it puts all its mass on the most
    probable token(s); above 1 it flattens. Temperature 0 gives the argmax (ties
    share the mass). Works on the last axis, in log space (no underflow).

    Example:
        >>> reweight([0.2, 0.8], 1.0).round(3).tolist(), reweight([0.2, 0.8], 0).tolist()
        ([0.2, 0.8], [0.0, 1.0])
    """
    p = np.asarray(probabilities, dtype=np.float64)
    if p.ndim == 0 or p.shape[-1] == 0:
        raise ValueError(f"probabilities must have a last axis of tokens, got shape {p.shape}.")
    if not np.all(np.isfinite(p)) or np.any(p < 0):
        raise ValueError("probabilities must be finite and ≥ 0 (did you pass logits?).")
    if not math.isfinite(temperature) or temperature < 0:
        raise ValueError(f"temperature must be a finite number ≥ 0, got {temperature!r}.")
    if temperature == 0:
        top = p == p.max(axis=-1, keepdims=True)
        return top / top.sum(axis=-1, keepdims=True)
    with np.errstate(divide="ignore"):
        logits = np.log(p) / temperature
    logits = logits - logits.max(axis=-1, keepdims=True)
    weights = np.exp(logits)
    return weights / weights.sum(axis=-1, keepdims=True)


def sample_with_temperature(
    probabilities: Any, temperature: float, rng: np.random.Generator
) -> int:
    """Draw one token id from ``probabilities`` reweighted by ``temperature`` (reference).

    Example:
        >>> rng = np.random.default_rng(0)
        >>> sample_with_temperature([0.1, 0.6, 0.3], 0, rng)
        1
    """
    p = reweight(probabilities, temperature)
    if p.ndim != 1:
        raise ValueError(f"Sample from one distribution at a time (1-D), got shape {p.shape}.")
    return int(rng.choice(len(p), p=p))


def repeated_ngram_share(text: Sequence[Any], n: int = 10) -> float:
    """Share of the ``n``-grams of ``text`` that already occurred earlier in it.

    0 for a text that never repeats an ``n``-gram; close to 1 for a text caught
    in a loop. Works on strings (character n-grams) and on lists of tokens.

    Example:
        >>> repeated_ngram_share("abcabcabc", n=3)  # 7 trigrams, the last 4 seen before
        0.5714285714285714
        >>> repeated_ngram_share("abcdefgh", n=3)
        0.0
    """
    if n < 1:
        raise ValueError(f"n must be ≥ 1, got {n}.")
    items = list(text)
    count = len(items) - n + 1
    if count < 1:
        raise ValueError(f"The text has {len(items)} items, fewer than n = {n}.")
    seen: set[tuple[Any, ...]] = set()
    repeats = 0
    for start in range(count):
        gram = tuple(items[start : start + n])
        repeats += gram in seen
        seen.add(gram)
    return repeats / count
