"""The editor of the Build & train page: layers (add, remove, reorder, edit), training settings, presets, URL."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass, field, replace

import streamlit as st

from playground.core.datasets import DATASET_TITLES, TRAIN_SIZES
from playground.core.presets import EMPTY, PRESETS
from playground.core.specs import (
    ACTIVATIONS,
    LAYER_DEFAULTS,
    LAYER_HELP,
    LIMITS,
    OPTIMIZERS,
    PADDINGS,
    Experiment,
    LayerSpec,
    NetworkSpec,
    SpecError,
    TrainConfig,
    from_json,
    layer,
    to_json,
)
from playground.ui.url import new_in_link, put_in_link

PAGE = "build"  # the prefix of this page's session-state keys
_uids = itertools.count(1)  # widget keys follow a layer when it moves, so its values move with it


@dataclass
class EditorState:
    """The experiment being edited, plus a stable id per layer for widget keys."""

    experiment: Experiment
    uids: list[int] = field(default_factory=list)
    generation: int = 0  # bumped when a whole new experiment is loaded, so every widget starts fresh

    def __post_init__(self) -> None:
        self.uids = [next(_uids) for _ in self.experiment.network.layers]

    def load(self, experiment: Experiment) -> None:
        self.experiment = experiment
        self.uids = [next(_uids) for _ in experiment.network.layers]
        self.generation += 1

    def set_layers(self, layers: list[LayerSpec]) -> None:
        self.experiment = replace(self.experiment, network=NetworkSpec(tuple(layers)))


def _move(state: EditorState, index: int, offset: int) -> None:
    layers, target = list(state.experiment.network.layers), index + offset
    if 0 <= target < len(layers):
        layers[index], layers[target] = layers[target], layers[index]
        state.uids[index], state.uids[target] = state.uids[target], state.uids[index]
        state.set_layers(layers)


def _remove(state: EditorState, index: int) -> None:
    layers = list(state.experiment.network.layers)
    del layers[index]
    del state.uids[index]
    state.set_layers(layers)


def _add(state: EditorState, kind: str, where: str) -> None:
    layers = list(state.experiment.network.layers)
    position = {"at the start": 0, "at the end": len(layers)}.get(where, max(len(layers) - 1, 0))
    layers.insert(position, layer(kind))
    state.uids.insert(position, next(_uids))
    state.set_layers(layers)


def _int_input(label: str, spec: LayerSpec, name: str, key: str) -> int:
    low, high = LIMITS[name]
    return int(st.number_input(label, min_value=int(low), max_value=int(high), value=int(spec.get(name)),
                               step=1, key=key))


def _param_widgets(spec: LayerSpec, uid: int) -> LayerSpec:
    """The widgets of one layer's parameters, side by side; returns the layer with the values they show."""
    params = LAYER_DEFAULTS[spec.kind]
    if not params:
        st.caption(LAYER_HELP[spec.kind])
        return spec
    values = {}
    widths = [1.5 if name in ("activation", "padding") else 1.0 for name in params]
    columns = st.columns([*widths, max(6.5 - sum(widths), 0.01)])  # a filler keeps columns aligned across layers
    for column, name in zip(columns, params):
        key = f"layer_{uid}_{name}"
        with column:
            if name == "activation":
                values[name] = st.selectbox("activation", ACTIVATIONS, index=ACTIVATIONS.index(spec.get(name)),
                                            key=key)
            elif name == "padding":
                values[name] = st.selectbox("padding", PADDINGS, index=PADDINGS.index(spec.get(name)), key=key,
                                            help="valid: no border, the image shrinks; same: zero border, size kept")
            elif name == "rate":
                values[name] = st.number_input("rate", 0.0, LIMITS["rate"][1], float(spec.get(name)), 0.05,
                                               key=key, help="Fraction of values zeroed at random while training.")
            else:
                label = {"kernel_size": "kernel", "pool_size": "pool", "strides": "stride"}.get(name, name)
                values[name] = _int_input(label, spec, name, key)
    return spec.with_params(**values)


def layer_editor(state: EditorState, outcomes: Callable[[NetworkSpec], dict[int, str]]) -> NetworkSpec:
    """Draw the layer list, a card per layer; returns the network as the widgets show it now.

    `outcomes` maps the edited network to a text per 0-based layer index (its output shape, say), which is
    written into each card's title once all widgets have been read.
    """
    layers = state.experiment.network.layers
    edited, titles = [], []
    for index, (spec, uid) in enumerate(zip(layers, state.uids)):
        with st.container(border=True, key=f"layer_box_{uid}"):
            name, buttons = st.columns([8, 1.6], vertical_alignment="center")
            titles.append(name.empty())
            with buttons.container(horizontal=True, gap=None, horizontal_alignment="right"):
                st.button("", icon=":material/arrow_upward:", key=f"up_{uid}", help="Move up", type="tertiary",
                          disabled=index == 0, on_click=_move, args=(state, index, -1))
                st.button("", icon=":material/arrow_downward:", key=f"down_{uid}", help="Move down", type="tertiary",
                          disabled=index == len(layers) - 1, on_click=_move, args=(state, index, 1))
                st.button("", icon=":material/delete:", key=f"remove_{uid}", help="Remove this layer", type="tertiary",
                          on_click=_remove, args=(state, index))
            edited.append(_param_widgets(spec, uid))
    state.set_layers(edited)
    texts = outcomes(state.experiment.network)
    for index, (spec, title) in enumerate(zip(edited, titles)):
        outcome = f" &nbsp; :gray[→ {texts[index]}]" if index in texts else ""
        title.markdown(f"**{index + 1}. {spec.kind}**{outcome}", help=LAYER_HELP[spec.kind])
    kind_column, where_column, button_column = st.columns([3, 3, 2], vertical_alignment="bottom")
    kind = kind_column.selectbox("Add a layer", list(LAYER_DEFAULTS), key="add_kind",
                                 help="\n\n".join(f"**{k}**: {v}" for k, v in LAYER_HELP.items()))
    where = where_column.selectbox("where", ["before the output layer", "at the end", "at the start"],
                                   key="add_where")
    button_column.button("Add layer", icon=":material/add:", on_click=_add, args=(state, kind, where),
                         key="add_layer")
    return state.experiment.network


