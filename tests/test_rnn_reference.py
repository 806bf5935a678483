"""The NumPy references in course.rnn_reference must match Keras's layers."""

from __future__ import annotations

import doctest
import os
import re
from pathlib import Path

os.environ["TF_CPP_MIN_LOG_LEVEL"] = "2"

import keras  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

import course.rnn_reference as rnn_reference  # noqa: E402
from course.rnn_reference import (  # noqa: E402
    GATE_EQUATIONS,
    gru,
    gru_step,
    keras_weights,
    lstm,
    lstm_step,
    sigmoid,
    simple_rnn,
    simple_rnn_step,
)

BATCH, TIMESTEPS, FEATURES = 4, 7, 5
TOLERANCE = 1e-5
SEED = 1234

# name -> (Keras layer factory, reference function, number of states)
CELLS = {
    "simple_rnn": (lambda units, **kw: keras.layers.SimpleRNN(units, **kw), simple_rnn, 1),
    "lstm": (lambda units, **kw: keras.layers.LSTM(units, **kw), lstm, 2),
    "gru_reset_after": (
        lambda units, **kw: keras.layers.GRU(units, reset_after=True, **kw),
        gru,
        1,
    ),
    "gru_reset_before": (
        lambda units, **kw: keras.layers.GRU(units, reset_after=False, **kw),
        gru,
        1,
    ),
}


def _inputs(seed: int = SEED) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return rng.normal(size=(BATCH, TIMESTEPS, FEATURES)).astype("float32")


def _build(name: str, units: int, seed: int = SEED, **layer_kwargs):
    """A built Keras layer with random (non-zero) weights, biases included.

    Keras initialises biases to zeros (LSTM: forget bias ones), which would
    leave the bias handling untested, so every weight is redrawn here.
    """
    make_layer, _, _ = CELLS[name]
    layer = make_layer(units, return_sequences=True, return_state=True, **layer_kwargs)
    layer(_inputs(seed))
    rng = np.random.default_rng(seed + 1)
    layer.set_weights(
        [rng.normal(scale=0.6, size=w.shape).astype("float32") for w in layer.get_weights()]
    )
    return layer


def _keras_run(layer, x, return_sequences, initial_state=None):
    """Run a layer configured with return_state=True, returning NumPy arrays."""
    layer.return_sequences = return_sequences
    kwargs = {} if initial_state is None else {"initial_state": list(initial_state)}
    return [keras.ops.convert_to_numpy(t) for t in layer(x, **kwargs)]


def _max_difference(reference, keras_results) -> float:
    return max(float(np.abs(r - k).max()) for r, k in zip(reference, keras_results))


@pytest.mark.parametrize("units", [3, 8])
@pytest.mark.parametrize("return_sequences", [False, True])
@pytest.mark.parametrize("name", list(CELLS))
def test_reference_matches_keras(name, units, return_sequences):
    layer = _build(name, units)
    x = _inputs()
    expected = _keras_run(layer, x, return_sequences)
    _, reference_fn, n_states = CELLS[name]
    weights = keras_weights(layer)

    output = reference_fn(x, **weights, return_sequences=return_sequences)
    full = reference_fn(x, **weights, return_sequences=return_sequences, return_state=True)

    assert len(full) == 1 + n_states == len(expected)
    shape = (BATCH, TIMESTEPS, units) if return_sequences else (BATCH, units)
    assert output.shape == expected[0].shape == shape
    assert output.dtype == np.float64
    assert float(np.abs(output - expected[0]).max()) < TOLERANCE
    assert _max_difference(full, expected) < TOLERANCE
    # Output and final states are tied together: last output == final h.
    last = full[0][:, -1] if return_sequences else full[0]
    np.testing.assert_allclose(last, full[1])


@pytest.mark.parametrize("name", list(CELLS))
def test_nonzero_initial_state_matches_keras(name):
    units = 3
    layer = _build(name, units)
    x = _inputs()
    _, reference_fn, n_states = CELLS[name]
    rng = np.random.default_rng(SEED + 7)
    states = [rng.normal(size=(BATCH, units)).astype("float32") for _ in range(n_states)]

    expected = _keras_run(layer, x, True, initial_state=states)
    initial_state = states if n_states > 1 else states[0]
    reference = reference_fn(
        x,
        **keras_weights(layer),
        initial_state=initial_state,
        return_sequences=True,
        return_state=True,
    )
    assert _max_difference(reference, expected) < TOLERANCE
    # ...and the initial state matters: starting from zeros gives other numbers.
    from_zeros = reference_fn(x, **keras_weights(layer), return_sequences=True)
    assert float(np.abs(from_zeros - expected[0]).max()) > 1e-3


