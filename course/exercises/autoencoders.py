"""Checkers for chapter 11, autoencoders (exercise ids ``autoencoders.N``)."""

from __future__ import annotations

from typing import Any

import numpy as np

from course.exercises import checker, compare_values, correct, wrong
from course.exercises.answers import as_array, as_integer, as_number, rounding_hint

IMAGE_PIXELS = 28 * 28

# Exercise 1: the compression ratio of a code of this many numbers for a 28 × 28 image.
EXERCISE_1_CODE_SIZE = 20

# Exercise 2: the parameter count of the dense autoencoder 784-512-256-C-256-512-784.
EXERCISE_2_CODE_SIZE = 16
EXERCISE_2_HIDDEN = (512, 256)

# Exercises 3 and 4: an encoder's outputs (means and log-variances) and standard normal draws.
_rng = np.random.default_rng(11)
EXERCISE_3_Z_MEAN = _rng.normal(size=(3, 2)).round(3)
EXERCISE_3_Z_LOG_VAR = _rng.normal(scale=0.8, size=(3, 2)).round(3)
EXERCISE_4_Z_MEAN = _rng.normal(size=(4, 2)).round(3)
EXERCISE_4_Z_LOG_VAR = _rng.normal(scale=0.8, size=(4, 2)).round(3)
EXERCISE_4_EPSILON = _rng.normal(size=(4, 2)).round(3)
del _rng


@checker("autoencoders.1")
def check_compression_ratio(answer: Any) -> Any:
    """784 input numbers per code number, for a code of ``EXERCISE_1_CODE_SIZE``."""
    ratio = as_number(answer, name="the compression ratio")
    expected = IMAGE_PIXELS / EXERCISE_1_CODE_SIZE
    if np.isclose(ratio, expected, rtol=1e-6):
        return correct(f"Correct: {IMAGE_PIXELS} / {EXERCISE_1_CODE_SIZE} = {expected:g}.")
    if np.isclose(ratio, 1 / expected, rtol=1e-6):
        return wrong(
            "That is code numbers per input number, the inverse. The ratio says how many "
            "input numbers each code number stands for: input size / code size."
        )
    if np.isclose(ratio, 28 / EXERCISE_1_CODE_SIZE, rtol=1e-6):
        return wrong("The image has 28 × 28 pixels, not 28: count every pixel.")
    if np.isclose(ratio, IMAGE_PIXELS - EXERCISE_1_CODE_SIZE, rtol=1e-6):
        return wrong("That is a difference. A ratio divides: input size / code size.")
    hint = rounding_hint(np.array([ratio]), np.array([expected]), atol=0, rtol=1e-6)
    if hint is not None:
        return wrong(hint)
    return wrong(f"{ratio:g} is not it: divide the number of pixels by the size of the code.")


def _dense_parameters(sizes: list[int], *, biases: bool = True) -> int:
    return sum(a * b + (b if biases else 0) for a, b in zip(sizes, sizes[1:]))


@checker("autoencoders.2")
def check_dense_autoencoder_parameters(answer: Any) -> Any:
    """Trainable parameters of 784-512-256-C-256-512-784 with C = ``EXERCISE_2_CODE_SIZE``."""
    count = as_integer(answer, name="the parameter count")
    first, second = EXERCISE_2_HIDDEN
    code = EXERCISE_2_CODE_SIZE
    sizes = [IMAGE_PIXELS, first, second, code, second, first, IMAGE_PIXELS]
    expected = _dense_parameters(sizes)
    if count == expected:
        return correct(f"Correct: {expected:,} weights and biases over six Dense layers.")
    half = len(sizes) // 2
    mistakes = {
        _dense_parameters(sizes, biases=False): "You left out the biases: each Dense layer "
        "has one per output unit.",
        _dense_parameters(sizes[: half + 1]): "That is the encoder alone; the decoder has as "
        "many layers again, mirrored.",
        _dense_parameters(sizes[half:]): "That is the decoder alone; add the encoder.",
        _dense_parameters(sizes) - _dense_parameters([second, code, second]): "You left out the "
        f"two layers around the code: {second} → {code} and {code} → {second}.",
    }
    if count in mistakes:
        return wrong(mistakes[count])
    return wrong(
        f"{count:,} is not it. For each Dense layer from n to m units count n·m weights and "
        f"m biases, over the six layers {' → '.join(map(str, sizes))}."
    )


def kl_per_image(mean: np.ndarray, log_var: np.ndarray) -> np.ndarray:
    """KL(N(mean, exp(log_var)) || N(0, 1)) summed over the latent axis, one per row."""
    return -0.5 * np.sum(1 + log_var - mean**2 - np.exp(log_var), axis=1)


def _kl_mistakes() -> dict[str, np.ndarray]:
    """Answers that common mistakes in exercise 3 produce."""
    mean, log_var = EXERCISE_3_Z_MEAN, EXERCISE_3_Z_LOG_VAR
    per_dimension = 1 + log_var - mean**2 - np.exp(log_var)
    return {
        "variance_as_log": -0.5 * np.sum(1 + np.log(np.abs(log_var)) - mean**2 - log_var, axis=1),
        "no_half": -np.sum(per_dimension, axis=1),
        "mean_over_dimensions": -0.5 * np.mean(per_dimension, axis=1),
        "sign": 0.5 * np.sum(per_dimension, axis=1),
        "std_not_variance": -0.5 * np.sum(1 + log_var - mean**2 - np.exp(0.5 * log_var), axis=1),
    }


