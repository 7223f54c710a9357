"""Plotly figure builders, one module per topic; they return figures and never call st.*."""
