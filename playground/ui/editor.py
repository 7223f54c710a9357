"""The editor of the Build & train page: layers (add, remove, reorder, edit), training settings, presets, URL."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass, field, replace

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from playground.core.datasets import DATASETS
from playground.core.layers import LAYERS
from playground.core.params import Param
from playground.core.presets import EMPTY, PRESETS
from playground.core.specs import (
    LIMITS,
    OPTIMIZERS,
    Experiment,
    LayerSpec,
    NetworkSpec,
    SpecError,
    TrainConfig,
    from_json,
    layer,
    to_json,
)
from playground.ui.state import keys
from playground.ui.url import new_in_link, put_in_link

PAGE = "build"  # the prefix of this page's session-state keys
K = keys(PAGE)
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


CARD_WIDTH = 6.5  # widget widths per row of a layer card (Param.width); a wider kind wraps onto more rows


def _rows(params: tuple[Param, ...]) -> list[list[Param]]:
    rows: list[list[Param]] = [[]]
    for param in params:
        if rows[-1] and sum(p.width for p in rows[-1]) + param.width > CARD_WIDTH:
            rows.append([])
        rows[-1].append(param)
    return rows


def _param_widget(param: Param, value: object, key: str, enabled: bool) -> object:
    """A selectbox for choices, else a number input. No min/max on purpose: Streamlit would keep an out-of-range
    number on screen (marked red) while the run used the previous value; here the spec takes exactly what is shown
    and the page refuses it by name, with the range, until it is fixed."""
    label, help_text = param.label or param.name, f"{param.help} {param.range_text}"
    if param.choices:
        index = param.choices.index(value) if value in param.choices else 0
        return st.selectbox(label, param.choices, index=index, key=key, help=help_text, disabled=not enabled)
    number = int(value) if param.integer else float(value)
    step = int(param.step) if param.integer else float(param.step)
    return st.number_input(label, value=number, step=step, format=None if param.integer else "%g", key=key,
                           help=help_text, disabled=not enabled)


def _param_widgets(spec: LayerSpec, uid: int) -> LayerSpec:
    """The widgets of one layer's parameters, from the layer table; returns the layer with the values they show."""
    kind = LAYERS[spec.kind]
    if not kind.params:
        st.caption(kind.help)
        return spec
    values = spec.full
    for row in _rows(kind.params):
        widths = [param.width for param in row]
        columns = st.columns([*widths, max(CARD_WIDTH - sum(widths), 0.01)])  # a filler aligns columns across cards
        for column, param in zip(columns, row):
            enabled = param.enabled is None or param.enabled(values)
            with column:
                values[param.name] = _param_widget(param, values[param.name], K(f"layer_{uid}_{param.name}"), enabled)
    return spec.with_params(**values)


def layer_editor(state: EditorState, outcomes: Callable[[NetworkSpec], dict[int, str]]) -> NetworkSpec:
    """Draw the layer list, a card per layer; returns the network as the widgets show it now.

    `outcomes` maps the edited network to a text per 0-based layer index (its output shape, say), which is
    written into each card's title once all widgets have been read.
    """
    layers = state.experiment.network.layers
    edited, titles = [], []
    for index, (spec, uid) in enumerate(zip(layers, state.uids)):
        with st.container(border=True, key=K(f"layer_box_{uid}")):
            name, buttons = st.columns([8, 1.6], vertical_alignment="center")
            titles.append(name.empty())
            with buttons.container(horizontal=True, gap=None, horizontal_alignment="right"):
                st.button("", icon=":material/arrow_upward:", key=K(f"up_{uid}"), help="Move up", type="tertiary",
                          disabled=index == 0, on_click=_move, args=(state, index, -1))
                st.button("", icon=":material/arrow_downward:", key=K(f"down_{uid}"), help="Move down", type="tertiary",
                          disabled=index == len(layers) - 1, on_click=_move, args=(state, index, 1))
                st.button("", icon=":material/delete:", key=K(f"remove_{uid}"), help="Remove this layer", type="tertiary",
                          on_click=_remove, args=(state, index))
            edited.append(_param_widgets(spec, uid))
    state.set_layers(edited)
    texts = outcomes(state.experiment.network)
    for index, (spec, title) in enumerate(zip(edited, titles)):
        outcome = f" &nbsp; :gray[→ {texts[index]}]" if index in texts else ""
        title.markdown(f"**{index + 1}. {spec.kind}**{outcome}", help=LAYERS[spec.kind].help)
    kind_column, where_column, button_column = st.columns([3, 3, 2], vertical_alignment="bottom")
    kind = kind_column.selectbox("Add a layer", list(LAYERS), key=K("add_kind"),
                                 help="\n\n".join(f"**{name}**: {kind.help}" for name, kind in LAYERS.items()))
    where = where_column.selectbox("where", ["before the output layer", "at the end", "at the start"],
                                   key=K("add_where"))
    button_column.button("Add layer", icon=":material/add:", on_click=_add, args=(state, kind, where),
                         key=K("add_layer"))
    return state.experiment.network


