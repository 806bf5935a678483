"""Chapter 6's checkers: right answers pass, wrong ones say what is wrong."""

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import keras
import numpy as np
import pytest
import tensorflow as tf

from course.conv1d_reference import conv1d, max_pooling1d
from course.exercises import check
from course.exercises.convnets_for_sequences import (
    EXERCISE_3_BIAS,
    EXERCISE_3_KERNEL,
    EXERCISE_3_X,
    EXERCISE_4_X,
    conv_variants,
    pooling_variants,
)

# Exercise 1 ----------------------------------------------------------------------

RIGHT_1 = [(32, 494, 32), (32, 98, 32), (32, 92, 16)]


def test_exercise_1_agrees_with_keras():
    x = np.zeros((32, 500, 64), dtype="float32")
    shapes = []
    for layer in [
        keras.layers.Conv1D(32, 7),
        keras.layers.MaxPooling1D(5),
        keras.layers.Conv1D(16, 7),
    ]:
        x = layer(x)
        shapes.append(tuple(x.shape))
    assert shapes == RIGHT_1
    assert check("convnets-for-sequences.1", shapes)


def test_exercise_1_accepts_other_forms():
    assert check("convnets-for-sequences.1", [list(shape) for shape in RIGHT_1])
    assert check("convnets-for-sequences.1", [(None, 494, 32), (None, 98, 32), (None, 92, 16)])
    assert check("convnets-for-sequences.1", [tf.TensorShape(shape) for shape in RIGHT_1])
    assert check("convnets-for-sequences.1", tuple(np.array(shape) for shape in RIGHT_1))


@pytest.mark.parametrize(
    "form",
    [np.array, lambda shapes: np.array(shapes, dtype="float32"), tf.constant],
    ids=["int array", "float array", "tensor"],
)
def test_exercise_1_accepts_the_shapes_as_one_array(form):
    assert check("convnets-for-sequences.1", form(RIGHT_1))


@pytest.mark.parametrize(
    "answer, message",
    [
        (np.array([(32, 494, 32), (32, 99, 32), (32, 93, 16)]), "round down"),
        (np.array((32, 92, 16)), "That looks like a single shape"),
        (np.array(RIGHT_1)[:-1], "in all; got"),
        (np.array(RIGHT_1).T, "Work it out layer by layer"),
        (np.array(RIGHT_1)[None], "one row per layer"),
        (np.array(RIGHT_1) + 0.5, "fractional part"),
    ],
    ids=["wrong steps", "single shape", "too few", "transposed", "3-d", "fractions"],
)
def test_exercise_1_still_refuses_wrong_shapes_given_as_an_array(answer, message):
    feedback = check("convnets-for-sequences.1", answer)
    assert not feedback
    assert message in feedback.message, feedback.message


@pytest.mark.parametrize(
    "answer, message",
    [
        (None, "got None"),
        ("shapes", "got the string 'shapes'"),
        ((32, 92, 16), "That looks like a single shape"),
        (RIGHT_1[:2], "3 in all; got 2"),
        ([(32, 500, 32), (32, 100, 32), (32, 100, 16)], "padding='valid'"),
        ([(32, 494, 32), (32, 99, 32), (32, 93, 16)], "round down"),
        ([(32, 494, 32), (32, 494, 32), (32, 488, 16)], "divides the number of steps"),
        ([(32, 494, 64), (32, 98, 64), (32, 92, 16)], "number of filters, 32"),
        ([(32, 494, 32), (32, 98, 32), (32, 92, 32)], "number of filters, 16"),
        ([(32, 494, 32), (32, 98, 32), (32, 16)], "three sizes"),
        ([(32, 494, 32), (32, 98, 32), (32, 90, 16)], "Work it out layer by layer"),
        ([(32, 494, 32), (32, 98, 32), (32, 92.5, 16)], "fractional part"),
    ],
)
def test_exercise_1_feedback(answer, message):
    feedback = check("convnets-for-sequences.1", answer)
    assert not feedback
    assert message in feedback.message


# Exercise 2 ----------------------------------------------------------------------


def test_exercise_2_right_answers_and_the_gradient_agree():
    keras.utils.set_random_seed(0)
    model = keras.Sequential(
        [
            keras.Input((300, 1)),
            keras.layers.Conv1D(2, 5),
            keras.layers.AveragePooling1D(3),
            keras.layers.Conv1D(2, 5),
            keras.layers.AveragePooling1D(3),
            keras.layers.Conv1D(2, 5),
        ]
    )
    x = tf.constant(np.random.default_rng(0).normal(size=(1, 300, 1)), dtype="float32")
    with tf.GradientTape() as tape:
        tape.watch(x)
        total = tf.reduce_sum(model(x)[0, 10])
    touched = np.flatnonzero(np.abs(tape.gradient(total, x).numpy()[0, :, 0]) > 0)
    measured = int(touched.max() - touched.min() + 1)
    assert check("convnets-for-sequences.2", measured)
    assert check("convnets-for-sequences.2", 61)
    assert check("convnets-for-sequences.2", np.float64(61.0))
    assert check("convnets-for-sequences.2", [61])


