"""Figures the chapters share: learning curves and simple comparisons.

Every function returns the Matplotlib ``Figure`` so a chapter can tweak it,
and never calls ``plt.show()`` (notebooks show the figure by themselves).

Example:
    >>> figure = plot_history({"loss": [0.7, 0.5], "val_loss": [0.69, 0.6]})
    >>> [axis.get_title() for axis in figure.axes]
    ['loss']
"""

from __future__ import annotations

from typing import Any, Mapping, Sequence

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
) -> "matplotlib.figure.Figure":
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
) -> "matplotlib.figure.Figure":
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
