"""The GAN engine: network shapes, one train_step, sampling, interpolation, quality metrics, live runs, the quiz."""

import math

import numpy as np
import pytest

from playground.charts.gan import animated_gif, grid_picture
from playground.gan import model as gan
from playground.gan import quality, sampling
from playground.gan.quiz import quiz_round, quiz_score
from playground.gan.training import GanConfig, GanRun

TINY = gan.GanShape(latent_dim=8, generator_width=4, discriminator_width=4)


@pytest.fixture(scope="module")
def generator():
    return gan.build_generator(TINY, seed=1)


def test_generator_and_discriminator_shapes(generator):
    discriminator = gan.build_discriminator(TINY, seed=1)
    assert generator.input_shape == [(None, 8), (None, 10)] and generator.output_shape == (None, 28, 28, 1)
    assert discriminator.input_shape == [(None, 28, 28, 1), (None, 10)] and discriminator.output_shape == (None, 1)
    images, digits = sampling.sample(generator, 5, seed=3)
    assert images.shape == (5, 28, 28) and images.dtype == np.float32
    assert images.min() >= 0.0 and images.max() <= 1.0  # sigmoid output: MNIST's range
    assert discriminator([images[..., None], sampling.one_hot(digits)]).shape == (5, 1)


def test_the_same_seed_builds_the_same_networks():
    first, second = gan.build_generator(TINY, seed=4), gan.build_generator(TINY, seed=4)
    for a, b in zip(first.get_weights(), second.get_weights()):
        np.testing.assert_array_equal(a, b)
    assert not np.array_equal(first.get_weights()[0], gan.build_generator(TINY, seed=5).get_weights()[0])


def test_one_training_step_changes_both_networks_and_returns_finite_losses():
    model = gan.build_gan(TINY, seed=0)
    g_before, d_before = model.generator.get_weights(), model.discriminator.get_weights()
    images = np.random.default_rng(0).uniform(size=(16, 28, 28, 1)).astype(np.float32)
    logs = model.train_on_batch(images, sampling.one_hot(np.arange(16) % 10), return_dict=True)
    assert set(logs) == {"d_loss", "g_loss", "d_real", "d_fake"}
    assert all(math.isfinite(float(v)) for v in logs.values())
    assert 0.0 <= float(logs["d_real"]) <= 1.0 and 0.0 <= float(logs["d_fake"]) <= 1.0
    for before, network in ((g_before, model.generator), (d_before, model.discriminator)):
        kernels = [(b, a) for b, a, w in zip(before, network.get_weights(), network.weights) if "kernel" in w.path]
        assert kernels and all(not np.allclose(b, a) for b, a in kernels), network.name


def test_sampling_is_reproducible_and_honours_the_digit(generator):
    first, digits = sampling.sample(generator, 6, seed=11)
    again, _ = sampling.sample(generator, 6, seed=11)
    other, _ = sampling.sample(generator, 6, seed=12)
    np.testing.assert_array_equal(first, again)
    assert not np.allclose(first, other)
    assert list(sampling.sample(generator, 4, digit=7, seed=0)[1]) == [7, 7, 7, 7]
    assert set(sampling.sample_digits(2000, None, seed=0)) == set(range(10))  # "any digit" covers all ten


def test_interpolation_starts_and_ends_at_the_two_samples(generator):
    noise = sampling.sample_noise(2, 8, seed=0)
    frames = sampling.interpolation(generator, (noise[0], noise[1]), (3, 8), steps=5)
    assert frames.shape == (5, 28, 28)
    np.testing.assert_allclose(frames[0], sampling.generate(generator, noise[:1], np.array([3]))[0], atol=1e-6)
    np.testing.assert_allclose(frames[-1], sampling.generate(generator, noise[1:], np.array([8]))[0], atol=1e-6)
    np.testing.assert_allclose(sampling.interpolate(np.zeros(2), np.ones(2), 3), [[0, 0], [0.5, 0.5], [1, 1]])


def test_pictures_tile_and_enlarge_without_blur():
    images = np.zeros((3, 28, 28), np.float32)
    images[1] = 1.0
    picture = grid_picture(images, columns=2, factor=2)
    assert picture.shape == (2 * (2 * 28 + 2), 2 * (2 * 28 + 2)) and picture.dtype == np.uint8
    assert picture[:56, 60:].min() == 255 and picture[:56, :56].max() == 0  # image 2 sits top right, white
    np.testing.assert_array_equal(grid_picture(sampling.to_uint8(images), 2, 2), picture)  # bytes are not scaled again
    numbered = grid_picture(images, columns=2, factor=3, numbered=True)
    assert numbered.shape == (2 * 90 - 6, 2 * 90 - 6) and numbered[:15, :30].max() > 0  # "1" in the black image
    gif = animated_gif(np.stack([images[0], images[1], images[0]]))
    assert gif[:6] == b"GIF89a"


