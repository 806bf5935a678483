"""Figures the chapters share: learning curves and simple comparisons.

Every function returns the Matplotlib ``Figure`` so a chapter can tweak it,
and never calls ``plt.show()`` (notebooks show the figure by themselves).

Example:
    >>> figure = plot_history({"loss": [0.7, 0.5], "val_loss": [0.69, 0.6]})
    >>> [axis.get_title() for axis in figure.axes]
    ['loss']
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import matplotlib
import matplotlib.pyplot as plt


def history_dict(history: Any) -> dict[str, list[float]]:
    """The per-epoch metrics of a Keras ``History`` (or a plain dict).

    Example:
        >>> history_dict({"loss": [1.0, 0.5]})
        {'loss': [1.0, 0.5]}
    """
    metrics = getattr(history, "history", history)
    if not isinstance(metrics, Mapping) or not metrics:
        raise ValueError(
            "Expected a Keras History (what model.fit returns) or a dict of per-epoch "
            f"lists, got {type(history).__name__}."
        )
    return {name: [float(value) for value in values] for name, values in metrics.items()}


def plot_history(
    history: Any, metrics: Sequence[str] | None = None, title: str = ""
) -> matplotlib.figure.Figure:
    """Learning curves: one panel per metric, training and validation together.

    Args:
        history: What ``model.fit`` returned, or a dict such as ``history.history``.
        metrics: Which metrics to draw; by default every one without a ``val_`` prefix.
        title: A title over the whole figure.

    Example:
        >>> figure = plot_history({"accuracy": [0.6, 0.8], "val_accuracy": [0.6, 0.7]})
        >>> len(figure.axes)
        1
    """
    values = history_dict(history)
    names = list(metrics) if metrics else [name for name in values if not name.startswith("val_")]
    unknown = [name for name in names if name not in values]
    if unknown:
        raise ValueError(f"No metric {unknown} in the history; it has {sorted(values)}.")
    figure, axes = plt.subplots(1, len(names), figsize=(4.5 * len(names), 3.2), squeeze=False)
    for axis, name in zip(axes[0], names):
        epochs = range(1, len(values[name]) + 1)
        axis.plot(epochs, values[name], "o-", label="training")
        if f"val_{name}" in values:
            axis.plot(epochs, values[f"val_{name}"], "s--", label="validation")
        axis.set_title(name)
        axis.set_xlabel("epoch")
        axis.legend()
        axis.grid(alpha=0.3)
    if title:
        figure.suptitle(title)
    figure.tight_layout()
    return figure


def plot_bars(
    labels: Sequence[str],
    values: Sequence[float],
    *,
    ylabel: str,
    baseline: float | None = None,
    baseline_label: str = "baseline",
    title: str = "",
) -> matplotlib.figure.Figure:
    """A bar chart to compare models, with an optional horizontal baseline.

    Example:
        >>> figure = plot_bars(["a", "b"], [0.8, 0.9], ylabel="accuracy", baseline=0.5)
        >>> figure.axes[0].get_ylabel()
        'accuracy'
    """
    if len(labels) != len(values):
        raise ValueError(f"Got {len(labels)} labels for {len(values)} values.")
    figure, axis = plt.subplots(figsize=(1.4 * len(labels) + 2, 3.2))
    bars = axis.bar(labels, values, color="tab:blue")
    axis.bar_label(bars, fmt="%.3f")
    if baseline is not None:
        axis.axhline(baseline, color="tab:red", linestyle="--", label=baseline_label)
        axis.legend(loc="lower right")
    axis.set_ylabel(ylabel)
    if title:
        axis.set_title(title)
    figure.tight_layout()
    return figure


def tsne_2d(vectors: Any, *, perplexity: float = 30.0, seed: int = 1337) -> Any:
    """Two-dimensional t-SNE coordinates of row vectors (scikit-learn, seeded, PCA start).

    Args:
        vectors: A ``(n, dimension)`` array, one row per point.
        perplexity: Roughly how many neighbours each point attends to; must be
            below ``n``. 5 to 50 is usual.
        seed: Seeds t-SNE, so the same vectors give the same picture.

    Example:
        >>> import numpy as np
        >>> tsne_2d(np.random.default_rng(0).normal(size=(20, 5)), perplexity=5).shape
        (20, 2)
    """
    import numpy as np
    from sklearn.manifold import TSNE

    matrix = np.asarray(vectors, dtype=np.float64)
    if matrix.ndim != 2:
        raise ValueError(f"Expected a 2-D array of row vectors, got shape {matrix.shape}.")
    if not 0 < perplexity < matrix.shape[0]:
        raise ValueError(
            f"perplexity must be positive and below the number of points ({matrix.shape[0]}), "
            f"got {perplexity}."
        )
    tsne = TSNE(
        n_components=2, perplexity=perplexity, init="pca", learning_rate="auto", random_state=seed
    )
    return tsne.fit_transform(matrix)


def plot_embedding_tsne(
    words: Sequence[str],
    vectors: Any,
    *,
    colors: Sequence[float] | None = None,
    color_label: str = "",
    perplexity: float = 30.0,
    seed: int = 1337,
    title: str = "",
    fontsize: float = 7.0,
) -> matplotlib.figure.Figure:
    """A labelled t-SNE map of word vectors: similar vectors land close together.

    Args:
        words: One label per row of ``vectors``.
        vectors: A ``(len(words), dimension)`` array (e.g. rows of an embedding matrix).
        colors: Optional number per word (e.g. a sentiment score), drawn with a
            diverging colour map centred on 0 (saturating at the 90th percentile
            of the absolute values, so a few extremes do not wash out the rest)
            and a colour bar named ``color_label``.
        perplexity, seed: Passed to :func:`tsne_2d`.
        title: Axis title.
        fontsize: Size of the word labels.

    Example:
        >>> import numpy as np
        >>> words = [f"w{i}" for i in range(12)]
        >>> vectors = np.random.default_rng(0).normal(size=(12, 4))
        >>> figure = plot_embedding_tsne(words, vectors, perplexity=4)
        >>> len(figure.axes[0].texts)
        12
    """
    import numpy as np

    labels = [str(word) for word in words]
    matrix = np.asarray(vectors)
    if matrix.ndim != 2 or matrix.shape[0] != len(labels):
        raise ValueError(
            f"Expected one vector per word ({len(labels)} words), "
            f"got an array of shape {matrix.shape}."
        )
    if colors is not None and len(colors) != len(labels):
        raise ValueError(f"Got {len(colors)} colours for {len(labels)} words.")
    points = tsne_2d(matrix, perplexity=perplexity, seed=seed)
    figure, axis = plt.subplots(figsize=(10, 8))
    if colors is None:
        axis.scatter(points[:, 0], points[:, 1], s=6, color="tab:blue")
    else:
        values = np.asarray(colors, dtype=float)
        limit = float(np.quantile(np.abs(values), 0.9)) or float(np.abs(values).max()) or 1.0
        scatter = axis.scatter(
            points[:, 0], points[:, 1], s=8, c=values, cmap="coolwarm_r", vmin=-limit, vmax=limit
        )
        figure.colorbar(scatter, ax=axis, label=color_label, shrink=0.8)
    for (x, y), label in zip(points, labels):
        axis.annotate(
            label, (x, y), fontsize=fontsize, alpha=0.8, xytext=(2, 2), textcoords="offset points"
        )
    axis.set_xticks([])
    axis.set_yticks([])
    if title:
        axis.set_title(title)
    figure.tight_layout()
    return figure
