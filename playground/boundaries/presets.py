"""Everything on the Decision boundaries page as one Setup (points, network, view), its short JSON for the link,
the lecture's presets, and the controls a teacher's link can hide.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, fields, replace
from typing import Any

from playground.boundaries.datasets import DataError, DataSpec, check_spec
from playground.boundaries.features import ordered
from playground.boundaries.network import Hidden, NetSpec, check_net


@dataclass(frozen=True)
class Setup:
    """What the page shows and trains: the points, the network, and two view switches."""

    data: DataSpec = field(default_factory=DataSpec)
    net: NetSpec = field(default_factory=NetSpec)
    show_test: bool = False
    discretize: bool = False


class SetupError(ValueError):
    """A setup (from a link or the command line) that cannot be used; the message says why."""


def _changed(value: Any, default: Any) -> dict[str, Any]:
    return {f.name: getattr(value, f.name) for f in fields(value) if getattr(value, f.name) != getattr(default, f.name)}


def to_json(setup: Setup) -> str:
    """Compact JSON of what differs from the defaults, e.g. {"data":{"name":"xor"},"net":{"layers":[[4,"tanh"]]}}."""
    data, net = _changed(setup.data, DataSpec()), _changed(setup.net, NetSpec())
    if "layers" in net:
        net["layers"] = [[layer.units, layer.activation] for layer in setup.net.layers]
    if "features" in net:
        net["features"] = list(setup.net.features)
    out: dict[str, Any] = {"data": data, "net": net, "show_test": setup.show_test, "discretize": setup.discretize}
    out = {key: value for key, value in out.items() if value}
    return json.dumps(out, separators=(",", ":"))


def _part(cls: type, data: Any, where: str) -> Any:
    if not isinstance(data, dict):
        raise SetupError(f"'{where}' must be an object.")
    known = {f.name for f in fields(cls)}
    unknown = set(data) - known
    if unknown:
        raise SetupError(f"Unknown {where} setting {', '.join(sorted(unknown))}. Known: {', '.join(sorted(known))}.")
    return cls(**data)


def from_json(text: str) -> Setup:
    """The inverse of to_json; SetupError with a clear message for anything malformed or out of range."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise SetupError(f"The setup is not valid JSON ({error.msg}).") from None
    if not isinstance(data, dict) or set(data) - {"data", "net", "show_test", "discretize"}:
        raise SetupError("The setup must be a JSON object with 'data', 'net', 'show_test' and 'discretize'.")
    net_data = dict(data.get("net", {})) if isinstance(data.get("net", {}), dict) else data.get("net")
    if isinstance(net_data, dict):
        layers = net_data.get("layers", [[h.units, h.activation] for h in NetSpec().layers])
        if not isinstance(layers, list) or not all(isinstance(x, list) and len(x) == 2 for x in layers):
            raise SetupError("'layers' must be a list of [units, activation] pairs, e.g. [[4, \"tanh\"]].")
        net_data["layers"] = tuple(Hidden(units, activation) for units, activation in layers)
        features = net_data.get("features", list(NetSpec().features))
        if not isinstance(features, list):
            raise SetupError("'features' must be a list of names, e.g. [\"x1\", \"x2\"].")
        net_data["features"] = tuple(features)
    try:
        setup = Setup(_part(DataSpec, data.get("data", {}), "data"), _part(NetSpec, net_data, "net"),
                      bool(data.get("show_test", False)), bool(data.get("discretize", False)))
    except TypeError as error:
        raise SetupError(f"The setup could not be read: {error}.") from None
    return check(setup)


def check(setup: Setup) -> Setup:
    """The setup with its features in table order; SetupError for anything out of range."""
    try:
        check_spec(setup.data)
    except DataError as error:
        raise SetupError(str(error)) from None
    problem = check_net(setup.net)
    if problem:
        raise SetupError(problem)
    return replace(setup, net=replace(setup.net, features=ordered(setup.net.features)))


@dataclass(frozen=True)
class Preset:
    """A lecture demo: its title, what to say while it runs, and the setup."""

    title: str
    lesson: str
    setup: Setup


