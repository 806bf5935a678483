"""course.timeseries: the three window makers agree, offsets are exact, errors explain."""

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np
import pytest

from course import timeseries

SETTINGS = [
    dict(sequence_length=3, sampling_rate=1, horizon=1),
    dict(sequence_length=4, sampling_rate=3, horizon=5, stride=2),
    dict(sequence_length=5, sampling_rate=2, horizon=0, start=7, end=60),
    dict(sequence_length=1, sampling_rate=1, horizon=3, stride=4, start=3),
]


@pytest.mark.parametrize("setting", SETTINGS)
def test_every_window_reads_the_rows_the_convention_says(setting):
    data = np.arange(80)
    windows, targets = timeseries.make_windows(data, **setting)
    length, rate, horizon = (setting[k] for k in ("sequence_length", "sampling_rate", "horizon"))
    start, end, stride = setting.get("start", 0), setting.get("end", 80), setting.get("stride", 1)
    expected_starts = [
        s for s in range(start, end, stride) if s + (length - 1) * rate + horizon < end
    ]
    assert windows[:, 0].tolist() == expected_starts
    for window, target in zip(windows, targets):
        assert window.tolist() == list(range(window[0], window[0] + length * rate, rate))
        assert target == window[-1] + horizon


@pytest.mark.parametrize("setting", SETTINGS)
def test_generator_stride_tricks_and_keras_make_the_same_windows(setting):
    data = np.random.default_rng(0).normal(size=(80, 3)).astype("float32")
    targets = data[:, 1] * 10
    windows, window_targets = timeseries.make_windows(data, targets, **setting)
    batches = list(timeseries.python_window_batches(data, targets, batch_size=7, **setting))
    np.testing.assert_array_equal(np.concatenate([x for x, _ in batches]), windows)
    np.testing.assert_array_equal(np.concatenate([y for _, y in batches]), window_targets)
    keras_batches = list(timeseries.window_dataset(data, targets, batch_size=7, **setting))
    np.testing.assert_array_equal(np.concatenate([x.numpy() for x, _ in keras_batches]), windows)
    np.testing.assert_array_equal(
        np.concatenate([y.numpy() for _, y in keras_batches]), window_targets
    )


def keras_windows(data, **setting):
    batches = list(timeseries.window_dataset(data, batch_size=1000, **setting))
    return (
        np.concatenate([x.numpy() for x, _ in batches]),
        np.concatenate([y.numpy() for _, y in batches]),
    )


def test_keras_finds_the_one_window_of_a_series_shorter_than_the_stride():
    windows, targets = keras_windows(np.arange(3.0), sequence_length=2, horizon=1, stride=3)
    assert windows.tolist() == [[0.0, 1.0]] and targets.tolist() == [2.0]


SHORT_SETTINGS = [
    dict(rows=rows, sequence_length=length, sampling_rate=rate, horizon=horizon, stride=stride)
    for rows in (1, 2, 4)
    for length in (1, 2, 3)
    for rate in (1, 2)
    for horizon in (0, 1)
    for stride in (1, 2, 5)
    if (length - 1) * rate + horizon < rows  # at least one window fits
]


def test_keras_agrees_with_make_windows_on_every_short_series():
    assert len(SHORT_SETTINGS) == 51
    for setting in SHORT_SETTINGS:
        options = {key: value for key, value in setting.items() if key != "rows"}
        data = np.arange(setting["rows"] * 2.0).reshape(-1, 2)
        targets = data[:, 0] * 10
        expected = timeseries.make_windows(data, targets, **options)
        got = keras_windows(data, targets=targets, **options)
        for expected_part, got_part in zip(expected, got):
            np.testing.assert_array_equal(got_part, expected_part, err_msg=str(setting))


def test_windows_are_read_only_views():
    data = np.arange(30.0).reshape(15, 2)
    windows, targets = timeseries.make_windows(data, sequence_length=4)
    assert np.shares_memory(windows, data) and np.shares_memory(targets, data)
    with pytest.raises(ValueError):
        windows[0, 0, 0] = -1.0
    with pytest.raises(ValueError):
        targets[0] = -1.0


