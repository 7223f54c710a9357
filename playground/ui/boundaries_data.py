"""The Decision boundaries page's points: generated from the settings, or your own (clicked, removed, uploaded).

A problem with points a user supplies (a CSV, a click) shows a message and keeps the points the page had.
"""

from __future__ import annotations

from dataclasses import replace

import streamlit as st

from playground.boundaries.datasets import CLASSIFICATION, DataError, DataSpec, PointSet, generate
from playground.boundaries.points import MAX_ROWS, add_point, from_csv, remove_points, to_csv
from playground.ui.state import keys

K = keys("boundary")

POINTS = K("points")
UPLOADED = K("uploaded_file")  # the id of the file last read, so a rerun does not read it again
MESSAGE = K("points_message")  # (kind, text) to show once, after the rerun that changed the points
CLICK = K("w_click")
REMOVE = "remove"


def current_points(spec: DataSpec) -> PointSet:
    """The page's points: yours if you uploaded some, else those of `spec` (edits last until the settings change)."""
    points: PointSet | None = st.session_state.get(POINTS)
    if points is None or (points.origin != "uploaded" and points.spec != spec):
        points = generate(spec)
        st.session_state[POINTS] = points
    return points


def _say(kind: str, text: str) -> None:
    st.session_state[MESSAGE] = (kind, text)


def show_message() -> None:
    """The message of the last change of the points, once."""
    kind, text = st.session_state.pop(MESSAGE, (None, None))
    if kind == "error":
        st.error(text, icon=":material/error:")
    elif kind == "success":
        st.success(text, icon=":material/check:")


def click_modes(points: PointSet) -> list[str]:
    """What a click on the map does: add a point of each class (or target), or remove points."""
    if points.task == CLASSIFICATION:
        return [f"class {k}" for k in range(points.classes)] + [REMOVE]
    return ["value -1", "value +1", REMOVE]


def click_mode_control(points: PointSet) -> str:
    modes = click_modes(points)
    chosen = st.segmented_control("A click on the map", modes, default=modes[0], key=CLICK, wrap=True,
                                  format_func=lambda m: {REMOVE: "✕ remove"}.get(m, f"+ {m}"),
                                  help="Add a training point of a class where you click, or remove points (click "
                                       "one, or draw a lasso around several).")
    return chosen if chosen in modes else modes[0]


def apply_selection(points: PointSet, selection: dict, mode: str) -> bool:
    """Add or remove points from a selection on the map; True when the points changed (or a message was set)."""
    chosen = selection.get("points", []) if selection else []
    if not chosen:
        return False
    try:
        if mode == REMOVE:
            indices = []
            for point in chosen:
                data = point.get("customdata")
                data = data[0] if isinstance(data, list) and data else data
                if isinstance(data, (int, float)):
                    indices.append(int(data))
            if not indices:
                return False
            changed = remove_points(points, indices)
        else:
            first = chosen[0]
            label = float(mode.split()[-1]) if points.task != CLASSIFICATION else int(mode.split()[-1])
            changed = add_point(points, float(first["x"]), float(first["y"]), label)
    except (DataError, KeyError, ValueError) as error:
        _say("error", str(error))
        return True
    st.session_state[POINTS] = changed
    return True


def own_points(spec: DataSpec, points: PointSet) -> None:
    """Upload a CSV (x1, x2, label[, split]) or download the points; go back to generated points."""
    st.download_button("Download the points (CSV)", to_csv(points), file_name="points.csv", mime="text/csv",
                       icon=":material/download:", key=K("download_points"), on_click="ignore")
    upload = st.file_uploader(f"Upload points (CSV with columns x1, x2, label; at most {MAX_ROWS:,} rows)",
                              type=["csv", "txt"], key=K("upload"),
                              help="x1 and x2 between -6 and 6; label a class 0-4 (or -1/1), or a number between "
                                   "-1 and 1 for regression; an optional column split says train or test.")
    if upload is not None and st.session_state.get(UPLOADED) != upload.file_id:
        st.session_state[UPLOADED] = upload.file_id
        try:
            loaded = from_csv(upload.getvalue(), spec.train_percent, spec.seed)
        except DataError as error:
            _say("error", f"{upload.name}: {error} The points on the map are unchanged.")
        else:
            st.session_state[POINTS] = replace(loaded, spec=spec)
            kind = f"{loaded.classes} classes" if loaded.task == CLASSIFICATION else "regression targets"
            _say("success", f"Loaded {len(loaded):,} points ({kind}) from {upload.name}.")
        st.rerun()
    if points.origin != "generated" and st.button("Back to generated points", icon=":material/restart_alt:",
                                                  key=K("generated")):
        st.session_state.pop(POINTS, None)
        st.rerun()
