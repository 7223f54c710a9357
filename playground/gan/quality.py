"""Is a generator any good? Judge its images with a digit classifier: class histogram, confidence, Inception Score."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from playground.core.datasets import NUM_CLASSES

if TYPE_CHECKING:
    import keras

EPSILON = 1e-12  # log(0) guard: a classifier may give exactly 0 to a class


def inception_score(probs: np.ndarray) -> float:
    """exp(mean over images of KL(p(y|x) || p(y))), with p(y) the mean prediction over all images.

    High when every image is classified confidently (p(y|x) peaked) AND the classes are spread evenly
    (p(y) flat): 10 at most for 10 digits, 1 when every image looks like the same digit or the classifier
    cannot decide.
    """
    probs = np.asarray(probs, dtype=np.float64)
    marginal = probs.mean(axis=0)
    kl = np.sum(probs * (np.log(probs + EPSILON) - np.log(marginal + EPSILON)), axis=1)
    return float(np.exp(kl.mean()))


def class_shares(probs: np.ndarray) -> np.ndarray:
    """The fraction of images the classifier calls 0, 1, ..., 9 (missing digits betray mode collapse)."""
    predicted = np.asarray(probs).argmax(axis=1)
    return np.bincount(predicted, minlength=NUM_CLASSES)[:NUM_CLASSES] / max(len(predicted), 1)


def mean_confidence(probs: np.ndarray) -> float:
    """The classifier's average probability for the class it picks: near 1 for clear digits."""
    return float(np.asarray(probs).max(axis=1).mean())


def conditional_accuracy(probs: np.ndarray, asked: np.ndarray) -> float:
    """The fraction of images classified as the digit they were asked to be."""
    return float(np.mean(np.asarray(probs).argmax(axis=1) == np.asarray(asked)))


@dataclass(frozen=True)
class Quality:
    """The classifier's verdict on a set of images."""

    images: int
    inception_score: float
    mean_confidence: float
    shares: tuple[float, ...]  # per digit 0-9
    accuracy: float | None = None  # classified as the asked digit (real digits: as their label)

    @property
    def rarest_share(self) -> float:
        return min(self.shares)

    def to_dict(self) -> dict[str, Any]:
        return {key: (round(v, 4) if isinstance(v, float) else [round(s, 4) for s in v] if isinstance(v, tuple) else v)
                for key, v in asdict(self).items()}


def judge(probs: np.ndarray, asked: np.ndarray | None = None) -> Quality:
    """All the numbers of the quality panel for one probability array (n, 10)."""
    return Quality(len(probs), inception_score(probs), mean_confidence(probs),
                   tuple(float(s) for s in class_shares(probs)),
                   None if asked is None else conditional_accuracy(probs, asked))


def classify(classifier: keras.Model, images: np.ndarray, batch_size: int = 500) -> np.ndarray:
    """Class probabilities (n, 10) for images (n, 28, 28) in [0, 1]."""
    images = np.asarray(images, dtype=np.float32).reshape(-1, 28, 28, 1)
    parts = [np.asarray(classifier(images[i:i + batch_size], training=False))
             for i in range(0, len(images), batch_size)]
    return np.concatenate(parts) if parts else np.zeros((0, NUM_CLASSES), dtype=np.float32)


def shipped_classifier() -> keras.Model | None:
    """The shipped MNIST CNN (assets/models/cnn.keras), or None where it is not there (yet)."""
    try:
        from playground.digits.classifiers import load_shipped_model
    except ImportError:
        return None
    try:
        return load_shipped_model("cnn")
    except (FileNotFoundError, OSError, ValueError, KeyError):
        return None


EVAL_SEED = 2024  # the samples the README's numbers are measured on


def evaluate_generator(generator: keras.Model, classifier: keras.Model, n: int = 1000,
                       seed: int = EVAL_SEED) -> dict[str, Quality]:
    """The README's protocol: n unconditional samples (digits drawn uniformly), n/10 asked-for samples of each
    digit, and the first n real MNIST test digits as the reference, all judged by the same classifier."""
    from playground.core.datasets import load_dataset
    from playground.gan.sampling import sample

    images, digits = sample(generator, n, None, seed)
    unconditional = judge(classify(classifier, images), digits)
    per_digit = [sample(generator, n // NUM_CLASSES, digit, seed + 1 + digit) for digit in range(NUM_CLASSES)]
    asked = np.concatenate([d for _, d in per_digit])
    conditional = judge(classify(classifier, np.concatenate([i for i, _ in per_digit])), asked)
    test = load_dataset("mnist")
    real = judge(classify(classifier, test.x_test[:n]), test.y_test[:n])
    return {"unconditional": unconditional, "conditional": conditional, "real_test_digits": real}
