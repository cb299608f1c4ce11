"""Activation functions, written so that they never overflow.

Shapes: every function here works elementwise or column by column on an array of shape
(n, m): n units (or classes) for each of m examples.
"""

import numpy as np

from rnn_utils.shapes import check_shape


def sigmoid(z):
    """Logistic sigmoid 1 / (1 + exp(-z)), elementwise, without overflow for large |z|.

    Arguments:
    z -- NumPy array of any shape

    Returns:
    s -- array of the same shape as z, every entry in [0, 1]
    """
    z = np.asarray(z, dtype=float)
    # exp(-z) overflows for z << 0; exp(z) for z >> 0. Use whichever exponent is <= 0:
    # for z >= 0: 1 / (1 + exp(-z));  for z < 0: exp(z) / (1 + exp(z)) -- the same number.
    exp_of_minus_abs = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0, exp_of_minus_abs) / (1.0 + exp_of_minus_abs)


def softmax(z):
    """Softmax over the first axis (the classes), one column per example.

    Arguments:
    z -- scores, NumPy array of shape (n_y, m)

    Returns:
    p -- probabilities of shape (n_y, m); every column is non-negative and sums to 1
    """
    check_shape(z, ("n_y", "m"), "z", where="softmax")
    # softmax(z) = softmax(z - c) for any constant c per column; with c = max the largest
    # exponent is exp(0) = 1, so nothing overflows and at least one term is not 0.
    shifted = z - np.max(z, axis=0, keepdims=True)  # (n_y, m)
    exp_shifted = np.exp(shifted)  # (n_y, m)
    return exp_shifted / np.sum(exp_shifted, axis=0, keepdims=True)
