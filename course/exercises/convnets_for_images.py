"""Checkers for chapter 10, convnets for images (ids ``convnets-for-images.N``)."""

from __future__ import annotations

from typing import Any

import numpy as np

from course.conv2d_reference import conv2d, conv2d_output_size, pooling_output_size
from course.exercises import checker, compare_values, correct, wrong
from course.exercises.answers import (
    as_array,
    as_integer,
    as_shapes,
    rounding_hint,
)

# Exercise 1: output shapes through Conv2D(32, 3) -> MaxPooling2D(2) -> Conv2D(64, 3) ->
# MaxPooling2D(2) on a batch of MNIST digits.
EXERCISE_1_INPUT = (32, 28, 28, 1)
EXERCISE_1_LAYERS = (
    ("Conv2D", 32, 3),
    ("MaxPooling2D", None, 2),
    ("Conv2D", 64, 3),
    ("MaxPooling2D", None, 2),
)

# Exercise 2: the parameters of Conv2D(64, 3) reading 32 channels.
EXERCISE_2_FILTERS, EXERCISE_2_KERNEL_SIZE, EXERCISE_2_CHANNELS = 64, 3, 32

# Exercise 3: Conv2D(2, 3, strides=2, padding="same") by hand, weights in Keras's layout.
_rng = np.random.default_rng(1010)
EXERCISE_3_X = _rng.normal(size=(1, 5, 5, 1))
EXERCISE_3_KERNEL = _rng.normal(size=(3, 3, 1, 2))
EXERCISE_3_BIAS = _rng.normal(size=2)
EXERCISE_3_STRIDES = 2

# Exercise 4: three 28 x 28 images to cut into quadrants in reading order.
EXERCISE_4_IMAGES = _rng.integers(0, 256, size=(3, 28, 28)).astype("float64")
del _rng


def expected_shapes() -> list[tuple[int, ...]]:
    """The right answer to exercise 1, computed with :mod:`course.conv2d_reference`."""
    batch, rows, columns, channels = EXERCISE_1_INPUT
    shapes = []
    for name, filters, window in EXERCISE_1_LAYERS:
        if name == "Conv2D":
            (rows, columns), channels = conv2d_output_size((rows, columns), window), filters
        else:
            rows, columns = pooling_output_size((rows, columns), window)
        shapes.append((batch, rows, columns, channels))
    return shapes


@checker("convnets-for-images.1")
def check_stack_shapes(answer: Any) -> Any:
    """Output shapes of the LeNet-style stack on a batch of shape ``EXERCISE_1_INPUT``."""
    expected = expected_shapes()
    shapes = as_shapes(answer, len(EXERCISE_1_LAYERS))
    for (name, filters, window), given, want in zip(EXERCISE_1_LAYERS, shapes, expected):
        label = f"{name}({filters}, {window})" if filters else f"{name}({window})"
        if given and given[0] is None:
            given = (EXERCISE_1_INPUT[0], *given[1:])  # a symbolic batch size is fine
        if given == want:
            continue
        if len(given) != 4:
            return wrong(
                f"{label} returns images: (batch, height, width, channels), four sizes; "
                f"got {given}."
            )
        if given[3] != want[3]:
            what = "its number of filters" if filters else "the channels of its input"
            return wrong(
                f"The last axis of {label}'s output is {what}, {want[3]}; got {given[3]}."
            )
        if given[1] != given[2]:
            return wrong(f"Height and width stay equal through {label}: the digits are square.")
        if name == "Conv2D" and given[1] == want[1] + window - 1:
            return wrong(
                f"With padding='valid' (the default) {label} only takes windows that fit: "
                f"a window of {window} pixels fits {window - 1} fewer times than there are "
                "pixels, along each axis."
            )
        if name == "MaxPooling2D" and given[1] == want[1] + 1:
            return wrong(
                f"{label} keeps only whole 2 × 2 blocks: an odd last row and column are "
                "dropped, so divide and round down."
            )
        if name == "MaxPooling2D" and given[1] > want[1] * 2 - 1:
            return wrong(f"{label} divides the height and the width by its pool size, {window}.")
        return wrong(
            f"The height and width after {label} are not {given[1]}. "
            "Work it out layer by layer from the 28 × 28 input."
        )
    return correct("Correct: 28 → 26 → 13 → 11 → 5 pixels a side, channels 1 → 32 → 32 → 64 → 64.")


