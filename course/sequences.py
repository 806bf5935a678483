"""Helpers for recurrent networks: gradients through time, custom training, state.

Chapter 4 uses them to look inside recurrent layers rather than only train them:

- :func:`parameter_count` gives the weight count of a SimpleRNN, LSTM or GRU
  layer from its formula, to compare with ``layer.count_params()``.
- :func:`timestep_gradient_norms` measures how strongly the loss depends on
  each input timestep: the picture of vanishing gradients.
- :func:`train_with_gradient_tape` is a small training loop written with
  ``tf.GradientTape``: the modern counterpart of a hand-built TensorFlow 1
  graph, and a way to record the gradient norm of every step.
- :func:`run_in_chunks` and :func:`reset_rnn_states` drive a *stateful*
  recurrent model, which carries its state from one batch to the next.
- :func:`standardize_review` is the IMDB standardization as a function Keras
  can save inside a ``.keras`` model and load again.

Example:
    >>> parameter_count("lstm", features=32, units=32)
    8320
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Sequence

import keras
import numpy as np

from course.text import keras_standardize

__all__ = [
    "TapeHistory",
    "parameter_count",
    "reset_rnn_states",
    "run_in_chunks",
    "standardize_review",
    "timestep_gradient_norms",
    "train_with_gradient_tape",
]

_GATES = {"simple_rnn": 1, "lstm": 4, "gru": 3}


# ------------------------------------------------------------ parameter counts


def parameter_count(kind: str, features: int, units: int, *, reset_after: bool = True) -> int:
    """Trainable weights of a recurrent layer with a bias, by formula.

    Each of the ``G`` blocks (1 for a SimpleRNN, 4 for an LSTM, 3 for a GRU)
    has an input kernel ``features × units``, a recurrent kernel
    ``units × units`` and a bias of ``units``; Keras's default GRU
    (``reset_after=True``) keeps a second bias for the recurrent product.

    Args:
        kind: ``"simple_rnn"``, ``"lstm"`` or ``"gru"``.
        features: Size of each input vector (the last axis of the input).
        units: Size of the state.
        reset_after: GRU only: Keras's default convention, with two biases.

    Example:
        >>> parameter_count("simple_rnn", features=8, units=4)
        52
        >>> parameter_count("gru", features=8, units=4), parameter_count("gru", 8, 4, reset_after=False)
        (168, 156)
    """
    if kind not in _GATES:
        raise ValueError(f"kind must be one of {', '.join(_GATES)}; got {kind!r}.")
    for name, value in (("features", features), ("units", units)):
        if not isinstance(value, (int, np.integer)) or value < 1:
            raise ValueError(f"{name} must be a positive integer; got {value!r}.")
    gates = _GATES[kind]
    biases = 2 if kind == "gru" and reset_after else 1
    return int(gates * (features * units + units * units + biases * units))


# ------------------------------------------------------ gradients through time


def timestep_gradient_norms(
    model: Callable[[Any], Any],
    inputs: Any,
    targets: Any,
    loss: str | Callable[[Any, Any], Any] = "binary_crossentropy",
) -> np.ndarray:
    """How much the loss depends on each input timestep: ``‖∂L/∂x_t‖`` for every ``t``.

    The loss is summed over the batch, so each example contributes its own
    gradient; the result is the L2 norm over the features at each timestep,
    averaged over the batch. In a network whose gradients vanish the early
    timesteps get norms many orders of magnitude below the last ones.

    Args:
        model: A Keras model or any callable from ``(batch, timesteps,
            features)`` floats to predictions.
        inputs: Shape ``(batch, timesteps, features)``.
        targets: What the loss compares the predictions with.
        loss: A Keras loss name or a function ``loss(targets, predictions)``
            returning per-example (or summed) values.

    Returns:
        Shape ``(timesteps,)``: the mean gradient norm at each timestep.

    Example:
        >>> import keras
        >>> model = keras.Sequential([keras.Input((6, 2)), keras.layers.SimpleRNN(3),
        ...                           keras.layers.Dense(1, activation="sigmoid")])
        >>> x = np.random.default_rng(0).normal(size=(4, 6, 2)).astype("float32")
        >>> timestep_gradient_norms(model, x, np.ones((4, 1))).shape
        (6,)
    """
    import tensorflow as tf

    inputs = np.asarray(inputs, dtype=np.float32)
    if inputs.ndim != 3:
        raise ValueError(
            f"inputs must have shape (batch, timesteps, features); got {inputs.shape}. "
            "Pass embedded tokens, not token ids: gradients need float inputs."
        )
    loss_function = keras.losses.get(loss) if isinstance(loss, str) else loss
    if not callable(loss_function):
        raise ValueError(f"loss must be a Keras loss name or a function; got {loss!r}.")
    x = tf.convert_to_tensor(inputs)
    y = tf.convert_to_tensor(np.asarray(targets, dtype=np.float32))
    with tf.GradientTape() as tape:
        tape.watch(x)
        total = tf.reduce_sum(loss_function(y, model(x)))
    gradient = tape.gradient(total, x)
    if gradient is None:
        raise ValueError("The loss does not depend on the inputs: does the model use them?")
    return np.linalg.norm(keras.ops.convert_to_numpy(gradient), axis=2).mean(axis=0)


# ------------------------------------------------------ training with a tape


@dataclass
class TapeHistory:
    """What :func:`train_with_gradient_tape` records.

    ``history`` has per-epoch lists like a Keras ``History`` (so
    ``course.plots.plot_history`` draws it); ``step_loss`` and
    ``step_gradient_norm`` have one entry per training step, the gradient
    norm measured *before* any clipping the optimizer does.

    Example:
        >>> TapeHistory({"loss": [0.5]}).history["loss"]
        [0.5]
    """

    history: dict[str, list[float]]
    step_loss: list[float] = field(default_factory=list)
    step_gradient_norm: list[float] = field(default_factory=list)
    seconds: float = 0.0


def train_with_gradient_tape(
    model: keras.Model,
    train: Iterable[tuple[Any, Any]],
    *,
    loss: keras.losses.Loss,
    optimizer: keras.optimizers.Optimizer,
    epochs: int,
    validation: Iterable[tuple[Any, Any]] | None = None,
    metrics: Sequence[keras.metrics.Metric] = (),
    verbose: int = 2,
) -> TapeHistory:
    """Train ``model`` with an explicit ``tf.GradientTape`` loop.

    Each step runs the model under a tape, takes the gradient of the loss
    (plus any regularization losses) with respect to the trainable weights
    and hands it to the optimizer, which applies any ``clipnorm`` /
    ``clipvalue`` / ``global_clipnorm`` it was built with. The step is
    compiled with ``tf.function``: what TensorFlow 1 code built by hand as a
    graph and ran in a session.

    Args:
        model: A built Keras model.
        train: Batches of ``(inputs, targets)``, e.g. a batched ``tf.data.Dataset``.
        loss: A Keras loss object, e.g. ``keras.losses.SparseCategoricalCrossentropy()``.
        optimizer: A Keras optimizer.
        epochs: Passes over ``train``.
        validation: Batches to evaluate after each epoch (optional).
        metrics: Keras metric objects, updated on training and validation batches.
        verbose: 2 prints one line per epoch, 0 prints nothing.

    Example:
        >>> import keras, tensorflow as tf
        >>> model = keras.Sequential([keras.Input((3, 2)), keras.layers.GRU(2), keras.layers.Dense(1)])
        >>> data = tf.data.Dataset.from_tensor_slices((np.ones((8, 3, 2)), np.ones((8, 1)))).batch(4)
        >>> record = train_with_gradient_tape(model, data, loss=keras.losses.MeanSquaredError(),
        ...                                   optimizer=keras.optimizers.SGD(0.1), epochs=2, verbose=0)
        >>> len(record.history["loss"]), len(record.step_loss)
        (2, 4)
    """
    import tensorflow as tf

    if not isinstance(epochs, (int, np.integer)) or epochs < 1:
        raise ValueError(f"epochs must be a positive integer; got {epochs!r}.")
    if not callable(loss):
        raise ValueError(f"loss must be a Keras loss object such as keras.losses.MeanSquaredError(); got {loss!r}.")
    metrics = list(metrics)
    for metric in metrics:
        if not isinstance(metric, keras.metrics.Metric):
            raise ValueError(
                f"metrics must be Keras metric objects such as keras.metrics.SparseCategoricalAccuracy(); "
                f"got {metric!r}."
            )

    @tf.function
    def train_step(inputs: Any, targets: Any) -> tuple[Any, Any]:
        with tf.GradientTape() as tape:
            predictions = model(inputs, training=True)
            loss_value = loss(targets, predictions)
            if model.losses:
                loss_value = loss_value + tf.add_n(model.losses)
        gradients = tape.gradient(loss_value, model.trainable_variables)
        optimizer.apply_gradients(zip(gradients, model.trainable_variables))
        for metric in metrics:
            metric.update_state(targets, predictions)
        return loss_value, tf.linalg.global_norm(gradients)

    @tf.function
    def test_step(inputs: Any, targets: Any) -> Any:
        predictions = model(inputs, training=False)
        for metric in metrics:
            metric.update_state(targets, predictions)
        return loss(targets, predictions)

    record = TapeHistory(history={"loss": [], **{m.name: [] for m in metrics}})
    if validation is not None:
        record.history.update({"val_loss": [], **{f"val_{m.name}": [] for m in metrics}})
    started = time.monotonic()
    for epoch in range(1, epochs + 1):
        epoch_started = time.monotonic()
        for metric in metrics:
            metric.reset_state()
        losses = []
        for inputs, targets in train:
            loss_value, gradient_norm = train_step(inputs, targets)
            losses.append(float(loss_value))
            record.step_gradient_norm.append(float(gradient_norm))
        if not losses:
            raise ValueError("train yielded no batches: is the dataset empty?")
        record.step_loss.extend(losses)
        record.history["loss"].append(float(np.mean(losses)))
        for metric in metrics:
            record.history[metric.name].append(float(metric.result()))
        line = f"epoch {epoch}/{epochs} - {time.monotonic() - epoch_started:.0f}s - loss: {np.mean(losses):.4f}"
        line += "".join(f" - {m.name}: {float(m.result()):.4f}" for m in metrics)
        if validation is not None:
            for metric in metrics:
                metric.reset_state()
            validation_losses = [float(test_step(inputs, targets)) for inputs, targets in validation]
            record.history["val_loss"].append(float(np.mean(validation_losses)))
            line += f" - val_loss: {np.mean(validation_losses):.4f}"
            for metric in metrics:
                record.history[f"val_{metric.name}"].append(float(metric.result()))
                line += f" - val_{metric.name}: {float(metric.result()):.4f}"
        if verbose:
            print(line)
    record.seconds = time.monotonic() - started
    return record


# ------------------------------------------------------------- stateful models


def reset_rnn_states(model: keras.Model | keras.layers.Layer) -> int:
    """Reset every stateful recurrent layer of ``model`` to zeros; return how many.

    Keras 3 has no ``model.reset_states()``; each recurrent layer has
    ``reset_state()`` (``reset_states()`` is kept as an alias). Call this
    between independent sequences, e.g. at the start of every epoch.

    Example:
        >>> layer = keras.layers.SimpleRNN(2, stateful=True)
        >>> model = keras.Sequential([keras.Input(batch_shape=(1, 3, 1)), layer])
        >>> _ = model(np.ones((1, 3, 1)))
        >>> reset_rnn_states(model), float(np.abs(layer.states[0]).max())
        (1, 0.0)
    """
    layers = model._flatten_layers() if hasattr(model, "_flatten_layers") else [model]
    count = 0
    for layer in layers:
        if getattr(layer, "stateful", False) and hasattr(layer, "reset_state"):
            layer.reset_state()
            count += 1
    return count


def run_in_chunks(model: Callable[[Any], Any], inputs: Any, chunk_length: int) -> np.ndarray:
    """Feed a long sequence to a stateful model one time chunk after another.

    The chunks ``inputs[:, 0:k]``, ``inputs[:, k:2k]``, … go in as consecutive
    batches; a stateful layer starts each one from the state the previous one
    left. Outputs of shape ``(batch, chunk, units)`` (``return_sequences=True``)
    are joined along time; outputs of shape ``(batch, units)`` are stacked,
    one per chunk. Reset the state first (:func:`reset_rnn_states`) to start
    from zeros.

    Example:
        >>> layer = keras.layers.SimpleRNN(2, stateful=True, return_sequences=True)
        >>> model = keras.Sequential([keras.Input(batch_shape=(1, None, 1)), layer])
        >>> run_in_chunks(model, np.ones((1, 6, 1)), chunk_length=2).shape
        (1, 6, 2)
    """
    inputs = np.asarray(inputs, dtype=np.float32)
    if inputs.ndim != 3:
        raise ValueError(f"inputs must have shape (batch, timesteps, features); got {inputs.shape}.")
    if not isinstance(chunk_length, (int, np.integer)) or chunk_length < 1:
        raise ValueError(f"chunk_length must be a positive integer; got {chunk_length!r}.")
    outputs = [
        keras.ops.convert_to_numpy(model(inputs[:, start : start + chunk_length]))
        for start in range(0, inputs.shape[1], chunk_length)
    ]
    if outputs[0].ndim == 3:
        return np.concatenate(outputs, axis=1)
    return np.stack(outputs, axis=1)


# ----------------------------------------------------- a savable standardize


# Chapter 1's IMDB standardization (course.text.keras_standardize), registered so
# that a TextVectorization layer using it can be saved in a .keras model and loaded
# again: loading needs only `import course.sequences` first (registration happens
# on import). The same function, not a copy: the rules live in course.text alone.
standardize_review = keras.saving.register_keras_serializable(
    package="course", name="standardize_review"
)(keras_standardize)
