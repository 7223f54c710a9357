"""The recurrent entries of the layer table (SimpleRNN, LSTM, GRU, Bidirectional): shapes, counts, Keras, code, files.

core/layers.py makes the LayerKinds from these functions; they read a sequence of shape (steps, features), such as
MNIST as rows (28 steps of 28 pixels), and output the state after the last step, (units,), or after every step,
(steps, units), to stack another recurrent layer.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from playground.core.params import Param, Params, SpecError, show

Shape = tuple[int, ...]
Refuse = Callable[[str], Exception]

GATES: dict[str, int] = {"SimpleRNN": 1, "LSTM": 4, "GRU": 3}  # weight blocks per unit: gates and candidate
HELP: dict[str, str] = {
    "SimpleRNN": "Reads a sequence step by step: state = activation(W·input + U·previous state + b). Forgets fast.",
    "LSTM": "Reads a sequence step by step with a cell state that forget, input and output gates protect: "
            "long memory.",
    "GRU": "Like the LSTM with two gates (update, reset) and no separate cell state: a lighter long memory.",
    "Bidirectional": "Runs a recurrent layer forwards and a copy backwards over the sequence and puts both outputs "
                     "side by side.",
}
UNITS = Param("units", 64, "How many numbers the layer's state (its memory) holds: its outputs per step.", 1, 1024)
RETURN_SEQUENCES = Param("return_sequences", "no", "no: only the state after the last step (then Dense); yes: the "
                         "state after every step (then another recurrent layer).", choices=("no", "yes"),
                         label="every step")
CELL = Param("layer", "LSTM", "Which recurrent layer runs in both directions.", choices=tuple(GATES))


def count(kind: str, units: int, features: int) -> int:
    """Trained weights: per block W (features × units), U (units × units) and a bias; Keras' GRU has two biases."""
    biases = 2 if kind == "GRU" else 1  # reset_after=True, Keras' default, keeps an input and a recurrent bias
    return GATES[kind] * units * (features + units + biases)


def _needs_sequence(shape: Shape, where: str, no: int) -> None:
    if len(shape) == 2:
        return
    if len(shape) == 3:
        raise SpecError(f"{where} reads sequences (steps × features) but receives images of shape "
                        f"{' × '.join(map(str, shape))}. Pick the dataset 'MNIST as rows': each image becomes 28 steps "
                        "of 28 pixels.", no)
    raise SpecError(f"{where} reads sequences (steps × features) but receives a flat vector of {shape[0]} values. "
                    "Put recurrent layers first, or after another one set to output every step.", no)


def output(kind: str) -> Callable[[Params, Shape, str, int], tuple[Shape, int]]:
    def shape_and_count(p: Params, shape: Shape, where: str, no: int) -> tuple[Shape, int]:
        _needs_sequence(shape, where, no)
        cell, units = p.get("layer", kind), p["units"]
        directions = 2 if kind == "Bidirectional" else 1
        width = directions * units  # Bidirectional puts both directions' outputs side by side
        out = (shape[0], width) if p["return_sequences"] == "yes" else (width,)
        return out, directions * count(cell, units, shape[1])

    return shape_and_count


def describe(kind: str) -> Callable[[Params], str]:
    def label(p: Params) -> str:
        every = ", every step" if p["return_sequences"] == "yes" else ""
        if kind == "Bidirectional":
            return f"Bidirectional({p['layer']}({p['units']}){every})"
        activation = f", {p['activation']}" if p.get("activation", "tanh") != "tanh" else ""
        return f"{kind}({p['units']}{activation}{every})"

    return label


def _keras_layer(cell: str, p: Params, name: str, seed: int) -> Any:
    import keras

    extra = {"activation": p["activation"]} if cell == "SimpleRNN" and "activation" in p else {}
    return getattr(keras.layers, cell)(
        p["units"], return_sequences=p["return_sequences"] == "yes", name=name, seed=seed,
        kernel_initializer=keras.initializers.GlorotUniform(seed=seed),
        recurrent_initializer=keras.initializers.Orthogonal(seed=seed + 500), **extra)


