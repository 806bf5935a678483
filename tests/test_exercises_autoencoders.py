"""Chapter 11's checkers: right answers pass, wrong ones say what is wrong."""

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np
import pytest
import tensorflow as tf

from course.autoencoders import vae_loss_terms
from course.exercises import check
from course.exercises.autoencoders import (
    EXERCISE_1_CODE_SIZE,
    EXERCISE_2_CODE_SIZE,
    EXERCISE_3_Z_LOG_VAR,
    EXERCISE_3_Z_MEAN,
    EXERCISE_4_EPSILON,
    EXERCISE_4_Z_LOG_VAR,
    EXERCISE_4_Z_MEAN,
    _kl_mistakes,
    _sampling_mistakes,
)

# Exercise 1: compression ratio -------------------------------------------------------

RIGHT_1 = 784 / EXERCISE_1_CODE_SIZE


@pytest.mark.parametrize(
    "answer",
    [RIGHT_1, np.float32(RIGHT_1), [RIGHT_1], tf.constant(RIGHT_1), np.array(RIGHT_1)],
    ids=["float", "np.float32", "one-item list", "tensor", "0-d array"],
)
def test_exercise_1_accepts_the_ratio_in_any_numeric_form(answer):
    assert check("autoencoders.1", answer)


@pytest.mark.parametrize(
    "answer, message",
    [
        (EXERCISE_1_CODE_SIZE / 784, "the inverse"),
        (28 / EXERCISE_1_CODE_SIZE, "28 × 28 pixels"),
        (784 - EXERCISE_1_CODE_SIZE, "That is a difference"),
        (39, "is not it"),
        (RIGHT_1 + 0.01, "is not it"),
        (12.25, "is not it"),
        ("39.2", "without quotes"),
        (None, "None"),
        (float("nan"), "NaN"),
    ],
)
def test_exercise_1_feedback(answer, message):
    feedback = check("autoencoders.1", answer)
    assert not feedback
    assert message in feedback.message


# Exercise 2: parameter count -------------------------------------------------------


def _count(sizes):
    return sum(a * b + b for a, b in zip(sizes, sizes[1:]))


SIZES_2 = [784, 512, 256, EXERCISE_2_CODE_SIZE, 256, 512, 784]
RIGHT_2 = _count(SIZES_2)


def test_exercise_2_agrees_with_keras_and_accepts_numeric_forms():
    import keras

    model = keras.Sequential([keras.Input((784,))] + [keras.layers.Dense(n) for n in SIZES_2[1:]])
    assert check("autoencoders.2", model.count_params())
    assert check("autoencoders.2", float(RIGHT_2))
    assert check("autoencoders.2", np.int64(RIGHT_2))


@pytest.mark.parametrize(
    "answer, message",
    [
        (sum(a * b for a, b in zip(SIZES_2, SIZES_2[1:])), "left out the biases"),
        (_count(SIZES_2[:4]), "encoder alone"),
        (_count(SIZES_2[3:]), "decoder alone"),
        (_count(SIZES_2) - _count([256, EXERCISE_2_CODE_SIZE, 256]), "around the code"),
        (_count([784, 512, 256, 64, 256, 512, 784]), "is not it"),
        (RIGHT_2 + 0.5, "fractional part"),
        ("1075488", "without quotes"),
    ],
)
def test_exercise_2_feedback(answer, message):
    feedback = check("autoencoders.2", answer)
    assert not feedback
    assert message in feedback.message


# Exercise 3: KL per image ----------------------------------------------------------

RIGHT_3 = vae_loss_terms(
    np.zeros((3, 1)), np.full((3, 1), 0.5), EXERCISE_3_Z_MEAN, EXERCISE_3_Z_LOG_VAR
)[1]


