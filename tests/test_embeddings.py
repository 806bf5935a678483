"""Tests for course.embeddings: neighbours, analogies, benchmarks, pretrained matrices."""

from __future__ import annotations

import math

import numpy as np
import pytest
from gensim.models import KeyedVectors, Word2Vec
from gensim.test.utils import datapath
from gensim.utils import simple_preprocess

from course.embeddings import (
    CoverageReport,
    UnknownWordError,
    analogy,
    embedding_matrix_from_keyed_vectors,
    evaluate_analogies,
    evaluate_word_similarity,
    nearest_neighbours,
)

# Features: royal, male, female, fruit. king - man + woman = queen exactly.
# "[UNK]" copies "king" so that answering with a reserved token would show up.
WORDS = ["", "[UNK]", "man", "woman", "king", "queen", "prince", "apple", "pear"]
MATRIX = np.array(
    [
        [0.0, 0.0, 0.0, 0.0],
        [1.0, 1.0, 0.0, 0.0],
        [0.0, 1.0, 0.0, 0.0],
        [0.0, 0.0, 1.0, 0.0],
        [1.0, 1.0, 0.0, 0.0],
        [1.0, 0.0, 1.0, 0.0],
        [0.9, 1.0, 0.0, 0.3],
        [0.0, 0.0, 0.1, 1.0],
        [0.0, 0.1, 0.0, 1.0],
    ],
    dtype=np.float32,
)


def gensim_vectors() -> KeyedVectors:
    keyed_vectors = KeyedVectors(vector_size=4)
    keyed_vectors.add_vectors(WORDS[2:], MATRIX[2:])
    return keyed_vectors


@pytest.fixture(
    params=["matrix+words", "pair", "dict", "keyedvectors"],
)
def vectors_and_words(request):
    """The same vectors in every accepted form, as (vectors, words=)."""
    if request.param == "matrix+words":
        return MATRIX, WORDS
    if request.param == "pair":
        return (WORDS, MATRIX), None
    if request.param == "dict":
        return dict(zip(WORDS, MATRIX)), None
    return gensim_vectors(), None


# --------------------------------------------------------------------------
# Neighbours and analogies
# --------------------------------------------------------------------------


def test_nearest_neighbours_same_answer_for_every_input_form(vectors_and_words):
    vectors, words = vectors_and_words
    neighbours = nearest_neighbours(vectors, "king", top_n=3, words=words)
    assert [word for word, _ in neighbours] == ["prince", "man", "queen"]
    scores = [score for _, score in neighbours]
    assert scores == sorted(scores, reverse=True)
    king, prince = MATRIX[4], MATRIX[6]
    expected = king @ prince / np.linalg.norm(king) / np.linalg.norm(prince)
    assert scores[0] == pytest.approx(expected, abs=1e-6)
    assert nearest_neighbours(vectors, "apple", top_n=1, words=words)[0][0] == "pear"


def test_analogy_same_answer_for_every_input_form(vectors_and_words):
    vectors, words = vectors_and_words
    best = analogy(vectors, "man", "woman", "king", words=words)
    assert len(best) == 1
    assert best[0][0] == "queen"
    top = [word for word, _ in analogy(vectors, "man", "woman", "king", top_n=10, words=words)]
    assert not {"man", "woman", "king", "", "[UNK]"} & set(top)
    assert len(top) == 4  # queen, prince, apple, pear: everything else is excluded


def test_nearest_neighbours_match_gensim_most_similar():
    keyed_vectors = gensim_vectors()
    ours = nearest_neighbours(keyed_vectors, "queen", top_n=4)
    theirs = keyed_vectors.most_similar("queen", topn=4)
    assert [w for w, _ in ours] == [w for w, _ in theirs]
    np.testing.assert_allclose([s for _, s in ours], [s for _, s in theirs], atol=1e-6)
    ours = analogy(keyed_vectors, "man", "woman", "king", top_n=3)
    theirs = keyed_vectors.most_similar(positive=["woman", "king"], negative=["man"], topn=3)
    assert [w for w, _ in ours] == [w for w, _ in theirs]


