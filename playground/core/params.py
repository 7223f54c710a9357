"""The words of the layer table: SpecError, the checks of a number a user typed, and one layer parameter (Param).

Kept apart from core/layers.py (the table itself) so that specs, the table and the editor share one definition.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

Params = Mapping[str, Any]  # a layer's complete parameters, defaults filled in


class SpecError(ValueError):
    """A spec a user can fix: the message says what is wrong and how to fix it; `layer` is 1-based or None."""

    def __init__(self, message: str, layer: int | None = None) -> None:
        super().__init__(message)
        self.layer = layer


def show(value: Any) -> str:
    """A user's value, short and safe to put in a message (never huge, never a recursion error)."""
    if isinstance(value, float):
        return "NaN" if math.isnan(value) else ("Infinity" if value > 0 else "-Infinity") if math.isinf(value) \
            else f"{value:g}"
    try:
        text = repr(value)
    except (RecursionError, ValueError):  # a list nested thousands deep; an int of thousands of digits
        text = f"a {type(value).__name__}"
    return text if len(text) <= 40 else text[:37] + "..."


def _limit(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else f"{x:g}"  # 2147483647, not 2.14748e+09; 1e-06 stays short


def check_number(name: str, value: Any, low: float, high: float, *, integer: bool, where: str = "",
                 layer_no: int | None = None) -> int | float:
    """The value as an int (if `integer`) or a float; SpecError unless it is a finite number in [low, high]."""
    kind = "a whole number" if integer else "a number"
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise SpecError(f"{where}{name} must be {kind}, got {show(value)}.", layer_no)
    # Finite first: int(NaN) and int(Infinity) raise, and JSON allows both (and 1e400 parses as Infinity).
    if isinstance(value, float) and not math.isfinite(value) or not low <= value <= high:
        raise SpecError(f"{where}{name} must be between {_limit(low)} and {_limit(high)}, got {show(value)}.", layer_no)
    if integer and int(value) != value:
        raise SpecError(f"{where}{name} must be {kind}, got {show(value)}.", layer_no)
    return int(value) if integer else float(value)  # JSON's 32.0 units is 32: Keras wants an int


@dataclass(frozen=True)
class Param:
    """One parameter of a layer kind: default, allowed values (a range or choices), and how the editor shows it."""

    name: str
    default: Any
    help: str  # one line, shown on the editor's widget
    low: float = 0
    high: float = 0
    choices: tuple[str, ...] = ()  # a menu; else a number in [low, high]
    integer: bool = True
    label: str = ""  # the editor's short label; the name when empty
    step: float = 1
    width: float = 1.0  # of its widget, relative to the others in a layer card
    enabled: Callable[[Params], bool] | None = None  # greyed out in the editor when this says False

    def check(self, value: Any, where: str, layer_no: int) -> Any:
        """The value, as an int or float for numbers; SpecError naming the layer if it is not allowed."""
        if self.choices:
            if not isinstance(value, str) or value not in self.choices:
                raise SpecError(f"{where}unknown {self.name} {show(value)}. Pick one of {', '.join(self.choices)}.",
                                layer_no)
            return value
        return check_number(self.name, value, self.low, self.high, integer=self.integer, where=where,
                            layer_no=layer_no)

    @property
    def range_text(self) -> str:
        return f"One of {', '.join(self.choices)}." if self.choices else f"From {_limit(self.low)} to {_limit(self.high)}."
