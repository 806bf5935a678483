"""Resumable trainings: a training killed mid-epoch resumes from its last finished epoch
and ends with the same weights and history as an uninterrupted one.

The training runs in subprocesses (``TRAINING`` below). The first is killed with
SIGKILL while it is inside its third epoch: its callback writes a marker file
there and then waits, so the kill never races the training. The second is the
same script started again; the third, meanwhile, trains without interruption,
once with and once without the callback (in a checkpoint home of its own).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from course import checkpoints

ROOT = Path(__file__).resolve().parents[1]
EPOCHS = 5
KILL_IN_EPOCH = 2  # counted from 0: epochs 0 and 1 have finished when the kill comes

TRAINING = """
import json, os, sys, time
import numpy as np
import keras, tensorflow as tf
from course import checkpoints

mode, out = sys.argv[1], sys.argv[2]
epochs, kill_in_epoch, marker = int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
tf.config.experimental.enable_op_determinism()

class StopHere(keras.callbacks.Callback):
    # Inside epoch `kill_in_epoch`, after 3 batches: say so in a file, then wait to be killed.
    def on_epoch_begin(self, epoch, logs=None):
        self.epoch = epoch
    def on_train_batch_end(self, batch, logs=None):
        if mode == "killed" and self.epoch == kill_in_epoch and batch == 2:
            with open(marker + ".tmp", "w") as f:
                f.write(f"{self.epoch} {batch}")
            os.replace(marker + ".tmp", marker)
            while True:
                time.sleep(1)

class LastWeights(keras.callbacks.Callback):
    def on_epoch_end(self, epoch, logs=None):
        self.weights = [w.tolist() for w in self.model.get_weights()]

def train(use_callback):
    keras.utils.set_random_seed(0)
    rng = np.random.default_rng(0)
    x = rng.normal(size=(320, 8)).astype("float32")
    y = (x @ rng.normal(size=(8, 1)) + 0.1 * rng.normal(size=(320, 1))).astype("float32")
    model = keras.Sequential([
        keras.Input((8,)),
        keras.layers.Dense(16, activation="relu"),
        keras.layers.Dropout(0.3),
        keras.layers.Dense(1),
    ])
    schedule = keras.optimizers.schedules.ExponentialDecay(0.01, decay_steps=10, decay_rate=0.8)
    optimizer = keras.optimizers.Adam(schedule, use_ema=True, ema_momentum=0.9)
    model.compile(optimizer=optimizer, loss="mse")
    # Keeps the weights of the epoch with the *highest* loss, an early one: so a resumed
    # run ends right only if this callback's state survived the kill. The resuming
    # callback comes first, before the weight average is swapped out at an epoch's start.
    stopper = keras.callbacks.EarlyStopping(
        "loss", mode="max", patience=epochs, restore_best_weights=True
    )
    average = keras.callbacks.SwapEMAWeights(swap_on_epoch=True)
    last = LastWeights()
    callbacks = [average, StopHere(), stopper, last]
    resume = checkpoints.resumable("ch99_tiny", average, stopper) if use_callback else None
    if resume is not None:
        callbacks.insert(0, resume)
    history = model.fit(x, y, epochs=epochs, batch_size=32, shuffle=True,
                        callbacks=callbacks, verbose=0)
    return dict(
        weights=[w.tolist() for w in model.get_weights()],
        last_epoch_weights=last.weights,
        best_epoch=stopper.best_epoch,
        wait=stopper.wait,
        loss=history.history["loss"],
        epochs=history.epoch,
        resumed_from=None if resume is None else resume.resumed_from,
        iterations=int(model.optimizer.iterations.numpy()),
    )

if mode == "reference":
    result = dict(plain=train(False), resumable=train(True))
else:
    result = dict(resumable=train(True))
with open(out, "w") as f:
    json.dump(result, f)
