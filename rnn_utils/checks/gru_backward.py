"""Checks of lesson 09, backward: one GRU step (gru_cell_backward) and through time
(gru_backward).

The cases take their caches from the reference forward pass, so a case holds exactly what a
forward pass stores. Each known mistake is a tiny function computing what a function with that
mistake returns; a wrong gradient is also compared with central differences of the forward pass
(the ``gradient_check`` hook).
"""

import numpy as np

from rnn_utils import reference
from rnn_utils.checks.framework import Case, Exercise, Mistake, case_rng, run_check
from rnn_utils.checks.gru_forward import STEP_CACHE_LAYOUT, random_gru_inputs
from rnn_utils.checks.lstm_forward import run_steps
from rnn_utils.checks.rnn_backward import BACKWARD_ASPECTS, estimate
from rnn_utils.checks.rnn_forward import CELL_CASES, SEQUENCE_CASES, label

GATES = "zrh"  # update gate, reset gate, candidate
GATE_NAMES = tuple(f"d{kind}{gate}" for gate in GATES for kind in "Wb")  # dWz, dbz, dWr, ...


def gru_cell_backward_cases():
    """The Cases of gru_cell_backward: arguments da_next, cache."""
    cases = []
    for seed, (n_x, n_a, n_y, m, scale, note) in enumerate(CELL_CASES, start=2000):
        rng = case_rng(seed)
        xt, a_prev, parameters = random_gru_inputs(rng, n_x, n_a, n_y, m, scale=scale)
        *_, cache = reference.gru_cell_forward(xt, a_prev, parameters)
        sizes = {"n_x": n_x, "n_a": n_a, "n_y": n_y, "m": m}
        arguments = {"da_next": rng.standard_normal((n_a, m)), "cache": cache}
        cases.append(Case(label(sizes, note), arguments, sizes))
    return cases


def gru_backward_cases():
    """The Cases of gru_backward: arguments da, caches."""
    cases = []
    for seed, (n_x, n_a, n_y, m, T_x, scale, note) in enumerate(SEQUENCE_CASES, start=2100):
        rng = case_rng(seed)
        x, a0, parameters = random_gru_inputs(rng, n_x, n_a, n_y, m, T_x, scale=scale)
        *_, caches = reference.gru_forward(x, a0, parameters)
        sizes = {"n_x": n_x, "n_a": n_a, "n_y": n_y, "m": m, "T_x": T_x}
        arguments = {"da": rng.standard_normal((n_a, m, T_x)), "caches": caches}
        cases.append(Case(label(sizes, note), arguments, sizes))
    return cases


# ---- Gradient checks: central differences of the forward pass ------------------------------


def _parameter_variables(parameters):
    """Gradient name -> the parameter array it differentiates, for the three gates."""
    return {name: parameters[name[1:]] for name in GATE_NAMES}


def gru_cell_gradient_estimate(arguments, name):
    """Estimate of output ``name`` of gru_cell_backward: the gradient of
    L = sum(da_next * a_next), from gru_cell_forward."""
    da_next, cache = arguments["da_next"], arguments["cache"]
    _, a_prev, _, _, _, xt, parameters = cache
    variables = {"dxt": xt, "da_prev": a_prev, **_parameter_variables(parameters)}

    def loss():
        return float(np.sum(da_next * reference.gru_cell_forward(xt, a_prev, parameters)[0]))

    return estimate(loss, variables, name)


def gru_gradient_estimate(arguments, name):
    """Estimate of output ``name`` of gru_backward: the gradient of L = sum(da * a),
    a = gru_forward(x, a0, parameters), a0 and parameters read from the first step cache."""
    da, (step_caches, x) = arguments["da"], arguments["caches"]
    a0, parameters = step_caches[0][1], step_caches[0][6]
    variables = {"dx": x, "da0": a0, **_parameter_variables(parameters)}

    def loss():
        return float(np.sum(da * reference.gru_forward(x, a0, parameters)[0]))

    return estimate(loss, variables, name)


