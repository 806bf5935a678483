"""Checkers for chapter 9, sequence-to-sequence models (ids ``sequence-to-sequence.N``)."""

from __future__ import annotations

from typing import Any

import numpy as np

from course.exercises import checker, compare_values, correct, wrong
from course.exercises.answers import as_array, as_number, rounding_hint
from course.seq2seq import beam_search, corpus_bleu, dot_product_attention, greedy_decode

# Exercise 1: the decoder input of teacher forcing. [start] = 2, [end] = 3, padding 0.
EXERCISE_1_START, EXERCISE_1_END = 2, 3
EXERCISE_1_TARGETS = np.array(
    [
        [2, 17, 5, 9, 3, 0, 0],
        [2, 8, 41, 12, 6, 30, 3],
    ]
)

# Exercise 2: dot-product attention weights with a padding mask.
_rng = np.random.default_rng(909)
EXERCISE_2_QUERY = _rng.normal(size=(1, 2, 3)).round(2)
EXERCISE_2_KEYS = _rng.normal(size=(1, 4, 3)).round(2)
EXERCISE_2_MASK = np.array([[True, True, True, False]])
del _rng

# Exercise 3: beam search (width 2) on a Markov "model": row i = next-token probabilities.
EXERCISE_3_TABLE = np.array(
    [
        [0.01, 0.04, 0.50, 0.45],
        [0.25, 0.25, 0.25, 0.25],
        [0.01, 0.30, 0.39, 0.30],
        [0.01, 0.95, 0.02, 0.02],
    ]
)
EXERCISE_3_BEAM_WIDTH, EXERCISE_3_MAX_LENGTH = 2, 6

# Exercise 4: corpus BLEU with sacrebleu. The hypotheses are one word shorter in all than the
# references, so BLEU with the two swapped (precisions over the other side's n-grams, no brevity
# penalty) gives another score.
EXERCISE_4_HYPOTHESES = [
    "el gato está en la mesa .",
    "tom no quiere ir a la escuela .",
    "me gusta mucho este libro .",
]
EXERCISE_4_REFERENCES = [
    "el gato está sobre la mesa .",
    "tom no quiere ir hoy a la escuela .",
    "este libro me gusta mucho .",
]


@checker("sequence-to-sequence.1")
def check_decoder_input(answer: Any) -> Any:
    """The teacher-forcing decoder input: each target row without its last token."""
    targets = EXERCISE_1_TARGETS
    expected = targets[:, :-1]
    array = as_array(answer, shape=expected.shape, name="the decoder input")
    if np.array_equal(array, expected):
        return correct("Correct: the decoder reads [start] w1 … and learns to predict w1 … [end].")
    if np.array_equal(array, targets[:, 1:]):
        return wrong(
            "That is the decoder's target (the sequence without its first token). The input is "
            "the sequence without its last token, so that it starts with [start]."
        )
    if np.array_equal(array, np.where(targets == EXERCISE_1_END, 0, targets)[:, :-1]) or (
        np.array_equal(array, np.where(targets[:, :-1] == EXERCISE_1_END, 0, targets[:, :-1]))
    ):
        return wrong(
            "Do not blank out [end]: slicing off the last column is all it takes; the input may "
            "hold [end] where a shorter sentence's target is padding."
        )
    if not np.all(array[:, 0] == EXERCISE_1_START):
        return wrong(
            "Every decoder input starts with [start] (id 2): it is the target shifted right."
        )
    return compare_values(array, expected, name="the decoder input")


@checker("sequence-to-sequence.2")
def check_attention_weights(answer: Any) -> Any:
    """Masked dot-product attention weights, shape (1, 2, 4)."""
    query, keys, mask = EXERCISE_2_QUERY, EXERCISE_2_KEYS, EXERCISE_2_MASK
    _, expected = dot_product_attention(query, keys, keys, mask)
    array = as_array(answer, dtype=float, shape=expected.shape, name="the attention weights")
    if np.allclose(array, expected, atol=1e-5):
        return correct("Correct: each row sums to 1 and the padded position gets weight 0.")
    if (hint := rounding_hint(array, expected, atol=1e-5, name="the weights")) is not None:
        return wrong(hint)
    _, unmasked = dot_product_attention(query, keys, keys)
    if np.allclose(array, unmasked, atol=1e-5):
        return wrong("The last source position is padding: mask its score before the softmax.")
    scores = query @ keys.transpose(0, 2, 1)
    if np.allclose(array, scores, atol=1e-5) or np.allclose(
        array, np.where(mask[:, None, :], scores, 0), atol=1e-5
    ):
        return wrong("Those are the scores: turn them into weights with a softmax over the keys.")
    if not np.allclose(array.sum(axis=-1), 1, atol=1e-4):
        return wrong(
            "The weights of each query should sum to 1 over the source positions (the last axis)."
        )
    if np.abs(array[..., 3]).max() > 1e-6:
        return wrong("The padded position (index 3) should get weight 0.")
    return compare_values(array, expected, atol=1e-5, name="the attention weights")


