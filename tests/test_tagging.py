"""course.tagging: baseline, encoding, entity scores (against seqeval), the CRF reference."""

import itertools

import numpy as np
import pytest
from seqeval.metrics import f1_score, precision_score, recall_score

from course.data.conll import TaggedSentences
from course.tagging import (
    PAD,
    UNKNOWN,
    MostFrequentTag,
    build_vocabulary,
    crf_log_likelihood,
    crf_log_partition,
    crf_log_partition_brute_force,
    crf_path_score,
    encode_sentences,
    encode_tags,
    entity_scores,
    entity_spans,
    invalid_transitions,
    take_sentences,
    token_accuracy,
    viterbi_decode,
)

TYPES = ("PER", "ORG", "LOC", "MISC")
TAGS = ["O"] + [f"{prefix}-{kind}" for kind in TYPES for prefix in "BI"]

# -------------------------------------------------------------- subsets, baseline


def test_take_sentences_is_seeded_and_keeps_pairs():
    corpus = TaggedSentences([[str(i)] for i in range(50)], [[f"T{i}"] for i in range(50)])
    first, again = take_sentences(corpus, 10, seed=3), take_sentences(corpus, 10, seed=3)
    assert first == again and first.sentence_count == 10
    assert all(tag == [f"T{token[0]}"] for token, tag in zip(*first))
    assert take_sentences(corpus, 10, seed=4) != first
    assert take_sentences(corpus, 500) is corpus


@pytest.mark.parametrize("count", [0, -1, 2.5, True])
def test_take_sentences_refuses_bad_counts(count):
    corpus = TaggedSentences([["a"], ["b"]], [["X"], ["Y"]])
    with pytest.raises(ValueError, match="positive whole number or None"):
        take_sentences(corpus, count)


def test_most_frequent_tag_uses_counts_and_a_default():
    tokens = [["book", "a", "book"], ["to", "book"], ["a", "flight"]]
    tags = [["NOUN", "DET", "NOUN"], ["PART", "VERB"], ["DET", "NOUN"]]
    baseline = MostFrequentTag().fit(tokens, tags)
    assert baseline.predict([["book", "to", "zebra"]]) == [["NOUN", "PART", "NOUN"]]
    assert baseline.default == "NOUN"


def test_most_frequent_tag_lowercase_option():
    baseline = MostFrequentTag(lowercase=True).fit([["The"]], [["DET"]])
    assert baseline.predict([["the", "THE"]]) == [["DET", "DET"]]
    assert MostFrequentTag().fit([["The", "x"]], [["DET", "X"]]).predict([["the"]]) == [["DET"]]


def test_most_frequent_tag_errors():
    with pytest.raises(ValueError, match="before predict"):
        MostFrequentTag().predict([["a"]])
    with pytest.raises(ValueError, match="at least one tagged token"):
        MostFrequentTag().fit([[]], [[]])
    with pytest.raises(ValueError, match="Sentence 0 has 2 items"):
        MostFrequentTag().fit([["a", "b"]], [["X"]])


# ---------------------------------------------------------------------- encoding


def test_vocabulary_and_encoding_round_trip():
    vocabulary = build_vocabulary([["a", "b", "a"], ["c", "A"]])
    assert vocabulary == {"a": 2, "b": 3, "c": 4}
    encoded = encode_sentences([["A", "c", "zzz"], ["b"]], vocabulary, 4)
    assert encoded.tolist() == [[2, 4, UNKNOWN, PAD], [3, PAD, PAD, PAD]]
    assert encode_sentences([["a", "b", "c"]], vocabulary, 2).tolist() == [[2, 3]]  # cut
    cased = build_vocabulary([["A", "a"]], lowercase=False)
    assert encode_sentences([["A", "a"]], cased, 2, lowercase=False).tolist() == [[2, 3]]


def test_encoding_errors():
    with pytest.raises(ValueError, match="length must be a positive whole number"):
        encode_sentences([["a"]], {}, 0)
    with pytest.raises(ValueError, match="min_count must be"):
        build_vocabulary([["a"]], min_count=0)
    with pytest.raises(ValueError, match="is not among tag_names"):
        encode_tags([["Q"]], ["O"], 3)