# ---- Known mistakes of gru_cell_backward: each returns what that mistake returns. -----------


def _weight_gradients(v):
    """dW and db (summed over the examples) of the three gates, by name; the candidate's
    weights read the reset stack."""
    gradients = {}
    for gate, stack in (("z", "concat"), ("r", "concat"), ("h", "concat_reset")):
        gradients[f"dW{gate}"] = v[f"du{gate}"] @ v[stack].T
        gradients[f"db{gate}"] = np.sum(v[f"du{gate}"], axis=1, keepdims=True)
    return gradients


def _n_a(v):
    return v["a_prev"].shape[0]


def _parameter(v, name):
    return v["parameters"][name]


CELL_BACKWARD_STEPS = (
    ("concat", lambda v: np.concatenate([v["a_prev"], v["xt"]], axis=0)),
    ("concat_reset", lambda v: np.concatenate([v["rt"] * v["a_prev"], v["xt"]], axis=0)),
    ("duh", lambda v: v["da_next"] * (1 - v["zt"]) * (1 - v["hht"] ** 2)),
    ("duz", lambda v: v["da_next"] * (v["a_prev"] - v["hht"]) * v["zt"] * (1 - v["zt"])),
    ("dconcat_reset", lambda v: _parameter(v, "Wh").T @ v["duh"]),
    ("dreset_product", lambda v: v["dconcat_reset"][:_n_a(v)]),
    ("dur", lambda v: v["dreset_product"] * v["a_prev"] * v["rt"] * (1 - v["rt"])),
    ("gates", _weight_gradients),
    ("dconcat", lambda v: _parameter(v, "Wz").T @ v["duz"] + _parameter(v, "Wr").T @ v["dur"]),
    ("da_prev", lambda v: v["da_next"] * v["zt"] + v["dreset_product"] * v["rt"]
     + v["dconcat"][:_n_a(v)]),
    ("dxt", lambda v: v["dconcat_reset"][_n_a(v):] + v["dconcat"][_n_a(v):]),
)


def _cell_variant(**replace):
    """gru_cell_backward with the steps named in ``replace`` computed by the given formulas."""

    def variant(da_next, cache):
        values = {"da_next": da_next, **dict(zip(STEP_CACHE_LAYOUT, cache))}
        v = run_steps(CELL_BACKWARD_STEPS, values, replace)
        return {"dxt": v["dxt"], "da_prev": v["da_prev"], **v["gates"]}

    return variant


def _cell_mistake(key, explanation, **replace):
    """A Mistake of gru_cell_backward whose variant is _cell_variant(**replace)."""
    return Mistake(key, explanation, _cell_variant(**replace))


def _transposed_weights(v):
    """The gate gradients with every weight gradient transposed, (n_a + n_x, n_a)."""
    return {name: value.T if name.startswith("dW") else value
            for name, value in _weight_gradients(v).items()}


SIGMOID_DERIVATIVE = "sigmoid'(u) = s (1 - s), with s the gate's value (zt, rt)"
DA_PREV = "da_prev = da_next * zt + dreset_product * rt + dconcat[:n_a]"

