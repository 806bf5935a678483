import numpy as np

from course import text


def test_standardize_and_tokenize_drop_tags_case_punctuation():
    assert text.tokenize("A <b>GREAT</b> film!<br /><br />Really.") == [
        "a",
        "great",
        "film",
        "really",
    ]


def test_build_token_index_from_one_in_order_of_first_appearance():
    assert text.build_token_index(["The cat.", "the DOG"]) == {"the": 1, "cat": 2, "dog": 3}


def test_one_hot_words_by_hand():
    encoded = text.one_hot_words(["the cat the", "dog"], max_length=2)
    assert encoded.shape == (2, 2, 4)  # the, cat, dog + padding index 0
    np.testing.assert_array_equal(encoded[0].argmax(axis=1), [1, 2])  # truncated to 2 words
    np.testing.assert_array_equal(encoded[1, 0], [0, 0, 0, 1])
    assert encoded[1, 1].sum() == 0  # padding row
    assert encoded.sum() == 3


def test_one_hot_words_with_a_given_index_skips_unknown_words():
    encoded = text.one_hot_words(["the zebra"], max_length=2, token_index={"the": 1})
    assert encoded.shape == (1, 2, 2)
    assert encoded.sum() == 1


def test_tfidf_logistic_regression_separates_an_easy_task():
    texts = ["good fun", "great fun", "bad plot", "awful plot"] * 5
    labels = [1, 1, 0, 0] * 5
    assert text.tfidf_logistic_regression(texts, labels, texts, labels) == 1.0
    unigrams = text.tfidf_logistic_regression(texts, labels, texts, labels, ngram_range=(1, 1))
    assert unigrams == 1.0


def test_keras_standardize_matches_python_standardize():
    import tensorflow as tf

    samples = ["Don't <br />STOP, it's GREAT!", "AMÉLIE, ÇA VA? Ünïcödé <i>CAPS</i>"]
    standardized = text.keras_standardize(tf.constant(samples)).numpy()
    assert [value.decode() for value in standardized] == [text.standardize(s) for s in samples]


EVERY_UNICODE_SPACE = "".join(chr(c) for c in range(0x110000) if chr(c).isspace())


def test_keras_standardize_turns_every_unicode_space_into_a_space_like_python():
    import tensorflow as tf

    sample = "a" + "b".join(EVERY_UNICODE_SPACE) + "c"
    standardized = text.keras_standardize(tf.constant([sample])).numpy()[0].decode()

    assert standardized == text.standardize(sample)
    assert set(standardized) == set("abc ")


def test_a_vectorizer_trained_on_text_with_next_line_characters_saves_and_reloads(tmp_path):
    # IMDB reviews contain U+0085; a vocabulary word that kept it made the saved model
    # unloadable ("The passed vocabulary has at least one repeated term").
    import keras
    import tensorflow as tf

    @keras.saving.register_keras_serializable(package="test_text")
    def standardize_for_test(texts):
        return text.keras_standardize(texts)

    vectorizer = keras.layers.TextVectorization(standardize=standardize_for_test)
    vectorizer.adapt(["a good film\x85 really", "a bad\u2028film"])
    model = keras.Sequential([keras.Input((1,), dtype="string"), vectorizer])
    path = tmp_path / "vectorizer.keras"
    model.save(path)

    reloaded = keras.models.load_model(path)
    sample = tf.constant([["a good film\x85 really"]])
    assert reloaded.layers[0].get_vocabulary() == vectorizer.get_vocabulary()
    np.testing.assert_array_equal(reloaded(sample).numpy(), model(sample).numpy())
