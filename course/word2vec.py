"""Word2vec skip-gram training data in NumPy: the reference for chapter 3, and its stream.

Chapter 3 writes each step in its own cells and checks them against this
module, which the chapter then uses to stream the whole corpus. Keras 2
shipped ``keras.preprocessing.sequence.skipgrams`` and ``make_sampling_table``;
Keras 3 no longer does. In order:

1. :func:`build_vocabulary` counts words. Index 0 is ``""`` (padding) and
   index 1 is ``"[UNK]"``, as in Keras's ``TextVectorization``; the other words
   follow by frequency, ties broken alphabetically so the result is the same on
   every run.
2. :func:`subsampling_keep_probabilities` gives the probability of keeping an
   occurrence of each word (Mikolov et al., 2013), exactly as gensim does.
3. :func:`skipgram_pairs` lists (target, context) pairs inside a window.
4. :func:`negative_sampling_distribution` and :func:`sample_negatives` draw
   "noise" words from the unigram distribution raised to the power 0.75.
5. :func:`skipgram_training_data` puts it together into arrays for Keras,
   :func:`skipgram_dataset` streams fresh batches of them every epoch as a
   ``tf.data.Dataset``, and :func:`build_skipgram_model` is the reference
   two-embedding model.

Only :func:`skipgram_dataset` and :func:`build_skipgram_model` import
TensorFlow/Keras, and only when called. Every random step takes a seed or a
``numpy.random.Generator``.

Example:
    >>> documents = [["the", "cat", "sat"], ["the", "dog", "ran"]]
    >>> vocabulary = build_vocabulary(documents)
    >>> vocabulary.words
    ('', '[UNK]', 'the', 'cat', 'dog', 'ran', 'sat')
    >>> ids = [vocabulary.encode(document) for document in documents]
    >>> targets, contexts = skipgram_pairs(ids, window_size=1)
    >>> [(vocabulary.words[t], vocabulary.words[c]) for t, c in zip(targets, contexts)][:3]
    [('the', 'cat'), ('cat', 'the'), ('cat', 'sat')]
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

import numpy as np

PADDING_TOKEN = ""
UNKNOWN_TOKEN = "[UNK]"
PADDING_INDEX = 0
UNKNOWN_INDEX = 1
RESERVED_TOKENS = (PADDING_TOKEN, UNKNOWN_TOKEN)

RandomSource = np.random.Generator | int


def _as_generator(rng: RandomSource) -> np.random.Generator:
    """Turn a seed or a Generator into a Generator; refuse unseeded randomness."""
    if isinstance(rng, np.random.Generator):
        return rng
    if isinstance(rng, (int, np.integer)) and not isinstance(rng, bool):
        return np.random.default_rng(int(rng))
    raise ValueError(
        f"Expected a seed (int) or a numpy.random.Generator, got {rng!r}. "
        "Pass for example rng=np.random.default_rng(1337)."
    )


def _check_positive_int(value: Any, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
        raise ValueError(f"{name} must be a positive whole number, got {value!r}.")
    return int(value)


def _as_counts(counts: Any) -> np.ndarray:
    """Validate a word-count array laid out like a Vocabulary (0 = padding, 1 = [UNK])."""
    counts = np.asarray(counts, dtype=np.float64)
    if counts.ndim != 1 or counts.size < 3:
        raise ValueError(
            "counts must be a 1-D array with one count per vocabulary index, "
            "index 0 for padding and 1 for [UNK] (use Vocabulary.counts); "
            f"got shape {counts.shape}."
        )
    if np.any(counts < 0) or not np.all(np.isfinite(counts)):
        raise ValueError("counts must be finite and non-negative.")
    return counts


def _as_ids(document: Any, name: str = "document") -> np.ndarray:
    """A 1-D int64 array of word ids."""
    ids = np.asarray(document)
    if ids.size == 0:
        return np.zeros(0, dtype=np.int64)
    if ids.ndim != 1 or ids.dtype.kind not in "iu":
        raise ValueError(
            f"Each {name} must be a 1-D sequence of integer word ids, got an array "
            f"of shape {ids.shape} and dtype {ids.dtype}. Encode tokens first with "
            "Vocabulary.encode (or a TextVectorization layer)."
        )
    if ids.min() < 0:
        raise ValueError(f"Word ids must be non-negative; found {ids.min()} in a {name}.")
    return ids.astype(np.int64, copy=False)


# --------------------------------------------------------------------------
# 1. Vocabulary
# --------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class Vocabulary:
    """Words and their corpus counts, laid out like ``TextVectorization``.

    ``words[0]`` is ``""`` (padding), ``words[1]`` is ``"[UNK]"``; ``counts[i]``
    is how often ``words[i]`` occurred (0 for padding, the number of
    out-of-vocabulary tokens for ``[UNK]``). Usually made by
    :func:`build_vocabulary`, but a ``TextVectorization`` vocabulary works too:
    ``Vocabulary(vectorizer.get_vocabulary(), np.bincount(all_ids, minlength=size))``.

    Example:
        >>> vocabulary = Vocabulary(["", "[UNK]", "cat"], [0, 0, 3])
        >>> vocabulary.encode(["cat", "dog"])
        array([2, 1])
        >>> vocabulary.decode([2, 1])
        ['cat', '[UNK]']
    """

    words: tuple[str, ...]
    counts: np.ndarray
    word_to_index: Mapping[str, int] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        words = tuple(self.words)
        if words[:2] != RESERVED_TOKENS:
            raise ValueError(
                'A Vocabulary must start with "" (padding) and "[UNK]", like '
                f"TextVectorization.get_vocabulary(); it starts with {list(words[:2])}."
            )
        if len(set(words)) != len(words):
            duplicates = sorted(word for word, n in Counter(words).items() if n > 1)
            raise ValueError(f"Vocabulary words must be unique; repeated: {duplicates[:5]}.")
        counts = np.array(self.counts, dtype=np.int64)
        if counts.shape != (len(words),):
            raise ValueError(
                f"counts needs one entry per word ({len(words)}), got shape {counts.shape}."
            )
        counts.setflags(write=False)
        object.__setattr__(self, "words", words)
        object.__setattr__(self, "counts", counts)
        mapping = {word: index for index, word in enumerate(words)}
        object.__setattr__(self, "word_to_index", MappingProxyType(mapping))

    def __len__(self) -> int:
        return len(self.words)

    def encode(self, tokens: Iterable[str]) -> np.ndarray:
        """Map tokens to ids; unknown tokens become 1 (``[UNK]``).

        Example:
            >>> build_vocabulary(["a", "b", "a"]).encode(["a", "b", "zzz"])
            array([2, 3, 1])
        """
        if isinstance(tokens, str):
            raise ValueError("encode expects a list of tokens, not a string; try text.split().")
        lookup = self.word_to_index
        ids = [lookup.get(token, UNKNOWN_INDEX) for token in tokens]
        return np.array(ids, dtype=np.int64)

    def decode(self, ids: Iterable[int]) -> list[str]:
        """Map ids back to words.

        Example:
            >>> build_vocabulary(["a", "b", "a"]).decode([2, 3, 0])
            ['a', 'b', '']
        """
        ids = np.asarray(list(ids) if not isinstance(ids, np.ndarray) else ids, dtype=np.int64)
        if ids.size and (ids.min() < 0 or ids.max() >= len(self.words)):
            raise ValueError(
                f"ids must lie in [0, {len(self.words) - 1}] for this vocabulary; "
                f"got values from {ids.min()} to {ids.max()}."
            )
        return [self.words[i] for i in ids.reshape(-1)]


def build_vocabulary(
    tokens_or_documents: Iterable[str] | Iterable[Iterable[str]],
    min_count: int = 1,
    max_size: int | None = None,
) -> Vocabulary:
    """Count tokens and build a :class:`Vocabulary`.

    Accepts either one flat list of tokens or a list of documents (lists of
    tokens). Words are sorted by count, most frequent first, ties broken
    alphabetically. ``min_count`` drops rarer words; ``max_size`` caps the size
    *including* the two reserved entries, like ``TextVectorization(max_tokens=)``.
    Dropped words, and any literal ``""`` or ``"[UNK]"`` tokens, are counted
    under ``[UNK]``.

    Example:
        >>> vocabulary = build_vocabulary([["b", "a", "b"], ["c", "a"]], max_size=4)
        >>> vocabulary.words, vocabulary.counts.tolist()
        (('', '[UNK]', 'a', 'b'), [0, 1, 2, 2])
    """
    if isinstance(tokens_or_documents, str):
        raise ValueError("Pass a list of tokens (e.g. text.split()), not a string.")
    min_count = _check_positive_int(min_count, "min_count")
    if max_size is not None and (_check_positive_int(max_size, "max_size") < 2):
        raise ValueError('max_size counts "" and "[UNK]" too, so it must be at least 2.')

    items = list(tokens_or_documents)
    counter: Counter[str] = Counter()
    if items and isinstance(items[0], str):
        counter.update(items)
    else:
        for document in items:
            if isinstance(document, str):
                raise ValueError(
                    "Mixed input: pass either one list of tokens or a list of token lists."
                )
            counter.update(document)

    total = sum(counter.values())
    candidates = [
        (word, count)
        for word, count in counter.items()
        if count >= min_count and word not in RESERVED_TOKENS
    ]
    candidates.sort(key=lambda item: (-item[1], item[0]))
    if max_size is not None:
        candidates = candidates[: max_size - len(RESERVED_TOKENS)]
    kept = sum(count for _, count in candidates)
    words = list(RESERVED_TOKENS) + [word for word, _ in candidates]
    counts = [0, total - kept] + [count for _, count in candidates]
    return Vocabulary(tuple(words), np.array(counts, dtype=np.int64))


# --------------------------------------------------------------------------
# 2. Subsampling frequent words
# --------------------------------------------------------------------------


def subsampling_keep_probabilities(counts: Any, threshold: float = 1e-5) -> np.ndarray:
    """Probability of keeping each occurrence of each word (frequency subsampling).

    Uses the formula of the original word2vec C code (also used by gensim)::

        keep(w) = min(1, (sqrt(f(w) / t) + 1) * t / f(w))

    where ``f(w)`` is the word's share of the *in-vocabulary* tokens and ``t``
    is ``threshold``. Like gensim (``Word2Vec.prepare_vocab`` divides by the
    total count of the retained words) and the C tool (``train_words`` counts
    only words that made the vocabulary), the total leaves out ``[UNK]``: the
    out-of-vocabulary tokens are dropped before training and do not dilute the
    frequencies. The paper suggests ``t = 1e-5``; the C tool and gensim default
    to ``1e-3``, which removes much less.
    Padding and ``[UNK]`` get 0 (always dropped); words never seen get 1.

    Example:
        >>> subsampling_keep_probabilities([0, 0, 900, 100], threshold=0.01).round(3).tolist()
        [0.0, 0.0, 0.117, 0.416]
        >>> subsampling_keep_probabilities([0, 5_000, 900, 100], threshold=0.01).round(3).tolist()
        [0.0, 0.0, 0.117, 0.416]
    """
    counts = _as_counts(counts)
    if not threshold > 0:
        raise ValueError(f"threshold must be positive (typically 1e-5 to 1e-3), got {threshold}.")
    total = counts[UNKNOWN_INDEX + 1 :].sum()  # in-vocabulary tokens only, as in gensim
    if total == 0:
        raise ValueError(
            "No word has a positive count; build the vocabulary from a non-empty corpus."
        )
    frequencies = counts / total
    seen = frequencies > 0
    keep = np.ones_like(frequencies)
    f = frequencies[seen]
    keep[seen] = np.minimum(1.0, (np.sqrt(f / threshold) + 1.0) * threshold / f)
    keep[[PADDING_INDEX, UNKNOWN_INDEX]] = 0.0
    return keep


# --------------------------------------------------------------------------
# 3. Windows: skip-gram pairs and CBOW examples
# --------------------------------------------------------------------------


def _window_offsets(window_size: int) -> np.ndarray:
    """[-w, ..., -1, 1, ..., w]: where the context words sit around a target."""
    return np.concatenate([np.arange(-window_size, 0), np.arange(1, window_size + 1)])


def _flatten_documents(documents: Sequence[Any]) -> tuple[np.ndarray, np.ndarray]:
    """Concatenate documents into one id array plus each token's document number."""
    if isinstance(documents, np.ndarray) and documents.ndim == 1:
        raise ValueError("Pass a list of documents; wrap a single document as [document].")
    arrays = [_as_ids(document) for document in documents]
    lengths = np.array([array.size for array in arrays], dtype=np.int64)
    ids = np.concatenate(arrays) if arrays else np.zeros(0, dtype=np.int64)
    document_numbers = np.repeat(np.arange(len(arrays)), lengths)
    return ids, document_numbers


