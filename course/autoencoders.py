"""Shared pieces for chapter 11 (autoencoders) that are not the lesson itself.

The chapter writes its autoencoders, its variational autoencoder and its
``train_step`` in its own cells. This module holds what it only *uses*:

- :func:`mse_per_image`: the mean squared error of each image;
- :func:`vae_loss_terms`: a NumPy reference for the two terms of the VAE loss
  (binary cross-entropy summed over pixels, and the KL divergence to a
  standard normal), per image, which the chapter compares its own
  ``train_step``'s numbers with;
- :func:`image_tiles`, :func:`plot_image_rows`, :func:`plot_latent_space`,
  :func:`plot_decoded_grid`: the figures.

Example:
    >>> import numpy as np
    >>> mse_per_image(np.zeros((2, 4, 4)), np.full((2, 4, 4), 0.5)).tolist()
    [0.25, 0.25]
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import matplotlib
import matplotlib.pyplot as plt
import numpy as np

KERAS_EPSILON = 1e-7  # keras.config.epsilon(): Keras clips probabilities to [ε, 1 - ε]

__all__ = [
    "KERAS_EPSILON",
    "image_tiles",
    "mse_per_image",
    "plot_decoded_grid",
    "plot_image_rows",
    "plot_latent_space",
    "vae_loss_terms",
]


def _as_images(images: Any, name: str) -> np.ndarray:
    """``images`` as a float64 array of at least two axes (a batch of something)."""
    array = np.asarray(images, dtype=np.float64)
    if array.ndim < 2 or array.shape[0] == 0:
        raise ValueError(
            f"{name} must be a batch of images, shape (images, ...), got shape {array.shape}."
        )
    return array


def mse_per_image(images: Any, reconstructions: Any) -> np.ndarray:
    """The mean squared error of each image against its reconstruction: shape ``(images,)``.

    Every axis but the first is averaged, so ``(n, 784)`` and ``(n, 28, 28, 1)``
    give the same numbers.

    Raises:
        ValueError: the two hold different numbers of images or pixels.

    Example:
        >>> mse_per_image(np.zeros((2, 2, 2)), np.array([[[0, 0], [0, 0]], [[1, 1], [1, 1]]]))
        array([0., 1.])
        >>> mse_per_image(np.zeros((2, 4)), np.zeros((2, 2, 2)))
        array([0., 0.])
    """
    originals = _as_images(images, "images")
    rebuilt = _as_images(reconstructions, "reconstructions")
    if originals.shape[0] != rebuilt.shape[0] or originals[0].size != rebuilt[0].size:
        raise ValueError(
            f"images {originals.shape} and reconstructions {rebuilt.shape} must hold the same "
            "number of images with the same number of pixels."
        )
    difference = originals.reshape(len(originals), -1) - rebuilt.reshape(len(rebuilt), -1)
    return np.mean(difference**2, axis=1)


def vae_loss_terms(
    images: Any,
    reconstructions: Any,
    z_mean: Any,
    z_log_var: Any,
    *,
    epsilon: float = KERAS_EPSILON,
) -> tuple[np.ndarray, np.ndarray]:
    """The two terms of the VAE loss for each image, in float64: (reconstruction, KL).

    - reconstruction: binary cross-entropy *summed over the pixels*,
      ``-Σ [x log p + (1 - x) log(1 - p)]``, with ``p`` clipped to
      ``[epsilon, 1 - epsilon]`` as Keras does, the bounds rounded to the
      reconstructions' precision (in float32, ``1 - 1e-7`` is ``1 - 1.19e-7``);
    - KL: the divergence of the encoder's normal distribution ``N(z_mean,
      exp(z_log_var))`` from the standard normal, summed over the latent
      dimensions, ``-½ Σ (1 + log σ² - μ² - σ²)``.

    Average each over the batch to get the loss as a training step reports it;
    the total loss is their sum.

    Raises:
        ValueError: shapes disagree, or the pixels or probabilities are outside ``[0, 1]``.

    Example:
        >>> x = np.array([[0.0, 1.0]])
        >>> reconstruction, kl = vae_loss_terms(x, [[0.5, 0.5]], [[0.0]], [[0.0]])
        >>> round(float(reconstruction[0]), 4), abs(float(kl[0]))  # 2 · log 2; N(0, 1) itself
        (1.3863, 0.0)
        >>> float(vae_loss_terms(x, x, [[1.0, 0.0]], [[0.0, 0.0]])[1][0])  # ½ μ²
        0.5
    """
    originals = _as_images(images, "images")
    dtype = getattr(reconstructions, "dtype", None)
    precision = dtype if dtype in (np.float16, np.float32) else np.float64
    low, high = (float(np.asarray(bound, dtype=precision)) for bound in (epsilon, 1 - epsilon))
    probabilities = _as_images(reconstructions, "reconstructions")
    mean = _as_images(z_mean, "z_mean")
    log_var = _as_images(z_log_var, "z_log_var")
    if originals.shape[0] != probabilities.shape[0] or originals[0].size != probabilities[0].size:
        raise ValueError(
            f"images {originals.shape} and reconstructions {probabilities.shape} must hold the "
            "same number of images with the same number of pixels."
        )
    if mean.shape != log_var.shape or mean.shape[0] != originals.shape[0]:
        raise ValueError(
            f"z_mean {mean.shape} and z_log_var {log_var.shape} must have the same shape, "
            f"(images, latent dimensions), with {originals.shape[0]} images."
        )
    for name, values in (("images", originals), ("reconstructions", probabilities)):
        if values.min() < 0 or values.max() > 1:
            raise ValueError(
                f"{name} must lie in [0, 1] (pixels and sigmoid outputs), got "
                f"[{values.min():g}, {values.max():g}]."
            )
    x = originals.reshape(len(originals), -1)
    p = np.clip(probabilities.reshape(len(probabilities), -1), low, high)
    reconstruction = -np.sum(x * np.log(p) + (1 - x) * np.log(1 - p), axis=1)
    kl = -0.5 * np.sum(1 + log_var - mean**2 - np.exp(log_var), axis=1)
    return reconstruction, kl


def image_tiles(images: Any, rows: int, columns: int, *, gap: int = 0) -> np.ndarray:
    """Lay ``rows × columns`` images out as one 2-D array, row by row.

    Images may be flat (``(n, 784)``, square images) or ``(n, height, width)``
    or ``(n, height, width, 1)``.

    Raises:
        ValueError: fewer images than cells, or flat images that are not square.

    Example:
        >>> image_tiles(np.arange(8).reshape(2, 4), 1, 2).shape  # two 2×2 images side by side
        (2, 4)
        >>> image_tiles(np.zeros((6, 3, 3)), 2, 3, gap=1).shape
        (7, 11)
    """
    array = _as_images(images, "images")
    if rows < 1 or columns < 1:
        raise ValueError(f"rows and columns must be at least 1, got {rows} and {columns}.")
    if array.ndim == 2:
        side = int(round(np.sqrt(array.shape[1])))
        if side * side != array.shape[1]:
            raise ValueError(
                f"Flat images of {array.shape[1]} pixels are not square: reshape them to "
                "(images, height, width) first."
            )
        array = array.reshape(-1, side, side)
    if array.ndim == 4 and array.shape[-1] == 1:
        array = array[..., 0]
    if array.ndim != 3:
        raise ValueError(f"Expected grey images (n, height, width), got shape {array.shape}.")
    if len(array) < rows * columns:
        raise ValueError(
            f"{rows} × {columns} tiles need {rows * columns} images, got {len(array)}."
        )
    height, width = array.shape[1:]
    canvas = np.ones((rows * (height + gap) - gap, columns * (width + gap) - gap))
    for index in range(rows * columns):
        top, left = (index // columns) * (height + gap), (index % columns) * (width + gap)
        canvas[top : top + height, left : left + width] = array[index]
    return canvas


def plot_image_rows(
    rows: Mapping[str, Any], *, count: int = 10, title: str = ""
) -> matplotlib.figure.Figure:
    """Rows of images, each row labelled: originals, noisy copies, reconstructions ….

    Args:
        rows: Row label → a batch of images (the first ``count`` are drawn).
        count: Images per row.
        title: A title over the figure.

    Example:
        >>> figure = plot_image_rows({"a": np.zeros((3, 4)), "b": np.ones((3, 4))}, count=3)
        >>> [axis.get_ylabel() for axis in figure.axes]
        ['a', 'b']
    """
    if not rows:
        raise ValueError("Give at least one row of images: {'originals': images, ...}.")
    figure, axes = plt.subplots(
        len(rows), 1, figsize=(1.0 * count, 1.1 * len(rows) + 0.3), squeeze=False
    )
    for axis, (label, images) in zip(axes[:, 0], rows.items()):
        axis.imshow(image_tiles(images, 1, count, gap=1), cmap="gray_r", vmin=0, vmax=1)
        axis.set_xticks([])
        axis.set_yticks([])
        axis.set_ylabel(label, rotation=0, ha="right", va="center")
    if title:
        figure.suptitle(title)
    figure.tight_layout()
    return figure


def plot_latent_space(
    codes: Any, labels: Any, *, title: str = "", size: float = 2.0
) -> matplotlib.figure.Figure:
    """A scatter plot of 2-D codes, coloured by class (digit), with a legend.

    Example:
        >>> figure = plot_latent_space(np.zeros((4, 2)), [0, 1, 1, 3])
        >>> len(figure.axes[0].collections)  # one scatter per class
        3
    """
    points = np.asarray(codes, dtype=np.float64)
    classes = np.asarray(labels)
    if points.ndim != 2 or points.shape[1] != 2:
        raise ValueError(f"Expected 2-D codes, shape (points, 2), got shape {points.shape}.")
    if classes.shape != (len(points),):
        raise ValueError(f"Expected one label per point ({len(points)}), got {classes.shape}.")
    figure, axis = plt.subplots(figsize=(6.4, 5.4))
    colours = plt.get_cmap("tab10")
    for index, label in enumerate(np.unique(classes)):
        chosen = classes == label
        axis.scatter(
            points[chosen, 0],
            points[chosen, 1],
            s=size,
            color=colours(index % 10),
            label=str(label),
        )
    axis.legend(markerscale=4, title="digit", loc="center left", bbox_to_anchor=(1, 0.5))
    axis.set_xlabel("z[0]")
    axis.set_ylabel("z[1]")
    if title:
        axis.set_title(title)
    figure.tight_layout()
    return figure


def plot_decoded_grid(
    images: Any, x_values: Sequence[float], y_values: Sequence[float], *, title: str = ""
) -> matplotlib.figure.Figure:
    """Images decoded from a grid of 2-D latent points, with the points on the axes.

    ``images`` holds ``len(y_values) × len(x_values)`` images, row by row, the
    first row decoded at ``y_values[0]``; the figure puts the largest ``y`` on top.

    Example:
        >>> figure = plot_decoded_grid(np.zeros((6, 4, 4)), [0, 1, 2], [-1, 1])
        >>> figure.axes[0].get_images()[0].get_array().shape
        (8, 12)
    """
    rows, columns = len(y_values), len(x_values)
    canvas = image_tiles(images, rows, columns)
    height = canvas.shape[0] // rows
    flipped = np.concatenate(
        [canvas[row * height : (row + 1) * height] for row in reversed(range(rows))]
    )
    width = canvas.shape[1] // columns
    figure, axis = plt.subplots(figsize=(6.4, 6.4))
    axis.imshow(flipped, cmap="gray_r", vmin=0, vmax=1)
    axis.set_xticks(np.arange(columns) * width + width / 2, [f"{x:.1f}" for x in x_values])
    axis.set_yticks(
        np.arange(rows) * height + height / 2, [f"{y:.1f}" for y in reversed(y_values)]
    )
    axis.tick_params(labelsize=7)
    axis.set_xlabel("z[0]")
    axis.set_ylabel("z[1]")
    if title:
        axis.set_title(title)
    figure.tight_layout()
    return figure
