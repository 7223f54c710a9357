"""A class-conditional DCGAN for MNIST: the two networks, the GAN with its own train_step, its data, the shipped file."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from playground.core.batches import shuffled_batches
from playground.core.datasets import ASSETS, NUM_CLASSES
from playground.core.device import configure_tensorflow

if TYPE_CHECKING:
    import keras

SHIPPED_GENERATOR = ASSETS / "models" / "gan_generator.keras"
SHIPPED_QUALITY = ASSETS / "models" / "gan_generator.json"
IMAGE_SHAPE = (28, 28, 1)


@dataclass(frozen=True)
class GanShape:
    """The sizes that set a GAN's cost (noise length, filters of each network's widest convolution), and how
    quickly the generator's BatchNorm statistics, used when sampling, follow the training batches."""

    latent_dim: int = 64
    generator_width: int = 64
    discriminator_width: int = 64
    batchnorm_momentum: float = 0.99


SHIPPED_SHAPE = GanShape(64, 64, 64)
# A quarter of the arithmetic: an epoch of 10,000 images in seconds on a CPU. A live run has few batches per epoch,
# and Keras' default momentum (0.99) would leave the sampling statistics far behind: washed-out grey previews.
LIVE_SHAPE = GanShape(32, 32, 32, batchnorm_momentum=0.9)


def _init(seed: int, layer: int) -> Any:
    """DCGAN's N(0, 0.02) start, seeded per layer so a build is reproducible without global seeding."""
    import keras

    return keras.initializers.RandomNormal(0.0, 0.02, seed=seed * 100 + layer)


def build_generator(shape: GanShape = SHIPPED_SHAPE, seed: int = 0) -> keras.Model:
    """Noise z and a one-hot digit -> a 28×28 image in [0, 1], white ink on black.

    The digit enters as a one-hot vector, not an integer, so two digits can be blended when interpolating.
    """
    import keras
    from keras import layers

    # Every layer is named: automatic names come from a per-thread counter that Streamlit's clean-up between
    # reruns may reset while a worker thread is half-way through building, which makes duplicate names.
    width, momentum = shape.generator_width, shape.batchnorm_momentum
    noise = keras.Input((shape.latent_dim,), name="noise")
    digit = keras.Input((NUM_CLASSES,), name="digit")
    x = layers.Concatenate(name="noise_and_digit")([noise, digit])
    x = layers.Dense(7 * 7 * 2 * width, use_bias=False, kernel_initializer=_init(seed, 1), name="project")(x)
    x = layers.BatchNormalization(momentum=momentum, name="project_norm")(x)
    x = layers.ReLU(name="project_relu")(x)
    x = layers.Reshape((7, 7, 2 * width), name="sketch_7x7")(x)  # a 7×7 sketch with many channels ...
    x = layers.Conv2DTranspose(width, 4, strides=2, padding="same", use_bias=False, kernel_initializer=_init(seed, 2),
                               name="up_14x14")(x)
    x = layers.BatchNormalization(momentum=momentum, name="up_14x14_norm")(x)
    x = layers.ReLU(name="up_14x14_relu")(x)  # ... 14×14 ...
    image = layers.Conv2DTranspose(1, 4, strides=2, padding="same", activation="sigmoid",
                                   kernel_initializer=_init(seed, 3), name="image_28x28")(x)  # ... 28×28 in [0, 1]
    return keras.Model([noise, digit], image, name="generator")


def build_discriminator(shape: GanShape = SHIPPED_SHAPE, seed: int = 0) -> keras.Model:
    """An image and the digit it should show -> one logit: high means 'a real MNIST digit of that class'.

    Conditioning by projection (Miyato & Koyama, 2018): the score adds <embedding(digit), features(image)>,
    so the network must check that the image matches the digit, not only that it looks handwritten.
    """
    import keras
    from keras import layers

    width = shape.discriminator_width
    image = keras.Input(IMAGE_SHAPE, name="image")
    digit = keras.Input((NUM_CLASSES,), name="digit")
    x = layers.Conv2D(width, 4, strides=2, padding="same", kernel_initializer=_init(seed, 11), name="conv_14x14")(image)
    x = layers.LeakyReLU(0.2, name="conv_14x14_relu")(x)
    x = layers.Conv2D(2 * width, 4, strides=2, padding="same", kernel_initializer=_init(seed, 12), name="conv_7x7")(x)
    x = layers.LeakyReLU(0.2, name="conv_7x7_relu")(x)
    features = layers.Flatten(name="features")(x)
    features = layers.Dropout(0.3, seed=seed, name="features_dropout")(features)
    realness = layers.Dense(1, kernel_initializer=_init(seed, 13), name="realness")(features)
    embedded = layers.Dense(features.shape[-1], use_bias=False, kernel_initializer=_init(seed, 14),
                            name="digit_embedding")(digit)
    matching = layers.Dot(axes=1, name="digit_match")([embedded, features])
    logit = layers.Add(name="score")([realness, matching])
    return keras.Model([image, digit], logit, name="discriminator")