def _exercise_3_scores() -> dict[str, float]:
    log_table = np.log(EXERCISE_3_TABLE)

    def model(prefixes: np.ndarray) -> np.ndarray:
        return log_table[prefixes[:, -1]]

    width, length = EXERCISE_3_BEAM_WIDTH, EXERCISE_3_MAX_LENGTH
    return {
        "beam": beam_search(model, start=0, end=1, max_length=length, beam_width=width)[0][1],
        "greedy": greedy_decode(model, start=0, end=1, max_length=length)[1],
    }


@checker("sequence-to-sequence.3")
def check_beam_log_probability(answer: Any) -> Any:
    """The log-probability of the best hypothesis of a width-2 beam on EXERCISE_3_TABLE."""
    scores = _exercise_3_scores()
    expected = scores["beam"]
    value = as_number(answer, name="the log-probability")
    if np.isclose(value, expected, atol=1e-4):
        return correct(f"Correct: start → 3 → end, log 0.45 + log 0.95 = {expected:.4f}.")
    if (hint := rounding_hint(value, expected, atol=1e-4, name="the log-probability")) is not None:
        return wrong(hint)
    if np.isclose(value, np.exp(expected), atol=1e-4):
        return wrong("That is a probability. Give its natural logarithm (a negative number).")
    if np.isclose(value, expected / np.log(10), atol=1e-4) or np.isclose(
        value, expected / np.log(2), atol=1e-4
    ):
        return wrong("Use the natural logarithm (np.log), not log10 or log2.")
    if np.isclose(value, scores["greedy"], atol=1e-4):
        return wrong(
            "That is greedy decoding's sequence (2, 2, 2, …), which never ends. The beam also "
            "keeps token 3, whose next token is almost surely the end."
        )
    if value > 0:
        return wrong("A log-probability is at most 0.")
    return wrong(
        f"{value:g} is not it. Follow two prefixes: after start, tokens 2 (0.50) and 3 (0.45); "
        "extend both and keep the two likeliest; a prefix ending with token 1 is finished."
    )


@checker("sequence-to-sequence.4")
def check_corpus_bleu(answer: Any) -> Any:
    """sacrebleu's corpus BLEU of EXERCISE_4_HYPOTHESES against EXERCISE_4_REFERENCES."""
    import sacrebleu

    hypotheses, references = EXERCISE_4_HYPOTHESES, EXERCISE_4_REFERENCES
    expected = corpus_bleu(hypotheses, references)
    value = as_number(answer, name="the BLEU score")
    if np.isclose(value, expected, atol=1e-3):
        return correct(f"Correct: corpus BLEU {expected:.2f}.")
    if (hint := rounding_hint(value, expected, atol=1e-3, name="the BLEU score")) is not None:
        return wrong(hint)
    if np.isclose(value, expected / 100, atol=1e-5):
        return wrong("That is on a 0–1 scale; sacrebleu's .score is on 0–100.")
    if np.isclose(value, corpus_bleu(references, hypotheses), atol=1e-3):
        return wrong(
            "Hypotheses and references are swapped: that scores the references against the "
            "hypotheses. The system's output comes first, then a list of reference lists: "
            "sacrebleu.corpus_bleu(hypotheses, [references])."
        )
    sentence_scores = [
        sacrebleu.sentence_bleu(h, [r]).score for h, r in zip(hypotheses, references)
    ]
    if np.isclose(value, np.mean(sentence_scores), atol=1e-3):
        return wrong(
            "That is the mean of the sentence BLEUs. Corpus BLEU pools the n-gram counts of all "
            "sentences first: sacrebleu.corpus_bleu(hypotheses, [references])."
        )
    if not 0 <= value <= 100:
        return wrong("BLEU lies between 0 and 100.")
    return wrong(
        f"{value:g} is not it. Pass all hypotheses, and the references as a list of one "
        "reference list: sacrebleu.corpus_bleu(hypotheses, [references]).score."
    )
