"""course.autoencoders: per-image errors, the VAE loss reference, the figures."""

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pytest

from course.autoencoders import (
    KERAS_EPSILON,
    image_tiles,
    mse_per_image,
    plot_decoded_grid,
    plot_image_rows,
    plot_latent_space,
    vae_loss_terms,
)

# mse_per_image -----------------------------------------------------------------


def test_mse_per_image_averages_every_axis_but_the_first():
    rng = np.random.default_rng(1)
    a, b = rng.uniform(size=(5, 28, 28, 1)), rng.uniform(size=(5, 784))
    expected = ((a.reshape(5, -1) - b) ** 2).mean(axis=1)
    np.testing.assert_allclose(mse_per_image(a, b), expected)
    assert mse_per_image(a, b).shape == (5,)


def test_mse_per_image_refuses_mismatched_batches():
    with pytest.raises(ValueError, match="same number of images"):
        mse_per_image(np.zeros((3, 4)), np.zeros((2, 4)))
    with pytest.raises(ValueError, match="same number of pixels"):
        mse_per_image(np.zeros((3, 4)), np.zeros((3, 5)))
    with pytest.raises(ValueError, match="batch of images"):
        mse_per_image(np.zeros(4), np.zeros(4))


# vae_loss_terms ----------------------------------------------------------------


def test_reconstruction_term_is_keras_binary_crossentropy_times_the_pixels():
    import keras

    rng = np.random.default_rng(2)
    images = (rng.uniform(size=(6, 784)) > 0.7).astype("float32")
    probabilities = rng.uniform(size=(6, 784)).astype("float32")
    probabilities[0, :5] = [0.0, 1.0, 0.0, 1.0, 0.5]  # clipped, as Keras clips them
    reconstruction, _ = vae_loss_terms(images, probabilities, np.zeros((6, 2)), np.zeros((6, 2)))
    keras_mean = keras.ops.convert_to_numpy(
        keras.losses.binary_crossentropy(images, probabilities)
    )
    np.testing.assert_allclose(reconstruction, 784 * keras_mean, rtol=1e-4)


def test_reconstruction_term_is_a_sum_not_a_mean():
    images = np.zeros((1, 10))
    reconstruction, _ = vae_loss_terms(images, np.full((1, 10), 0.5), [[0.0]], [[0.0]])
    assert reconstruction[0] == pytest.approx(10 * np.log(2))


def test_clipping_uses_the_keras_epsilon():
    reconstruction, _ = vae_loss_terms([[1.0]], [[0.0]], [[0.0]], [[0.0]])
    assert reconstruction[0] == pytest.approx(-np.log(KERAS_EPSILON))


def test_float32_probabilities_are_clipped_as_float32_rounds_one_minus_epsilon():
    ceiling = float(np.float32(1 - KERAS_EPSILON))  # 1 - 1.19e-7, not 1 - 1e-7
    as_float32, _ = vae_loss_terms([[0.0]], np.ones((1, 1), np.float32), [[0.0]], [[0.0]])
    as_float64, _ = vae_loss_terms([[0.0]], np.ones((1, 1)), [[0.0]], [[0.0]])
    assert as_float32[0] == pytest.approx(-np.log(1 - ceiling))
    assert as_float64[0] == pytest.approx(-np.log(KERAS_EPSILON))


def test_kl_term_matches_a_monte_carlo_estimate():
    mean, log_var = np.array([[0.7, -1.2]]), np.array([[-0.5, 0.4]])
    _, kl = vae_loss_terms([[0.5]], [[0.5]], mean, log_var)
    rng = np.random.default_rng(0)
    sigma = np.exp(0.5 * log_var)
    z = mean + sigma * rng.normal(size=(400_000, 2))
    log_q = -0.5 * (((z - mean) / sigma) ** 2 + log_var + np.log(2 * np.pi))
    log_p = -0.5 * (z**2 + np.log(2 * np.pi))
    assert kl[0] == pytest.approx(np.mean(np.sum(log_q - log_p, axis=1)), abs=0.01)