def _seed(key: str, value: object) -> str:
    """Give a widget its starting value through session state (so callbacks may change it later)."""
    if key not in st.session_state:
        st.session_state[key] = value
    return key


def _reset_learning_rate(state: EditorState) -> None:
    optimizer = st.session_state[f"optimizer_{state.generation}"]
    st.session_state[f"learning_rate_{state.generation}"] = OPTIMIZERS[optimizer].default_learning_rate


def config_editor(state: EditorState, advanced: bool = True) -> TrainConfig:
    """The training settings; returns the config as the widgets show it now."""
    config, g = state.experiment.config, state.generation
    dataset = st.selectbox("Dataset", list(DATASET_TITLES), format_func=DATASET_TITLES.get,
                           key=_seed(f"dataset_{g}", config.dataset))
    full = TRAIN_SIZES[dataset]
    left, right = st.columns(2)
    optimizer = left.selectbox("Optimizer", list(OPTIMIZERS), format_func=lambda k: OPTIMIZERS[k].title,
                               key=_seed(f"optimizer_{g}", config.optimizer),
                               on_change=_reset_learning_rate, args=(state,))
    learning_rate = right.number_input("Learning rate", *LIMITS["learning_rate"], format="%g", step=0.0001,
                                       key=_seed(f"learning_rate_{g}", config.learning_rate),
                                       help="The step size: how far each update moves the weights.")
    left, right = st.columns(2)
    epochs = left.number_input("Epochs", *map(int, LIMITS["epochs"]), step=1, key=_seed(f"epochs_{g}", config.epochs),
                               help="One epoch = one pass over all training samples.")
    batch_size = right.number_input("Batch size", *map(int, LIMITS["batch_size"]), step=1,
                                    key=_seed(f"batch_size_{g}", config.batch_size),
                                    help="How many samples are averaged for each weight update.")
    seed, samples = config.seed, config.train_samples
    if advanced:
        left, right = st.columns(2)
        seed = left.number_input("Seed", *map(int, LIMITS["seed"]), step=1, key=_seed(f"seed_{g}", config.seed),
                                 help="Same seed, same starting weights and shuffling: a run you can reproduce.")
        samples = right.number_input("Training samples", 10, full, step=1000,
                                     key=_seed(f"train_samples_{g}_{dataset}", min(config.train_samples or full, full)),
                                     help="Train on the first N samples only: fewer samples overfit sooner.")
    state.experiment = replace(state.experiment, config=TrainConfig(
        dataset=dataset, optimizer=optimizer, learning_rate=float(learning_rate), batch_size=int(batch_size),
        epochs=int(epochs), seed=int(seed), train_samples=None if samples is None or samples >= full else int(samples)))
    return state.experiment.config


def preset_name(experiment: Experiment) -> str | None:
    return next((name for name, preset in PRESETS.items() if preset.experiment == experiment), None)


def _experiment_from_url() -> Experiment | None:
    """?preset=NAME or ?spec=JSON; a bad one shows a message and is ignored."""
    found = new_in_link(PAGE, "preset", "spec")
    if found is None:
        return None
    kind, wanted = found
    if kind == "preset":
        if wanted in PRESETS:
            return PRESETS[wanted].experiment
        st.error(f"Unknown preset {wanted!r} in the link. Presets: {', '.join(PRESETS)}.")
        return None
    try:
        return from_json(wanted)
    except SpecError as error:
        st.error(f"The network in the link could not be loaded: {error}")
        return None


def editor_state() -> EditorState:
    """This session's editor: from the link on first visit (?preset= or ?spec=), else the MLP preset."""
    from_url = _experiment_from_url()
    if "editor" not in st.session_state:
        st.session_state["editor"] = EditorState(from_url or PRESETS["mlp"].experiment)
    elif from_url is not None:
        st.session_state["editor"].load(from_url)
    return st.session_state["editor"]


def sync_url(state: EditorState) -> None:
    """Put the current experiment in the URL, so the page can be bookmarked and shared."""
    name = preset_name(state.experiment)
    value = name or to_json(state.experiment)
    key, other = ("preset", "spec") if name else ("spec", "preset")
    put_in_link(PAGE, key, value, drop=(other,))


def load_preset(state: EditorState, name: str) -> None:
    state.load(PRESETS[name].experiment if name in PRESETS else EMPTY)


def load_json(state: EditorState, text: str) -> str | None:
    """Load a pasted spec; returns the error message, or None when it loaded."""
    try:
        state.load(from_json(text))
    except SpecError as error:
        return str(error)
    return None
