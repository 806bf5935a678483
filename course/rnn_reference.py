"""NumPy reference implementations of the SimpleRNN, LSTM and GRU layers.

A recurrent layer is a short loop around a few matrix products. This module
writes that loop out in plain NumPy, straight from the equations, and its tests
prove that, given the same weights, it agrees with ``keras.layers.SimpleRNN`` /
``LSTM`` / ``GRU`` to float32 round-off. Chapter 4 writes its own, shorter steps
in its cells and asserts that they equal both this reference and Keras; the
exercise checkers use it too.

Read it top to bottom:

1. ``GATE_EQUATIONS`` holds the LaTeX for every cell, ready for
   ``IPython.display.Math``.
2. ``sigmoid`` is the numerically stable logistic function the gates use.
3. For each cell there is a *step* function (one timestep, shapes
   ``(batch, features)``) and a *layer* function that loops the step over
   ``inputs`` of shape ``(batch, timesteps, features)``, with the same
   ``return_sequences`` / ``return_state`` / ``initial_state`` meaning as in
   Keras.
4. ``keras_weights(layer)`` pulls ``kernel``, ``recurrent_kernel`` and
   ``bias`` out of a built Keras layer, so that
   ``lstm(x, **keras_weights(keras_lstm_layer))`` reproduces the layer.

Conventions (all of them Keras's):

* Vectors are rows and weights multiply from the right: ``x_t @ kernel``.
* The gate weights are stored side by side in one matrix. ``kernel`` has shape
  ``(features, G * units)`` and ``recurrent_kernel`` ``(units, G * units)``,
  with ``G = 1`` (SimpleRNN), ``4`` (LSTM, order i, f, c, o) or ``3`` (GRU,
  order z, r, h).
* Every computation is done in float64, whatever dtype comes in, so the
  reference is the more accurate side of any comparison.
* Masking, dropout, ``go_backwards`` and ``stateful`` are not modelled.
  Dropout is off at inference time anyway; to mimic ``go_backwards`` reverse
  the time axis yourself (``inputs[:, ::-1]``).

Example:

    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> x = rng.normal(size=(2, 5, 3))            # batch 2, 5 steps, 3 features
    >>> W = rng.normal(size=(3, 4 * 6))           # 6 units, gates i, f, c, o
    >>> U = rng.normal(size=(6, 4 * 6))
    >>> b = np.zeros(4 * 6)
    >>> lstm(x, W, U, b).shape
    (2, 6)
    >>> lstm(x, W, U, b, return_sequences=True).shape
    (2, 5, 6)
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

__all__ = [
    "GATE_EQUATIONS",
    "gru",
    "gru_step",
    "keras_weights",
    "lstm",
    "lstm_step",
    "sigmoid",
    "simple_rnn",
    "simple_rnn_step",
]

Activation = Callable[[np.ndarray], np.ndarray]

# ---------------------------------------------------------------------------
# The equations
# ---------------------------------------------------------------------------

#: LaTeX for each cell, one ``aligned`` block per cell. Row-vector convention
#: (``x_t W``), as in Keras. ``W_*`` are column blocks of ``kernel``, ``U_*``
#: column blocks of ``recurrent_kernel`` and ``b_*`` blocks of ``bias``;
#: :math:`\sigma` is the logistic sigmoid and :math:`\odot` is element-wise
#: multiplication. Display one with
#: ``IPython.display.Math(GATE_EQUATIONS["lstm"])``.
GATE_EQUATIONS: dict[str, str] = {
    "simple_rnn": (
        r"\begin{aligned}"
        r"h_t &= \tanh\left(x_t W + h_{t-1} U + b\right)"
        r"\end{aligned}"
    ),
    "lstm": (
        r"\begin{aligned}"
        r"i_t &= \sigma\left(x_t W_i + h_{t-1} U_i + b_i\right) \\"
        r"f_t &= \sigma\left(x_t W_f + h_{t-1} U_f + b_f\right) \\"
        r"\tilde{c}_t &= \tanh\left(x_t W_c + h_{t-1} U_c + b_c\right) \\"
        r"o_t &= \sigma\left(x_t W_o + h_{t-1} U_o + b_o\right) \\"
        r"c_t &= f_t \odot c_{t-1} + i_t \odot \tilde{c}_t \\"
        r"h_t &= o_t \odot \tanh\left(c_t\right)"
        r"\end{aligned}"
    ),
    # Keras default: reset_after=True, two bias vectors per gate
    # (b^{(x)} = bias[0], b^{(h)} = bias[1]); the reset gate multiplies the
    # *result* of the recurrent matrix product.
    "gru_reset_after": (
        r"\begin{aligned}"
        r"z_t &= \sigma\left(x_t W_z + b^{(x)}_z + h_{t-1} U_z + b^{(h)}_z\right) \\"
        r"r_t &= \sigma\left(x_t W_r + b^{(x)}_r + h_{t-1} U_r + b^{(h)}_r\right) \\"
        r"\tilde{h}_t &= \tanh\left(x_t W_h + b^{(x)}_h"
        r" + r_t \odot \left(h_{t-1} U_h + b^{(h)}_h\right)\right) \\"
        r"h_t &= z_t \odot h_{t-1} + \left(1 - z_t\right) \odot \tilde{h}_t"
        r"\end{aligned}"
    ),
    # Classic Cho et al. (2014) GRU: reset_after=False, one bias vector; the
    # reset gate multiplies h_{t-1} *before* the recurrent matrix product.
    "gru_reset_before": (
        r"\begin{aligned}"
        r"z_t &= \sigma\left(x_t W_z + h_{t-1} U_z + b_z\right) \\"
        r"r_t &= \sigma\left(x_t W_r + h_{t-1} U_r + b_r\right) \\"
        r"\tilde{h}_t &= \tanh\left(x_t W_h + \left(r_t \odot h_{t-1}\right) U_h"
        r" + b_h\right) \\"
        r"h_t &= z_t \odot h_{t-1} + \left(1 - z_t\right) \odot \tilde{h}_t"
        r"\end{aligned}"
    ),
}


# ---------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------


def sigmoid(x: np.ndarray) -> np.ndarray:
    """Numerically stable logistic sigmoid, ``1 / (1 + exp(-x))``.

    The naive formula overflows ``exp(-x)`` for large negative ``x``. Here
    ``exp`` is only ever applied to ``-|x|``, which lies in ``(0, 1]``, and the
    two halves of the real line use algebraically equal forms.

    Example:

        >>> import numpy as np
        >>> sigmoid(np.array([-1000.0, 0.0, 1000.0])).tolist()
        [0.0, 0.5, 1.0]
    """
    x = np.asarray(x, dtype=np.float64)
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def _as_float64(name: str, value: Any) -> np.ndarray:
    """Convert ``value`` to a float64 array, naming it in the error if that fails."""
    try:
        return np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError) as error:
        raise ValueError(f"{name} must be a numeric array; got {value!r}") from error


def _check_weights(
    features: int,
    kernel: Any,
    recurrent_kernel: Any,
    bias: Any,
    gates: int,
    bias_rows: int | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, int]:
    """Validate one cell's weights and return them as float64 with ``units``.

    ``gates`` is how many blocks sit side by side (1, 3 or 4). ``bias_rows``
    is ``None`` for a bias of shape ``(gates * units,)`` and ``2`` for Keras's
    ``reset_after=True`` GRU bias of shape ``(2, gates * units)``. A ``bias`` of
    ``None`` means no bias (Keras's ``use_bias=False``) and becomes zeros.
    """
    gate_text = "" if gates == 1 else f"{gates} * "
    recurrent_kernel = _as_float64("recurrent_kernel", recurrent_kernel)
    if (
        recurrent_kernel.ndim != 2
        or recurrent_kernel.shape[1] != gates * recurrent_kernel.shape[0]
    ):
        raise ValueError(
            f"recurrent_kernel must have shape (units, {gate_text}units); "
            f"got {recurrent_kernel.shape}"
        )
    units = recurrent_kernel.shape[0]
    width = gates * units

    kernel = _as_float64("kernel", kernel)
    if kernel.shape != (features, width):
        raise ValueError(
            f"kernel must have shape (features, {gate_text}units) = "
            f"({features}, {width}) for {features} input features and "
            f"{units} units; got {kernel.shape}"
        )

    expected_bias = (width,) if bias_rows is None else (bias_rows, width)
    if bias is None:
        bias = np.zeros(expected_bias)
    else:
        bias = _as_float64("bias", bias)
    if bias.shape != expected_bias:
        if bias_rows is None:
            wanted = f"({gate_text}units,) = {expected_bias}"
        else:
            wanted = f"({bias_rows}, {gate_text}units) = {expected_bias}"
        hint = ""
        if gates == 3 and bias_rows is not None and bias.shape == (width,):
            hint = (
                " reset_after=True (the Keras default) needs separate input and"
                " recurrent biases; use reset_after=False for a single bias"
                " vector."
            )
        elif gates == 3 and bias_rows is None and bias.shape == (2, width):
            hint = (
                " A (2, 3 * units) bias belongs to a reset_after=True GRU; pass reset_after=True."
            )
        raise ValueError(f"bias must have shape {wanted}; got {bias.shape}.{hint}")
    return kernel, recurrent_kernel, bias, units


def _check_step_input(x_t: Any) -> np.ndarray:
    x_t = _as_float64("x_t", x_t)
    if x_t.ndim != 2:
        raise ValueError(
            f"x_t must have shape (batch, features); got {x_t.shape}. "
            "For a single example use x_t[np.newaxis, :]."
        )
    return x_t


def _check_sequence_input(inputs: Any) -> np.ndarray:
    inputs = _as_float64("inputs", inputs)
    if inputs.ndim != 3:
        raise ValueError(
            f"inputs must have shape (batch, timesteps, features); got {inputs.shape}"
        )
    if inputs.shape[1] == 0:
        raise ValueError(f"inputs must have at least one timestep; got shape {inputs.shape}")
    return inputs


def _check_state(name: str, state: Any, batch: int, units: int) -> np.ndarray:
    state = _as_float64(name, state)
    if state.shape != (batch, units):
        raise ValueError(
            f"{name} must have shape (batch, units) = ({batch}, {units}); got {state.shape}"
        )
    return state


def _initial_states(
    initial_state: Any, names: Sequence[str], batch: int, units: int
) -> list[np.ndarray]:
    """Zeros when ``initial_state`` is None, else validated arrays.

    One state (SimpleRNN, GRU) may come as an array or a one-element list, as
    Keras allows; the LSTM's two states come as ``(h0, c0)``.
    """
    if initial_state is None:
        return [np.zeros((batch, units)) for _ in names]
    if len(names) == 1 and not isinstance(initial_state, (list, tuple)):
        initial_state = [initial_state]
    if not isinstance(initial_state, (list, tuple)) or len(initial_state) != len(names):
        raise ValueError(
            f"initial_state must be a list of {len(names)} arrays "
            f"[{', '.join(names)}], each of shape (batch, units) = "
            f"({batch}, {units})"
        )
    return [
        _check_state(f"initial_state[{index}] ({name})", state, batch, units)
        for index, (name, state) in enumerate(zip(names, initial_state))
    ]


def _finish(
    outputs: list[np.ndarray],
    states: list[np.ndarray],
    return_sequences: bool,
    return_state: bool,
) -> np.ndarray | tuple[np.ndarray, ...]:
    """Shape the result the way Keras does: output, then the final states."""
    output = np.stack(outputs, axis=1) if return_sequences else outputs[-1]
    if return_state:
        return (output, *states)
    return output


# ---------------------------------------------------------------------------
# SimpleRNN
# ---------------------------------------------------------------------------


def _simple_rnn_core(x_t, h_prev, kernel, recurrent_kernel, bias, activation):
    return activation(x_t @ kernel + h_prev @ recurrent_kernel + bias)


def simple_rnn_step(
    x_t: np.ndarray,
    h_prev: np.ndarray,
    kernel: np.ndarray,
    recurrent_kernel: np.ndarray,
    bias: np.ndarray | None,
    activation: Activation = np.tanh,
) -> np.ndarray:
    r"""One SimpleRNN timestep: ``h_t = activation(x_t W + h_{t-1} U + b)``.

    Args:
        x_t: inputs at this timestep, shape ``(batch, features)``.
        h_prev: previous hidden state, shape ``(batch, units)``.
        kernel: ``W``, shape ``(features, units)``.
        recurrent_kernel: ``U``, shape ``(units, units)``.
        bias: ``b``, shape ``(units,)``, or ``None`` for no bias.
        activation: element-wise function; Keras's default is ``tanh``.

    Returns:
        The new hidden state ``h_t``, shape ``(batch, units)``. For a
        SimpleRNN the output at a step *is* the hidden state.

    Example:

        >>> import numpy as np
        >>> x_t = np.ones((1, 2))
        >>> h = simple_rnn_step(x_t, np.zeros((1, 3)), np.full((2, 3), 0.5),
        ...                     np.eye(3), np.zeros(3))
        >>> np.allclose(h, np.tanh(1.0))
        True
    """
    x_t = _check_step_input(x_t)
    kernel, recurrent_kernel, bias, units = _check_weights(
        x_t.shape[1], kernel, recurrent_kernel, bias, gates=1
    )
    h_prev = _check_state("h_prev", h_prev, x_t.shape[0], units)
    return _simple_rnn_core(x_t, h_prev, kernel, recurrent_kernel, bias, activation)


def simple_rnn(
    inputs: np.ndarray,
    kernel: np.ndarray,
    recurrent_kernel: np.ndarray,
    bias: np.ndarray | None,
    initial_state: np.ndarray | None = None,
    return_sequences: bool = False,
    return_state: bool = False,
    activation: Activation = np.tanh,
) -> np.ndarray | tuple[np.ndarray, np.ndarray]:
    """Run a SimpleRNN over a whole sequence, like ``keras.layers.SimpleRNN``.

    Args:
        inputs: shape ``(batch, timesteps, features)``.
        kernel, recurrent_kernel, bias: as in :func:`simple_rnn_step`.
        initial_state: ``h_0`` of shape ``(batch, units)`` (or a one-element
            list holding it, as Keras accepts); zeros when ``None``.
        return_sequences: return every step's output ``(batch, timesteps,
            units)`` instead of only the last ``(batch, units)``.
        return_state: also return the final hidden state, giving
            ``(output, h_T)``, in Keras's order.
        activation: element-wise function; Keras's default is ``tanh``.

    Example:

        >>> import numpy as np
        >>> rng = np.random.default_rng(0)
        >>> x = rng.normal(size=(4, 7, 5))
        >>> W, U, b = rng.normal(size=(5, 3)), rng.normal(size=(3, 3)), np.zeros(3)
        >>> simple_rnn(x, W, U, b).shape
        (4, 3)
        >>> sequence, h_last = simple_rnn(x, W, U, b, return_sequences=True,
        ...                               return_state=True)
        >>> sequence.shape, np.allclose(sequence[:, -1], h_last)
        ((4, 7, 3), True)
    """
    inputs = _check_sequence_input(inputs)
    batch, timesteps, features = inputs.shape
    kernel, recurrent_kernel, bias, units = _check_weights(
        features, kernel, recurrent_kernel, bias, gates=1
    )
    (h,) = _initial_states(initial_state, ["h0"], batch, units)
    outputs = []
    for t in range(timesteps):
        h = _simple_rnn_core(inputs[:, t], h, kernel, recurrent_kernel, bias, activation)
        outputs.append(h)
    return _finish(outputs, [h], return_sequences, return_state)


# ---------------------------------------------------------------------------
# LSTM
# ---------------------------------------------------------------------------


def _lstm_core(x_t, h_prev, c_prev, kernel, recurrent_kernel, bias):
    # All four gates in one product, then split into the i, f, c, o blocks.
    pre_activations = x_t @ kernel + h_prev @ recurrent_kernel + bias
    z_i, z_f, z_c, z_o = np.split(pre_activations, 4, axis=1)
    input_gate = sigmoid(z_i)
    forget_gate = sigmoid(z_f)
    candidate = np.tanh(z_c)
    output_gate = sigmoid(z_o)
    c = forget_gate * c_prev + input_gate * candidate
    h = output_gate * np.tanh(c)
    return h, c


def lstm_step(
    x_t: np.ndarray,
    h_prev: np.ndarray,
    c_prev: np.ndarray,
    kernel: np.ndarray,
    recurrent_kernel: np.ndarray,
    bias: np.ndarray | None,
) -> tuple[np.ndarray, np.ndarray]:
    r"""One LSTM timestep, following Keras's weight layout.

    The four gates are column blocks of the weights, in Keras's order
    **i, f, c, o** (input gate, forget gate, candidate cell, output gate):

    .. math::

        i_t &= \sigma(x_t W_i + h_{t-1} U_i + b_i) \\
        f_t &= \sigma(x_t W_f + h_{t-1} U_f + b_f) \\
        \tilde c_t &= \tanh(x_t W_c + h_{t-1} U_c + b_c) \\
        o_t &= \sigma(x_t W_o + h_{t-1} U_o + b_o) \\
        c_t &= f_t \odot c_{t-1} + i_t \odot \tilde c_t \\
        h_t &= o_t \odot \tanh(c_t)

    The recurrent activation is the sigmoid and the activation ``tanh``,
    Keras's defaults.

    Args:
        x_t: inputs at this timestep, shape ``(batch, features)``.
        h_prev: previous hidden state, shape ``(batch, units)``.
        c_prev: previous cell state, shape ``(batch, units)``.
        kernel: shape ``(features, 4 * units)``, blocks i, f, c, o.
        recurrent_kernel: shape ``(units, 4 * units)``, blocks i, f, c, o.
        bias: shape ``(4 * units,)``, or ``None`` for no bias.

    Returns:
        ``(h_t, c_t)``, each of shape ``(batch, units)``.

    Example:

        >>> import numpy as np
        >>> units = 2
        >>> h, c = lstm_step(np.ones((1, 3)), np.zeros((1, units)),
        ...                  np.zeros((1, units)), np.zeros((3, 4 * units)),
        ...                  np.zeros((units, 4 * units)), np.zeros(4 * units))
        >>> h.shape, c.shape        # all-zero weights: c~ = tanh(0) = 0
        ((1, 2), (1, 2))
        >>> float(abs(h).max()), float(abs(c).max())
        (0.0, 0.0)
    """
    x_t = _check_step_input(x_t)
    kernel, recurrent_kernel, bias, units = _check_weights(
        x_t.shape[1], kernel, recurrent_kernel, bias, gates=4
    )
    h_prev = _check_state("h_prev", h_prev, x_t.shape[0], units)
    c_prev = _check_state("c_prev", c_prev, x_t.shape[0], units)
    return _lstm_core(x_t, h_prev, c_prev, kernel, recurrent_kernel, bias)


def lstm(
    inputs: np.ndarray,
    kernel: np.ndarray,
    recurrent_kernel: np.ndarray,
    bias: np.ndarray | None,
    initial_state: Sequence[np.ndarray] | None = None,
    return_sequences: bool = False,
    return_state: bool = False,
) -> np.ndarray | tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Run an LSTM over a whole sequence, like ``keras.layers.LSTM``.

    Args:
        inputs: shape ``(batch, timesteps, features)``.
        kernel, recurrent_kernel, bias: as in :func:`lstm_step`.
        initial_state: ``(h_0, c_0)``, each ``(batch, units)``, in Keras's
            order (hidden state first); zeros when ``None``.
        return_sequences: return every step's ``h_t`` ``(batch, timesteps,
            units)`` instead of only the last.
        return_state: also return the final states, giving
            ``(output, h_T, c_T)`` -- Keras's order.

    Example:

        >>> import numpy as np
        >>> rng = np.random.default_rng(0)
        >>> x = rng.normal(size=(4, 7, 5))
        >>> W, U = rng.normal(size=(5, 12)), rng.normal(size=(3, 12))
        >>> output, h, c = lstm(x, W, U, np.zeros(12), return_state=True)
        >>> output.shape, c.shape, np.allclose(output, h)
        ((4, 3), (4, 3), True)
    """
    inputs = _check_sequence_input(inputs)
    batch, timesteps, features = inputs.shape
    kernel, recurrent_kernel, bias, units = _check_weights(
        features, kernel, recurrent_kernel, bias, gates=4
    )
    h, c = _initial_states(initial_state, ["h0", "c0"], batch, units)
    outputs = []
    for t in range(timesteps):
        h, c = _lstm_core(inputs[:, t], h, c, kernel, recurrent_kernel, bias)
        outputs.append(h)
    return _finish(outputs, [h, c], return_sequences, return_state)