def test_single_state_may_be_a_one_element_list():
    layer = _build("gru_reset_after", 3)
    h0 = np.random.default_rng(0).normal(size=(BATCH, 3))
    x = _inputs()
    weights = keras_weights(layer)
    np.testing.assert_array_equal(
        gru(x, **weights, initial_state=[h0]), gru(x, **weights, initial_state=h0)
    )


@pytest.mark.parametrize("name", list(CELLS))
def test_use_bias_false(name):
    layer = _build(name, 3, use_bias=False)
    x = _inputs()
    weights = keras_weights(layer)
    assert weights["bias"] is None
    _, reference_fn, _ = CELLS[name]
    expected = _keras_run(layer, x, True)
    assert (
        _max_difference(
            reference_fn(x, **weights, return_sequences=True, return_state=True), expected
        )
        < TOLERANCE
    )


def test_step_functions_agree_with_sequence_functions():
    x = _inputs().astype(np.float64)
    for name, step in [
        ("simple_rnn", simple_rnn_step),
        ("gru_reset_after", gru_step),
        ("gru_reset_before", gru_step),
    ]:
        weights = keras_weights(_build(name, 3))
        _, reference_fn, _ = CELLS[name]
        h = np.zeros((BATCH, 3))
        for t in range(TIMESTEPS):
            h = step(x[:, t], h, **weights)
        np.testing.assert_allclose(h, reference_fn(x, **weights), atol=1e-12)

    weights = keras_weights(_build("lstm", 3))
    h = c = np.zeros((BATCH, 3))
    for t in range(TIMESTEPS):
        h, c = lstm_step(x[:, t], h, c, **weights)
    _, h_seq, c_seq = lstm(x, **weights, return_state=True)
    np.testing.assert_allclose(h, h_seq, atol=1e-12)
    np.testing.assert_allclose(c, c_seq, atol=1e-12)


def test_simple_rnn_custom_activation():
    layer = keras.layers.SimpleRNN(3, activation="relu")
    x = _inputs()
    expected = keras.ops.convert_to_numpy(layer(x))
    weights = [w.astype(np.float64) for w in layer.get_weights()]
    relu = lambda a: np.maximum(a, 0.0)  # noqa: E731
    assert float(np.abs(simple_rnn(x, *weights, activation=relu) - expected).max()) < TOLERANCE
    with pytest.raises(ValueError, match="activation 'relu'"):
        keras_weights(layer)


# --- The comparison has teeth -------------------------------------------------


def _swap_blocks(array: np.ndarray, gates: int, a: int, b: int) -> np.ndarray:
    """Swap gate blocks ``a`` and ``b`` along the last axis."""
    blocks = np.split(array, gates, axis=-1)
    blocks[a], blocks[b] = blocks[b], blocks[a]
    return np.concatenate(blocks, axis=-1)


@pytest.mark.parametrize(
    "name, gates, a, b",
    [
        ("lstm", 4, 0, 1),  # i <-> f
        ("lstm", 4, 2, 3),  # c <-> o
        ("gru_reset_after", 3, 0, 1),  # z <-> r
        ("gru_reset_before", 3, 1, 2),  # r <-> h
    ],
)
def test_swapped_gate_order_is_caught(name, gates, a, b):
    layer = _build(name, 3)
    x = _inputs()
    expected = _keras_run(layer, x, True)
    _, reference_fn, _ = CELLS[name]
    weights = keras_weights(layer)
    wrong = dict(weights)
    for key in ("kernel", "recurrent_kernel", "bias"):
        wrong[key] = _swap_blocks(weights[key], gates, a, b)
    right = reference_fn(x, **weights, return_sequences=True, return_state=True)
    assert _max_difference(right, expected) < TOLERANCE
    swapped = reference_fn(x, **wrong, return_sequences=True, return_state=True)
    assert _max_difference(swapped, expected) > 1e-3


def test_textbook_gru_update_convention_is_caught():
    """h = (1 - z) h_prev + z h~ (the other common convention) is not Keras's.

    sigmoid(-a) = 1 - sigmoid(a), so negating the update gate's weights turns
    Keras's z into 1 - z, i.e. computes the textbook convention.
    """
    layer = _build("gru_reset_after", 3)
    x = _inputs()
    expected = _keras_run(layer, x, True)
    weights = keras_weights(layer)
    flipped = dict(weights)
    for key in ("kernel", "recurrent_kernel", "bias"):
        blocks = np.split(weights[key], 3, axis=-1)
        flipped[key] = np.concatenate([-blocks[0], blocks[1], blocks[2]], axis=-1)
    assert _max_difference(gru(x, **flipped, return_sequences=True), expected[:1]) > 1e-3


