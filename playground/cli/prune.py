"""Prune a classifier by weight magnitude and fine-tune it with the pruned weights held at zero.

One JSON line per fine-tune epoch {"epoch", "loss", "accuracy", "seconds"}, then {"summary": {"sparsity",
"dense_accuracy", "pruned_accuracy", "fine_tuned_accuracy", "dense_zipped_bytes", "pruned_zipped_bytes",
"file_bytes", "eval_samples", "device", "out"}}; with --sweep also "sweep": [[sparsity, accuracy], ...] before
any fine-tune.

Example: python -m playground prune --model cnn --sparsity 0.8 --fine-tune-epochs 2
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from playground.cli import check_output, fail, print_rows
from playground.cli.predict import check_model_argument, load


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--model", default="cnn", metavar="{mlp,cnn,PATH.keras}",
                        help="a shipped model (mlp or cnn, the default) or your own .keras file")
    parser.add_argument("--sparsity", type=float, default=0.8, help="fraction of the weights set to zero, 0.1-0.95")
    parser.add_argument("--fine-tune-epochs", type=int, default=1, help="epochs of fine-tuning after pruning, 0-10")
    parser.add_argument("--fine-tune-samples", type=int, default=55_000, help="MNIST training images per epoch")
    parser.add_argument("--eval-samples", type=int, default=10_000, help="MNIST test images to measure on")
    parser.add_argument("--sweep", action="store_true", help="also measure 10%%-95%% sparsity without fine-tuning")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, metavar="PATH.keras", help="save the pruned model here")


def run(args: argparse.Namespace) -> int:
    from playground.shrink.prune import SPARSITY_RANGE

    low, high = SPARSITY_RANGE
    if not low <= args.sparsity <= high:
        fail(f"--sparsity must be between {low} and {high}, got {args.sparsity}")
    if not 0 <= args.fine_tune_epochs <= 10:
        fail(f"--fine-tune-epochs must be between 0 and 10, got {args.fine_tune_epochs}")
    if not 128 <= args.fine_tune_samples <= 55_000:
        fail(f"--fine-tune-samples must be between 128 and 55000, got {args.fine_tune_samples}")
    if not 1 <= args.eval_samples <= 10_000:
        fail(f"--eval-samples must be between 1 and 10000, got {args.eval_samples}")
    if args.out is not None:
        if args.out.suffix != ".keras":
            fail(f"--out needs a path ending in .keras, got {args.out}")
        check_output(args.out, "--out")
    check_model_argument(args.model)
    from playground.shrink.prune import PruneRun, sparsity_of

    job = PruneRun(model=load(args.model), title=args.model, sparsity=args.sparsity,
                   fine_tune_epochs=args.fine_tune_epochs, fine_tune_samples=args.fine_tune_samples,
                   eval_size=args.eval_samples, do_sweep=args.sweep, seed=args.seed)
    job.start()
    print_rows(job, lambda n: job.history[n:], digits=6)
    if job.status != "finished":
        fail(job.message or f"pruning ended as {job.status}")
    if args.out is not None:
        args.out.write_bytes(job.pruned_file)
    summary = {"sparsity": round(sparsity_of(job.pruned_model), 6), "dense_accuracy": job.dense_accuracy,
               "pruned_accuracy": job.pruned_accuracy, "fine_tuned_accuracy": job.tuned_accuracy,
               "dense_zipped_bytes": job.sizes["dense_zipped"], "pruned_zipped_bytes": job.sizes["pruned_zipped"],
               "file_bytes": job.sizes["dense_file"], "eval_samples": args.eval_samples,
               "fine_tune_epochs": args.fine_tune_epochs, "device": job.device,
               "out": str(args.out) if args.out is not None else None}
    if args.sweep:
        summary["sweep"] = [[s, a] for s, a in job.curve]
    print(json.dumps({"summary": summary}), flush=True)
    return 0
