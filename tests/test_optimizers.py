"""Real keras optimizers on 2D surfaces, against closed forms and steps computed by hand; divergence; presets."""

import numpy as np
import pytest

from playground.core.specs import OPTIMIZERS, SpecError
from playground.optim.races import (
    DEFAULT_LEARNING_RATES,
    RACE_PRESETS,
    Runner,
    default_learning_rate,
    gradient_noise,
    outcome,
    race,
)
from playground.optim.surfaces import SURFACES

BOWL = SURFACES["bowl"]  # f = x²/2 + 5y²: gradient (x, 10y)


def bowl_gradient(point):
    return np.array([point[0], 10.0 * point[1]])


def test_plain_sgd_on_a_quadratic_follows_the_closed_form():
    lr, start, steps = 0.05, (-2.0, 1.0), 30
    (path,) = race(BOWL, [Runner("sgd", lr)], start, steps)
    t = np.arange(steps + 1)
    expected = np.column_stack([start[0] * (1 - lr) ** t, start[1] * (1 - 10 * lr) ** t])
    np.testing.assert_allclose(path.points[:, :2], expected, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(path.points[:, 2], BOWL.value(expected[:, 0], expected[:, 1]), rtol=1e-4, atol=1e-7)
    assert path.diverged_at is None


def test_momentum_first_steps_match_the_hand_computation():
    lr, momentum, w = 0.02, 0.9, np.array([-2.0, 1.0])
    (path,) = race(BOWL, [Runner("momentum", lr)], tuple(w), 4)
    velocity, expected = np.zeros(2), [w.copy()]
    for _ in range(4):  # keras.optimizers.SGD: v = momentum·v − lr·g; w = w + v
        velocity = momentum * velocity - lr * bowl_gradient(w)
        w = w + velocity
        expected.append(w.copy())
    np.testing.assert_allclose(path.points[:, :2], expected, rtol=1e-5)


def test_adam_first_steps_match_the_hand_computation():
    lr, b1, b2, eps, w = 0.1, 0.9, 0.999, 1e-7, np.array([-2.0, 1.0])
    (path,) = race(BOWL, [Runner("adam", lr)], tuple(w), 3)
    m, v, expected = np.zeros(2), np.zeros(2), [w.copy()]
    for t in range(1, 4):  # keras.optimizers.Adam, with its epsilon outside the square root
        g = bowl_gradient(w)
        m, v = b1 * m + (1 - b1) * g, b2 * v + (1 - b2) * g * g
        w = w - lr * np.sqrt(1 - b2**t) / (1 - b1**t) * m / (np.sqrt(v) + eps)
        expected.append(w.copy())
    np.testing.assert_allclose(path.points[:, :2], expected, rtol=1e-5)
    assert np.allclose(np.abs(path.points[1, :2] - path.points[0, :2]), lr, rtol=1e-4)  # Adam's first step is lr


def test_a_diverging_run_stops_where_it_left_the_map_without_nan():
    sgd, adam = race(BOWL, [Runner("sgd", 0.3), Runner("adam", 0.3)], (1.0, 1.0), 50)
    # y doubles and flips each step (1 − 10·0.3 = −2): 1, −2, 4 → leaves |y| ≤ 2 at step 2
    assert sgd.diverged_at == 2 and len(sgd.points) == 2
    assert np.isfinite(sgd.points).all()
    assert adam.diverged_at is None and len(adam.points) == 51
    assert outcome(BOWL, sgd).verdict == "diverged at step 2"


def test_runner_order_does_not_change_the_paths():
    runners = [Runner("adam", 0.1), Runner("sgd", 0.1), Runner("momentum", 0.02)]
    forward = race(BOWL, runners, (-2.0, 1.0), 20)
    backward = race(BOWL, runners[::-1], (-2.0, 1.0), 20)
    for a, b in zip(forward, backward[::-1]):
        assert a.runner == b.runner
        np.testing.assert_array_equal(a.points, b.points)


def test_all_eleven_optimizers_walk_with_their_default_rates():
    surface = SURFACES["himmelblau"]
    runners = [Runner(name, default_learning_rate("himmelblau", name)) for name in OPTIMIZERS]
    paths = race(surface, runners, surface.start, 500)
    for path in paths:
        result = outcome(surface, path)
        assert result.diverged_at is None and np.isfinite(path.points).all(), path.label
        assert result.final_loss < surface.value(*surface.start) / 10, path.label
    assert set(DEFAULT_LEARNING_RATES) == set(SURFACES)
    assert all(list(rates) == list(OPTIMIZERS) for rates in DEFAULT_LEARNING_RATES.values())


def test_noise_is_seeded_and_spares_exact_runners():
    runners = [Runner("sgd", 0.1), Runner("sgd", 0.1, noisy=False)]
    noise = gradient_noise(5, runners, 0.5, seed=3)
    assert noise.shape == (5, 2, 2) and np.all(noise[:, 1] == 0) and np.any(noise[:, 0] != 0)
    np.testing.assert_array_equal(noise, gradient_noise(5, runners, 0.5, seed=3))
    assert not np.array_equal(noise, gradient_noise(5, runners, 0.5, seed=4))


def test_saddle_preset_exact_gradient_stalls_and_noise_escapes():
    preset = RACE_PRESETS["saddle"]
    surface = SURFACES[preset.surface]
    noisy, exact = (outcome(surface, p) for p in race(surface, preset.runners, preset.start, preset.steps,
                                                      preset.noise, preset.seed))
    assert exact.stuck_on == "saddle 1" and not exact.reached and exact.final_loss == pytest.approx(1.0)
    assert noisy.reached and noisy.final_loss < 0.01


def test_lecture_presets_tell_their_story():
    def results(name):
        preset = RACE_PRESETS[name]
        surface = SURFACES[preset.surface]
        paths = race(surface, preset.runners, preset.start, preset.steps, preset.noise, preset.seed)
        return paths, [outcome(surface, p) for p in paths]

    (sgd, momentum, _), _ = results("momentum")
    assert sgd.points[:, 0].max() < 0 < momentum.points[:, 0].max()  # only momentum shoots past x = 0
    _, (small, right, large) = results("learning-rate")
    assert not small.reached and right.reached and large.diverged_at is not None
    _, (sgd, momentum, adam) = results("local-minimum")
    assert sgd.nearest == adam.nearest == "local minimum 1" and sgd.reached
    assert momentum.nearest == "global minimum" and momentum.reached
    _, (sgd, _, adam) = results("valley")
    assert adam.reached and not sgd.reached


def test_impossible_races_get_a_clear_message():
    with pytest.raises(SpecError, match="outside the plotted region"):
        race(BOWL, [Runner("sgd", 0.1)], (5.0, 0.0), 10)
    with pytest.raises(SpecError, match="learning rate"):
        race(BOWL, [Runner("sgd", -1.0)], (1.0, 0.0), 10)
    with pytest.raises(SpecError, match="Steps"):
        race(BOWL, [Runner("sgd", 0.1)], (1.0, 0.0), 0)
    with pytest.raises(SpecError, match="at least one"):
        race(BOWL, [], (1.0, 0.0), 10)


def test_each_runner_of_a_shared_walk_moves_exactly_as_its_own_keras_optimizer():
    """A walk steps up to 12 runners of one kind with one optimizer over a (12, 2) variable and a rate per row:
    every update rule is elementwise, so each row must match a separate keras optimizer stepping alone."""
    import keras
    import tensorflow as tf

    surface, start, steps, rates = SURFACES["rosenbrock"], (-1.2, 1.0), 15, (0.0005, 0.002, 0.01)

    def gradient(where):
        with tf.GradientTape() as tape:
            tape.watch(where)
            loss = tf.reduce_sum(surface.formula(where[:, 0], where[:, 1], tf))
        return tape.gradient(loss, where)

    for name, choice in OPTIMIZERS.items():
        paths = race(surface, [Runner(name, rate) for rate in rates], start, steps)
        for rate, path in zip(rates, paths):
            weights = keras.Variable(np.array([start], dtype=np.float32))
            alone = getattr(keras.optimizers, choice.keras_class)(learning_rate=rate, **choice.kwargs)
            for _ in range(len(path.points) - 1):
                alone.apply_gradients([(gradient(weights.value), weights)])
            np.testing.assert_allclose(path.points[-1, :2], weights.numpy()[0], rtol=1e-5, atol=1e-6,
                                       err_msg=f"{name} at {rate}")


def test_a_race_has_at_most_twelve_racers_and_a_seed_in_range():
    many = [Runner("sgd", 0.001 * (k + 1)) for k in range(190)]  # a pasted list of 190 learning rates
    with pytest.raises(SpecError, match="At most 12 racers at once; this race has 190"):
        race(BOWL, many, (1.0, 0.0), 10)
    with pytest.raises(SpecError, match="noise seed must be between 0 and"):
        race(BOWL, [Runner("sgd", 0.1)], (1.0, 0.0), 10, noise=0.1, seed=-1)
    assert len(race(BOWL, many[:12], (1.0, 0.0), 10)) == 12


def test_any_races_compile_at_most_one_program_per_optimizer_kind():
    from playground.optim.walker import compiled_walkers

    rng = np.random.default_rng(0)
    for number, surface in enumerate(SURFACES.values()):
        names = rng.choice(list(OPTIMIZERS), size=1 + number % 12)  # numpy strings, as a careless caller passes
        race(surface, [Runner(name, 1e-4) for name in names], surface.start, 5)
    assert compiled_walkers() <= len(OPTIMIZERS)


def test_a_list_of_190_learning_rates_is_refused_on_the_page_with_the_limit():
    from tests.helpers import open_page

    at = open_page("optimizers", timeout=180)
    field = next(field for field in at.text_input if field.label == "lr SGD")
    field.set_value(", ".join(f"{0.001 * (k + 1):g}" for k in range(190))).run()
    assert not at.exception
    assert any("At most 12 racers" in error.value for error in at.error), [e.value for e in at.error]
    field.set_value("0.01, 0.02").run()  # and the page works again
    assert not at.error and len(at.dataframe[0].value) == 4