def test_unknown_word_is_a_value_error_and_a_key_error():
    with pytest.raises(ValueError, match="'unicorn' is not in the vocabulary"):
        nearest_neighbours(MATRIX, "unicorn", words=WORDS)
    with pytest.raises(KeyError):
        analogy(gensim_vectors(), "man", "woman", "unicorn")
    with pytest.raises(UnknownWordError, match="'King'"):
        analogy((WORDS, MATRIX), "man", "woman", "King")  # exact match: case matters


def test_bad_inputs_say_what_to_do():
    with pytest.raises(ValueError, match="pass words="):
        nearest_neighbours(MATRIX, "king")
    with pytest.raises(ValueError, match="one row per word"):
        nearest_neighbours(MATRIX[:3], "king", words=WORDS)
    with pytest.raises(ValueError, match="carries its own words"):
        nearest_neighbours(gensim_vectors(), "king", words=WORDS)
    with pytest.raises(ValueError, match="do not pass words"):
        nearest_neighbours({"a": [1.0]}, "a", words=["a"])
    with pytest.raises(ValueError, match="same length"):
        nearest_neighbours({"a": [1.0], "b": [1.0, 2.0]}, "a")
    with pytest.raises(ValueError, match="top_n"):
        nearest_neighbours(MATRIX, "king", top_n=0, words=WORDS)


# --------------------------------------------------------------------------
# Analogy benchmark
# --------------------------------------------------------------------------

QUESTIONS = [
    ": royals",
    "man woman king queen",
    "Woman Man Queen King",  # case-insensitive by default
    "man woman king unicorn",  # out of vocabulary: skipped
    "",
    ": mixed",
    "king queen man prince",  # the answer is "woman": wrong
]


def test_evaluate_analogies_accuracy_and_section_accounting():
    result = evaluate_analogies((WORDS, MATRIX), QUESTIONS)
    assert (result["correct"], result["used"], result["skipped"]) == (2, 3, 1)
    assert result["accuracy"] == pytest.approx(2 / 3)
    assert result["sections"] == {
        "royals": {"accuracy": 1.0, "correct": 2, "used": 2, "skipped": 1},
        "mixed": {"accuracy": 0.0, "correct": 0, "used": 1, "skipped": 0},
    }


def test_evaluate_analogies_reads_files_and_respects_case_and_restriction(tmp_path):
    path = tmp_path / "questions.txt"
    path.write_text("\n".join(QUESTIONS) + "\n", encoding="utf-8")
    assert evaluate_analogies(gensim_vectors(), path)["correct"] == 2
    assert evaluate_analogies(gensim_vectors(), str(path))["used"] == 3

    exact = evaluate_analogies((WORDS, MATRIX), QUESTIONS, case_insensitive=False)
    assert (exact["used"], exact["skipped"]) == (2, 2)

    restricted = evaluate_analogies((WORDS, MATRIX), QUESTIONS, restrict_vocab=5)  # no queen
    assert restricted["used"] == 0 and restricted["skipped"] == 4
    assert math.isnan(restricted["accuracy"])
    assert math.isnan(restricted["sections"]["royals"]["accuracy"])


def test_evaluate_analogies_without_a_section_and_with_a_bad_line():
    # pear - apple is tiny, so "king" itself would win if it were not excluded
    result = evaluate_analogies(
        (WORDS, MATRIX), ["man woman king queen", "apple pear king prince"]
    )
    assert result["sections"]["(no section)"]["correct"] == 2
    with pytest.raises(ValueError, match="line 2 should hold 4 words"):
        evaluate_analogies((WORDS, MATRIX), [": s", "man woman king"])


