"""Checkers for chapter 4, recurrent networks (exercise ids ``recurrent-networks.N``)."""

from __future__ import annotations

from typing import Any

import numpy as np

from course.exercises import checker, compare_values, correct, wrong
from course.exercises.answers import (
    AnswerError,
    as_array,
    as_integer,
    as_shape,
    describe,
    rounding_hint,
    to_python,
)
from course.rnn_reference import gru_step, sigmoid

# Exercise 1: the parameter count of an LSTM layer, by formula.
EXERCISE_1_FEATURES = 50
EXERCISE_1_UNITS = 64

# Exercise 2: one GRU step (reset_after=True) in NumPy. Weights in Keras's layout.
_rng = np.random.default_rng(2024)
EXERCISE_2_X = _rng.normal(size=(2, 3))
EXERCISE_2_H = np.tanh(_rng.normal(size=(2, 4)))
EXERCISE_2_KERNEL = _rng.normal(scale=0.6, size=(3, 12))
EXERCISE_2_RECURRENT_KERNEL = _rng.normal(scale=0.6, size=(4, 12))
EXERCISE_2_BIAS = _rng.normal(scale=0.3, size=(2, 12))
del _rng

# Exercise 3: output shapes through SimpleRNN(16, rs) -> LSTM(8, rs) -> GRU(4).
EXERCISE_3_BATCH, EXERCISE_3_TIMESTEPS, EXERCISE_3_FEATURES = 32, 40, 8
EXERCISE_3_LAYERS = (("SimpleRNN", 16, True), ("LSTM", 8, True), ("GRU", 4, False))


@checker("recurrent-networks.1")
def check_lstm_parameter_count(answer: Any) -> Any:
    """Trainable parameters of ``LSTM(EXERCISE_1_UNITS)`` on ``EXERCISE_1_FEATURES`` inputs."""
    from course.sequences import parameter_count  # imports Keras: only when this checker runs

    features, units = EXERCISE_1_FEATURES, EXERCISE_1_UNITS
    count = as_integer(answer, name="the parameter count")
    expected = parameter_count("lstm", features, units)
    if count == expected:
        return correct(
            f"Correct: 4 × ({features}·{units} + {units}·{units} + {units}) = {expected}."
        )
    one_block = features * units + units * units + units
    mistakes = {
        one_block: "That is one block. An LSTM has four (input gate, forget gate, candidate, "
        "output gate), each with its own kernel, recurrent kernel and bias.",
        4 * (features * units + units * units): "You left out the biases: each of the four blocks "
        f"has {units} of them.",
        4 * (features * units + units): "You left out the recurrent kernel: each block also "
        f"multiplies the previous output h_(t-1), a {units} × {units} matrix.",
        4 * (units * units + units): f"You left out the input kernel: each block multiplies the "
        f"input x_t, a {features} × {units} matrix.",
        parameter_count("gru", features, units): "That is a GRU with reset_after=True (three "
        "blocks, two biases). An LSTM has four blocks and one bias per block.",
        parameter_count("gru", features, units, reset_after=False): "That is a classic GRU "
        "(three blocks). An LSTM has four.",
        4 * ((features + 1) * units + (units + 1) * units): "You counted a bias for the input "
        "kernel and another for the recurrent kernel; a Keras LSTM has one bias per block.",
    }
    if count in mistakes:
        return wrong(mistakes[count])
    return wrong(
        f"{count} is not it. Count, for each of the 4 blocks: the input kernel "
        f"({features} × {units}), the recurrent kernel ({units} × {units}) and the bias ({units})."
    )


def _gru_variants() -> dict[str, np.ndarray]:
    """Answers that common mistakes in exercise 2 produce."""
    x, h = EXERCISE_2_X, EXERCISE_2_H
    kernel, recurrent_kernel, bias = (
        EXERCISE_2_KERNEL,
        EXERCISE_2_RECURRENT_KERNEL,
        EXERCISE_2_BIAS,
    )
    x_z, x_r, x_h = np.split(x @ kernel + bias[0], 3, axis=1)
    h_z, h_r, h_h = np.split(h @ recurrent_kernel + bias[1], 3, axis=1)
    z, r = sigmoid(x_z + h_z), sigmoid(x_r + h_r)
    candidate = np.tanh(x_h + r * h_h)
    U_h = np.split(recurrent_kernel, 3, axis=1)[2]
    b_h = np.split(bias[1], 3)[2]
    reset_before = np.tanh(x_h + (r * h) @ U_h + b_h)
    swapped_gates_z, swapped_gates_r = sigmoid(x_r + h_r), sigmoid(x_z + h_z)
    swapped_candidate = np.tanh(x_h + swapped_gates_r * h_h)
    return {
        "swapped_update": (1 - z) * h + z * candidate,
        "reset_before": z * h + (1 - z) * reset_before,
        "candidate_only": candidate,
        "no_reset": z * h + (1 - z) * np.tanh(x_h + h_h),
        "swapped_gate_order": swapped_gates_z * h + (1 - swapped_gates_z) * swapped_candidate,
    }