def test_token_accuracy_excludes_padding_by_default():
    true = np.array([[1, 2, 3, 0, 0], [4, 0, 0, 0, 0]])
    predicted = np.array([[1, 2, 1, 0, 0], [1, 0, 0, 0, 0]])
    assert token_accuracy(true, predicted) == 0.5
    assert token_accuracy(true, predicted, mask=np.ones_like(true, bool)) == 0.8
    with pytest.raises(ValueError, match="same shape"):
        token_accuracy(true, predicted[:, :2])
    with pytest.raises(ValueError, match="selects no token"):
        token_accuracy(np.zeros((1, 3), int), np.zeros((1, 3), int))


# ---------------------------------------------------------------------- entities


@pytest.mark.parametrize(
    "tags, spans",
    [
        ([], []),
        (["O", "O"], []),
        (["B-PER"], [("PER", 0, 1)]),
        (["B-PER", "I-PER", "I-PER"], [("PER", 0, 3)]),
        (["B-PER", "B-PER"], [("PER", 0, 1), ("PER", 1, 2)]),
        (["I-LOC", "I-LOC", "O"], [("LOC", 0, 2)]),  # an I- that continues nothing starts one
        (["B-ORG", "I-LOC"], [("ORG", 0, 1), ("LOC", 1, 2)]),
        (["O", "B-MISC", "I-MISC", "O", "B-LOC"], [("MISC", 1, 3), ("LOC", 4, 5)]),
    ],
)
def test_entity_spans_hand_made(tags, spans):
    assert entity_spans(tags) == spans


@pytest.mark.parametrize("bad", ["X", "B-", "b-PER", "I_PER", "BPER"])
def test_entity_spans_refuses_other_tags(bad):
    with pytest.raises(ValueError, match="is not an IOB2 tag"):
        entity_spans(["O", bad])


def test_entity_scores_hand_made():
    true = [["B-PER", "I-PER", "O", "B-LOC"], ["B-ORG", "O"]]
    exact = entity_scores(true, true)
    assert (exact["precision"], exact["recall"], exact["f1"]) == (1.0, 1.0, 1.0)
    # a span cut short, a wrong type and an extra entity: nothing but ORG is right
    predicted = [["B-PER", "O", "O", "B-ORG"], ["B-ORG", "B-MISC"]]
    scores = entity_scores(true, predicted)
    assert scores["correct"] == 1 and scores["true"] == 3 and scores["predicted"] == 4
    assert scores["precision"] == 0.25 and scores["recall"] == pytest.approx(1 / 3)
    assert scores["f1"] == pytest.approx(2 * 0.25 * (1 / 3) / (0.25 + 1 / 3))
    nothing = entity_scores([["O"]], [["O"]])
    assert nothing["f1"] == 0.0 and nothing["precision"] == 0.0


def test_entity_scores_needs_parallel_input():
    with pytest.raises(ValueError, match="as many sentences"):
        entity_scores([["O"]], [])


def _random_tags(rng, length):
    return [TAGS[i] for i in rng.integers(0, len(TAGS), size=length)]


HAND_MADE = [
    ([["B-PER", "I-PER", "O"]], [["B-PER", "I-PER", "O"]]),
    ([["B-PER", "I-PER", "O"]], [["B-PER", "O", "O"]]),
    ([["O", "I-ORG", "I-ORG"]], [["O", "B-ORG", "I-ORG"]]),
    ([["B-LOC", "B-LOC", "O", "B-MISC"]], [["B-LOC", "I-LOC", "O", "I-MISC"]]),
    ([["B-ORG", "I-LOC", "O"], ["B-PER"]], [["B-ORG", "B-LOC", "O"], ["O"]]),
]


@pytest.mark.parametrize("true, predicted", HAND_MADE)
def test_entity_scores_match_seqeval_on_hand_made_cases(true, predicted):
    ours = entity_scores(true, predicted)
    assert ours["f1"] == pytest.approx(f1_score(true, predicted))
    assert ours["precision"] == pytest.approx(precision_score(true, predicted))
    assert ours["recall"] == pytest.approx(recall_score(true, predicted))