@pytest.mark.parametrize(
    "answer, message",
    [
        ("61", "without quotes"),
        (61.5, "fractional part"),
        (17, "as if all were on the input"),
        (21, "do not simply add up"),
        (1125, "Multiplying the windows"),
        (60, "Off by one"),
        (62, "Off by one"),
        (100, "is not it"),
        (None, "got None"),
    ],
)
def test_exercise_2_feedback(answer, message):
    feedback = check("convnets-for-sequences.2", answer)
    assert not feedback
    assert message in feedback.message


# Exercise 3 ----------------------------------------------------------------------

RIGHT_3 = conv1d(EXERCISE_3_X, EXERCISE_3_KERNEL, EXERCISE_3_BIAS, strides=2, padding="same")


def test_exercise_3_accepts_keras_and_other_forms():
    layer = keras.layers.Conv1D(3, 4, strides=2, padding="same")
    layer.build(EXERCISE_3_X.shape)
    layer.set_weights([EXERCISE_3_KERNEL, EXERCISE_3_BIAS])
    keras_output = keras.ops.convert_to_numpy(layer(EXERCISE_3_X.astype("float32")))
    assert check("convnets-for-sequences.3", keras_output)  # float32
    assert check("convnets-for-sequences.3", RIGHT_3.tolist())
    assert check("convnets-for-sequences.3", RIGHT_3[0])  # without the batch axis
    assert check("convnets-for-sequences.3", tf.constant(RIGHT_3))


def test_exercise_3_mistakes_differ_from_the_answer():
    for name, variant in conv_variants().items():
        assert variant.shape == RIGHT_3.shape, name
        assert not np.allclose(variant, RIGHT_3, atol=1e-6), name


@pytest.mark.parametrize(
    "variant, message",
    [
        ("flipped", "flipped the kernel"),
        ("no_bias", "bias is missing"),
        ("padding_front", "wrong side"),
        ("causal", "padding='causal'"),
    ],
)
def test_exercise_3_recognises_common_mistakes(variant, message):
    feedback = check("convnets-for-sequences.3", conv_variants()[variant])
    assert not feedback
    assert message in feedback.message


@pytest.mark.parametrize(
    "answer, message",
    [
        ("output", "string"),
        (conv1d(EXERCISE_3_X, EXERCISE_3_KERNEL, EXERCISE_3_BIAS, strides=2), "padding='valid'"),
        (conv1d(EXERCISE_3_X, EXERCISE_3_KERNEL, EXERCISE_3_BIAS, padding="same"), "stride 1"),
        (np.transpose(RIGHT_3, (0, 2, 1)), "steps before filters"),
        (RIGHT_3.round(2), "Keep more digits"),
        (RIGHT_3 + 0.5, "differs from the expected values"),
        (np.where(RIGHT_3 > 0, np.nan, RIGHT_3), "NaN"),
    ],
)
def test_exercise_3_feedback(answer, message):
    feedback = check("convnets-for-sequences.3", answer)
    assert not feedback
    assert message in feedback.message


# Exercise 4 ----------------------------------------------------------------------

RIGHT_4 = max_pooling1d(EXERCISE_4_X, 3, strides=2)


def test_exercise_4_accepts_keras_and_other_forms():
    pooled = keras.layers.MaxPooling1D(3, strides=2)(EXERCISE_4_X.astype("float32"))
    assert check("convnets-for-sequences.4", keras.ops.convert_to_numpy(pooled))
    assert check("convnets-for-sequences.4", RIGHT_4.tolist())
    assert check("convnets-for-sequences.4", RIGHT_4[0])
    assert check("convnets-for-sequences.4", tf.constant(RIGHT_4))


def test_exercise_4_mistakes_differ_from_the_answer():
    for name, variant in pooling_variants().items():
        assert not np.allclose(variant, RIGHT_4, atol=1e-6), name


@pytest.mark.parametrize(
    "answer, message",
    [
        (pooling_variants()["average"], "average pooling"),
        (pooling_variants()["minimum"], "smallest value"),
        (pooling_variants()["absolute"], "absolute values"),
        (max_pooling1d(EXERCISE_4_X, 3), "strides=3"),
        (max_pooling1d(EXERCISE_4_X, 3, strides=2, padding="same"), "padding='same'"),
        (max_pooling1d(EXERCISE_4_X, 3, strides=1), "stride 1"),
        (RIGHT_4.max(axis=2, keepdims=True), "Pool each channel separately"),
        (RIGHT_4 - 1, "differs from the expected values"),
        (None, "got None"),
    ],
)
def test_exercise_4_feedback(answer, message):
    feedback = check("convnets-for-sequences.4", answer)
    assert not feedback
    assert message in feedback.message