@pytest.fixture(scope="module")
def lee_vectors() -> KeyedVectors:
    """Small real word2vec vectors trained by gensim on its Lee corpus (about a second)."""
    with open(datapath("lee_background.cor"), encoding="utf-8") as handle:
        sentences = [simple_preprocess(line) for line in handle]
    model = Word2Vec(sentences, vector_size=32, min_count=3, seed=1, workers=1, epochs=5)
    return model.wv


def test_evaluate_analogies_agrees_with_gensim_on_questions_words(lee_vectors):
    path = datapath("questions-words.txt")
    ours = evaluate_analogies(lee_vectors, path)
    score, sections = lee_vectors.evaluate_word_analogies(path)
    theirs = {s["section"]: s for s in sections}
    assert ours["accuracy"] == pytest.approx(score)
    assert ours["used"] == len(theirs["Total accuracy"]["correct"]) + len(
        theirs["Total accuracy"]["incorrect"]
    )
    assert ours["used"] + ours["skipped"] == 19544  # every question in the file
    assert len(ours["sections"]) == 14
    for name, counts in ours["sections"].items():
        if name in theirs:
            assert counts["correct"] == len(theirs[name]["correct"])


# --------------------------------------------------------------------------
# Word-similarity benchmark
# --------------------------------------------------------------------------


def test_evaluate_word_similarity_on_a_small_file(tmp_path):
    path = tmp_path / "pairs.tsv"
    path.write_text(
        "# Word 1\tWord 2\tHuman (mean)\n"
        "king\tprince\t9.0\n"
        "King\tman\t7.0\n"
        "queen\tapple\t1.0\n"
        "apple\tpear\t8.0\n"
        "king\tunicorn\t5.0\n",
        encoding="utf-8",
    )
    result = evaluate_word_similarity(gensim_vectors(), path)
    assert result["pairs_used"] == 4 and result["pairs_skipped"] == 1
    assert result["coverage"] == pytest.approx(0.8)
    # cosine ranks 3, 2, 1, 4 against human ranks 4, 2, 1, 3: rho = 1 - 6 * 2 / (4 * 15)
    assert result["spearman"] == pytest.approx(0.8)
    exact = evaluate_word_similarity(gensim_vectors(), path, case_insensitive=False)
    assert exact["pairs_used"] == 3


def test_evaluate_word_similarity_edge_cases():
    alone = evaluate_word_similarity((WORDS, MATRIX), ["king prince 9"])
    assert alone["pairs_used"] == 1 and math.isnan(alone["spearman"])
    nothing = evaluate_word_similarity((WORDS, MATRIX), ["# only a comment"])
    assert nothing["coverage"] == 0.0
    with pytest.raises(ValueError, match="line 1"):
        evaluate_word_similarity((WORDS, MATRIX), ["king\tprince"])


def test_evaluate_word_similarity_agrees_with_gensim_on_wordsim353(lee_vectors):
    path = datapath("wordsim353.tsv")
    ours = evaluate_word_similarity(lee_vectors, path)
    _, spearman, oov_percent = lee_vectors.evaluate_word_pairs(path)
    assert ours["spearman"] == pytest.approx(spearman.statistic, abs=1e-6)
    assert 100 * (1 - ours["coverage"]) == pytest.approx(oov_percent)
    assert ours["pairs_used"] + ours["pairs_skipped"] == 353


# --------------------------------------------------------------------------
# Pretrained vectors -> Keras embedding matrix, and back to gensim
# --------------------------------------------------------------------------

VOCABULARY = ["", "[UNK]", "cat", "dog", "emu", "yak"]
PRETRAINED = {
    "cat": np.array([1.0, -2.0, 0.5], dtype=np.float32),
    "dog": np.array([0.5, 1.5, -1.0], dtype=np.float32),
    "[UNK]": np.array([9.0, 9.0, 9.0], dtype=np.float32),  # must not be copied
    "owl": np.array([3.0, 3.0, 3.0], dtype=np.float32),
}


