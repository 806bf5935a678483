"""course.sequences: parameter counts, gradients through time, the tape loop, state, saving."""

import os
import re
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import keras
import numpy as np
import pytest
import tensorflow as tf

from course.rnn_reference import GATE_EQUATIONS
from course.sequences import (
    TapeHistory,
    parameter_count,
    reset_rnn_states,
    run_in_chunks,
    standardize_review,
    timestep_gradient_norms,
    train_with_gradient_tape,
)

CHAPTER = Path(__file__).resolve().parent.parent / "book" / "04_recurrent_networks.md"


# parameter_count ------------------------------------------------------------


@pytest.mark.parametrize(
    "kind, layer",
    [
        ("simple_rnn", lambda: keras.layers.SimpleRNN(7)),
        ("lstm", lambda: keras.layers.LSTM(7)),
        ("gru", lambda: keras.layers.GRU(7)),
    ],
)
def test_parameter_count_matches_keras(kind, layer):
    built = layer()
    built.build((None, None, 5))
    assert parameter_count(kind, features=5, units=7) == built.count_params()


def test_parameter_count_of_a_classic_gru_matches_keras():
    layer = keras.layers.GRU(7, reset_after=False)
    layer.build((None, None, 5))
    assert parameter_count("gru", 5, 7, reset_after=False) == layer.count_params()


@pytest.mark.parametrize(
    "arguments, message",
    [
        (("rnn", 3, 4), "kind must be one of"),
        (("lstm", 0, 4), "features must be a positive integer"),
        (("lstm", 3, 2.5), "units must be a positive integer"),
    ],
)
def test_parameter_count_rejects_bad_arguments(arguments, message):
    with pytest.raises(ValueError, match=message):
        parameter_count(*arguments)


# timestep_gradient_norms -------------------------------------------------------


def _model(layer, timesteps=20, features=3):
    keras.utils.set_random_seed(0)
    return keras.Sequential(
        [keras.Input((timesteps, features)), layer, keras.layers.Dense(1, activation="sigmoid")]
    )


def test_gradient_norms_have_one_value_per_timestep_and_match_a_finite_difference():
    model = _model(keras.layers.SimpleRNN(4), timesteps=5, features=2)
    x = np.random.default_rng(0).normal(size=(1, 5, 2)).astype("float32")
    y = np.ones((1, 1), dtype="float32")
    norms = timestep_gradient_norms(model, x, y)
    assert norms.shape == (5,) and (norms >= 0).all()

    # d loss / d x[0, 0, 0] by central differences, in float64 through the NumPy loss.
    def loss_at(value):
        shifted = x.astype("float64").copy()
        shifted[0, 0, 0] = value
        p = float(keras.ops.convert_to_numpy(model(shifted.astype("float32")))[0, 0])
        return -np.log(p)

    step = 1e-2
    numeric = (loss_at(x[0, 0, 0] + step) - loss_at(x[0, 0, 0] - step)) / (2 * step)
    assert abs(numeric) <= norms[0] * 1.05 + 1e-6  # one component never exceeds the norm


def test_gradients_vanish_in_a_contractive_simple_rnn():
    model = _model(keras.layers.SimpleRNN(8, recurrent_initializer=keras.initializers.Orthogonal(0.3)))
    x = np.random.default_rng(1).normal(size=(16, 20, 3)).astype("float32")
    norms = timestep_gradient_norms(model, x, np.ones((16, 1)))
    assert norms[0] < 1e-4 * norms[-1]


def test_an_open_forget_gate_keeps_the_lstm_gradient():
    model = _model(keras.layers.LSTM(8))
    bias = model.layers[0].cell.bias.numpy()
    bias[8:16] = 5.0
    model.layers[0].cell.bias.assign(bias)
    x = np.random.default_rng(1).normal(size=(16, 20, 3)).astype("float32")
    norms = timestep_gradient_norms(model, x, np.ones((16, 1)))
    assert norms[0] > 0.1 * norms[-1]


