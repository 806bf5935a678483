"""Chapter 4's checkers: right answers pass, wrong ones say what is wrong."""

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np
import pytest
import tensorflow as tf

from course.exercises import check
from course.exercises.recurrent_networks import (
    EXERCISE_1_FEATURES,
    EXERCISE_1_UNITS,
    EXERCISE_2_BIAS,
    EXERCISE_2_H,
    EXERCISE_2_KERNEL,
    EXERCISE_2_RECURRENT_KERNEL,
    EXERCISE_2_X,
    _gru_variants,
)
from course.rnn_reference import gru_step

# Exercise 1 ----------------------------------------------------------------------

F, U = EXERCISE_1_FEATURES, EXERCISE_1_UNITS
RIGHT_1 = 4 * (F * U + U * U + U)


@pytest.mark.parametrize(
    "answer",
    [
        RIGHT_1,
        np.int64(RIGHT_1),
        float(RIGHT_1),
        np.array(RIGHT_1),
        [RIGHT_1],
        tf.constant(RIGHT_1),
        np.float32(RIGHT_1),
    ],
    ids=["int", "np.int64", "float", "0-d array", "one-item list", "tensor", "np.float32"],
)
def test_exercise_1_accepts_whole_numbers(answer):
    assert check("recurrent-networks.1", answer)


def test_exercise_1_agrees_with_keras():
    import keras

    layer = keras.layers.LSTM(U)
    layer.build((None, None, F))
    assert check("recurrent-networks.1", layer.count_params())


@pytest.mark.parametrize(
    "answer, message",
    [
        ("29440", "without quotes"),
        (True, "boolean"),
        (RIGHT_1 + 0.5, "fractional part"),
        (float("nan"), "NaN"),
        ([RIGHT_1, RIGHT_1], "a list of 2 items"),
        (F * U + U * U + U, "That is one block"),
        (4 * (F * U + U * U), "left out the biases"),
        (4 * (F * U + U), "left out the recurrent kernel"),
        (4 * (U * U + U), "left out the input kernel"),
        (3 * (F * U + U * U + 2 * U), "GRU with reset_after=True"),
        (3 * (F * U + U * U + U), "classic GRU"),
        (4 * ((F + 1) * U + (U + 1) * U), "one bias per block"),
        (12345, "is not it"),
    ],
)
def test_exercise_1_feedback(answer, message):
    feedback = check("recurrent-networks.1", answer)
    assert not feedback
    assert message in feedback.message


# Exercise 2 ----------------------------------------------------------------------

RIGHT_2 = gru_step(
    EXERCISE_2_X, EXERCISE_2_H, EXERCISE_2_KERNEL, EXERCISE_2_RECURRENT_KERNEL, EXERCISE_2_BIAS
)


def test_exercise_2_accepts_the_keras_gru():
    import keras

    layer = keras.layers.GRU(4)
    layer.build((None, 1, 3))
    layer.set_weights([EXERCISE_2_KERNEL, EXERCISE_2_RECURRENT_KERNEL, EXERCISE_2_BIAS])
    output = keras.ops.convert_to_numpy(
        layer(
            EXERCISE_2_X[:, None, :].astype("float32"),
            initial_state=EXERCISE_2_H.astype("float32"),
        )
    )
    assert check("recurrent-networks.2", output)  # float32
    assert check("recurrent-networks.2", RIGHT_2)
    assert check("recurrent-networks.2", RIGHT_2.tolist())
    assert check("recurrent-networks.2", tf.constant(RIGHT_2))


def test_exercise_2_mistakes_are_all_different_from_the_answer():
    for name, variant in _gru_variants().items():
        assert not np.allclose(variant, RIGHT_2, atol=1e-6), name


@pytest.mark.parametrize(
    "variant, message",
    [
        ("swapped_update", "swapped the roles of z and 1 - z"),
        ("reset_before", "reset_after=False"),
        ("candidate_only", "That is the candidate"),
        ("no_reset", "The reset gate is missing"),
        ("swapped_gate_order", "wrong order"),
    ],
)
def test_exercise_2_recognises_common_mistakes(variant, message):
    feedback = check("recurrent-networks.2", _gru_variants()[variant])
    assert not feedback
    assert message in feedback.message


@pytest.mark.parametrize(
    "answer, message",
    [
        ("h", "string"),
        (np.zeros((2, 12)), "np.split"),
        (RIGHT_2[0], "Keep the batch axis"),
        (np.zeros((3, 4)), "shape (batch, units) = (2, 4)"),
        (RIGHT_2 * 5, "within [-1, 1]"),
        (RIGHT_2 + np.array([[0, 0, 0, 0.1], [0, 0, 0, 0]]), "index (0, 3)"),
        (np.ones((2, 4), dtype=int), "differs from the expected values"),
        (RIGHT_2.round(3), "Keep more digits"),
        (RIGHT_2.T, "transpose"),
        (np.where(RIGHT_2 > 0, np.nan, RIGHT_2), "NaN"),
    ],
)
def test_exercise_2_feedback(answer, message):
    feedback = check("recurrent-networks.2", answer)
    assert not feedback
    assert message in feedback.message


# Exercise 3 ----------------------------------------------------------------------

RIGHT_3 = [(32, 40, 16), (32, 40, 8), (32, 4)]


def test_exercise_3_accepts_tuples_lists_and_a_symbolic_batch():
    assert check("recurrent-networks.3", RIGHT_3)
    assert check("recurrent-networks.3", [list(shape) for shape in RIGHT_3])
    assert check("recurrent-networks.3", [(None, 40, 16), (None, 40, 8), (None, 4)])
    assert check("recurrent-networks.3", [tf.TensorShape(shape) for shape in RIGHT_3])
    assert check("recurrent-networks.3", tuple(np.array(shape) for shape in RIGHT_3))
    assert check("recurrent-networks.3", [(32.0, 40.0, 16.0), (32, 40, 8), (32, 4)])


@pytest.mark.parametrize(
    "answer, message",
    [
        (5, "got the number 5"),
        ((32, 4), "3 in all; got 2. That looks like a single shape"),
        ("shapes", "got the string 'shapes'"),
        (
            [(32, 40, 16.7), (32, 40, 8), (32, 4)],
            "size 3 of the SimpleRNN shape to be a whole number, got 16.7",
        ),
        ([(32, 40, 16), (32, 40, 8), (32, 4.2)], "fractional part"),
        ([(32, 40, 16), (32, 40, 8), (32, "4")], "without quotes"),
        ([(32, 40, 16), (32, 40, -8), (32, 4)], "cannot be negative"),
        (None, "got None"),
        (RIGHT_3[:2], "3 in all; got 2"),
        ([(32, 16), (32, 40, 8), (32, 4)], "SimpleRNN(16) has return_sequences=True"),
        ([(32, 40, 16), (32, 8), (32, 4)], "LSTM(8) has return_sequences=True"),
        ([(32, 40, 16), (32, 40, 8), (32, 40, 4)], "GRU(4) has return_sequences=False"),
        ([(32, 40, 8), (32, 40, 8), (32, 4)], "number of units, 16"),
        ([(32, 40, 16), (32, 40, 8), "a shape"], "tuple of sizes"),
        ([(32, 8, 16), (32, 40, 8), (32, 4)], "Think about batch, timesteps and units"),
    ],
)
def test_exercise_3_feedback(answer, message):
    feedback = check("recurrent-networks.3", answer)
    assert not feedback
    assert message in feedback.message