SIN = ("x1", "x2", "sin_x1", "sin_x2")
PRESETS: dict[str, Preset] = {
    "xor-linear": Preset(
        "XOR without a hidden layer",
        "Press Play: the loss stalls and accuracy stays near 50%. Without a hidden layer the network is one "
        "weighted sum, so its boundary is a straight line, and no straight line separates XOR.",
        Setup(DataSpec("xor"), NetSpec(layers=()))),
    "xor": Preset(
        "XOR with a hidden layer",
        "One hidden layer of four ReLU neurons. Each neuron's tile is a straight line with one side lit; the "
        "output adds them up into the two opposite quadrants. A straight line alone could not.",
        Setup(DataSpec("xor"), NetSpec(layers=(Hidden(4, "relu"),)))),
    "xor-feature": Preset(
        "XOR with the feature x1·x2",
        "No hidden layer, but the input x1·x2: its sign is the class. The right feature makes a hard problem "
        "linear.",
        Setup(DataSpec("xor"), NetSpec(features=("x1", "x2", "x1_times_x2"), layers=()))),
    "spiral": Preset(
        "The spiral needs depth",
        "Only x1 and x2 as inputs: the network must unroll the two arms by itself. Three layers of ReLU "
        "neurons do it: the first layer's neurons draw straight lines, the next ones fold them into wedges and "
        "bands, the last ones into the arms.",
        Setup(DataSpec("spiral"), NetSpec(layers=(Hidden(16, "relu"),) * 3, optimizer="adam",
                                          learning_rate=0.01))),
    "spiral-sin": Preset(
        "The spiral with sin features",
        "Add sin(x1) and sin(x2) as inputs: waves that already follow the arms. One layer of eight neurons now "
        "solves it in a few dozen epochs; without the sin features it never does. Good features are worth "
        "many layers.",
        Setup(DataSpec("spiral"), NetSpec(features=SIN, layers=(Hidden(8),), optimizer="adam",
                                          learning_rate=0.03))),
    "overfit": Preset(
        "Overfitting: noise and little data",
        "Noisy points and only 10% of them to train on, and a big network. Show the test points: the "
        "boundary wraps around single training points, the training loss falls and the test loss rises.",
        Setup(DataSpec("circle", noise=35, train_percent=10), NetSpec(layers=(Hidden(16, "relu"),) * 4,
                                                                      optimizer="adam", learning_rate=0.01),
              show_test=True)),
    "overfit-l2": Preset(
        "Overfitting cured by L2",
        "The same data and network, with an L2 penalty on the weights: the boundary stays smooth and the test "
        "loss stays close to the training loss.",
        Setup(DataSpec("circle", noise=35, train_percent=10),
              NetSpec(layers=(Hidden(16, "relu"),) * 4, optimizer="adam", learning_rate=0.01, regularization="l2",
                      regularization_rate=0.01), show_test=True)),
    "mse": Preset(
        "Mean squared error instead of cross-entropy",
        "The same network on the circle with MSE as the loss: a wrong and confident prediction costs at most 1, "
        "so learning is slower than with cross-entropy. Switch the loss back and compare the epochs.",
        Setup(DataSpec("circle"), NetSpec(loss="mse"))),
    "three-spirals": Preset(
        "Three classes: a three-arm spiral",
        "Softmax gives each of the three arms a probability; each colour of the map is where its class wins.",
        Setup(DataSpec("spiral", classes=3), NetSpec(features=SIN, layers=(Hidden(12),) * 2, optimizer="adam",
                                                     learning_rate=0.01))),
}


def preset_of(setup: Setup) -> str | None:
    """The name of the preset equal to `setup`, if any."""
    return next((name for name, preset in PRESETS.items() if preset.setup == setup), None)


@dataclass(frozen=True)
class Control:
    """A group of controls a teacher's link can hide (?hide=name,name); `advanced`: presenter mode hides it."""

    title: str
    advanced: bool = False


CONTROLS: dict[str, Control] = {
    "data": Control("Data set"), "noise": Control("Noise"), "ratio": Control("Training share"),
    "points": Control("Your points (click, CSV)", advanced=True), "features": Control("Input features"),
    "layers": Control("Hidden layers"), "activation": Control("Activations"),
    "learning_rate": Control("Learning rate"), "optimizer": Control("Optimizer"),
    "batch_size": Control("Batch size", advanced=True), "loss": Control("Loss", advanced=True),
    "regularization": Control("Regularization"), "dropout": Control("Dropout and batch norm", advanced=True),
    "seed": Control("Seeds", advanced=True), "export": Control("Export", advanced=True),
}


def parse_hidden(text: str | None) -> tuple[frozenset[str], list[str]]:
    """(known control names, unknown names) of a ?hide= value such as 'features,regularization'."""
    names = [name.strip() for name in (text or "").split(",") if name.strip()]
    return frozenset(n for n in names if n in CONTROLS), [n for n in names if n not in CONTROLS]


def setup_dict(setup: Setup) -> dict[str, Any]:
    """The full setup as plain data (for the command line's summary)."""
    return asdict(setup)
