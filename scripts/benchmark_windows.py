"""Benchmark: the classic Python window generator against NumPy stride tricks and Keras.

All three make the same windows of the same array (checked), one pass in batches; the
script prints seconds and speed ratios. Nothing is asserted about speed.

Two more rows say where the time goes. "Stride-trick views" slices batches out of the
view without copying them: almost free, but a model copies them when it reads them, so
it only moves the cost. "Copy floor" copies the bytes of every batch once from one
contiguous array to another: no way of handing a model contiguous batches can be faster.
The generator's ratio to that floor bounds what any windowing method can gain over it.

    python scripts/benchmark_windows.py            # Jena-like random array, 5-day windows
    python scripts/benchmark_windows.py --rows 100000 --repeats 5
"""

from __future__ import annotations

import argparse
import os
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np

from course import timeseries


def best_of(repeats: int, function) -> float:
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=50_000, help="rows of the array (10 min each)")
    parser.add_argument("--features", type=int, default=14)
    parser.add_argument("--sequence-length", type=int, default=120)
    parser.add_argument("--sampling-rate", type=int, default=6)
    parser.add_argument("--horizon", type=int, default=144)
    parser.add_argument("--batch-size", type=int, default=128)
    parser.add_argument("--repeats", type=int, default=3)
    arguments = parser.parse_args()

    data = np.random.default_rng(0).normal(size=(arguments.rows, arguments.features))
    data = data.astype("float32")
    setting = dict(
        sequence_length=arguments.sequence_length,
        sampling_rate=arguments.sampling_rate,
        horizon=arguments.horizon,
    )
    size = arguments.batch_size

    def generator() -> list:
        return [x for x, _ in timeseries.python_window_batches(data, batch_size=size, **setting)]

    def strided() -> list:
        windows, _ = timeseries.make_windows(data, **setting)
        return [np.array(windows[i : i + size]) for i in range(0, len(windows), size)]

    def keras_dataset() -> list:
        dataset = timeseries.window_dataset(data, batch_size=size, **setting)
        return [x.numpy() for x, _ in dataset]

    def views() -> list:
        windows, _ = timeseries.make_windows(data, **setting)
        return [windows[i : i + size] for i in range(0, len(windows), size)]

    reference = np.concatenate(strided())
    flat = np.ascontiguousarray(reference)

    def copy_floor() -> list:
        return [flat[i : i + size].copy() for i in range(0, len(flat), size)]

    for function in (generator, keras_dataset, views):
        np.testing.assert_array_equal(np.concatenate(function()), reference)
    print(f"{len(reference):,} windows of shape {reference.shape[1:]}, batches of {size}")
    seconds = {
        "Python generator": best_of(arguments.repeats, generator),
        "NumPy stride tricks": best_of(arguments.repeats, strided),
        "timeseries_dataset_from_array": best_of(arguments.repeats, keras_dataset),
        "stride-trick views (no copy)": best_of(arguments.repeats, views),
        "copy floor (memcpy of batches)": best_of(arguments.repeats, copy_floor),
    }
    slow = seconds["Python generator"]
    for name, value in seconds.items():
        print(f"{name:30} {value:8.3f} s   {slow / value:6.1f}× the generator's speed")


if __name__ == "__main__":
    main()
