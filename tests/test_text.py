import numpy as np
import pytest

from course import text


def test_standardize_and_tokenize_drop_tags_case_punctuation():
    assert text.tokenize("A <b>GREAT</b> film!<br /><br />Really.") == ["a", "great", "film", "really"]


def test_ngrams():
    assert text.ngrams(["a", "b", "c"], 1) == ["a", "b", "c"]
    assert text.ngrams(["a", "b"], 3) == []
    with pytest.raises(ValueError, match="at least 1"):
        text.ngrams(["a"], 0)


def test_one_hot_words_by_hand():
    encoded = text.one_hot_words(["the cat the", "dog"], max_length=2)
    assert encoded.shape == (2, 2, 4)  # the, cat, dog + padding index 0
    np.testing.assert_array_equal(encoded[0].argmax(axis=1), [1, 2])  # truncated to 2 words
    np.testing.assert_array_equal(encoded[1, 0], [0, 0, 0, 1])
    assert encoded[1, 1].sum() == 0  # padding row
    assert encoded.sum() == 3


def test_one_hot_characters():
    encoded = text.one_hot_characters(["ab\u00e9"], max_length=5)
    assert encoded.shape == (1, 5, 101)
    assert encoded.sum() == 2  # é is not printable ASCII and is skipped


def test_stable_hash_is_stable_and_in_range():
    assert text.stable_hash("movie", 100) == text.stable_hash("movie", 100)
    assert 0 <= text.stable_hash("movie", 7) < 7
    with pytest.raises(ValueError):
        text.stable_hash("x", 0)


def test_collision_rate_matches_uniform_theory():
    words = [f"word{i}" for i in range(5_000)]
    measured = text.hash_collision_rate(words, 10_000)
    assert measured == pytest.approx(text.expected_collision_rate(5_000, 10_000), abs=0.02)
    assert text.hash_collision_rate(["a", "b", "c"], 1) == 1.0
    with pytest.raises(ValueError):
        text.hash_collision_rate([], 10)


def test_hashed_bag_of_words():
    encoded = text.hashed_bag_of_words(["the cat", "the"], dimension=32)
    assert encoded.shape == (2, 32)
    assert encoded[1].sum() == 1
    assert encoded[0, text.stable_hash("the", 32)] == 1


def test_keras_standardize_matches_python_standardize():
    import tensorflow as tf

    sample = "Don't <br />STOP, it's GREAT!"
    assert text.keras_standardize(tf.constant([sample])).numpy()[0].decode() == text.standardize(sample)