@pytest.mark.parametrize("seed", range(5))
def test_entity_scores_match_seqeval_on_random_tags(seed):
    rng = np.random.default_rng(seed)
    lengths = rng.integers(1, 15, size=40)
    true = [_random_tags(rng, n) for n in lengths]
    # predictions: the truth with a third of the tags redrawn, so that some entities match
    predicted = [
        [tag if rng.random() > 0.33 else TAGS[rng.integers(len(TAGS))] for tag in sentence]
        for sentence in true
    ]
    ours = entity_scores(true, predicted)
    assert 0 < ours["f1"] < 1
    assert ours["f1"] == pytest.approx(f1_score(true, predicted))
    assert ours["precision"] == pytest.approx(precision_score(true, predicted))
    assert ours["recall"] == pytest.approx(recall_score(true, predicted))


def test_invalid_transitions():
    assert invalid_transitions([["B-PER", "I-PER", "O", "B-LOC", "I-LOC"]]) == 0
    assert invalid_transitions([["I-PER"], ["O", "I-LOC"], ["B-ORG", "I-PER", "I-PER"]]) == 3


# --------------------------------------------------------------------------- CRF


def _random_crf(seed, timesteps=4, tags=3):
    rng = np.random.default_rng(seed)
    return (
        rng.normal(size=(timesteps, tags)),
        rng.normal(size=(tags, tags)),
        rng.normal(size=tags),
        rng.normal(size=tags),
    )


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("timesteps, tags", [(1, 3), (3, 2), (4, 3), (5, 4)])
def test_forward_algorithm_equals_brute_force(seed, timesteps, tags):
    emissions, transitions, start, end = _random_crf(seed, timesteps, tags)
    forward = crf_log_partition(emissions, transitions, start, end)
    assert forward == pytest.approx(
        crf_log_partition_brute_force(emissions, transitions, start, end), rel=1e-12
    )


def test_probabilities_of_all_paths_sum_to_one():
    emissions, transitions, start, end = _random_crf(7, 4, 3)
    total = sum(
        np.exp(crf_log_likelihood(emissions, transitions, path, start, end))
        for path in itertools.product(range(3), repeat=4)
    )
    assert total == pytest.approx(1.0)


@pytest.mark.parametrize("seed", range(5))
def test_viterbi_finds_the_best_path(seed):
    emissions, transitions, start, end = _random_crf(seed, 5, 3)
    path, score = viterbi_decode(emissions, transitions, start, end)
    scores = {
        p: crf_path_score(emissions, transitions, p, start, end)
        for p in itertools.product(range(3), repeat=5)
    }
    best = max(scores, key=scores.get)
    assert tuple(path) == best and score == pytest.approx(scores[best])


def test_path_score_by_hand():
    emissions = np.array([[1.0, 2.0], [3.0, 4.0]])
    transitions = np.array([[0.1, 0.2], [0.3, 0.4]])
    start, end = np.array([10.0, 20.0]), np.array([100.0, 200.0])
    assert crf_path_score(emissions, transitions, [1, 0], start, end) == pytest.approx(
        20 + 2 + 3 + 0.3 + 100
    )


def test_crf_shape_errors():
    emissions = np.zeros((3, 2))
    with pytest.raises(ValueError, match=r"transitions must have shape \(tags, tags\)"):
        crf_log_partition(emissions, np.zeros((3, 3)))
    with pytest.raises(ValueError, match="emissions must have shape"):
        crf_log_partition(np.zeros(3), np.zeros((3, 3)))
    with pytest.raises(ValueError, match="start must have shape"):
        viterbi_decode(emissions, np.zeros((2, 2)), start=np.zeros(3))
    with pytest.raises(ValueError, match="path has 2 tags for 3 timesteps"):
        crf_path_score(emissions, np.zeros((2, 2)), [0, 1])
    with pytest.raises(ValueError, match="use crf_log_partition"):
        crf_log_partition_brute_force(np.zeros((30, 9)), np.zeros((9, 9)))
