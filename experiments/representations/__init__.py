"""Representations: projections, features, hidden units: Linear units project the input to a lower dimension: a linear layer is still useful to linear-project the input (L209)."""