def test_shuffled_keras_windows_are_the_same_set():
    data = np.arange(50)
    dataset = timeseries.window_dataset(
        data, sequence_length=4, horizon=2, batch_size=8, shuffle=True, seed=1
    )
    shuffled = np.concatenate([x.numpy() for x, _ in dataset])
    windows, _ = timeseries.make_windows(data, sequence_length=4, horizon=2)
    assert sorted(map(tuple, shuffled)) == sorted(map(tuple, windows))


@pytest.mark.parametrize(
    "options, message",
    [
        (dict(sequence_length=0), "sequence_length must be a whole number ≥ 1"),
        (dict(sequence_length=3, sampling_rate=0), "sampling_rate must be"),
        (dict(sequence_length=3, horizon=-1), "horizon must be a whole number ≥ 0"),
        (dict(sequence_length=3, stride=1.5), "stride must be"),
        (
            dict(sequence_length=8, sampling_rate=2),
            "spans 16 rows, but rows \\[0, 10\\) hold only",
        ),
        (dict(sequence_length=2, start=5, end=4), "Need 0 ≤ start < end ≤ 10"),
    ],
)
def test_window_arguments_are_checked(options, message):
    with pytest.raises(ValueError, match=message):
        timeseries.make_windows(np.arange(10), **options)


def test_targets_must_match_the_data():
    with pytest.raises(ValueError, match="one entry per row of data \\(10\\), got 9"):
        timeseries.make_windows(np.arange(10), np.arange(9), sequence_length=2)
    with pytest.raises(ValueError, match="shape \\(time,\\) or \\(time, features\\)"):
        timeseries.make_windows(np.zeros((4, 2, 2)), sequence_length=2)


def test_chronological_split_and_its_errors():
    train, validation, test = timeseries.chronological_split(10)
    assert (train, validation, test) == (slice(0, 5), slice(5, 7), slice(7, 10))
    with pytest.raises(ValueError, match="add up to 1"):
        timeseries.chronological_split(10, (0.5, 0.5, 0.5))
    with pytest.raises(ValueError, match="at least 2 rows"):
        timeseries.chronological_split(1)


def test_normalize_uses_training_rows_only():
    data = np.array([[1.0, 10.0], [3.0, 30.0], [1000.0, -5.0]])
    scaled, mean, std = timeseries.normalize(data, slice(0, 2))
    np.testing.assert_allclose(mean, [2.0, 20.0])
    np.testing.assert_allclose(scaled[:2], [[-1, -1], [1, 1]])
    np.testing.assert_allclose(scaled * std + mean, data)
    with pytest.raises(ValueError, match="constant over the training rows"):
        timeseries.normalize(np.array([[1.0], [1.0], [2.0]]), slice(0, 2))
    with pytest.raises(ValueError, match="at least 2 training rows"):
        timeseries.normalize(data, slice(0, 1))


def test_baselines_and_errors():
    series = np.array([1.0, 2.0, 4.0, 8.0, 16.0])
    seasonal = timeseries.lagged_forecast(series, 2)
    assert np.isnan(seasonal[:2]).all() and seasonal[2:].tolist() == [1.0, 2.0, 4.0]
    assert timeseries.mae([1, 2], [2, 4]) == 1.5
    assert timeseries.rmse([0, 0], [1, -1]) == 1.0
    with pytest.raises(ValueError, match="same shape"):
        timeseries.mae([1, 2], [1])
    with pytest.raises(ValueError, match="lag 5 leaves nothing"):
        timeseries.lagged_forecast(series, 5)


def test_plots_draw_what_they_are_given():
    import matplotlib

    matplotlib.use("Agg")
    ax = timeseries.plot_curves({"a": [1, 2], "b": [2, 1]}, baseline=1.5)
    assert [line.get_label() for line in ax.get_lines()] == ["a", "b", "baseline"]
    ax = timeseries.plot_forecast([0, 1], [1, 2], {"model": [1.1, 2.1]}, ylabel="°C")
    assert ax.get_ylabel() == "°C"
    with pytest.raises(ValueError, match="same length"):
        timeseries.plot_forecast([0, 1], [1, 2], {"model": [1.0]})
    with pytest.raises(ValueError, match="at least one curve"):
        timeseries.plot_curves({})