# ---------------------------------------------------------------------------
# GRU
# ---------------------------------------------------------------------------


def _gru_core(x_t, h_prev, kernel, recurrent_kernel, bias, reset_after):
    units = h_prev.shape[1]
    if reset_after:
        input_bias, recurrent_bias = bias[0], bias[1]
    else:
        input_bias, recurrent_bias = bias, np.zeros(3 * units)
    x_z, x_r, x_h = np.split(x_t @ kernel + input_bias, 3, axis=1)
    U_z, U_r, U_h = np.split(recurrent_kernel, 3, axis=1)
    b_z, b_r, b_h = np.split(recurrent_bias, 3)

    update_gate = sigmoid(x_z + h_prev @ U_z + b_z)
    reset_gate = sigmoid(x_r + h_prev @ U_r + b_r)
    if reset_after:
        # Reset gate applied to the result of the recurrent product.
        candidate = np.tanh(x_h + reset_gate * (h_prev @ U_h + b_h))
    else:
        # Classic GRU: reset gate applied to h_{t-1} before the product.
        candidate = np.tanh(x_h + (reset_gate * h_prev) @ U_h)
    # Keras's convention: z keeps the old state, (1 - z) takes the new one.
    return update_gate * h_prev + (1.0 - update_gate) * candidate


