"""Shrink a trained network: int8 / float16 quantization, magnitude pruning, and their weight histograms."""
