"""Time series helpers for chapters 5 and 6: windows, splits, scaling, baselines, plots.

Chapter 5 writes its own windowing code in its cells and checks it against
the tested references here; chapter 6 reuses them. One convention throughout:

- a *window* is ``sequence_length`` rows of ``data``, taken every
  ``sampling_rate`` rows, starting at row ``s``: rows ``s, s + r, …,
  s + (sequence_length - 1) r`` (``r`` the sampling rate);
- its *target* is the row ``horizon`` rows after the window's **last** row:
  ``targets[s + (sequence_length - 1) r + horizon]``. ``horizon=1`` is "the
  next row"; on the Jena record (one row every 10 minutes) ``horizon=144`` is
  24 hours ahead;
- windows start every ``stride`` rows, and a window belongs to the rows
  ``[start, end)`` when its inputs *and* its target lie there, so the
  validation windows never read test rows.

Three ways to make the same windows:

- :func:`python_window_batches`: the slow Python generator of the classic
  texts (one window at a time, in a loop);
- :func:`make_windows`: NumPy stride tricks, every window at once as a view
  (no copy);
- :func:`window_dataset`: ``keras.utils.timeseries_dataset_from_array`` with
  the offsets that give exactly these windows (a ``tf.data.Dataset``).

Example:
    >>> windows, targets = make_windows(np.arange(10), sequence_length=3, horizon=1)
    >>> windows.tolist(), targets.tolist()
    ([[0, 1, 2], [1, 2, 3], [2, 3, 4], [3, 4, 5], [4, 5, 6], [5, 6, 7], [6, 7, 8]], [3, 4, 5, 6, \
7, 8, 9])
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

import numpy as np

__all__ = [
    "chronological_split",
    "lagged_forecast",
    "mae",
    "make_windows",
    "normalize",
    "plot_curves",
    "plot_forecast",
    "python_window_batches",
    "rmse",
    "window_bounds",
    "window_dataset",
]


# ------------------------------------------------------------------ windows


def _positive(name: str, value: int, minimum: int = 1) -> int:
    if isinstance(value, bool) or int(value) != value or value < minimum:
        raise ValueError(f"{name} must be a whole number ≥ {minimum}, got {value!r}.")
    return int(value)


def window_bounds(
    length: int,
    *,
    sequence_length: int,
    sampling_rate: int = 1,
    horizon: int = 1,
    start: int = 0,
    end: int | None = None,
) -> tuple[int, int]:
    """The first and one-past-the-last window start in rows ``[start, end)``.

    A window starting at ``s`` reads rows ``s … s + (sequence_length - 1) ·
    sampling_rate`` and its target sits ``horizon`` rows after the last one,
    so every start ``s`` with ``start ≤ s`` and ``s + (sequence_length - 1) ·
    sampling_rate + horizon < end`` is allowed.

    Example:
        >>> window_bounds(10, sequence_length=3, horizon=1)  # starts 0 … 6
        (0, 7)
        >>> window_bounds(100, sequence_length=5, sampling_rate=6, horizon=10, start=20, end=80)
        (20, 46)
    """
    sequence_length = _positive("sequence_length", sequence_length)
    sampling_rate = _positive("sampling_rate", sampling_rate)
    horizon = _positive("horizon", horizon, minimum=0)
    end = length if end is None else end
    if not 0 <= start < end <= length:
        raise ValueError(
            f"Need 0 ≤ start < end ≤ {length} (the number of rows); got start={start}, end={end}."
        )
    reach = (sequence_length - 1) * sampling_rate + horizon  # from a window's start to its target
    if end - start <= reach:
        raise ValueError(
            f"A window of {sequence_length} rows every {sampling_rate} with its target {horizon} "
            f"rows later spans {reach + 1} rows, but rows [{start}, {end}) hold only "
            f"{end - start}: use a shorter window or horizon, or more rows."
        )
    return start, end - reach


def make_windows(
    data: Any,
    targets: Any = None,
    *,
    sequence_length: int,
    sampling_rate: int = 1,
    horizon: int = 1,
    start: int = 0,
    end: int | None = None,
    stride: int = 1,
) -> tuple[np.ndarray, np.ndarray]:
    """Every window and its target, with NumPy stride tricks (views, nothing copied).

    Args:
        data: An array of rows, shape ``(time,)`` or ``(time, features)``.
        targets: What to predict, one value (or row) per row of ``data``;
            ``data`` itself if None.
        sequence_length: Rows per window.
        sampling_rate: Take every ``sampling_rate``-th row (6 turns the Jena
            record's 10-minute rows into hourly steps).
        horizon: How many rows after the window's last row the target is.
        start, end: Use only rows ``[start, end)``, inputs and targets alike.
        stride: Rows between the starts of consecutive windows.

    Returns:
        ``(windows, window_targets)``: shapes ``(count, sequence_length,
        features)`` (or ``(count, sequence_length)`` for 1-D data) and
        ``(count, …)``. Both are read-only views of the inputs; ``np.array``
        copies them.

    Example:
        >>> series = np.arange(20) * 10
        >>> windows, targets = make_windows(series, sequence_length=3, sampling_rate=2, horizon=4)
        >>> windows[0].tolist(), int(targets[0])  # rows 0, 2, 4; target row 4 + 4 = 8
        ([0, 20, 40], 80)
        >>> windows.shape, make_windows(series[:, None], sequence_length=3)[0].shape
        ((12, 3), (17, 3, 1))
    """
    from numpy.lib.stride_tricks import sliding_window_view

    data = np.asarray(data)
    targets = data if targets is None else np.asarray(targets)
    if data.ndim not in (1, 2):
        raise ValueError(f"data must have shape (time,) or (time, features), got {data.shape}.")
    if len(targets) != len(data):
        raise ValueError(
            f"targets must have one entry per row of data ({len(data)}), got {len(targets)}."
        )
    stride = _positive("stride", stride)
    first, stop = window_bounds(
        len(data),
        sequence_length=sequence_length,
        sampling_rate=sampling_rate,
        horizon=horizon,
        start=start,
        end=end,
    )
    span = (sequence_length - 1) * sampling_rate + 1  # rows from a window's first to last
    views = sliding_window_view(data[first : stop + span - 1], span, axis=0)
    views = views[..., ::sampling_rate]  # (count, [features,] sequence_length)
    if data.ndim == 2:
        views = np.moveaxis(views, -1, 1)  # (count, sequence_length, features)
    target_first = first + span - 1 + horizon
    window_targets = targets[target_first : target_first + (stop - first)]
    window_targets = window_targets.view()
    window_targets.flags.writeable = False
    return views[::stride], window_targets[::stride]


def python_window_batches(
    data: Any,
    targets: Any = None,
    *,
    sequence_length: int,
    sampling_rate: int = 1,
    horizon: int = 1,
    start: int = 0,
    end: int | None = None,
    stride: int = 1,
    batch_size: int = 128,
) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """The classic texts' generator: batches built one window at a time in Python.

    The same windows as :func:`make_windows`, in the same order, in batches of
    ``batch_size`` (the last one may be smaller), for one pass over the data.
    The generator of *Deep Learning with Python* (1st edition) looped forever
    and placed its target ``horizon + sampling_rate`` rows after the last input
    row; this one stops after one epoch and uses this module's convention.

    Example:
        >>> batches = list(python_window_batches(np.arange(10), sequence_length=3, batch_size=4))
        >>> [batch.shape for batch, _ in batches], batches[1][1].tolist()
        ([(4, 3), (3, 3)], [7, 8, 9])
    """
    data = np.asarray(data)
    targets = data if targets is None else np.asarray(targets)
    batch_size = _positive("batch_size", batch_size)
    first, stop = window_bounds(
        len(data),
        sequence_length=sequence_length,
        sampling_rate=sampling_rate,
        horizon=horizon,
        start=start,
        end=end,
    )
    starts = range(first, stop, _positive("stride", stride))
    last_offset = (sequence_length - 1) * sampling_rate
    for batch_start in range(0, len(starts), batch_size):
        rows = starts[batch_start : batch_start + batch_size]
        samples = np.zeros((len(rows), sequence_length, *data.shape[1:]), dtype=data.dtype)
        batch_targets = np.zeros((len(rows), *targets.shape[1:]), dtype=targets.dtype)
        for j, row in enumerate(rows):
            samples[j] = data[range(row, row + last_offset + 1, sampling_rate)]
            batch_targets[j] = targets[row + last_offset + horizon]
        yield samples, batch_targets


def window_dataset(
    data: Any,
    targets: Any = None,
    *,
    sequence_length: int,
    sampling_rate: int = 1,
    horizon: int = 1,
    start: int = 0,
    end: int | None = None,
    stride: int = 1,
    batch_size: int = 128,
    shuffle: bool = False,
    seed: int | None = None,
) -> Any:
    """The windows of :func:`make_windows` from ``keras.utils.timeseries_dataset_from_array``.

    Keras pairs the window starting at row ``i`` of the data it is given with
    ``targets[i]``, so the inputs are cut to rows ``[start, end - horizon)`` and
    the targets start ``(sequence_length - 1) · sampling_rate + horizon`` rows
    later. (Cutting the inputs by the whole offset, as the Keras documentation's
    example did — keras-team/keras#14310, #21305 — silently drops the last
    windows.) Keras refuses a stride or sampling rate that is not shorter than
    the rows it is given; on a short series, where such a stride leaves one
    window, this function passes Keras a stride and rows it accepts, so the
    windows are still those of :func:`make_windows`.

    Example:
        >>> dataset = window_dataset(np.arange(10), sequence_length=3, batch_size=10)
        >>> inputs, outputs = next(iter(dataset))
        >>> inputs.numpy()[-1].tolist(), outputs.numpy().tolist()
        ([6, 7, 8], [3, 4, 5, 6, 7, 8, 9])
        >>> [(x.numpy().tolist(), y.numpy().tolist()) for x, y in window_dataset(
        ...     np.arange(3), sequence_length=2, stride=3)]  # one window, as make_windows
        [([[0, 1]], [2])]
    """
    import keras

    data = np.asarray(data)
    targets = data if targets is None else np.asarray(targets)
    if len(targets) != len(data):
        raise ValueError(
            f"targets must have one entry per row of data ({len(data)}), got {len(targets)}."
        )
    first, stop = window_bounds(
        len(data),
        sequence_length=sequence_length,
        sampling_rate=sampling_rate,
        horizon=horizon,
        start=start,
        end=end,
    )
    reach = (sequence_length - 1) * sampling_rate + horizon
    starts = stop - first  # window starts 1 row apart; Keras counts them by len(targets)
    # A stride of `starts` or more finds the first window only, as does `starts`.
    stride = min(_positive("stride", stride), starts)
    # One row per window: the sampling rate reads nothing (and Keras wants it < the rows).
    rate = sampling_rate if sequence_length > 1 else 1
    inputs = data[first : stop + reach - horizon]
    if len(inputs) <= stride:  # only with one-row windows: Keras wants more rows than the stride
        inputs = np.concatenate([inputs, inputs[-1:]])  # a row no window reads
    return keras.utils.timeseries_dataset_from_array(
        inputs,
        targets[first + reach : stop + reach],
        sequence_length=sequence_length,
        sampling_rate=rate,
        sequence_stride=stride,
        batch_size=_positive("batch_size", batch_size),
        shuffle=shuffle,
        seed=seed,
    )


# ------------------------------------------------------ splits and scaling


def chronological_split(
    length: int, fractions: Sequence[float] = (0.5, 0.25, 0.25)
) -> tuple[slice, slice, slice]:
    """Training, validation and test rows, in time order (never shuffled).

    Example:
        >>> chronological_split(100)
        (slice(0, 50, None), slice(50, 75, None), slice(75, 100, None))
        >>> chronological_split(144, (0.67, 0.33, 0.0))[1]
        slice(96, 144, None)
    """
    if len(fractions) != 3 or any(f < 0 for f in fractions) or abs(sum(fractions) - 1) > 1e-9:
        raise ValueError(
            "fractions must be three non-negative numbers (train, validation, test) that add up "
            f"to 1, got {tuple(fractions)}."
        )
    if length < 2:
        raise ValueError(f"A series needs at least 2 rows to split, got {length}.")
    train_end = int(length * fractions[0])
    validation_end = length if fractions[2] == 0 else train_end + int(length * fractions[1])
    return slice(0, train_end), slice(train_end, validation_end), slice(validation_end, length)


def normalize(data: Any, train_rows: slice) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Subtract the training rows' mean and divide by their standard deviation.

    Statistics from the training rows only: using the validation or test rows
    would leak the future into the model's inputs.

    Returns:
        ``(normalized, mean, std)``; ``normalized * std + mean`` gives ``data`` back.

    Example:
        >>> scaled, mean, std = normalize(np.array([[1.0], [3.0], [100.0]]), slice(0, 2))
        >>> scaled.ravel().tolist(), mean.tolist(), std.tolist()
        ([-1.0, 1.0, 98.0], [2.0], [1.0])
    """
    data = np.asarray(data, dtype="float64")
    train = data[train_rows]
    if len(train) < 2:
        raise ValueError(
            f"Need at least 2 training rows for a standard deviation, got {len(train)}."
        )
    mean, std = train.mean(axis=0), train.std(axis=0)
    if np.any(std == 0):
        raise ValueError(
            "A column is constant over the training rows (standard deviation 0): drop it "
            "before normalizing."
        )
    return (data - mean) / std, mean, std


# ---------------------------------------------------------------- baselines


def lagged_forecast(series: Any, lag: int) -> np.ndarray:
    """Predict each value by the one ``lag`` steps earlier (NaN for the first ``lag``).

    ``lag=1`` is the naive forecast ("same as last month"); ``lag=12`` on a
    monthly series is the seasonal-naive one ("same as a year ago").

    Example:
        >>> lagged_forecast([1.0, 2.0, 4.0, 8.0], 1).tolist()
        [nan, 1.0, 2.0, 4.0]
    """
    series = np.asarray(series, dtype="float64")
    lag = _positive("lag", lag)
    if lag >= len(series):
        raise ValueError(f"lag {lag} leaves nothing to predict in a series of {len(series)}.")
    forecast = np.full(series.shape, np.nan)
    forecast[lag:] = series[:-lag]
    return forecast


def _errors(truth: Any, predictions: Any) -> np.ndarray:
    truth, predictions = np.asarray(truth, "float64"), np.asarray(predictions, "float64")
    if truth.shape != predictions.shape:
        raise ValueError(
            f"truth {truth.shape} and predictions {predictions.shape} must have the same shape."
        )
    if truth.size == 0:
        raise ValueError("No values to compare.")
    return predictions - truth


def mae(truth: Any, predictions: Any) -> float:
    """Mean absolute error.

    Example:
        >>> mae([1, 2, 3], [2, 2, 1])
        1.0
    """
    return float(np.mean(np.abs(_errors(truth, predictions))))


def rmse(truth: Any, predictions: Any) -> float:
    """Root mean squared error.

    Example:
        >>> rmse([0, 0], [3, 4])
        3.5355339059327378
    """
    return float(np.sqrt(np.mean(_errors(truth, predictions) ** 2)))


# -------------------------------------------------------------------- plots


def plot_curves(
    curves: Mapping[str, Sequence[float]],
    *,
    baseline: float | None = None,
    baseline_label: str = "baseline",
    ylabel: str = "",
    title: str = "",
    ax: Any = None,
) -> Any:
    """One line per named curve (say, validation MAE per epoch), with a baseline line.

    Example:
        >>> ax = plot_curves({"GRU": [2.5, 2.3]}, baseline=2.4, ylabel="MAE")
        >>> [line.get_label() for line in ax.get_lines()]
        ['GRU', 'baseline']
    """
    import matplotlib.pyplot as plt

    if not curves:
        raise ValueError("Give at least one curve: a dict of name -> values per epoch.")
    if ax is None:
        _, ax = plt.subplots(figsize=(6.5, 3.5))
    for name, values in curves.items():
        ax.plot(range(1, len(values) + 1), values, "o-", markersize=3, label=name)
    if baseline is not None:
        ax.axhline(baseline, color="black", linestyle=":", label=baseline_label)
    ax.set(xlabel="epoch", ylabel=ylabel, title=title)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
    return ax


def plot_forecast(
    times: Any,
    truth: Any,
    forecasts: Mapping[str, Any],
    *,
    ylabel: str = "",
    title: str = "",
    ax: Any = None,
) -> Any:
    """The true series and one or more forecasts over the same times.

    Example:
        >>> ax = plot_forecast([0, 1, 2], [1, 2, 3], {"naive": [np.nan, 1, 2]})
        >>> [line.get_label() for line in ax.get_lines()]
        ['truth', 'naive']
    """
    import matplotlib.pyplot as plt

    if len(truth) != len(times) or any(len(values) != len(times) for values in forecasts.values()):
        raise ValueError("times, truth and every forecast must have the same length.")
    if ax is None:
        _, ax = plt.subplots(figsize=(8, 3.5))
    ax.plot(times, truth, color="black", linewidth=1.5, label="truth")
    for name, values in forecasts.items():
        ax.plot(times, values, linewidth=1, label=name)
    ax.set(ylabel=ylabel, title=title)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
    return ax