# --- quality metrics on hand-made probability arrays --------------------------------------------------------------


def test_a_perfect_balanced_set_scores_10_and_a_collapsed_one_scores_1():
    perfect = np.eye(10)[np.arange(1000) % 10]
    assert quality.inception_score(perfect) == pytest.approx(10.0)
    collapsed = np.eye(10)[np.full(1000, 3)]
    assert quality.inception_score(collapsed) == pytest.approx(1.0)
    undecided = np.full((1000, 10), 0.1)
    assert quality.inception_score(undecided) == pytest.approx(1.0)


def test_inception_score_against_a_hand_computed_case():
    probs = np.array([[0.9, 0.1], [0.2, 0.8]])
    marginal = probs.mean(axis=0)  # (0.55, 0.45)
    kl = [sum(p * math.log(p / m) for p, m in zip(row, marginal)) for row in probs]
    assert quality.inception_score(probs) == pytest.approx(math.exp(sum(kl) / 2))


def test_histogram_confidence_and_accuracy():
    probs = np.array([[0.7, 0.3] + [0] * 8, [0.1, 0.9] + [0] * 8, [0.2, 0.8] + [0] * 8, [0.6, 0.4] + [0] * 8])
    np.testing.assert_allclose(quality.class_shares(probs), [0.5, 0.5] + [0] * 8)
    assert quality.mean_confidence(probs) == pytest.approx((0.7 + 0.9 + 0.8 + 0.6) / 4)
    assert quality.conditional_accuracy(probs, np.array([0, 1, 0, 0])) == pytest.approx(0.75)
    verdict = quality.judge(probs, np.array([0, 1, 1, 0]))
    assert verdict.accuracy == 1.0 and verdict.rarest_share == 0.0 and verdict.images == 4


def test_the_shipped_generator_draws_the_digit_asked_for_according_to_the_shipped_cnn():
    classifier = quality.shipped_classifier()
    if classifier is None or not gan.SHIPPED_GENERATOR.exists():
        pytest.skip("the shipped CNN or generator is not built")
    shipped = gan.load_shipped_generator()
    for digit in (0, 4, 7):
        images, asked = sampling.sample(shipped, 30, digit, seed=digit)
        assert quality.conditional_accuracy(quality.classify(classifier, images), asked) >= 0.9, digit


# --- live runs and the quiz ---------------------------------------------------------------------------------------


def test_a_live_run_records_every_epoch_and_its_grid():
    run = GanRun(GanConfig(train_samples=128, epochs=2, batch_size=64), shape=TINY)
    run.start()
    assert run.wait(120) and run.status == "finished", run.message
    assert [row["epoch"] for row in run.history] == [1, 2]
    assert {"d_loss", "g_loss", "d_real", "d_fake", "seconds"} <= set(run.history[0])
    assert sorted(run.grids) == [0, 1, 2] and run.grids[2].shape == (40, 28, 28) and run.grids[2].dtype == np.uint8
    assert not np.array_equal(run.grids[0], run.grids[2])  # the generator learned something
    assert run.generator is not None and sampling.sample(run.generator, 3)[0].shape == (3, 28, 28)


def test_stop_ends_a_run_and_keeps_the_last_full_epoch():
    run = GanRun(GanConfig(train_samples=60_000, epochs=50, batch_size=8), shape=TINY)
    run.start()
    while run.progress.batch < 3 and not run.done:
        run.wait(0.05)
    run.stop()
    assert run.wait(60) and run.status == "stopped"
    assert run.history == [] and run.generator is None  # nothing complete to sample
    assert "Stopped" in run.message


def test_bad_settings_are_refused_with_a_message():
    with pytest.raises(ValueError, match="larger than the training set"):
        GanRun(GanConfig(train_samples=100, batch_size=512))
    assert "Epochs must be between" in GanConfig(epochs=0).problem()
    assert GanConfig().problem() is None


def test_a_quiz_round_mixes_real_and_fake_and_is_scored(generator):
    round_ = quiz_round(generator, seed=5, size=12)
    assert round_.images.shape == (12, 28, 28) and 4 <= round_.fake.sum() <= 8
    assert quiz_round(generator, seed=5, size=12).fake.tolist() == round_.fake.tolist()
    score = quiz_score(np.array([True, True, False, False]), np.array([True, False, True, False]))
    assert (score.right, score.total, score.fakes_spotted, score.fakes, score.reals_called_fake) == (2, 4, 1, 2, 1)
