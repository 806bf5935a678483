"""Sequence labelling helpers and references for chapter 8: one tag per token.

Read it top to bottom:

1. :func:`take_sentences` draws a seeded subset of a
   :class:`~course.data.conll.TaggedSentences` corpus (the fast profile's
   subsets).
2. :class:`MostFrequentTag` is the baseline every tagger must beat: each known
   word gets the tag it had most often in training, unknown words the most
   frequent tag overall.
3. :func:`build_vocabulary`, :func:`encode_sentences` and :func:`encode_tags`
   turn sentences into padded integer arrays (0 = padding, 1 = unknown word);
   :func:`token_accuracy` scores a tagger on the real tokens only.
4. :func:`entity_spans` reads entities out of IOB2 tags, and
   :func:`entity_scores` computes entity-level precision, recall and F1 as the
   CoNLL shared task defines them (an entity counts only if its span and type
   both match exactly); :func:`invalid_transitions` counts ``I-X`` tags that
   continue no entity of type ``X``.
5. A reference linear-chain CRF in NumPy, float64: :func:`crf_path_score`
   (the score of one tag path), :func:`crf_log_partition` (the forward
   algorithm), :func:`crf_log_partition_brute_force` (a sum over every path,
   for checking), :func:`crf_log_likelihood` and :func:`viterbi_decode`.
   Chapter 8 writes its CRF in Keras ops and asserts it equals these.

CRF conventions: ``emissions`` has shape ``(timesteps, tags)``;
``transitions[i, j]`` scores tag ``i`` followed by tag ``j``; optional
``start`` and ``end`` vectors score the first and the last tag. The score of a
path ``y`` is ``start[y_0] + sum_t emissions[t, y_t] + sum_t transitions[y_(t-1), y_t]
+ end[y_(T-1)]``.

Example:
    >>> entity_spans(["B-PER", "I-PER", "O", "B-LOC"])
    [('PER', 0, 2), ('LOC', 3, 4)]
    >>> round(entity_scores([["B-PER", "I-PER", "O"]], [["B-PER", "O", "O"]])["f1"], 3)
    0.0
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Sequence

import numpy as np

from course.data.conll import TaggedSentences

__all__ = [
    "PAD",
    "UNKNOWN",
    "MostFrequentTag",
    "build_vocabulary",
    "crf_log_likelihood",
    "crf_log_partition",
    "crf_log_partition_brute_force",
    "crf_path_score",
    "encode_sentences",
    "encode_tags",
    "entity_scores",
    "entity_spans",
    "invalid_transitions",
    "take_sentences",
    "token_accuracy",
    "viterbi_decode",
]

PAD = 0  # the index of padding, in token and tag arrays alike
UNKNOWN = 1  # the index of a word outside the vocabulary


# ----------------------------------------------------------------- subsets


def take_sentences(
    corpus: TaggedSentences, count: int | None, *, seed: int = 0
) -> TaggedSentences:
    """A seeded random subset of ``count`` sentences (all of them for None), order kept.

    Example:
        >>> corpus = TaggedSentences([["a"], ["b"], ["c"]], [["X"], ["Y"], ["Z"]])
        >>> take_sentences(corpus, 2).sentence_count
        2
        >>> take_sentences(corpus, None) is corpus
        True
    """
    if count is None:
        return corpus
    if isinstance(count, bool) or not isinstance(count, (int, np.integer)) or count < 1:
        raise ValueError(f"count must be a positive whole number or None, not {count!r}.")
    if count >= corpus.sentence_count:
        return corpus
    rng = np.random.default_rng(seed)
    chosen = np.sort(rng.choice(corpus.sentence_count, size=int(count), replace=False))
    return TaggedSentences([corpus.tokens[i] for i in chosen], [corpus.tags[i] for i in chosen])


# ---------------------------------------------------------------- baseline


class MostFrequentTag:
    """The most-frequent-tag baseline: each word's commonest training tag.

    Words never seen in training get the most frequent tag overall. Ties go
    to the tag seen first.

    Example:
        >>> baseline = MostFrequentTag().fit([["the", "dog", "runs"], ["the", "runs"]],
        ...                                  [["DET", "NOUN", "VERB"], ["DET", "NOUN"]])
        >>> baseline.predict([["the", "runs", "cat"]])
        [['DET', 'VERB', 'DET']]
    """

    def __init__(self, *, lowercase: bool = False) -> None:
        self.lowercase = lowercase
        self.tag_of: dict[str, str] = {}
        self.default: str | None = None

    def _key(self, token: str) -> str:
        return token.lower() if self.lowercase else token

    def fit(
        self, tokens: Sequence[Sequence[str]], tags: Sequence[Sequence[str]]
    ) -> MostFrequentTag:
        """Count (word, tag) pairs in tagged sentences; return self."""
        _check_parallel(tokens, tags)
        by_word: dict[str, Counter[str]] = {}
        overall: Counter[str] = Counter()
        for sentence, sentence_tags in zip(tokens, tags):
            for token, tag in zip(sentence, sentence_tags):
                by_word.setdefault(self._key(token), Counter())[tag] += 1
                overall[tag] += 1
        if not overall:
            raise ValueError("MostFrequentTag.fit needs at least one tagged token.")
        self.tag_of = {word: counts.most_common(1)[0][0] for word, counts in by_word.items()}
        self.default = overall.most_common(1)[0][0]
        return self

    def predict(self, tokens: Sequence[Sequence[str]]) -> list[list[str]]:
        """One tag per token: the word's commonest tag, or the overall commonest."""
        if self.default is None:
            raise ValueError("Call fit(tokens, tags) before predict.")
        return [
            [self.tag_of.get(self._key(token), self.default) for token in sentence]
            for sentence in tokens
        ]


