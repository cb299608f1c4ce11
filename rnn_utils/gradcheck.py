"""Numerical gradients by central differences, and the relative error used to compare gradients.

``numerical_gradient(f, x, eps=1e-6)`` is the graded function of lesson 03 (its one source is
that lesson; this module re-exports the reference version generated from it).
"""

import numpy as np

from rnn_utils.reference import numerical_gradient

__all__ = ["numerical_gradient", "relative_error"]


def relative_error(a, b):
    """Relative error ||a - b|| / (||a|| + ||b||) between two arrays of the same shape.

    Scale-free, so it means the same for large and small gradients; 0 when both are 0.
    Unlike a signed sum of differences, positive and negative errors cannot cancel.

    Arguments:
    a, b -- NumPy arrays of the same shape

    Returns:
    error -- float in [0, 1]: about 1e-7 or less for a correct gradient checked in float64,
             above 1e-4 for a wrong one
    """
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    if a.shape != b.shape:
        raise ValueError(f"relative_error: a has shape {a.shape} but b has shape {b.shape}")
    denominator = np.linalg.norm(a) + np.linalg.norm(b)
    if denominator == 0:
        return 0.0
    return float(np.linalg.norm(a - b) / denominator)