def _gru_bias_rows(reset_after: bool) -> int | None:
    return 2 if reset_after else None


def gru_step(
    x_t: np.ndarray,
    h_prev: np.ndarray,
    kernel: np.ndarray,
    recurrent_kernel: np.ndarray,
    bias: np.ndarray | None,
    reset_after: bool = True,
) -> np.ndarray:
    r"""One GRU timestep, following Keras exactly.

    The three blocks of the weights are, in Keras's order, **z** (update
    gate), **r** (reset gate) and **h** (candidate state). The state update
    is Keras's

    .. math:: h_t = z_t \odot h_{t-1} + (1 - z_t) \odot \tilde h_t ,

    so ``z`` close to 1 *keeps* the old state. (Some textbooks swap the roles
    of ``z`` and ``1 - z``; the two are the same model with the update gate's
    weights negated, but not the same numbers for the same weights.)

    ``reset_after=True`` (the Keras default; cuDNN's convention)::

        z  = sigmoid(x W_z + bx_z + h_prev U_z + bh_z)
        r  = sigmoid(x W_r + bx_r + h_prev U_r + bh_r)
        h~ = tanh(x W_h + bx_h + r * (h_prev U_h + bh_h))

    with ``bias`` of shape ``(2, 3 * units)``: row 0 the input biases ``bx``,
    row 1 the recurrent biases ``bh``.

    ``reset_after=False`` (the original Cho et al., 2014 GRU)::

        z  = sigmoid(x W_z + h_prev U_z + b_z)
        r  = sigmoid(x W_r + h_prev U_r + b_r)
        h~ = tanh(x W_h + (r * h_prev) U_h + b_h)

    with ``bias`` of shape ``(3 * units,)``.

    Args:
        x_t: inputs at this timestep, shape ``(batch, features)``.
        h_prev: previous hidden state, shape ``(batch, units)``.
        kernel: shape ``(features, 3 * units)``, blocks z, r, h.
        recurrent_kernel: shape ``(units, 3 * units)``, blocks z, r, h.
        bias: ``(2, 3 * units)`` if ``reset_after`` else ``(3 * units,)``;
            ``None`` for no bias.
        reset_after: which of the two conventions above to use.

    Returns:
        The new hidden state ``h_t``, shape ``(batch, units)``.

    Example:

        >>> import numpy as np
        >>> units, h_prev = 2, np.full((1, 2), 0.7)
        >>> zeros = dict(kernel=np.zeros((3, 6)), recurrent_kernel=np.zeros((2, 6)))
        >>> h = gru_step(np.ones((1, 3)), h_prev, bias=np.zeros((2, 6)), **zeros)
        >>> np.allclose(h, 0.5 * h_prev)     # z = 0.5, h~ = tanh(0) = 0
        True
        >>> h = gru_step(np.ones((1, 3)), h_prev, bias=np.zeros(6),
        ...              reset_after=False, **zeros)
        >>> np.allclose(h, 0.5 * h_prev)
        True
    """
    x_t = _check_step_input(x_t)
    kernel, recurrent_kernel, bias, units = _check_weights(
        x_t.shape[1],
        kernel,
        recurrent_kernel,
        bias,
        gates=3,
        bias_rows=_gru_bias_rows(reset_after),
    )
    h_prev = _check_state("h_prev", h_prev, x_t.shape[0], units)
    return _gru_core(x_t, h_prev, kernel, recurrent_kernel, bias, reset_after)


