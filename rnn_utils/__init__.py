"""Helpers for the course "Backpropagation through time, step by step".

Learner-facing and small: activations, seeded parameters, shape assertions, gradient checking.
The checks of the graded exercises live in ``rnn_utils.checks``; the reference implementation of
every graded function, generated from the solution lessons, in ``rnn_utils.reference``.
"""

from rnn_utils import hints
from rnn_utils.activations import sigmoid, softmax
from rnn_utils.gradcheck import numerical_gradient, relative_error
from rnn_utils.params import (
    initialize_gru_parameters,
    initialize_lstm_parameters,
    initialize_rnn_parameters,
)
from rnn_utils.shapes import ShapeError, check_shape

hints.install()  # in a notebook, name the unfinished exercise behind a follow-on error

__all__ = [
    "ShapeError",
    "check_shape",
    "initialize_gru_parameters",
    "initialize_lstm_parameters",
    "initialize_rnn_parameters",
    "numerical_gradient",
    "relative_error",
    "sigmoid",
    "softmax",
]