CELL_BACKWARD_MISTAKES = (
    _cell_mistake("update_gradient_sign", "duz has the wrong sign: a_next = zt * a_prev + "
                  "(1 - zt) * hht, so d a_next / d zt = a_prev - hht, and "
                  "duz = da_next * (a_prev - hht) * zt * (1 - zt).",
                  duz=lambda v: v["da_next"] * (v["hht"] - v["a_prev"]) * v["zt"] * (1 - v["zt"])),
    _cell_mistake("candidate_gradient_uses_z", "duh uses zt. The candidate is weighted by "
                  "1 - zt: duh = da_next * (1 - zt) * (1 - hht**2).",
                  duh=lambda v: v["da_next"] * v["zt"] * (1 - v["hht"] ** 2)),
    _cell_mistake("candidate_weights_unreset_stack", "dWh uses [a_prev; xt]. The candidate read "
                  "the reset stack: dWh = duh @ [rt * a_prev; xt].T.",
                  gates=lambda v: {**_weight_gradients(v), "dWh": v["duh"] @ v["concat"].T}),
    _cell_mistake("reset_gradient_missing_a_prev", "dur misses a_prev: the reset gate "
                  "multiplied a_prev, so dur = dreset_product * a_prev * rt * (1 - rt).",
                  dur=lambda v: v["dreset_product"] * v["rt"] * (1 - v["rt"])),
    _cell_mistake("da_prev_missing_direct_path", "da_prev misses the direct path da_next * zt "
                  f"(a_next = zt * a_prev + ...). a_prev reaches a_next four ways: {DA_PREV}.",
                  da_prev=lambda v: v["dreset_product"] * v["rt"] + v["dconcat"][:_n_a(v)]),
    _cell_mistake("da_prev_missing_reset_path", "da_prev misses the path through "
                  f"rt * a_prev (dreset_product * rt). a_prev reaches a_next four ways: {DA_PREV}.",
                  da_prev=lambda v: v["da_next"] * v["zt"] + v["dconcat"][:_n_a(v)]),
    _cell_mistake("da_prev_missing_gates", "da_prev misses the gates' path dconcat[:n_a] (a_prev "
                  f"is in the stack both gates read). a_prev reaches a_next four ways: {DA_PREV}.",
                  da_prev=lambda v: v["da_next"] * v["zt"] + v["dreset_product"] * v["rt"]),
    _cell_mistake("dxt_missing_candidate_path", "dxt misses the candidate's part: xt is in both "
                  "stacks, so dxt = dconcat_reset[n_a:] + dconcat[n_a:].",
                  dxt=lambda v: v["dconcat"][_n_a(v):]),
    _cell_mistake("tanh_derivative_as_sigmoid", "the candidate's derivative is written "
                  "hht * (1 - hht) (the sigmoid's). tanh'(u) = 1 - hht**2.",
                  duh=lambda v: v["da_next"] * (1 - v["zt"]) * v["hht"] * (1 - v["hht"])),
    _cell_mistake("sigmoid_derivative_as_tanh", "the gates' derivative is written 1 - s**2 "
                  f"(the tanh's). {SIGMOID_DERIVATIVE}.",
                  duz=lambda v: v["da_next"] * (v["a_prev"] - v["hht"]) * (1 - v["zt"] ** 2),
                  dur=lambda v: v["dreset_product"] * v["a_prev"] * (1 - v["rt"] ** 2)),
    _cell_mistake("gate_bias_averaged", "the bias gradients are averaged over the examples "
                  "(np.mean). Each bias is added to every example: sum over axis 1, "
                  "np.sum(du, axis=1, keepdims=True).",
                  gates=lambda v: {name: value / v["xt"].shape[1] if name.startswith("db")
                                   else value for name, value in _weight_gradients(v).items()}),
    _cell_mistake("gate_weight_gradient_transposed", "the weight gradients are transposed "
                  "(concat @ du.T). A weight's gradient has its shape: dW = du @ concat.T, "
                  "(n_a, m) @ (m, n_a + n_x).",
                  gates=_transposed_weights),
)


# ---- Known mistakes of gru_backward (reference cell during the check). ----------------------


def _run_steps(da, caches, times=None, carry=True):
    """Run the reference cell backward over the steps, as a BPTT loop with a mistake would.

    times -- the order of the steps (default: T_x-1 down to 0)
    carry -- whether the da_prev of a step reaches the next step run
    Returns the gradients of each step, by t.
    """
    step_caches, _ = caches
    zeros = np.zeros(da.shape[:2])  # (n_a, m)
    carried, steps = zeros, {}
    for t in reversed(range(da.shape[2])) if times is None else times:
        steps[t] = reference.gru_cell_backward(da[:, :, t] + carried, step_caches[t])
        carried = steps[t]["da_prev"] if carry else zeros
    return steps


