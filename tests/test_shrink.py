"""Shrink engine: exact magnitude masks, zeros kept through fine-tuning, int8 / float16 copies against Keras' float
model, sizes, safe loading of quantized files, histograms, the quantize and prune jobs, bad input."""

import io
import zipfile

import numpy as np
import pytest

from playground.core.datasets import load_dataset
from playground.digits.classifiers import load_shipped_model, predict_probabilities
from playground.digits.loading import ModelError, load_model_bytes, load_model_file
from playground.shrink import histograms, prune, quantize


def tiny_model(seed: int = 0):
    import keras

    model = keras.Sequential([keras.Input((6,)), keras.layers.Dense(8, activation="relu", name="hidden"),
                              keras.layers.Dense(3, activation="softmax", name="out")])
    rng = np.random.default_rng(seed)
    model.set_weights([rng.normal(size=w.shape).astype(np.float32) for w in model.get_weights()])
    return model


def test_a_mask_zeroes_exactly_the_smallest_weights():
    kernel = np.array([[0.5, -0.1, 2.0], [-3.0, 0.05, 0.2]], np.float32)
    mask = prune.magnitude_mask(kernel, 0.5)
    assert mask.tolist() == [[1, 0, 1], [1, 0, 0]]  # |0.05|, |-0.1|, |0.2| go
    assert prune.magnitude_mask(kernel, 0.0).all()
    ties = prune.magnitude_mask(np.ones(4), 0.5)
    assert ties.tolist() == [0, 0, 1, 1]  # equal magnitudes: the earlier ones go, still exactly half
    with pytest.raises(ValueError):
        prune.magnitude_mask(kernel, 1.0)


def test_global_masks_prune_the_network_as_a_whole_to_an_exact_count():
    big = np.linspace(-0.1, 0.1, 1000).reshape(10, 100)  # a big layer of small weights
    small = np.array([[1.0, -2.0], [0.01, 3.0]])  # a small layer of large ones
    masks = prune.magnitude_masks_of([big, small], 0.8)
    pruned = sum(int((m == 0).sum()) for m in masks)
    assert pruned == round(0.8 * 1004)
    assert masks[1].tolist() == [[1, 1], [0, 1]]  # the large weights survive; 0.01 is small anywhere
    kept = np.abs(big)[masks[0] == 1]
    assert kept.min() >= np.abs(big)[masks[0] == 0].max()  # nothing kept is smaller than anything pruned


def test_sparsity_is_exact_and_a_fine_tune_keeps_the_pruned_weights_at_zero():
    import keras

    model = tiny_model()
    masks = prune.magnitude_masks(model, 0.6)
    prune.apply_masks(model, masks)
    total = sum(layer.kernel.numpy().size for layer in prune.prunable(model))
    assert prune.sparsity_of(model) == pytest.approx(round(0.6 * total) / total)
    before = {layer.name: layer.kernel.numpy().copy() for layer in prune.prunable(model)}
    prune.keep_pruned(model, masks)
    model.compile(optimizer=keras.optimizers.Adam(0.05), loss="sparse_categorical_crossentropy", jit_compile=False)
    rng = np.random.default_rng(1)
    model.fit(rng.normal(size=(64, 6)).astype(np.float32), rng.integers(0, 3, 64), epochs=3, batch_size=8, verbose=0)
    for layer in prune.prunable(model):
        after, mask = layer.kernel.numpy(), masks[layer.name]
        assert np.all(after[mask == 0] == 0.0)  # exactly zero after 24 Adam steps
        assert not np.allclose(after[mask == 1], before[layer.name][mask == 1])  # the survivors learned


def test_zipped_size_shrinks_with_sparsity_while_the_keras_file_does_not():
    model = load_shipped_model("mlp")
    pruned = prune.trainable_copy(model)
    prune.apply_masks(pruned, prune.magnitude_masks(pruned, 0.9))
    assert len(quantize.model_bytes(pruned)) == pytest.approx(len(quantize.model_bytes(prune.trainable_copy(model))),
                                                              rel=0.01)
    assert prune.zipped_size(pruned) < 0.4 * prune.zipped_size(model)


def test_int8_copy_predicts_close_to_float_and_leaves_the_original_alone():
    data = load_dataset("mnist")
    x = data.x_test[:500]
    for name in ("mlp", "cnn"):
        model = load_shipped_model(name)
        weights = [w.copy() for w in model.get_weights()]
        int8 = quantize.quantized_copy(model, "int8")
        assert quantize.quantized_layers(int8) == [layer.name for layer in model.layers if type(layer).__name__ == "Dense"]
        float_p, int8_p = predict_probabilities(model, x), predict_probabilities(int8, x)
        assert np.abs(float_p - int8_p).max() < 0.1
        assert np.mean(float_p.argmax(1) == int8_p.argmax(1)) >= 0.99
        assert all(np.array_equal(a, b) for a, b in zip(weights, model.get_weights()))


def test_float16_copy_stores_half_precision_and_keeps_a_float32_output():
    model = load_shipped_model("cnn")
    half = quantize.quantized_copy(model, "float16")
    assert {w.dtype for w in half.layers[0].weights} == {"float16"}
    assert half.layers[-1].dtype_policy.name == "float32"
    x = load_dataset("mnist").x_test[:200]
    probabilities = predict_probabilities(half, x)
    assert np.allclose(probabilities.sum(axis=1), 1.0, atol=1e-4)
    assert np.abs(probabilities - predict_probabilities(model, x)).max() < 0.01


