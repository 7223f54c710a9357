"""Decision boundaries engine: point sets, features, the compiled loop against model.fit, maps against Keras
sub-models, divergence, the exported script, setups and presets."""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
import pytest

from playground.boundaries.codegen import boundary_script
from playground.boundaries.datasets import CURVES, DATASETS, DOMAIN, REGRESSION, DataSpec, generate, split_mask
from playground.boundaries.features import FEATURES, transform, transform_source
from playground.boundaries.hints import hints
from playground.boundaries.loop import batch_order, targets
from playground.boundaries.maps import GRID, Probe, grid_points
from playground.boundaries.network import Hidden, NetSpec, build_model, check_net, compile_model, neuron_names
from playground.boundaries.presets import PRESETS, Setup, SetupError, check, from_json, parse_hidden, to_json
from playground.boundaries.trainer import BoundaryRun, BoundaryTrainer


@pytest.mark.parametrize("name", list(DATASETS))
def test_every_set_has_its_shape_labels_and_is_the_same_for_the_same_seed(name):
    spec = DataSpec(name, points=300, noise=20, train_percent=30, seed=4)
    points = generate(spec)
    assert points.x.shape == (300, 2) and points.x.dtype == np.float32 and len(points.y) == 300
    assert np.abs(points.x).max() <= DOMAIN
    assert points.train.sum() == 90
    if DATASETS[name].task == REGRESSION:
        assert points.classes == 0 and points.y.dtype == np.float32 and np.abs(points.y).max() <= 1
    else:
        assert points.y.dtype == np.int64 and set(np.unique(points.y)) == set(range(points.classes))
    again = generate(spec)
    assert np.array_equal(again.x, points.x) and np.array_equal(again.y, points.y)
    assert np.array_equal(again.train, points.train)
    assert not np.array_equal(generate(replace(spec, seed=5)).x, points.x)


def test_labels_follow_each_sets_rule_without_noise():
    xor = generate(DataSpec("xor"))
    assert np.array_equal(xor.y, (xor.x[:, 0] * xor.x[:, 1] >= 0).astype(int))
    assert np.abs(xor.x).min() >= 0.3  # TFP's gap along the axes
    circle = generate(DataSpec("circle"))
    assert np.array_equal(circle.y, (np.hypot(circle.x[:, 0], circle.x[:, 1]) < 2.5).astype(int))
    for curve in CURVES:
        above = generate(DataSpec("curve", curve=curve))
        assert np.array_equal(above.y, (above.x[:, 1] > CURVES[curve].f(above.x[:, 0])).astype(int)), curve
    board = generate(DataSpec("checkerboard"))
    assert np.array_equal(board.y, (np.floor(board.x / 3).sum(axis=1) % 2).astype(int))
    plane = generate(DataSpec("plane"))
    np.testing.assert_allclose(plane.y, np.clip(plane.x.sum(axis=1) / 10, -1, 1), atol=1e-6)
    for arms in (2, 3, 5):
        spiral = generate(DataSpec("spiral", classes=arms))
        assert spiral.classes == arms and np.bincount(spiral.y).min() >= 500 // arms
        assert np.hypot(spiral.x[:, 0], spiral.x[:, 1]).max() <= 5 + 1e-5
    assert generate(DataSpec("blobs", classes=4)).classes == 4
    assert generate(DataSpec("xor", classes=4)).classes == 2  # XOR has two classes, whatever is asked


def test_split_keeps_a_share_and_at_least_one_point_each_side():
    assert split_mask(500, 10, 0).sum() == 50
    assert split_mask(3, 10, 0).sum() == 1 and split_mask(3, 90, 0).sum() == 2
    assert not np.array_equal(split_mask(100, 50, 0), split_mask(100, 50, 1))


def test_feature_transforms_against_hand_computation():
    xy = np.array([[1.5, -2.0], [0.0, 3.0], [-6.0, 6.0]], np.float32)
    x1, x2 = xy[:, 0].astype(float), xy[:, 1].astype(float)
    expected = {"x1": x1, "x2": x2, "x1_squared": x1 * x1, "x2_squared": x2 * x2, "x1_times_x2": x1 * x2,
                "sin_x1": np.sin(x1), "sin_x2": np.sin(x2)}
    names = list(FEATURES)
    np.testing.assert_allclose(transform(xy, names), np.stack([expected[n] for n in names], axis=1), rtol=1e-6)
    namespace = {"np": np}
    exec(transform_source(names), namespace)  # noqa: S102 -- our own exported function, the subject of the test
    np.testing.assert_array_equal(namespace["features"](xy), transform(xy, names))


