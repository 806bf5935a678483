"""The NumPy references in course.conv1d_reference must equal Keras's Conv1D and MaxPooling1D."""

from __future__ import annotations

import doctest
import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import keras  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
import tensorflow as tf  # noqa: E402

import course.conv1d_reference as conv1d_reference  # noqa: E402
from course.conv1d_reference import (  # noqa: E402
    conv1d,
    conv1d_loops,
    conv1d_output_length,
    max_pooling1d,
    max_pooling1d_loops,
    pooling_output_length,
    receptive_field,
    receptive_field_of,
)

TOLERANCE = 1e-5
BATCH, STEPS, CHANNELS = 3, 13, 4


def _inputs(seed: int = 0, steps: int = STEPS) -> np.ndarray:
    return np.random.default_rng(seed).normal(size=(BATCH, steps, CHANNELS)).astype("float32")


def _keras_conv(x: np.ndarray, filters: int, kernel_size: int, **options):
    """A built Keras Conv1D with random weights (bias included) and its output on ``x``."""
    layer = keras.layers.Conv1D(filters, kernel_size, **options)
    layer.build(x.shape)
    rng = np.random.default_rng(1)
    layer.set_weights([rng.normal(size=w.shape).astype("float32") for w in layer.get_weights()])
    return layer, keras.ops.convert_to_numpy(layer(x))


CONV_CASES = [
    dict(kernel_size=1),
    dict(kernel_size=3),
    dict(kernel_size=5, strides=2),
    dict(kernel_size=4, strides=3),
    dict(kernel_size=3, padding="same"),
    dict(kernel_size=4, padding="same"),
    dict(kernel_size=4, strides=2, padding="same"),
    dict(kernel_size=5, strides=3, padding="same"),
    dict(kernel_size=3, dilation_rate=2),
    dict(kernel_size=3, dilation_rate=3, padding="same"),
    dict(kernel_size=3, padding="causal"),
    dict(kernel_size=2, dilation_rate=4, padding="causal"),
    dict(kernel_size=13),
]


@pytest.mark.parametrize("options", CONV_CASES, ids=lambda options: str(options))
@pytest.mark.parametrize("implementation", [conv1d, conv1d_loops], ids=["vectorized", "loops"])
def test_conv1d_equals_keras(options, implementation):
    x = _inputs()
    options = dict(options)
    kernel_size = options.pop("kernel_size")
    layer, expected = _keras_conv(x, 5, kernel_size, **options)
    kernel, bias = layer.get_weights()
    ours = implementation(x, kernel, bias, **options)
    assert ours.shape == expected.shape
    np.testing.assert_allclose(ours, expected, rtol=0, atol=TOLERANCE)
    assert conv1d_output_length(STEPS, kernel_size, **options) == expected.shape[1]


def test_conv1d_without_bias_equals_keras():
    x = _inputs(2)
    layer, expected = _keras_conv(x, 3, 4, use_bias=False)
    (kernel,) = layer.get_weights()
    np.testing.assert_allclose(conv1d(x, kernel), expected, rtol=0, atol=TOLERANCE)
    np.testing.assert_allclose(conv1d_loops(x, kernel, None), expected, rtol=0, atol=TOLERANCE)


def test_conv1d_is_a_cross_correlation_not_a_convolution():
    """The kernel is not flipped: a kernel [1, 0, 0] picks the *first* step of each window."""
    x = np.arange(6.0).reshape(1, 6, 1)
    kernel = np.array([1.0, 0.0, 0.0]).reshape(3, 1, 1)
    np.testing.assert_array_equal(conv1d(x, kernel)[0, :, 0], [0, 1, 2, 3])
    np.testing.assert_array_equal(conv1d_loops(x, kernel)[0, :, 0], [0, 1, 2, 3])


def test_causal_output_never_sees_the_future():
    x = _inputs(3)
    kernel = np.random.default_rng(0).normal(size=(3, CHANNELS, 2))
    changed = x.copy()
    changed[:, 7:] += 10.0  # change every step from 7 on
    before, after = conv1d(x, kernel, padding="causal"), conv1d(changed, kernel, padding="causal")
    np.testing.assert_allclose(before[:, :7], after[:, :7], rtol=0, atol=1e-12)
    assert np.abs(before[:, 7:] - after[:, 7:]).min() > 0


def test_loops_and_vectorized_agree_on_random_configurations():
    rng = np.random.default_rng(5)
    for _ in range(30):
        steps, channels, filters = rng.integers(1, 15), rng.integers(1, 4), rng.integers(1, 4)
        kernel_size, strides, dilation = rng.integers(1, 5), rng.integers(1, 4), rng.integers(1, 3)
        padding = str(rng.choice(["valid", "same", "causal"]))
        x = rng.normal(size=(2, steps, channels))
        kernel, bias = rng.normal(size=(kernel_size, channels, filters)), rng.normal(size=filters)
        options = dict(strides=int(strides), padding=padding, dilation_rate=int(dilation))
        loops = conv1d_loops(x, kernel, bias, **options)
        vectorized = conv1d(x, kernel, bias, **options)
        assert loops.shape == vectorized.shape
        np.testing.assert_allclose(loops, vectorized, rtol=0, atol=1e-12)
        length = conv1d_output_length(int(steps), int(kernel_size), **options)
        assert loops.shape[1] == length


POOL_CASES = [
    dict(pool_size=2),
    dict(pool_size=3),
    dict(pool_size=3, strides=1),
    dict(pool_size=3, strides=2),
    dict(pool_size=5),
    dict(pool_size=2, padding="same"),
    dict(pool_size=3, padding="same"),
    dict(pool_size=4, strides=3, padding="same"),
    dict(pool_size=13),
]


