"""Checkers for chapter 6, 1D convnets for sequences (ids ``convnets-for-sequences.N``)."""

from __future__ import annotations

from typing import Any

import numpy as np

from course.conv1d_reference import (
    conv1d,
    conv1d_output_length,
    max_pooling1d,
    pooling_output_length,
    receptive_field,
)
from course.exercises import checker, compare_values, correct, wrong
from course.exercises.answers import (
    as_array,
    as_integer,
    as_shapes,
    rounding_hint,
)

# Exercise 1: output shapes through Conv1D(32, 7) -> MaxPooling1D(5) -> Conv1D(16, 7).
EXERCISE_1_BATCH, EXERCISE_1_STEPS, EXERCISE_1_CHANNELS = 32, 500, 64
EXERCISE_1_LAYERS = (("Conv1D", 32, 7), ("MaxPooling1D", None, 5), ("Conv1D", 16, 7))

# Exercise 2: the receptive field of Conv1D(5), MaxPooling1D(3), Conv1D(5), MaxPooling1D(3),
# Conv1D(5), as (window, strides) from the bottom up.
EXERCISE_2_LAYERS = ((5, 1), (3, 3), (5, 1), (3, 3), (5, 1))

# Exercise 3: Conv1D(3, 4, strides=2, padding="same") by hand, weights in Keras's layout.
_rng = np.random.default_rng(606)
EXERCISE_3_X = _rng.normal(size=(1, 9, 2))
EXERCISE_3_KERNEL = _rng.normal(size=(4, 2, 3))
EXERCISE_3_BIAS = _rng.normal(size=3)
EXERCISE_3_STRIDES = 2

# Exercise 4: MaxPooling1D(pool_size=3, strides=2) by hand.
EXERCISE_4_X = _rng.normal(size=(1, 10, 2))
EXERCISE_4_POOL_SIZE, EXERCISE_4_STRIDES = 3, 2
del _rng


def _expected_shapes() -> list[tuple[int, ...]]:
    shapes, steps = [], EXERCISE_1_STEPS
    channels = EXERCISE_1_CHANNELS
    for name, filters, window in EXERCISE_1_LAYERS:
        if name == "Conv1D":
            steps, channels = conv1d_output_length(steps, window), filters
        else:
            steps = pooling_output_length(steps, window)
        shapes.append((EXERCISE_1_BATCH, steps, channels))
    return shapes


@checker("convnets-for-sequences.1")
def check_stack_shapes(answer: Any) -> Any:
    """Output shapes of Conv1D(32, 7) -> MaxPooling1D(5) -> Conv1D(16, 7) on (32, 500, 64)."""
    expected = _expected_shapes()
    shapes = as_shapes(answer, len(EXERCISE_1_LAYERS))
    for (name, filters, window), given, want in zip(EXERCISE_1_LAYERS, shapes, expected):
        label = f"{name}({filters}, {window})" if filters else f"{name}({window})"
        if given and given[0] is None:
            given = (EXERCISE_1_BATCH, *given[1:])  # a symbolic batch size is fine
        if given == want:
            continue
        if len(given) != 3:
            return wrong(
                f"{label} returns a sequence: (batch, steps, channels), three sizes; got {given}."
            )
        if given[2] != want[2]:
            what = "its number of filters" if filters else "the channels of its input"
            return wrong(
                f"The last axis of {label}'s output is {what}, {want[2]}; got {given[2]}."
            )
        if name == "MaxPooling1D" and given[1] == want[1] + 1:
            return wrong(
                f"{label} keeps only whole windows: the last, incomplete window is dropped, "
                "so divide and round down."
            )
        if name == "Conv1D" and given[1] == want[1] + window - 1:
            return wrong(
                f"With padding='valid' (the default) {label} only takes windows that fit: "
                f"a window of {window} steps fits {window - 1} fewer times than there are steps."
            )
        if name == "MaxPooling1D" and given[1] > want[1] * 2:
            return wrong(f"{label} divides the number of steps by its pool size, {window}.")
        return wrong(
            f"The number of steps after {label} is not {given[1]}. "
            "Work it out layer by layer from the 500 input steps."
        )
    return correct("Correct: 500 → 494 → 98 → 92 steps, channels 64 → 32 → 32 → 16.")


