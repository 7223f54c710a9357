"""Rebuild the shipped GAN generator (assets/models/gan_generator.keras) from the bundled MNIST, with fixed seeds.

    nice -n 10 .venv/bin/python assets/models/build_gan.py [--epochs 25] [--classifier PATH.keras]

About 100 s per epoch on 2 CPU cores. After every epoch the generator is saved to --work (so a crash loses one
epoch at most; --resume continues from there) and judged by the classifier. At the end the generator and a JSON of
its measured quality (the README's numbers) are written beside this script. The classifier is the shipped CNN
(assets/models/cnn.keras) unless --classifier names another one.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

SEED = 0
BATCH_SIZE = 64


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=25)
    parser.add_argument("--classifier", type=Path, help="a .keras MNIST classifier (default: the shipped CNN)")
    parser.add_argument("--work", type=Path, default=Path("/tmp/gan_build"), help="checkpoints go here")
    parser.add_argument("--resume", action="store_true", help="continue from the last checkpoint in --work")
    parser.add_argument("--judge-only", action="store_true",
                        help="no training: judge the shipped generator again and update the JSON's quality numbers")
    args = parser.parse_args()

    import keras

    from playground.core.datasets import load_mnist_arrays
    from playground.gan import model as gan
    from playground.gan import quality

    keras.utils.set_random_seed(SEED)  # a standalone script: global seeding is fine here (never in the server)
    classifier = (keras.models.load_model(args.classifier, compile=False) if args.classifier
                  else quality.shipped_classifier())
    if classifier is None:  # checked first: no point training for half an hour to fail at the end
        raise SystemExit("No classifier: the shipped CNN is missing; pass --classifier PATH.keras")
    if args.judge_only:
        write_report(classifier, str(args.classifier or "cnn"), json.loads(gan.SHIPPED_QUALITY.read_text()))
        return
    raw = load_mnist_arrays()  # all 60,000 training images; the test digits stay unseen, for the reference
    images, labels = raw["x_train"].astype("float32") / 255.0, raw["y_train"]
    model = gan.build_gan(gan.SHIPPED_SHAPE, seed=SEED)
    args.work.mkdir(parents=True, exist_ok=True)
    first_epoch, log_path = 0, args.work / "log.jsonl"
    if args.resume and (args.work / "generator.weights.h5").exists():
        model.generator.load_weights(args.work / "generator.weights.h5")
        model.discriminator.load_weights(args.work / "discriminator.weights.h5")
        first_epoch = len(log_path.read_text().splitlines())
        print(f"resuming after epoch {first_epoch}", flush=True)
    else:
        log_path.unlink(missing_ok=True)

    class Checkpoint(keras.callbacks.Callback):
        def on_epoch_begin(self, epoch: int, logs: dict | None = None) -> None:
            self.start = time.perf_counter()

        def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
            model.generator.save_weights(args.work / "generator.weights.h5")
            model.discriminator.save_weights(args.work / "discriminator.weights.h5")
            model.generator.save(args.work / f"generator_{epoch + 1:02d}.keras")
            scores = quality.evaluate_generator(model.generator, classifier, seed=1)  # not the README's samples
            row = {"epoch": epoch + 1, "seconds": round(time.perf_counter() - self.start, 1),
                   **{k: round(float(v), 4) for k, v in (logs or {}).items()},
                   "is": round(scores["unconditional"].inception_score, 3),
                   "rarest": round(scores["unconditional"].rarest_share, 3),
                   "cond_acc": round(scores["conditional"].accuracy, 4)}
            with log_path.open("a") as log:
                log.write(json.dumps(row) + "\n")
            print(json.dumps(row), flush=True)

    started = time.perf_counter()
    model.fit(gan.gan_dataset(images, labels, BATCH_SIZE, SEED), epochs=args.epochs, initial_epoch=first_epoch,
              callbacks=[Checkpoint()], shuffle=False, verbose=0)
    model.generator.save(gan.SHIPPED_GENERATOR)
    write_report(classifier, str(args.classifier or "cnn"), {
        "epochs": args.epochs, "batch_size": BATCH_SIZE, "seed": SEED, "shape": vars(gan.SHIPPED_SHAPE),
        "train_seconds": round(time.perf_counter() - started)})


def write_report(classifier: object, classifier_name: str, training: dict) -> None:
    """Judge the shipped generator, loaded as the app loads it, and write the JSON beside it."""
    from playground.gan import model as gan
    from playground.gan import quality

    scores = quality.evaluate_generator(gan.load_generator(gan.SHIPPED_GENERATOR), classifier)
    report = {**training, "classifier": classifier_name,
              "protocol": "1,000 samples with uniformly drawn digits; 100 asked-for samples per digit; the first "
                          "1,000 MNIST test digits as the real reference",
              **{name: q.to_dict() for name, q in scores.items()}}
    gan.SHIPPED_QUALITY.write_text(json.dumps(report, indent=2) + "\n")
    print(json.dumps(report), flush=True)


if __name__ == "__main__":
    main()
