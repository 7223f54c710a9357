"""The Decision boundaries page's settings: one Setup in session state, its widgets, the link, presets and hiding.

The Setup under SETUP is the truth: every widget is drawn with the Setup's value as its default, and what the
widgets show is written back after they are drawn. So a control a teacher's link hides keeps the preset's value,
and one Streamlit forgot (not drawn: hidden, another page visited) comes back showing the Setup.

Loading a Setup (a preset, a link, Regenerate) moves every widget to new keys (VERSION), so each is drawn afresh
with the new default. Not by writing widget keys in session state: Streamlit sends such a value to the browser once,
and a widget the browser had not yet put on screen when the next run came (the page's charts start a run as they
appear) then showed its minimum, which the next click sent back: a click on the map replaced the data set.
"""

from __future__ import annotations

from dataclasses import replace

import streamlit as st

from playground.boundaries.datasets import CURVES, DATASETS, LIMITS, REGRESSION
from playground.boundaries.features import FEATURES, ordered
from playground.boundaries.network import ACTIVATIONS, LOSSES, REGULARIZERS, Hidden, NetSpec
from playground.boundaries.network import LIMITS as NET_LIMITS
from playground.boundaries.presets import (
    CONTROLS,
    PRESETS,
    Setup,
    SetupError,
    from_json,
    parse_hidden,
    preset_of,
    to_json,
)
from playground.core.specs import OPTIMIZERS
from playground.ui.presenter import presenter_mode
from playground.ui.state import keys
from playground.ui.url import new_in_link, put_in_link

K = keys("boundary")

PAGE = "boundary"  # the page's state prefix (ui.state.PREFIXES); widget keys are K("w_...")
SETUP = K("setup")
LEARNING_RATES = (0.00001, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)  # TFP's menu
PENALTY_RATES = (0.0, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)


def current() -> Setup:
    return st.session_state.setdefault(SETUP, Setup())


VERSION = K("version")  # bumped by load(): part of every widget key


def _key(name: str) -> str:
    """The widget key for `name` (names start with w_) under the current Setup version."""
    return K(f"{name}_{st.session_state.get(VERSION, 0)}")


def _select(where: object, label: str, options: object, value: object, name: str, **kwargs: object) -> object:
    """A selectbox under key `name` showing `value` (the first option if it is not one)."""
    options = list(options)
    return where.selectbox(label, options, key=_key(name), index=options.index(value) if value in options else 0,
                           **kwargs)


def load(setup: Setup) -> None:
    """Make `setup` the page's settings: every widget shows it on the next draw (also widgets drawn before)."""
    st.session_state[SETUP] = setup
    st.session_state[VERSION] = st.session_state.get(VERSION, 0) + 1


def apply_link() -> None:
    """?preset=NAME or ?setup=JSON, applied once per link; a bad one gets a message and changes nothing."""
    found = new_in_link(PAGE, "preset", "setup")
    if found is None:
        return
    kind, value = found
    if kind == "preset":
        if value in PRESETS:
            load(PRESETS[value].setup)
        else:
            st.error(f"Unknown preset {value!r} in the link. Presets: {', '.join(PRESETS)}.",
                     icon=":material/link_off:")
        return
    try:
        load(from_json(value))
    except SetupError as error:
        st.error(f"The settings in the link could not be used: {error}", icon=":material/link_off:")


def sync_link(setup: Setup) -> None:
    """Write the settings into the address bar: ?preset=NAME when they equal a preset, else ?setup=JSON."""
    name = preset_of(setup)
    if name:
        put_in_link(PAGE, "preset", name, drop=("setup",))
    else:
        put_in_link(PAGE, "setup", to_json(setup), drop=("preset",))


def hidden_controls() -> frozenset[str]:
    """Controls to leave out: those named in ?hide=, plus the advanced ones in presenter mode."""
    hidden, unknown = parse_hidden(st.query_params.get("hide"))
    if unknown:
        st.caption(f"Unknown control(s) in the link's hide=: {', '.join(unknown)}. Known: {', '.join(CONTROLS)}.")
    if presenter_mode():
        hidden |= {name for name, control in CONTROLS.items() if control.advanced}
    return hidden


