"""Chapter 10's checkers: right answers pass, wrong ones say what is wrong."""

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import keras
import numpy as np
import pytest
import tensorflow as tf

from course.conv2d_reference import conv2d
from course.exercises import check
from course.exercises.convnets_for_images import (
    EXERCISE_3_BIAS,
    EXERCISE_3_KERNEL,
    EXERCISE_3_X,
    EXERCISE_4_IMAGES,
    conv_variants,
    expected_shapes,
    quadrant_variants,
)

# Exercise 1 ----------------------------------------------------------------------

RIGHT_1 = [(32, 26, 26, 32), (32, 13, 13, 32), (32, 11, 11, 64), (32, 5, 5, 64)]


def test_exercise_1_agrees_with_keras():
    x = np.zeros((32, 28, 28, 1), dtype="float32")
    shapes = []
    for layer in [
        keras.layers.Conv2D(32, 3),
        keras.layers.MaxPooling2D(2),
        keras.layers.Conv2D(64, 3),
        keras.layers.MaxPooling2D(2),
    ]:
        x = layer(x)
        shapes.append(tuple(x.shape))
    assert shapes == RIGHT_1 == expected_shapes()
    assert check("convnets-for-images.1", shapes)


def test_exercise_1_accepts_other_forms():
    assert check("convnets-for-images.1", [list(shape) for shape in RIGHT_1])
    assert check("convnets-for-images.1", [(None, *shape[1:]) for shape in RIGHT_1])
    assert check("convnets-for-images.1", [tf.TensorShape(shape) for shape in RIGHT_1])
    assert check("convnets-for-images.1", tuple(np.array(shape) for shape in RIGHT_1))


@pytest.mark.parametrize(
    "form",
    [np.array, lambda shapes: np.array(shapes, dtype="float32"), tf.constant],
    ids=["int array", "float array", "tensor"],
)
def test_exercise_1_accepts_the_shapes_as_one_array(form):
    assert check("convnets-for-images.1", form(RIGHT_1))


@pytest.mark.parametrize(
    "answer, message",
    [
        (
            np.array([(32, 26, 26, 32), (32, 14, 14, 32), (32, 12, 12, 64), (32, 6, 6, 64)]),
            "round down",
        ),
        (np.array((32, 5, 5, 64)), "That looks like a single shape"),
        (np.array(RIGHT_1)[:-1], "in all; got"),
        (np.array(RIGHT_1).T, "Work it out layer by layer"),
        (np.array(RIGHT_1)[None], "one row per layer"),
        (np.array(RIGHT_1) + 0.5, "fractional part"),
    ],
    ids=["wrong steps", "single shape", "too few", "transposed", "3-d", "fractions"],
)
def test_exercise_1_still_refuses_wrong_shapes_given_as_an_array(answer, message):
    feedback = check("convnets-for-images.1", answer)
    assert not feedback
    assert message in feedback.message, feedback.message


@pytest.mark.parametrize(
    "answer, message",
    [
        (None, "got None"),
        ("shapes", "got the string 'shapes'"),
        ((32, 5, 5, 64), "That looks like a single shape"),
        (RIGHT_1[:3], "4 in all; got 3"),
        ([(32, 28, 28, 32), (32, 14, 14, 32), (32, 14, 14, 64), (32, 7, 7, 64)], "'valid'"),
        ([(32, 26, 26, 32), (32, 14, 14, 32), (32, 12, 12, 64), (32, 6, 6, 64)], "round down"),
        ([(32, 26, 26, 32), (32, 26, 26, 32), (32, 24, 24, 64), (32, 12, 12, 64)], "divides"),
        ([(32, 26, 26, 1), (32, 13, 13, 1), (32, 11, 11, 64), (32, 5, 5, 64)], "filters, 32"),
        ([(32, 26, 26, 32), (32, 13, 13, 32), (32, 11, 11, 32), (32, 5, 5, 32)], "filters, 64"),
        ([(32, 26, 26, 32), (32, 13, 13, 32), (32, 11, 11, 64), (32, 25, 64)], "four sizes"),
        ([(32, 26, 26, 32), (32, 13, 12, 32), (32, 11, 11, 64), (32, 5, 5, 64)], "square"),
        ([(32, 26, 26, 32), (32, 13, 13, 32), (32, 10, 10, 64), (32, 5, 5, 64)], "layer by"),
        ([(32, 26, 26, 32), (32, 13.5, 13, 32), (32, 11, 11, 64), (32, 5, 5, 64)], "fraction"),
    ],
)
def test_exercise_1_feedback(answer, message):
    feedback = check("convnets-for-images.1", answer)
    assert not feedback
    assert message in feedback.message


# Exercise 2 ----------------------------------------------------------------------


def test_exercise_2_right_answers_agree_with_keras():
    layer = keras.layers.Conv2D(64, 3)
    layer.build((None, 13, 13, 32))
    assert layer.count_params() == 18_496
    assert check("convnets-for-images.2", layer.count_params())
    assert check("convnets-for-images.2", np.float64(18_496.0))
    assert check("convnets-for-images.2", [18_496])