@checker("convnets-for-images.2")
def check_conv_parameters(answer: Any) -> Any:
    """Trainable parameters of Conv2D(64, 3) on 32 input channels."""
    count = as_integer(answer, name="the number of parameters")
    size, channels, filters = EXERCISE_2_KERNEL_SIZE, EXERCISE_2_CHANNELS, EXERCISE_2_FILTERS
    weights = size * size * channels * filters
    expected = weights + filters
    if count == expected:
        return correct(
            f"Correct: {size} × {size} × {channels} × {filters} weights + {filters} biases "
            f"= {expected:,}."
        )
    mistakes = {
        weights: "The biases are missing: each filter has one bias.",
        size * size * filters + filters: "Each filter spans every input channel: its window "
        f"is {size} × {size} × {channels}, not {size} × {size}.",
        size * size * channels + 1: f"That is one filter; the layer has {filters}.",
        weights + channels: "One bias per filter (output channel), not per input channel.",
        size * channels * filters + filters: f"The kernel is {size} × {size}: square, "
        f"{size * size} positions per channel.",
    }
    if count in mistakes:
        return wrong(mistakes[count])
    return wrong(
        f"{count:,} is not it. A Conv2D layer has one kernel of shape (kernel rows, kernel "
        "columns, input channels, filters) and one bias per filter."
    )


def conv_variants() -> dict[str, np.ndarray]:
    """Answers that common mistakes in exercise 3 produce (all of the right shape)."""
    x, kernel, bias, strides = EXERCISE_3_X, EXERCISE_3_KERNEL, EXERCISE_3_BIAS, EXERCISE_3_STRIDES
    padded_front = np.pad(x, ((0, 0), (2, 0), (2, 0), (0, 0)))  # both zeros before
    return {
        "flipped": conv2d(x, kernel[::-1, ::-1], bias, strides=strides, padding="same"),
        "no_bias": conv2d(x, kernel, None, strides=strides, padding="same"),
        "padding_front": conv2d(padded_front, kernel, bias, strides=strides),
        "valid_stride_1": conv2d(x, kernel, bias),
        "transposed": conv2d(
            x, kernel.transpose(1, 0, 2, 3), bias, strides=strides, padding="same"
        ),
    }


