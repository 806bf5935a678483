"""Exploring and reusing word embeddings: neighbours, analogies, benchmarks, GloVe.

The same functions work on embeddings from either world:

* a NumPy matrix plus its list of words, for example the weights of a Keras
  ``Embedding`` layer and the vocabulary of the ``TextVectorization`` layer
  that feeds it (index 0 ``""`` is padding, index 1 ``"[UNK]"``);
* a gensim ``KeyedVectors`` (word2vec, fastText, GloVe loaded by gensim).

Wherever a function takes ``vectors`` it accepts a ``KeyedVectors``, a
``(words, matrix)`` pair, a dict ``word -> vector``, or a matrix together with
``words=``. Similarities are cosine similarities. The reserved tokens ``""``
and ``"[UNK]"`` are never returned as answers.

:func:`embedding_matrix_from_keyed_vectors` goes the other way: it builds the
initial weight matrix of a Keras ``Embedding`` layer from pretrained vectors
(chapter 2 writes its own and checks it against this one).

Example:
    >>> import numpy as np
    >>> words = ["", "[UNK]", "cat", "dog", "car"]
    >>> matrix = np.array([[0, 0], [0, 0], [1, 0.1], [1, 0.2], [0, 1]])
    >>> nearest_neighbours(matrix, "cat", top_n=1, words=words)[0][0]
    'dog'
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

RESERVED_TOKENS = ("", "[UNK]")
_QUESTIONS_PER_BATCH = 256  # bounds memory: batch x vocabulary scores at a time


class UnknownWordError(ValueError, KeyError):
    """A query word is not in the vocabulary. Catch it as ValueError or KeyError."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""


# --------------------------------------------------------------------------
# One view of "some word vectors", whatever they came as
# --------------------------------------------------------------------------


def _words_and_matrix(
    vectors: Any, words: Sequence[str] | None = None
) -> tuple[list[str], np.ndarray]:
    """Normalise the accepted inputs to (list of words, 2-D float matrix), unchanged values."""
    if hasattr(vectors, "index_to_key") and hasattr(vectors, "vectors"):  # gensim KeyedVectors
        if words is not None:
            raise ValueError("A KeyedVectors carries its own words; do not pass words=.")
        return list(vectors.index_to_key), np.asarray(vectors.vectors)
    if isinstance(vectors, Mapping):
        if words is not None:
            raise ValueError("A dict already maps words to vectors; do not pass words=.")
        words = list(vectors)
        rows = [np.asarray(vectors[word], dtype=np.float32) for word in words]
        sizes = {row.shape for row in rows}
        if len(sizes) > 1:
            raise ValueError(
                f"All vectors in the dict must have the same length; found {sorted(sizes)}."
            )
        dim = rows[0].size if rows else 0
        return words, np.stack(rows) if rows else np.zeros((0, dim), dtype=np.float32)
    if isinstance(vectors, tuple) and len(vectors) == 2 and words is None:
        words, vectors = vectors
    if words is None:
        raise ValueError(
            "A bare matrix needs its words: pass words=vocabulary (e.g. "
            "TextVectorization.get_vocabulary()) or a (words, matrix) pair."
        )
    matrix = np.asarray(vectors)
    words = list(words)
    if matrix.ndim != 2 or matrix.shape[0] != len(words):
        raise ValueError(
            f"Expected a matrix with one row per word ({len(words)} words), "
            f"got shape {matrix.shape}."
        )
    return words, matrix


@dataclass(frozen=True)
class _UnitVectors:
    """Words, their unit-length vectors (zero rows stay zero) and a lookup."""

    words: list[str]
    matrix: np.ndarray
    word_to_index: dict[str, int]
    candidates: np.ndarray  # False for reserved tokens, so they are never answers

    def index(self, word: str) -> int:
        try:
            return self.word_to_index[word]
        except KeyError:
            raise UnknownWordError(
                f"{word!r} is not in the vocabulary ({len(self.words):,} words). "
                "Check its spelling and case; words are matched exactly."
            ) from None