def preset_picker() -> None:
    """The lecture presets menu; choosing one loads it (the link follows)."""
    key, names = _key("w_preset"), list(PRESETS)

    def choose() -> None:
        name = st.session_state[key]
        if name in PRESETS:
            load(PRESETS[name].setup)

    shown = preset_of(current())
    st.selectbox("Lecture preset", names, key=key, index=names.index(shown) if shown else None,
                 placeholder="Pick a lecture demo…", format_func=lambda n: PRESETS[n].title, on_change=choose)


def data_controls(setup: Setup, hidden: frozenset[str]) -> Setup:
    """The data set, its classes or curve, noise, training share and number of points."""
    data = setup.data
    if "data" not in hidden:
        name = _select(st, "Data set", DATASETS, data.name, "w_dataset", format_func=lambda n: DATASETS[n].title)
        low, high = DATASETS[name].classes
        classes = data.classes
        if high > 2:
            classes = st.slider("Classes" if name == "blobs" else "Spiral arms", low, high,
                                key=_key(f"w_classes_{name}"), value=min(max(data.classes, low), high))
        curve = data.curve
        if name == "curve":
            curve = _select(st, "Curve", CURVES, data.curve, "w_curve", format_func=lambda n: CURVES[n].title)
        data = replace(data, name=name, classes=classes, curve=curve)
    if "noise" not in hidden:
        data = replace(data, noise=st.slider("Noise", *LIMITS["noise"], step=5, value=data.noise, key=_key("w_noise"),
                                             help="How far points stray from their class's region (percent)."))
    if "ratio" not in hidden:
        data = replace(data, train_percent=st.slider(
            "Training data (%)", *LIMITS["train_percent"], step=10, key=_key("w_ratio"), value=data.train_percent,
            help="The share of the points the network trains on; the rest test it."))
    if "data" not in hidden and "seed" not in hidden:
        data = replace(data, points=st.slider("Points", 100, LIMITS["points"][1], step=100,
                                              value=min(max(data.points, 100), LIMITS["points"][1]),
                                              key=_key("w_points")))
    return replace(setup, data=data)


def view_controls(setup: Setup) -> Setup:
    """Show the test points; discretize the output."""
    left, right = st.columns(2)
    show_test = left.toggle("Show test data", key=_key("w_show_test"), value=setup.show_test)
    discretize = right.toggle("Discretize output", key=_key("w_discretize"), value=setup.discretize,
                              help="Colour each place by the class the network picks, without shades of doubt.")
    return replace(setup, show_test=show_test, discretize=discretize)


def features_control(setup: Setup, hidden: frozenset[str]) -> tuple[str, ...]:
    if "features" in hidden:
        return setup.net.features
    chosen = st.pills("Input features", list(FEATURES), selection_mode="multi", format_func=lambda n: FEATURES[n].label,
                      wrap=True,
                      key=_key("w_features"), default=list(setup.net.features),
                      help="What the network sees of each point. x1 and x2 are its coordinates.")
    return ordered(chosen)


def _set_layer_count(count: int) -> None:
    setup = current()
    layers = list(setup.net.layers)
    layers = layers[:count] + [layers[-1] if layers else Hidden()] * (count - len(layers))
    load(replace(setup, net=replace(setup.net, layers=tuple(layers))))


def layers_control(setup: Setup, hidden: frozenset[str]) -> tuple[Hidden, ...]:
    """Hidden layers: add or remove one, neurons and activation per layer."""
    layers = setup.net.layers
    if "layers" in hidden and "activation" in hidden:
        return layers
    count = len(layers)
    text, minus, plus = st.columns([4, 1, 1], vertical_alignment="center")
    text.markdown(f"**{count} hidden layer{'s' if count != 1 else ''}**" + (" (neurons, activation)" if count else ""))
    if "layers" not in hidden:
        minus.button("", icon=":material/remove:", key=K("less_layers"), disabled=count == 0, width="stretch",
                     on_click=_set_layer_count, args=(count - 1,), help="Remove the last hidden layer")
        plus.button("", icon=":material/add:", key=K("more_layers"), disabled=count >= NET_LIMITS["layers"][1],
                    width="stretch", on_click=_set_layer_count, args=(count + 1,), help="Add a hidden layer")
    out = []
    for i, layer in enumerate(layers):  # one compact row per layer: the page's pictures matter more than its forms
        name_column, units_column, activation_column = st.columns([1, 2, 2], vertical_alignment="center")
        name_column.markdown(f"Layer {i + 1}")
        units, activation = layer.units, layer.activation
        if "layers" not in hidden:
            units = units_column.number_input(f"Layer {i + 1}: neurons", *map(int, NET_LIMITS["units"]), step=1,
                                              key=_key(f"w_units_{i}"), value=layer.units, label_visibility="collapsed")
        else:
            units_column.markdown(f"{units} neurons")
        if "activation" not in hidden:
            activation = _select(activation_column, f"Layer {i + 1}: activation", ACTIVATIONS, layer.activation,
                                 f"w_activation_{i}", format_func=ACTIVATIONS.get, label_visibility="collapsed")
        else:
            activation_column.markdown(ACTIVATIONS[activation])
        out.append(Hidden(int(units), activation))
    return tuple(out)


