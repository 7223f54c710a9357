"""Labels and probabilities in NumPy: one-hot labels, softmax, cross-entropy and accuracy."""

from __future__ import annotations

import numpy as np

Array = np.ndarray

EPSILON = 1e-7  # Keras clips probabilities to [eps, 1 - eps] before the log, so a wrong "certain" answer costs ~16


def one_hot(label: int, num_classes: int) -> Array:
    """The label as a vector of zeros with a single 1 at its index."""
    if not 0 <= label < num_classes:
        raise ValueError(f"label {label} is not one of 0..{num_classes - 1}")
    vector = np.zeros(num_classes)
    vector[label] = 1.0
    return vector


def softmax(logits: Array) -> Array:
    """Turn scores into probabilities that are positive and add up to 1 (along the last axis)."""
    logits = np.asarray(logits, dtype=float)
    exp = np.exp(logits - logits.max(axis=-1, keepdims=True))  # shifting changes nothing but avoids overflow
    return exp / exp.sum(axis=-1, keepdims=True)


def cross_entropy(target: Array, probabilities: Array) -> float:
    """−Σ target · log(probability): with a one-hot target, minus the log of the probability of the true class."""
    clipped = np.clip(np.asarray(probabilities, dtype=float), EPSILON, 1.0 - EPSILON)
    return float(-np.sum(np.asarray(target, dtype=float) * np.log(clipped)))


def accuracy(labels: Array, predictions: Array) -> tuple[int, int]:
    """(correct, total): how many predicted classes equal the true labels."""
    labels, predictions = np.asarray(labels), np.asarray(predictions)
    return int(np.sum(labels == predictions)), int(labels.size)