@checker("recurrent-networks.2")
def check_gru_step(answer: Any) -> Any:
    """``h_t`` of one Keras GRU step (``reset_after=True``) on the exercise's arrays."""
    expected = gru_step(
        EXERCISE_2_X,
        EXERCISE_2_H,
        EXERCISE_2_KERNEL,
        EXERCISE_2_RECURRENT_KERNEL,
        EXERCISE_2_BIAS,
        reset_after=True,
    )
    array = as_array(answer, dtype=float, name="h_t")
    if array.shape != expected.shape:
        hint = ""
        if array.shape == (2, 12):
            hint = (
                " That is as wide as all three blocks: split the products into z, r and h "
                "with np.split(..., 3, axis=1)."
            )
        elif array.shape in ((4,), (2,)) or array.ndim == 1:
            hint = " Keep the batch axis: one row of 4 units per example."
        elif array.shape == expected.shape[::-1]:
            hint = " That is the transpose: keep batch first, units last."
        return wrong(
            f"h_t should have shape (batch, units) = {expected.shape}, got {array.shape}.{hint}"
        )
    if np.allclose(array, expected, atol=1e-6):
        return correct("Correct: this is what keras.layers.GRU(4) computes for one step.")
    if (hint := rounding_hint(array, expected, atol=1e-6, name="h_t")) is not None:
        return wrong(hint)
    hints = {
        "swapped_update": "You swapped the roles of z and 1 - z. "
        "In Keras, h_t = z * h_(t-1) + (1 - z) * h~_t: "
        "z close to 1 keeps the old state.",
        "reset_before": "That is the classic GRU (reset_after=False): "
        "the reset gate multiplies h_(t-1) "
        "before the product with U_h. Keras's default applies it after: r * (h_(t-1) U_h + b_h).",
        "candidate_only": "That is the candidate h~_t. The new state mixes it with the old one: "
        "h_t = z * h_(t-1) + (1 - z) * h~_t.",
        "no_reset": "The reset gate is missing: the candidate uses r * (h_(t-1) U_h + b_h).",
        "swapped_gate_order": "The gates are in the wrong order: Keras's blocks are z, r, h "
        "(update, reset, candidate), left to right.",
    }
    for name, variant in _gru_variants().items():
        if np.allclose(array, variant, atol=1e-6):
            return wrong(hints[name])
    if np.abs(array).max() > 1:
        return wrong("A GRU state stays within [-1, 1]: check the sigmoid and tanh.")
    feedback = compare_values(array, expected, atol=1e-6, name="h_t")
    return wrong(
        feedback.message
        + " Check the biases: row 0 goes with the input product, row 1 with the recurrent one."
    )


def _as_shapes(
    answer: Any, layers: tuple[tuple[str, int, bool], ...]
) -> list[tuple[int | None, ...]]:
    """A list of one shape per layer, each read by :func:`as_shape`."""
    count = len(layers)
    answer = to_python(answer)
    if not isinstance(answer, (list, tuple)):
        raise AnswerError(
            f"Expected a list of {count} shape tuples, one per layer, got {describe(answer)}."
        )
    if len(answer) != count:
        single = all(isinstance(size, (int, np.integer)) or size is None for size in answer)
        hint = " That looks like a single shape: give one shape per layer." if single else ""
        raise AnswerError(
            f"Expected one shape per layer, {count} in all; got {len(answer)}.{hint}"
        )
    return [
        as_shape(shape, name=f"the {name} shape") for (name, _, _), shape in zip(layers, answer)
    ]


@checker("recurrent-networks.3")
def check_stack_shapes(answer: Any) -> Any:
    """Output shapes of the three stacked layers, as a list of three tuples."""
    batch, timesteps = EXERCISE_3_BATCH, EXERCISE_3_TIMESTEPS
    expected = [
        (batch, timesteps, units) if sequences else (batch, units)
        for _, units, sequences in EXERCISE_3_LAYERS
    ]
    shapes = _as_shapes(answer, EXERCISE_3_LAYERS)
    for (name, units, sequences), given, want in zip(EXERCISE_3_LAYERS, shapes, expected):
        if given and given[0] is None:
            given = (batch, *given[1:])  # a symbolic batch size is fine
        if given == want:
            continue
        if sequences and given == (batch, units):
            return wrong(
                f"{name}({units}) has return_sequences=True: it returns every timestep's output, "
                f"(batch, timesteps, units)."
            )
        if not sequences and len(given) == 3:
            return wrong(
                f"{name}({units}) has return_sequences=False: "
                "it returns only the last output, (batch, units)."
            )
        if len(given) == len(want) and given[-1] != units:
            return wrong(
                f"The last axis of {name}'s output is its number of units, {units}; "
                f"got {given[-1]}."
            )
        return wrong(
            f"The shape for {name}({units}) is not {given}. "
            "Think about batch, timesteps and units."
        )
    return correct("Correct: only the last layer drops the time axis.")
