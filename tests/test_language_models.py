"""course.language_models: n-gram baselines, windows, temperature sampling, repetition."""

import math
import os
import re

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np
import pytest
from scipy import stats

from course.language_models import (
    nats_to_bits,
    ngram_cross_entropy,
    ngram_log_probabilities,
    one_hot_bytes,
    perplexity,
    repeated_ngram_share,
    reweight,
    sample_with_temperature,
    window_dataset,
)

# n-gram baselines ----------------------------------------------------------------


def dense_ngram_cross_entropy(train, evaluate, order, size, k):
    """The same model with a dense count array, as the chapter writes it."""
    counts = np.zeros((size,) * order)
    np.add.at(counts, tuple(train[i : len(train) - order + 1 + i] for i in range(order)), 1)
    probabilities = (counts + k) / (counts + k).sum(axis=-1, keepdims=True)
    index = tuple(evaluate[i : len(evaluate) - order + 1 + i] for i in range(order))
    return float(-np.log(probabilities[index]).mean())


@pytest.mark.parametrize("order", [1, 2, 3])
@pytest.mark.parametrize("k", [0.01, 0.5, 1.0])
def test_ngram_matches_a_dense_count_array(order, k):
    rng = np.random.default_rng(order)
    train, evaluate = rng.integers(0, 6, size=500), rng.integers(0, 6, size=200)
    ours = ngram_cross_entropy(train, evaluate, order=order, vocabulary_size=6, smoothing=k)
    dense = dense_ngram_cross_entropy(train, evaluate, order, 6, k)
    assert ours == pytest.approx(dense, rel=1e-12)


def test_unigram_without_smoothing_is_the_entropy_of_the_frequencies():
    ids = np.array([0, 0, 0, 1])
    expected = -(0.75 * math.log(0.75) + 0.25 * math.log(0.25))
    assert ngram_cross_entropy(ids, ids, order=1, vocabulary_size=2, smoothing=0) == (
        pytest.approx(expected)
    )


def test_heavy_smoothing_tends_to_uniform():
    rng = np.random.default_rng(0)
    ids = rng.integers(0, 10, size=300)
    value = ngram_cross_entropy(ids, ids, order=3, vocabulary_size=10, smoothing=1e9)
    assert value == pytest.approx(math.log(10), abs=1e-6)


def test_a_deterministic_text_has_zero_bigram_cross_entropy():
    ids = np.tile([0, 1, 2], 50)
    assert ngram_cross_entropy(ids, ids, order=2, vocabulary_size=3, smoothing=0) == 0


def test_an_unseen_ngram_without_smoothing_is_infinitely_surprising():
    log_p = ngram_log_probabilities(
        np.array([0, 1, 0, 1]), np.array([0, 0]), order=2, vocabulary_size=2, smoothing=0
    )
    assert log_p.tolist() == [-math.inf]


def test_an_unseen_context_without_smoothing_falls_back_to_uniform():
    log_p = ngram_log_probabilities(
        np.array([0, 0, 0]), np.array([1, 0]), order=2, vocabulary_size=4, smoothing=0
    )
    assert log_p == pytest.approx([math.log(1 / 4)])


def test_a_large_vocabulary_stays_sparse():
    rng = np.random.default_rng(0)
    ids = rng.integers(0, 50_000, size=5_000)
    value = ngram_cross_entropy(ids, ids, order=2, vocabulary_size=50_000, smoothing=0.01)
    assert 0 < value < math.log(50_000)


@pytest.mark.parametrize(
    "arguments, message",
    [
        ({"order": 0}, "order must be a whole number"),
        ({"order": 2.5}, "order must be a whole number"),
        ({"smoothing": -1}, "smoothing must be a finite number"),
        ({"vocabulary_size": 3}, "outside [0, 3)"),
        ({"vocabulary_size": 10**7, "order": 3}, "must fit in 62 bits"),
        ({"train_ids": np.array([[1, 2]])}, "1-D array of integer token ids"),
        ({"eval_ids": np.array([0.5, 1.0])}, "1-D array of integer token ids"),
        ({"eval_ids": np.array([1]), "order": 2}, "needs at least 2 tokens"),
    ],
)
def test_ngram_errors(arguments, message):
    call = {
        "train_ids": np.array([0, 1, 2, 3]),
        "eval_ids": np.array([0, 1, 2, 3]),
        "order": 1,
        "vocabulary_size": 5,
        "smoothing": 0.1,
    }
    call.update(arguments)
    with pytest.raises(ValueError, match=re.escape(message)):
        ngram_log_probabilities(call.pop("train_ids"), call.pop("eval_ids"), **call)


def test_bits_and_perplexity():
    assert nats_to_bits(2 * math.log(2)) == pytest.approx(2)
    assert perplexity(0) == 1
    assert perplexity(math.log(57)) == pytest.approx(57)


# One-hot memory and windows -------------------------------------------------------


def test_one_hot_bytes_counts_the_classic_windows():
    text_length, window, step, size = 600_893, 60, 3, 57
    windows = len(range(0, text_length - window, step))
    assert windows == 200_278
    assert one_hot_bytes(text_length, window, step, size) == windows * 61 * size
    assert one_hot_bytes(10, 3, 1, 2, itemsize=4) == 7 * 4 * 2 * 4