@checker("convnets-for-sequences.2")
def check_receptive_field(answer: Any) -> Any:
    """Receptive field, in input steps, of the stack in ``EXERCISE_2_LAYERS``."""
    field = as_integer(answer, name="the receptive field")
    expected = receptive_field(EXERCISE_2_LAYERS)
    if field == expected:
        return correct(
            f"Correct: 1 + 4 + 2 + 4·3 + 2·3 + 4·9 = {expected} input steps for one output."
        )
    windows = [window for window, _ in EXERCISE_2_LAYERS]
    no_jumps = 1 + sum(window - 1 for window in windows)
    product = int(np.prod(windows))
    mistakes = {
        no_jumps: "You added (window - 1) for every layer as if all were on the input. Above a "
        "pooling layer with stride 3, one step stands for 3 input steps: multiply each "
        "layer's (window - 1) by the product of the strides below it.",
        sum(windows): "Windows do not simply add up: neighbouring windows overlap. Add "
        "(window - 1) × (product of the strides below) for each layer, starting from 1.",
        product: "Multiplying the windows overcounts: each layer adds "
        "(window - 1) × (product of the strides below it) to the field, starting from 1.",
        expected - 1: "Off by one: start from 1 (one output step sees at least one input step) "
        "and add (window - 1) × jump for each layer.",
        expected + 1: "Off by one: start from 1 and add (window - 1) × jump for each layer.",
    }
    if field in mistakes:
        return wrong(mistakes[field])
    return wrong(
        f"{field} is not it. Going up the stack, keep a 'jump' (the product of the strides so "
        "far, starting at 1) and add (window - 1) × jump for each layer to a field that "
        "starts at 1."
    )


def _conv_expected() -> np.ndarray:
    return conv1d(
        EXERCISE_3_X,
        EXERCISE_3_KERNEL,
        EXERCISE_3_BIAS,
        strides=EXERCISE_3_STRIDES,
        padding="same",
    )


def conv_variants() -> dict[str, np.ndarray]:
    """Answers that common mistakes in exercise 3 produce (all of the right shape)."""
    x, kernel, bias, strides = EXERCISE_3_X, EXERCISE_3_KERNEL, EXERCISE_3_BIAS, EXERCISE_3_STRIDES
    padded_front = np.pad(x, ((0, 0), (2, 1), (0, 0)))  # the odd zero at the start
    return {
        "flipped": conv1d(x, kernel[::-1], bias, strides=strides, padding="same"),
        "no_bias": conv1d(x, kernel, None, strides=strides, padding="same"),
        "padding_front": conv1d(padded_front, kernel, bias, strides=strides),
        "causal": conv1d(x, kernel, bias, strides=strides, padding="causal"),
    }


