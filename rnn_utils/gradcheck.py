"""Numerical gradients by central differences, and the relative error used to compare gradients."""

import numpy as np


def numerical_gradient(f, x, eps=1e-6):
    """Gradient of a scalar function by central differences, one entry at a time.

    d f / d x[i] ~ (f(x + eps e_i) - f(x - eps e_i)) / (2 eps): the error is O(eps^2) for a
    smooth f, against O(eps) for the one-sided difference.

    Arguments:
    f -- function of no arguments returning a float; it must read ``x`` (which is perturbed
         in place and restored after each evaluation)
    x -- float64 NumPy array of any shape, the variable to differentiate by
    eps -- the step; with float64, 1e-6 balances truncation error (eps^2) against rounding
           error (1e-16 / eps)

    Returns:
    grad -- array of the same shape as x
    """
    if not isinstance(x, np.ndarray) or x.dtype != np.float64:
        raise TypeError(
            "x must be a float64 NumPy array (in float32 the rounding error of f swamps the "
            f"difference), got {getattr(x, 'dtype', type(x).__name__)}"
        )
    grad = np.zeros_like(x)
    for index in np.ndindex(x.shape):
        original = x[index]
        x[index] = original + eps
        f_plus = float(f())
        x[index] = original - eps
        f_minus = float(f())
        x[index] = original  # restore, so the next entry sees the unperturbed x
        grad[index] = (f_plus - f_minus) / (2 * eps)
    return grad


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
