"""Named experiments: the lecture's demos, ready to load on the Build & train page or from the command line."""

from __future__ import annotations

from dataclasses import dataclass, replace

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
    "lstm-mnist": Preset(
        "LSTM on MNIST rows",
        "An image read as a sequence: 28 steps, one row of 28 pixels each, top to bottom. The LSTM carries what it "
        "has seen in its state from row to row; after the last row a Dense layer names the digit.",
        Experiment(
            NetworkSpec((layer("LSTM", units=128), layer("Dense", units=10, activation="softmax"))),
            TrainConfig(dataset="mnist-rows", optimizer="adam", learning_rate=0.001, batch_size=128, epochs=5),
        ),
    ),
}

# The same networks on clothes (Fashion-MNIST): the CNN that reads 99% of digits reads about 91% of clothes.
PRESETS["fashion-mlp"] = Preset(
    "MLP on Fashion-MNIST",
    "The digit MLP, unchanged, on clothes: ~98% on digits becomes ~89% here. Shirts, T-shirts, pullovers and "
    "coats are hard to tell apart from 784 separate pixels.",
    replace(PRESETS["mlp"].experiment, config=replace(PRESETS["mlp"].experiment.config, dataset="fashion")))
PRESETS["fashion-cnn"] = Preset(
    "LeNet-style CNN on Fashion-MNIST",
    "The same CNN that gets 99% on digits gets about 91% on clothes: the network did not change, the task got "
    "harder. Most mistakes are shirts taken for T-shirts, pullovers or coats.",
    replace(PRESETS["cnn"].experiment, config=replace(PRESETS["cnn"].experiment.config, dataset="fashion",
                                                      epochs=15)))

EMPTY = Experiment(NetworkSpec((layer("Flatten"), layer("Dense", units=10, activation="softmax"))), TrainConfig())