def _unit_vectors(
    vectors: Any,
    words: Sequence[str] | None = None,
    *,
    restrict_vocab: int | None = None,
    case_insensitive: bool = False,
) -> _UnitVectors:
    word_list, matrix = _words_and_matrix(vectors, words)
    if restrict_vocab is not None:
        word_list, matrix = word_list[:restrict_vocab], matrix[:restrict_vocab]
    matrix = np.asarray(matrix, dtype=np.float32)
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    unit = np.divide(matrix, norms, out=np.zeros_like(matrix), where=norms > 0)
    lookup: dict[str, int] = {}
    for index, word in enumerate(word_list):  # first occurrence wins: most frequent
        lookup.setdefault(word.lower() if case_insensitive else word, index)
    candidates = np.array([word not in RESERVED_TOKENS for word in word_list], dtype=bool)
    return _UnitVectors(word_list, unit, lookup, candidates)


def _top(
    unit: _UnitVectors, query: np.ndarray, exclude: Iterable[int], top_n: int
) -> list[tuple[str, float]]:
    """The top_n most cosine-similar words to a query vector."""
    norm = np.linalg.norm(query)
    scores = unit.matrix @ (query / norm if norm > 0 else query)
    scores = np.where(unit.candidates, scores, -np.inf)
    scores[list(exclude)] = -np.inf
    top_n = min(top_n, int(np.isfinite(scores).sum()))
    best = np.argpartition(-scores, top_n - 1)[:top_n] if top_n > 0 else np.zeros(0, int)
    best = best[np.argsort(-scores[best], kind="stable")]
    return [(unit.words[i], float(scores[i])) for i in best]


def _check_top_n(top_n: int) -> None:
    if isinstance(top_n, bool) or not isinstance(top_n, (int, np.integer)) or top_n < 1:
        raise ValueError(f"top_n must be a positive whole number, got {top_n!r}.")


# --------------------------------------------------------------------------
# Neighbours and analogies
# --------------------------------------------------------------------------


def nearest_neighbours(
    vectors: Any,
    word: str,
    top_n: int = 10,
    words: Sequence[str] | None = None,
) -> list[tuple[str, float]]:
    """The ``top_n`` words most similar to ``word``, as (word, cosine) pairs, best first.

    The word itself is left out. Words are matched exactly (case included).

    Example:
        >>> vectors = (["red", "crimson", "blue"], np.array([[1, 0], [0.9, 0.1], [0, 1]]))
        >>> [w for w, _ in nearest_neighbours(vectors, "red", top_n=2)]
        ['crimson', 'blue']
    """
    _check_top_n(top_n)
    unit = _unit_vectors(vectors, words)
    index = unit.index(word)
    return _top(unit, unit.matrix[index], [index], top_n)


def analogy(
    vectors: Any,
    a: str,
    b: str,
    c: str,
    top_n: int = 1,
    *,
    words: Sequence[str] | None = None,
) -> list[tuple[str, float]]:
    """ "``a`` is to ``b`` as ``c`` is to ?": words nearest to ``b - a + c``.

    Uses unit-length vectors (the "3CosAdd" rule, as gensim's
    ``most_similar(positive=[b, c], negative=[a])``) and leaves out the three
    query words. Returns a list of (word, cosine) pairs even for ``top_n=1``.

    Example:
        >>> words = ["man", "woman", "king", "queen"]
        >>> matrix = np.array([[1, 0, 0], [1, 1, 0], [1, 0, 1], [1, 1, 1]])
        >>> analogy((words, matrix), "man", "woman", "king")[0][0]
        'queen'
    """
    _check_top_n(top_n)
    unit = _unit_vectors(vectors, words)
    ia, ib, ic = unit.index(a), unit.index(b), unit.index(c)
    query = unit.matrix[ib] - unit.matrix[ia] + unit.matrix[ic]
    return _top(unit, query, [ia, ib, ic], top_n)


# --------------------------------------------------------------------------
# Benchmarks: analogy questions and word similarity
# --------------------------------------------------------------------------


