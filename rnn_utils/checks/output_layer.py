"""Checks of lesson 04's output layer: ``softmax_cross_entropy`` and ``output_layer_backward``.

The output layer sits on top of the hidden states: scores z<t> = Wya @ a<t> + by, predictions
softmax(z<t>), a cross-entropy loss. Its backward pass produces the ``da`` that rnn_backward
takes. As for the RNN, each known mistake is a tiny function computing what it returns, and a
wrong gradient is compared with central differences of the forward computation.
"""

import numpy as np

from rnn_utils.checks.framework import Case, Exercise, Mistake, case_rng, run_check
from rnn_utils.checks.rnn_backward import BACKWARD_ASPECTS, estimate
from rnn_utils.checks.rnn_forward import SEQUENCE_CASES, label, random_rnn_inputs


def random_targets(rng, n_y, m, T_x):
    """One-hot targets of shape (n_y, m, T_x): one class drawn per example and step."""
    classes = rng.integers(n_y, size=(m, T_x))
    return np.moveaxis(np.eye(n_y)[classes], 2, 0)  # (m, T_x, n_y) -> (n_y, m, T_x)


def softmax_cross_entropy_cases():
    """The Cases of softmax_cross_entropy: arguments y_pred, y."""
    cases = []
    for seed, (_, _, n_y, m, T_x, scale, note) in enumerate(SEQUENCE_CASES, start=500):
        rng = case_rng(seed)
        scores = rng.standard_normal((n_y, m, T_x)) * 2 * scale
        y_pred = np.exp(scores) / np.sum(np.exp(scores), axis=0)  # softmax over the classes
        sizes = {"n_y": n_y, "m": m, "T_x": T_x}
        arguments = {"y_pred": y_pred, "y": random_targets(rng, n_y, m, T_x)}
        cases.append(Case(label(sizes, note if "large" not in note else "confident"), arguments,
                          sizes))
    return cases


def output_layer_backward_cases():
    """The Cases of output_layer_backward: arguments dz, a, parameters."""
    cases = []
    for seed, (n_x, n_a, n_y, m, T_x, scale, note) in enumerate(SEQUENCE_CASES, start=600):
        rng = case_rng(seed)
        _, _, parameters = random_rnn_inputs(rng, n_x, n_a, n_y, m, T_x, scale=scale)
        a = np.tanh(rng.standard_normal((n_a, m, T_x)))
        dz = rng.standard_normal((n_y, m, T_x)) / m
        sizes = {"n_a": n_a, "n_y": n_y, "m": m, "T_x": T_x}
        cases.append(Case(label(sizes, note), {"dz": dz, "a": a, "parameters": parameters},
                          sizes))
    return cases


# ---- Gradient checks ------------------------------------------------------------------------


def cross_entropy_gradient_estimate(arguments, name):
    """Estimate of dz: the gradient of the loss with respect to the scores z = log(y_pred)
    (whose softmax over the classes is y_pred again, each column summing to 1)."""
    y = arguments["y"]
    scores = np.log(arguments["y_pred"])  # (n_y, m, T_x)

    def loss():
        shifted = scores - np.max(scores, axis=0, keepdims=True)
        log_softmax = shifted - np.log(np.sum(np.exp(shifted), axis=0, keepdims=True))
        return float(-np.sum(y * log_softmax) / y.shape[1])

    return estimate(loss, {"dz": scores}, name)


def output_layer_gradient_estimate(arguments, name):
    """Estimate of output ``name`` of output_layer_backward: the gradient of
    L = sum(dz * z), z<t> = Wya @ a<t> + by at every step."""
    dz, a, parameters = arguments["dz"], arguments["a"], arguments["parameters"]
    variables = {"da": a, "dWya": parameters["Wya"], "dby": parameters["by"]}

    def loss():
        scores = np.einsum("ya,amt->ymt", parameters["Wya"], a) + parameters["by"][:, :, None]
        return float(np.sum(dz * scores))

    return estimate(loss, variables, name)


# ---- Known mistakes of softmax_cross_entropy ------------------------------------------------


def _cross_entropy(loss=None, dz=None):
    """A variant: the correct loss and dz, except those given, as functions (y_pred, y, m)."""

    def variant(y_pred, y):
        m = y.shape[1]
        right_loss, right_dz = -np.sum(y * np.log(y_pred)) / m, (y_pred - y) / m
        return (float(loss(y_pred, y, m)) if loss else float(right_loss),
                dz(y_pred, y, m) if dz else right_dz)

    return variant