def _pairs_from_flat(
    ids: np.ndarray,
    document_numbers: np.ndarray,
    window_size: int,
    reduced_windows: np.ndarray | None,
) -> tuple[np.ndarray, np.ndarray]:
    """All (target, context) pairs within a window, one vectorised pass.

    Row i of the (n, 2w) grid below holds the positions around token i; a cell
    becomes a pair if it is inside the corpus, in the same document, neither
    word is padding, and (with shrinking) within token i's reduced window.
    """
    if ids.size == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    offsets = _window_offsets(window_size)
    positions = np.arange(ids.size)[:, None] + offsets[None, :]
    inside = (positions >= 0) & (positions < ids.size)
    positions = np.clip(positions, 0, ids.size - 1)
    valid = inside & (document_numbers[positions] == document_numbers[:, None])
    valid &= (ids[:, None] != PADDING_INDEX) & (ids[positions] != PADDING_INDEX)
    if reduced_windows is not None:
        valid &= np.abs(offsets)[None, :] <= reduced_windows[:, None]
    rows, columns = np.nonzero(valid)
    return ids[rows], ids[positions[rows, columns]]


def skipgram_pairs(
    documents: Sequence[Any],
    window_size: int,
    *,
    shrink_window: bool = False,
    rng: RandomSource | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Positive skip-gram pairs: each word with every word up to ``window_size`` away.

    ``documents`` is a list of 1-D id arrays (rows of a padded 2-D array work
    too). Pairs never cross from one document into the next, and pairs with
    the padding id 0 are left out. Pairs come in reading order: by target
    position, then by context position.

    With ``shrink_window=True`` each target draws its own window size uniformly
    from 1..``window_size`` (word2vec's "reduced window", which weights near
    words more); this needs ``rng``. With ``False`` the result is exact.

    Example:
        >>> targets, contexts = skipgram_pairs([np.array([5, 6, 7])], window_size=1)
        >>> list(zip(targets.tolist(), contexts.tolist()))
        [(5, 6), (6, 5), (6, 7), (7, 6)]
    """
    window_size = _check_positive_int(window_size, "window_size")
    ids, document_numbers = _flatten_documents(documents)
    reduced_windows = None
    if shrink_window:
        if rng is None:
            raise ValueError(
                "shrink_window=True draws random windows: pass rng (a seed or Generator)."
            )
        reduced_windows = _as_generator(rng).integers(1, window_size + 1, size=ids.size)
    return _pairs_from_flat(ids, document_numbers, window_size, reduced_windows)


# --------------------------------------------------------------------------
# 4. Negative sampling
# --------------------------------------------------------------------------


def negative_sampling_distribution(counts: Any, power: float = 0.75) -> np.ndarray:
    """Noise distribution for negative sampling: ``counts ** power``, normalised.

    The 0.75 power (Mikolov et al., 2013) gives rare words more weight than
    their raw frequency. Padding and ``[UNK]`` get probability 0.

    Example:
        >>> negative_sampling_distribution([0, 50, 16, 1], power=0.75).round(3).tolist()
        [0.0, 0.0, 0.889, 0.111]
    """
    weights = _as_counts(counts) ** power
    weights[[PADDING_INDEX, UNKNOWN_INDEX]] = 0.0
    total = weights.sum()
    if total == 0:
        raise ValueError("No real word has a positive count; nothing to sample negatives from.")
    return weights / total


def sample_negatives(
    targets: Any,
    num_negatives: int,
    distribution: np.ndarray,
    rng: RandomSource,
) -> np.ndarray:
    """Draw ``num_negatives`` noise words for each target, shape ``(len(targets), num_negatives)``.

    Words are drawn independently from ``distribution`` (see
    :func:`negative_sampling_distribution`). Nothing is excluded: a draw may
    happen to equal the true context word. The C word2vec tool skips such
    draws; here they are kept so that the samples follow the distribution
    exactly. They are rare for any real vocabulary and only add a little noise.

    Example:
        >>> distribution = negative_sampling_distribution([0, 0, 1, 1])
        >>> sample_negatives(np.array([2, 3, 2]), 4, distribution, rng=0).shape
        (3, 4)
    """
    num_negatives = _check_positive_int(num_negatives, "num_negatives")
    distribution = np.asarray(distribution, dtype=np.float64)
    if distribution.ndim != 1 or not np.isclose(distribution.sum(), 1.0):
        raise ValueError(
            "distribution must be a 1-D probability vector summing to 1; "
            "make it with negative_sampling_distribution(vocabulary.counts)."
        )
    size = (len(targets), num_negatives)
    return _as_generator(rng).choice(distribution.size, size=size, p=distribution)


# --------------------------------------------------------------------------
# 5. Training data, tf.data and the Keras model
# --------------------------------------------------------------------------


def _document_ids(document: Any, vocabulary: Vocabulary) -> np.ndarray:
    """Ids for a document given as ids or as tokens."""
    array = np.asarray(document)
    if array.size and array.dtype.kind in "UO":
        return vocabulary.encode(list(document))
    return _as_ids(array)


def skipgram_training_data(
    documents: Sequence[Any],
    vocabulary: Vocabulary,
    window_size: int,
    num_negatives: int,
    rng: RandomSource,
    *,
    subsampling_threshold: float | None = 1e-5,
    shrink_window: bool = True,
    power: float = 0.75,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Skip-gram with negative sampling, as arrays ready for Keras.

    Steps, as in word2vec: drop padding and ``[UNK]`` tokens, subsample
    frequent words (skipped if ``subsampling_threshold`` is None), then take
    windows over what is left (so a window reaches past dropped words, never
    past a document's end), then add ``num_negatives`` noise words per pair.

    Returns ``targets`` (n,), ``contexts`` (n, 1 + num_negatives) whose first
    column is the true context word, and ``labels`` (n, 1 + num_negatives),
    float32, 1 in the first column and 0 elsewhere. Documents may be token
    lists or id arrays from ``vocabulary``.

    Example:
        >>> documents = [["the", "cat", "sat"], ["the", "dog", "sat"]]
        >>> vocabulary = build_vocabulary(documents)
        >>> targets, contexts, labels = skipgram_training_data(
        ...     documents, vocabulary, window_size=1, num_negatives=3, rng=0,
        ...     subsampling_threshold=None, shrink_window=False)
        >>> targets.shape, contexts.shape, labels[0].tolist()
        ((8,), (8, 4), [1.0, 0.0, 0.0, 0.0])
    """
    window_size = _check_positive_int(window_size, "window_size")
    generator = _as_generator(rng)
    encoded = [_document_ids(document, vocabulary) for document in documents]
    ids, document_numbers = _flatten_documents(encoded)
    if ids.size and ids.max() >= len(vocabulary):
        raise ValueError(
            f"Word id {ids.max()} is outside the vocabulary (size {len(vocabulary)}); "
            "encode the documents with the same vocabulary."
        )

    if subsampling_threshold is None:
        keep = ids > UNKNOWN_INDEX
    else:
        keep_table = subsampling_keep_probabilities(vocabulary.counts, subsampling_threshold)
        keep = generator.random(ids.size) < keep_table[ids]
    ids, document_numbers = ids[keep], document_numbers[keep]

    reduced_windows = None
    if shrink_window:
        reduced_windows = generator.integers(1, window_size + 1, size=ids.size)
    targets, positives = _pairs_from_flat(ids, document_numbers, window_size, reduced_windows)

    distribution = negative_sampling_distribution(vocabulary.counts, power)
    negatives = sample_negatives(targets, num_negatives, distribution, generator)
    contexts = np.concatenate([positives[:, None], negatives], axis=1)
    labels = np.zeros(contexts.shape, dtype=np.float32)
    labels[:, 0] = 1.0
    return targets, contexts, labels


def build_skipgram_model(
    vocabulary_size: int,
    embedding_dim: int,
    num_negatives: int,
    *,
    learning_rate: float = 1e-3,
    seed: int = 1337,
) -> Any:
    """The skip-gram model: two embedding tables and a dot product, compiled.

    A target id looks up ``target_embedding``; the true context and the
    ``num_negatives`` noise ids look up ``context_embedding``. Their dot
    products are logits, shape ``(batch, 1 + num_negatives)``, trained with
    binary cross-entropy against the labels from :func:`skipgram_training_data`.
    Afterwards the word vectors are
    ``model.get_layer("target_embedding").get_weights()[0]``.

    Example:
        >>> model = build_skipgram_model(vocabulary_size=50, embedding_dim=8, num_negatives=4)
        >>> model.output_shape
        (None, 5)
    """
    import keras

    vocabulary_size = _check_positive_int(vocabulary_size, "vocabulary_size")
    embedding_dim = _check_positive_int(embedding_dim, "embedding_dim")
    num_negatives = _check_positive_int(num_negatives, "num_negatives")

    target = keras.Input(shape=(), dtype="int32", name="target")
    context = keras.Input(shape=(1 + num_negatives,), dtype="int32", name="context")
    target_vectors = keras.layers.Embedding(
        vocabulary_size,
        embedding_dim,
        embeddings_initializer=keras.initializers.RandomUniform(-0.05, 0.05, seed=seed),
        name="target_embedding",
    )(target)
    context_vectors = keras.layers.Embedding(
        vocabulary_size,
        embedding_dim,
        embeddings_initializer=keras.initializers.RandomUniform(-0.05, 0.05, seed=seed + 1),
        name="context_embedding",
    )(context)
    # (batch, dim) . (batch, 1 + k, dim) -> (batch, 1 + k) similarity logits
    logits = keras.layers.Dot(axes=(1, 2), name="logits")([target_vectors, context_vectors])
    model = keras.Model([target, context], logits, name="skipgram")
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate),
        loss=keras.losses.BinaryCrossentropy(from_logits=True),
        metrics=[keras.metrics.BinaryAccuracy(threshold=0.0, name="accuracy")],
    )
    return model