# ---------------------------------------------------------------- encoding


def build_vocabulary(
    tokens: Sequence[Sequence[str]], *, min_count: int = 1, lowercase: bool = True
) -> dict[str, int]:
    """Word → index for words seen at least ``min_count`` times; 0 and 1 stay free.

    Indices start at 2, most frequent word first (ties by first appearance):
    0 is :data:`PAD` and 1 is :data:`UNKNOWN`.

    Example:
        >>> build_vocabulary([["The", "cat"], ["the", "dog"]])
        {'the': 2, 'cat': 3, 'dog': 4}
        >>> build_vocabulary([["The", "cat"], ["the", "dog"]], min_count=2)
        {'the': 2}
    """
    if isinstance(min_count, bool) or not isinstance(min_count, int) or min_count < 1:
        raise ValueError(f"min_count must be a whole number of at least 1, not {min_count!r}.")
    counts = Counter(
        token.lower() if lowercase else token for sentence in tokens for token in sentence
    )
    words = [word for word, count in counts.most_common() if count >= min_count]
    return {word: index for index, word in enumerate(words, start=2)}


def _check_length(length: int) -> None:
    if isinstance(length, bool) or not isinstance(length, (int, np.integer)) or length < 1:
        raise ValueError(f"length must be a positive whole number, not {length!r}.")


def encode_sentences(
    tokens: Sequence[Sequence[str]],
    vocabulary: dict[str, int],
    length: int,
    *,
    lowercase: bool = True,
) -> np.ndarray:
    """Sentences as an int32 array ``(sentences, length)``: 0-padded at the end, cut at ``length``.

    Unknown words become :data:`UNKNOWN` (1).

    Example:
        >>> encode_sentences([["The", "cat"], ["a", "dog", "barks"]], {"the": 2, "dog": 3}, 3)
        array([[2, 1, 0],
               [1, 3, 1]], dtype=int32)
    """
    _check_length(length)
    encoded = np.zeros((len(tokens), length), dtype=np.int32)
    for row, sentence in enumerate(tokens):
        words = [token.lower() if lowercase else token for token in sentence[:length]]
        encoded[row, : len(words)] = [vocabulary.get(word, UNKNOWN) for word in words]
    return encoded


