"""Batches in a new order every epoch, from a run's own seed: the one input pipeline of every training job."""

from __future__ import annotations

from typing import Any


def shuffled_batches(arrays: Any, batch_size: int, seed: int) -> Any:
    """A tf.data pipeline of batches of `arrays` (an array, or a tuple/dict of arrays with the same first length).

    No process-global seeding, and none read: the order is a stateless shuffle seeded by (pass, run seed), the pass
    counted by the pipeline itself each time Keras starts an epoch over it. (Dataset.random(seed) or
    Dataset.shuffle(seed=...) would mix in TensorFlow's global seed whenever any code in the process had set one, and
    the same run would train differently.) Built like Keras' own pipeline for arrays (a permutation cut into batches
    of indices, a parallel gather, default optimizations off), so that it costs no more than a plain model.fit.
    """
    import tensorflow as tf

    arrays = tf.nest.map_structure(tf.convert_to_tensor, arrays)
    n = int(tf.nest.flatten(arrays)[0].shape[0])
    full, rest = divmod(n, batch_size)

    def epoch_batches(epoch: Any) -> Any:
        order = tf.random.experimental.stateless_shuffle(
            tf.range(n, dtype=tf.int64), seed=tf.stack([epoch, tf.constant(seed, tf.int64)]))
        batches = tf.data.Dataset.from_tensor_slices(tf.reshape(order[:full * batch_size], [full, batch_size]))
        return batches.concatenate(tf.data.Dataset.from_tensors(order[full * batch_size:])) if rest else batches

    passes = tf.Variable(0, dtype=tf.int64, trainable=False)
    indices = (tf.data.Dataset.from_tensors(0).map(lambda _: passes.assign_add(1)).flat_map(epoch_batches)
               .apply(tf.data.experimental.assert_cardinality(full + bool(rest))))
    whole = tf.data.Dataset.from_tensors(arrays).repeat()
    batches = tf.data.Dataset.zip((indices, whole)).map(
        lambda i, data: tf.nest.map_structure(lambda array: tf.gather(array, i), data),
        num_parallel_calls=tf.data.AUTOTUNE)
    options = tf.data.Options()
    options.experimental_optimization.apply_default_optimizations = False
    return batches.with_options(options).prefetch(tf.data.AUTOTUNE)
