"""The checks of the graded functions: ``check_<function>(fn)`` for each one.

A check prints one line when ``fn`` passes and raises CheckFailure (an AssertionError) with a
diagnosis when it does not. The machinery is in ``framework``; the checks of each lesson
family in their own module.
"""

from rnn_utils.checks.clipping import check_clip, check_clip_by_norm
from rnn_utils.checks.framework import CheckFailure
from rnn_utils.checks.gradient_checking import check_numerical_gradient
from rnn_utils.checks.gru_backward import check_gru_backward, check_gru_cell_backward
from rnn_utils.checks.gru_forward import check_gru_cell_forward, check_gru_forward
from rnn_utils.checks.language_model import (
    check_adagrad_update,
    check_loss_per_character,
    check_sample,
    check_sgd_update,
    check_train_truncated,
    check_training_step,
)
from rnn_utils.checks.lstm_backward import check_lstm_backward, check_lstm_cell_backward
from rnn_utils.checks.lstm_forward import check_lstm_cell_forward, check_lstm_forward
from rnn_utils.checks.output_layer import check_output_layer_backward, check_softmax_cross_entropy
from rnn_utils.checks.rnn_backward import check_rnn_backward, check_rnn_cell_backward
from rnn_utils.checks.rnn_forward import check_rnn_cell_forward, check_rnn_forward

__all__ = [
    "CheckFailure",
    "check_adagrad_update",
    "check_clip",
    "check_clip_by_norm",
    "check_gru_backward",
    "check_gru_cell_backward",
    "check_gru_cell_forward",
    "check_gru_forward",
    "check_lstm_backward",
    "check_lstm_cell_backward",
    "check_lstm_cell_forward",
    "check_loss_per_character",
    "check_lstm_forward",
    "check_numerical_gradient",
    "check_output_layer_backward",
    "check_rnn_backward",
    "check_rnn_cell_backward",
    "check_rnn_cell_forward",
    "check_rnn_forward",
    "check_sample",
    "check_sgd_update",
    "check_softmax_cross_entropy",
    "check_train_truncated",
    "check_training_step",
]