CROSS_ENTROPY_MISTAKES = (
    Mistake("loss_sign", "the loss has the wrong sign: log y_pred <= 0, so the cross-entropy "
            "is -(1/m) sum y log(y_pred), a positive number.",
            _cross_entropy(loss=lambda p, y, m: np.sum(y * np.log(p)) / m)),
    Mistake("loss_not_averaged", "the loss is not divided by m: it is summed over the steps "
            "and averaged over the m examples, -(1/m) sum y log(y_pred).",
            _cross_entropy(loss=lambda p, y, m: -np.sum(y * np.log(p)))),
    Mistake("loss_averaged_over_steps", "the loss is divided by m * T_x (averaged over the "
            "steps too): it is summed over the steps and divided by m only.",
            _cross_entropy(loss=lambda p, y, m: -np.sum(y * np.log(p)) / (m * y.shape[2]))),
    Mistake("loss_mean_of_entries", "the loss is np.mean over every entry, so divided by "
            "n_y * m * T_x: sum over the classes and steps, divide by m only.",
            _cross_entropy(loss=lambda p, y, m: -np.mean(y * np.log(p)))),
    Mistake("loss_without_y", "the loss adds up the log of every probability. Only the "
            "target class counts: multiply by the one-hot y, -(1/m) sum y log(y_pred).",
            _cross_entropy(loss=lambda p, y, m: -np.sum(np.log(p)) / m)),
    Mistake("dz_sign", "dz has the wrong sign: the gradient of the loss with respect to the "
            "scores is (y_pred - y) / m.", _cross_entropy(dz=lambda p, y, m: (y - p) / m)),
    Mistake("dz_not_divided_by_m", "dz is not divided by m: the loss is an average over the m "
            "examples, so its gradient is (y_pred - y) / m.",
            _cross_entropy(dz=lambda p, y, m: p - y)),
    Mistake("dz_divided_by_m_T_x", "dz is divided by m * T_x: the loss is summed over the "
            "steps, so dz = (y_pred - y) / m.",
            _cross_entropy(dz=lambda p, y, m: (p - y) / (m * y.shape[2]))),
)


# ---- Known mistakes of output_layer_backward ------------------------------------------------


def _output_layer(**replaced):
    """A variant: the correct gradients except those given, as functions (dz, a, Wya)."""

    def variant(dz, a, parameters):
        Wya = parameters["Wya"]
        gradients = {"da": np.einsum("ya,ymt->amt", Wya, dz),
                     "dWya": np.einsum("ymt,amt->ya", dz, a),
                     "dby": np.sum(dz, axis=(1, 2))[:, None]}
        return {**gradients, **{name: make(dz, a, Wya) for name, make in replaced.items()}}

    return variant


def _one_step_only(t):
    """A variant whose dWya and dby are those of step t alone (assigned, not added, in the
    loop over the steps)."""
    return _output_layer(dWya=lambda dz, a, W: dz[:, :, t] @ a[:, :, t].T,
                         dby=lambda dz, a, W: np.sum(dz[:, :, t], axis=1, keepdims=True))


SUMMED_OVER_TIME = ("Wya is shared by every step: add up each step's gradient, "
                    "dWya += dz[:, :, t] @ a[:, :, t].T.")
DBY_SUM = "dby = the sum of dz over the examples and the steps, shape (n_y, 1)."

OUTPUT_LAYER_MISTAKES = (
    Mistake("da_without_Wya", "da is dz itself: the scores are z = Wya @ a + by, so the "
            "gradient reaching a<t> is Wya.T @ dz[:, :, t], shape (n_a, m).",
            _output_layer(da=lambda dz, a, W: dz)),
    Mistake("dWya_transposed", "dWya is transposed (a @ dz.T). A weight's gradient has the "
            "weight's shape: dWya += dz[:, :, t] @ a[:, :, t].T, (n_y, n_a).",
            _output_layer(dWya=lambda dz, a, W: np.einsum("ymt,amt->ay", dz, a))),
    Mistake("dWya_not_summed_over_time", "dWya holds the last step's gradient only. "
            + SUMMED_OVER_TIME, _one_step_only(-1)),
    Mistake("dWya_not_summed_over_time", "dWya holds the first step's gradient only. "
            + SUMMED_OVER_TIME, _one_step_only(0)),
    Mistake("dby_keepdims_missing", "dby is flat, shape (n_y,): keep the summed axes with "
            "keepdims=True. " + DBY_SUM,
            _output_layer(dby=lambda dz, a, W: np.sum(dz, axis=(1, 2)))),
    Mistake("dby_averaged", "dby is averaged over the examples (np.mean). dz already holds the "
            "1/m of the loss: " + DBY_SUM,
            _output_layer(dby=lambda dz, a, W: np.sum(dz, axis=(1, 2))[:, None] / dz.shape[1])),
    Mistake("dby_averaged", "dby is averaged over the examples and the steps (np.mean). dz "
            "already holds the 1/m of the loss: " + DBY_SUM,
            _output_layer(dby=lambda dz, a, W: np.mean(dz, axis=(1, 2))[:, None])),
)


SOFTMAX_CROSS_ENTROPY = Exercise("softmax_cross_entropy", softmax_cross_entropy_cases,
                                 mistakes=CROSS_ENTROPY_MISTAKES,
                                 aspects="loss, dz, inputs unchanged",
                                 gradient_check=cross_entropy_gradient_estimate)
OUTPUT_LAYER_BACKWARD = Exercise("output_layer_backward", output_layer_backward_cases,
                                 mistakes=OUTPUT_LAYER_MISTAKES, aspects=BACKWARD_ASPECTS,
                                 gradient_check=output_layer_gradient_estimate)


def check_softmax_cross_entropy(softmax_cross_entropy):
    """Check a student's ``softmax_cross_entropy(y_pred, y)``; CheckFailure if wrong."""
    run_check(SOFTMAX_CROSS_ENTROPY, softmax_cross_entropy)


def check_output_layer_backward(output_layer_backward):
    """Check a student's ``output_layer_backward(dz, a, parameters)``; CheckFailure if wrong."""
    run_check(OUTPUT_LAYER_BACKWARD, output_layer_backward)
