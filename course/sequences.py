"""Recurrent layers by formula: how many weights a SimpleRNN, LSTM or GRU layer holds.

Chapter 4 writes its recurrent cells, its gradient measurements, its training
loop and its stateful-layer code in its own cells; what remains here is the
weight count that its exercise checker (``course.exercises.recurrent_networks``)
compares a student's answer with.

Example:
    >>> parameter_count("lstm", features=32, units=32)
    8320
"""

from __future__ import annotations

import numpy as np

__all__ = ["parameter_count"]

_GATES = {"simple_rnn": 1, "lstm": 4, "gru": 3}


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
        >>> parameter_count("gru", 8, 4), parameter_count("gru", 8, 4, reset_after=False)
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
