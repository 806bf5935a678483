"""Tests for course.word2vec: vocabulary, subsampling, windows, negatives, model."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pytest
from scipy.stats import chisquare

from course.word2vec import (
    Vocabulary,
    build_skipgram_model,
    build_vocabulary,
    negative_sampling_distribution,
    sample_negatives,
    skipgram_pairs,
    skipgram_training_data,
    subsampling_keep_probabilities,
)


def pair_set(targets: np.ndarray, contexts: np.ndarray) -> set[tuple[int, int]]:
    return set(zip(targets.tolist(), contexts.tolist()))


# --------------------------------------------------------------------------
# Vocabulary
# --------------------------------------------------------------------------


def test_vocabulary_layout_order_and_counts():
    vocabulary = build_vocabulary([["b", "a", "c", "b"], ["a", "b", "d"]])
    # b: 3, a: 2, then the ties c and d alphabetically
    assert vocabulary.words == ("", "[UNK]", "b", "a", "c", "d")
    assert vocabulary.counts.tolist() == [0, 0, 3, 2, 1, 1]
    assert vocabulary.word_to_index["c"] == 4
    assert len(vocabulary) == 6


def test_vocabulary_is_deterministic_whatever_the_input_order():
    rng = np.random.default_rng(0)
    tokens = [f"w{i}" for i in rng.integers(0, 30, size=500)]
    first = build_vocabulary(tokens)
    second = build_vocabulary(list(rng.permutation(tokens)))
    assert first.words == second.words
    np.testing.assert_array_equal(first.counts, second.counts)


def test_flat_tokens_and_documents_give_the_same_vocabulary():
    documents = [["x", "y", "x"], ["z", "x"]]
    flat = [token for document in documents for token in document]
    assert build_vocabulary(documents).words == build_vocabulary(flat).words


def test_encode_decode_round_trip_and_unknown():
    vocabulary = build_vocabulary("the cat sat on the mat".split())
    sentence = "the mat sat".split()
    ids = vocabulary.encode(sentence)
    assert ids.dtype == np.int64
    assert vocabulary.decode(ids) == sentence
    assert vocabulary.encode(["dragon"]).tolist() == [1]
    assert vocabulary.decode(np.array([0, 1])) == ["", "[UNK]"]


def test_min_count_and_max_size_send_dropped_words_to_unknown():
    tokens = ["a"] * 5 + ["b"] * 3 + ["c"] * 2 + ["d"]
    by_count = build_vocabulary(tokens, min_count=2)
    assert by_count.words == ("", "[UNK]", "a", "b", "c")
    assert by_count.counts[1] == 1  # the one "d"
    by_size = build_vocabulary(tokens, max_size=4)  # includes "" and "[UNK]"
    assert by_size.words == ("", "[UNK]", "a", "b")
    assert by_size.counts.tolist() == [0, 3, 5, 3]
    assert by_size.counts.sum() == len(tokens)


def test_reserved_tokens_in_the_input_count_as_unknown():
    vocabulary = build_vocabulary(["", "[UNK]", "a"])
    assert vocabulary.words == ("", "[UNK]", "a")
    assert vocabulary.counts.tolist() == [0, 2, 1]


def test_vocabulary_rejects_bad_input():
    with pytest.raises(ValueError, match="not a string"):
        build_vocabulary("some text")
    with pytest.raises(ValueError, match="at least 2"):
        build_vocabulary(["a"], max_size=1)
    with pytest.raises(ValueError, match="positive"):
        build_vocabulary(["a"], min_count=0)
    with pytest.raises(ValueError, match="either one list"):
        build_vocabulary([["a"], "b"])
    with pytest.raises(ValueError, match="must start with"):
        Vocabulary(("a", "b"), np.array([1, 1]))
    with pytest.raises(ValueError, match="unique"):
        Vocabulary(("", "[UNK]", "a", "a"), np.array([0, 0, 1, 1]))
    with pytest.raises(ValueError, match="one entry per word"):
        Vocabulary(("", "[UNK]", "a"), np.array([0, 0]))
    vocabulary = build_vocabulary(["a"])
    with pytest.raises(ValueError, match="text.split"):
        vocabulary.encode("a")
    with pytest.raises(ValueError, match="ids must lie"):
        vocabulary.decode([7])


def test_vocabulary_counts_are_read_only():
    vocabulary = build_vocabulary(["a", "b"])
    with pytest.raises(ValueError):
        vocabulary.counts[2] = 100


# --------------------------------------------------------------------------
# Subsampling
# --------------------------------------------------------------------------


def test_keep_probabilities_match_the_formula_by_hand():
    keep = subsampling_keep_probabilities([0, 7, 900, 100, 0], threshold=0.01)
    f_frequent, f_rare = 900 / 1000, 100 / 1000  # [UNK]'s 7 tokens are not in the total
    expected_frequent = (np.sqrt(f_frequent / 0.01) + 1) * 0.01 / f_frequent
    expected_rare = (np.sqrt(f_rare / 0.01) + 1) * 0.01 / f_rare
    np.testing.assert_allclose(keep, [0.0, 0.0, expected_frequent, expected_rare, 1.0])


def test_keep_probabilities_are_probabilities_and_fall_with_frequency():
    counts = np.array([0, 10] + [int(1e6 / rank) for rank in range(1, 200)])
    keep = subsampling_keep_probabilities(counts, threshold=1e-3)
    assert np.all((keep >= 0) & (keep <= 1))
    assert keep[0] == keep[1] == 0
    assert np.all(np.diff(keep[2:]) >= 0)  # rarer words are kept at least as often
    assert keep[2] < 0.2 and keep[-1] == 1.0


@pytest.mark.parametrize("threshold", [1e-3, 1e-2, 5e-2])
def test_keep_probabilities_equal_gensims_own(threshold):
    # gensim stores each word's keep probability as sample_int = p * (2**32 - 1)
    from gensim.models import Word2Vec

    rng = np.random.default_rng(3)
    words = [f"w{i}" for i in range(60)]
    weights = 1 / np.arange(1, 61)
    documents = [list(rng.choice(words, size=80, p=weights / weights.sum())) for _ in range(30)]
    vocabulary = build_vocabulary(documents, min_count=2, max_size=32)  # many [UNK] tokens
    assert vocabulary.counts[1] > 0.05 * vocabulary.counts.sum()
    model = Word2Vec(vector_size=4, sg=1, sample=threshold, min_count=1, workers=1, seed=0)
    in_vocabulary = zip(vocabulary.words[2:], vocabulary.counts[2:].tolist())
    model.build_vocab_from_freq(dict(in_vocabulary))
    gensim_keep = [model.wv.get_vecattr(word, "sample_int") for word in vocabulary.words[2:]]
    keep = subsampling_keep_probabilities(vocabulary.counts, threshold=threshold)
    np.testing.assert_allclose(np.array(gensim_keep) / (2**32 - 1), keep[2:], atol=1e-8)
    assert keep[2] < 1.0  # the test reaches the formula, not only the min(1, ...)


def test_subsampling_rejects_bad_input():
    with pytest.raises(ValueError, match="positive"):
        subsampling_keep_probabilities([0, 0, 5], threshold=0)
    with pytest.raises(ValueError, match="No word has a positive count"):
        subsampling_keep_probabilities([0, 9, 0])
    with pytest.raises(ValueError, match="1-D array"):
        subsampling_keep_probabilities([[1, 2, 3]])
    with pytest.raises(ValueError, match="non-negative"):
        subsampling_keep_probabilities([0, 0, -1])


# --------------------------------------------------------------------------
# Skip-gram pairs and CBOW windows
# --------------------------------------------------------------------------


def test_exact_pairs_for_a_tiny_document():
    targets, contexts = skipgram_pairs([np.array([5, 6, 7, 8])], window_size=2)
    expected = [
        (5, 6), (5, 7),
        (6, 5), (6, 7), (6, 8),
        (7, 5), (7, 6), (7, 8),
        (8, 6), (8, 7),
    ]  # fmt: skip
    assert list(zip(targets.tolist(), contexts.tolist())) == expected  # reading order


@pytest.mark.parametrize("length, window", [(10, 2), (7, 3), (3, 5), (1, 1)])
def test_pair_count_is_twice_the_in_range_neighbour_count(length, window):
    document = np.arange(2, 2 + length)
    targets, contexts = skipgram_pairs([document], window_size=window)
    expected = 2 * sum(min(window, length - 1 - i) for i in range(length))
    assert len(targets) == len(contexts) == expected
    assert np.all(np.abs(targets - contexts) <= window) and np.all(targets != contexts)


def test_no_pair_crosses_a_document_boundary():
    first, second = np.arange(2, 12), np.arange(100, 110)
    targets, contexts = skipgram_pairs([first, second], window_size=3)
    assert not np.any((targets < 50) != (contexts < 50))
    alone = sum(len(skipgram_pairs([document], window_size=3)[0]) for document in (first, second))
    assert len(targets) == alone


def test_padding_never_appears_and_padded_rows_work():
    padded = np.array([[5, 6, 7, 0, 0], [8, 9, 0, 0, 0]])
    targets, contexts = skipgram_pairs(padded, window_size=2)
    assert 0 not in targets and 0 not in contexts
    assert pair_set(targets, contexts) == {
        (5, 6), (5, 7), (6, 5), (6, 7), (7, 5), (7, 6), (8, 9), (9, 8),
    }  # fmt: skip


def test_empty_documents_give_no_pairs():
    targets, contexts = skipgram_pairs([np.array([], dtype=int), [3]], window_size=2)
    assert targets.size == contexts.size == 0
    targets, contexts = skipgram_pairs([], window_size=2)
    assert targets.size == contexts.size == 0


def test_shrunk_windows_keep_near_pairs_and_thin_far_ones():
    window = 4
    document = np.arange(2, 20_002)  # id difference = distance in the text
    full = skipgram_pairs([document], window)
    targets, contexts = skipgram_pairs([document], window, shrink_window=True, rng=3)
    assert pair_set(targets, contexts) <= pair_set(*full)
    distances = np.abs(targets - contexts)
    for distance in range(1, window + 1):
        kept = np.sum(distances == distance) / np.sum(np.abs(full[0] - full[1]) == distance)
        assert kept == pytest.approx((window - distance + 1) / window, abs=0.02)
    again = skipgram_pairs([document], window, shrink_window=True, rng=3)
    np.testing.assert_array_equal(targets, again[0])


def test_skipgram_pairs_rejects_bad_input():
    with pytest.raises(ValueError, match="rng"):
        skipgram_pairs([np.arange(5)], 2, shrink_window=True)
    with pytest.raises(ValueError, match="wrap a single document"):
        skipgram_pairs(np.arange(5), 2)
    with pytest.raises(ValueError, match="positive whole number"):
        skipgram_pairs([np.arange(5)], 0)
    with pytest.raises(ValueError, match="integer word ids"):
        skipgram_pairs([["a", "b"]], 1)
    with pytest.raises(ValueError, match="non-negative"):
        skipgram_pairs([np.array([2, -1])], 1)


# --------------------------------------------------------------------------
# Negative sampling
# --------------------------------------------------------------------------


def test_negative_distribution_is_unigram_to_the_three_quarters():
    counts = np.array([0, 500, 81, 16, 1, 0])
    distribution = negative_sampling_distribution(counts)
    expected = np.array([0, 0, 27, 8, 1, 0]) / 36
    np.testing.assert_allclose(distribution, expected)
    flat = negative_sampling_distribution(counts, power=0.0)
    np.testing.assert_allclose(flat[2:], 0.25)  # power 0 = uniform over real words


def test_negative_samples_follow_the_distribution():
    counts = np.array([0, 10_000] + [int(5_000 / rank) for rank in range(1, 21)])
    distribution = negative_sampling_distribution(counts)
    samples = sample_negatives(np.zeros(40_000), 5, distribution, np.random.default_rng(42))
    assert samples.shape == (40_000, 5)
    assert not np.isin(samples, [0, 1]).any()  # padding and [UNK] are never drawn
    observed = np.bincount(samples.ravel(), minlength=len(counts))
    assert np.max(np.abs(observed / samples.size - distribution)) < 0.01
    real = slice(2, None)
    assert chisquare(observed[real], samples.size * distribution[real]).pvalue > 1e-3


def test_negative_sampling_rejects_bad_input():
    with pytest.raises(ValueError, match="nothing to sample"):
        negative_sampling_distribution([5, 5, 0])
    with pytest.raises(ValueError, match="summing to 1"):
        sample_negatives([2], 3, np.array([0.5, 0.2]), rng=0)
    with pytest.raises(ValueError, match="num_negatives"):
        sample_negatives([2], 0, np.array([0.0, 0.0, 1.0]), rng=0)


# --------------------------------------------------------------------------
# Training data, tf.data and the model
# --------------------------------------------------------------------------


def test_training_data_shapes_labels_and_positive_pairs():
    documents = [["the", "cat", "sat", "on", "the", "mat"], ["a", "dog", "ran"]]
    vocabulary = build_vocabulary(documents)
    targets, contexts, labels = skipgram_training_data(
        documents, vocabulary, window_size=2, num_negatives=4, rng=0,
        subsampling_threshold=None, shrink_window=False,
    )  # fmt: skip
    assert targets.shape == (len(targets),) and contexts.shape == (len(targets), 5)
    assert labels.dtype == np.float32 and labels.shape == contexts.shape
    assert np.all(labels[:, 0] == 1) and np.all(labels[:, 1:] == 0)
    encoded = [vocabulary.encode(document) for document in documents]
    exact = skipgram_pairs(encoded, window_size=2)
    np.testing.assert_array_equal(targets, exact[0])
    np.testing.assert_array_equal(contexts[:, 0], exact[1])
    assert contexts.min() >= 2  # no padding, no [UNK]


def test_training_data_accepts_ids_and_windows_reach_past_unknown_words():
    vocabulary = build_vocabulary(["a", "b", "c"])
    ids = [vocabulary.encode(["a", "zebra", "b"]), np.array([3, 0, 0])]
    targets, contexts, _ = skipgram_training_data(
        ids, vocabulary, window_size=1, num_negatives=1, rng=0,
        subsampling_threshold=None, shrink_window=False,
    )  # fmt: skip
    assert pair_set(targets, contexts[:, 0]) == {(2, 3), (3, 2)}  # "a" and "b" become neighbours


def test_training_data_subsampling_thins_the_frequent_word():
    rng = np.random.default_rng(5)
    tokens = ["the"] * 5_000 + [f"w{i}" for i in range(2_000)]
    document = list(rng.permutation(tokens))
    vocabulary = build_vocabulary(document)
    common = dict(window_size=2, num_negatives=2, rng=1, shrink_window=True)
    full = skipgram_training_data([document], vocabulary, subsampling_threshold=None, **common)
    thinned = skipgram_training_data([document], vocabulary, subsampling_threshold=1e-3, **common)
    the = vocabulary.word_to_index["the"]
    assert np.mean(thinned[0] == the) < 0.5 * np.mean(full[0] == the)
    again = skipgram_training_data([document], vocabulary, subsampling_threshold=1e-3, **common)
    np.testing.assert_array_equal(thinned[1], again[1])  # seeded


def test_training_data_rejects_ids_from_another_vocabulary():
    vocabulary = build_vocabulary(["a"])
    with pytest.raises(ValueError, match="outside the vocabulary"):
        skipgram_training_data([np.array([2, 9])], vocabulary, 1, 1, rng=0)


def test_skipgram_model_learns_a_tiny_two_topic_corpus():
    import keras

    rng = np.random.default_rng(0)
    topics = [[f"fruit{i}" for i in range(8)], [f"tool{i}" for i in range(8)]]
    documents = [list(rng.choice(topics[i % 2], size=12)) for i in range(200)]
    vocabulary = build_vocabulary(documents)
    targets, contexts, labels = skipgram_training_data(
        documents, vocabulary, window_size=2, num_negatives=4, rng=rng, subsampling_threshold=None
    )
    keras.utils.set_random_seed(0)
    model = build_skipgram_model(
        len(vocabulary), embedding_dim=8, num_negatives=4, learning_rate=0.02
    )
    assert model.output_shape == (None, 5)
    assert model.get_layer("target_embedding").input_dim == len(vocabulary)
    history = model.fit((targets, contexts), labels, batch_size=256, epochs=4, verbose=0)
    losses = history.history["loss"]
    assert losses[-1] < 0.8 * losses[0]

    vectors = model.get_layer("target_embedding").get_weights()[0]
    unit = vectors / np.linalg.norm(vectors, axis=1, keepdims=True)
    fruit = [vocabulary.word_to_index[word] for word in topics[0]]
    tool = [vocabulary.word_to_index[word] for word in topics[1]]
    within = (unit[fruit] @ unit[fruit].T).mean()
    across = (unit[fruit] @ unit[tool].T).mean()
    assert within > across + 0.2


def test_model_builder_validates_sizes():
    with pytest.raises(ValueError, match="embedding_dim"):
        build_skipgram_model(10, 0, 4)


# --------------------------------------------------------------------------
# Streaming dataset
# --------------------------------------------------------------------------


def _stream(documents, vocabulary, **overrides):
    from course.word2vec import skipgram_dataset

    settings = dict(window_size=2, num_negatives=3, batch_size=8, seed=0,
                    subsampling_threshold=None, shrink_window=False)  # fmt: skip
    settings.update(overrides)
    return skipgram_dataset(documents, vocabulary, **settings)


def _epoch(dataset):
    batches = list(dataset)
    targets = np.concatenate([batch[0][0].numpy() for batch in batches])
    contexts = np.concatenate([batch[0][1].numpy() for batch in batches])
    labels = np.concatenate([batch[1].numpy() for batch in batches])
    return batches, targets, contexts, labels


def test_skipgram_dataset_yields_whole_batches_of_the_exact_pairs():
    rng = np.random.default_rng(0)
    documents = [[f"w{i}" for i in rng.integers(0, 12, size=n)] for n in (30, 25, 40, 17)]
    vocabulary = build_vocabulary(documents)
    dataset = _stream(documents, vocabulary, tokens_per_chunk=50)
    batches, targets, contexts, labels = _epoch(dataset)
    assert all(batch[0][0].shape == (8,) and batch[0][1].shape == (8, 4) for batch in batches)
    assert batches[0][0][0].dtype.name == "int32" and batches[0][1].dtype.name == "float32"
    assert np.all(labels[:, 0] == 1) and np.all(labels[:, 1:] == 0)
    encoded = [vocabulary.encode(document) for document in documents]
    exact = list(zip(*skipgram_pairs(encoded, window_size=2)))
    streamed = list(zip(targets.tolist(), contexts[:, 0].tolist()))
    # every streamed pair is a real pair; only each chunk's last partial batch is missing
    assert not Counter(streamed) - Counter(exact)
    chunks = 3  # 30 | 25 + 40 | 17 tokens with tokens_per_chunk=50
    assert len(exact) - len(streamed) < 8 * chunks


def test_skipgram_dataset_draws_fresh_pairs_each_epoch_and_is_seeded():
    documents = [["the", "cat", "sat", "on", "the", "mat", "and", "a", "dog"] * 5] * 20
    vocabulary = build_vocabulary(documents)
    first = _stream(documents, vocabulary, shrink_window=True, subsampling_threshold=1e-2)
    epoch_1, epoch_2 = _epoch(first)[2], _epoch(first)[2]
    assert not np.array_equal(epoch_1, epoch_2)  # new subsampling, windows and negatives
    again = _stream(documents, vocabulary, shrink_window=True, subsampling_threshold=1e-2)
    np.testing.assert_array_equal(_epoch(again)[2], epoch_1)  # same seed, same first epoch


def test_skipgram_dataset_trains_the_keras_model():
    documents = [["the", "cat", "sat", "on", "the", "mat"]] * 50
    vocabulary = build_vocabulary(documents)
    model = build_skipgram_model(len(vocabulary), 8, 3)
    history = model.fit(_stream(documents, vocabulary), epochs=2, verbose=0, shuffle=False)
    assert len(history.history["loss"]) == 2


def test_every_epoch_has_the_declared_length_so_keras_never_cuts_one(recwarn):
    # Subsampling and shrinking windows change each pass's length; the dataset
    # still declares, and yields, the same number of batches every epoch.
    documents = [["the", "cat", "sat", "on", "the", "mat", "and", "a", "dog"] * 5] * 20
    vocabulary = build_vocabulary(documents)
    dataset = _stream(documents, vocabulary, shrink_window=True, subsampling_threshold=1e-2)
    declared = len(dataset)
    assert declared > 0
    assert [sum(1 for _ in dataset) for _ in range(4)] == [declared] * 4
    model = build_skipgram_model(len(vocabulary), 8, 3)
    model.fit(dataset, epochs=3, verbose=0, shuffle=False)
    assert not [w for w in recwarn if "ran out of data" in str(w.message)]


def test_skipgram_dataset_rejects_bad_input():
    vocabulary = build_vocabulary(["a", "b"])
    with pytest.raises(ValueError, match="list of documents"):
        _stream(np.array([2, 3]), vocabulary)
    with pytest.raises(ValueError, match="empty"):
        _stream([], vocabulary)
    with pytest.raises(ValueError, match="outside the vocabulary"):
        _stream([np.array([2, 7])], vocabulary)
    with pytest.raises(ValueError, match="seed"):
        _stream([["a", "b"]], vocabulary, seed=-1)
    with pytest.raises(ValueError, match="tokens_per_chunk"):
        _stream([["a", "b"]], vocabulary, tokens_per_chunk=0)
