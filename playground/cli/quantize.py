"""Quantize a classifier (Keras int8 or float16) and measure it against float32: one JSON summary.

{"model", "mode", "size_bytes", "float32_size_bytes", "size_ratio", "mnist_test_accuracy",
"float32_mnist_test_accuracy", "drawn_accuracy", "float32_drawn_accuracy", "ms_per_image",
"float32_ms_per_image", "int8_layers", "device", "out"}. The saved file loads back through the playground's safe
loader (python -m playground predict --model cnn-int8.keras digit.png).

Example: python -m playground quantize --model cnn --mode int8 --out cnn-int8.keras
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from playground.cli import check_output, fail
from playground.cli.predict import check_model_argument, load

MODE_CHOICES = ("int8", "float16", "float32")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--model", default="cnn", metavar="{mlp,cnn,PATH.keras}",
                        help="a shipped model (mlp or cnn, the default) or your own .keras file")
    parser.add_argument("--mode", default="int8", choices=MODE_CHOICES, help="the format to store and run it in")
    parser.add_argument("--out", type=Path, metavar="PATH.keras", help="save the quantized model here")
    parser.add_argument("--test-samples", type=int, default=10_000, help="MNIST test images to measure on")


def run(args: argparse.Namespace) -> int:
    if not 1 <= args.test_samples <= 10_000:
        fail(f"--test-samples must be between 1 and 10000, got {args.test_samples}")
    if args.out is not None:
        if args.out.suffix != ".keras":
            fail(f"--out needs a path ending in .keras, got {args.out}")
        check_output(args.out, "--out")
    check_model_argument(args.model)
    from playground.core.datasets import load_dataset
    from playground.core.device import describe_device
    from playground.shrink.quantize import CHECK_SET, drawn_check_set, measure, model_bytes, quantized_copy

    model = load(args.model)
    data = load_dataset("mnist")
    x, y = data.x_test[:args.test_samples], data.y_test[:args.test_samples]
    drawn = drawn_check_set() if CHECK_SET.exists() else None
    base = measure(quantized_copy(model, "float32"), "float32", x, y, drawn)
    version = quantized_copy(model, args.mode)
    data_bytes = model_bytes(version)
    result = measure(version, args.mode, x, y, drawn, size=len(data_bytes))
    if args.out is not None:
        args.out.write_bytes(data_bytes)
    print(json.dumps({
        "model": args.model, "mode": args.mode, "size_bytes": result.size_bytes,
        "float32_size_bytes": base.size_bytes, "size_ratio": round(result.size_bytes / base.size_bytes, 4),
        "mnist_test_accuracy": result.mnist_accuracy, "float32_mnist_test_accuracy": base.mnist_accuracy,
        "test_samples": len(x), "drawn_accuracy": result.drawn_accuracy, "float32_drawn_accuracy": base.drawn_accuracy,
        "ms_per_image": round(result.ms_per_image, 4), "float32_ms_per_image": round(base.ms_per_image, 4),
        "int8_layers": list(result.quantized_layers), "device": describe_device(),
        "out": str(args.out) if args.out is not None else None}), flush=True)
    return 0