def build(kind: str) -> Callable[[Params, str, int], Any]:
    def make(p: Params, name: str, seed: int) -> Any:
        if kind != "Bidirectional":
            return _keras_layer(kind, p, name, seed)
        import keras

        return keras.layers.Bidirectional(_keras_layer(p["layer"], p, f"{name}_{p['layer'].lower()}", seed), name=name)

    return make


def code(kind: str) -> Callable[[Params], str]:
    def line(p: Params) -> str:
        cell = p.get("layer", kind)
        args = [str(p["units"])]
        if cell == "SimpleRNN" and p.get("activation", "tanh") != "tanh":
            args.append(f'activation="{p["activation"]}"')
        if p["return_sequences"] == "yes":
            args.append("return_sequences=True")
        inner = f"layers.{cell}({', '.join(args)})"
        return f"layers.Bidirectional({inner})" if kind == "Bidirectional" else inner

    return line


# Keras' settings that change what a recurrent layer computes; a file with anything else is refused by name.
_FIXED = {"use_bias": True, "return_state": False, "go_backwards": False, "stateful": False, "dropout": 0,
          "recurrent_dropout": 0, "kernel_regularizer": None, "recurrent_regularizer": None, "bias_regularizer": None,
          "activity_regularizer": None, "kernel_constraint": None, "recurrent_constraint": None,
          "bias_constraint": None}
_GATED = {"activation": "tanh", "recurrent_activation": "sigmoid"}  # LSTM and GRU


ReadActivation = Callable[[dict, Refuse], str]  # the layer table's reader: a known activation's name, or refuse


def _cell_from_keras(cell: str, settings: dict, refuse: Refuse, activation: ReadActivation | None) -> dict[str, Any]:
    fixed = {**_FIXED, **(_GATED if cell != "SimpleRNN" else {}), **({"reset_after": True} if cell == "GRU" else {})}
    for name, expected in fixed.items():
        if settings.get(name, expected) != expected:
            raise refuse(f"has {name} = {show(settings.get(name))} (the playground builds it with {show(expected)})")
    sequences = settings.get("return_sequences", False)
    if not isinstance(sequences, bool):
        raise refuse(f"has return_sequences = {show(sequences)}")
    found = {"units": settings.get("units"), "return_sequences": "yes" if sequences else "no"}
    if cell == "SimpleRNN":
        if activation is None:  # inside Bidirectional, which has no activation setting
            if settings.get("activation", "tanh") != "tanh":
                raise refuse(f"wraps a SimpleRNN with the activation {show(settings.get('activation'))}")
        else:
            found["activation"] = activation({"activation": settings.get("activation", "tanh")}, refuse)
    return found


def from_keras(kind: str, activation: ReadActivation) -> Callable[[dict, Refuse], dict[str, Any]]:
    def read(settings: dict, refuse: Refuse) -> dict[str, Any]:
        if kind != "Bidirectional":
            return _cell_from_keras(kind, settings, refuse, activation)
        if settings.get("merge_mode", "concat") != "concat":
            raise refuse(f"merges its directions by {show(settings.get('merge_mode'))} (only concat loads here)")
        forward, backward = settings.get("layer"), settings.get("backward_layer")
        if not isinstance(forward, dict) or forward.get("class_name") not in GATES:
            raise refuse("does not wrap a SimpleRNN, LSTM or GRU layer")
        inner = forward.get("config") if isinstance(forward.get("config"), dict) else {}
        if backward is not None and (not isinstance(backward, dict) or backward.get("class_name") !=
                                     forward["class_name"] or not isinstance(backward.get("config"), dict) or
                                     backward["config"].get("units") != inner.get("units")):
            raise refuse("runs a different layer backwards than forwards")
        return {"layer": forward["class_name"], **_cell_from_keras(forward["class_name"], inner, refuse, None)}

    return read
