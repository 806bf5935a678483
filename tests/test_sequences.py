"""course.sequences: the weight count of recurrent layers, by formula, against Keras."""

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import keras  # noqa: E402
import pytest  # noqa: E402

from course.sequences import parameter_count  # noqa: E402


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
