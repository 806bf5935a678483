"""Resumable long trainings: a run killed mid-way starts again from its last finished epoch.

A chapter passes one callback to each long ``fit``::

    model.fit(..., callbacks=[checkpoints.resumable("ch07_char_lstm")])

:func:`resumable` returns a :class:`Resumable` callback, a
``keras.callbacks.BackupAndRestore`` whose folder is::

    <checkpoint home>/<profile>/<chapter>/<run>/      e.g.  .../full/ch07/char_lstm/

The **checkpoint home** is ``$COURSE_CHECKPOINTS`` if set; otherwise, on Colab
with Google Drive mounted, ``/content/drive/MyDrive/course_checkpoints`` (so it
outlives the runtime); otherwise ``<data home>/checkpoints`` (see
:func:`course.data.data_home`). The profile is part of the folder, so a fast
run never resumes a full run's state, nor the other way round.

Keras 3.15's ``BackupAndRestore`` saves ``model.save_weights`` (the layers'
weights and the optimizer's variables: its step count, so a learning-rate
schedule goes on where it was, its learning rate, so ``ReduceLROnPlateau``'s
cuts stay, its moments and any weight average) and the epoch number at the end
of every epoch, and on restart sets the epoch ``fit`` starts at. It keeps no
random-number state (dropout masks), no other callback's state, and no history.
:class:`Resumable` keeps all that Keras keeps and also the layers'
random-number states, the epochs' logs (``fit`` returns a history of every
epoch, the ones before the kill included) and the state of the
``EarlyStopping`` and ``SwapEMAWeights`` callbacks named in
``resumable(name, *keep)`` (best value, patience count and best weights;
whether the average is swapped in). It saves an epoch when the next one
begins, once every callback is done with it, and atomically: the arrays go to
new files and a small ``state.json`` naming them is renamed into place last,
so a kill during a save leaves the previous epoch's state intact. A training
that ends (or stops early) deletes its folder.

What does *not* carry over a kill: the state of other callbacks, and the
position of an input pipeline that shuffles itself (a ``tf.data`` dataset's
``shuffle``): a resumed run shuffles its remaining epochs as a new run shuffles
its first ones, a different but equally random order. (``fit`` on NumPy arrays
with ``shuffle=True`` repeats its orders exactly; the test checks it.) A resumed
run therefore reaches the same result bit for bit when the run is deterministic
and its data order does not depend on the process, and otherwise a result from
the same distribution, like a second run with the same seed.

To **start over**, delete the folder, call :func:`start_over`, or set
``COURSE_CHECKPOINTS_RESET=1`` (each :func:`resumable` then deletes its folder
before training; unset it afterwards, or a later restart starts over again).

Example:
    >>> import tempfile
    >>> home = tempfile.mkdtemp()
    >>> run_folder("ch07_char_lstm", profile="full", home=home).relative_to(home).as_posix()
    'full/ch07/char_lstm'
"""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path
from typing import Any

import keras
import numpy as np

from course.data import data_home
from course.profile import PROFILES, get_profile

CHECKPOINTS_ENV = "COURSE_CHECKPOINTS"
RESET_ENV = "COURSE_CHECKPOINTS_RESET"
DRIVE_FOLDER = Path("/content/drive/MyDrive")
DRIVE_HOME = DRIVE_FOLDER / "course_checkpoints"
STATE_FILE = "state.json"
_NAME = re.compile(r"^(ch\d\d)_([A-Za-z0-9_.-]+)$")
_TRUE = {"1", "true", "yes", "on"}


KEPT = (keras.callbacks.EarlyStopping, keras.callbacks.SwapEMAWeights)


class CheckpointError(RuntimeError):
    """A checkpoint cannot be used: its name is wrong, or it does not fit the model."""


def checkpoint_home() -> Path:
    """The folder under which every run's checkpoints live (not created here).

    ``$COURSE_CHECKPOINTS``; else Google Drive's ``course_checkpoints`` when Drive
    is mounted on Colab; else ``<data home>/checkpoints``.

    Example:
        >>> os.environ[CHECKPOINTS_ENV] = "/tmp/my-checkpoints"
        >>> checkpoint_home()
        PosixPath('/tmp/my-checkpoints')
        >>> del os.environ[CHECKPOINTS_ENV]
    """
    chosen = os.environ.get(CHECKPOINTS_ENV)
    if chosen:
        return Path(chosen).expanduser()
    if DRIVE_FOLDER.is_dir():
        return DRIVE_HOME
    return data_home() / "checkpoints"


