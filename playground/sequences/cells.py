"""The arithmetic of one LSTM, GRU and SimpleRNN step in NumPy, gate by gate, and unrolled over a typed sequence.

The weights use Keras' own layout, so a test can hand the same arrays to keras.layers.LSTMCell / GRUCell /
SimpleRNNCell and compare: kernel (inputs, k·units) multiplies x_t, recurrent (units, k·units) multiplies h_{t-1},
with the k gates side by side in Keras' order (LSTM: i, f, c, o; GRU: z, r, h).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

MAX_TYPED_STEPS = 60
MAX_TYPED_VALUE = 1e6


class SequenceError(ValueError):
    """A typed sequence that cannot be used; the message says why."""


def sigmoid(x: np.ndarray) -> np.ndarray:
    return 0.5 * (1.0 + np.tanh(0.5 * x))  # 1 / (1 + e^-x) without overflow for large -x


@dataclass(frozen=True)
class CellWeights:
    """A recurrent cell's weights in Keras' layout (see the module docstring); bias (k·units,) or GRU's (2, 3·units)."""

    kernel: np.ndarray
    recurrent: np.ndarray
    bias: np.ndarray

    @property
    def units(self) -> int:
        return self.recurrent.shape[0]

    def as_keras(self) -> list[np.ndarray]:
        """The list keras cell.set_weights() takes."""
        return [np.asarray(w, np.float32) for w in (self.kernel, self.recurrent, self.bias)]


def weights_from_gates(gates: dict[str, tuple[float, float, float]], order: str) -> CellWeights:
    """One input, one unit: {gate: (w on x_t, u on h_{t-1}, bias)} in `order` ("ifco" for LSTM, "h" for SimpleRNN).

    A GRU takes "zrh": its one bias per gate goes on the input side; the recurrent side's bias is 0.
    """
    w, u, b = (np.array([[gates[g][k] for g in order]], dtype=float) for k in range(3))
    bias = b[0] if order != "zrh" else np.stack([b[0], np.zeros(len(order))])
    return CellWeights(w, u, bias)


def _split(z: np.ndarray, parts: int) -> list[np.ndarray]:
    return np.split(np.asarray(z, dtype=float), parts, axis=-1)


@dataclass(frozen=True)
class LSTMStep:
    """Every value of one LSTM step (the pre-activations z_* and the gates they make)."""

    x: np.ndarray
    h_prev: np.ndarray
    c_prev: np.ndarray
    z_i: np.ndarray
    z_f: np.ndarray
    z_c: np.ndarray
    z_o: np.ndarray
    i: np.ndarray  # input gate: how much of the candidate gets written
    f: np.ndarray  # forget gate: how much of the old cell state is kept
    c_tilde: np.ndarray  # candidate: what could be written
    o: np.ndarray  # output gate: how much of the cell state is shown as h
    c: np.ndarray
    h: np.ndarray


def lstm_step(x: np.ndarray, h_prev: np.ndarray, c_prev: np.ndarray, weights: CellWeights) -> LSTMStep:
    """One step of keras.layers.LSTMCell (sigmoid gates, tanh candidate and output)."""
    x, h_prev, c_prev = (np.atleast_1d(np.asarray(v, dtype=float)) for v in (x, h_prev, c_prev))
    z = x @ weights.kernel + h_prev @ weights.recurrent + weights.bias
    z_i, z_f, z_c, z_o = _split(z, 4)
    i, f, c_tilde, o = sigmoid(z_i), sigmoid(z_f), np.tanh(z_c), sigmoid(z_o)
    c = f * c_prev + i * c_tilde
    return LSTMStep(x, h_prev, c_prev, z_i, z_f, z_c, z_o, i, f, c_tilde, o, c, o * np.tanh(c))


@dataclass(frozen=True)
class GRUStep:
    """Every value of one GRU step (Keras' default reset_after=True form)."""

    x: np.ndarray
    h_prev: np.ndarray
    z: np.ndarray  # update gate: how much of the old state is kept
    r: np.ndarray  # reset gate: how much of the old state the candidate may look at
    h_tilde: np.ndarray  # candidate state
    h: np.ndarray


def gru_step(x: np.ndarray, h_prev: np.ndarray, weights: CellWeights) -> GRUStep:
    """One keras.layers.GRUCell step; reset_after=True: the reset gate scales U_h·h_{t-1} + b after the product."""
    x, h_prev = (np.atleast_1d(np.asarray(v, dtype=float)) for v in (x, h_prev))
    bias = np.asarray(weights.bias, dtype=float).reshape(2, -1)
    x_z, x_r, x_h = _split(x @ weights.kernel + bias[0], 3)
    h_z, h_r, h_h = _split(h_prev @ weights.recurrent + bias[1], 3)
    z, r = sigmoid(x_z + h_z), sigmoid(x_r + h_r)
    h_tilde = np.tanh(x_h + r * h_h)
    return GRUStep(x, h_prev, z, r, h_tilde, z * h_prev + (1.0 - z) * h_tilde)