@pytest.mark.parametrize(
    "answer, message",
    [
        (18_432, "biases are missing"),
        (640, "spans every input channel"),
        (289, "That is one filter"),
        (18_464, "not per input channel"),
        (6_208, "square"),
        (12_345, "is not it"),
        ("18496", "without quotes"),
        (18_496.5, "fractional part"),
        (None, "got None"),
    ],
)
def test_exercise_2_feedback(answer, message):
    feedback = check("convnets-for-images.2", answer)
    assert not feedback
    assert message in feedback.message


# Exercise 3 ----------------------------------------------------------------------

RIGHT_3 = conv2d(EXERCISE_3_X, EXERCISE_3_KERNEL, EXERCISE_3_BIAS, strides=2, padding="same")


def test_exercise_3_accepts_keras_and_other_forms():
    layer = keras.layers.Conv2D(2, 3, strides=2, padding="same")
    layer.build(EXERCISE_3_X.shape)
    layer.set_weights([EXERCISE_3_KERNEL, EXERCISE_3_BIAS])
    keras_output = keras.ops.convert_to_numpy(layer(EXERCISE_3_X.astype("float32")))
    assert check("convnets-for-images.3", keras_output)  # float32
    assert check("convnets-for-images.3", RIGHT_3.tolist())
    assert check("convnets-for-images.3", RIGHT_3[0])  # without the batch axis
    assert check("convnets-for-images.3", tf.constant(RIGHT_3))


def test_exercise_3_mistakes_differ_from_the_answer():
    for name, variant in conv_variants().items():
        assert variant.shape == RIGHT_3.shape, name
        assert not np.allclose(variant, RIGHT_3, atol=1e-6), name


@pytest.mark.parametrize(
    "variant, message",
    [
        ("flipped", "flipped the kernel"),
        ("no_bias", "bias is missing"),
        ("padding_front", "wrong place"),
        ("valid_stride_1", "'valid' at stride 1"),
        ("transposed", "Rows and columns are swapped"),
    ],
)
def test_exercise_3_recognises_common_mistakes(variant, message):
    feedback = check("convnets-for-images.3", conv_variants()[variant])
    assert not feedback
    assert message in feedback.message


@pytest.mark.parametrize(
    "answer, message",
    [
        ("output", "string"),
        (conv2d(EXERCISE_3_X, EXERCISE_3_KERNEL, EXERCISE_3_BIAS, strides=2), "padding='valid'"),
        (conv2d(EXERCISE_3_X, EXERCISE_3_KERNEL, EXERCISE_3_BIAS, padding="same"), "stride 1"),
        (np.transpose(RIGHT_3, (0, 3, 1, 2)), "filters last"),
        (RIGHT_3.round(2), "Keep more digits"),
        (RIGHT_3 + 0.5, "differs from the expected values"),
        (np.where(RIGHT_3 > 0, np.nan, RIGHT_3), "NaN"),
    ],
)
def test_exercise_3_feedback(answer, message):
    feedback = check("convnets-for-images.3", answer)
    assert not feedback
    assert message in feedback.message


# Exercise 4 ----------------------------------------------------------------------


def _chapter_quadrants(grids):
    """The chapter's own function, on (n, 28, 28, 1) grids."""
    blocks = grids.reshape(len(grids), 2, 14, 2, 14, 1)
    return blocks.transpose(0, 1, 3, 2, 4, 5).reshape(len(grids), 4, 14, 14, 1)


RIGHT_4 = _chapter_quadrants(EXERCISE_4_IMAGES[..., np.newaxis])[..., 0]


def test_exercise_4_accepts_the_chapter_function_and_other_forms():
    assert check("convnets-for-images.4", RIGHT_4)
    assert check("convnets-for-images.4", _chapter_quadrants(EXERCISE_4_IMAGES[..., None]))
    assert check("convnets-for-images.4", RIGHT_4.astype("float32").tolist())
    assert check("convnets-for-images.4", tf.constant(RIGHT_4))
    np.testing.assert_array_equal(RIGHT_4[:, 1], EXERCISE_4_IMAGES[:, :14, 14:])


def test_exercise_4_mistakes_differ_from_the_answer():
    for name, variant in quadrant_variants().items():
        assert variant.shape == RIGHT_4.shape, name
        assert not np.allclose(variant, RIGHT_4), name


@pytest.mark.parametrize(
    "answer, message",
    [
        (quadrant_variants()["column_order"], "column by column"),
        (quadrant_variants()["plain_reshape"], "horizontal strips"),
        (quadrant_variants()["transposed"], "transposed"),
        (RIGHT_4.transpose(1, 0, 2, 3), "images first"),
        (RIGHT_4.reshape(3, 2, 2, 14, 14), "Merge the two 2s"),
        (RIGHT_4[:, :3], "should have shape (3, 4, 14, 14)"),
        (RIGHT_4[:, [0, 1, 3, 2]], "Quadrant 2 should be the bottom left"),
        ("quadrants", "string"),
    ],
)
def test_exercise_4_feedback(answer, message):
    feedback = check("convnets-for-images.4", answer)
    assert not feedback
    assert message in feedback.message