def test_kl_is_zero_for_the_standard_normal_and_positive_otherwise():
    _, kl = vae_loss_terms(
        np.zeros((3, 4)), np.full((3, 4), 0.5), [[0, 0], [1, 0], [0, 0]], [[0, 0], [0, 0], [1, 0]]
    )
    assert kl[0] == 0 and kl[1] == pytest.approx(0.5) and kl[2] == pytest.approx(0.5 * (np.e - 2))


def test_vae_loss_terms_checks_shapes_and_ranges():
    with pytest.raises(ValueError, match="same number of images"):
        vae_loss_terms(np.zeros((2, 4)), np.zeros((3, 4)), np.zeros((2, 2)), np.zeros((2, 2)))
    with pytest.raises(ValueError, match="same shape"):
        vae_loss_terms(np.zeros((2, 4)), np.zeros((2, 4)), np.zeros((2, 2)), np.zeros((2, 3)))
    with pytest.raises(ValueError, match="with 2 images"):
        vae_loss_terms(np.zeros((2, 4)), np.zeros((2, 4)), np.zeros((3, 2)), np.zeros((3, 2)))
    with pytest.raises(ValueError, match=r"reconstructions must lie in \[0, 1\]"):
        vae_loss_terms(np.zeros((1, 4)), np.full((1, 4), 2.0), [[0.0]], [[0.0]])


# Figures -----------------------------------------------------------------------


def test_image_tiles_places_images_row_by_row():
    images = np.arange(6 * 4).reshape(6, 2, 2) / 24
    canvas = image_tiles(images, 2, 3)
    assert canvas.shape == (4, 6)
    np.testing.assert_array_equal(canvas[2:4, 0:2], images[3])  # second row, first column
    np.testing.assert_array_equal(canvas[0:2, 4:6], images[2])


def test_image_tiles_accepts_flat_and_channel_images_and_explains_the_rest():
    assert image_tiles(np.zeros((2, 784)), 1, 2).shape == (28, 56)
    assert image_tiles(np.zeros((2, 5, 5, 1)), 2, 1, gap=2).shape == (12, 5)
    with pytest.raises(ValueError, match="not square"):
        image_tiles(np.zeros((2, 10)), 1, 2)
    with pytest.raises(ValueError, match="need 6 images, got 2"):
        image_tiles(np.zeros((2, 3, 3)), 2, 3)
    with pytest.raises(ValueError, match="at least 1"):
        image_tiles(np.zeros((2, 3, 3)), 0, 3)
    with pytest.raises(ValueError, match="grey images"):
        image_tiles(np.zeros((2, 3, 3, 3)), 1, 2)


def test_plot_image_rows_labels_each_row():
    figure = plot_image_rows({"clean": np.zeros((4, 784)), "noisy": np.ones((4, 784))}, count=4)
    assert [axis.get_ylabel() for axis in figure.axes] == ["clean", "noisy"]
    assert figure.axes[0].get_images()[0].get_array().shape == (28, 4 * 29 - 1)
    with pytest.raises(ValueError, match="at least one row"):
        plot_image_rows({})


def test_plot_latent_space_draws_one_colour_per_digit():
    codes = np.random.default_rng(0).normal(size=(30, 2))
    figure = plot_latent_space(codes, np.arange(30) % 10, title="t")
    assert len(figure.axes[0].collections) == 10 and figure.axes[0].get_title() == "t"
    with pytest.raises(ValueError, match="2-D codes"):
        plot_latent_space(np.zeros((3, 3)), [0, 1, 2])
    with pytest.raises(ValueError, match="one label per point"):
        plot_latent_space(np.zeros((3, 2)), [0, 1])


def test_plot_decoded_grid_puts_the_first_row_at_the_bottom():
    images = np.zeros((6, 2, 2))
    images[:3] = 1.0  # the first row of codes, y_values[0]
    figure = plot_decoded_grid(images, [0, 1, 2], [-1, 1])
    shown = figure.axes[0].get_images()[0].get_array()
    assert shown[-1].min() == 1 and shown[0].max() == 0
    labels = [tick.get_text() for tick in figure.axes[0].get_yticklabels()]
    assert labels == ["1.0", "-1.0"]