@dataclass(frozen=True)
class RNNStep:
    """One step of a plain recurrent cell: h_t = tanh(W·x_t + U·h_{t-1} + b)."""

    x: np.ndarray
    h_prev: np.ndarray
    z: np.ndarray
    h: np.ndarray


def rnn_step(x: np.ndarray, h_prev: np.ndarray, weights: CellWeights) -> RNNStep:
    """One step of keras.layers.SimpleRNNCell (tanh)."""
    x, h_prev = (np.atleast_1d(np.asarray(v, dtype=float)) for v in (x, h_prev))
    z = x @ weights.kernel + h_prev @ weights.recurrent + weights.bias
    return RNNStep(x, h_prev, z, np.tanh(z))


@dataclass
class Unrolled:
    """A cell run over a sequence: its states after each step, and every step's values."""

    kind: str
    h: np.ndarray  # (steps, units)
    c: np.ndarray | None  # (steps, units), LSTM only
    steps: list = field(default_factory=list)


def unroll(kind: str, xs: np.ndarray, weights: CellWeights, h0: np.ndarray | float = 0.0,
           c0: np.ndarray | float = 0.0) -> Unrolled:
    """Run the 'LSTM', 'GRU' or 'SimpleRNN' cell over xs (steps,) or (steps, inputs), from state h0 (and c0)."""
    xs = np.asarray(xs, dtype=float)
    xs = xs[:, None] if xs.ndim == 1 else xs
    units = weights.units
    h = np.broadcast_to(np.asarray(h0, dtype=float), (units,)).copy()
    c = np.broadcast_to(np.asarray(c0, dtype=float), (units,)).copy()
    steps = []
    for x in xs:
        if kind == "LSTM":
            step = lstm_step(x, h, c, weights)
            c = step.c
        elif kind == "GRU":
            step = gru_step(x, h, weights)
        elif kind == "SimpleRNN":
            step = rnn_step(x, h, weights)
        else:
            raise ValueError(f"Unknown cell {kind!r}: LSTM, GRU or SimpleRNN.")
        h = step.h
        steps.append(step)
    hs = np.array([s.h for s in steps]).reshape(len(steps), units)
    cs = np.array([s.c for s in steps]).reshape(len(steps), units) if kind == "LSTM" else None
    return Unrolled(kind, hs, cs, steps)


def parse_sequence(text: str, max_steps: int = MAX_TYPED_STEPS) -> np.ndarray:
    """'1, 0.5 -2' -> array([1., 0.5, -2.]); SequenceError for nothing, too many values, or a non-number."""
    parts = [p for p in text.replace(",", " ").replace(";", " ").split() if p]
    if not parts:
        raise SequenceError("Type at least one number, e.g. 1, 0, 0, -1.")
    if len(parts) > max_steps:
        raise SequenceError(f"That is {len(parts)} values; the cell is unrolled over at most {max_steps}. "
                            "Shorten the sequence.")
    values = []
    for position, part in enumerate(parts, start=1):
        try:
            value = float(part)
        except ValueError:
            raise SequenceError(f"Value {position} ({part[:20]!r}) is not a number. Separate numbers with commas "
                                "or spaces, with a dot for decimals: 1, -0.5, 2.") from None
        if not math.isfinite(value) or abs(value) > MAX_TYPED_VALUE:
            raise SequenceError(f"Value {position} ({part[:20]}) is too large: use numbers between "
                                f"−{MAX_TYPED_VALUE:g} and {MAX_TYPED_VALUE:g}.")
        values.append(value)
    return np.array(values)


@dataclass(frozen=True)
class Line:
    """One quantity of a step, for a one-input, one-unit cell: its formula, the same with numbers, its value."""

    symbol: str  # LaTeX, e.g. "f_t"
    name: str
    formula: str  # LaTeX
    numbers: str  # LaTeX: the formula's right-hand side with this step's numbers
    value: float
    idea: str