def test_checks_say_what_is_wrong():
    assert check_net(NetSpec()) is None
    assert "at least one input feature" in check_net(NetSpec(features=()))
    assert "between 1 and 32" in check_net(NetSpec(layers=(Hidden(64),)))
    assert "9 hidden layers" in check_net(NetSpec(layers=(Hidden(),) * 9))
    assert "Learning rate must be between" in check_net(NetSpec(learning_rate=50.0))
    assert "unknown activation" in check_net(NetSpec(layers=(Hidden(4, "cosine"),)))


def small_points(name: str = "circle", points: int = 120, **changes) -> object:
    return generate(DataSpec(name, points=points, **changes))


@pytest.mark.parametrize("spec", [
    NetSpec(batch_size=7),  # 60 training points: 8 full batches and a last one of 4
    NetSpec(features=("x1", "x2", "sin_x1"), layers=(Hidden(5, "relu"), Hidden(3)), optimizer="adam",
            learning_rate=0.01, regularization="l2", regularization_rate=0.01, dropout=0.2, batch_norm=True,
            batch_size=16, seed=3),
], ids=["sgd", "adam-l2-dropout-batchnorm"])
def test_the_compiled_loop_gives_the_weights_of_model_fit_on_the_same_batches(spec):
    points = small_points()
    trainer = BoundaryTrainer(points, spec)
    trainer.train(3, lambda: False)
    reference = build_model(spec, points.task, points.classes)
    compile_model(reference, spec, points.task)
    x, y = transform(points.x_train, spec.features), targets(points, train=True)
    for epoch in (1, 2, 3):
        order = batch_order(len(x), spec.seed, epoch)
        reference.fit(x[order], y[order], batch_size=spec.batch_size, shuffle=False, epochs=1, verbose=0)
    for ours, theirs in zip(trainer.model.get_weights(), reference.get_weights()):
        np.testing.assert_allclose(ours, theirs, rtol=1e-5, atol=1e-6)
    assert trainer.epoch == 3 and [row["epoch"] for row in trainer.history.rows()] == [0, 1, 2, 3]