@checker("autoencoders.3")
def check_kl_per_image(answer: Any) -> Any:
    """The KL term of each of the three images, shape ``(3,)``."""
    expected = kl_per_image(EXERCISE_3_Z_MEAN, EXERCISE_3_Z_LOG_VAR)
    array = as_array(answer, dtype=float, name="the KL terms")
    if array.size == 1:
        value = float(array.reshape(-1)[0])
        if np.isclose(value, expected.mean(), rtol=1e-5):
            return wrong(
                "That is the batch average. The exercise asks for one KL value per image, "
                "shape (3,)."
            )
        if np.isclose(value, expected.sum(), rtol=1e-5):
            return wrong(
                "That is the sum over the batch. Give one KL value per image, shape (3,)."
            )
    if array.shape == EXERCISE_3_Z_MEAN.shape:
        return wrong(
            "That is one value per latent dimension, shape (3, 2): sum over the latent axis "
            "(axis=1) to get one value per image."
        )
    if array.shape != expected.shape:
        return wrong(f"Expected one KL value per image, shape (3,), got shape {array.shape}.")
    if np.allclose(array, expected, rtol=1e-5, atol=1e-8):
        return correct("Correct: -½ Σ (1 + log σ² - μ² - σ²) for each image.")
    if (
        hint := rounding_hint(array, expected, atol=1e-8, rtol=1e-5, name="the KL terms")
    ) is not None:
        return wrong(hint)
    hints = {
        "variance_as_log": "z_log_var is already log σ²: use it as it is in the formula, "
        "and σ² = exp(z_log_var).",
        "no_half": "Keep the factor ½ in front of the sum.",
        "mean_over_dimensions": "Sum over the latent dimensions, do not average them.",
        "sign": "Check the sign: a KL divergence is never negative.",
        "std_not_variance": "The formula needs the variance σ² = exp(log σ²), not the "
        "standard deviation exp(½ log σ²).",
    }
    for name, variant in _kl_mistakes().items():
        if np.allclose(array, variant, rtol=1e-5, atol=1e-8):
            return wrong(hints[name])
    if (array < 0).any():
        return wrong("A KL divergence is never negative: check the signs in the formula.")
    return compare_values(array, expected, atol=1e-8, rtol=1e-5, name="the KL terms")


def reparameterize(mean: np.ndarray, log_var: np.ndarray, epsilon: np.ndarray) -> np.ndarray:
    """z = mean + exp(½ log_var) · epsilon."""
    return mean + np.exp(0.5 * log_var) * epsilon


def _sampling_mistakes() -> dict[str, np.ndarray]:
    """Answers that common mistakes in exercise 4 produce."""
    mean, log_var, epsilon = EXERCISE_4_Z_MEAN, EXERCISE_4_Z_LOG_VAR, EXERCISE_4_EPSILON
    return {
        "variance": mean + np.exp(log_var) * epsilon,
        "log_var_as_std": mean + log_var * epsilon,
        "sqrt_of_log_var": mean + np.sqrt(np.abs(log_var)) * epsilon,
        "no_mean": np.exp(0.5 * log_var) * epsilon,
        "only_mean": mean,
    }


@checker("autoencoders.4")
def check_reparameterization(answer: Any) -> Any:
    """The sampled codes z for the exercise's means, log-variances and draws, shape ``(4, 2)``."""
    expected = reparameterize(EXERCISE_4_Z_MEAN, EXERCISE_4_Z_LOG_VAR, EXERCISE_4_EPSILON)
    array = as_array(answer, dtype=float, name="z")
    if array.shape != expected.shape:
        hint = " That is the transpose: one row per image." if array.shape == (2, 4) else ""
        return wrong(
            f"z has one row of 2 numbers per image, shape (4, 2); got {array.shape}.{hint}"
        )
    if np.allclose(array, expected, rtol=1e-5, atol=1e-8):
        return correct("Correct: z = μ + exp(½ log σ²) · ε, a differentiable function of μ and σ.")
    if (hint := rounding_hint(array, expected, atol=1e-8, rtol=1e-5, name="z")) is not None:
        return wrong(hint)
    hints = {
        "variance": "exp(z_log_var) is the variance σ². Scale ε by the standard deviation, "
        "σ = exp(½ z_log_var).",
        "log_var_as_std": "z_log_var is log σ², not σ: take σ = exp(½ z_log_var).",
        "sqrt_of_log_var": "σ is the square root of the variance exp(z_log_var), not of its "
        "log: σ = exp(½ z_log_var).",
        "no_mean": "Add the mean: z = μ + σ · ε.",
        "only_mean": "That is the mean alone: the sample adds σ · ε to it.",
    }
    for name, variant in _sampling_mistakes().items():
        if np.allclose(array, variant, rtol=1e-5, atol=1e-8):
            return wrong(hints[name])
    return compare_values(array, expected, atol=1e-8, rtol=1e-5, name="z")