def gru(
    inputs: np.ndarray,
    kernel: np.ndarray,
    recurrent_kernel: np.ndarray,
    bias: np.ndarray | None,
    initial_state: np.ndarray | None = None,
    return_sequences: bool = False,
    return_state: bool = False,
    reset_after: bool = True,
) -> np.ndarray | tuple[np.ndarray, np.ndarray]:
    """Run a GRU over a whole sequence, like ``keras.layers.GRU``.

    Uses Keras's update ``h_t = z_t * h_{t-1} + (1 - z_t) * h~_t``; see
    :func:`gru_step` for both ``reset_after`` conventions and bias shapes.

    Args:
        inputs: shape ``(batch, timesteps, features)``.
        kernel, recurrent_kernel, bias, reset_after: as in :func:`gru_step`.
        initial_state: ``h_0`` of shape ``(batch, units)`` (or a one-element
            list holding it); zeros when ``None``.
        return_sequences: return every step's output ``(batch, timesteps,
            units)`` instead of only the last.
        return_state: also return the final state, giving ``(output, h_T)``.

    Example:

        >>> import numpy as np
        >>> rng = np.random.default_rng(0)
        >>> x = rng.normal(size=(4, 7, 5))
        >>> W, U = rng.normal(size=(5, 9)), rng.normal(size=(3, 9))
        >>> gru(x, W, U, np.zeros((2, 9))).shape                  # reset_after=True
        (4, 3)
        >>> gru(x, W, U, np.zeros(9), reset_after=False,
        ...     return_sequences=True).shape
        (4, 7, 3)
    """
    inputs = _check_sequence_input(inputs)
    batch, timesteps, features = inputs.shape
    kernel, recurrent_kernel, bias, units = _check_weights(
        features,
        kernel,
        recurrent_kernel,
        bias,
        gates=3,
        bias_rows=_gru_bias_rows(reset_after),
    )
    (h,) = _initial_states(initial_state, ["h0"], batch, units)
    outputs = []
    for t in range(timesteps):
        h = _gru_core(inputs[:, t], h, kernel, recurrent_kernel, bias, reset_after)
        outputs.append(h)
    return _finish(outputs, [h], return_sequences, return_state)