"""


def _environment(home: Path) -> dict[str, str]:
    environment = dict(os.environ)
    environment.update(
        COURSE_CHECKPOINTS=str(home),
        COURSE_PROFILE="fast",
        TF_CPP_MIN_LOG_LEVEL="2",
        PYTHONPATH=os.pathsep.join([str(ROOT), environment.get("PYTHONPATH", "")]),
    )
    environment.pop(checkpoints.RESET_ENV, None)
    return environment


def _train(mode: str, folder: Path, home: Path) -> subprocess.Popen[bytes]:
    script = folder / "train.py"
    script.write_text(TRAINING)
    arguments = [str(folder / f"{mode}.json"), str(EPOCHS), str(KILL_IN_EPOCH)]
    command = [sys.executable, str(script), mode, *arguments, str(folder / "marker")]
    return subprocess.Popen(command, env=_environment(home), stderr=subprocess.PIPE)


def _finish(process: subprocess.Popen[bytes], folder: Path, mode: str) -> dict:
    _, errors = process.communicate(timeout=300)
    if process.returncode != 0:
        pytest.fail(f"{mode} training failed:\n{errors.decode()[-3000:]}")
    return json.loads((folder / f"{mode}.json").read_text())


def test_a_training_killed_mid_epoch_resumes_and_ends_as_an_uninterrupted_one(tmp_path):
    home = tmp_path / "checkpoints"
    run = checkpoints.run_folder("ch99_tiny", profile="fast", home=home)

    killed = _train("killed", tmp_path, home)
    reference_run = _train("reference", tmp_path, tmp_path / "elsewhere")  # runs meanwhile
    deadline = time.monotonic() + 240  # a safety net against a hang, not a measurement
    while not (tmp_path / "marker").exists():
        if killed.poll() is not None:
            pytest.fail(f"the training ended before the kill:\n{killed.stderr.read().decode()}")
        if time.monotonic() > deadline:
            killed.kill()
            pytest.fail("the training never reached the epoch where it is killed")
        time.sleep(0.05)
    killed.send_signal(signal.SIGKILL)
    killed.wait()
    killed.stderr.close()
    assert (tmp_path / "marker").read_text() == f"{KILL_IN_EPOCH} 2"
    saved = json.loads((run / checkpoints.STATE_FILE).read_text())
    assert saved["epoch"] == KILL_IN_EPOCH  # the last finished epoch's state is on disk
    assert [kept["kind"] for kept in saved["kept"]] == ["SwapEMAWeights", "EarlyStopping"]
    assert len(saved["logs"]["loss"]) == KILL_IN_EPOCH

    resumed = _finish(_train("resumed", tmp_path, home), tmp_path, "resumed")["resumable"]
    assert not run.exists()  # a training that ends deletes its state
    reference = _finish(reference_run, tmp_path, "reference")

    assert resumed["resumed_from"] == KILL_IN_EPOCH
    assert reference["resumable"]["resumed_from"] == 0
    assert resumed["epochs"] == list(range(EPOCHS))
    # Deterministic ops, the same seed, the same thread and the same float32 sums in the
    # same order: the runs are bit for bit the same, so any difference is a resume bug
    # (a lost optimizer step count, Adam moment or dropout state changes the 3rd digit).
    for uninterrupted in (reference["plain"], reference["resumable"]):
        assert resumed["iterations"] == uninterrupted["iterations"] == EPOCHS * 10
        np.testing.assert_array_equal(resumed["loss"], uninterrupted["loss"])
        assert resumed["best_epoch"] == uninterrupted["best_epoch"] < KILL_IN_EPOCH
        assert resumed["wait"] == uninterrupted["wait"]
        for weights in ("last_epoch_weights", "weights"):  # before and after restoring the best
            for mine, theirs in zip(resumed[weights], uninterrupted[weights], strict=True):
                np.testing.assert_array_equal(np.array(mine), np.array(theirs))


def test_start_over_and_the_reset_variable_delete_the_saved_state(tmp_path, monkeypatch):
    monkeypatch.setenv(checkpoints.CHECKPOINTS_ENV, str(tmp_path))
    folder = checkpoints.run_folder("ch05_jena_lstm", profile="full")
    folder.mkdir(parents=True)
    (folder / checkpoints.STATE_FILE).write_text("{}")
    assert checkpoints.resumable("ch05_jena_lstm", profile="full").folder == folder
    assert folder.exists()  # without the reset variable, the state is kept for resuming
    monkeypatch.setenv(checkpoints.RESET_ENV, "1")
    checkpoints.resumable("ch05_jena_lstm", profile="full")
    assert not folder.exists()
    folder.mkdir(parents=True)
    assert checkpoints.start_over(profile="full") == tmp_path / "full"
    assert not (tmp_path / "full").exists()


def test_the_home_is_drive_when_mounted_else_the_data_home(tmp_path, monkeypatch):
    monkeypatch.delenv(checkpoints.CHECKPOINTS_ENV, raising=False)
    monkeypatch.setenv("COURSE_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setattr(checkpoints, "DRIVE_FOLDER", tmp_path / "no-drive")
    assert checkpoints.checkpoint_home() == tmp_path / "data" / "checkpoints"
    monkeypatch.setattr(checkpoints, "DRIVE_FOLDER", tmp_path)
    assert checkpoints.checkpoint_home() == checkpoints.DRIVE_HOME


def test_a_checkpoint_of_another_model_says_how_to_start_over(tmp_path):
    import keras

    class Crash(keras.callbacks.Callback):
        def on_epoch_begin(self, epoch, logs=None):
            if epoch == 1:  # the first epoch's state was saved as this one began
                raise RuntimeError("interrupted")

    def model(width: int) -> keras.Model:
        built = keras.Sequential([keras.Input((3,)), keras.layers.Dense(width)])
        built.compile(optimizer="sgd", loss="mse")
        return built

    x, y = np.zeros((4, 3), "float32"), np.zeros((4, 1), "float32")
    with pytest.raises(RuntimeError, match="interrupted"):
        model(1).fit(
            x, y, epochs=2, verbose=0, callbacks=[checkpoints.Resumable(tmp_path), Crash()]
        )
    assert (tmp_path / checkpoints.STATE_FILE).is_file()
    with pytest.raises(checkpoints.CheckpointError, match="delete that folder"):
        model(2).fit(x, y, epochs=2, verbose=0, callbacks=[checkpoints.Resumable(tmp_path)])


def test_a_model_that_fit_does_not_build_is_refused_before_training(tmp_path):
    import keras

    class StepOnly(keras.Model):  # like chapter 11's VAE: a train_step and no call
        def __init__(self):
            super().__init__()
            self.dense = keras.layers.Dense(1)

        def train_step(self, data):
            return {"loss": keras.ops.mean(self.dense(data) ** 2)}

    model = StepOnly()
    model.compile(optimizer="sgd")
    with pytest.raises(checkpoints.CheckpointError, match="is not built"):
        model.fit(
            np.zeros((4, 3), "float32"),
            epochs=2,
            verbose=0,
            callbacks=[checkpoints.Resumable(tmp_path)],
        )
    assert not tmp_path.joinpath(checkpoints.STATE_FILE).exists()
