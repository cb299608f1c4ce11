"""Checks of lessons 01-02: ``rnn_cell_forward`` and ``rnn_forward``.

Cases have all sizes different (so that a transposed product fails or gives other values) plus
size-1 edge cases, and biases that are not zero (so that a missing bias shows). Each known
mistake is a tiny function computing what a function with that mistake would return; the check
recognises the mistake when the student's wrong output equals it.
"""

import numpy as np

from rnn_utils import reference
from rnn_utils.activations import sigmoid, softmax
from rnn_utils.checks.framework import Case, Exercise, Mistake, case_rng, run_check
from rnn_utils.params import initialize_rnn_parameters


def random_rnn_inputs(rng, n_x, n_a, n_y, m, T_x=None, scale=1.0):
    """Random float64 inputs of one case: x (or xt when T_x is None), a_prev, parameters.

    Weights come from initialize_rnn_parameters (N(0, scale^2 / fan_in): 1 gives a tanh in its
    curved range, 3 a mostly saturated one); the biases are redrawn N(0, 0.5^2), not zero, so
    that forgetting one changes the result.
    """
    seed = int(rng.integers(2**32))
    parameters = initialize_rnn_parameters(n_x, n_a, n_y, seed=seed, scale=scale)
    parameters["ba"] = rng.standard_normal((n_a, 1)) * 0.5
    parameters["by"] = rng.standard_normal((n_y, 1)) * 0.5
    x = rng.standard_normal((n_x, m) if T_x is None else (n_x, m, T_x))
    a_prev = rng.uniform(-1, 1, (n_a, m))  # a hidden state: inside tanh's range
    return x, a_prev, parameters


def label(sizes, note):
    """A case's label, e.g. "n_x=3, n_a=5, n_y=2, m=4 (large weights)"."""
    text = ", ".join(f"{name}={size}" for name, size in sizes.items())
    return f"{text} ({note})" if note else text


# (n_x, n_a, n_y, m, weight scale, note). The first, most general case decides most diagnoses.
CELL_CASES = (
    (3, 5, 2, 4, 1.0, ""),
    (4, 2, 3, 6, 1.0, ""),
    (2, 3, 4, 1, 1.0, "one example"),
    (1, 4, 3, 2, 1.0, "one input feature"),
    (3, 2, 1, 5, 1.0, "one output"),
    (5, 3, 4, 7, 3.0, "large weights"),
)

# (n_x, n_a, n_y, m, T_x, weight scale, note)
SEQUENCE_CASES = (
    (3, 5, 2, 4, 6, 1.0, ""),
    (4, 2, 3, 6, 5, 1.0, ""),
    (2, 3, 4, 1, 3, 1.0, "one example"),
    (3, 4, 2, 5, 1, 1.0, "one time step"),
    (1, 3, 1, 2, 4, 1.0, "one input feature, one output"),
    (5, 3, 4, 3, 7, 3.0, "large weights"),
)


def rnn_cell_cases():
    """The Cases of rnn_cell_forward: arguments xt, a_prev, parameters."""
    cases = []
    for seed, (n_x, n_a, n_y, m, scale, note) in enumerate(CELL_CASES):
        xt, a_prev, parameters = random_rnn_inputs(case_rng(seed), n_x, n_a, n_y, m,
                                                   scale=scale)
        sizes = {"n_x": n_x, "n_a": n_a, "n_y": n_y, "m": m}
        arguments = {"xt": xt, "a_prev": a_prev, "parameters": parameters}
        cases.append(Case(label(sizes, note), arguments, sizes))
    return cases


def rnn_cases():
    """The Cases of rnn_forward: arguments x, a0, parameters."""
    cases = []
    for seed, (n_x, n_a, n_y, m, T_x, scale, note) in enumerate(SEQUENCE_CASES, start=100):
        x, a0, parameters = random_rnn_inputs(case_rng(seed), n_x, n_a, n_y, m, T_x,
                                              scale=scale)
        sizes = {"n_x": n_x, "n_a": n_a, "n_y": n_y, "m": m, "T_x": T_x}
        cases.append(Case(label(sizes, note), {"x": x, "a0": a0, "parameters": parameters}, sizes))
    return cases