def test_file_sizes_of_the_formats():
    model = load_shipped_model("cnn")
    sizes = {mode: len(quantize.model_bytes(quantize.quantized_copy(model, mode))) for mode in quantize.MODES}
    assert sizes["float16"] / sizes["float32"] == pytest.approx(0.52, abs=0.03)
    assert sizes["int8"] / sizes["float32"] <= 0.35  # the Dense kernels, 92% of this CNN's weights, in one byte


@pytest.mark.parametrize("mode", ["int8", "float16"])
def test_quantized_files_load_through_the_safe_rebuild(mode):
    model = quantize.quantized_copy(load_shipped_model("mlp"), mode)
    loaded = load_model_bytes(quantize.model_bytes(model))
    x = load_dataset("mnist").x_test[:300]
    assert quantize.quantized_layers(loaded) == quantize.quantized_layers(model)
    assert np.abs(predict_probabilities(loaded, x) - predict_probabilities(model, x)).max() < 2e-3


def test_other_quantized_modes_are_refused_by_name(tmp_path):
    data = quantize.model_bytes(quantize.quantized_copy(load_shipped_model("mlp"), "int8"))
    path = tmp_path / "int4.keras"
    with zipfile.ZipFile(path, "w") as out, zipfile.ZipFile(io.BytesIO(data)) as original:
        for item in original.infolist():
            content = original.read(item)
            if item.filename == "config.json":
                content = content.replace(b'"mode": "int8"', b'"mode": "int4"')
            out.writestr(item, content)
    assert b'"int4"' in zipfile.ZipFile(path).read("config.json")
    with pytest.raises(ModelError, match="int4"):
        load_model_file(path)


def test_int8_histogram_levels_sit_within_half_a_step_of_the_weights():
    model = load_shipped_model("mlp")
    int8 = quantize.quantized_copy(model, "int8")
    layer = int8.layers[1]
    levels, dequantized = histograms.int8_kernel(layer)
    scale = layer.kernel_scale.numpy()
    original = model.get_layer(layer.name).kernel.numpy()
    assert levels.dtype == np.int8 and np.abs(levels).max() <= 127
    assert np.all(np.abs(dequantized - original) <= 0.5 / scale + 1e-6)
    assert histograms.int8_kernel(model.layers[1]) is None  # a float layer has no int8 kernel
    error = histograms.rounding_error(original, dequantized)
    assert 0 < error["mean"] <= error["max"] <= float((0.5 / scale).max()) + 1e-6


def test_histograms_count_every_weight_and_zeros_apart():
    weights = np.array([0.0, 0.0, -1.0, 0.5, 1.0, 0.25])
    result = histograms.histogram(weights, "w", bins=4)
    assert result.zeros == 2 and result.total == 6 and int(result.counts.sum()) == 4
    edges = histograms.shared_edges(weights, np.array([3.0]))
    assert edges[0] == -3.0 and edges[-1] == 3.0


def test_the_check_set_reader_matches_the_tool_that_builds_it():
    from tools.build_drawn_digits import load_check_set

    images, labels = quantize.drawn_check_set()
    reference_images, reference_labels, _ = load_check_set()
    assert np.array_equal(images, reference_images) and np.array_equal(labels, reference_labels)


def test_the_quantize_job_measures_every_format():
    job = quantize.QuantizeRun(model=load_shipped_model("mlp"), title="MLP", test_size=500)
    job.start()
    assert job.wait(300) and job.status == "finished", job.message
    assert [r.mode for r in job.results] == ["float32", "float16", "int8"]
    sizes = [r.size_bytes for r in job.results]
    assert sizes[0] > sizes[1] > sizes[2] and sizes == [len(job.files[m]) for m in ("float32", "float16", "int8")]
    assert all(0.9 < r.mnist_accuracy <= 1 and r.drawn_accuracy is not None and r.ms_per_image > 0 for r in job.results)
    assert abs(job.results[2].mnist_accuracy - job.results[0].mnist_accuracy) < 0.01


def test_the_prune_job_reaches_the_exact_sparsity_and_keeps_the_shipped_model():
    model = load_shipped_model("mlp")
    weights = [w.copy() for w in model.get_weights()]
    job = prune.PruneRun(model=model, title="MLP", sparsity=0.5, fine_tune_epochs=1, fine_tune_samples=2_000,
                         eval_size=500)
    job.start()
    assert job.wait(300) and job.status == "finished", job.message
    total = sum(layer.kernel.numpy().size for layer in prune.prunable(job.pruned_model))
    assert prune.sparsity_of(job.pruned_model) == pytest.approx(round(0.5 * total) / total)
    assert [s for s, _ in job.curve] == list(prune.SWEEP) and job.curve[0][1] > job.curve[-1][1]
    assert len(job.history) == 1 and job.tuned_accuracy > 0.9
    assert job.sizes["pruned_zipped"] < job.sizes["dense_zipped"]
    assert all(np.array_equal(a, b) for a, b in zip(weights, model.get_weights()))
    reloaded = load_model_bytes(job.pruned_file)  # the download loads through the safe path, zeros intact
    assert prune.sparsity_of(reloaded) == pytest.approx(prune.sparsity_of(job.pruned_model))


def test_bad_settings_are_refused():
    with pytest.raises(ValueError, match="Sparsity"):
        prune.PruneRun(model=None, sparsity=0.99)
    with pytest.raises(ValueError, match="Fine-tune"):
        prune.PruneRun(model=None, sparsity=0.5, fine_tune_epochs=11)
    with pytest.raises(ValueError, match="Unknown mode"):
        quantize.quantized_copy(tiny_model(), "int3")
