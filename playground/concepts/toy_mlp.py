"""2D toy data and a tiny NumPy MLP: stacked layers without activations stay one linear map."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from playground.concepts.neuron import ACTIVATIONS, sigmoid

TOY_DATASETS = ("circles", "moons")


def make_toy_data(name: str = "circles", samples: int = 300, noise: float = 0.1,
                  seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Points (samples, 2) and 0/1 labels: a ring around a disc, or two interleaved half-moons."""
    rng = np.random.default_rng(seed)
    half = samples // 2
    if name == "circles":
        angle = rng.uniform(0, 2 * np.pi, samples)
        radius = np.where(np.arange(samples) < half, 1.0, 0.4)
        points = np.column_stack([radius * np.cos(angle), radius * np.sin(angle)])
    elif name == "moons":
        angle = rng.uniform(0, np.pi, samples)
        outer = np.column_stack([np.cos(angle[:half]), np.sin(angle[:half])])
        inner = np.column_stack([1 - np.cos(angle[half:]), 0.5 - np.sin(angle[half:])])
        points = np.vstack([outer, inner]) - [0.5, 0.25]
    else:
        raise ValueError(f"unknown toy dataset {name!r}; known: {', '.join(TOY_DATASETS)}")
    labels = (np.arange(samples) >= half).astype(float)
    return points + rng.normal(0, noise, points.shape), labels


@dataclass
class ToyMLP:
    """Dense layers with one hidden activation and a sigmoid output that reads as P(class 1)."""

    weights: list[np.ndarray]
    biases: list[np.ndarray]
    activation: str = "tanh"

    def forward(self, x: np.ndarray) -> tuple[list[np.ndarray], list[np.ndarray]]:
        """Each layer's weighted sums and outputs (outputs[0] is the input itself)."""
        act = ACTIVATIONS[self.activation].function
        sums, outputs = [], [x]
        for index, (w, b) in enumerate(zip(self.weights, self.biases)):
            sums.append(outputs[-1] @ w + b)
            last = index == len(self.weights) - 1
            outputs.append(sigmoid(sums[-1]) if last else act(sums[-1]))
        return sums, outputs

    def predict(self, x: np.ndarray) -> np.ndarray:
        """P(class 1) for each point."""
        return self.forward(x)[1][-1][:, 0]

    def gradients(self, x: np.ndarray, y: np.ndarray) -> tuple[float, list[np.ndarray], list[np.ndarray]]:
        """Mean binary cross-entropy and its gradient for every weight and bias (backpropagation by hand)."""
        sums, outputs = self.forward(x)
        p = np.clip(outputs[-1][:, 0], 1e-7, 1 - 1e-7)
        loss = float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))
        delta = (outputs[-1] - y[:, None]) / len(x)  # sigmoid + cross-entropy: the slope is simply p − y
        grad_w, grad_b = [], []
        for index in range(len(self.weights) - 1, -1, -1):
            grad_w.insert(0, outputs[index].T @ delta)
            grad_b.insert(0, delta.sum(axis=0))
            if index:
                delta = (delta @ self.weights[index].T) * ACTIVATIONS[self.activation].derivative(sums[index - 1])
        return loss, grad_w, grad_b

    def as_single_layer(self) -> tuple[np.ndarray, np.ndarray]:
        """For the identity activation: the one (weights, bias) that computes exactly the same sums."""
        if self.activation != "identity":
            raise ValueError("only a network without activations collapses into one layer")
        w, b = np.eye(self.weights[0].shape[0]), np.zeros(self.weights[0].shape[0])
        for layer_w, layer_b in zip(self.weights, self.biases):
            w, b = w @ layer_w, b @ layer_w + layer_b
        return w, b


def init_toy_mlp(hidden: tuple[int, ...] = (16, 16), activation: str = "tanh", seed: int = 0) -> ToyMLP:
    """Glorot-uniform weights, zero biases, 2 inputs and 1 output."""
    rng = np.random.default_rng(seed)
    sizes = [2, *hidden, 1]
    weights = [rng.uniform(-1, 1, (a, b)) * np.sqrt(6 / (a + b)) for a, b in zip(sizes, sizes[1:])]
    return ToyMLP(weights, [np.zeros(b) for b in sizes[1:]], activation)


def train_toy_mlp(x: np.ndarray, y: np.ndarray, hidden: tuple[int, ...] = (16, 16), activation: str = "tanh",
                  epochs: int = 1500, learning_rate: float = 0.05, seed: int = 0) -> tuple[ToyMLP, list[float]]:
    """Full-batch Adam on the whole toy set; returns the model and the loss of every epoch."""
    model = init_toy_mlp(hidden, activation, seed)
    params = model.weights + model.biases
    m = [np.zeros_like(p) for p in params]
    v = [np.zeros_like(p) for p in params]
    beta1, beta2, losses = 0.9, 0.999, []
    for step in range(1, epochs + 1):
        loss, grad_w, grad_b = model.gradients(x, y)
        losses.append(loss)
        for p, g, m_i, v_i in zip(params, grad_w + grad_b, m, v):
            m_i[...] = beta1 * m_i + (1 - beta1) * g
            v_i[...] = beta2 * v_i + (1 - beta2) * g * g
            p -= learning_rate * (m_i / (1 - beta1**step)) / (np.sqrt(v_i / (1 - beta2**step)) + 1e-8)
    return model, losses


def decision_grid(model: ToyMLP, x: np.ndarray, resolution: int = 60,
                  margin: float = 0.3) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """P(class 1) on a grid covering the points: (xs, ys, probabilities of shape (resolution, resolution))."""
    low, high = x.min(axis=0) - margin, x.max(axis=0) + margin
    xs, ys = np.linspace(low[0], high[0], resolution), np.linspace(low[1], high[1], resolution)
    grid = np.stack(np.meshgrid(xs, ys), axis=-1).reshape(-1, 2)
    return xs, ys, model.predict(grid).reshape(resolution, resolution)