# ---- Known mistakes of rnn_cell_forward: each returns what that mistake returns. -----------


def _cell(a_next, yt_pred, xt, a_prev, p):
    """The three results of a cell, with the correct cache layout."""
    return a_next, yt_pred, (a_next, a_prev, xt, p)


def _hidden(xt, a_prev, p):
    """The correct new hidden state, (n_a, m)."""
    return np.tanh(p["Wax"] @ xt + p["Waa"] @ a_prev + p["ba"])


def _scores(a, p):
    """The correct output scores (before the softmax) of a hidden state a, (n_y, m)."""
    return p["Wya"] @ a + p["by"]


def _softmax_over(z, axis):
    """A stable softmax over ``axis`` (None: over the whole array)."""
    shifted = np.exp(z - np.max(z, axis=axis, keepdims=True))
    return shifted / np.sum(shifted, axis=axis, keepdims=True)


def _waa_transposed(xt, a_prev, p):
    """Waa.T @ a_prev instead of Waa @ a_prev."""
    a_next = np.tanh(p["Wax"] @ xt + p["Waa"].T @ a_prev + p["ba"])
    return _cell(a_next, softmax(_scores(a_next, p)), xt, a_prev, p)


def _no_ba(xt, a_prev, p):
    """No bias in the hidden state."""
    a_next = np.tanh(p["Wax"] @ xt + p["Waa"] @ a_prev)
    return _cell(a_next, softmax(_scores(a_next, p)), xt, a_prev, p)


def _no_by(xt, a_prev, p):
    """No bias in the output scores."""
    a_next = _hidden(xt, a_prev, p)
    return _cell(a_next, softmax(p["Wya"] @ a_next), xt, a_prev, p)


def _sigmoid_hidden(xt, a_prev, p):
    """The sigmoid instead of tanh for the hidden state."""
    a_next = sigmoid(p["Wax"] @ xt + p["Waa"] @ a_prev + p["ba"])
    return _cell(a_next, softmax(_scores(a_next, p)), xt, a_prev, p)


def _softmax_axis_1(xt, a_prev, p):
    """The softmax over the examples (axis 1) instead of the classes (axis 0)."""
    a_next = _hidden(xt, a_prev, p)
    return _cell(a_next, _softmax_over(_scores(a_next, p), axis=1), xt, a_prev, p)


def _softmax_whole_array(xt, a_prev, p):
    """The softmax over all entries at once."""
    a_next = _hidden(xt, a_prev, p)
    return _cell(a_next, _softmax_over(_scores(a_next, p), axis=None), xt, a_prev, p)


def _no_softmax(xt, a_prev, p):
    """The scores returned as the prediction."""
    a_next = _hidden(xt, a_prev, p)
    return _cell(a_next, _scores(a_next, p), xt, a_prev, p)


def _y_from_a_prev(xt, a_prev, p):
    """The prediction computed from the previous hidden state."""
    a_next = _hidden(xt, a_prev, p)
    return _cell(a_next, softmax(_scores(a_prev, p)), xt, a_prev, p)


CELL_MISTAKES = (
    Mistake("Waa_transposed", "Waa is transposed (Waa.T @ a_prev). Waa is square, so the "
            "shapes fit, but row i of Waa @ a_prev must give unit i: use Waa @ a_prev.",
            _waa_transposed),
    Mistake("missing_ba", "the bias ba is missing: a_next = tanh(Wax @ xt + Waa @ a_prev + ba).",
            _no_ba),
    Mistake("missing_by", "the bias by is missing: yt_pred = softmax(Wya @ a_next + by).", _no_by),
    Mistake("sigmoid_for_tanh", "the hidden state uses the sigmoid; the RNN cell uses tanh: "
            "a_next = np.tanh(...), with values in (-1, 1).", _sigmoid_hidden),
    Mistake("softmax_axis_1", "the softmax is taken over axis 1 (the examples). Each column is "
            "one example: normalise over axis 0, the classes.", _softmax_axis_1),
    Mistake("softmax_whole_array", "the softmax is taken over the whole array, so all examples "
            "share one normalisation. Each column is one example: normalise over axis 0.",
            _softmax_whole_array),
    Mistake("no_softmax", "yt_pred holds the scores Wya @ a_next + by; the prediction is their "
            "softmax (probabilities, each column summing to 1).", _no_softmax),
    Mistake("y_from_a_prev", "yt_pred is computed from a_prev; the prediction of step t comes "
            "from the new hidden state: softmax(Wya @ a_next + by).", _y_from_a_prev),
)


