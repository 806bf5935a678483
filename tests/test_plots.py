import matplotlib

matplotlib.use("Agg")

import pytest

from course.plots import history_dict, plot_bars, plot_history


def test_plot_history_draws_training_and_validation():
    figure = plot_history(
        {"loss": [1.0, 0.5], "val_loss": [1.1, 0.7], "accuracy": [0.5, 0.7]}, title="t"
    )
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


# t-SNE maps of word vectors ----------------------------------------------------

import numpy as np  # noqa: E402

from course.plots import plot_embedding_tsne, tsne_2d  # noqa: E402


def _clusters() -> tuple[list[str], np.ndarray]:
    """Two well-separated clusters of 10 words each."""
    rng = np.random.default_rng(0)
    vectors = np.concatenate([rng.normal(0, 0.1, (10, 5)), rng.normal(5, 0.1, (10, 5))])
    return [f"a{i}" for i in range(10)] + [f"b{i}" for i in range(10)], vectors


def test_tsne_2d_is_seeded_and_keeps_clusters_apart():
    _, vectors = _clusters()
    first, second = tsne_2d(vectors, perplexity=5, seed=3), tsne_2d(vectors, perplexity=5, seed=3)
    assert first.shape == (20, 2)
    np.testing.assert_allclose(first, second)
    within = np.linalg.norm(first[:10] - first[:10].mean(axis=0), axis=1).mean()
    between = np.linalg.norm(first[:10].mean(axis=0) - first[10:].mean(axis=0))
    assert between > 3 * within


def test_plot_embedding_tsne_labels_every_word_and_draws_a_colour_bar():
    words, vectors = _clusters()
    figure = plot_embedding_tsne(words, vectors, perplexity=5, title="map")
    assert [text.get_text() for text in figure.axes[0].texts] == words
    assert figure.axes[0].get_title() == "map" and len(figure.axes) == 1
    coloured = plot_embedding_tsne(
        words, vectors, colors=np.linspace(-1, 1, 20), color_label="score", perplexity=5
    )
    assert len(coloured.axes) == 2 and coloured.axes[1].get_ylabel() == "score"


def test_plot_embedding_tsne_explains_bad_input():
    words, vectors = _clusters()
    with pytest.raises(ValueError, match="one vector per word"):
        plot_embedding_tsne(words[:5], vectors, perplexity=5)
    with pytest.raises(ValueError, match="3 colours for 20 words"):
        plot_embedding_tsne(words, vectors, colors=[1, 2, 3], perplexity=5)
    with pytest.raises(ValueError, match="below the number of points"):
        tsne_2d(vectors, perplexity=30)
    with pytest.raises(ValueError, match="2-D array"):
        tsne_2d(np.ones(5), perplexity=2)