def encode_tags(
    tags: Sequence[Sequence[str]], tag_names: Sequence[str], length: int
) -> np.ndarray:
    """Tags as an int32 array ``(sentences, length)``: ``tag_names[i]`` is ``i + 1``, padding 0.

    Example:
        >>> encode_tags([["O", "B-PER"], ["O"]], ["O", "B-PER", "I-PER"], 3)
        array([[1, 2, 0],
               [1, 0, 0]], dtype=int32)
        >>> encode_tags([["B-XYZ"]], ["O"], 2)
        Traceback (most recent call last):
        ...
        ValueError: Tag 'B-XYZ' (sentence 0) is not among tag_names ['O'].
    """
    _check_length(length)
    index = {name: i + 1 for i, name in enumerate(tag_names)}
    encoded = np.zeros((len(tags), length), dtype=np.int32)
    for row, sentence_tags in enumerate(tags):
        for column, tag in enumerate(sentence_tags[:length]):
            if tag not in index:
                raise ValueError(
                    f"Tag {tag!r} (sentence {row}) is not among tag_names {list(tag_names)}."
                )
            encoded[row, column] = index[tag]
    return encoded


def token_accuracy(
    true_tags: np.ndarray, predicted_tags: np.ndarray, mask: np.ndarray | None = None
) -> float:
    """The fraction of tokens tagged right, counting only where ``mask`` is true.

    The default mask is ``true_tags != PAD``: padding does not count.

    Example:
        >>> token_accuracy(np.array([[1, 2, 0, 0]]), np.array([[1, 3, 0, 0]]))
        0.5
        >>> token_accuracy(np.array([[1, 2, 0, 0]]), np.array([[1, 3, 0, 0]]),
        ...                mask=np.ones((1, 4), bool))  # padding counted: flattering
        0.75
    """
    true_tags, predicted_tags = np.asarray(true_tags), np.asarray(predicted_tags)
    if true_tags.shape != predicted_tags.shape:
        raise ValueError(
            f"true_tags {true_tags.shape} and predicted_tags {predicted_tags.shape} "
            "must have the same shape."
        )
    mask = true_tags != PAD if mask is None else np.asarray(mask, dtype=bool)
    if mask.shape != true_tags.shape:
        raise ValueError(f"mask {mask.shape} must have the shape of the tags, {true_tags.shape}.")
    if not mask.any():
        raise ValueError("The mask selects no token: there is nothing to score.")
    return float(np.mean(true_tags[mask] == predicted_tags[mask]))


# ---------------------------------------------------------------- entities


def _check_parallel(first: Sequence[Sequence[object]], second: Sequence[Sequence[object]]) -> None:
    if len(first) != len(second):
        raise ValueError(
            f"Expected as many sentences in both, got {len(first)} and {len(second)}."
        )
    for number, (a, b) in enumerate(zip(first, second)):
        if len(a) != len(b):
            raise ValueError(
                f"Sentence {number} has {len(a)} items in one and {len(b)} in the other."
            )


def _split_tag(tag: str) -> tuple[str, str]:
    if tag == "O":
        return "O", ""
    if len(tag) > 2 and tag[0] in "BI" and tag[1] == "-":
        return tag[0], tag[2:]
    raise ValueError(f"{tag!r} is not an IOB2 tag: use O, B-TYPE or I-TYPE.")


def entity_spans(tags: Sequence[str]) -> list[tuple[str, int, int]]:
    """The entities in one sentence's IOB2 tags, as ``(type, start, end)`` with ``end`` exclusive.

    As in the CoNLL evaluation script, an ``I-X`` that continues no ``X``
    entity (after ``O`` or another type) starts a new entity.

    Example:
        >>> entity_spans(["B-ORG", "I-ORG", "B-ORG", "O", "I-PER", "I-LOC"])
        [('ORG', 0, 2), ('ORG', 2, 3), ('PER', 4, 5), ('LOC', 5, 6)]
        >>> entity_spans(["B-"])
        Traceback (most recent call last):
        ...
        ValueError: 'B-' is not an IOB2 tag: use O, B-TYPE or I-TYPE.
    """
    spans = []
    kind, start = None, 0
    for position, tag in enumerate(tags):
        prefix, tag_type = _split_tag(tag)
        continues = prefix == "I" and tag_type == kind
        if kind is not None and not continues:
            spans.append((kind, start, position))
            kind = None
        if prefix in "BI" and prefix and not continues:
            kind, start = tag_type, position
    if kind is not None:
        spans.append((kind, start, len(tags)))
    return spans


