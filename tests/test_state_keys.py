"""Every session-state and widget key of a page carries the page's prefix (ui.state.PREFIXES); no two pages share one.

The pages and playground/ui are read with `ast`: every `key=` argument, every `st.session_state[...]`, `.get(...)`,
`.setdefault(...)`, `.pop(...)`, `.update(...)`, `... in st.session_state` and `st.session_state.name` whose key can be
read from the source (a string, the fixed start of an f-string, a module constant, or a key maker's call
`K("name")` after `K = keys("prefix")`). Keys computed at run time (a function's parameter) are checked where they
are spelled.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from playground.ui.state import PREFIXES, keys
from tests.helpers import ROOT

PAGES = sorted((ROOT / "app_pages").glob("*.py"))
MODULES = [*PAGES, *sorted((ROOT / "playground" / "ui").glob("*.py")), ROOT / "app.py"]
MAPPING_METHODS = {"get", "setdefault", "pop", "update", "keys", "values", "items", "clear", "to_dict"}
APP_WIDE = {"app.py", "presenter.py", "polling.py", "session.py", "url.py"}  # their keys belong to no page
OPEN = "…"  # marks a key whose end is computed at run time (an f-string)


class KeyFinder(ast.NodeVisitor):
    """The keys one module uses: [(line, key)] and the prefixes of its key makers (K = keys("prefix"))."""

    def __init__(self) -> None:
        self.found: list[tuple[int, str]] = []
        self.makers: dict[str, str] = {}  # name -> prefix
        self.constants: dict[str, str] = {}  # module-level NAME = "key"
        self.aliases: set[str] = set()  # names bound to st.session_state

    def read(self, source: str) -> KeyFinder:
        tree = ast.parse(source)
        for statement in tree.body:  # module constants and key makers, in order
            if isinstance(statement, ast.Assign) and len(statement.targets) == 1:
                target = statement.targets[0]
                if isinstance(target, ast.Name):
                    if self._maker_prefix(statement.value) is not None:
                        self.makers[target.id] = self._maker_prefix(statement.value)
                    elif (value := self.resolve(statement.value)) is not None:
                        self.constants[target.id] = value
        self.visit(tree)
        return self

    @staticmethod
    def _maker_prefix(node: ast.AST) -> str | None:
        """'neuron' for the expression keys("neuron")."""
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "keys"
                and len(node.args) == 1 and isinstance(node.args[0], ast.Constant)):
            return node.args[0].value
        return None

    def resolve(self, node: ast.AST) -> str | None:
        """The key an expression spells, `OPEN` at the end where it continues at run time; None if unknown."""
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return node.value
        if isinstance(node, ast.JoinedStr):
            head = ""
            for part in node.values:
                if not isinstance(part, ast.Constant):
                    return head + OPEN if head else None
                head += part.value
            return head
        if isinstance(node, ast.Name):
            return self.constants.get(node.id)
        if isinstance(node, ast.Call) and len(node.args) == 1:
            if isinstance(node.func, ast.Name) and node.func.id in self.makers:
                prefix = self.makers[node.func.id]
            else:
                prefix = self._maker_prefix(node.func)
            if prefix is not None:
                name = self.resolve(node.args[0])
                return f"{prefix}_{name if name is not None else OPEN}"
        return None

    def is_state(self, node: ast.AST) -> bool:
        return ((isinstance(node, ast.Attribute) and node.attr == "session_state")
                or (isinstance(node, ast.Name) and node.id in self.aliases))

    def add(self, node: ast.AST, line: int) -> None:
        key = self.resolve(node)
        if key is not None:
            self.found.append((line, key))

    def visit_Assign(self, node: ast.Assign) -> None:  # state = st.session_state; a, state = x, st.session_state
        for target in node.targets:
            pairs = [(target, node.value)]
            if isinstance(target, ast.Tuple) and isinstance(node.value, ast.Tuple):
                pairs = list(zip(target.elts, node.value.elts))
            self.aliases.update(name.id for name, value in pairs if isinstance(name, ast.Name) and self.is_state(value))
        self.generic_visit(node)

    def visit_keyword(self, node: ast.keyword) -> None:
        if node.arg == "key":
            self.add(node.value, node.value.lineno)
        self.generic_visit(node)

    def visit_Subscript(self, node: ast.Subscript) -> None:
        if self.is_state(node.value):
            self.add(node.slice, node.lineno)
        self.generic_visit(node)

    def visit_Attribute(self, node: ast.Attribute) -> None:
        if self.is_state(node.value) and node.attr not in MAPPING_METHODS:
            self.found.append((node.lineno, node.attr))
        self.generic_visit(node)

    def visit_Call(self, node: ast.Call) -> None:
        function = node.func
        if isinstance(function, ast.Attribute) and self.is_state(function.value):
            if function.attr in ("get", "setdefault", "pop") and node.args:
                self.add(node.args[0], node.lineno)
            elif function.attr == "update":
                self.found += [(node.lineno, k.arg) for k in node.keywords if k.arg]
                for mapping in (a for a in node.args if isinstance(a, ast.Dict)):
                    for key in mapping.keys:
                        if key is not None:
                            self.add(key, node.lineno)
        self.generic_visit(node)

    def visit_Compare(self, node: ast.Compare) -> None:
        for op, right in zip(node.ops, node.comparators):
            if isinstance(op, (ast.In, ast.NotIn)) and self.is_state(right):
                self.add(node.left, node.lineno)
        self.generic_visit(node)


def find(path: Path) -> KeyFinder:
    return KeyFinder().read(path.read_text())


def owner(path: Path) -> str | None:
    """The prefix of the page a module belongs to; None for the app-wide modules."""
    if path.parent.name == "app_pages":
        return PREFIXES.get(path.name)
    finder = find(path)
    prefixes = set(finder.makers.values()) or {p for p in PREFIXES.values() for _, key in finder.found
                                                 if key.startswith(f"{p}_")}
    assert len(prefixes) <= 1, f"{path.name} has keys of several pages: {prefixes}"
    return prefixes.pop() if prefixes else None


def test_every_page_has_its_own_prefix():
    missing = [path.name for path in PAGES if path.name not in PREFIXES]
    assert not missing, f"add {missing} to PREFIXES in playground/ui/state.py"
    prefixes = list(PREFIXES.values())
    assert len(set(prefixes)) == len(prefixes)
    assert not [(a, b) for a in prefixes for b in prefixes if a != b and b.startswith(f"{a}_")]
    assert keys("neuron")("bias") == "neuron_bias"
    with pytest.raises(ValueError, match="PREFIXES"):
        keys("nobody")


@pytest.mark.parametrize("path", MODULES, ids=[f"{p.parent.name}/{p.name}" for p in MODULES])
def test_every_key_carries_its_pages_prefix(path: Path):
    finder = find(path)
    prefix = owner(path)
    if path.parent.name == "app_pages":
        assert set(finder.makers.values()) <= {prefix}, f"{path.name} makes keys of another page"
    if prefix is not None:
        wrong = [(line, key) for line, key in finder.found if not key.startswith(f"{prefix}_")]
        assert not wrong, f"{path.name}: keys without the prefix {prefix}_ (line, key): {wrong}"
    else:
        assert path.name in APP_WIDE or not finder.found, \
            f"{path.name} has keys without a page prefix (K = keys(prefix) makes them): {finder.found}"


def test_no_two_pages_share_a_key():
    users: dict[str, set[str]] = {}
    for path in MODULES:
        for _, key in find(path).found:
            users.setdefault(key, set()).add(owner(path) or "app-wide")
    shared = {key: pages for key, pages in users.items() if len(pages) > 1}
    assert not shared
    assert len(users) > 100  # the finder does see the pages' keys (there are well over a hundred)


def test_the_finder_sees_every_way_of_spelling_a_key():
    source = '''
import streamlit as st
from playground.ui.state import keys
K = keys("descent")
PATH = K("path")
LEGACY = "lr"
st.slider("rate", key="rate")
st.button("step", key=f"step_{1}")
st.toggle("t", key=K("toggle"))
st.number_input("n", key=K(f"cell_{3}"))
st.session_state["start"] = st.session_state.get(PATH) or st.session_state.setdefault(LEGACY, 0)
st.session_state.pop("curve", None)
st.session_state.update(seed=1)
st.session_state.update({"tab": "x"})
if "grid" in st.session_state:
    pass
preset, state = None, st.session_state
state.surface = state.get("steps")
'''
    found = {key for _, key in KeyFinder().read(source).found}
    assert found == {"rate", "step_…", "descent_toggle", "descent_cell_…", "start", "descent_path", "lr", "curve",
                     "seed", "tab", "grid", "surface", "steps"}