def test_exercise_3_accepts_the_reference_in_several_forms():
    import keras

    mean, log_var = EXERCISE_3_Z_MEAN, EXERCISE_3_Z_LOG_VAR
    per_dimension = 1 + log_var - keras.ops.square(mean) - keras.ops.exp(log_var)
    assert check("autoencoders.3", -0.5 * keras.ops.sum(per_dimension, axis=1))  # a tensor
    assert check("autoencoders.3", RIGHT_3)
    assert check("autoencoders.3", RIGHT_3.astype("float32").tolist())


def test_exercise_3_mistakes_differ_from_the_answer():
    for name, variant in _kl_mistakes().items():
        assert not np.allclose(variant, RIGHT_3, rtol=1e-5), name


@pytest.mark.parametrize(
    "variant, message",
    [
        ("variance_as_log", "already log σ²"),
        ("no_half", "factor ½"),
        ("mean_over_dimensions", "do not average"),
        ("sign", "never negative"),
        ("std_not_variance", "not the standard deviation"),
    ],
)
def test_exercise_3_recognises_common_mistakes(variant, message):
    feedback = check("autoencoders.3", _kl_mistakes()[variant])
    assert not feedback
    assert message in feedback.message


@pytest.mark.parametrize(
    "answer, message",
    [
        (RIGHT_3.mean(), "batch average"),
        (RIGHT_3.sum(), "sum over the batch"),
        (np.zeros((3, 2)), "one value per latent dimension"),
        (np.zeros(4), "shape (3,)"),
        (RIGHT_3.round(3), "Keep more digits"),
        (RIGHT_3 + np.array([0, 0, 0.5]), "index (2,)"),
        ("kl", "string"),
    ],
)
def test_exercise_3_feedback(answer, message):
    feedback = check("autoencoders.3", answer)
    assert not feedback
    assert message in feedback.message


# Exercise 4: reparameterization -----------------------------------------------------

RIGHT_4 = EXERCISE_4_Z_MEAN + np.exp(0.5 * EXERCISE_4_Z_LOG_VAR) * EXERCISE_4_EPSILON


def test_exercise_4_accepts_numpy_keras_and_lists():
    import keras

    sigma = keras.ops.exp(0.5 * keras.ops.convert_to_tensor(EXERCISE_4_Z_LOG_VAR))
    assert check("autoencoders.4", EXERCISE_4_Z_MEAN + sigma * EXERCISE_4_EPSILON)
    assert check("autoencoders.4", RIGHT_4)
    assert check("autoencoders.4", RIGHT_4.tolist())
    sqrt_of_variance = np.sqrt(np.exp(EXERCISE_4_Z_LOG_VAR))
    assert check("autoencoders.4", EXERCISE_4_Z_MEAN + sqrt_of_variance * EXERCISE_4_EPSILON)


def test_exercise_4_mistakes_differ_from_the_answer():
    for name, variant in _sampling_mistakes().items():
        assert not np.allclose(variant, RIGHT_4, rtol=1e-5), name


@pytest.mark.parametrize(
    "variant, message",
    [
        ("variance", "is the variance σ²"),
        ("log_var_as_std", "is log σ², not σ"),
        ("sqrt_of_log_var", "not of its log"),
        ("no_mean", "Add the mean"),
        ("only_mean", "the mean alone"),
    ],
)
def test_exercise_4_recognises_common_mistakes(variant, message):
    feedback = check("autoencoders.4", _sampling_mistakes()[variant])
    assert not feedback
    assert message in feedback.message


@pytest.mark.parametrize(
    "answer, message",
    [
        (RIGHT_4.T, "transpose"),
        (RIGHT_4[0], "shape (4, 2)"),
        (RIGHT_4.round(1), "Keep more digits"),
        (RIGHT_4 + np.array([[0, 0], [0, 0], [0, 0.3], [0, 0]]), "index (2, 1)"),
        (None, "None"),
        (np.where(RIGHT_4 > 0, np.inf, RIGHT_4), "inf"),
    ],
)
def test_exercise_4_feedback(answer, message):
    feedback = check("autoencoders.4", answer)
    assert not feedback
    assert message in feedback.message
