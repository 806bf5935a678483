"""NumPy reference implementations of Keras's ``Conv2D`` and ``MaxPooling2D``, and image plots.

A 2D convolution slides a small window over the height and width of an image
and, at every position, takes the same weighted sum of the window's pixels
over all input channels, once per filter; a 2D max-pooling layer slides a
window and keeps each channel's largest value. This module writes both twice,
first as plain loops (one output pixel at a time, easy to read against the
definition) and then vectorized (every window at once, through a strided view
of the image), and its tests prove that, given the same weights, both equal
``keras.layers.Conv2D`` / ``MaxPooling2D`` to float32 round-off. Chapter 10
writes its own short versions in its cells and asserts that they equal this
reference and Keras; the exercise checkers use it too.

Conventions (all of them Keras's, ``data_format="channels_last"``):

* Inputs have shape ``(batch, height, width, channels)``.
* ``kernel`` has shape ``(kernel_height, kernel_width, channels, filters)``,
  ``bias`` shape ``(filters,)``. Like every deep-learning library, Keras
  computes a *cross-correlation*: the kernel is not flipped.
* ``kernel_size``, ``pool_size`` and ``strides`` are a whole number (the same
  for both axes) or a ``(rows, columns)`` pair.
* ``padding="valid"`` uses only whole windows; ``"same"`` pads so that each
  axis has ``ceil(size / strides)`` outputs, putting the extra zero (or, for
  pooling, the extra ignored position) at the bottom and right when the
  padding is odd, as TensorFlow does.
* Every computation is done in float64, whatever dtype comes in.

The plots (:func:`plot_filters`, :func:`plot_feature_maps`,
:func:`plot_confusion_matrix`, :func:`plot_misclassified`) draw the figures
chapter 10 shows; they return the matplotlib figure.

Example:

    >>> import numpy as np
    >>> image = np.arange(16.0).reshape(1, 4, 4, 1)  # one 4 x 4 image, 1 channel
    >>> kernel = np.ones((2, 2, 1, 1))  # the sum of each 2 x 2 window
    >>> conv2d(image, kernel)[0, :, :, 0]
    array([[10., 14., 18.],
           [26., 30., 34.],
           [42., 46., 50.]])
    >>> max_pooling2d(image, pool_size=2)[0, :, :, 0]
    array([[ 5.,  7.],
           [13., 15.]])
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np

__all__ = [
    "PADDINGS",
    "conv2d",
    "conv2d_loops",
    "conv2d_output_size",
    "max_pooling2d",
    "max_pooling2d_loops",
    "plot_confusion_matrix",
    "plot_feature_maps",
    "plot_filters",
    "plot_misclassified",
    "pooling_output_size",
]

#: The ``padding`` values both layers accept.
PADDINGS = ("valid", "same")


# ---------------------------------------------------------------------------
# Checking arguments
# ---------------------------------------------------------------------------


def _positive_int(value: Any, name: str) -> int:
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)):
        raise ValueError(f"{name} must be a positive whole number, got {value!r}.")
    if value < 1:
        raise ValueError(f"{name} must be at least 1, got {value}.")
    return int(value)


def _pair(value: Any, name: str) -> tuple[int, int]:
    """A whole number or a (rows, columns) pair, as a pair of positive ints."""
    if isinstance(value, (tuple, list)):
        if len(value) != 2:
            raise ValueError(
                f"{name} must be a whole number or a (rows, columns) pair, got {value!r}."
            )
        return _positive_int(value[0], f"{name}[0]"), _positive_int(value[1], f"{name}[1]")
    number = _positive_int(value, name)
    return number, number


def _check_padding(padding: Any) -> str:
    if padding not in PADDINGS:
        raise ValueError(
            f"padding must be one of {', '.join(repr(p) for p in PADDINGS)}, got {padding!r}."
        )
    return str(padding)


def _images(inputs: Any) -> np.ndarray:
    """``inputs`` as a float64 array of shape (batch, height, width, channels)."""
    array = np.asarray(inputs, dtype="float64")
    if array.ndim != 4:
        raise ValueError(
            "inputs must have shape (batch, height, width, channels), got an array of shape "
            f"{array.shape}. For a single image use inputs[np.newaxis]; for one channel "
            "use inputs[..., np.newaxis]."
        )
    return array


def _conv_arguments(
    inputs: Any, kernel: Any, bias: Any
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    x = _images(inputs)
    w = np.asarray(kernel, dtype="float64")
    if w.ndim != 4:
        raise ValueError(
            f"kernel must have shape (kernel_height, kernel_width, channels, filters), got "
            f"{w.shape}. Keras's Conv2D stores it that way: layer.get_weights()[0]."
        )
    if w.shape[2] != x.shape[3]:
        raise ValueError(
            f"The kernel reads {w.shape[2]} channel(s) but the inputs have {x.shape[3]}: "
            "kernel.shape[2] must equal inputs.shape[3]."
        )
    b = np.zeros(w.shape[3]) if bias is None else np.asarray(bias, dtype="float64")
    if b.shape != (w.shape[3],):
        raise ValueError(
            f"bias must have shape (filters,) = ({w.shape[3]},), got {b.shape}; "
            "pass bias=None for a layer built with use_bias=False."
        )
    return x, w, b


# ---------------------------------------------------------------------------
# Output sizes and padding
# ---------------------------------------------------------------------------


def _axis_output(size: int, window: int, stride: int, padding: str) -> int:
    if padding == "same":
        return math.ceil(size / stride)
    return max((size - window) // stride + 1, 0)


def conv2d_output_size(
    size: Any, kernel_size: Any, *, strides: Any = 1, padding: str = "valid"
) -> tuple[int, int]:
    """The (height, width) that ``Conv2D`` returns for an image of ``size`` pixels.

    Per axis, ``valid``: ``floor((size - kernel) / strides) + 1`` (0 when the
    image is smaller than the kernel); ``same``: ``ceil(size / strides)``.

    Args:
        size: The input's height and width, a pair (or one number for a square).
        kernel_size: The window, a pair or one number.
        strides: How far the window moves, a pair or one number.
        padding: ``"valid"`` or ``"same"``.

    Raises:
        ValueError: on sizes that are not positive whole numbers, or an unknown padding.

    Example:
        >>> conv2d_output_size(28, 3), conv2d_output_size((28, 28), 5, padding="same")
        ((26, 26), (28, 28))
        >>> conv2d_output_size((32, 30), 3, strides=2)
        (15, 14)
    """
    rows, columns = _pair(size, "size")
    kernel = _pair(kernel_size, "kernel_size")
    stride = _pair(strides, "strides")
    padding = _check_padding(padding)
    return (
        _axis_output(rows, kernel[0], stride[0], padding),
        _axis_output(columns, kernel[1], stride[1], padding),
    )


def pooling_output_size(
    size: Any, pool_size: Any = 2, *, strides: Any = None, padding: str = "valid"
) -> tuple[int, int]:
    """The (height, width) that ``MaxPooling2D`` returns; ``strides`` defaults to ``pool_size``.

    Example:
        >>> pooling_output_size(26, 2), pooling_output_size(11, 2), pooling_output_size(11, 2, padding="same")
        ((13, 13), (5, 5), (6, 6))
    """  # noqa: E501
    pool = _pair(pool_size, "pool_size")
    stride = pool if strides is None else _pair(strides, "strides")
    return conv2d_output_size(size, pool, strides=stride, padding=padding)


def _padding_amounts(size: int, window: int, stride: int, padding: str) -> tuple[int, int]:
    """Pixels to add before and after along one axis (TensorFlow's rule for ``same``)."""
    if padding == "valid":
        return 0, 0
    total = max((math.ceil(size / stride) - 1) * stride + window - size, 0)
    return total // 2, total - total // 2


def _pad(
    x: np.ndarray,
    window: tuple[int, int],
    stride: tuple[int, int],
    padding: str,
    value: float = 0.0,
) -> np.ndarray:
    rows = _padding_amounts(x.shape[1], window[0], stride[0], padding)
    columns = _padding_amounts(x.shape[2], window[1], stride[1], padding)
    return np.pad(x, ((0, 0), rows, columns, (0, 0)), constant_values=value)


# ---------------------------------------------------------------------------
# Conv2D
# ---------------------------------------------------------------------------


def conv2d_loops(
    inputs: Any,
    kernel: Any,
    bias: Any = None,
    *,
    strides: Any = 1,
    padding: str = "valid",
) -> np.ndarray:
    """``Conv2D`` (no activation) as explicit loops: one output pixel and filter at a time.

    ``output[b, i, j, f] = bias[f] + sum over u, v, c of
    x[b, i * sr + u, j * sc + v, c] * kernel[u, v, c, f]``, where ``x`` is the
    padded input and ``(sr, sc)`` the strides.

    Args:
        inputs: ``(batch, height, width, channels)``.
        kernel: ``(kernel_height, kernel_width, channels, filters)``, as
            ``layer.get_weights()[0]``.
        bias: ``(filters,)``, or None for no bias.
        strides: How far the window moves, one number or a (rows, columns) pair.
        padding: ``"valid"`` or ``"same"``.

    Returns:
        ``(batch, output_height, output_width, filters)`` in float64.

    Raises:
        ValueError: on arrays of the wrong shape or unknown options.

    Example:
        >>> image = np.array([[1.0, 2.0], [3.0, 4.0]]).reshape(1, 2, 2, 1)
        >>> edge = np.array([[1.0, -1.0]]).reshape(1, 2, 1, 1)  # left minus right
        >>> conv2d_loops(image, edge)[0, :, :, 0]
        array([[-1.],
               [-1.]])
    """
    x, w, b = _conv_arguments(inputs, kernel, bias)
    stride = _pair(strides, "strides")
    padding = _check_padding(padding)
    kernel_rows, kernel_columns, channels, filters = w.shape
    x = _pad(x, (kernel_rows, kernel_columns), stride, padding)
    rows, columns = conv2d_output_size(x.shape[1:3], (kernel_rows, kernel_columns), strides=stride)
    output = np.zeros((x.shape[0], rows, columns, filters))
    for batch in range(x.shape[0]):
        for i in range(rows):
            for j in range(columns):
                top, left = i * stride[0], j * stride[1]
                window = x[batch, top : top + kernel_rows, left : left + kernel_columns, :]
                for f in range(filters):
                    output[batch, i, j, f] = b[f] + np.sum(window * w[:, :, :, f])
    return output


def _windows(x: np.ndarray, window: tuple[int, int], stride: tuple[int, int]) -> np.ndarray:
    """Every window of a padded batch: (batch, rows, columns, channels, window rows, columns)."""
    view = np.lib.stride_tricks.sliding_window_view(x, window, axis=(1, 2))
    return view[:, :: stride[0], :: stride[1]]


def conv2d(
    inputs: Any,
    kernel: Any,
    bias: Any = None,
    *,
    strides: Any = 1,
    padding: str = "valid",
) -> np.ndarray:
    """``Conv2D`` (no activation), vectorized: every window at once, one ``einsum``.

    Same arguments and result as :func:`conv2d_loops`.

    Example:
        >>> image = np.random.default_rng(0).normal(size=(2, 7, 6, 3))
        >>> kernel = np.random.default_rng(1).normal(size=(3, 2, 3, 4))
        >>> fast = conv2d(image, kernel, strides=2, padding="same")
        >>> fast.shape, bool(np.allclose(fast, conv2d_loops(image, kernel, strides=2, padding="same")))
        ((2, 4, 3, 4), True)
    """  # noqa: E501
    x, w, b = _conv_arguments(inputs, kernel, bias)
    stride = _pair(strides, "strides")
    padding = _check_padding(padding)
    window = w.shape[:2]
    x = _pad(x, window, stride, padding)
    if x.shape[1] < window[0] or x.shape[2] < window[1]:  # no whole window along an axis
        rows, columns = conv2d_output_size(x.shape[1:3], window, strides=stride)
        return np.zeros((x.shape[0], rows, columns, w.shape[3]))
    windows = _windows(x, window, stride)  # (batch, rows, columns, channels, kh, kw)
    return np.einsum("brscuv,uvcf->brsf", windows, w) + b


# ---------------------------------------------------------------------------
# MaxPooling2D
# ---------------------------------------------------------------------------


def _pooling_arguments(
    inputs: Any, pool_size: Any, strides: Any, padding: str
) -> tuple[np.ndarray, tuple[int, int], tuple[int, int], str]:
    x = _images(inputs)
    pool = _pair(pool_size, "pool_size")
    stride = pool if strides is None else _pair(strides, "strides")
    return x, pool, stride, _check_padding(padding)


def max_pooling2d_loops(
    inputs: Any, pool_size: Any = 2, *, strides: Any = None, padding: str = "valid"
) -> np.ndarray:
    """``MaxPooling2D`` as loops: each output pixel is its window's maximum, channel by channel.

    ``strides`` defaults to ``pool_size`` (windows side by side, no overlap).
    With ``"same"`` the padded positions never win (they count as minus infinity).

    Raises:
        ValueError: on arrays of the wrong shape or unknown options.

    Example:
        >>> image = np.array([[1.0, 5.0, 2.0], [3.0, 4.0, 0.0]]).reshape(1, 2, 3, 1)
        >>> max_pooling2d_loops(image, 2)[0, :, :, 0]
        array([[5.]])
        >>> max_pooling2d_loops(image, 2, padding="same")[0, :, :, 0]
        array([[5., 2.]])
    """
    x, pool, stride, padding = _pooling_arguments(inputs, pool_size, strides, padding)
    x = _pad(x, pool, stride, padding, value=-np.inf)
    rows, columns = conv2d_output_size(x.shape[1:3], pool, strides=stride)
    output = np.zeros((x.shape[0], rows, columns, x.shape[3]))
    for batch in range(x.shape[0]):
        for i in range(rows):
            for j in range(columns):
                top, left = i * stride[0], j * stride[1]
                window = x[batch, top : top + pool[0], left : left + pool[1], :]
                output[batch, i, j, :] = window.max(axis=(0, 1))
    return output


def max_pooling2d(
    inputs: Any, pool_size: Any = 2, *, strides: Any = None, padding: str = "valid"
) -> np.ndarray:
    """``MaxPooling2D``, vectorized through a strided view; same arguments as the loops.

    Example:
        >>> image = np.random.default_rng(0).normal(size=(2, 9, 8, 3))
        >>> pooled = max_pooling2d(image, 3, strides=2)
        >>> pooled.shape, bool(np.array_equal(pooled, max_pooling2d_loops(image, 3, strides=2)))
        ((2, 4, 3, 3), True)
    """
    x, pool, stride, padding = _pooling_arguments(inputs, pool_size, strides, padding)
    x = _pad(x, pool, stride, padding, value=-np.inf)
    if x.shape[1] < pool[0] or x.shape[2] < pool[1]:  # no whole window along an axis
        rows, columns = conv2d_output_size(x.shape[1:3], pool, strides=stride)
        return np.zeros((x.shape[0], rows, columns, x.shape[3]))
    return _windows(x, pool, stride).max(axis=(-2, -1))


# ---------------------------------------------------------------------------
# Figures
# ---------------------------------------------------------------------------


def _grid(count: int, columns: int) -> tuple[int, int]:
    columns = max(1, min(columns, count))
    return math.ceil(count / columns), columns


def _panels(count: int, columns: int) -> tuple[Any, list[Any]]:
    """A figure with ``count`` small, axis-free panels, ``columns`` to a row."""
    import matplotlib.pyplot as plt

    rows, columns = _grid(count, columns)
    figure, axes = plt.subplots(rows, columns, figsize=(1.1 * columns, 1.1 * rows + 0.3))
    axes = list(np.atleast_1d(axes).ravel())
    for axis in axes[count:]:
        figure.delaxes(axis)
    for axis in axes[:count]:
        axis.axis("off")
    return figure, axes[:count]


def plot_filters(kernel: Any, *, columns: int = 8, title: str | None = None) -> Any:
    """Draw a Conv2D kernel's filters, one small image per filter (first input channel).

    Each filter gets its own colour scale, centred on zero: red weights are
    positive, blue negative.

    Args:
        kernel: ``(kernel_height, kernel_width, channels, filters)``, as
            ``layer.get_weights()[0]``; a 3-channel (RGB) kernel is drawn in colour.
        columns: Filters per row.
        title: A title above the grid.

    Raises:
        ValueError: if ``kernel`` is not four-dimensional.

    Example:
        >>> figure = plot_filters(np.random.default_rng(0).normal(size=(3, 3, 1, 4)))
        >>> len(figure.axes)
        4
    """

    w = np.asarray(kernel, dtype="float64")
    if w.ndim != 4:
        raise ValueError(
            "kernel must have shape (kernel_height, kernel_width, channels, filters), got "
            f"{w.shape}: pass layer.get_weights()[0] of a Conv2D layer."
        )
    figure, axes = _panels(w.shape[3], columns)
    for index, axis in enumerate(axes):
        weights = w[:, :, :, index]
        if w.shape[2] == 3:  # RGB: scale each filter to [0, 1] around grey
            scale = np.abs(weights).max() or 1.0
            axis.imshow(0.5 + 0.5 * weights / scale, interpolation="nearest")
        else:
            limit = np.abs(weights[:, :, 0]).max() or 1.0
            axis.imshow(weights[:, :, 0], cmap="RdBu_r", vmin=-limit, vmax=limit)
    if title:
        figure.suptitle(title, fontsize=10)
    figure.tight_layout()
    return figure


def plot_feature_maps(maps: Any, *, columns: int = 8, title: str | None = None) -> Any:
    """Draw the feature maps of one image, ``(height, width, channels)``, one per channel.

    Raises:
        ValueError: if ``maps`` is not three-dimensional.

    Example:
        >>> figure = plot_feature_maps(np.zeros((6, 6, 3)))
        >>> len(figure.axes)
        3
    """

    array = np.asarray(maps, dtype="float64")
    if array.ndim != 3:
        raise ValueError(
            f"maps must have shape (height, width, channels) for one image, got {array.shape}; "
            "take one image of a batch with maps[0]."
        )
    figure, axes = _panels(array.shape[2], columns)
    for index, axis in enumerate(axes):
        axis.imshow(array[:, :, index], cmap="viridis")
    if title:
        figure.suptitle(title, fontsize=10)
    figure.tight_layout()
    return figure


def _labels(values: Any, name: str) -> np.ndarray:
    array = np.asarray(values)
    if array.ndim != 1 or not np.issubdtype(array.dtype, np.integer):
        raise ValueError(
            f"{name} must be a one-dimensional array of whole-number class indices, got "
            f"shape {array.shape} of {array.dtype}; take predictions.argmax(axis=-1)."
        )
    return array


def plot_confusion_matrix(
    labels: Any, predictions: Any, class_names: Sequence[str], *, title: str | None = None
) -> Any:
    """Draw the confusion matrix: rows are true classes, columns predicted, cells counts.

    Raises:
        ValueError: if labels and predictions are not index arrays of the same length.

    Example:
        >>> figure = plot_confusion_matrix(np.array([0, 1, 1]), np.array([0, 1, 0]), ["a", "b"])
        >>> int(figure.axes[0].images[0].get_array().sum())
        3
    """
    import matplotlib.pyplot as plt

    truth, guess = _labels(labels, "labels"), _labels(predictions, "predictions")
    if truth.shape != guess.shape:
        raise ValueError(
            f"labels and predictions must have the same length, got {len(truth)} and {len(guess)}."
        )
    classes = len(class_names)
    counts = np.zeros((classes, classes), dtype=int)
    np.add.at(counts, (truth, guess), 1)
    size = 0.45 * classes + 1.5
    figure, axis = plt.subplots(figsize=(size + 0.8, size))
    image = axis.imshow(counts, cmap="Blues")
    for i in range(classes):
        for j in range(classes):
            color = "white" if counts[i, j] > counts.max() / 2 else "black"
            axis.text(j, i, counts[i, j], ha="center", va="center", fontsize=7, color=color)
    axis.set_xticks(range(classes), class_names, rotation=60, ha="right", fontsize=8)
    axis.set_yticks(range(classes), class_names, fontsize=8)
    axis.set_xlabel("predicted")
    axis.set_ylabel("true")
    figure.colorbar(image, ax=axis, fraction=0.046)
    if title:
        axis.set_title(title, fontsize=10)
    figure.tight_layout()
    return figure


def plot_misclassified(
    images: Any,
    labels: Any,
    predictions: Any,
    class_names: Sequence[str],
    *,
    count: int = 12,
    columns: int = 6,
    title: str | None = None,
) -> Any:
    """Draw the first ``count`` images whose prediction is wrong, titled "true → predicted".

    ``images`` are ``(n, height, width)`` or ``(n, height, width, channels)``,
    uint8 or floats in ``[0, 1]``.

    Raises:
        ValueError: if the lengths differ.

    Example:
        >>> images = np.zeros((3, 4, 4, 3))
        >>> figure = plot_misclassified(images, np.array([0, 1, 1]), np.array([0, 0, 0]), ["a", "b"])
        >>> [axis.get_title() for axis in figure.axes]
        ['b → a', 'b → a']
    """  # noqa: E501
    import matplotlib.pyplot as plt

    truth, guess = _labels(labels, "labels"), _labels(predictions, "predictions")
    pictures = np.asarray(images)
    if not len(pictures) == len(truth) == len(guess):
        raise ValueError(
            f"images, labels and predictions must have the same length, got {len(pictures)}, "
            f"{len(truth)} and {len(guess)}."
        )
    wrong = np.flatnonzero(truth != guess)[:count]
    if len(wrong) == 0:
        figure = plt.figure(figsize=(3, 0.6))
        figure.text(0.5, 0.5, "no misclassified images", ha="center", va="center")
        return figure
    rows, columns = _grid(len(wrong), columns)
    figure, axes = plt.subplots(rows, columns, figsize=(1.4 * columns, 1.6 * rows + 0.3))
    axes = np.atleast_1d(axes).ravel()
    for axis, index in zip(axes, wrong):
        picture = pictures[index]
        axis.imshow(picture, cmap="gray_r" if picture.ndim == 2 else None)
        axis.set_title(f"{class_names[truth[index]]} → {class_names[guess[index]]}", fontsize=8)
        axis.axis("off")
    for axis in axes[len(wrong) :]:
        figure.delaxes(axis)
    if title:
        figure.suptitle(title, fontsize=10)
    figure.tight_layout()
    return figure