def test_gradient_norms_accept_a_loss_function():
    model = _model(keras.layers.GRU(3), timesteps=4)
    x = np.zeros((2, 4, 3), dtype="float32")
    norms = timestep_gradient_norms(model, x, np.zeros((2, 1)), loss=lambda y, p: tf.reduce_sum(p))
    assert norms.shape == (4,)


def test_gradient_norms_explain_token_ids():
    with pytest.raises(ValueError, match="embedded tokens"):
        timestep_gradient_norms(lambda x: x, np.zeros((2, 5)), np.zeros((2, 1)))


def test_gradient_norms_reject_a_bad_loss():
    model = _model(keras.layers.GRU(3), timesteps=4)
    with pytest.raises(ValueError, match="loss must be"):
        timestep_gradient_norms(model, np.zeros((2, 4, 3)), np.zeros((2, 1)), loss=3)


# train_with_gradient_tape --------------------------------------------------------


def _regression_data(n=64, timesteps=5):
    rng = np.random.default_rng(0)
    x = rng.normal(size=(n, timesteps, 1)).astype("float32")
    y = x.sum(axis=1).astype("float32")
    return tf.data.Dataset.from_tensor_slices((x, y)).batch(16)


def test_tape_loop_learns_and_records_steps():
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input((5, 1)), keras.layers.SimpleRNN(8), keras.layers.Dense(1)])
    data = _regression_data()
    record = train_with_gradient_tape(
        model, data, loss=keras.losses.MeanSquaredError(), optimizer=keras.optimizers.Adam(0.01),
        epochs=6, validation=data, metrics=[keras.metrics.MeanAbsoluteError(name="mae")], verbose=0,
    )
    assert isinstance(record, TapeHistory)
    assert set(record.history) == {"loss", "mae", "val_loss", "val_mae"}
    assert len(record.step_loss) == len(record.step_gradient_norm) == 6 * 4
    assert record.history["loss"][-1] < 0.5 * record.history["loss"][0]
    assert record.seconds > 0


def test_tape_loop_records_the_gradient_norm_before_clipping():
    def run(**clipping):
        keras.utils.set_random_seed(0)
        model = keras.Sequential([keras.Input((5, 1)), keras.layers.SimpleRNN(4), keras.layers.Dense(1)])
        return train_with_gradient_tape(
            model, _regression_data(16), loss=keras.losses.MeanSquaredError(),
            optimizer=keras.optimizers.SGD(0.01, **clipping), epochs=1, verbose=0,
        )

    plain, clipped = run(), run(global_clipnorm=1e-3)
    assert plain.step_gradient_norm[0] == pytest.approx(clipped.step_gradient_norm[0], rel=1e-5)
    assert plain.step_gradient_norm[0] > 1e-3  # so the clipped run really was clipped


def test_tape_loop_prints_one_line_per_epoch(capsys):
    model = keras.Sequential([keras.Input((5, 1)), keras.layers.GRU(2), keras.layers.Dense(1)])
    train_with_gradient_tape(
        model, _regression_data(16), loss=keras.losses.MeanSquaredError(),
        optimizer=keras.optimizers.SGD(0.01), epochs=2,
    )
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 2 and lines[1].startswith("epoch 2/2")


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"epochs": 0}, "epochs must be a positive integer"),
        ({"loss": "mse"}, "loss must be a Keras loss object"),
        ({"metrics": ["accuracy"]}, "metrics must be Keras metric objects"),
        ({"train": []}, "no batches"),
    ],
)
def test_tape_loop_rejects_bad_arguments(overrides, message):
    model = keras.Sequential([keras.Input((5, 1)), keras.layers.GRU(2), keras.layers.Dense(1)])
    arguments = dict(
        train=_regression_data(16), loss=keras.losses.MeanSquaredError(),
        optimizer=keras.optimizers.SGD(0.01), epochs=1, verbose=0,
    )
    arguments.update(overrides)
    train = arguments.pop("train")
    with pytest.raises(ValueError, match=message):
        train_with_gradient_tape(model, train, **arguments)


# stateful models -------------------------------------------------------------