def _bptt(forwards=False, da0_step=0, not_summed=False, carry=True):
    """A variant: the loop runs forwards in time if ``forwards``, carrying da_prev if
    ``carry``; da0 is the da_prev of step ``da0_step`` (-1: T_x-1); the gate gradients are
    step 0's alone if ``not_summed``."""

    def variant(da, caches):
        T_x = da.shape[2]
        steps = _run_steps(da, caches, times=range(T_x) if forwards else None, carry=carry)
        gradients = {"dx": np.stack([steps[t]["dxt"] for t in range(T_x)], axis=2),
                     "da0": steps[da0_step % T_x]["da_prev"]}
        for name in GATE_NAMES:
            gradients[name] = steps[0][name] if not_summed else sum(
                step[name] for step in steps.values())
        return gradients

    return variant


BPTT_MISTAKES = (
    Mistake("da_not_carried", "the gradient from step t+1 is forgotten (da[:, :, t] alone): "
            "a<t> also feeds step t+1, so the cell at step t needs da[:, :, t] + the da_prev "
            "that step t+1 returned.", _bptt(carry=False)),
    Mistake("time_loop_forwards", "the loop runs forwards in time (t = 0 up to T_x-1). The "
            "gradient flows from the last step back to the first: "
            "for t in reversed(range(T_x)).", _bptt(forwards=True, da0_step=-1)),
    Mistake("da0_wrong_step", "da0 is the da_prev of step T_x-1 (the first step run). a0 feeds "
            "step 0, so da0 is the da_prev that step 0 returns, after the loop.",
            _bptt(da0_step=-1)),
    Mistake("gradients_not_accumulated", "only the gradients of step 0 (the last step run) "
            "are kept. The weights are shared by every step: add each step's gradient, "
            "dWz += gradients[\"dWz\"] (likewise the other five).", _bptt(not_summed=True)),
)


# Lesson 09's derivation, in its order: (quantity, what it is, outputs computed from it).
CELL_BACKWARD_DERIVATION = (
    ("duh", "da_next * (1 - zt) * (1 - hht**2), the candidate's pre-activation gradient",
     ("dWh", "dbh", "dWr", "dbr", "da_prev", "dxt")),
    ("duz", "da_next * (a_prev - hht) * zt * (1 - zt)", ("dWz", "dbz", "da_prev", "dxt")),
    ("dur", "(Wh.T @ duh)[:n_a] * a_prev * rt * (1 - rt)", ("dWr", "dbr", "da_prev", "dxt")),
    *((name, name, (name,)) for name in ("dWh", "dbh", "dWz", "dbz", "dWr", "dbr", "da_prev",
                                          "dxt")),
)

GRU_CELL_BACKWARD = Exercise("gru_cell_backward", gru_cell_backward_cases,
                             mistakes=CELL_BACKWARD_MISTAKES, aspects=BACKWARD_ASPECTS,
                             gradient_check=gru_cell_gradient_estimate,
                             derivation=CELL_BACKWARD_DERIVATION)
GRU_BACKWARD = Exercise("gru_backward", gru_backward_cases, mistakes=BPTT_MISTAKES,
                        aspects=BACKWARD_ASPECTS, gradient_check=gru_gradient_estimate,
                        carried_back={"dx": "its da_prev, added to da[:, :, t]"})


def check_gru_cell_backward(gru_cell_backward):
    """Check a student's ``gru_cell_backward(da_next, cache)``; CheckFailure if wrong."""
    run_check(GRU_CELL_BACKWARD, gru_cell_backward)


def check_gru_backward(gru_backward):
    """Check a student's ``gru_backward(da, caches)``; the gru_cell_backward it calls is the
    reference one during the check. CheckFailure if wrong."""
    run_check(GRU_BACKWARD, gru_backward)