def test_wrong_gru_convention_is_caught():
    layer = _build("gru_reset_after", 3)
    x = _inputs()
    expected = _keras_run(layer, x, True)
    weights = keras_weights(layer)
    # Same weights, classic formulation with the two biases summed.
    classic = gru(
        x,
        weights["kernel"],
        weights["recurrent_kernel"],
        weights["bias"].sum(axis=0),
        reset_after=False,
        return_sequences=True,
    )
    assert float(np.abs(classic - expected[0]).max()) > 1e-3


# --- Shape errors -------------------------------------------------------------


def _lstm_weights(units=3, features=FEATURES):
    return np.zeros((features, 4 * units)), np.zeros((units, 4 * units)), np.zeros(4 * units)


@pytest.mark.parametrize(
    "call, message",
    [
        (
            lambda: lstm(np.zeros((4, 5)), *_lstm_weights()),
            r"inputs must have shape \(batch, timesteps, features\); got \(4, 5\)",
        ),
        (lambda: lstm(np.zeros((4, 0, 5)), *_lstm_weights()), "at least one timestep"),
        (
            lambda: lstm(np.zeros((4, 7, 6)), *_lstm_weights()),
            r"kernel must have shape \(features, 4 \* units\) = \(6, 12\).*got \(5, 12\)",
        ),
        (
            lambda: lstm(np.zeros((4, 7, 5)), np.zeros((5, 12)), np.zeros((3, 9)), np.zeros(12)),
            r"recurrent_kernel must have shape \(units, 4 \* units\); got \(3, 9\)",
        ),
        (
            lambda: lstm(np.zeros((4, 7, 5)), np.zeros((5, 12)), np.zeros((3, 12)), np.zeros(9)),
            r"bias must have shape \(4 \* units,\) = \(12,\); got \(9,\)",
        ),
        (
            lambda: lstm(np.zeros((4, 7, 5)), *_lstm_weights(), initial_state=[np.zeros((4, 3))]),
            r"initial_state must be a list of 2 arrays \[h0, c0\]",
        ),
        (
            lambda: lstm(
                np.zeros((4, 7, 5)),
                *_lstm_weights(),
                initial_state=[np.zeros((4, 3)), np.zeros((2, 3))],
            ),
            r"initial_state\[1\] \(c0\) must have shape \(batch, units\) = \(4, 3\); got \(2, 3\)",
        ),
        (
            lambda: lstm_step(np.zeros(5), np.zeros((1, 3)), np.zeros((1, 3)), *_lstm_weights()),
            r"x_t must have shape \(batch, features\); got \(5,\)",
        ),
        (
            lambda: lstm_step(
                np.zeros((1, 5)), np.zeros((1, 3)), np.zeros((1, 4)), *_lstm_weights()
            ),
            r"c_prev must have shape \(batch, units\) = \(1, 3\); got \(1, 4\)",
        ),
        (
            lambda: simple_rnn(
                np.zeros((4, 7, 5)),
                np.zeros((5, 3)),
                np.zeros((3, 3)),
                np.zeros(3),
                initial_state=np.zeros((4, 2)),
            ),
            r"initial_state\[0\] \(h0\) must have shape \(batch, units\) = \(4, 3\)",
        ),
        (
            lambda: simple_rnn_step(
                np.zeros((1, 5)), np.zeros((1, 2)), np.zeros((5, 3)), np.zeros((3, 3)), np.zeros(3)
            ),
            r"h_prev must have shape \(batch, units\) = \(1, 3\); got \(1, 2\)",
        ),
        (
            lambda: simple_rnn(
                np.zeros((4, 7, 5)), np.zeros((5, 3)), np.zeros((3, 3)), np.zeros((1, 3))
            ),
            r"bias must have shape \(units,\) = \(3,\); got \(1, 3\)",
        ),
        (
            lambda: gru(np.zeros((4, 7, 5)), np.zeros((5, 9)), np.zeros((3, 9)), np.zeros(9)),
            r"bias must have shape \(2, 3 \* units\) = \(2, 9\); got \(9,\).*reset_after=False",
        ),
        (
            lambda: gru(
                np.zeros((4, 7, 5)),
                np.zeros((5, 9)),
                np.zeros((3, 9)),
                np.zeros((2, 9)),
                reset_after=False,
            ),
            r"bias must have shape \(3 \* units,\) = \(9,\); got \(2, 9\).*reset_after=True",
        ),
        (
            lambda: gru(np.zeros((4, 7, 5)), np.zeros((5, 9)), np.zeros((3, 9)), np.zeros((3, 9))),
            r"bias must have shape \(2, 3 \* units\) = \(2, 9\); got \(3, 9\)\.$",
        ),
        (
            lambda: gru_step(
                np.zeros((1, 5)),
                np.zeros((1, 3)),
                np.zeros((5, 9)),
                np.zeros((9, 3)),
                np.zeros((2, 9)),
            ),
            r"recurrent_kernel must have shape \(units, 3 \* units\); got \(9, 3\)",
        ),
        (
            lambda: simple_rnn(np.zeros((4, 7, 5)), "not numbers", np.zeros((3, 3)), np.zeros(3)),
            "kernel must be a numeric array",
        ),
    ],
)
def test_shape_errors(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_keras_weights_rejects_what_it_cannot_model():
    with pytest.raises(ValueError, match="expects a keras.layers.SimpleRNN, LSTM or GRU"):
        keras_weights(keras.layers.Dense(3))
    with pytest.raises(ValueError, match="not built yet"):
        keras_weights(keras.layers.LSTM(3))
    backwards = keras.layers.GRU(3, go_backwards=True)
    backwards(_inputs())
    with pytest.raises(ValueError, match="go_backwards"):
        keras_weights(backwards)
    hard = keras.layers.LSTM(3, recurrent_activation="hard_sigmoid")
    hard(_inputs())
    with pytest.raises(ValueError, match="recurrent_activation 'hard_sigmoid'"):
        keras_weights(hard)


def test_keras_weights_accepts_a_cell():
    layer = _build("lstm", 3)
    from_cell = keras_weights(layer.cell)
    from_layer = keras_weights(layer)
    assert set(from_cell) == {"kernel", "recurrent_kernel", "bias"}
    for key in from_cell:
        np.testing.assert_array_equal(from_cell[key], from_layer[key])
        assert from_cell[key].dtype == np.float64


# --- Helpers and equations ---------------------------------------------------


def test_sigmoid_is_stable_and_correct():
    x = np.linspace(-30, 30, 61)
    np.testing.assert_allclose(sigmoid(x), 1.0 / (1.0 + np.exp(-x)), rtol=1e-12)
    with np.errstate(over="raise"):
        values = sigmoid(np.array([-1e4, 1e4]))
    np.testing.assert_array_equal(values, [0.0, 1.0])
    np.testing.assert_allclose(sigmoid(-x), 1.0 - sigmoid(x), atol=1e-15)


def test_gate_equations_cover_every_cell():
    assert set(GATE_EQUATIONS) == {"simple_rnn", "lstm", "gru_reset_after", "gru_reset_before"}
    for latex in GATE_EQUATIONS.values():
        assert latex.startswith(r"\begin{aligned}") and latex.endswith(r"\end{aligned}")
        assert latex.count("{") == latex.count("}")
    assert r"c_t &= f_t \odot c_{t-1} + i_t \odot \tilde{c}_t" in GATE_EQUATIONS["lstm"]
    for key in ("gru_reset_after", "gru_reset_before"):
        assert (
            r"h_t &= z_t \odot h_{t-1} + \left(1 - z_t\right) \odot \tilde{h}_t"
            in (GATE_EQUATIONS[key])
        )
    assert r"r_t \odot \left(h_{t-1} U_h" in GATE_EQUATIONS["gru_reset_after"]
    assert r"\left(r_t \odot h_{t-1}\right) U_h" in GATE_EQUATIONS["gru_reset_before"]


def test_docstring_examples_run():
    result = doctest.testmod(rnn_reference, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted >= 10
    assert result.failed == 0


# --- The chapter states these equations ------------------------------------------

CHAPTER = Path(__file__).resolve().parent.parent / "book" / "04_recurrent_networks.md"


def _without_space(latex: str) -> str:
    return re.sub(r"\s+", "", latex)


@pytest.mark.skipif(not CHAPTER.is_file(), reason="chapter 4 not present")
def test_chapter_states_the_reference_equations():
    markdown = CHAPTER.read_text(encoding="utf-8")
    blocks = re.findall(r"^\$\$\n(.*?)\n\$\$$", markdown, re.MULTILINE | re.DOTALL)
    blocks = [_without_space(block) for block in blocks]
    for name, latex in GATE_EQUATIONS.items():
        assert _without_space(latex) in blocks, (
            f"the chapter's $$ blocks do not include GATE_EQUATIONS[{name!r}]"
        )
