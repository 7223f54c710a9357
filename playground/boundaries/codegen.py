"""The Keras script that reproduces a run of the Decision boundaries page: the same points, features, network,
initial weights, optimizer and batches, trained with plain model.fit.

The points travel inside the script as CSV text (exact float32 values), so clicked, removed and uploaded points are
reproduced too. Each epoch is one model.fit call on the training points in that epoch's seeded order: the page's
compiled loop takes exactly these batches (tests/test_boundaries.py checks the weights agree).
"""

from __future__ import annotations

from playground.boundaries.datasets import CLASSIFICATION, DATASETS, PointSet
from playground.boundaries.features import transform_source
from playground.boundaries.network import ACTIVATIONS, NetSpec, loss_name, output_units
from playground.boundaries.points import to_csv
from playground.core.specs import OPTIMIZERS


def _optimizer_code(spec: NetSpec) -> str:
    choice = OPTIMIZERS[spec.optimizer]
    extra = "".join(f", {name}={value!r}" for name, value in choice.kwargs.items())
    return f"keras.optimizers.{choice.keras_class}(learning_rate={spec.learning_rate!r}{extra})"


def _layers_code(spec: NetSpec, task: str, classes: int) -> str:
    penalty = "None"
    if spec.regularization != "none" and spec.regularization_rate > 0:
        penalty = f"keras.regularizers.{spec.regularization.upper()}({spec.regularization_rate!r})"
    lines = [f"inputs = keras.Input(({len(spec.features)},), name=\"features\")", "h = inputs"]
    for i, layer in enumerate(spec.layers, start=1):
        activation = "None, use_bias=False" if spec.batch_norm else f'"{layer.activation}"'
        initializer = f"keras.initializers.GlorotUniform(seed={spec.seed * 1000 + i})"
        lines.append(f"h = keras.layers.Dense({layer.units}, activation={activation}, kernel_regularizer={penalty},\n"
                     f"                       kernel_initializer={initializer}, "
                     f"name=\"dense_{i}\")(h)" + ("" if spec.batch_norm else f"  # {ACTIVATIONS[layer.activation]}"))
        if spec.batch_norm:
            lines.append(f"h = keras.layers.BatchNormalization(name=\"batch_norm_{i}\")(h)")
            lines.append(f"h = keras.layers.Activation(\"{layer.activation}\", name=\"activation_{i}\")(h)")
        if spec.dropout > 0:
            lines.append(f"h = keras.layers.Dropout({spec.dropout!r}, seed={spec.seed * 1000 + 100 + i}, "
                         f"name=\"dropout_{i}\")(h)")
    activation = "linear" if task != CLASSIFICATION else "softmax"
    lines.append(f"outputs = keras.layers.Dense({output_units(task, classes)}, activation=\"{activation}\", "
                 f"kernel_regularizer={penalty},\n"
                 f"                             kernel_initializer=keras.initializers.GlorotUniform("
                 f"seed={spec.seed * 1000 + 99}), name=\"output\")(h)")
    lines.append('model = keras.Model(inputs, outputs, name="boundary_network")')
    return "\n".join(lines)


def _data(points: PointSet, shown_rows: int | None) -> str:
    text = to_csv(points)
    if shown_rows is None or len(points) <= shown_rows:
        return text
    lines = text.splitlines(keepends=True)
    return "".join(lines[:shown_rows + 1]) + f"… {len(points) - shown_rows:,} more points: download the script\n"


def boundary_script(points: PointSet, spec: NetSpec, epochs: int, rate_changes: dict[int, float] | None = None,
                    shown_rows: int | None = None) -> str:
    """A runnable script: `python boundary.py` trains `epochs` epochs and prints the final scores.

    `rate_changes` (first epoch -> learning rate) replays changes of the learning rate made while training.
    `shown_rows` keeps only that many points in the script, for showing it on the page (it then does not run).
    """
    classification = points.task == CLASSIFICATION
    loss = ("keras.losses.MeanSquaredError()" if loss_name(spec, points.task) == "mse"
            else "keras.losses.CategoricalCrossentropy()")
    title = DATASETS[points.spec.name].title if points.origin == "generated" else f"your points ({points.origin})"
    targets = (f"np.eye({points.classes}, dtype=np.float32)[labels.astype(int)]" if classification
               else "labels.astype(np.float32).reshape(-1, 1)")
    metrics = '["accuracy"]' if classification else "[]"
    changes, apply_changes = "", ""
    if rate_changes:
        changes = (f"LEARNING_RATES = {dict(sorted(rate_changes.items()))!r}  # changed on the page before these "
                   "epochs\n")
        apply_changes = ("    if epoch in LEARNING_RATES:\n"
                         "        model.optimizer.learning_rate.assign(LEARNING_RATES[epoch])\n")
    return f'''"""Decision boundaries: {title}, {len(points)} points, trained as on the Deep Learning Playground.

Reproduces the page's run: the same points and train/test split, the same input features, network, initial
weights (seeded initializers), optimizer and batches. Needs numpy and Keras 3 with TensorFlow.
"""

import io

import keras
import numpy as np

EPOCHS = {epochs}
BATCH_SIZE = {spec.batch_size}
SEED = {spec.seed}
{changes}

{transform_source(spec.features)}

# The points (x1, x2 on the plane -6..6), their labels and the train/test split, exactly as on the page.
DATA = """\\
{_data(points, shown_rows)}"""
table = np.loadtxt(io.StringIO(DATA), delimiter=",", skiprows=1, dtype=str)
xy, labels, train = table[:, :2].astype(np.float32), table[:, 2].astype(np.float32), table[:, 3] == "train"
targets = {targets}
x_train, y_train = features(xy[train]), targets[train]
x_test, y_test = features(xy[~train]), targets[~train]

# The network.
{_layers_code(spec, points.task, points.classes)}
# jit_compile=False: the page trains without XLA, and XLA's rounding would make the runs drift apart over epochs.
model.compile(optimizer={_optimizer_code(spec)}, loss={loss},
              metrics={metrics}, jit_compile=False)

# Training: each epoch visits the training points in its own seeded order, cut into batches of BATCH_SIZE.
for epoch in range(1, EPOCHS + 1):
{apply_changes}    order = np.random.default_rng([SEED, 2, epoch]).permutation(len(x_train))
    model.fit(x_train[order], y_train[order], batch_size=BATCH_SIZE, shuffle=False, epochs=1, verbose=0)

print("train:", model.evaluate(x_train, y_train, verbose=0, return_dict=True))
print("test: ", model.evaluate(x_test, y_test, verbose=0, return_dict=True))
model.save("boundary.keras")  # its input is features(xy), not the raw points
'''