@checker("convnets-for-images.3")
def check_strided_same_conv(answer: Any) -> Any:
    """Conv2D(2, 3, strides=2, padding="same") of ``EXERCISE_3_X``: shape (1, 3, 3, 2)."""
    expected = conv2d(
        EXERCISE_3_X,
        EXERCISE_3_KERNEL,
        EXERCISE_3_BIAS,
        strides=EXERCISE_3_STRIDES,
        padding="same",
    )
    array = as_array(answer, dtype=float, name="the output")
    if array.shape == expected.shape[1:]:
        array = array[np.newaxis]  # a single image without its batch axis is fine
    if array.shape != expected.shape:
        hint = ""
        if array.ndim == 4:
            hints = {
                (2, 2): " That is padding='valid': with 'same', pad so that each axis has "
                "ceil(5 / 2) = 3 outputs.",
                (5, 5): " That is stride 1: with strides=2 the window moves 2 pixels at a time.",
            }
            hint = hints.get(array.shape[1:3], "")
            if array.shape == (1, 2, 3, 3):
                hint = " Keep the filters last: (batch, height, width, filters)."
        return wrong(
            f"The output should have shape (batch, height, width, filters) = {expected.shape}, "
            f"got {array.shape}.{hint}"
        )
    if np.allclose(array, expected, atol=1e-6):
        return correct("Correct: this is what keras.layers.Conv2D computes with these weights.")
    if (hint := rounding_hint(array, expected, atol=1e-6, name="the output")) is not None:
        return wrong(hint)
    hints = {
        "flipped": "You flipped the kernel (a textbook convolution). Keras does not flip it: "
        "output (i, j) is the sum of x[2i + u, 2j + v] · kernel[u, v] over the padded image.",
        "no_bias": "The bias is missing: add EXERCISE_3_BIAS to every output pixel.",
        "padding_front": "The padding is in the wrong place: 'same' needs 2 zeros per axis "
        "here, one before the image and one after.",
        "valid_stride_1": "That is padding='valid' at stride 1 (which happens to give 3 × 3 "
        "here too): pad one zero on each side and move the window 2 pixels at a time.",
        "transposed": "Rows and columns are swapped: kernel[u, v] multiplies the pixel u rows "
        "down and v columns right of the window's corner.",
    }
    for name, variant in conv_variants().items():
        if np.allclose(array, variant, atol=1e-6):
            return wrong(hints[name])
    return wrong(compare_values(array, expected, atol=1e-6, name="the output").message)


def quadrant_variants() -> dict[str, np.ndarray]:
    """Answers that common mistakes in exercise 4 produce (all of the right shape)."""
    images = EXERCISE_4_IMAGES
    tl, tr = images[:, :14, :14], images[:, :14, 14:]
    bl, br = images[:, 14:, :14], images[:, 14:, 14:]
    return {
        "column_order": np.stack([tl, bl, tr, br], axis=1),
        "plain_reshape": images.reshape(len(images), 4, 14, 14),
        "transposed": np.stack([tl, tr, bl, br], axis=1).transpose(0, 1, 3, 2),
    }


@checker("convnets-for-images.4")
def check_quadrants(answer: Any) -> Any:
    """The four quadrants of ``EXERCISE_4_IMAGES`` in reading order: shape (3, 4, 14, 14)."""
    images = EXERCISE_4_IMAGES
    expected = np.stack(
        [images[:, :14, :14], images[:, :14, 14:], images[:, 14:, :14], images[:, 14:, 14:]],
        axis=1,
    )
    array = as_array(answer, dtype=float, name="the quadrants")
    if array.shape == (*expected.shape, 1):
        array = array[..., 0]  # a channel axis, as the chapter's model reads them, is fine
    if array.shape != expected.shape:
        hint = ""
        if array.shape == (4, 3, 14, 14):
            hint = " Keep the images first and the quadrants second: (images, 4, 14, 14)."
        elif array.shape == (3, 2, 2, 14, 14):
            hint = " Merge the two 2s: four quadrants in one axis, (3, 4, 14, 14)."
        return wrong(f"The quadrants should have shape {expected.shape}, got {array.shape}.{hint}")
    if np.allclose(array, expected):
        return correct("Correct: top left, top right, bottom left, bottom right.")
    hints = {
        "column_order": "Those are the quadrants column by column (top left, bottom left, ...): "
        "read them like text, the top row of quadrants first.",
        "plain_reshape": "A plain reshape cuts each image into four horizontal strips of 7 rows, "
        "not into quadrants: split the rows and the columns in half, then reorder the axes.",
        "transposed": "Each quadrant is transposed (rows and columns swapped): keep rows first.",
    }
    for name, variant in quadrant_variants().items():
        if np.allclose(array, variant):
            return wrong(hints[name])
    for position, name in enumerate(["top left", "top right", "bottom left", "bottom right"]):
        if not np.allclose(array[:, position], expected[:, position]):
            return wrong(
                f"Quadrant {position} should be the {name} 14 × 14 block of each image; it is not."
            )
    return wrong("The quadrants are not right.")  # pragma: no cover - every case caught above
