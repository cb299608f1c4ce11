"""Checks of lessons 05-06: the LSTM forward and backward passes.

Cases have all sizes different plus size-1 edges, biases that are not zero, and a c_prev that is
not zero (so that a forgotten c_prev shows); the backward cases take their caches from the
reference forward pass.
"""

import numpy as np

from rnn_utils import reference
from rnn_utils.checks.framework import Case, Exercise, run_check
from rnn_utils.checks.rnn_forward import CELL_CASES, SEQUENCE_CASES, label
from rnn_utils.params import initialize_lstm_parameters

BIASES = ("bf", "bi", "bc", "bo", "by")
STEP_CACHE_LAYOUT = ("a_next", "c_next", "a_prev", "c_prev", "ft", "it", "cct", "ot", "xt",
                     "parameters")


def random_lstm_inputs(rng, n_x, n_a, n_y, m, T_x=None, scale=1.0):
    """Random float64 inputs of one case: x (or xt when T_x is None), a_prev, c_prev, parameters.

    Weights from initialize_lstm_parameters (N(0, scale^2 / fan_in)); every bias redrawn
    N(0, 0.5^2) so that a missing one changes the result; c_prev N(0, 1), as cell states are
    not bounded.
    """
    seed = int(rng.integers(2**32))
    parameters = initialize_lstm_parameters(n_x, n_a, n_y, seed=seed, scale=scale)
    for name in BIASES:
        parameters[name] = rng.standard_normal(parameters[name].shape) * 0.5
    x = rng.standard_normal((n_x, m) if T_x is None else (n_x, m, T_x))
    a_prev = rng.uniform(-1, 1, (n_a, m))
    c_prev = rng.standard_normal((n_a, m))
    return x, a_prev, c_prev, parameters


def lstm_cell_cases():
    """The Cases of lstm_cell_forward: arguments xt, a_prev, c_prev, parameters."""
    cases = []
    for seed, (n_x, n_a, n_y, m, scale, note) in enumerate(CELL_CASES, start=800):
        xt, a_prev, c_prev, parameters = random_lstm_inputs(np.random.default_rng(seed), n_x, n_a,
                                                            n_y, m, scale=scale)
        sizes = {"n_x": n_x, "n_a": n_a, "n_y": n_y, "m": m}
        arguments = {"xt": xt, "a_prev": a_prev, "c_prev": c_prev, "parameters": parameters}
        cases.append(Case(label(sizes, note), arguments, sizes))
    return cases


def lstm_cases():
    """The Cases of lstm_forward: arguments x, a0, parameters."""
    cases = []
    for seed, (n_x, n_a, n_y, m, T_x, scale, note) in enumerate(SEQUENCE_CASES, start=900):
        x, a0, _, parameters = random_lstm_inputs(np.random.default_rng(seed), n_x, n_a, n_y, m,
                                                  T_x, scale=scale)
        sizes = {"n_x": n_x, "n_a": n_a, "n_y": n_y, "m": m, "T_x": T_x}
        cases.append(Case(label(sizes, note), {"x": x, "a0": a0, "parameters": parameters}, sizes))
    return cases


def lstm_cell_backward_cases():
    """The Cases of lstm_cell_backward: arguments da_next, dc_next, cache."""
    cases = []
    for seed, (n_x, n_a, n_y, m, scale, note) in enumerate(CELL_CASES, start=1000):
        rng = np.random.default_rng(seed)
        xt, a_prev, c_prev, parameters = random_lstm_inputs(rng, n_x, n_a, n_y, m, scale=scale)
        *_, cache = reference.lstm_cell_forward(xt, a_prev, c_prev, parameters)
        arguments = {"da_next": rng.standard_normal((n_a, m)),
                     "dc_next": rng.standard_normal((n_a, m)), "cache": cache}
        sizes = {"n_x": n_x, "n_a": n_a, "n_y": n_y, "m": m}
        cases.append(Case(label(sizes, note), arguments, sizes))
    return cases


def lstm_backward_cases():
    """The Cases of lstm_backward: arguments da, caches."""
    cases = []
    for seed, (n_x, n_a, n_y, m, T_x, scale, note) in enumerate(SEQUENCE_CASES, start=1100):
        rng = np.random.default_rng(seed)
        x, a0, _, parameters = random_lstm_inputs(rng, n_x, n_a, n_y, m, T_x, scale=scale)
        *_, caches = reference.lstm_forward(x, a0, parameters)
        sizes = {"n_x": n_x, "n_a": n_a, "n_y": n_y, "m": m, "T_x": T_x}
        arguments = {"da": rng.standard_normal((n_a, m, T_x)), "caches": caches}
        cases.append(Case(label(sizes, note), arguments, sizes))
    return cases


BACKWARD_ASPECTS = "shapes, values of every gradient, inputs unchanged"

LSTM_CELL_FORWARD = Exercise("lstm_cell_forward", lstm_cell_cases,
                             layouts={"cache": STEP_CACHE_LAYOUT})
LSTM_FORWARD = Exercise("lstm_forward", lstm_cases,
                        layouts={"caches": ("list of step caches", "x")})
LSTM_CELL_BACKWARD = Exercise("lstm_cell_backward", lstm_cell_backward_cases,
                              aspects=BACKWARD_ASPECTS)
LSTM_BACKWARD = Exercise("lstm_backward", lstm_backward_cases, aspects=BACKWARD_ASPECTS)


def check_lstm_cell_forward(lstm_cell_forward):
    """Check a student's ``lstm_cell_forward(xt, a_prev, c_prev, parameters)``."""
    run_check(LSTM_CELL_FORWARD, lstm_cell_forward)


def check_lstm_forward(lstm_forward):
    """Check a student's ``lstm_forward(x, a0, parameters)`` (reference cell during the check)."""
    run_check(LSTM_FORWARD, lstm_forward)


def check_lstm_cell_backward(lstm_cell_backward):
    """Check a student's ``lstm_cell_backward(da_next, dc_next, cache)``."""
    run_check(LSTM_CELL_BACKWARD, lstm_cell_backward)


def check_lstm_backward(lstm_backward):
    """Check a student's ``lstm_backward(da, caches)`` (reference cell during the check)."""
    run_check(LSTM_BACKWARD, lstm_backward)
