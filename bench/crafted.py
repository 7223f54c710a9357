"""Crafted input soak: the server's memory before and after rounds of every crafted input a page accepts.

Each round runs, through AppTest in this process (the same script runner a server uses; loopback only, nothing
leaves the machine): every crafted image (tools/crafted_images.py) uploaded on Draw a digit and on Convolution,
every crafted model file (tools/crafted_models.py) uploaded on Draw a digit, crafted links and pasted specs on
Build & train (NaN, Infinity, 1e400, thousands of brackets, thousands of layers), and a list of 190 learning rates
on the optimizer race. Each page reruns once more after each input, as a polling fragment or a click would.
Before the rounds, every page is visited once with ordinary input (TensorFlow and the shipped models load); the
goal is growth < 300 MB from there.

python -m bench.crafted [--quick]
"""

from __future__ import annotations

import gc
import json
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from streamlit.testing.v1 import AppTest

from bench.common import Row, print_rows
from bench.soak import resident_mb
from playground.ui.streamlit_patches import keep_keras_session
from tools.crafted_images import crafted_images, photo
from tools.crafted_models import write_crafted_models

ROOT = Path(__file__).resolve().parents[1]
LAYERS = [{"kind": "Flatten"}, {"kind": "Dense", "units": 10, "activation": "softmax"}]


def crafted_specs() -> dict[str, str]:
    """Spec texts a link (?spec=) or the paste box may carry: name -> JSON text."""
    def spec(layers: object = LAYERS, **config: object) -> str:
        return json.dumps({"network": {"layers": layers}, "config": config})

    dense = {"kind": "Dense", "units": 64, "activation": "relu"}
    return {
        "units NaN": spec([{"kind": "Flatten"}, {"kind": "Dense", "units": float("nan")}]),
        "units Infinity": spec([{"kind": "Flatten"}, {"kind": "Dense", "units": float("inf")}]),
        "epochs NaN": spec(epochs=float("nan")),
        "seed 1e400": spec().replace('"config": {}', '"config": {"seed": 1e400}'),
        "layers 5000 brackets deep": '{"network": {"layers": ' + "[" * 5000 + "]" * 5000 + "}, \"config\": {}}",
        "3,300 layers": spec([{"kind": "Flatten"}, *[dense] * 3300, LAYERS[1]]),
        "10,000 layers": spec([{"kind": "Flatten"}, *[dense] * 10_000, LAYERS[1]]),
    }


def page(name: str) -> AppTest:
    return AppTest.from_file(str(ROOT / "app_pages" / f"{name}.py"), default_timeout=300)


def attempt(skipped: list[str], what: str, action: Callable[..., object], *args: object) -> None:
    """Run one input; a widget that moved (a renamed key) is noted, not fatal: the soak measures memory."""
    try:
        action(*args)
    except (KeyError, IndexError) as error:
        skipped.append(f"{what}: {error}")


def upload(at: AppTest, key: str, name: str, data: bytes) -> None:
    """A file dropped on the uploader, and one more rerun (a click elsewhere, a polling fragment)."""
    at.file_uploader(key=key).set_value((name, data, "application/octet-stream")).run().run()


def paste(at: AppTest, text: str) -> None:
    at.text_area(key="build_pasted_spec").set_value(text).run()
    at.button(key="build_load_spec").click().run()


def one_round(images: dict[str, bytes], models: dict[str, Path], specs: dict[str, str], skipped: list[str]) -> int:
    """Every crafted input once (and one more rerun each); returns how many inputs were sent."""
    draw = page("draw").run()
    attempt(skipped, "draw source", lambda: draw.segmented_control(key="draw_digit_source")
            .set_value("Upload a photo").run())
    for name, data in images.items():
        attempt(skipped, f"draw {name}", upload, draw, "draw_digit_upload", f"{name}.png", data)
    for name, path in models.items():
        attempt(skipped, f"model {name}", upload, draw, "draw_model_upload", path.name, path.read_bytes())
    convolution = page("convolution").run()
    attempt(skipped, "conv source", lambda: convolution.radio(key="conv_source").set_value("upload").run())
    for name, data in images.items():
        attempt(skipped, f"conv {name}", upload, convolution, "conv_photo", f"{name}.png", data)
    for name, text in specs.items():
        build = page("build_train")
        build.query_params["spec"] = text
        build.run().run()
        attempt(skipped, f"paste {name}", paste, build, text)
    race = page("optimizers").run()
    rates = [field for field in race.text_input if field.label.startswith("lr ")]
    if rates:
        rates[0].set_value(", ".join(f"{0.001 * (k + 1):g}" for k in range(190))).run().run()
    else:
        skipped.append("race: no learning-rate field")
    return 2 * len(images) + len(models) + 2 * len(specs) + 1


def warm_up(skipped: list[str]) -> None:
    """What ordinary visitors do first: every page once, with a real photo; TensorFlow and the models load."""
    draw = page("draw").run()
    attempt(skipped, "warm draw", lambda: (draw.segmented_control(key="draw_digit_source").set_value("Upload a photo")
                                           .run(), draw.file_uploader(key="draw_digit_upload")
                                           .set_value(("bar.jpg", photo(120, 160), "image/jpeg")).run()))
    convolution = page("convolution").run()
    attempt(skipped, "warm conv", lambda: (convolution.radio(key="conv_source").set_value("upload").run(),
                                           convolution.file_uploader(key="conv_photo")
                                           .set_value(("bar.png", photo(90, 60, "PNG"), "image/png")).run()))
    page("build_train").run()
    page("optimizers").run()


def measure(quick: bool = False) -> list[Row]:
    keep_keras_session()  # as app.py does
    rounds = 2 if quick else 3
    images = crafted_images()
    with tempfile.TemporaryDirectory() as folder:
        models = write_crafted_models(folder)
        specs = crafted_specs()
        skipped: list[str] = []
        warm_up(skipped)
        gc.collect()
        memory, started = [resident_mb()], time.monotonic()
        for number in range(rounds):
            sent = one_round(images, models, specs, skipped)
            gc.collect()
            memory.append(resident_mb())
            print(f"round {number + 1}: {sent} crafted inputs, RSS {memory[-1]:.0f} MB", file=sys.stderr, flush=True)
    seconds = (time.monotonic() - started) / rounds
    trail = " → ".join(f"{value:.0f}" for value in memory)
    rows = [(f"server memory, {rounds} rounds of {sent} crafted inputs (RSS of a warmed server → after each round)",
             f"{trail} MB: {memory[-1] - memory[0]:+.0f} MB in all; {seconds:.0f} s per round", "growth < 300 MB")]
    if skipped:
        rows.append(("crafted inputs not sent (a widget moved)", f"{len(set(skipped))}: {sorted(set(skipped))[:3]}",
                     "0"))
    return rows


if __name__ == "__main__":
    print_rows(measure(quick="--quick" in sys.argv), "Crafted input")
