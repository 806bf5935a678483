"""Chapter 9's checkers: right answers pass, wrong ones say what is wrong."""

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np
import pytest
import sacrebleu

from course.exercises import check
from course.exercises import sequence_to_sequence as exercise
from course.seq2seq import dot_product_attention

# Exercise 1: the teacher-forcing decoder input --------------------------------------

TARGETS = exercise.EXERCISE_1_TARGETS
RIGHT_1 = TARGETS[:, :-1]


@pytest.mark.parametrize(
    "answer",
    [RIGHT_1, RIGHT_1.tolist(), RIGHT_1.astype("float32"), np.concatenate([TARGETS[:, :6]], 0)],
    ids=["array", "nested list", "float32", "sliced differently"],
)
def test_exercise_1_accepts_the_decoder_input(answer):
    assert check("sequence-to-sequence.1", answer)


def test_exercise_1_accepts_a_tensor():
    import tensorflow as tf

    assert check("sequence-to-sequence.1", tf.constant(RIGHT_1))


@pytest.mark.parametrize(
    "answer, message",
    [
        (TARGETS[:, 1:], "decoder's target"),
        (np.where(TARGETS == 3, 0, TARGETS)[:, :-1], "Do not blank out"),
        (np.roll(RIGHT_1, 1, axis=1), "starts with [start]"),
        (TARGETS, "shape"),
        (RIGHT_1.T, "shape"),
        (None, "None"),
        ("[[2, 17]]", "string"),
    ],
    ids=["target", "end blanked", "rolled", "unsliced", "transposed", "None", "text"],
)
def test_exercise_1_rejects_wrong_answers(answer, message):
    feedback = check("sequence-to-sequence.1", answer)
    assert not feedback
    assert message.lower() in feedback.message.lower()


def test_exercise_1_rejects_an_off_by_one_token():
    wrong = RIGHT_1.copy()
    wrong[1, 3] += 1
    feedback = check("sequence-to-sequence.1", wrong)
    assert not feedback and "(1, 3)" in feedback.message


# Exercise 2: masked attention weights -----------------------------------------------

Q, K, MASK = exercise.EXERCISE_2_QUERY, exercise.EXERCISE_2_KEYS, exercise.EXERCISE_2_MASK
_, RIGHT_2 = dot_product_attention(Q, K, K, MASK)


@pytest.mark.parametrize(
    "answer",
    [RIGHT_2, RIGHT_2.astype("float32"), RIGHT_2.tolist()],
    ids=["float64", "float32", "nested list"],
)
def test_exercise_2_accepts_the_weights(answer):
    assert check("sequence-to-sequence.2", answer)


def test_exercise_2_accepts_keras_attention_scores():
    import keras

    layer = keras.layers.Attention()
    _, scores = layer(
        [Q.astype("float32"), K.astype("float32")], mask=[None, MASK], return_attention_scores=True
    )
    assert check("sequence-to-sequence.2", keras.ops.convert_to_numpy(scores))


def test_exercise_2_rejects_wrong_answers():
    unmasked = dot_product_attention(Q, K, K)[1]
    scores = Q @ K.transpose(0, 2, 1)
    cases = [
        (unmasked, "padding"),
        (scores, "softmax"),
        (RIGHT_2.round(2), "more digits"),
        (RIGHT_2[0], "shape"),
        (np.ones((1, 2, 4)) / 4, "padded position"),
        (RIGHT_2 * 2, "sum to 1"),
        ([[1, 2], [3]], "ragged"),
    ]
    for answer, message in cases:
        feedback = check("sequence-to-sequence.2", answer)
        assert not feedback, message
        assert message.lower() in feedback.message.lower(), (message, feedback.message)


def test_exercise_2_rejects_a_softmax_over_the_wrong_axis():
    scores = np.where(MASK[:, None, :], Q @ K.transpose(0, 2, 1), -np.inf)
    with np.errstate(invalid="ignore"):
        over_queries = np.exp(scores - scores.max(1, keepdims=True))
    over_queries = np.nan_to_num(over_queries / over_queries.sum(1, keepdims=True))
    assert not check("sequence-to-sequence.2", over_queries)


# Exercise 3: beam search by hand ------------------------------------------------------

RIGHT_3 = np.log(0.45) + np.log(0.95)


