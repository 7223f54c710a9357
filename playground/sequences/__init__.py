"""Sequences: recurrent cells, vanishing gradients, time-series forecasts, digits read row by row."""
