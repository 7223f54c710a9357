"""Reuse a trained network: cut the shipped digit CNN after its convolutions, train new heads, teach it new symbols."""