@pytest.mark.parametrize(
    "answer",
    [RIGHT_3, np.float32(RIGHT_3), [RIGHT_3], np.array(RIGHT_3), np.log(0.45 * 0.95)],
    ids=["float", "float32", "one-item list", "0-d array", "log of the product"],
)
def test_exercise_3_accepts_the_log_probability(answer):
    assert check("sequence-to-sequence.3", answer)


@pytest.mark.parametrize(
    "answer, message",
    [
        (0.45 * 0.95, "probability"),
        (np.log10(0.45 * 0.95), "natural logarithm"),
        (6 * np.log(0.39) - np.log(0.39) + np.log(0.5), "greedy"),
        (round(RIGHT_3, 2), "more digits"),
        (np.log(0.5) + np.log(0.3), "is not it"),
        (0.5, "at most 0"),
        ("-0.85", "string"),
        (float("nan"), "nan"),
    ],
    ids=["probability", "log10", "greedy", "rounded", "other path", "positive", "text", "nan"],
)
def test_exercise_3_rejects_wrong_answers(answer, message):
    feedback = check("sequence-to-sequence.3", answer)
    assert not feedback
    assert message.lower() in feedback.message.lower(), feedback.message


# Exercise 4: corpus BLEU ---------------------------------------------------------------

HYPOTHESES, REFERENCES = exercise.EXERCISE_4_HYPOTHESES, exercise.EXERCISE_4_REFERENCES
RIGHT_4 = sacrebleu.corpus_bleu(HYPOTHESES, [REFERENCES]).score
BLEU_OBJECT = sacrebleu.BLEU().corpus_score(HYPOTHESES, [REFERENCES]).score
SENTENCE_MEAN = np.mean(
    [sacrebleu.sentence_bleu(h, [r]).score for h, r in zip(HYPOTHESES, REFERENCES)]
)


@pytest.mark.parametrize(
    "answer",
    [
        RIGHT_4,
        np.float32(RIGHT_4),
        [RIGHT_4],
        sacrebleu.BLEU().corpus_score(HYPOTHESES, [REFERENCES]).score,
    ],
    ids=["float", "float32", "one-item list", "BLEU object"],
)
def test_exercise_4_accepts_corpus_bleu(answer):
    assert check("sequence-to-sequence.4", answer)


@pytest.mark.parametrize(
    "answer, message",
    [
        (RIGHT_4 / 100, "0–1 scale"),
        (
            np.mean(
                [sacrebleu.sentence_bleu(h, [r]).score for h, r in zip(HYPOTHESES, REFERENCES)]
            ),
            "mean of the sentence",
        ),
        (round(RIGHT_4, 1), "more digits"),
        (150.0, "between 0 and 100"),
        (sacrebleu.corpus_bleu(HYPOTHESES[:2], [REFERENCES[:2]]).score, "is not it"),
        (None, "none"),
    ],
    ids=["fraction", "sentence mean", "rounded", "out of range", "two sentences", "None"],
)
def test_exercise_4_rejects_wrong_answers(answer, message):
    feedback = check("sequence-to-sequence.4", answer)
    assert not feedback
    assert message.lower() in feedback.message.lower(), feedback.message


SWAPPED_4 = sacrebleu.corpus_bleu(REFERENCES, [HYPOTHESES]).score


def test_exercise_4_data_tells_a_swapped_computation_apart():
    # BLEU's clipped n-gram matches are symmetric; its precisions (divided by the
    # hypotheses' n-grams) and its brevity penalty are not when the lengths differ.
    assert sum(len(h.split()) for h in HYPOTHESES) != sum(len(r.split()) for r in REFERENCES)
    assert abs(SWAPPED_4 - RIGHT_4) > 0.1


@pytest.mark.parametrize(
    "answer",
    [
        SWAPPED_4,
        np.float32(SWAPPED_4),
        sacrebleu.BLEU().corpus_score(REFERENCES, [HYPOTHESES]).score,
    ],
    ids=["float", "float32", "BLEU object"],
)
def test_exercise_4_refuses_references_and_hypotheses_swapped(answer):
    feedback = check("sequence-to-sequence.4", answer)
    assert not feedback
    assert "swapped" in feedback.message, feedback.message