@functools.cache
def _gan_class() -> type:
    """The GAN model class, made on first use so that importing this module does not import Keras."""
    import keras
    import tensorflow as tf

    class ConditionalGAN(keras.Model):
        """Generator and discriminator trained against each other by fit(), one train_step per batch.

        Metrics per epoch: both losses, and the discriminator's mean output (a probability) on real and on fake
        images: 0.5 for both means it can no longer tell them apart.
        """

        def __init__(self, generator: keras.Model, discriminator: keras.Model, seed: int = 0, **kwargs: Any) -> None:
            super().__init__(**kwargs)
            self.generator, self.discriminator = generator, discriminator
            self.latent_dim = generator.inputs[0].shape[-1]
            self.seed_generator = keras.random.SeedGenerator(seed)
            self.d_loss_tracker = keras.metrics.Mean(name="d_loss")
            self.g_loss_tracker = keras.metrics.Mean(name="g_loss")
            self.real_tracker = keras.metrics.Mean(name="d_real")
            self.fake_tracker = keras.metrics.Mean(name="d_fake")

        @property
        def metrics(self) -> list:
            return [self.d_loss_tracker, self.g_loss_tracker, self.real_tracker, self.fake_tracker]

        def compile(self, d_optimizer: Any, g_optimizer: Any, label_smoothing: float = 0.1) -> None:
            super().compile()
            self.d_optimizer, self.g_optimizer = d_optimizer, g_optimizer
            # Real targets of 0.9 instead of 1 keep the discriminator from becoming overconfident (Salimans 2016).
            self.real_target = 1.0 - label_smoothing
            self.bce = keras.losses.BinaryCrossentropy(from_logits=True)

        def call(self, inputs: Any, training: bool = False) -> Any:
            return self.generator(inputs, training=training)

        def _fakes(self, batch: Any) -> tuple[Any, Any]:
            noise = keras.random.normal((batch, self.latent_dim), seed=self.seed_generator)
            digits = keras.random.randint((batch,), 0, NUM_CLASSES, seed=self.seed_generator)
            return noise, tf.one_hot(digits, NUM_CLASSES)

        def train_step(self, data: Any) -> dict[str, Any]:
            real_images, real_digits, _ = keras.utils.unpack_x_y_sample_weight(data)  # fit() and train_on_batch()
            batch = tf.shape(real_images)[0]

            # 1. The discriminator learns: real images of their digit -> 'real', generated ones -> 'fake'.
            noise, digits = self._fakes(batch)
            fake_images = self.generator([noise, digits], training=True)
            with tf.GradientTape() as tape:
                real_logits = self.discriminator([real_images, real_digits], training=True)
                fake_logits = self.discriminator([fake_images, digits], training=True)
                d_loss = (self.bce(tf.fill(tf.shape(real_logits), self.real_target), real_logits)
                          + self.bce(tf.zeros_like(fake_logits), fake_logits))
            grads = tape.gradient(d_loss, self.discriminator.trainable_weights)
            self.d_optimizer.apply_gradients(zip(grads, self.discriminator.trainable_weights))

            # 2. The generator learns to make the discriminator say 'real' (the discriminator stays fixed).
            noise, digits = self._fakes(batch)
            with tf.GradientTape() as tape:
                fake_logits = self.discriminator([self.generator([noise, digits], training=True), digits],
                                                 training=True)
                g_loss = self.bce(tf.ones_like(fake_logits), fake_logits)
            grads = tape.gradient(g_loss, self.generator.trainable_weights)
            self.g_optimizer.apply_gradients(zip(grads, self.generator.trainable_weights))

            self.d_loss_tracker.update_state(d_loss)
            self.g_loss_tracker.update_state(g_loss)
            self.real_tracker.update_state(tf.sigmoid(real_logits))
            self.fake_tracker.update_state(tf.sigmoid(fake_logits))
            return {metric.name: metric.result() for metric in self.metrics}

    return ConditionalGAN


def build_gan(shape: GanShape = SHIPPED_SHAPE, seed: int = 0, d_learning_rate: float = 2e-4,
              g_learning_rate: float = 2e-4) -> keras.Model:
    """A compiled ConditionalGAN with fresh networks, ready for fit(gan_dataset(...))."""
    configure_tensorflow()
    import keras

    gan = _gan_class()(build_generator(shape, seed), build_discriminator(shape, seed), seed=seed)
    # beta_1 = 0.5 as in the DCGAN paper: less momentum copes better with an opponent that keeps moving.
    gan.compile(keras.optimizers.Adam(d_learning_rate, beta_1=0.5), keras.optimizers.Adam(g_learning_rate, beta_1=0.5))
    return gan


def gan_dataset(images: np.ndarray, labels: np.ndarray, batch_size: int, seed: int) -> Any:
    """(image, one-hot digit) batches, reshuffled every epoch from the run's own seed."""
    import tensorflow as tf

    x = images.reshape(-1, *IMAGE_SHAPE).astype(np.float32)
    return shuffled_batches((x, tf.one_hot(labels.astype(np.int32), NUM_CLASSES)), batch_size, seed)


# --- the shipped generator -------------------------------------------------------------------------------------


def load_generator(path: Path) -> keras.Model:
    """A saved generator, loaded with safe_mode (no arbitrary code runs from the file)."""
    configure_tensorflow()
    import keras

    return keras.models.load_model(path, compile=False, safe_mode=True)


@functools.cache
def load_shipped_generator() -> keras.Model:
    """The pretrained generator under assets/models/ (shared read-only by every session)."""
    return load_generator(SHIPPED_GENERATOR)