def test_one_hot_bytes_refuses_zero_step():
    with pytest.raises(ValueError, match="step must be ≥ 1"):
        one_hot_bytes(100, 10, 0, 5)


def test_window_dataset_next_token():
    ids = np.arange(10)
    pairs = [(x.numpy().tolist(), int(y)) for x, y in window_dataset(ids, 4, shift=3)]
    assert pairs == [([0, 1, 2, 3], 4), ([3, 4, 5, 6], 7)]


def test_window_dataset_every_position_and_batches():
    ids = np.arange(20)
    data = window_dataset(ids, 5, shift=5, every_position=True, batch_size=2)
    batches = list(data)
    x, y = batches[0]
    assert x.shape == (2, 5) and y.shape == (2, 5)
    np.testing.assert_array_equal(y.numpy(), x.numpy() + 1)
    assert sum(len(x) for x, _ in batches) == 3  # starts 0, 5, 10 (15 has no 6th id after it)


def test_window_dataset_shuffles_with_a_seed():
    ids = np.arange(200)
    first = [int(y) for _, y in window_dataset(ids, 3, shuffle_buffer=100, seed=1)]
    second = [int(y) for _, y in window_dataset(ids, 3, shuffle_buffer=100, seed=1)]
    assert first == second and first != sorted(first) and sorted(first) == list(range(3, 200))


@pytest.mark.parametrize(
    "ids, window, shift, message",
    [
        (np.arange(3), 3, 1, "need 4 ids; got 3"),
        (np.arange(10), 0, 1, "window and shift must be ≥ 1"),
        (np.arange(10), 2, 0, "window and shift must be ≥ 1"),
        (np.ones(10), 2, 1, "integer token ids"),
    ],
)
def test_window_dataset_errors(ids, window, shift, message):
    with pytest.raises(ValueError, match=message):
        window_dataset(ids, window, shift=shift)


# Temperature ----------------------------------------------------------------------

P = np.array([0.05, 0.1, 0.5, 0.25, 0.1])


def test_temperature_one_leaves_the_distribution_alone():
    np.testing.assert_allclose(reweight(P, 1.0), P)


def test_low_temperature_tends_to_argmax_and_high_to_uniform():
    assert reweight(P, 0.01)[2] > 1 - 1e-12
    np.testing.assert_array_equal(reweight(P, 0), [0, 0, 1, 0, 0])
    np.testing.assert_allclose(reweight(P, 1e6), np.full(5, 0.2), atol=1e-5)


def test_reweighting_is_p_to_the_one_over_t():
    expected = P**2 / (P**2).sum()
    np.testing.assert_allclose(reweight(P, 0.5), expected)


def test_reweight_works_on_batches_and_zeros():
    batch = np.array([[0.0, 0.4, 0.6], [1.0, 0.0, 0.0]])
    out = reweight(batch, 0.5)
    np.testing.assert_allclose(out.sum(axis=1), 1)
    assert out[0, 0] == 0 and out[1, 0] == 1


def test_temperature_one_samples_follow_the_distribution():
    rng = np.random.default_rng(0)
    draws = [sample_with_temperature(P, 1.0, rng) for _ in range(20_000)]
    observed = np.bincount(draws, minlength=len(P))
    assert stats.chisquare(observed, 20_000 * P).pvalue > 0.01
    hot = np.bincount([sample_with_temperature(P, 3.0, rng) for _ in range(20_000)], minlength=5)
    assert stats.chisquare(hot, 20_000 * P).pvalue < 1e-6  # the test can fail


def test_temperature_zero_always_samples_the_argmax():
    rng = np.random.default_rng(0)
    assert {sample_with_temperature(P, 0, rng) for _ in range(100)} == {2}


@pytest.mark.parametrize(
    "probabilities, temperature, message",
    [
        (P, -1.0, "temperature must be a finite number ≥ 0"),
        (P, math.nan, "temperature must be a finite number ≥ 0"),
        (np.array([-0.5, 1.5]), 1.0, "did you pass logits"),
        (np.array(0.5), 1.0, "last axis of tokens"),
    ],
)
def test_reweight_errors(probabilities, temperature, message):
    with pytest.raises(ValueError, match=message):
        reweight(probabilities, temperature)


def test_sampling_needs_one_distribution():
    with pytest.raises(ValueError, match="one distribution at a time"):
        sample_with_temperature(np.full((2, 3), 1 / 3), 1.0, np.random.default_rng(0))


# Repetition and the callback --------------------------------------------------------


def test_repeated_ngram_share():
    assert repeated_ngram_share("the the the ", n=4) == pytest.approx(5 / 9)
    assert repeated_ngram_share("abcdef", n=2) == 0
    assert repeated_ngram_share(["a", "b", "a", "b"], n=2) == pytest.approx(1 / 3)
    assert repeated_ngram_share("a" * 50, n=10) == pytest.approx(40 / 41)


@pytest.mark.parametrize("text, n, message", [("abc", 0, "n must be ≥ 1"), ("ab", 3, "fewer")])
def test_repeated_ngram_share_errors(text, n, message):
    with pytest.raises(ValueError, match=message):
        repeated_ngram_share(text, n=n)