def _n(value: float) -> str:
    """A number as short as it can be written at two decimals: 3, 0.5, (−1.25)."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    text = "0" if text in ("-0", "") else text
    return f"({text})" if text.startswith("-") else text


def _gate(weights: CellWeights, column: int, x: float, h: float, bias: float) -> str:
    return f"{_n(weights.kernel[0, column])} \\cdot {_n(x)} + {_n(weights.recurrent[0, column])} \\cdot {_n(h)} " \
           f"+ {_n(bias)}"


def lstm_lines(step: LSTMStep, weights: CellWeights) -> list[Line]:
    """The LSTM step written out gate by gate (one input, one unit)."""
    x, h, c = float(step.x[0]), float(step.h_prev[0]), float(step.c_prev[0])
    b = np.asarray(weights.bias, dtype=float).reshape(-1)
    names = ("z_i", "z_f", "z_c", "z_o", "i", "f", "c_tilde", "o", "c", "h")
    v = {name: float(getattr(step, name)[0]) for name in names}

    def gate(symbol: str, name: str, letter: str, column: int, act: str, idea: str, z: str, value: str) -> Line:
        return Line(symbol, name, f"{act}(W_{letter} x_t + U_{letter} h_{{t-1}} + b_{letter})",
                    f"{act}({_gate(weights, column, x, h, b[column])}) = {act}({v[z]:.2f})", v[value], idea)

    return [
        gate("f_t", "forget gate", "f", 1, r"\sigma", "How much of the old cell state to keep: 1 keeps all, 0 erases.",
             "z_f", "f"),
        gate("i_t", "input gate", "i", 0, r"\sigma", "How much of the candidate to write into the cell state.",
             "z_i", "i"),
        gate(r"\tilde c_t", "candidate", "c", 2, r"\tanh", "What could be written: a new value between −1 and 1.",
             "z_c", "c_tilde"),
        gate("o_t", "output gate", "o", 3, r"\sigma", "How much of the cell state to show as the output $h_t$.",
             "z_o", "o"),
        Line("c_t", "new cell state", r"f_t \odot c_{t-1} + i_t \odot \tilde c_t",
             f"{v['f']:.2f} \\cdot {_n(c)} + {v['i']:.2f} \\cdot {_n(v['c_tilde'])}", v["c"],
             "The memory: kept old part plus written new part. Only multiplied and added, never squashed, so it "
             "can carry a value over many steps."),
        Line("h_t", "new hidden state (output)", r"o_t \odot \tanh(c_t)",
             f"{v['o']:.2f} \\cdot \\tanh({_n(v['c'])})", v["h"], "What the cell outputs, and feeds back next step."),
    ]


def gru_lines(step: GRUStep, weights: CellWeights) -> list[Line]:
    """The GRU step written out gate by gate (one input, one unit; Keras' reset_after form)."""
    x, h = float(step.x[0]), float(step.h_prev[0])
    b = np.asarray(weights.bias, dtype=float).reshape(2, -1)
    z, r, ht, hn = (float(getattr(step, name)[0]) for name in ("z", "r", "h_tilde", "h"))
    k, u = weights.kernel[0], weights.recurrent[0]
    return [
        Line("z_t", "update gate", r"\sigma(W_z x_t + U_z h_{t-1} + b_z)",
             rf"\sigma({_gate(weights, 0, x, h, b[0, 0] + b[1, 0])})", z,
             "How much of the old state to keep (1 keeps it, 0 replaces it by the candidate)."),
        Line("r_t", "reset gate", r"\sigma(W_r x_t + U_r h_{t-1} + b_r)",
             rf"\sigma({_gate(weights, 1, x, h, b[0, 1] + b[1, 1])})", r,
             "How much of the old state the candidate may look at."),
        Line(r"\tilde h_t", "candidate", r"\tanh(W_h x_t + b_h + r_t \odot (U_h h_{t-1}))",
             rf"\tanh({_n(k[2])} \cdot {_n(x)} + {_n(b[0, 2])} + {r:.2f} \cdot {_n(u[2])} \cdot {_n(h)})", ht,
             "A new state proposed from the input and the (reset) old state."),
        Line("h_t", "new state (output)", r"z_t \odot h_{t-1} + (1 - z_t) \odot \tilde h_t",
             rf"{z:.2f} \cdot {_n(h)} + {1 - z:.2f} \cdot {_n(ht)}", hn,
             "A mix of old and new: with z near 1 the state passes unchanged, like the LSTM's cell state."),
    ]


def rnn_lines(step: RNNStep, weights: CellWeights) -> list[Line]:
    """The SimpleRNN step written out (one input, one unit)."""
    x, h = float(step.x[0]), float(step.h_prev[0])
    b = float(np.asarray(weights.bias, dtype=float).reshape(-1)[0])
    return [Line("h_t", "new state (output)", r"\tanh(W x_t + U h_{t-1} + b)",
                 rf"\tanh({_gate(weights, 0, x, h, b)}) = \tanh({float(step.z[0]):.2f})", float(step.h[0]),
                 "The whole memory goes through tanh and a multiplication by U at every step: after many steps "
                 "little of an early input is left.")]