def _read_lines(path_or_lines: str | os.PathLike[str] | Iterable[str]) -> list[str]:
    """A path (str or Path) is read as UTF-8; anything else is taken as lines."""
    if isinstance(path_or_lines, (str, os.PathLike)):
        with open(path_or_lines, encoding="utf-8") as handle:
            return handle.read().splitlines()
    return [line.rstrip("\n") for line in path_or_lines]


def evaluate_analogies(
    vectors: Any,
    questions_path_or_lines: str | os.PathLike[str] | Iterable[str],
    restrict_vocab: int | None = None,
    *,
    words: Sequence[str] | None = None,
    case_insensitive: bool = True,
) -> dict[str, Any]:
    """Accuracy on analogy questions in the format of gensim's ``questions-words.txt``.

    Each line holds ``a b c d`` (``a`` is to ``b`` as ``c`` is to ``d``); lines
    starting with ``": "`` begin a section. A question counts as correct when
    :func:`analogy`'s best answer is ``d``. Questions with a word outside the
    vocabulary (or outside its first ``restrict_vocab`` words, which should be
    the most frequent) are skipped and counted. As in gensim, matching is
    case-insensitive by default, the most frequent spelling winning.

    Returns ``{"accuracy", "correct", "used", "skipped", "sections"}``, where
    ``sections`` maps each section name to the same four numbers. Accuracy is
    ``nan`` when no question could be used.

    Example:
        >>> words = ["man", "woman", "king", "queen"]
        >>> matrix = np.array([[1, 0, 0], [1, 1, 0], [1, 0, 1], [1, 1, 1]])
        >>> result = evaluate_analogies((words, matrix), [": royals", "man woman king queen"])
        >>> result["accuracy"], result["used"], result["skipped"]
        (1.0, 1, 0)
    """
    unit = _unit_vectors(
        vectors, words, restrict_vocab=restrict_vocab, case_insensitive=case_insensitive
    )
    sections: dict[str, dict[str, Any]] = {}
    section = "(no section)"
    questions: list[tuple[str, tuple[int, int, int, int]]] = []
    for number, line in enumerate(_read_lines(questions_path_or_lines), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith(":"):
            section = line[1:].strip()
            sections.setdefault(section, {"correct": 0, "used": 0, "skipped": 0})
            continue
        parts = line.lower().split() if case_insensitive else line.split()
        if len(parts) != 4:
            raise ValueError(f"Analogy line {number} should hold 4 words, got {line!r}.")
        counts = sections.setdefault(section, {"correct": 0, "used": 0, "skipped": 0})
        indices = [unit.word_to_index.get(part) for part in parts]
        if any(index is None for index in indices):
            counts["skipped"] += 1
            continue
        counts["used"] += 1
        questions.append((section, tuple(indices)))  # type: ignore[arg-type]

    if questions:
        columns = np.array([indices for _, indices in questions])
        # the same word in another case counts as the same answer
        canonical = np.array(
            [unit.word_to_index[w.lower() if case_insensitive else w] for w in unit.words]
        )
        for start in range(0, len(questions), _QUESTIONS_PER_BATCH):
            ia, ib, ic, expected = columns[start : start + _QUESTIONS_PER_BATCH].T
            queries = unit.matrix[ib] - unit.matrix[ia] + unit.matrix[ic]
            scores = queries @ unit.matrix.T  # query norms do not change each row's ranking
            scores[:, ~unit.candidates] = -np.inf
            rows = np.arange(len(expected))
            for excluded in (ia, ib, ic):
                scores[rows, excluded] = -np.inf
            hits = canonical[scores.argmax(axis=1)] == expected
            for (name, _), hit in zip(questions[start : start + len(expected)], hits):
                sections[name]["correct"] += int(hit)

    def summary(counts: Mapping[str, int]) -> dict[str, Any]:
        used = counts["used"]
        accuracy = counts["correct"] / used if used else float("nan")
        return {"accuracy": accuracy, **counts}

    totals = {
        key: sum(s[key] for s in sections.values()) for key in ("correct", "used", "skipped")
    }
    return {**summary(totals), "sections": {name: summary(s) for name, s in sections.items()}}


def evaluate_word_similarity(
    vectors: Any,
    pairs_path_or_lines: str | os.PathLike[str] | Iterable[str],
    *,
    words: Sequence[str] | None = None,
    case_insensitive: bool = True,
) -> dict[str, Any]:
    """Spearman correlation between cosine similarities and human scores.

    Reads the format of gensim's ``wordsim353.tsv``: ``word1<TAB>word2<TAB>score``
    per line, lines starting with ``#`` are comments. Pairs with an unknown
    word are skipped; ``coverage`` is the fraction of pairs used.

    Returns ``{"spearman", "pairs_used", "pairs_skipped", "coverage"}``;
    ``spearman`` is ``nan`` with fewer than two usable pairs.

    Example:
        >>> vectors = (["cat", "dog", "car"], np.array([[1, 0.1], [1, 0.3], [0, 1]]))
        >>> lines = ["cat\\tdog\\t8.0", "cat\\tcar\\t2.0", "dog\\tcar\\t3.0", "cat\\tzebra\\t5"]
        >>> result = evaluate_word_similarity(vectors, lines)
        >>> result["spearman"], result["coverage"]
        (1.0, 0.75)
    """
    from scipy.stats import spearmanr

    unit = _unit_vectors(vectors, words, case_insensitive=case_insensitive)
    model_scores: list[float] = []
    human_scores: list[float] = []
    skipped = 0
    for number, line in enumerate(_read_lines(pairs_path_or_lines), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        parts = line.split("\t") if "\t" in line else line.split()
        if len(parts) != 3:
            raise ValueError(
                f"Similarity line {number} should be 'word1<TAB>word2<TAB>score', got {line!r}."
            )
        first, second = (p.lower() for p in parts[:2]) if case_insensitive else parts[:2]
        i, j = unit.word_to_index.get(first), unit.word_to_index.get(second)
        if i is None or j is None:
            skipped += 1
            continue
        model_scores.append(float(unit.matrix[i] @ unit.matrix[j]))
        human_scores.append(float(parts[2]))

    used = len(model_scores)
    rho = float(spearmanr(model_scores, human_scores).statistic) if used >= 2 else float("nan")
    total = used + skipped
    return {
        "spearman": rho,
        "pairs_used": used,
        "pairs_skipped": skipped,
        "coverage": used / total if total else 0.0,
    }


# --------------------------------------------------------------------------
# Pretrained vectors into a Keras Embedding layer
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class CoverageReport:
    """How much of a vocabulary some pretrained vectors cover.

    ``coverage`` is ``found / (found + missing)``; the reserved tokens ``""``
    and ``"[UNK]"`` are not counted.

    Example:
        >>> report = CoverageReport(found=8734, missing=1264, missing_examples=("zzz",))
        >>> print(report)
        The pretrained embedding covers 8,734 of 9,998 words (87.4%); missing e.g. 'zzz'
    """

    found: int
    missing: int
    missing_examples: tuple[str, ...] = ()
    name: str = "The pretrained embedding"

    @property
    def total(self) -> int:
        """Number of (non-reserved) vocabulary words looked up."""
        return self.found + self.missing

    @property
    def coverage(self) -> float:
        """Fraction of the looked-up words that were found (0.0 for none)."""
        return self.found / self.total if self.total else 0.0

    def __str__(self) -> str:
        line = f"{self.name} covers {self.found:,} of {self.total:,} words ({self.coverage:.1%})"
        if self.missing_examples:
            line += "; missing e.g. " + ", ".join(
                repr(str(word)) for word in self.missing_examples
            )
        return line


def _vector_lookup(source: Any) -> tuple[Any, int]:
    """A function word -> vector or None, and the vector size, for any accepted source."""
    if hasattr(source, "key_to_index") and hasattr(source, "vectors"):  # gensim KeyedVectors
        index, matrix = source.key_to_index, source.vectors
        return (lambda word: matrix[index[word]] if word in index else None), matrix.shape[1]
    if isinstance(source, Mapping):
        sizes = {np.asarray(vector).shape for vector in source.values()}
        if len(sizes) != 1 or len(next(iter(sizes))) != 1:
            raise ValueError(
                f"The dict's vectors must all be 1-D of one length; found shapes {sorted(sizes)}."
            )
        return source.get, next(iter(sizes))[0]
    words, matrix = _words_and_matrix(source)
    index = {}
    for row, word in enumerate(words):
        index.setdefault(word, row)
    return (lambda word: matrix[index[word]] if word in index else None), matrix.shape[1]


def embedding_matrix_from_keyed_vectors(
    vocabulary: Sequence[str],
    keyed_vectors_or_mapping: Any,
    *,
    oov: str = "random",
    seed: int = 1337,
    scale: float | None = None,
    name: str = "The pretrained embedding",
    max_examples: int = 10,
) -> tuple[np.ndarray, CoverageReport]:
    """Initial weights for a Keras ``Embedding`` layer from pretrained vectors.

    ``vocabulary`` is a ``TextVectorization``-style word list. Row ``i`` of the
    result is the pretrained vector of ``vocabulary[i]``, copied exactly; words
    are matched exactly (no lower-casing, so lower-case the text the same way
    the vectors were trained, e.g. for GloVe). The padding ``""`` and
    ``"[UNK]"`` rows are all zeros. Words the vectors lack get, with
    ``oov="random"``, draws from Normal(0, s) where s is ``scale`` or else the
    standard deviation of all entries of the found vectors (seeded by
    ``seed``); with ``oov="zeros"``, zeros. The source may be a gensim
    ``KeyedVectors``, a dict ``word -> vector`` or a ``(words, matrix)`` pair.

    Returns ``(matrix, report)``; ``matrix`` is float32, shape
    ``(len(vocabulary), dim)``, and ``print(report)`` gives a one-line summary.

    Example:
        >>> glove = {"cat": [1.0, 2.0], "dog": [3.0, 4.0]}
        >>> matrix, report = embedding_matrix_from_keyed_vectors(
        ...     ["", "[UNK]", "cat", "dog", "emu"], glove, oov="zeros", name="GloVe")
        >>> matrix.tolist()
        [[0.0, 0.0], [0.0, 0.0], [1.0, 2.0], [3.0, 4.0], [0.0, 0.0]]
        >>> print(report)
        GloVe covers 2 of 3 words (66.7%); missing e.g. 'emu'
    """
    if oov not in ("random", "zeros"):
        raise ValueError(f'oov must be "random" or "zeros", got {oov!r}.')
    if scale is not None and not scale > 0:
        raise ValueError(
            f"scale must be positive (or None to use the vectors' own spread), got {scale}."
        )
    lookup, dim = _vector_lookup(keyed_vectors_or_mapping)

    vocabulary = list(vocabulary)
    matrix = np.zeros((len(vocabulary), dim), dtype=np.float32)
    found_rows: list[int] = []
    missing_rows: list[int] = []
    for row, word in enumerate(vocabulary):
        if word in RESERVED_TOKENS:
            continue
        vector = lookup(word)
        if vector is None:
            missing_rows.append(row)
        else:
            matrix[row] = vector
            found_rows.append(row)

    if missing_rows and not found_rows:
        raise ValueError(
            f"None of the {len(missing_rows):,} vocabulary words are in the vectors "
            f"(e.g. {vocabulary[missing_rows[0]]!r}); check lower-casing and tokenisation."
        )
    if oov == "random" and missing_rows:
        spread = scale if scale is not None else float(matrix[found_rows].std())
        draws = np.random.default_rng(seed).normal(0.0, spread, size=(len(missing_rows), dim))
        matrix[missing_rows] = draws.astype(np.float32)

    examples = tuple(vocabulary[row] for row in missing_rows[:max_examples])
    report = CoverageReport(len(found_rows), len(missing_rows), examples, name)
    return matrix, report
