"""The Sequences page's first tab: one LSTM step with its numbers, a SimpleRNN beside it, both unrolled."""

from __future__ import annotations

import numpy as np
import streamlit as st

from playground.charts.sequences import gate_bars, unrolled_figure
from playground.sequences.cells import (
    Line,
    SequenceError,
    gru_lines,
    gru_step,
    lstm_lines,
    lstm_step,
    parse_sequence,
    rnn_lines,
    rnn_step,
    unroll,
    weights_from_gates,
)
from playground.ui.presenter import presenter_mode, scaled, show_figure
from playground.ui.state import keys

K = keys("seq")
# (w on x_t, u on h_{t-1}, b) per gate. These defaults make a memory: the forget and input gates stand open
# (σ(3) = 0.95), the candidate is tanh(2·x_t), so a 1 typed once stays in c_t while the SimpleRNN's h_t fades.
LSTM_START = {"f": (0.0, 0.0, 3.0), "i": (0.0, 0.0, 3.0), "c": (2.0, 0.0, 0.0), "o": (0.0, 0.0, 1.0)}
RNN_START = (2.0, 0.5, 0.0)
# The GRU: its update gate z keeps the old state (σ(3) = 0.95) unless a large input opens it for writing.
GRU_WEIGHTS = weights_from_gates({"z": (-4.0, 0.0, 3.0), "r": (0.0, 0.0, 3.0), "h": (2.0, 0.5, 0.0)}, "zrh")
GATE_TITLES = {"f": "forget gate f", "i": "input gate i", "c": "candidate c̃", "o": "output gate o"}
DEFAULT_SEQUENCE = "1, 0, 0, 0, 0, 0, -1, 0, 0, 0, 0, 0"


def _slider(label: str, start: float, key: str, low: float = -4.0, high: float = 4.0, help: str | None = None) -> float:
    return float(st.slider(label, low, high, start, 0.1, key=K(key), bind="query-params", help=help))


def show_lines(lines: list[Line], number: int = 3) -> None:
    """Each quantity: its formula, then the same with this step's numbers, and its value."""
    for line in lines:
        st.latex(rf"\begin{{aligned}} {line.symbol} &= {line.formula} \\ &= {line.numbers} = "
                 rf"\mathbf{{{line.value:.{number}f}}} \end{{aligned}}")
        if not presenter_mode():
            st.caption(f"**{line.name}** — {line.idea}")


def state_controls() -> tuple[float, float, float]:
    """x_t, h_{t-1} and c_{t-1} from sliders (in the link)."""
    x = _slider("$x_t$: the input now", 1.0, "x", -2.0, 2.0)
    h = _slider("$h_{t-1}$: the previous output", 0.0, "h", -1.0, 1.0, help="What the cell output one step earlier.")
    c = _slider("$c_{t-1}$: the previous cell state", 0.0, "c", -3.0, 3.0,
                help="The LSTM's memory before this step.")
    return x, h, c


def gate_weights() -> dict[str, tuple[float, float, float]]:
    """The LSTM's three numbers per gate, from sliders (in the link): W on x_t, U on h_{t-1}, the bias b."""
    gates = {}
    with st.expander("Weights of the four gates: $W$ multiplies $x_t$, $U$ multiplies $h_{t-1}$, $b$ is the bias",
                     expanded=not presenter_mode()):
        for column, (gate, (w, u, b)) in zip(st.columns(4, gap="medium"), LSTM_START.items()):
            with column:
                st.markdown(f"**{GATE_TITLES[gate]}**")
                gates[gate] = (_slider(f"$W_{gate}$", w, f"lstm_{gate}_w"), _slider(f"$U_{gate}$", u, f"lstm_{gate}_u"),
                               _slider(f"$b_{gate}$", b, f"lstm_{gate}_b"))
    return gates


def cell_tab() -> None:
    st.markdown("An LSTM cell keeps two things from step to step: its output **h** and its **cell state c**, a "
                "memory that gates can write to and erase. Here it has one input and one unit, so every weight is "
                "a single number and every gate a single value between 0 (closed) and 1 (open).")
    controls, numbers = st.columns([2, 3], gap="large")
    with controls:
        x, h, c = state_controls()
        bars = st.container()
    gates = gate_weights()  # full width, below: the step's numbers above need them first
    weights = weights_from_gates(gates, "ifco")
    step = lstm_step(x, h, c, weights)
    lines = lstm_lines(step, weights)
    with numbers:
        st.markdown("**One LSTM step, gate by gate**")
        show_lines(lines)
    with bars:
        show_figure(gate_bars([line.name for line in lines], [line.value for line in lines], height=scaled(260)),
                    key=K("gate_bars"))

    st.subheader("Beside it: a plain recurrent cell (SimpleRNN)")
    rnn_controls, rnn_numbers = st.columns([2, 3], gap="large")
    with rnn_controls:
        rnn = [_slider(label, start, f"rnn_{name}") for label, start, name in
               zip(("$W$ (multiplies $x_t$)", "$U$ (multiplies $h_{t-1}$)", "$b$"), RNN_START, "wub")]
    rnn_weights = weights_from_gates({"h": tuple(rnn)}, "h")
    with rnn_numbers:
        st.caption("Same input $x_t$ and previous output $h_{t-1}$ as the LSTM above. No gates and no cell state: "
                   "everything it remembers is squeezed through tanh and multiplied by $U$ at every step.")
        show_lines(rnn_lines(rnn_step(x, h, rnn_weights), rnn_weights))
    if not presenter_mode():
        with st.expander("And the GRU? (a simpler gated cell)"):
            st.caption("The GRU merges the LSTM's forget and input gates into one update gate z and has no "
                       "separate cell state. Same $x_t$ and $h_{t-1}$; fixed weights: $z_t = σ(−4x_t + 3)$, so a "
                       "large input opens it for writing and otherwise it keeps 95% of the old state; "
                       "$r_t = σ(3)$; candidate $W = 2$, $U = 0.5$.")
            show_lines(gru_lines(gru_step(x, h, GRU_WEIGHTS), GRU_WEIGHTS))

    st.subheader("Unrolled over a sequence")
    st.caption("The same cells, the same weights, one step per input, starting from the $h_{t-1}$ and $c_{t-1}$ "
               "above. With the starting weights, the LSTM's cell state holds on to a 1 long after the "
               "SimpleRNN has forgotten it.")
    text = st.text_input("Inputs $x_1, x_2, \\dots$ (numbers separated by commas or spaces)", DEFAULT_SEQUENCE,
                         key=K("sequence"), bind="query-params", max_chars=600)
    try:
        xs = parse_sequence(text)
    except SequenceError as error:
        st.error(str(error), icon=":material/error:")
        return
    lstm_run = unroll("LSTM", xs, weights, h, c)
    states = {"LSTM c_t": lstm_run.c[:, 0], "LSTM h_t": lstm_run.h[:, 0],
              "SimpleRNN h_t": unroll("SimpleRNN", xs, rnn_weights, h).h[:, 0]}
    if not presenter_mode():
        states["GRU h_t"] = unroll("GRU", xs, GRU_WEIGHTS, h).h[:, 0]
    show_figure(unrolled_figure(xs, states, height=scaled(340)), key=K("unrolled"))
    last = len(xs)
    st.caption(f"After step {last}: LSTM c_t = {lstm_run.c[-1, 0]:.3f}, h_t = {lstm_run.h[-1, 0]:.3f}; "
               f"SimpleRNN h_t = {states['SimpleRNN h_t'][-1]:.3f}. "
               f"Forget gate at the last step: {float(np.asarray(lstm_run.steps[-1].f)[0]):.3f}.")
