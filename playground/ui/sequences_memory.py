"""The Sequences page's second tab: gradient size vs distance, and the distant-signal task trained live."""

from __future__ import annotations

import streamlit as st

from playground.charts.sequences import gradient_figure, memory_curves
from playground.sequences.gradients import KERAS_FORGET_BIAS, STEPS_RANGE, gradient_curves
from playground.sequences.memory_task import LIMITS, MemoryConfig, MemoryRun
from playground.ui.polling import live_fragment
from playground.ui.presenter import presenter_mode, scaled, show_figure
from playground.ui.session import latest_job, next_number, start_job
from playground.ui.state import keys
from playground.ui.training_panel import STATUS_TEXT, progress_bar, status_message

K = keys("seq")
RUNS = K("memory_runs")
KEPT = {"persist_state": "session"}  # the values survive a visit to another tab


@st.cache_data(max_entries=32, show_spinner="Measuring gradients with tf.GradientTape…")
def measured_curves(steps: int, forget_bias: float) -> dict:
    return gradient_curves(steps, forget_bias=forget_bias)


def gradient_part() -> None:
    st.markdown("Backpropagation through time multiplies one factor per step. Measured here with "
                "`tf.GradientTape` on fresh Keras layers (32 units, random inputs): how much does the **last** "
                "output change when an input **k steps earlier** changes?")
    left, right = st.columns(2)
    steps = left.slider("Sequence length", *STEPS_RANGE, 100, 10, key=K("grad_steps"), **KEPT)
    forget_bias = right.slider("LSTM forget-gate bias at the start", -2.0, 6.0, KERAS_FORGET_BIAS, 0.5,
                               key=K("grad_forget_bias"), **KEPT,
                               help="Keras starts it at 1, so the forget gate is σ(1) ≈ 0.73: the cell state keeps "
                                    "73% per step. At 3 it keeps σ(3) ≈ 95%.")
    curves = measured_curves(int(steps), float(forget_bias))
    show_figure(gradient_figure(curves, "At initialization", height=scaled(360)), key=K("gradients_init"))
    far = int(steps) - 1
    st.caption(" · ".join(f"{kind}: {curve.ratio(min(far, 50)):.1e} of its size at distance 0 after "
                          f"{min(far, 50)} steps" for kind, curve in curves.items()) +
               ". On a log scale, a straight falling line is a gradient that vanishes exponentially. A fresh LSTM "
               "is no better than a SimpleRNN: its cell state is multiplied by the forget gate at every step, and "
               "0.73ⁿ vanishes too. Move the forget-gate bias up and watch the LSTM's line flatten: that path is "
               "what the SimpleRNN does not have. Training can open the forget gate; below, it does.")


def memory_settings() -> MemoryConfig:
    left, middle, right = st.columns(3)
    steps = left.slider("Sequence length", 10, 200, MemoryConfig.steps, 10, key=K("mem_steps"), **KEPT,
                        help="How far back the value to remember is.")
    forget_bias = middle.slider("LSTM forget-gate bias at the start", -2.0, 6.0, MemoryConfig.forget_bias, 0.5,
                                key=K("mem_forget_bias"), **KEPT,
                                help="1 is Keras' default: then the LSTM rarely finds the distant value in a few "
                                     "epochs. 3 (the 'chrono' idea: start with long memory) lets it.")
    epochs = right.slider("Epochs", 1, int(LIMITS["epochs"][1]), MemoryConfig.epochs, key=K("mem_epochs"), **KEPT)
    return MemoryConfig(steps=int(steps), forget_bias=float(forget_bias), epochs=int(epochs))


def times(ratio: float) -> str:
    """0.5 -> '0.5×', 8.0 -> '8×', 7.4e-05 -> '7.4e-05×'."""
    return f"{ratio:.2g}×" if ratio >= 0.01 else f"{ratio:.1e}×"


def share(remembered: float) -> str:
    """'nothing' up to 2% (below 0 is worse than always answering 0), else a percentage."""
    return "nothing" if remembered < 0.02 else f"{remembered:.0%}"


def memory_view(run: MemoryRun) -> None:
    st.markdown(f"**{run.name}** · {STATUS_TEXT.get(run.status, run.status)} · on {run.device}")
    if run.working:
        progress_bar(run, run.config.epochs, unit="sequences")
    status_message(run)
    show_figure(memory_curves(run.history, run.branches(), run.config.epochs, height=scaled(330)),
                key=K("memory_curves"))
    if run.history:
        last = run.history[-1]
        st.caption(f"After epoch {last['epoch']}: the SimpleRNN's answer carries {share(last['val_simplernn'])} of "
                   f"the first value, the LSTM's {share(last['val_lstm'])} (on 500 sequences it never trained on).")


def memory_part() -> None:
    st.markdown("**The distant signal.** Each sequence starts with a value between −1 and 1 (flagged by a second "
                "input), then noise. After the last step the network must say what the first value was. Both "
                "networks have 16 units and see the same batches.")
    config = memory_settings()
    run: MemoryRun | None = latest_job(RUNS)
    busy = run is not None and run.working
    train, stop = st.columns(2)
    if train.button("Train both", type="primary", icon=":material/play_arrow:", disabled=busy, key=K("mem_train"),
                    width="stretch"):
        start_job(MemoryRun(config=config, name=f"SimpleRNN vs LSTM · run {next_number(RUNS)}"), RUNS)
        st.rerun()
    stop.button("Stop", icon=":material/stop:", disabled=not busy, key=K("mem_stop"), width="stretch",
                on_click=run.stop if busy else None)
    if run is None:
        st.caption(f"About a minute for {MemoryConfig.epochs} epochs of 2,000 sequences on two CPU cores.")
        return
    live_fragment(run, lambda: memory_view(run))
    if run.done and run.gradients:
        show_figure(gradient_figure(run.gradients, "After training on this task", height=scaled(340)),
                    key=K("gradients_trained"))
        lstm, rnn = run.gradients["LSTM"], run.gradients["SimpleRNN"]
        far = len(lstm.size) - 1
        if not presenter_mode():
            st.caption(f"The same measure on the trained networks, on sequences of this task: at the first step, "
                       f"{far} steps back, the LSTM's gradient is {times(lstm.ratio(far))} its size at the last "
                       f"step; the SimpleRNN's is {times(rnn.ratio(far))}. Whatever a network cannot feel through "
                       "its gradient, it cannot learn to use.")


def forgetting_tab() -> None:
    gradient_part()
    st.divider()
    memory_part()