def pretrained_forms():
    words = list(PRETRAINED)
    matrix = np.stack([PRETRAINED[word] for word in words])
    keyed_vectors = KeyedVectors(vector_size=3)
    keyed_vectors.add_vectors(words, matrix)
    return {"dict": PRETRAINED, "pair": (words, matrix), "keyedvectors": keyed_vectors}


@pytest.mark.parametrize("form", ["dict", "pair", "keyedvectors"])
def test_embedding_matrix_copies_known_words_and_zeros_reserved_rows(form):
    matrix, report = embedding_matrix_from_keyed_vectors(
        VOCABULARY, pretrained_forms()[form], oov="zeros"
    )
    assert matrix.dtype == np.float32 and matrix.shape == (6, 3)
    np.testing.assert_array_equal(matrix[0], 0)
    np.testing.assert_array_equal(matrix[1], 0)  # "[UNK]" is zero even if the vectors have it
    np.testing.assert_array_equal(matrix[2], PRETRAINED["cat"])
    np.testing.assert_array_equal(matrix[3], PRETRAINED["dog"])
    np.testing.assert_array_equal(matrix[4:], 0)
    assert (report.found, report.missing, report.coverage) == (2, 2, 0.5)
    assert report.missing_examples == ("emu", "yak")


def test_random_initialisation_is_seeded_and_uses_the_known_spread():
    matrix, _ = embedding_matrix_from_keyed_vectors(VOCABULARY, PRETRAINED)
    again, _ = embedding_matrix_from_keyed_vectors(VOCABULARY, PRETRAINED, seed=1337)
    other, _ = embedding_matrix_from_keyed_vectors(VOCABULARY, PRETRAINED, seed=7)
    np.testing.assert_array_equal(matrix, again)
    assert not np.allclose(matrix[4:], other[4:])
    assert np.all(matrix[4:] != 0)
    np.testing.assert_array_equal(matrix[:2], 0)
    np.testing.assert_array_equal(matrix[2], PRETRAINED["cat"])

    rng = np.random.default_rng(0)
    words = [f"w{i}" for i in range(400)]
    known = {word: rng.normal(0, 0.3, size=50).astype(np.float32) for word in words[:200]}
    wide, report = embedding_matrix_from_keyed_vectors(["", "[UNK]"] + words, known)
    missing_rows = wide[2 + 200 :]
    assert missing_rows.std() == pytest.approx(np.stack(list(known.values())).std(), rel=0.05)
    assert abs(missing_rows.mean()) < 0.01
    assert report.coverage == 0.5
    scaled, _ = embedding_matrix_from_keyed_vectors(["", "[UNK]"] + words, known, scale=2.0)
    assert scaled[2 + 200 :].std() == pytest.approx(2.0, rel=0.05)


def test_coverage_report_text():
    _, report = embedding_matrix_from_keyed_vectors(VOCABULARY, PRETRAINED, name="GloVe")
    assert str(report) == "GloVe covers 2 of 4 words (50.0%); missing e.g. 'emu', 'yak'"
    big = CoverageReport(found=8734, missing=1264, name="GloVe")
    assert str(big) == "GloVe covers 8,734 of 9,998 words (87.4%)"
    assert CoverageReport(0, 0).coverage == 0.0


def test_embedding_matrix_rejects_bad_input():
    with pytest.raises(ValueError, match='"random" or "zeros"'):
        embedding_matrix_from_keyed_vectors(VOCABULARY, PRETRAINED, oov="mean")
    with pytest.raises(ValueError, match="scale must be positive"):
        embedding_matrix_from_keyed_vectors(VOCABULARY, PRETRAINED, scale=0)
    with pytest.raises(ValueError, match="lower-casing"):
        embedding_matrix_from_keyed_vectors(["", "[UNK]", "Cat"], PRETRAINED)
    with pytest.raises(ValueError, match="1-D of one length"):
        embedding_matrix_from_keyed_vectors(VOCABULARY, {"cat": [1.0], "dog": [1.0, 2.0]})
