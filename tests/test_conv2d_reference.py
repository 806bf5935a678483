"""The NumPy references in course.conv2d_reference must equal Keras's Conv2D and MaxPooling2D."""

from __future__ import annotations

import doctest
import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import keras  # noqa: E402
import matplotlib  # noqa: E402

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

import course.conv2d_reference as conv2d_reference  # noqa: E402
from course.conv2d_reference import (  # noqa: E402
    conv2d,
    conv2d_loops,
    conv2d_output_size,
    max_pooling2d,
    max_pooling2d_loops,
    plot_confusion_matrix,
    plot_feature_maps,
    plot_filters,
    plot_misclassified,
    pooling_output_size,
)

TOLERANCE = 1e-5
BATCH, HEIGHT, WIDTH, CHANNELS = 2, 9, 11, 3


def _inputs(seed: int = 0, height: int = HEIGHT, width: int = WIDTH) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return rng.normal(size=(BATCH, height, width, CHANNELS)).astype("float32")


def _keras_conv(x: np.ndarray, filters: int, kernel_size, **options):
    """A built Keras Conv2D with random weights (bias included) and its output on ``x``."""
    layer = keras.layers.Conv2D(filters, kernel_size, **options)
    layer.build(x.shape)
    rng = np.random.default_rng(1)
    layer.set_weights([rng.normal(size=w.shape).astype("float32") for w in layer.get_weights()])
    return layer, keras.ops.convert_to_numpy(layer(x))


CONV_CASES = [
    dict(kernel_size=1),
    dict(kernel_size=3),
    dict(kernel_size=(2, 4)),
    dict(kernel_size=3, strides=2),
    dict(kernel_size=4, strides=(3, 2)),
    dict(kernel_size=3, padding="same"),
    dict(kernel_size=4, padding="same"),
    dict(kernel_size=(2, 5), padding="same"),
    dict(kernel_size=3, strides=2, padding="same"),
    dict(kernel_size=4, strides=3, padding="same"),
    dict(kernel_size=(9, 11)),
]


@pytest.mark.parametrize("options", CONV_CASES, ids=lambda options: str(options))
@pytest.mark.parametrize("implementation", [conv2d, conv2d_loops], ids=["vectorized", "loops"])
def test_conv2d_equals_keras(options, implementation):
    x = _inputs()
    options = dict(options)
    kernel_size = options.pop("kernel_size")
    layer, expected = _keras_conv(x, 4, kernel_size, **options)
    kernel, bias = layer.get_weights()
    ours = implementation(x, kernel, bias, **options)
    assert ours.shape == expected.shape
    np.testing.assert_allclose(ours, expected, rtol=0, atol=TOLERANCE)
    assert conv2d_output_size((HEIGHT, WIDTH), kernel_size, **options) == expected.shape[1:3]


def test_conv2d_without_bias_equals_keras():
    x = _inputs(2)
    layer, expected = _keras_conv(x, 3, 3, use_bias=False)
    (kernel,) = layer.get_weights()
    np.testing.assert_allclose(conv2d(x, kernel), expected, rtol=0, atol=TOLERANCE)
    np.testing.assert_allclose(conv2d_loops(x, kernel, None), expected, rtol=0, atol=TOLERANCE)


def test_conv2d_is_a_cross_correlation_not_a_convolution():
    """The kernel is not flipped: a kernel with a 1 in its top-left corner picks that pixel."""
    image = np.arange(16.0).reshape(1, 4, 4, 1)
    kernel = np.zeros((2, 2, 1, 1))
    kernel[0, 0] = 1.0
    np.testing.assert_array_equal(conv2d(image, kernel)[0, :, :, 0], image[0, :3, :3, 0])
    np.testing.assert_array_equal(conv2d_loops(image, kernel)[0, :, :, 0], image[0, :3, :3, 0])


def test_same_padding_puts_the_odd_zero_at_the_bottom_right():
    """A 2 x 2 kernel with 'same' pads one row below and one column right, none above."""
    image = np.ones((1, 3, 3, 1))
    kernel = np.ones((2, 2, 1, 1))
    output = conv2d(image, kernel, padding="same")[0, :, :, 0]
    np.testing.assert_array_equal(output, [[4, 4, 2], [4, 4, 2], [2, 2, 1]])


def test_a_kernel_larger_than_the_image_gives_an_empty_output():
    x = _inputs(0, height=2, width=2)
    kernel = np.ones((3, 3, CHANNELS, 2))
    assert conv2d(x, kernel).shape == (BATCH, 0, 0, 2)
    assert conv2d_loops(x, kernel).shape == (BATCH, 0, 0, 2)
    assert conv2d_output_size(2, 3) == (0, 0)
    wide = _inputs(0, height=2, width=6)  # no whole window down, four across
    assert conv2d(wide, kernel).shape == conv2d_loops(wide, kernel).shape == (BATCH, 0, 4, 2)
    assert max_pooling2d(wide, 3).shape == max_pooling2d_loops(wide, 3).shape == (BATCH, 0, 2, 3)


def test_loops_and_vectorized_agree_on_random_configurations():
    rng = np.random.default_rng(5)
    for _ in range(25):
        height, width = (int(n) for n in rng.integers(1, 10, size=2))
        channels, filters = (int(n) for n in rng.integers(1, 4, size=2))
        kernel_size = tuple(int(n) for n in rng.integers(1, 4, size=2))
        strides = tuple(int(n) for n in rng.integers(1, 4, size=2))
        padding = str(rng.choice(["valid", "same"]))
        x = rng.normal(size=(2, height, width, channels))
        kernel, bias = rng.normal(size=(*kernel_size, channels, filters)), rng.normal(size=filters)
        loops = conv2d_loops(x, kernel, bias, strides=strides, padding=padding)
        vectorized = conv2d(x, kernel, bias, strides=strides, padding=padding)
        assert loops.shape == vectorized.shape
        np.testing.assert_allclose(loops, vectorized, rtol=0, atol=1e-12)
        size = conv2d_output_size((height, width), kernel_size, strides=strides, padding=padding)
        assert loops.shape[1:3] == size