def run_folder(name: str, *, profile: str | None = None, home: str | Path | None = None) -> Path:
    """The folder of one training: ``<home>/<profile>/<chapter>/<run>``.

    ``name`` is ``chNN_<run>`` like a claim's name (letters, digits, ``_ . -``);
    ``profile`` defaults to the current one (``COURSE_PROFILE``).

    Example:
        >>> run_folder("ch09_attention", profile="fast", home="/x").as_posix()
        '/x/fast/ch09/attention'
        >>> run_folder("attention", profile="fast", home="/x")
        Traceback (most recent call last):
        ...
        course.checkpoints.CheckpointError: A checkpoint name is 'chNN_<run>' ...
    """
    match = _NAME.match(name)
    if match is None:
        raise CheckpointError(
            f"A checkpoint name is 'chNN_<run>' (the chapter's number, then letters, "
            f"digits, '_', '.' or '-'), like 'ch07_char_lstm'; got {name!r}."
        )
    profile_name = profile if profile is not None else get_profile().name
    if profile_name not in PROFILES:
        raise CheckpointError(
            f"Unknown profile {profile_name!r}; use one of {', '.join(PROFILES)}."
        )
    base = Path(home) if home is not None else checkpoint_home()
    return base / profile_name / match.group(1) / match.group(2)


def start_over(chapter: str | None = None, *, profile: str | None = None) -> Path:
    """Delete the saved state of one chapter (``"ch07"``, or a run ``"ch07_char_lstm"``),
    or of every chapter when ``chapter`` is None, in the current profile. Returns the
    folder it deleted (or would have: a missing folder is not an error).

    Example:
        >>> import tempfile
        >>> os.environ[CHECKPOINTS_ENV] = tempfile.mkdtemp()
        >>> folder = run_folder("ch07_char_lstm", profile="full")
        >>> folder.mkdir(parents=True)
        >>> start_over("ch07", profile="full") == folder.parent, folder.exists()
        (True, False)
        >>> del os.environ[CHECKPOINTS_ENV]
    """
    profile_name = profile if profile is not None else get_profile().name
    if chapter is None:
        target = checkpoint_home() / profile_name
    elif re.fullmatch(r"ch\d\d", chapter):
        target = checkpoint_home() / profile_name / chapter
    else:
        target = run_folder(chapter, profile=profile_name)
    shutil.rmtree(target, ignore_errors=True)
    return target


def resumable(name: str, *keep: keras.callbacks.Callback, profile: str | None = None) -> Resumable:
    """The callback that makes one ``fit`` resumable; ``name`` is ``chNN_<run>``.

    ``keep``: the ``EarlyStopping`` and ``SwapEMAWeights`` callbacks of the same
    ``fit``, whose state (best value, patience count, best weights; whether the
    weight average is swapped in) is then kept over a kill too.
    With ``COURSE_CHECKPOINTS_RESET=1`` the run's folder is deleted first.

    Example:
        >>> import tempfile
        >>> os.environ[CHECKPOINTS_ENV] = tempfile.mkdtemp()
        >>> callback = resumable("ch10_cifar_convnet", profile="full")
        >>> callback.backup_dir.endswith(os.path.join("full", "ch10", "cifar_convnet"))
        True
        >>> resumable("ch10_cifar_convnet", keras.callbacks.History())
        Traceback (most recent call last):
        ...
        course.checkpoints.CheckpointError: resumable() keeps the state of EarlyStopping and ...
        >>> del os.environ[CHECKPOINTS_ENV]
    """
    folder = run_folder(name, profile=profile)
    if os.environ.get(RESET_ENV, "").strip().lower() in _TRUE:
        shutil.rmtree(folder, ignore_errors=True)
    return Resumable(folder, keep)