def test_neuron_maps_equal_the_outputs_of_keras_sub_models():
    import keras

    points = small_points("spiral", classes=3)
    spec = NetSpec(features=("x1", "x2", "x1_times_x2"), layers=(Hidden(6, "relu"), Hidden(4, "tanh")),
                   batch_norm=True)
    model = build_model(spec, points.task, points.classes)
    compile_model(model, spec, points.task)
    maps = Probe(model, spec)(points.x)
    grid = transform(grid_points(), spec.features)
    for name, values in zip(neuron_names(spec), maps.neurons):
        layer = keras.Model(model.inputs, model.get_layer(name).output)
        expected = layer.predict(grid, verbose=0).reshape(GRID, GRID, -1)
        np.testing.assert_allclose(values, expected, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(maps.output, model.predict(grid, verbose=0).reshape(GRID, GRID, 3), atol=1e-6)
    np.testing.assert_allclose(maps.points, model.predict(transform(points.x, spec.features), verbose=0), atol=1e-6)
    top_left, bottom_right = grid_points()[0], grid_points()[-1]
    assert top_left[0] < 0 < top_left[1] and bottom_right[0] > 0 > bottom_right[1]  # row 0 is the top


def test_a_learning_rate_that_blows_up_stops_and_keeps_the_last_good_weights():
    points = small_points()
    spec = NetSpec(layers=(Hidden(8, "relu"),) * 3, learning_rate=3.0)
    trainer = BoundaryTrainer(points, spec)
    outcome, message = trainer.train(50, lambda: False)
    assert outcome == "diverged"
    assert "learning rate (3)" in message and f"epoch {trainer.epoch}, the last good one" in message
    assert trainer.epoch >= 1  # a good epoch before the bad one: going back replays it
    assert all(np.isfinite(w).all() for w in trainer.model.get_weights())
    assert np.isfinite(trainer.history.table()).all()
    replay = BoundaryTrainer(points, spec)  # the same seed and batches, stopped before the bad epoch
    replay.train(trainer.epoch, lambda: False)
    for kept, good in zip(trainer.model.get_weights(), replay.model.get_weights()):
        np.testing.assert_allclose(kept, good, rtol=1e-6)


def test_a_linear_network_on_xor_trains_and_the_page_says_why_it_cannot_learn():
    points = generate(DataSpec("xor", points=200))
    spec = NetSpec(layers=(Hidden(4, "linear"),))
    job = BoundaryRun(trainer=BoundaryTrainer(points, spec), epochs=30, name="linear")
    job.start()
    assert job.wait(120) and job.status == "finished", job.message
    trainer = job.trainer
    assert trainer.history.last()["accuracy"] < 0.75  # about a coin toss: no straight line separates XOR
    said = hints(spec, points, trainer.history.table(), trainer.snapshot)
    assert any("boundary is a straight line" in text for text in said)


def test_a_step_trains_one_epoch_and_a_changed_learning_rate_is_recorded():
    trainer = BoundaryTrainer(small_points(), NetSpec())
    for epochs in (0, 1):
        job = BoundaryRun(trainer=trainer, epochs=epochs, name="step")
        job.start()
        assert job.wait(120) and job.status == "finished"
    assert trainer.epoch == 1 and trainer.snapshot.epoch == 1
    trainer.learning_rate = 0.1
    trainer.train(2, lambda: False)
    assert trainer.rate_changes == {2: 0.1}
    assert math.isclose(float(trainer.model.optimizer.learning_rate), 0.1, rel_tol=1e-6)


def test_a_play_run_gives_way_after_its_slice_and_pauses_at_the_limit(monkeypatch):
    import playground.boundaries.trainer as trainer_module

    trainer = BoundaryTrainer(small_points(), NetSpec())
    trainer.playing = True
    job = BoundaryRun(trainer=trainer, epochs=None, slice_seconds=0.3, name="slice")
    job.start()
    assert job.wait(120) and job.status == "finished" and job.outcome == "slice"
    assert trainer.playing and trainer.epoch > 0  # the page starts the next run of this Play
    monkeypatch.setattr(trainer_module, "PLAY_LIMIT_SECONDS", trainer.play_seconds)
    job = BoundaryRun(trainer=trainer, epochs=None, name="limit")
    job.start()
    assert job.wait(120) and job.outcome == "limit" and not trainer.playing
    assert job.message.startswith("Paused after") and "press Play to go on" in job.message


def test_the_exported_script_reproduces_the_run(tmp_path, monkeypatch):
    points = small_points("moons", points=80)
    spec = NetSpec(features=("x1", "x2", "x2_squared"), layers=(Hidden(5, "relu"),), optimizer="momentum",
                   learning_rate=0.05, batch_size=9, regularization="l1", regularization_rate=0.001)
    trainer = BoundaryTrainer(points, spec)
    trainer.train(1, lambda: False)
    trainer.learning_rate = 0.02
    trainer.train(1, lambda: False)
    script = boundary_script(points, spec, trainer.epoch, trainer.rate_changes)
    monkeypatch.chdir(tmp_path)
    namespace: dict = {"__name__": "__main__"}
    exec(compile(script, "boundary.py", "exec"), namespace)  # noqa: S102 -- our own exported script
    for ours, theirs in zip(trainer.model.get_weights(), namespace["model"].get_weights()):
        np.testing.assert_allclose(ours, theirs, rtol=1e-5, atol=1e-6)
    assert (tmp_path / "boundary.keras").is_file()


@pytest.mark.parametrize("name", list(PRESETS))
def test_presets_round_trip_through_the_link(name):
    setup = PRESETS[name].setup
    assert check(setup) == setup
    assert from_json(to_json(setup)) == setup


def test_a_bad_link_gets_a_clear_message():
    assert to_json(Setup()) == "{}"
    for text, message in (("{", "not valid JSON"), ('{"data": {"name": "moon"}}', "Unknown data set"),
                          ('{"net": {"layers": [[4]]}}', "[units, activation]"),
                          ('{"net": {"speed": 3}}', "Unknown net setting speed"),
                          ('{"data": {"noise": 80}}', "from 0 to 50"), ('{"net": {"features": []}}', "at least one")):
        with pytest.raises(SetupError, match=message):
            from_json(text)
    assert parse_hidden("features, regularization,nothing") == (frozenset({"features", "regularization"}),
                                                                 ["nothing"])
