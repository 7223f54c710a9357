"""Decision boundaries: TensorFlow Playground's 2D classifier playground on a real Keras engine."""