# ---- Known mistakes of rnn_forward (the cell is the reference one during the check). -------


def _state_not_carried(x, a0, parameters):
    """Every step starts from a0."""
    steps = [reference.rnn_cell_forward(x[:, :, t], a0, parameters) for t in range(x.shape[2])]
    a = np.stack([a_next for a_next, _, _ in steps], axis=2)
    y_pred = np.stack([yt_pred for _, yt_pred, _ in steps], axis=2)
    return a, y_pred, ([cache for _, _, cache in steps], x)


def _state_stored_before_update(x, a0, parameters):
    """a[:, :, t] stored before step t runs: the state of step t-1 (a0 for t = 0)."""
    a, y_pred, caches = reference.rnn_forward(x, a0, parameters)
    a_before = np.concatenate([a0[:, :, None], a[:, :, :-1]], axis=2)  # a[:, :, t] = a<t-1>
    return a_before, y_pred, caches


def _caches_without_x(x, a0, parameters):
    """The list of step caches returned without x."""
    a, y_pred, (caches, _) = reference.rnn_forward(x, a0, parameters)
    return a, y_pred, caches


def _time_reversed(x, a0, parameters):
    """The loop runs from the last step to the first, carrying the state backwards in time."""
    # Run on the time-reversed sequence; step k of that run handled x[:, :, T_x-1-k], which is
    # where it stored its results; its caches stay in the order it made them.
    a, y_pred, (caches, _) = reference.rnn_forward(x[:, :, ::-1], a0, parameters)
    return a[:, :, ::-1], y_pred[:, :, ::-1], (caches, x)


def _caches_reversed(x, a0, parameters):
    """The step caches listed from the last step to the first."""
    a, y_pred, (caches, _) = reference.rnn_forward(x, a0, parameters)
    return a, y_pred, (caches[::-1], x)


SEQUENCE_MISTAKES = (
    Mistake("state_not_carried", "the hidden state is not carried forward: every step gets "
            "a0. Pass the a_next of step t as the a_prev of step t+1.", _state_not_carried),
    Mistake("state_stored_before_update", "a[:, :, t] holds the state before step t (off by "
            "one in time): store the a_next returned by step t.", _state_stored_before_update),
    Mistake("caches_missing_x", "caches is only the list of step caches; return the pair "
            "(list of step caches, x).", _caches_without_x),
    Mistake("time_reversed", "the loop runs backwards in time (t = T_x-1 down to 0). The "
            "forward pass starts from a0 at t = 0: for t in range(T_x).", _time_reversed),
    Mistake("caches_reversed", "the step caches are in reverse order (caches.insert(0, ...)?). "
            "caches[0][t] must be the cache of step t: append each step's cache.",
            _caches_reversed),
)

RNN_CELL_FORWARD = Exercise(
    name="rnn_cell_forward",
    make_cases=rnn_cell_cases,
    mistakes=CELL_MISTAKES,
    layouts={"cache": ("a_next", "a_prev", "xt", "parameters")},
)

RNN_FORWARD = Exercise(
    name="rnn_forward",
    make_cases=rnn_cases,
    mistakes=SEQUENCE_MISTAKES,
    layouts={"caches": ("list of step caches", "x")},
)


def check_rnn_cell_forward(rnn_cell_forward):
    """Check a student's ``rnn_cell_forward(xt, a_prev, parameters)``; CheckFailure if wrong."""
    run_check(RNN_CELL_FORWARD, rnn_cell_forward)


def check_rnn_forward(rnn_forward):
    """Check a student's ``rnn_forward(x, a0, parameters)``; raise CheckFailure if wrong.

    During the check the ``rnn_cell_forward`` it calls is the reference one.
    """
    run_check(RNN_FORWARD, rnn_forward)