def _choices(values: tuple[float, ...], current_value: float) -> list[float]:
    return sorted(set(values) | {current_value})


def training_controls(setup: Setup, task: str, hidden: frozenset[str]) -> NetSpec:
    """One row, as in TFP's top bar: learning rate, optimizer, regularization and its rate, batch size, loss; then
    dropout, batch norm and the seed behind "More"."""
    net = setup.net
    column = iter(st.columns(7, vertical_alignment="bottom"))
    if "learning_rate" not in hidden:
        net = replace(net, learning_rate=_select(
            next(column), "Learning rate", _choices(LEARNING_RATES, net.learning_rate), net.learning_rate, "w_lr",
            format_func=lambda v: f"{v:g}", help="Changing it while training takes effect at once."))
    if "optimizer" not in hidden:
        net = replace(net, optimizer=_select(
            next(column), "Optimizer", OPTIMIZERS, net.optimizer, "w_optimizer",
            format_func=lambda n: OPTIMIZERS[n].title, help="The same keras.optimizers as Build & train."))
    if "regularization" not in hidden:
        kind = _select(next(column), "Regularization", REGULARIZERS, net.regularization, "w_penalty",
                       format_func=REGULARIZERS.get, help="A penalty on large weights.")
        rate = _select(next(column), "Rate", _choices(PENALTY_RATES, net.regularization_rate), net.regularization_rate,
                       "w_penalty_rate", disabled=kind == "none", format_func=lambda v: f"{v:g}",
                       help="The regularization rate: the penalty's weight in the loss.")
        net = replace(net, regularization=kind, regularization_rate=rate)
    if "batch_size" not in hidden:
        net = replace(net, batch_size=int(next(column).number_input(
            "Batch size", *map(int, NET_LIMITS["batch_size"]), step=1, key=_key("w_batch"), value=net.batch_size,
            help="Points per weight update. TFP allows 1-30; larger batches take fewer, smoother steps.")))
    if "loss" not in hidden:
        net = replace(net, loss=_select(
            next(column), "Loss", LOSSES, net.loss, "w_loss", format_func=LOSSES.get, disabled=task == REGRESSION,
            help="Regression always uses mean squared error." if task == REGRESSION else None))
    if "dropout" not in hidden or "seed" not in hidden:
        with next(column).popover("More", icon=":material/tune:", width="stretch"):
            if "dropout" not in hidden:
                net = replace(net, dropout=st.select_slider(
                    "Dropout", _choices((0.0, 0.1, 0.2, 0.3, 0.5), net.dropout), value=net.dropout,
                    key=_key("w_dropout"),
                    help="During training, each hidden neuron is switched off with this probability."),
                              batch_norm=st.toggle("Batch normalization", value=net.batch_norm,
                                                   key=_key("w_batch_norm")))
            if "seed" not in hidden:
                net = replace(net, seed=int(st.number_input(
                    "Weights seed", *map(int, NET_LIMITS["seed"]), step=1, key=_key("w_seed"), value=net.seed,
                    help="Same seed, same starting weights and batches.")))
    return net


def regenerate() -> None:
    """New points of the same kind: the next data seed."""
    setup = current()
    load(replace(setup, data=replace(setup.data, seed=(setup.data.seed + 1) % LIMITS["seed"][1])))