# ---------------------------------------------------------------------------
# Weights from Keras
# ---------------------------------------------------------------------------

_DEFAULT_ACTIVATIONS = {
    "SimpleRNNCell": ("tanh", None),
    "LSTMCell": ("tanh", "sigmoid"),
    "GRUCell": ("tanh", "sigmoid"),
}


def _activation_name(function: Any) -> str | None:
    return None if function is None else getattr(function, "__name__", repr(function))


def _to_numpy(variable: Any) -> np.ndarray:
    value = variable.numpy() if hasattr(variable, "numpy") else variable
    return np.array(value, dtype=np.float64)


def keras_weights(layer: Any) -> dict[str, Any]:
    """Pull the weights out of a built Keras SimpleRNN, LSTM or GRU layer.

    Returns a dict with ``kernel``, ``recurrent_kernel`` and ``bias`` as
    float64 NumPy arrays (``bias`` is ``None`` for ``use_bias=False``), plus
    ``reset_after`` for a GRU. It unpacks straight into the matching
    reference function::

        simple_rnn(x, **keras_weights(keras_simple_rnn_layer))
        lstm(x, **keras_weights(keras_lstm_layer))
        gru(x, **keras_weights(keras_gru_layer))

    The layer's cell (``layer.cell``) or the cell itself may be passed.

    Raises:
        ValueError: if the layer is not one of the three, is not built yet
            (call it on some input first), runs ``go_backwards=True``, or uses
            non-default activations, which the references do not model (for
            a SimpleRNN pass ``activation=`` to :func:`simple_rnn` yourself).

    Example:

        >>> import numpy as np, keras
        >>> layer = keras.layers.GRU(3)
        >>> x = np.random.default_rng(0).normal(size=(2, 4, 5)).astype("float32")
        >>> keras_output = keras.ops.convert_to_numpy(layer(x))
        >>> weights = keras_weights(layer)
        >>> weights["bias"].shape, weights["reset_after"]
        ((2, 9), True)
        >>> bool(np.abs(gru(x, **weights) - keras_output).max() < 1e-5)
        True
    """
    cell = getattr(layer, "cell", layer)
    kind = type(cell).__name__
    if kind not in _DEFAULT_ACTIVATIONS:
        raise ValueError(
            "keras_weights expects a keras.layers.SimpleRNN, LSTM or GRU layer "
            f"(or its cell); got {type(layer).__name__}"
        )
    if not getattr(cell, "built", False) or getattr(cell, "kernel", None) is None:
        raise ValueError(
            f"{type(layer).__name__} is not built yet: call it on an input of "
            "shape (batch, timesteps, features) first, so its weights exist"
        )
    if getattr(layer, "go_backwards", False):
        raise ValueError(
            "go_backwards=True is not modelled; reverse the time axis of the "
            "inputs yourself (inputs[:, ::-1]) and use a forward layer"
        )
    activation, recurrent_activation = _DEFAULT_ACTIVATIONS[kind]
    found = _activation_name(cell.activation)
    if found != activation:
        raise ValueError(
            f"{kind} uses activation {found!r}, but the reference implements "
            f"{activation!r} (the Keras default)"
        )
    if recurrent_activation is not None:
        found = _activation_name(cell.recurrent_activation)
        if found != recurrent_activation:
            raise ValueError(
                f"{kind} uses recurrent_activation {found!r}, but the reference "
                f"implements {recurrent_activation!r} (the Keras default)"
            )

    bias = getattr(cell, "bias", None)
    weights: dict[str, Any] = {
        "kernel": _to_numpy(cell.kernel),
        "recurrent_kernel": _to_numpy(cell.recurrent_kernel),
        "bias": None if bias is None else _to_numpy(bias),
    }
    if kind == "GRUCell":
        weights["reset_after"] = bool(cell.reset_after)
    return weights
