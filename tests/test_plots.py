import matplotlib

matplotlib.use("Agg")

import pytest

from course.plots import history_dict, plot_bars, plot_history


def test_plot_history_draws_training_and_validation():
    figure = plot_history({"loss": [1.0, 0.5], "val_loss": [1.1, 0.7], "accuracy": [0.5, 0.7]}, title="t")
    assert [axis.get_title() for axis in figure.axes] == ["loss", "accuracy"]
    assert len(figure.axes[0].lines) == 2 and len(figure.axes[1].lines) == 1


def test_plot_history_accepts_a_keras_history_object():
    class History:
        history = {"loss": [1.0]}

    assert history_dict(History()) == {"loss": [1.0]}


def test_plot_history_explains_bad_input():
    with pytest.raises(ValueError, match="Keras History"):
        plot_history([1, 2])
    with pytest.raises(ValueError, match="No metric"):
        plot_history({"loss": [1.0]}, metrics=["accuracy"])


def test_plot_bars():
    figure = plot_bars(["a", "b"], [0.8, 0.9], ylabel="accuracy", baseline=0.5, title="x")
    assert figure.axes[0].get_title() == "x"
    with pytest.raises(ValueError, match="2 labels for 1 values"):
        plot_bars(["a", "b"], [0.8], ylabel="y")