def entity_scores(
    true_tags: Sequence[Sequence[str]], predicted_tags: Sequence[Sequence[str]]
) -> dict[str, float]:
    """Entity-level precision, recall and F1 over sentences of IOB2 tags (CoNLL definition).

    A predicted entity is right only if an entity of the same type has exactly
    the same span. Returns ``precision``, ``recall``, ``f1`` (0 where undefined)
    and the counts ``true``, ``predicted``, ``correct``.

    Example:
        >>> scores = entity_scores([["B-PER", "I-PER", "O", "B-LOC"]],
        ...                        [["B-PER", "I-PER", "O", "B-ORG"]])
        >>> scores["precision"], scores["recall"], scores["f1"]
        (0.5, 0.5, 0.5)
    """
    _check_parallel(true_tags, predicted_tags)
    true_count = predicted_count = correct = 0
    for truth, prediction in zip(true_tags, predicted_tags):
        true_spans, predicted_spans = set(entity_spans(truth)), set(entity_spans(prediction))
        true_count += len(true_spans)
        predicted_count += len(predicted_spans)
        correct += len(true_spans & predicted_spans)
    precision = correct / predicted_count if predicted_count else 0.0
    recall = correct / true_count if true_count else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "true": true_count,
        "predicted": predicted_count,
        "correct": correct,
    }


def invalid_transitions(tags: Sequence[Sequence[str]]) -> int:
    """How many ``I-X`` tags follow neither ``B-X`` nor ``I-X`` (IOB2 forbids them).

    Example:
        >>> invalid_transitions([["O", "I-PER", "I-PER"], ["B-LOC", "I-ORG"], ["I-MISC"]])
        3
    """
    count = 0
    for sentence in tags:
        previous = "O"
        for tag in sentence:
            prefix, tag_type = _split_tag(tag)
            if prefix == "I" and _split_tag(previous)[1] != tag_type:
                count += 1
            previous = tag
    return count


# -------------------------------------------------------------------- CRF