class Resumable(keras.callbacks.BackupAndRestore):
    """``BackupAndRestore`` that also keeps random-number states, the history and the
    state of the ``EarlyStopping`` and ``SwapEMAWeights`` callbacks in ``keep``, and
    saves atomically. Its place in ``callbacks`` does not matter.

    An epoch's state is saved when the next epoch begins, after every callback has
    finished with the epoch (early stopping has counted it, the weight average
    has been swapped out again); a training that stops early or ends deletes it.
    """

    def __init__(self, folder: str | Path, keep: tuple[Any, ...] | list[Any] = ()) -> None:
        super().__init__(backup_dir=str(folder))
        for callback in keep:
            if not isinstance(callback, KEPT):
                raise CheckpointError(
                    "resumable() keeps the state of EarlyStopping and SwapEMAWeights "
                    f"callbacks only, not of {type(callback).__name__}: pass that one to "
                    "fit's callbacks alone."
                )
        self.folder = Path(folder)
        self.keep = list(keep)
        self.resumed_from = 0  # the epoch (counted from 0) this fit started at
        self._logs: dict[str, list[float]] = {}
        self._kept: list[dict[str, Any]] | None = None  # saved states not yet given back
        self._epochs_run = 0

    def on_train_begin(self, logs: dict[str, Any] | None = None) -> None:
        self._epochs_run, self._logs, self.resumed_from, self._kept = 0, {}, 0, None
        if not self.model.built:
            raise CheckpointError(
                f"{type(self.model).__name__} {self.model.name!r} is not built, so its "
                "training cannot be saved or resumed: give it an Input layer or call it on a "
                "batch before fit, or train it without resumable()."
            )
        state_file = self.folder / STATE_FILE
        if not state_file.is_file():
            return
        state = json.loads(state_file.read_text())
        try:
            if self.model.optimizer is not None and not self.model.optimizer.built:
                self.model.optimizer.build(self.model.trainable_variables)
            self.model.load_weights(self.folder / state["weights"])
            for variable, value in zip(_seed_states(self.model), state["seeds"], strict=True):
                variable.assign(np.asarray(value, dtype=variable.dtype))
            kinds = [type(callback).__name__ for callback in self.keep]
            if [saved["kind"] for saved in state["kept"]] != kinds:
                raise ValueError(f"it kept the state of {state['kept']}, this fit keeps {kinds}")
        except (ValueError, OSError, KeyError) as error:
            raise CheckpointError(
                f"The checkpoint in {self.folder} does not fit this model ({error}). It was "
                f"saved by other code: delete that folder (or set {RESET_ENV}=1) and run again."
            ) from error
        for callback, saved in zip(self.keep, state["kept"], strict=True):
            if saved.get("average_in_model"):  # saved while the average was swapped in
                callback._swap_variables()
        self._logs = state["logs"]
        self._kept = state["kept"]
        self.resumed_from = state["epoch"]
        self.model._initial_epoch = state["epoch"]

    def on_epoch_begin(self, epoch: int, logs: dict[str, Any] | None = None) -> None:
        if self._kept is not None:
            self._give_back()  # the first epoch after a resume: its state is on disk
        elif epoch > 0:
            self._save(epoch)

    def on_epoch_end(self, epoch: int, logs: dict[str, Any] | None = None) -> None:
        self._epochs_run += 1
        for key, value in (logs or {}).items():
            self._logs.setdefault(key, []).append(_plain(value))

    def _save(self, epochs_done: int) -> None:
        """Write this epoch's arrays under new names, then commit ``state.json`` naming them."""
        self.folder.mkdir(parents=True, exist_ok=True)
        prefix = f"epoch-{epochs_done:04d}"
        self.model.save_weights(self.folder / f"{prefix}.weights.h5", overwrite=True)
        kept = []
        for index, callback in enumerate(self.keep):
            if isinstance(callback, keras.callbacks.SwapEMAWeights):
                kept.append(
                    dict(kind="SwapEMAWeights", average_in_model=callback._ema_weights_in_model)
                )
                continue
            best_file = None
            if callback.best_weights is not None:
                best_file = f"{prefix}-best-{index}.npz"
                np.savez(self.folder / best_file, *callback.best_weights)
            best = None if callback.best is None else float(callback.best)
            kept.append(
                dict(
                    kind="EarlyStopping",
                    wait=callback.wait,
                    best=best,
                    best_epoch=callback.best_epoch,
                    stopped_epoch=callback.stopped_epoch,
                    best_weights=best_file,
                )
            )
        state = {
            "epoch": epochs_done,
            "weights": f"{prefix}.weights.h5",
            "seeds": [np.asarray(v).tolist() for v in _seed_states(self.model)],
            "kept": kept,
            "logs": self._logs,
        }
        temporary = self.folder / f"{STATE_FILE}.{os.getpid()}.tmp"
        temporary.write_text(json.dumps(state))
        os.replace(temporary, self.folder / STATE_FILE)
        for old in self.folder.glob("epoch-*"):
            if not old.name.startswith(prefix):
                old.unlink(missing_ok=True)

    def _give_back(self) -> None:
        """Give the kept ``EarlyStopping`` callbacks their saved state (after they reset it)."""
        for callback, saved in zip(self.keep, self._kept or [], strict=True):
            if saved["kind"] != "EarlyStopping":
                continue
            callback.wait = saved["wait"]
            callback.best = saved["best"]
            callback.best_epoch = saved["best_epoch"]
            callback.stopped_epoch = saved["stopped_epoch"]
            if saved["best_weights"] is not None:
                with np.load(self.folder / saved["best_weights"]) as arrays:
                    callback.best_weights = [arrays[f"arr_{i}"] for i in range(len(arrays.files))]
        self._kept = None

    def on_train_end(self, logs: dict[str, Any] | None = None) -> None:
        history = getattr(self.model, "history", None)
        if self._epochs_run == 0 or not isinstance(history, keras.callbacks.History):
            history = keras.callbacks.History()  # nothing ran: the saved epochs are all there is
            history.set_model(self.model)
            self.model.history = history
        history.epoch = list(range(self.resumed_from + self._epochs_run))
        history.history = {key: list(values) for key, values in self._logs.items()}
        shutil.rmtree(self.folder, ignore_errors=True)


def _seed_states(model: keras.Model) -> list[Any]:
    """The state variables of every random-number generator in the model's layers."""
    states = []
    for layer in model._flatten_layers(include_self=True):
        for generator in getattr(layer, "_seed_generators", []):
            states.append(generator.state)
    return states


def _plain(value: Any) -> Any:
    """A log value as JSON can hold it: a float, or nested lists for an array.

    Example:
        >>> _plain(np.float32(0.5)), _plain(np.array([1, 2]))
        (0.5, [1, 2])
    """
    array = np.asarray(value)
    return float(array) if array.ndim == 0 else array.tolist()