def _stateful(units=3, batch=2, return_sequences=True):
    keras.utils.set_random_seed(0)
    layer = keras.layers.SimpleRNN(units, stateful=True, return_sequences=return_sequences)
    return keras.Sequential([keras.Input(batch_shape=(batch, None, 2)), layer]), layer


def test_state_is_carried_between_calls_and_reset_restores_it():
    model, layer = _stateful()
    x = np.random.default_rng(0).normal(size=(2, 4, 2)).astype("float32")
    first = keras.ops.convert_to_numpy(model(x))
    second = keras.ops.convert_to_numpy(model(x))
    assert np.abs(first - second).max() > 1e-3
    assert reset_rnn_states(model) == 1
    np.testing.assert_allclose(keras.ops.convert_to_numpy(model(x)), first, atol=1e-7)


def test_reset_rnn_states_ignores_stateless_layers():
    model = keras.Sequential([keras.Input((3, 2)), keras.layers.LSTM(2, return_sequences=True), keras.layers.GRU(2)])
    assert reset_rnn_states(model) == 0


@pytest.mark.parametrize("chunk_length", [1, 3, 4, 12])
def test_chunks_through_a_stateful_layer_equal_the_whole_sequence(chunk_length):
    model, layer = _stateful()
    x = np.random.default_rng(0).normal(size=(2, 12, 2)).astype("float32")
    twin = keras.layers.SimpleRNN(3, return_sequences=True)
    twin.build((None, None, 2))
    twin.set_weights(layer.get_weights())
    reset_rnn_states(model)
    chunked = run_in_chunks(model, x, chunk_length)
    np.testing.assert_allclose(chunked, keras.ops.convert_to_numpy(twin(x)), atol=1e-5)


def test_chunks_of_a_last_output_layer_are_stacked():
    model, _ = _stateful(return_sequences=False)
    assert run_in_chunks(model, np.ones((2, 6, 2)), chunk_length=2).shape == (2, 3, 3)


def test_run_in_chunks_rejects_bad_arguments():
    model, _ = _stateful()
    with pytest.raises(ValueError, match="chunk_length"):
        run_in_chunks(model, np.ones((2, 6, 2)), 0)
    with pytest.raises(ValueError, match="inputs must have shape"):
        run_in_chunks(model, np.ones((6, 2)), 2)


# standardize_review ------------------------------------------------------------


def test_standardize_review_matches_the_python_standardization():
    from course.text import standardize

    text = "A GREAT film!<br /><br />Loved it... 10/10, wouldn't miss."
    assert standardize_review(tf.constant([text])).numpy()[0].decode() == standardize(text)


def test_a_model_with_standardize_review_saves_and_loads(tmp_path):
    vectorizer = keras.layers.TextVectorization(max_tokens=20, output_sequence_length=5, standardize=standardize_review)
    vectorizer.adapt(["the cat sat<br />on the mat", "a dog, a cat"])
    text = keras.Input(shape=(), dtype="string")
    model = keras.Model(text, vectorizer(text))
    path = tmp_path / "vectorizer.keras"
    model.save(path)
    reloaded = keras.models.load_model(path)
    reviews = tf.constant(["The CAT!<br />sat", "a zebra"])
    np.testing.assert_array_equal(keras.ops.convert_to_numpy(reloaded(reviews)), keras.ops.convert_to_numpy(model(reviews)))


# the chapter's equations are the reference's ------------------------------------


def _without_space(latex: str) -> str:
    return re.sub(r"\s+", "", latex)


def _display_math(markdown: str) -> list[str]:
    blocks = re.findall(r"^\$\$\n(.*?)\n\$\$$", markdown, re.MULTILINE | re.DOTALL)
    return [_without_space(block) for block in blocks]


@pytest.mark.skipif(not CHAPTER.is_file(), reason="chapter 4 not present")
def test_chapter_states_the_reference_equations():
    blocks = _display_math(CHAPTER.read_text(encoding="utf-8"))
    for name, latex in GATE_EQUATIONS.items():
        assert _without_space(latex) in blocks, f"the chapter's $$ blocks do not include GATE_EQUATIONS[{name!r}]"
