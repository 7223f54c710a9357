"""Links between pages that carry URL state, and still render where a page is not (yet) in the navigation."""

from __future__ import annotations

from urllib.parse import urlencode

import streamlit as st
from streamlit.errors import StreamlitPageNotFoundError


def page_url(script: str, query: dict[str, str] | None = None) -> str:
    """The relative URL of app_pages/<script>, e.g. 'build_train?preset=cnn' (what a bookmark holds)."""
    url = script.removesuffix(".py")
    return f"{url}?{urlencode(query)}" if query else url


def link_to_page(script: str, label: str, query: dict[str, str] | None = None, icon: str | None = None) -> bool:
    """st.page_link to app_pages/<script> with query params; returns False (and shows a plain link) when the page
    is not registered with st.navigation, e.g. a page another engineer has not shipped yet or a page run alone."""
    try:
        st.page_link(f"app_pages/{script}", label=label, icon=icon, query_params=query or None)
        return True
    except StreamlitPageNotFoundError:
        st.markdown(f"[{label}]({page_url(script, query)})")
        return False