# --------------------------------------------------------------------------
# 6. Streaming: fresh pairs every epoch, in bounded memory
# --------------------------------------------------------------------------


def _chunks_of_documents(lengths: np.ndarray, tokens_per_chunk: int) -> list[np.ndarray]:
    """Split document numbers into consecutive runs of about ``tokens_per_chunk`` tokens."""
    boundaries = np.cumsum(lengths) // tokens_per_chunk
    starts = np.flatnonzero(np.diff(boundaries, prepend=-1))
    return [np.arange(start, stop) for start, stop in zip(starts, [*starts[1:], lengths.size])]


def skipgram_dataset(
    documents: Sequence[Any],
    vocabulary: Vocabulary,
    window_size: int,
    num_negatives: int,
    batch_size: int,
    seed: int,
    *,
    subsampling_threshold: float | None = 1e-5,
    shrink_window: bool = True,
    power: float = 0.75,
    tokens_per_chunk: int = 1_000_000,
) -> Any:
    """A ``tf.data.Dataset`` that makes fresh skip-gram batches every epoch, chunk by chunk.

    word2vec draws its subsampling, window sizes and negatives anew on every
    pass over the corpus. This dataset does the same: each time it is iterated
    (each epoch of ``model.fit``) it walks the documents in chunks of about
    ``tokens_per_chunk`` tokens, in a fresh random order, runs
    :func:`skipgram_training_data` on each chunk with a generator seeded by
    ``(seed, epoch)``, shuffles the chunk's pairs and yields whole batches of
    ``((targets, contexts), labels)``. Only one chunk's pairs are in memory at
    a time, so a corpus of any size fits, and the batches are cut in NumPy, not
    element by element in ``tf.data`` (which costs microseconds per pair).

    Every batch holds exactly ``batch_size`` pairs, so an XLA-compiled model
    compiles once: the last, incomplete batch of a chunk is dropped. Every
    epoch has as many batches as the first pass (``len(dataset)``), so Keras
    knows the epoch length. Ids are int32, labels float32.

    Example:
        >>> documents = [["the", "cat", "sat", "on", "the", "mat"]] * 20
        >>> vocabulary = build_vocabulary(documents)
        >>> dataset = skipgram_dataset(documents, vocabulary, window_size=2, num_negatives=3,
        ...                            batch_size=16, seed=0, subsampling_threshold=None)
        >>> (targets, contexts), labels = next(iter(dataset))
        >>> tuple(targets.shape), tuple(contexts.shape), labels[0].numpy().tolist()
        ((16,), (16, 4), [1.0, 0.0, 0.0, 0.0])
    """
    import itertools

    import tensorflow as tf

    window_size = _check_positive_int(window_size, "window_size")
    num_negatives = _check_positive_int(num_negatives, "num_negatives")
    batch_size = _check_positive_int(batch_size, "batch_size")
    tokens_per_chunk = _check_positive_int(tokens_per_chunk, "tokens_per_chunk")
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ValueError(f"seed must be a non-negative whole number, got {seed!r}.")
    if isinstance(documents, np.ndarray) and documents.ndim == 1:
        raise ValueError("Pass a list of documents; wrap a single document as [document].")
    encoded = [_document_ids(document, vocabulary).astype(np.int32) for document in documents]
    if not encoded:
        raise ValueError("documents is empty: there is nothing to train on.")
    largest = max((int(ids.max()) for ids in encoded if ids.size), default=0)
    if largest >= len(vocabulary):
        raise ValueError(
            f"Word id {largest} is outside the vocabulary (size {len(vocabulary)}); "
            "encode the documents with the same vocabulary."
        )
    chunks = _chunks_of_documents(np.array([ids.size for ids in encoded]), tokens_per_chunk)

    def one_pass(pass_number: int) -> Any:
        """The batches of one pass over the corpus, drawn with its own seeded generator."""
        rng = np.random.default_rng([seed, pass_number])
        for chunk in rng.permutation(len(chunks)):
            targets, contexts, labels = skipgram_training_data(
                [encoded[i] for i in chunks[chunk]],
                vocabulary,
                window_size,
                num_negatives,
                rng,
                subsampling_threshold=subsampling_threshold,
                shrink_window=shrink_window,
                power=power,
            )
            order = rng.permutation(len(targets))
            for start in range(0, len(order) - batch_size + 1, batch_size):
                rows = order[start : start + batch_size]
                yield (
                    (targets[rows].astype(np.int32), contexts[rows].astype(np.int32)),
                    labels[rows],
                )

    # Subsampling and window shrinking make every pass a little longer or shorter.
    # An epoch is the length of the first pass, always: Keras then knows the epoch
    # length up front (no "ran out of data" warning, no silently cut epoch). Epochs
    # take consecutive batches from one endless stream of fresh passes, so a pass
    # that ends mid-epoch continues in the next pass and no batch is wasted.
    batches_per_epoch = sum(1 for _ in one_pass(0))
    if batches_per_epoch == 0:
        raise ValueError(
            f"The corpus yields fewer than batch_size={batch_size} pairs: use a smaller batch."
        )
    stream = itertools.chain.from_iterable(map(one_pass, itertools.count()))

    def batches() -> Any:
        yield from itertools.islice(stream, batches_per_epoch)

    width = 1 + num_negatives
    signature = (
        (
            tf.TensorSpec(shape=(batch_size,), dtype=tf.int32),
            tf.TensorSpec(shape=(batch_size, width), dtype=tf.int32),
        ),
        tf.TensorSpec(shape=(batch_size, width), dtype=tf.float32),
    )
    dataset = tf.data.Dataset.from_generator(batches, output_signature=signature)
    dataset = dataset.apply(tf.data.experimental.assert_cardinality(batches_per_epoch))
    return dataset.prefetch(tf.data.AUTOTUNE)