def _seed(name: str, value: object) -> str:
    """The page's key for `name`, giving its widget a starting value through session state (so callbacks may change it
    later)."""
    key = K(name)
    if key not in st.session_state:
        st.session_state[key] = value
    return key


def _reset_learning_rate(state: EditorState) -> None:
    optimizer = st.session_state[K(f"optimizer_{state.generation}")]
    st.session_state[K(f"learning_rate_{state.generation}")] = OPTIMIZERS[optimizer].default_learning_rate


def _setting(column: DeltaGenerator, label: str, name: str, key: str, value: float, help_text: str,
             step: float) -> float:
    """A training setting's number input, without min/max for the reason given in _param_widget."""
    low, high = LIMITS[name]
    integer = isinstance(step, int)
    return column.number_input(label, step=step, format=None if integer else "%g", help=f"{help_text} "
                               f"From {low:g} to {high:g}.", key=_seed(key, int(value) if integer else float(value)))


def config_editor(state: EditorState, advanced: bool = True) -> TrainConfig:
    """The training settings; returns the config as the widgets show it now (out of range included: see _setting)."""
    config, g = state.experiment.config, state.generation
    dataset = st.selectbox("Dataset", list(DATASETS), format_func=lambda name: DATASETS[name].title,
                           key=_seed(f"dataset_{g}", config.dataset))
    full = DATASETS[dataset].train_size
    left, right = st.columns(2)
    optimizer = left.selectbox("Optimizer", list(OPTIMIZERS), format_func=lambda k: OPTIMIZERS[k].title,
                               key=_seed(f"optimizer_{g}", config.optimizer),
                               on_change=_reset_learning_rate, args=(state,))
    learning_rate = _setting(right, "Learning rate", "learning_rate", f"learning_rate_{g}", config.learning_rate,
                             "The step size: how far each update moves the weights.", 0.0001)
    left, right = st.columns(2)
    epochs = _setting(left, "Epochs", "epochs", f"epochs_{g}", config.epochs,
                      "One epoch = one pass over all training samples.", 1)
    batch_size = _setting(right, "Batch size", "batch_size", f"batch_size_{g}", config.batch_size,
                          "How many samples are averaged for each weight update.", 1)
    seed, samples = config.seed, config.train_samples
    if advanced:
        left, right = st.columns(2)
        seed = _setting(left, "Seed", "seed", f"seed_{g}", config.seed,
                        "Same seed, same starting weights and shuffling: a run you can reproduce.", 1)
        samples = right.number_input("Training samples", step=1000,
                                     key=_seed(f"train_samples_{g}_{dataset}", int(config.train_samples or full)),
                                     help="Train on the first N samples only: fewer samples overfit sooner. "
                                          f"From {LIMITS['train_samples'][0]:g} to {full:,} (all of them).")
    state.experiment = replace(state.experiment, config=TrainConfig(
        dataset=dataset, optimizer=optimizer, learning_rate=float(learning_rate), batch_size=int(batch_size),
        epochs=int(epochs), seed=int(seed), train_samples=None if samples is None or samples == full else int(samples)))
    return state.experiment.config


def preset_name(experiment: Experiment) -> str | None:
    return next((name for name, preset in PRESETS.items() if preset.experiment == experiment), None)


def _experiment_from_url() -> Experiment | None:
    """?preset=NAME or ?spec=JSON; a bad one shows a message and is ignored."""
    found = new_in_link(PAGE, "preset", "spec")
    if found is None:
        return None
    name, wanted = found
    if name == "preset":
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
    if K("editor") not in st.session_state:
        st.session_state[K("editor")] = EditorState(from_url or PRESETS["mlp"].experiment)
    elif from_url is not None:
        st.session_state[K("editor")].load(from_url)
    return st.session_state[K("editor")]


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
