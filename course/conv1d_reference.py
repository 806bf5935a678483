"""NumPy reference implementations of Keras's ``Conv1D`` and ``MaxPooling1D``.

A 1D convolution slides a small window along the time axis and, at every
position, takes the same weighted sum of the window's values; a 1D max-pooling
layer slides a window and keeps its largest value. This module writes both
twice, first as plain loops (one output position at a time, easy to read
against the definition) and then vectorized (every window at once, through a
strided view of the input), and its tests prove that, given the same weights,
both equal ``keras.layers.Conv1D`` / ``MaxPooling1D`` to float32 round-off.
Chapter 6 writes its own short versions in its cells and asserts that they
equal this reference and Keras; the exercise checkers use it too.

Conventions (all of them Keras's, ``data_format="channels_last"``):

* Inputs have shape ``(batch, steps, channels)``.
* ``kernel`` has shape ``(kernel_size, channels, filters)``, ``bias`` shape
  ``(filters,)``. Like every deep-learning library, Keras computes a
  *cross-correlation*: the kernel is not flipped.
* ``padding="valid"`` uses only whole windows; ``"same"`` pads so that the
  output has ``ceil(steps / strides)`` steps, putting the extra zero (or, for
  pooling, the extra ignored position) at the end when the padding is odd, as
  TensorFlow does; ``"causal"`` (convolution only) pads
  ``(kernel_size - 1) * dilation_rate`` zeros at the start, so that output
  ``t`` sees no input after ``t``.
* Every computation is done in float64, whatever dtype comes in.

Example:

    >>> import numpy as np
    >>> x = np.arange(6.0).reshape(1, 6, 1)  # one sequence of 6 steps, 1 channel
    >>> kernel = np.ones((3, 1, 1))  # a moving sum over 3 steps
    >>> conv1d(x, kernel)[0, :, 0]
    array([ 3.,  6.,  9., 12.])
    >>> max_pooling1d(x, pool_size=2)[0, :, 0]
    array([1., 3., 5.])
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np

__all__ = [
    "PADDINGS",
    "conv1d",
    "conv1d_loops",
    "conv1d_output_length",
    "max_pooling1d",
    "max_pooling1d_loops",
    "pooling_output_length",
    "receptive_field",
    "receptive_field_of",
]

#: The ``padding`` values :func:`conv1d` accepts (pooling takes the first two).
PADDINGS = ("valid", "same", "causal")


# ---------------------------------------------------------------------------
# Checking arguments
# ---------------------------------------------------------------------------


def _positive_int(value: Any, name: str) -> int:
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)):
        raise ValueError(f"{name} must be a positive whole number, got {value!r}.")
    if value < 1:
        raise ValueError(f"{name} must be at least 1, got {value}.")
    return int(value)


def _check_padding(padding: Any, allowed: Sequence[str]) -> str:
    if padding not in allowed:
        raise ValueError(
            f"padding must be one of {', '.join(repr(p) for p in allowed)}, got {padding!r}."
        )
    return str(padding)


def _sequences(inputs: Any) -> np.ndarray:
    """``inputs`` as a float64 array of shape (batch, steps, channels)."""
    array = np.asarray(inputs, dtype="float64")
    if array.ndim != 3:
        raise ValueError(
            "inputs must have shape (batch, steps, channels), got an array of shape "
            f"{array.shape}. For a single sequence use inputs[np.newaxis]; for one channel "
            "use inputs[..., np.newaxis]."
        )
    return array


def _conv_arguments(
    inputs: Any, kernel: Any, bias: Any
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    x = _sequences(inputs)
    w = np.asarray(kernel, dtype="float64")
    if w.ndim != 3:
        raise ValueError(
            f"kernel must have shape (kernel_size, channels, filters), got {w.shape}. "
            "Keras's Conv1D stores it that way: layer.get_weights()[0]."
        )
    if w.shape[1] != x.shape[2]:
        raise ValueError(
            f"The kernel reads {w.shape[1]} channel(s) but the inputs have {x.shape[2]}: "
            "kernel.shape[1] must equal inputs.shape[2]."
        )
    b = np.zeros(w.shape[2]) if bias is None else np.asarray(bias, dtype="float64")
    if b.shape != (w.shape[2],):
        raise ValueError(
            f"bias must have shape (filters,) = ({w.shape[2]},), got {b.shape}; "
            "pass bias=None for a layer built with use_bias=False."
        )
    return x, w, b


# ---------------------------------------------------------------------------
# Lengths and padding
# ---------------------------------------------------------------------------


def conv1d_output_length(
    steps: int,
    kernel_size: int,
    *,
    strides: int = 1,
    padding: str = "valid",
    dilation_rate: int = 1,
) -> int:
    """How many steps ``Conv1D`` returns for an input of ``steps`` steps.

    ``valid``: ``floor((steps - span) / strides) + 1`` with
    ``span = (kernel_size - 1) * dilation_rate + 1``, and 0 when the input is
    shorter than one window; ``same`` and ``causal``: ``ceil(steps / strides)``.

    Example:
        >>> conv1d_output_length(500, 7), conv1d_output_length(500, 7, strides=3)
        (494, 165)
        >>> conv1d_output_length(500, 7, padding="same", strides=3)
        167
    """
    steps = _positive_int(steps, "steps")
    kernel_size = _positive_int(kernel_size, "kernel_size")
    strides = _positive_int(strides, "strides")
    dilation_rate = _positive_int(dilation_rate, "dilation_rate")
    padding = _check_padding(padding, PADDINGS)
    if padding != "valid":
        return math.ceil(steps / strides)
    span = (kernel_size - 1) * dilation_rate + 1
    return max((steps - span) // strides + 1, 0)


def pooling_output_length(
    steps: int, pool_size: int, *, strides: int | None = None, padding: str = "valid"
) -> int:
    """How many steps ``MaxPooling1D`` returns; ``strides`` defaults to ``pool_size``.

    Example:
        >>> pooling_output_length(494, 5), pooling_output_length(494, 5, padding="same")
        (98, 99)
    """
    steps = _positive_int(steps, "steps")
    pool_size = _positive_int(pool_size, "pool_size")
    strides = pool_size if strides is None else _positive_int(strides, "strides")
    padding = _check_padding(padding, PADDINGS[:2])
    if padding == "same":
        return math.ceil(steps / strides)
    return max((steps - pool_size) // strides + 1, 0)


def _padding_amounts(steps: int, span: int, strides: int, padding: str) -> tuple[int, int]:
    """Steps to add before and after the sequence (TensorFlow's rule for ``same``)."""
    if padding == "valid":
        return 0, 0
    if padding == "causal":
        return span - 1, 0
    output_steps = math.ceil(steps / strides)
    total = max((output_steps - 1) * strides + span - steps, 0)
    return total // 2, total - total // 2


# ---------------------------------------------------------------------------
# Conv1D
# ---------------------------------------------------------------------------


def conv1d_loops(
    inputs: Any,
    kernel: Any,
    bias: Any = None,
    *,
    strides: int = 1,
    padding: str = "valid",
    dilation_rate: int = 1,
) -> np.ndarray:
    """``Conv1D`` (no activation) as explicit loops: one output step and filter at a time.

    ``output[b, t, f] = bias[f] + sum over k, c of x[b, t * strides + k * dilation_rate, c]
    * kernel[k, c, f]``, where ``x`` is the padded input.

    Args:
        inputs: ``(batch, steps, channels)``.
        kernel: ``(kernel_size, channels, filters)``, as ``layer.get_weights()[0]``.
        bias: ``(filters,)``, or None for no bias.
        strides: How far the window moves between output steps.
        padding: ``"valid"``, ``"same"`` or ``"causal"``.
        dilation_rate: The gap between the kernel's taps (1: adjacent steps).

    Returns:
        ``(batch, output_steps, filters)`` in float64.

    Raises:
        ValueError: on arrays of the wrong shape or unknown options.

    Example:
        >>> x = np.array([[[1.0], [2.0], [3.0], [4.0]]])
        >>> conv1d_loops(x, np.array([[[1.0]], [[-1.0]]]))[0, :, 0]  # x[t] - x[t + 1]
        array([-1., -1., -1.])
    """
    x, w, b = _conv_arguments(inputs, kernel, bias)
    strides = _positive_int(strides, "strides")
    dilation_rate = _positive_int(dilation_rate, "dilation_rate")
    padding = _check_padding(padding, PADDINGS)
    kernel_size, channels, filters = w.shape
    span = (kernel_size - 1) * dilation_rate + 1
    before, after = _padding_amounts(x.shape[1], span, strides, padding)
    x = np.pad(x, ((0, 0), (before, after), (0, 0)))
    steps_out = conv1d_output_length(
        x.shape[1], kernel_size, strides=strides, dilation_rate=dilation_rate
    )
    output = np.zeros((x.shape[0], steps_out, filters))
    for batch in range(x.shape[0]):
        for t in range(steps_out):
            for f in range(filters):
                total = b[f]
                for k in range(kernel_size):
                    for c in range(channels):
                        total += x[batch, t * strides + k * dilation_rate, c] * w[k, c, f]
                output[batch, t, f] = total
    return output


def conv1d(
    inputs: Any,
    kernel: Any,
    bias: Any = None,
    *,
    strides: int = 1,
    padding: str = "valid",
    dilation_rate: int = 1,
) -> np.ndarray:
    """``Conv1D`` (no activation), vectorized: every window at once, one tensor product.

    The same arguments and result as :func:`conv1d_loops`. The windows come
    from ``numpy.lib.stride_tricks.sliding_window_view`` (a view, no copy):
    shape ``(batch, positions, channels, span)``; the dilated taps and the
    strided positions are slices of it, and ``numpy.einsum`` sums over taps
    and channels.

    Example:
        >>> rng = np.random.default_rng(0)
        >>> x, w = rng.normal(size=(2, 9, 3)), rng.normal(size=(4, 3, 5))
        >>> conv1d(x, w, strides=2, padding="same").shape
        (2, 5, 5)
        >>> bool(np.allclose(conv1d(x, w, strides=2), conv1d_loops(x, w, strides=2)))
        True
    """
    x, w, b = _conv_arguments(inputs, kernel, bias)
    strides = _positive_int(strides, "strides")
    dilation_rate = _positive_int(dilation_rate, "dilation_rate")
    padding = _check_padding(padding, PADDINGS)
    kernel_size = w.shape[0]
    span = (kernel_size - 1) * dilation_rate + 1
    before, after = _padding_amounts(x.shape[1], span, strides, padding)
    x = np.pad(x, ((0, 0), (before, after), (0, 0)))
    if x.shape[1] < span:
        return np.zeros((x.shape[0], 0, w.shape[2])) + b
    windows = np.lib.stride_tricks.sliding_window_view(x, span, axis=1)
    windows = windows[:, ::strides, :, ::dilation_rate]  # (batch, out, channels, kernel)
    return np.einsum("btck,kcf->btf", windows, w) + b


# ---------------------------------------------------------------------------
# MaxPooling1D
# ---------------------------------------------------------------------------


def _pooling_arguments(
    inputs: Any, pool_size: int, strides: int | None, padding: str
) -> tuple[np.ndarray, int, int]:
    x = _sequences(inputs)
    pool_size = _positive_int(pool_size, "pool_size")
    strides = pool_size if strides is None else _positive_int(strides, "strides")
    padding = _check_padding(padding, PADDINGS[:2])
    before, after = _padding_amounts(x.shape[1], pool_size, strides, padding)
    x = np.pad(x, ((0, 0), (before, after), (0, 0)), constant_values=-np.inf)
    return x, pool_size, strides


def max_pooling1d_loops(
    inputs: Any, pool_size: int = 2, *, strides: int | None = None, padding: str = "valid"
) -> np.ndarray:
    """``MaxPooling1D`` as explicit loops: the largest value of each window, per channel.

    ``strides`` defaults to ``pool_size`` (windows side by side, as in Keras).
    With ``padding="same"`` the padded positions are ignored (they hold -inf).

    Example:
        >>> x = np.array([[[1.0], [5.0], [2.0], [0.0], [3.0]]])
        >>> max_pooling1d_loops(x, 2)[0, :, 0]
        array([5., 2.])
        >>> max_pooling1d_loops(x, 2, padding="same")[0, :, 0]
        array([5., 2., 3.])
    """
    x, pool_size, strides = _pooling_arguments(inputs, pool_size, strides, padding)
    steps_out = pooling_output_length(x.shape[1], pool_size, strides=strides)
    output = np.zeros((x.shape[0], steps_out, x.shape[2]))
    for batch in range(x.shape[0]):
        for t in range(steps_out):
            for c in range(x.shape[2]):
                window = x[batch, t * strides : t * strides + pool_size, c]
                output[batch, t, c] = max(window)
    return output


def max_pooling1d(
    inputs: Any, pool_size: int = 2, *, strides: int | None = None, padding: str = "valid"
) -> np.ndarray:
    """``MaxPooling1D``, vectorized: a strided view of every window, then ``max``.

    Example:
        >>> x = np.random.default_rng(0).normal(size=(2, 11, 3))
        >>> max_pooling1d(x, 3, strides=2).shape
        (2, 5, 3)
        >>> bool(np.array_equal(max_pooling1d(x, 3), max_pooling1d_loops(x, 3)))
        True
    """
    x, pool_size, strides = _pooling_arguments(inputs, pool_size, strides, padding)
    if x.shape[1] < pool_size:
        return np.zeros((x.shape[0], 0, x.shape[2]))
    windows = np.lib.stride_tricks.sliding_window_view(x, pool_size, axis=1)
    return windows[:, ::strides].max(axis=-1)


# ---------------------------------------------------------------------------
# Receptive field
# ---------------------------------------------------------------------------


def receptive_field(layers: Iterable[Sequence[int]]) -> int:
    """How many input steps one output step of a stack of windows can see.

    Each layer is ``(window, strides)`` or ``(window, strides, dilation_rate)``:
    a ``Conv1D`` is ``(kernel_size, strides, dilation_rate)``, a
    ``MaxPooling1D`` ``(pool_size, strides)``. Going up the stack, each layer
    widens the field by ``(window - 1) * dilation_rate * jump``, where
    ``jump`` is the product of the strides below it (how far apart, in input
    steps, two neighbouring positions of its input are).

    Example:
        >>> receptive_field([(7, 1), (5, 5), (7, 1)])  # Conv1D(7), MaxPooling1D(5), Conv1D(7)
        41
        >>> receptive_field([(3, 1, 1), (3, 1, 2), (3, 1, 4)])  # dilations 1, 2, 4
        15
    """
    field, jump = 1, 1
    for number, layer in enumerate(layers):
        values = tuple(layer)
        if len(values) not in (2, 3):
            raise ValueError(
                f"Layer {number} is {layer!r}; give (window, strides) or "
                "(window, strides, dilation_rate)."
            )
        window = _positive_int(values[0], f"the window of layer {number}")
        strides = _positive_int(values[1], f"the strides of layer {number}")
        dilation = _positive_int(values[2], f"the dilation of layer {number}") if values[2:] else 1
        field += (window - 1) * dilation * jump
        jump *= strides
    return field


def _single(value: Any) -> int:
    """Keras stores sizes as tuples, ``(7,)``; return the number."""
    return int(value[0]) if isinstance(value, (tuple, list)) else int(value)


def receptive_field_of(layers: Iterable[Any]) -> int:
    """The receptive field of Keras layers (a model's ``layers``, or a list of them).

    ``Conv1D`` and ``MaxPooling1D``/``AveragePooling1D`` layers count; layers
    without a window (``Embedding``, ``Dense``, ``Dropout``...) are skipped,
    and a global pooling layer ends the count (everything above it sees the
    whole sequence). Recurrent layers have no finite field and are refused.

    Example:
        >>> import keras
        >>> receptive_field_of([keras.layers.Conv1D(8, 7), keras.layers.MaxPooling1D(5)])
        11
    """
    specs = []
    for layer in layers:
        name = type(layer).__name__
        if name.startswith("Global"):
            break
        if name in ("SimpleRNN", "LSTM", "GRU", "RNN", "Bidirectional"):
            raise ValueError(
                f"{name} reads the whole sequence step by step: it has no finite receptive "
                "field. Pass only the layers below it."
            )
        if hasattr(layer, "kernel_size"):
            specs.append(
                (
                    _single(layer.kernel_size),
                    _single(layer.strides),
                    _single(getattr(layer, "dilation_rate", 1)),
                )
            )
        elif hasattr(layer, "pool_size"):
            specs.append((_single(layer.pool_size), _single(layer.strides)))
    return receptive_field(specs)