@checker("convnets-for-sequences.3")
def check_strided_same_conv(answer: Any) -> Any:
    """Conv1D(3, 4, strides=2, padding="same") of ``EXERCISE_3_X``: shape (1, 5, 3)."""
    expected = _conv_expected()
    array = as_array(answer, dtype=float, name="the output")
    if array.shape == expected.shape[1:]:
        array = array[np.newaxis]  # a single sequence without its batch axis is fine
    if array.shape != expected.shape:
        steps = array.shape[1] if array.ndim == 3 else None
        hints = {
            3: " That is padding='valid': with 'same', pad so that the output has "
            "ceil(9 / 2) = 5 steps.",
            9: " That is stride 1: with strides=2 the window moves 2 steps at a time.",
            6: " That is 'valid' at stride 1: pad, and move the window 2 steps at a time.",
            4: " With 'same' padding the output has ceil(steps / strides) = 5 steps.",
        }
        hint = hints.get(steps, "") if steps is not None else ""
        if array.shape == expected.shape[::-1] or array.shape == (1, 3, 5):
            hint = " Keep steps before filters: (batch, steps, filters)."
        return wrong(
            f"The output should have shape (batch, steps, filters) = {expected.shape}, "
            f"got {array.shape}.{hint}"
        )
    if np.allclose(array, expected, atol=1e-6):
        return correct("Correct: this is what keras.layers.Conv1D computes with these weights.")
    if (hint := rounding_hint(array, expected, atol=1e-6, name="the output")) is not None:
        return wrong(hint)
    hints = {
        "flipped": "You flipped the kernel (a textbook convolution). Keras does not flip it: "
        "output t is the sum of x[t·s + i] · kernel[i] for i = 0, 1, 2, 3.",
        "no_bias": "The bias is missing: add EXERCISE_3_BIAS to every output step.",
        "padding_front": "The padding is on the wrong side. The total padding is 3 zeros; "
        "TensorFlow puts the odd one at the end: 1 before, 2 after.",
        "causal": "That is padding='causal' (all zeros at the start). 'same' splits them: "
        "1 zero before the sequence, 2 after.",
    }
    for name, variant in conv_variants().items():
        if np.allclose(array, variant, atol=1e-6):
            return wrong(hints[name])
    return wrong(compare_values(array, expected, atol=1e-6, name="the output").message)


def pooling_variants() -> dict[str, np.ndarray]:
    """Answers that common mistakes in exercise 4 produce (all of the right shape)."""
    x, size, strides = EXERCISE_4_X, EXERCISE_4_POOL_SIZE, EXERCISE_4_STRIDES
    windows = np.lib.stride_tricks.sliding_window_view(x, size, axis=1)[:, ::strides]
    return {
        "average": windows.mean(axis=-1),
        "minimum": windows.min(axis=-1),
        "absolute": np.abs(windows).max(axis=-1),
    }


@checker("convnets-for-sequences.4")
def check_max_pooling(answer: Any) -> Any:
    """MaxPooling1D(pool_size=3, strides=2) of ``EXERCISE_4_X``: shape (1, 4, 2)."""
    size, strides = EXERCISE_4_POOL_SIZE, EXERCISE_4_STRIDES
    expected = max_pooling1d(EXERCISE_4_X, size, strides=strides)
    array = as_array(answer, dtype=float, name="the pooled sequence")
    if array.shape == expected.shape[1:]:
        array = array[np.newaxis]
    if array.shape != expected.shape:
        steps = array.shape[1] if array.ndim == 3 else None
        hints = {
            3: " That is strides=3 (the default, the pool size): here the windows move 2 steps.",
            5: " That is padding='same': 'valid' keeps only the 4 whole windows.",
            8: " That is stride 1: the windows move 2 steps at a time.",
        }
        hint = hints.get(steps, "") if steps is not None else ""
        if array.shape == (1, 4, 1) or array.shape == (1, 4):
            hint = " Pool each channel separately: the channels stay, (batch, steps, channels)."
        return wrong(
            f"The pooled sequence should have shape {expected.shape}, got {array.shape}.{hint}"
        )
    if np.allclose(array, expected, atol=1e-6):
        return correct("Correct: windows at steps 0-2, 2-4, 4-6 and 6-8, each channel's maximum.")
    if (hint := rounding_hint(array, expected, atol=1e-6, name="the pooled sequence")) is not None:
        return wrong(hint)
    hints = {
        "average": "That is average pooling: keep each window's largest value.",
        "minimum": "That is each window's smallest value: max pooling keeps the largest.",
        "absolute": "You took absolute values: max pooling keeps the largest signed value.",
    }
    for name, variant in pooling_variants().items():
        if np.allclose(array, variant, atol=1e-6):
            return wrong(hints[name])
    return wrong(compare_values(array, expected, atol=1e-6, name="the pooled sequence").message)
