"""The page's settings in the link: read a query parameter once per link, and write the current settings back.

Every page that takes presets or settings from its URL (?preset=NAME, ?spec=JSON, ...) uses these two calls, so a
link is applied once when it is opened (not again on every rerun, which would undo the user's changes) and a
bookmark of the address bar reproduces what is on screen.
"""

from __future__ import annotations

import streamlit as st

from playground.ui.state import keys


def new_in_link(page: str, *names: str) -> tuple[str, str] | None:
    """(name, value) of the first of `names` in the URL, if this page has not applied that value yet; else None.

    `page` is the page's state prefix (ui.state.PREFIXES): each page remembers what it applied under its own key.
    """
    for name in names:
        value = st.query_params.get(name)
        if value:
            applied = keys(page)("url_applied")
            if st.session_state.get(applied) == value:
                return None
            st.session_state[applied] = value
            return name, value
    return None


def put_in_link(page: str, name: str, value: str, drop: tuple[str, ...] = ()) -> None:
    """Show `name=value` in the address bar (removing the parameters in `drop`), without applying it again."""
    if st.query_params.get(name) != value or any(other in st.query_params for other in drop):
        for other in drop:
            st.query_params.pop(other, None)
        st.query_params[name] = value
        st.session_state[keys(page)("url_applied")] = value
