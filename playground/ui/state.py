"""Who owns each session-state key: one prefix per page, and the helper that spells a page's keys with it.

Every key a page keeps in st.session_state, and every widget key (a widget bound to the URL also names its query
parameter after its key), starts with its page's prefix, so no two pages can read or overwrite each other's state.
A page (and each ui module that works for it) declares its keys once, at the top:

    K = keys("neuron")
    st.slider("bias b", -2.0, 2.0, key=K("bias"))  # the key "neuron_bias", the URL parameter ?neuron_bias=

App-wide keys stay in their own modules: presenter mode (ui.presenter.KEY), the jobs of a session (ui.session) and
what the polling fragments have shown (ui.polling). tests/test_state_keys.py checks the rule on every page.
"""

from __future__ import annotations

from collections.abc import Callable

PREFIXES: dict[str, str] = {  # app_pages/<script> -> the prefix of all its keys
    "home.py": "home",
    "lecture.py": "lecture",
    "neuron.py": "neuron",
    "probabilities.py": "prob",
    "gradient_descent.py": "descent",
    "convolution.py": "conv",
    "build_train.py": "build",
    "draw.py": "draw",
    "optimizers.py": "race",
    "landscape.py": "landscape",
    "gan.py": "gan",
    "boundaries.py": "boundary",
    "sequences.py": "seq",
    "reuse.py": "reuse",
    "shrink.py": "shrink",
}


def keys(prefix: str) -> Callable[[str], str]:
    """The key maker of the page with this prefix: keys("neuron")("bias") == "neuron_bias"."""
    if prefix not in PREFIXES.values():
        raise ValueError(f"no page has the state prefix {prefix!r}: add the page to PREFIXES in {__name__}")

    def key(name: str) -> str:
        return f"{prefix}_{name}"

    return key


# Keys one page writes and another reads, named once here so that neither spells the other's prefix.
DRAWN_DIGIT = keys("draw")("digit")  # the 28×28 image Draw a digit's models saw; Convolution offers it as its image
