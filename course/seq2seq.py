"""Sequence-to-sequence helpers for chapter 9: a generated task, splits, decoders, BLEU, attention.

What the chapter compares its own code with, in NumPy and plain Python:

- :func:`addition_pairs`: the small task, 3-digit addition written as text
  (``"123+45"`` → ``"168"``), generated with a seed; the data *is* the task.
- :func:`split_pairs`: a reproducible train/validation/test split in which no
  (source, target) pair appears in two splits.
- :func:`greedy_decode` and :func:`beam_search`: reference decoders over any
  next-token log-probability function, so that they can be tested on small
  hand-made models and the chapter's Keras loop asserted equal to them.
- :func:`corpus_bleu` (a thin wrapper around ``sacrebleu``) and
  :func:`copy_source`, the copy-the-source baseline.
- :func:`dot_product_attention` and :func:`additive_attention`: attention in
  NumPy, with a padding mask.
- :func:`character_accuracy` and :func:`exact_match`: the small task's metrics.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

NextLogProbs = Callable[[np.ndarray], np.ndarray]
"""A model for the decoders: prefixes ``(n, t)`` of ids -> log-probabilities ``(n, vocab)``."""


def addition_pairs(count: int, *, digits: int = 3, seed: int = 0) -> list[tuple[str, str]]:
    """``count`` distinct questions ``"a+b"`` with their answers ``"a+b"`` evaluated, as strings.

    Operands have 1 to ``digits`` digits, drawn uniformly by length and then by
    value (as in the Keras addition example), so short sums are not rare. The
    pairs are distinct and in a seeded random order; ``a+b`` and ``b+a`` are
    different questions.

    Example:
        >>> addition_pairs(3, seed=1)
        [('77+95', '172'), ('8+9', '17'), ('8+4', '12')]
        >>> all(eval(question) == int(answer) for question, answer in addition_pairs(100))
        True
    """
    if digits < 1:
        raise ValueError(f"digits must be at least 1, not {digits}.")
    most = (10**digits) ** 2
    if not 0 < count <= most // 2:
        raise ValueError(
            f"count must be between 1 and {most // 2:,} for {digits}-digit operands "
            f"(about half the {most:,} possible questions), not {count}."
        )
    rng = np.random.default_rng(seed)
    seen: set[tuple[int, int]] = set()
    pairs: list[tuple[str, str]] = []
    while len(pairs) < count:
        a, b = (_number(rng, length) for length in _lengths(rng, digits))
        if (a, b) in seen:
            continue
        seen.add((a, b))
        pairs.append((f"{a}+{b}", str(a + b)))
    return pairs


def _number(rng: np.random.Generator, length: int) -> int:
    return int(rng.integers(10 ** (length - 1) if length > 1 else 0, 10**length))


def _lengths(rng: np.random.Generator, digits: int) -> tuple[int, int]:
    return int(rng.integers(1, digits + 1)), int(rng.integers(1, digits + 1))


def split_pairs(
    pairs: Sequence[tuple[str, str]],
    *,
    validation: float = 0.15,
    test: float = 0.15,
    seed: int = 0,
) -> dict[str, list[tuple[str, str]]]:
    """Split pairs into ``train``, ``validation`` and ``test``, no pair in two splits.

    Duplicate pairs are kept once (the first time they occur), then the
    distinct pairs are shuffled with ``seed`` and cut by the given fractions.
    The same input and seed give the same split.

    Example:
        >>> pairs = [("Go.", "Ve."), ("Go.", "Ve."), ("Hi.", "Hola."), ("Run!", "¡Corre!")]
        >>> split = split_pairs(pairs, validation=0.34, test=0.34, seed=0)
        >>> {name: len(part) for name, part in split.items()}
        {'train': 1, 'validation': 1, 'test': 1}
        >>> split_pairs(pairs, validation=0.5, test=0.6)  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        ValueError: validation + test must be below 1 so that some pairs are left ...
    """
    for name, fraction in (("validation", validation), ("test", test)):
        if not 0 <= fraction < 1:
            raise ValueError(f"{name} must be a fraction in [0, 1), not {fraction}.")
    if validation + test >= 1:
        raise ValueError(
            "validation + test must be below 1 so that some pairs are left to train on, "
            f"not {validation} + {test}."
        )
    distinct = list(dict.fromkeys((str(source), str(target)) for source, target in pairs))
    order = np.random.default_rng(seed).permutation(len(distinct))
    shuffled = [distinct[i] for i in order]
    n_validation = int(round(validation * len(shuffled)))
    n_test = int(round(test * len(shuffled)))
    n_train = len(shuffled) - n_validation - n_test
    return {
        "train": shuffled[:n_train],
        "validation": shuffled[n_train : n_train + n_validation],
        "test": shuffled[n_train + n_validation :],
    }


def _check_decoder_arguments(max_length: int, beam_width: int = 1) -> None:
    if max_length < 1:
        raise ValueError(f"max_length must be at least 1 token, not {max_length}.")
    if beam_width < 1:
        raise ValueError(f"beam_width must be at least 1, not {beam_width}.")


def _log_probs(next_log_probs: NextLogProbs, prefixes: np.ndarray) -> np.ndarray:
    scores = np.asarray(next_log_probs(prefixes), dtype=np.float64)
    if scores.ndim != 2 or scores.shape[0] != len(prefixes):
        raise ValueError(
            f"next_log_probs must return log-probabilities of shape ({len(prefixes)}, vocab) for "
            f"{len(prefixes)} prefixes, not {scores.shape}."
        )
    return scores


def greedy_decode(
    next_log_probs: NextLogProbs, *, start: int, end: int, max_length: int
) -> tuple[list[int], float]:
    """The most likely next token at every step, until ``end`` or ``max_length`` new tokens.

    Returns the generated tokens (without ``start``; with ``end`` if it was
    produced) and their total log-probability.

    Example:
        >>> table = np.log([[0.01, 0.04, 0.5, 0.45], [0.25, 0.25, 0.25, 0.25],
        ...                 [0.01, 0.3, 0.39, 0.3], [0.01, 0.95, 0.02, 0.02]])
        >>> markov = lambda prefixes: table[prefixes[:, -1]]  # next token from the last one
        >>> tokens, score = greedy_decode(markov, start=0, end=1, max_length=6)
        >>> tokens, round(score, 4)  # 2 is always a little likelier than the end token
        ([2, 2, 2, 2, 2, 2], -5.4012)
    """
    _check_decoder_arguments(max_length)
    prefix = [start]
    score = 0.0
    for _ in range(max_length):
        scores = _log_probs(next_log_probs, np.array([prefix]))[0]
        token = int(np.argmax(scores))
        prefix.append(token)
        score += float(scores[token])
        if token == end:
            break
    return prefix[1:], score


def beam_search(
    next_log_probs: NextLogProbs,
    *,
    start: int,
    end: int,
    max_length: int,
    beam_width: int = 3,
) -> list[tuple[list[int], float]]:
    """Beam search: keep the ``beam_width`` most likely prefixes at every step.

    A prefix that produces ``end`` is finished and leaves the beam; the search
    stops when ``beam_width`` prefixes have finished, when no finished prefix
    can be beaten any more (log-probabilities only fall), or after
    ``max_length`` new tokens, when the unfinished prefixes count as they are.

    Returns a list holding one hypothesis, the best: ``[(tokens,
    log_probability)]``, tokens without ``start``; read it with
    ``beam_search(...)[0]``. The other hypotheses the search holds when it stops
    are not returned: it stops as soon as nothing can beat the best, so an open
    prefix it drops may lead to a sequence likelier than the second one it
    finished, and a list of them would be wrongly ranked. Scores are plain
    sums of log-probabilities (no length normalization). With
    ``beam_width=1`` this is :func:`greedy_decode`. A wider beam usually finds
    a likelier sequence than greedy decoding, but that is not guaranteed:
    greedy's prefix can be pruned.

    Example:
        >>> table = np.log([[0.01, 0.04, 0.5, 0.45], [0.25, 0.25, 0.25, 0.25],
        ...                 [0.01, 0.3, 0.39, 0.3], [0.01, 0.95, 0.02, 0.02]])
        >>> markov = lambda prefixes: table[prefixes[:, -1]]
        >>> [(best, score)] = beam_search(markov, start=0, end=1, max_length=6, beam_width=2)
        >>> best, round(score, 4)  # greedy decoding never ends here (see greedy_decode)
        ([3, 1], -0.8498)
    """
    _check_decoder_arguments(max_length, beam_width)
    beams: list[tuple[list[int], float]] = [([start], 0.0)]
    finished: list[tuple[list[int], float]] = []
    for _ in range(max_length):
        scores = _log_probs(next_log_probs, np.array([prefix for prefix, _ in beams]))
        candidates = [
            (prefix + [token], score + float(scores[row, token]))
            for row, (prefix, score) in enumerate(beams)
            for token in np.argsort(-scores[row], kind="stable")[:beam_width].tolist()
        ]
        candidates.sort(key=lambda candidate: -candidate[1])  # stable: ties keep their order
        beams = []
        for prefix, score in candidates[:beam_width]:
            (finished if prefix[-1] == end else beams).append((prefix, score))
        finished.sort(key=lambda hypothesis: -hypothesis[1])
        best_open = max((score for _, score in beams), default=-np.inf)
        if not beams or len(finished) >= beam_width or (finished and finished[0][1] >= best_open):
            beams = []  # done: the finished hypotheses cannot be beaten
            break
    prefix, score = max(finished + beams, key=lambda hypothesis: hypothesis[1])  # first if tied
    return [(prefix[1:], score)]


def corpus_bleu(hypotheses: Sequence[str], references: Sequence[str]) -> float:
    """Corpus BLEU (0–100) of detokenized ``hypotheses`` against one reference each, by sacrebleu.

    sacrebleu's defaults: its ``13a`` tokenizer, case-sensitive, exponential
    smoothing. Score text as a reader sees it (no ``[start]``/``[end]``). Text
    that is tokenized already (punctuation split off, as the chapter's models
    write it) is accepted without sacrebleu's warning about it; score the
    references in the same form.

    Example:
        >>> round(corpus_bleu(["el gato está aquí ."], ["el gato está aquí ."]), 1)
        100.0
        >>> corpus_bleu(["a"], ["a", "b"])
        Traceback (most recent call last):
        ...
        ValueError: Give one reference per hypothesis: 1 hypotheses, 2 references.
    """
    import sacrebleu

    hypotheses, references = [str(h) for h in hypotheses], [str(r) for r in references]
    if len(hypotheses) != len(references):
        raise ValueError(
            "Give one reference per hypothesis: "
            f"{len(hypotheses)} hypotheses, {len(references)} references."
        )
    if not hypotheses:
        raise ValueError("BLEU needs at least one hypothesis.")
    return float(sacrebleu.corpus_bleu(hypotheses, [references], force=True).score)


def copy_source(sources: Sequence[str]) -> list[str]:
    """The copy-the-source baseline: each source sentence, unchanged, as its own translation.

    It scores above zero because names, numbers and punctuation carry over.

    Example:
        >>> copy_source(["Tom is here."])
        ['Tom is here.']
    """
    return [str(source) for source in sources]


def character_accuracy(predicted: Sequence[str], expected: Sequence[str]) -> float:
    """Share of character positions right, comparing strings padded with spaces to equal length.

    Example:
        >>> character_accuracy(["579 ", "10  "], ["579 ", "100 "])
        0.875
    """
    if len(predicted) != len(expected) or not expected:
        raise ValueError(
            f"Give as many predictions as expected strings (and at least one): "
            f"{len(predicted)} and {len(expected)}."
        )
    right = total = 0
    for guess, truth in zip(predicted, expected):
        width = max(len(guess), len(truth))
        right += sum(a == b for a, b in zip(guess.ljust(width), truth.ljust(width)))
        total += width
    return right / total


def exact_match(predicted: Sequence[str], expected: Sequence[str]) -> float:
    """Share of strings exactly right (trailing spaces ignored).

    Example:
        >>> exact_match(["579", "10"], ["579", "100"])
        0.5
    """
    if len(predicted) != len(expected) or not expected:
        raise ValueError(
            f"Give as many predictions as expected strings (and at least one): "
            f"{len(predicted)} and {len(expected)}."
        )
    return float(np.mean([g.rstrip() == t.rstrip() for g, t in zip(predicted, expected)]))


def _softmax(scores: np.ndarray) -> np.ndarray:
    shifted = scores - scores.max(axis=-1, keepdims=True)
    exp = np.exp(shifted)
    return exp / exp.sum(axis=-1, keepdims=True)


def _masked(scores: np.ndarray, mask: Any) -> np.ndarray:
    if mask is None:
        return scores
    mask = np.asarray(mask, dtype=bool)
    if mask.shape != (scores.shape[0], scores.shape[-1]):
        raise ValueError(
            f"mask must have shape (batch, source steps) = {(scores.shape[0], scores.shape[-1])}, "
            f"not {mask.shape}."
        )
    return np.where(mask[:, np.newaxis, :], scores, -1e9)


def dot_product_attention(
    query: np.ndarray, keys: np.ndarray, values: np.ndarray, mask: Any = None
) -> tuple[np.ndarray, np.ndarray]:
    """Luong (dot-product) attention: ``softmax(query · keysᵀ) · values``, padding masked.

    Shapes: query ``(batch, target steps, d)``, keys ``(batch, source steps, d)``,
    values ``(batch, source steps, d_v)``, mask ``(batch, source steps)`` (True
    where the source is a real token). Returns the context ``(batch, target
    steps, d_v)`` and the weights ``(batch, target steps, source steps)``, each
    row summing to 1. Unscaled, like ``keras.layers.Attention()``.

    Example:
        >>> q, k = np.ones((1, 2, 4)), np.ones((1, 3, 4))
        >>> context, weights = dot_product_attention(q, k, np.eye(3)[np.newaxis], [[1, 1, 0]])
        >>> weights[0, 0].round(3).tolist(), context.shape
        ([0.5, 0.5, 0.0], (1, 2, 3))
    """
    query, keys, values = (np.asarray(a, dtype=np.float64) for a in (query, keys, values))
    if query.shape[-1] != keys.shape[-1]:
        raise ValueError(
            f"query and keys need the same last dimension: {query.shape} and {keys.shape}."
        )
    scores = _masked(query @ keys.transpose(0, 2, 1), mask)
    weights = _softmax(scores)
    return weights @ values, weights


def additive_attention(
    query: np.ndarray,
    keys: np.ndarray,
    values: np.ndarray,
    w_query: np.ndarray,
    w_keys: np.ndarray,
    v: np.ndarray,
    mask: Any = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Bahdanau (additive) attention: scores ``v · tanh(query W_q + key W_k)``, padding masked.

    Shapes as in :func:`dot_product_attention`, with ``w_query`` ``(d_q, units)``,
    ``w_keys`` ``(d_k, units)`` and ``v`` ``(units,)``.

    Example:
        >>> rng = np.random.default_rng(0)
        >>> q, k = rng.normal(size=(2, 3, 4)), rng.normal(size=(2, 5, 4))
        >>> w_q, w_k, v = rng.normal(size=(4, 6)), rng.normal(size=(4, 6)), rng.normal(size=6)
        >>> context, weights = additive_attention(q, k, k, w_q, w_k, v)
        >>> context.shape, weights.shape, np.allclose(weights.sum(-1), 1)
        ((2, 3, 4), (2, 3, 5), True)
    """
    query, keys, values = (np.asarray(a, dtype=np.float64) for a in (query, keys, values))
    projected = (query @ w_query)[:, :, np.newaxis, :] + (keys @ w_keys)[:, np.newaxis, :, :]
    scores = _masked(np.tanh(projected) @ np.asarray(v, dtype=np.float64), mask)
    weights = _softmax(scores)
    return weights @ values, weights
