"""Named experiments: the lecture's demos, ready to load on the Build & train page or from the command line."""

from __future__ import annotations

from dataclasses import dataclass

from playground.core.specs import Experiment, NetworkSpec, TrainConfig, layer


@dataclass(frozen=True)
class Preset:
    """A demo: a title for menus, one sentence on what it shows, and the experiment itself."""

    title: str
    lesson: str
    experiment: Experiment


PRESETS: dict[str, Preset] = {
    "random": Preset(
        "Hello world on random data",
        "A big enough network memorizes noise: training accuracy climbs to ~100% while validation stays at "
        "chance (~10%). Memorizing is not learning.",
        Experiment(
            NetworkSpec((layer("Dense", units=1024, activation="relu"), layer("Dense", units=10, activation="softmax"))),
            TrainConfig(dataset="random", optimizer="adam", learning_rate=0.0005, batch_size=32, epochs=60),
        ),
    ),
    "mlp": Preset(
        "MLP 784-128-64-10",
        "The lecture's multi-layer perceptron: flatten the 28×28 image into 784 numbers, two hidden ReLU layers, "
        "10 probabilities out. Dropout keeps it from memorizing.",
        Experiment(
            NetworkSpec((
                layer("Flatten"),
                layer("Dense", units=128, activation="relu"),
                layer("Dropout", rate=0.2),
                layer("Dense", units=64, activation="relu"),
                layer("Dropout", rate=0.2),
                layer("Dense", units=10, activation="softmax"),
            )),
            TrainConfig(dataset="mnist", optimizer="adam", learning_rate=0.001, batch_size=256, epochs=25),
        ),
    ),
    "cnn": Preset(
        "LeNet-style CNN",
        "Two convolution + max-pooling blocks find strokes and shapes wherever they are in the image; "
        "dense layers then decide which digit it is.",
        Experiment(
            NetworkSpec((
                layer("Conv2D", filters=32, kernel_size=3, activation="relu"),
                layer("MaxPooling2D", pool_size=2),
                layer("Conv2D", filters=64, kernel_size=3, activation="relu"),
                layer("MaxPooling2D", pool_size=2),
                layer("Flatten"),
                layer("Dropout", rate=0.5),
                layer("Dense", units=128, activation="relu"),
                layer("Dense", units=10, activation="softmax"),
            )),
            TrainConfig(dataset="mnist", optimizer="adam", learning_rate=0.001, batch_size=128, epochs=12),
        ),
    ),
}

EMPTY = Experiment(NetworkSpec((layer("Flatten"), layer("Dense", units=10, activation="softmax"))), TrainConfig())