def _crf_arrays(
    emissions: np.ndarray,
    transitions: np.ndarray,
    start: np.ndarray | None,
    end: np.ndarray | None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    emissions = np.asarray(emissions, dtype=np.float64)
    transitions = np.asarray(transitions, dtype=np.float64)
    if emissions.ndim != 2 or emissions.shape[0] < 1:
        raise ValueError(
            f"emissions must have shape (timesteps, tags) with timesteps >= 1, "
            f"got {emissions.shape}."
        )
    tags = emissions.shape[1]
    if transitions.shape != (tags, tags):
        raise ValueError(
            f"transitions must have shape (tags, tags) = {(tags, tags)}, got {transitions.shape}."
        )
    start = np.zeros(tags) if start is None else np.asarray(start, dtype=np.float64)
    end = np.zeros(tags) if end is None else np.asarray(end, dtype=np.float64)
    for name, vector in (("start", start), ("end", end)):
        if vector.shape != (tags,):
            raise ValueError(f"{name} must have shape (tags,) = ({tags},), got {vector.shape}.")
    return emissions, transitions, start, end


def _logsumexp(values: np.ndarray, axis: int) -> np.ndarray:
    top = values.max(axis=axis, keepdims=True)
    return np.squeeze(top, axis=axis) + np.log(np.exp(values - top).sum(axis=axis))


def crf_path_score(
    emissions: np.ndarray,
    transitions: np.ndarray,
    path: Sequence[int],
    start: np.ndarray | None = None,
    end: np.ndarray | None = None,
) -> float:
    """The unnormalised score of one tag path (see the module's conventions).

    Example:
        >>> crf_path_score(np.array([[1.0, 0.0], [0.0, 2.0]]), np.array([[0.0, 0.5], [0.0, 0.0]]),
        ...                [0, 1])
        3.5
    """
    emissions, transitions, start, end = _crf_arrays(emissions, transitions, start, end)
    path = [int(tag) for tag in path]
    if len(path) != len(emissions):
        raise ValueError(f"path has {len(path)} tags for {len(emissions)} timesteps.")
    score = start[path[0]] + end[path[-1]] + emissions[np.arange(len(path)), path].sum()
    score += sum(transitions[a, b] for a, b in zip(path, path[1:]))
    return float(score)


def crf_log_partition(
    emissions: np.ndarray,
    transitions: np.ndarray,
    start: np.ndarray | None = None,
    end: np.ndarray | None = None,
) -> float:
    """log Z, the log of the sum of exp(score) over every tag path: the forward algorithm.

    ``alpha[j]`` holds the log-sum over every path prefix ending in tag ``j``;
    one step is ``alpha_t[j] = logsumexp_i(alpha_(t-1)[i] + transitions[i, j])
    + emissions[t, j]``.
    Cost: timesteps × tags² instead of tags ** timesteps.

    Example:
        >>> emissions = np.zeros((3, 2))  # 2 tags, 3 steps, every path scores 0
        >>> round(crf_log_partition(emissions, np.zeros((2, 2))), 6), round(float(np.log(8)), 6)
        (2.079442, 2.079442)
    """
    emissions, transitions, start, end = _crf_arrays(emissions, transitions, start, end)
    alpha = start + emissions[0]
    for emission in emissions[1:]:
        alpha = _logsumexp(alpha[:, None] + transitions, axis=0) + emission
    return float(_logsumexp(alpha + end, axis=0))


def crf_log_partition_brute_force(
    emissions: np.ndarray,
    transitions: np.ndarray,
    start: np.ndarray | None = None,
    end: np.ndarray | None = None,
    *,
    max_paths: int = 1_000_000,
) -> float:
    """log Z by enumerating every tag path (tags ** timesteps of them): for checking only.

    Example:
        >>> rng = np.random.default_rng(0)
        >>> emissions, transitions = rng.normal(size=(4, 3)), rng.normal(size=(3, 3))
        >>> bool(np.isclose(crf_log_partition_brute_force(emissions, transitions),
        ...                 crf_log_partition(emissions, transitions)))
        True
    """
    emissions, transitions, start, end = _crf_arrays(emissions, transitions, start, end)
    timesteps, tags = emissions.shape
    if tags**timesteps > max_paths:
        raise ValueError(
            f"{tags} tags over {timesteps} steps make {tags**timesteps:,} paths, more than "
            f"max_paths={max_paths:,}: use crf_log_partition, or a shorter example."
        )
    scores = [
        crf_path_score(emissions, transitions, path, start, end)
        for path in itertools.product(range(tags), repeat=timesteps)
    ]
    return float(_logsumexp(np.array(scores), axis=0))


def crf_log_likelihood(
    emissions: np.ndarray,
    transitions: np.ndarray,
    path: Sequence[int],
    start: np.ndarray | None = None,
    end: np.ndarray | None = None,
) -> float:
    """log p(path) = score(path) - log Z; the CRF's training loss is its negative.

    Example:
        >>> round(crf_log_likelihood(np.zeros((2, 2)), np.zeros((2, 2)), [0, 1]), 6)  # 1 of 4
        -1.386294
    """
    return crf_path_score(emissions, transitions, path, start, end) - crf_log_partition(
        emissions, transitions, start, end
    )


def viterbi_decode(
    emissions: np.ndarray,
    transitions: np.ndarray,
    start: np.ndarray | None = None,
    end: np.ndarray | None = None,
) -> tuple[list[int], float]:
    """The best-scoring tag path and its score (the forward algorithm with max for logsumexp).

    Example:
        >>> emissions = np.array([[2.0, 0.0], [0.0, 1.0], [1.0, 0.0]])
        >>> viterbi_decode(emissions, np.zeros((2, 2)))
        ([0, 1, 0], 4.0)
        >>> viterbi_decode(emissions, np.array([[0.0, -5.0], [0.0, 0.0]]))  # 0 -> 1 forbidden
        ([0, 0, 0], 3.0)
    """
    emissions, transitions, start, end = _crf_arrays(emissions, transitions, start, end)
    best = start + emissions[0]
    backpointers = []
    for emission in emissions[1:]:
        candidates = best[:, None] + transitions  # (previous tag, tag)
        backpointers.append(candidates.argmax(axis=0))
        best = candidates.max(axis=0) + emission
    best = best + end
    path = [int(best.argmax())]
    for pointers in reversed(backpointers):
        path.append(int(pointers[path[-1]]))
    return path[::-1], float(best.max())