@pytest.mark.parametrize("options", POOL_CASES, ids=lambda options: str(options))
@pytest.mark.parametrize(
    "implementation", [max_pooling1d, max_pooling1d_loops], ids=["vectorized", "loops"]
)
def test_max_pooling1d_equals_keras(options, implementation):
    x = _inputs(4)
    expected = keras.ops.convert_to_numpy(keras.layers.MaxPooling1D(**options)(x))
    ours = implementation(x, **options)
    assert ours.shape == expected.shape
    np.testing.assert_allclose(ours, expected, rtol=0, atol=TOLERANCE)
    pool_size = options["pool_size"]
    rest = {key: value for key, value in options.items() if key != "pool_size"}
    assert pooling_output_length(STEPS, pool_size, **rest) == expected.shape[1]


def test_inputs_too_short_for_one_window_give_no_steps():
    x = np.ones((2, 3, 1))
    assert conv1d(x, np.ones((5, 1, 2))).shape == (2, 0, 2)
    assert conv1d_loops(x, np.ones((5, 1, 2))).shape == (2, 0, 2)
    assert max_pooling1d(x, 4).shape == (2, 0, 1)
    assert max_pooling1d_loops(x, 4).shape == (2, 0, 1)
    assert conv1d_output_length(3, 5) == 0 and pooling_output_length(3, 4) == 0


def test_receptive_field_formula():
    assert receptive_field([]) == 1
    assert receptive_field([(7, 1)]) == 7
    assert receptive_field([(7, 1), (5, 5), (7, 1)]) == 41
    assert receptive_field([(7, 3), (7, 3)]) == 25
    assert receptive_field([(2, 1, 1), (2, 1, 2), (2, 1, 4), (2, 1, 8)]) == 16


def _measured_receptive_field(model: keras.Model, steps: int, channels: int) -> int:
    """Input steps on which the middle output step depends, found with the gradient."""
    x = tf.convert_to_tensor(np.random.default_rng(0).normal(size=(1, steps, channels)))
    x = tf.cast(x, "float32")
    with tf.GradientTape() as tape:
        tape.watch(x)
        output = model(x)
        middle = output[0, output.shape[1] // 2, :]
        total = tf.reduce_sum(middle)
    gradient = tape.gradient(total, x).numpy()[0]
    touched = np.flatnonzero(np.abs(gradient).sum(axis=1) > 0)
    return int(touched.max() - touched.min() + 1)


@pytest.mark.parametrize(
    "layers",
    [
        [keras.layers.Conv1D(4, 7)],
        [keras.layers.Conv1D(4, 7), keras.layers.AveragePooling1D(5), keras.layers.Conv1D(4, 7)],
        [keras.layers.Conv1D(4, 7, strides=3), keras.layers.Conv1D(4, 7, strides=3)],
        [keras.layers.Conv1D(4, 3, dilation_rate=d) for d in (1, 2, 4)],
    ],
    ids=["one conv", "conv-pool-conv", "strided convs", "dilated convs"],
)
def test_receptive_field_of_keras_layers_matches_the_gradient(layers):
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input((200, 2)), *layers])
    assert receptive_field_of(model.layers) == _measured_receptive_field(model, 200, 2)


def test_receptive_field_of_stops_at_global_pooling_and_skips_other_layers():
    layers = [
        keras.layers.Embedding(10, 4),
        keras.layers.Conv1D(4, 7),
        keras.layers.MaxPooling1D(5),
        keras.layers.Dropout(0.5),
        keras.layers.Conv1D(4, 7),
        keras.layers.GlobalMaxPooling1D(),
        keras.layers.Conv1D(4, 99),
    ]
    assert receptive_field_of(layers) == 41


def test_receptive_field_of_refuses_recurrent_layers():
    with pytest.raises(ValueError, match="no finite receptive field"):
        receptive_field_of([keras.layers.Conv1D(4, 3), keras.layers.GRU(4)])


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: conv1d(np.ones((5, 2)), np.ones((3, 2, 1))), r"inputs\[np.newaxis\]"),
        (lambda: conv1d(np.ones((1, 5, 2)), np.ones((3, 2))), "kernel must have shape"),
        (lambda: conv1d(np.ones((1, 5, 2)), np.ones((3, 3, 1))), "reads 3 channel"),
        (lambda: conv1d(np.ones((1, 5, 2)), np.ones((3, 2, 4)), np.ones(3)), "bias must have"),
        (lambda: conv1d(np.ones((1, 5, 2)), np.ones((3, 2, 4)), padding="full"), "padding must"),
        (lambda: conv1d_loops(np.ones((1, 5, 2)), np.ones((3, 2, 4)), strides=0), "at least 1"),
        (lambda: conv1d(np.ones((1, 5, 2)), np.ones((3, 2, 4)), strides=1.5), "whole number"),
        (lambda: max_pooling1d(np.ones((1, 5, 2)), 2, padding="causal"), "padding must"),
        (lambda: max_pooling1d_loops(np.ones((1, 5, 2)), 0), "pool_size must be at least 1"),
        (lambda: conv1d_output_length(10, 3, dilation_rate=True), "whole number"),
        (lambda: receptive_field([(3,)]), r"give \(window, strides\)"),
        (lambda: receptive_field([(3, 0)]), "strides of layer 0"),
    ],
)
def test_errors_say_what_to_fix(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_every_computation_is_float64():
    x = _inputs().astype("float16")
    assert conv1d(x, np.ones((3, CHANNELS, 2), dtype="float32")).dtype == np.float64
    assert max_pooling1d_loops(x, 2).dtype == np.float64


def test_doctests():
    result = doctest.testmod(conv1d_reference, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 10 and result.failed == 0