POOL_CASES = [
    dict(pool_size=2),
    dict(pool_size=3),
    dict(pool_size=(2, 3)),
    dict(pool_size=3, strides=2),
    dict(pool_size=2, strides=1),
    dict(pool_size=2, padding="same"),
    dict(pool_size=3, strides=2, padding="same"),
    dict(pool_size=(3, 2), strides=(1, 2), padding="same"),
]


@pytest.mark.parametrize("options", POOL_CASES, ids=lambda options: str(options))
@pytest.mark.parametrize(
    "implementation", [max_pooling2d, max_pooling2d_loops], ids=["vectorized", "loops"]
)
def test_max_pooling2d_equals_keras(options, implementation):
    x = _inputs(3)
    expected = keras.ops.convert_to_numpy(keras.layers.MaxPooling2D(**options)(x))
    ours = implementation(x, **options)
    assert ours.shape == expected.shape
    np.testing.assert_allclose(ours, expected, rtol=0, atol=TOLERANCE)
    assert pooling_output_size((HEIGHT, WIDTH), **options) == expected.shape[1:3]


def test_same_pooling_never_picks_the_padding():
    """All-negative images: a zero from the padding would win if padding counted as 0."""
    x = -1.0 - np.abs(_inputs(4))
    pooled = max_pooling2d(x, 2, padding="same")
    assert pooled.max() < 0
    np.testing.assert_array_equal(pooled, max_pooling2d_loops(x, 2, padding="same"))


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: conv2d(np.zeros((4, 4, 1)), np.zeros((3, 3, 1, 1))), "inputs\\[np.newaxis\\]"),
        (lambda: conv2d(np.zeros((1, 4, 4, 1)), np.zeros((3, 3, 1))), "layer.get_weights"),
        (lambda: conv2d(np.zeros((1, 4, 4, 2)), np.zeros((3, 3, 1, 1))), "reads 1 channel"),
        (
            lambda: conv2d(np.zeros((1, 4, 4, 1)), np.zeros((3, 3, 1, 2)), np.zeros(3)),
            "bias must have shape \\(filters,\\) = \\(2,\\)",
        ),
        (lambda: conv2d(np.zeros((1, 4, 4, 1)), np.zeros((3, 3, 1, 1)), padding="full"), "'full'"),
        (lambda: conv2d(np.zeros((1, 4, 4, 1)), np.zeros((3, 3, 1, 1)), strides=0), "at least 1"),
        (lambda: conv2d_output_size(28, (3, 3, 3)), "a \\(rows, columns\\) pair"),
        (lambda: conv2d_output_size(28.0, 3), "positive whole number"),
        (lambda: conv2d_output_size(True, 3), "positive whole number"),
        (lambda: max_pooling2d(np.zeros((1, 4, 4, 1)), 2, padding="causal"), "'causal'"),
        (lambda: max_pooling2d(np.zeros((4, 4)), 2), "\\(batch, height, width, channels\\)"),
        (lambda: pooling_output_size(28, 0), "pool_size must be at least 1"),
    ],
)
def test_errors_say_what_to_do(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_plots_draw_what_they_are_given():
    figure = plot_filters(np.random.default_rng(0).normal(size=(3, 3, 1, 10)), columns=4)
    assert len(figure.axes) == 10
    figure = plot_filters(np.random.default_rng(0).normal(size=(3, 3, 3, 2)))  # RGB
    assert figure.axes[0].images[0].get_array().shape == (3, 3, 3)
    figure = plot_feature_maps(np.zeros((5, 5, 6)), columns=4, title="maps")
    assert len(figure.axes) == 6 and figure._suptitle.get_text() == "maps"
    labels, predictions = np.array([0, 1, 2, 2, 1]), np.array([0, 2, 2, 1, 1])
    figure = plot_confusion_matrix(labels, predictions, ["a", "b", "c"])
    counts = np.asarray(figure.axes[0].images[0].get_array())
    np.testing.assert_array_equal(counts, [[1, 0, 0], [0, 1, 1], [0, 1, 1]])
    figure = plot_misclassified(np.zeros((5, 4, 4)), labels, predictions, ["a", "b", "c"])
    assert [axis.get_title() for axis in figure.axes] == ["b → c", "c → b"]
    figure = plot_misclassified(np.zeros((2, 4, 4)), labels[:2], labels[:2], ["a", "b", "c"])
    assert "no misclassified" in figure.texts[0].get_text()
    plt.close("all")


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: plot_filters(np.zeros((3, 3, 1))), "get_weights"),
        (lambda: plot_feature_maps(np.zeros((1, 5, 5, 2))), "maps\\[0\\]"),
        (lambda: plot_confusion_matrix(np.array([0, 1]), np.array([0]), ["a", "b"]), "length"),
        (lambda: plot_confusion_matrix(np.zeros((2, 2)), np.array([0, 1]), ["a"]), "argmax"),
        (
            lambda: plot_misclassified(np.zeros((3, 4, 4)), np.array([0]), np.array([0]), ["a"]),
            "same length",
        ),
    ],
)
def test_plot_errors_say_what_to_do(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_doctests():
    results = doctest.testmod(conv2d_reference, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert results.attempted > 0 and results.failed == 0
