"""Checks of lesson 06: the LSTM backward pass, one step (lstm_cell_backward) and through time
(lstm_backward).

The cases take their caches from the reference forward pass, so a case holds exactly what a
forward pass stores. Each known mistake is a tiny function computing what a function with that
mistake returns; a wrong gradient is also compared with central differences of the forward pass
(the ``gradient_check`` hook).
"""

import numpy as np

from rnn_utils import reference
from rnn_utils.checks.framework import Case, Exercise, Mistake, case_rng, run_check
from rnn_utils.checks.lstm_forward import (
    STEP_CACHE_LAYOUT,
    pre_activation,
    random_lstm_inputs,
    run_steps,
)
from rnn_utils.checks.rnn_backward import BACKWARD_ASPECTS, estimate
from rnn_utils.checks.rnn_forward import CELL_CASES, SEQUENCE_CASES, label

GATES = "fico"  # forget, update (input), candidate, output
GATE_NAMES = tuple(f"d{kind}{gate}" for gate in GATES for kind in "Wb")  # dWf, dbf, dWi, ...


def lstm_cell_backward_cases():
    """The Cases of lstm_cell_backward: arguments da_next, dc_next, cache."""
    cases = []
    for seed, (n_x, n_a, n_y, m, scale, note) in enumerate(CELL_CASES, start=1000):
        rng = case_rng(seed)
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
        rng = case_rng(seed)
        x, a0, _, parameters = random_lstm_inputs(rng, n_x, n_a, n_y, m, T_x, scale=scale)
        *_, caches = reference.lstm_forward(x, a0, parameters)
        sizes = {"n_x": n_x, "n_a": n_a, "n_y": n_y, "m": m, "T_x": T_x}
        arguments = {"da": rng.standard_normal((n_a, m, T_x)), "caches": caches}
        cases.append(Case(label(sizes, note), arguments, sizes))
    return cases


# ---- Gradient checks: central differences of the forward pass ------------------------------


def _parameter_variables(parameters):
    """Gradient name -> the parameter array it differentiates, for the four gates."""
    return {name: parameters[name[1:]] for name in GATE_NAMES}


def lstm_cell_gradient_estimate(arguments, name):
    """Estimate of output ``name`` of lstm_cell_backward: the gradient of
    L = sum(da_next * a_next) + sum(dc_next * c_next), from lstm_cell_forward."""
    da_next, dc_next, cache = arguments["da_next"], arguments["dc_next"], arguments["cache"]
    _, _, a_prev, c_prev, *_, xt, parameters = cache
    variables = {"dxt": xt, "da_prev": a_prev, "dc_prev": c_prev,
                 **_parameter_variables(parameters)}

    def loss():
        a_next, c_next, _, _ = reference.lstm_cell_forward(xt, a_prev, c_prev, parameters)
        return float(np.sum(da_next * a_next) + np.sum(dc_next * c_next))

    return estimate(loss, variables, name)


def lstm_gradient_estimate(arguments, name):
    """Estimate of output ``name`` of lstm_backward: the gradient of L = sum(da * a),
    a = lstm_forward(x, a0, parameters), a0 and parameters read from the first step cache."""
    da, (step_caches, x) = arguments["da"], arguments["caches"]
    a0, parameters = step_caches[0][2], step_caches[0][9]
    variables = {"dx": x, "da0": a0, **_parameter_variables(parameters)}

    def loss():
        a, _, _, _ = reference.lstm_forward(x, a0, parameters)
        return float(np.sum(da * a))

    return estimate(loss, variables, name)


# ---- Known mistakes of lstm_cell_backward: each returns what that mistake returns. ----------


def _gate_gradients(v):
    """dW (du @ concat.T) and db (summed over the examples) of every gate, by name."""
    gradients = {}
    for gate in GATES:
        gradients[f"dW{gate}"] = v[f"du{gate}"] @ v["concat"].T
        gradients[f"db{gate}"] = np.sum(v[f"du{gate}"], axis=1, keepdims=True)
    return gradients


def _dconcat(v, gates=GATES):
    """The sum of W^T du over ``gates``, (n_a + n_x, m)."""
    return sum(v["parameters"][f"W{gate}"].T @ v[f"du{gate}"] for gate in gates)


CELL_BACKWARD_STEPS = (
    ("concat", lambda v: np.concatenate([v["a_prev"], v["xt"]], axis=0)),
    ("tanh_c", lambda v: np.tanh(v["c_next"])),
    ("dc", lambda v: v["dc_next"] + v["da_next"] * v["ot"] * (1 - v["tanh_c"] ** 2)),
    ("duo", lambda v: v["da_next"] * v["tanh_c"] * v["ot"] * (1 - v["ot"])),
    ("duc", lambda v: v["dc"] * v["it"] * (1 - v["cct"] ** 2)),
    ("dui", lambda v: v["dc"] * v["cct"] * v["it"] * (1 - v["it"])),
    ("duf", lambda v: v["dc"] * v["c_prev"] * v["ft"] * (1 - v["ft"])),
    ("gates", _gate_gradients),
    ("dconcat", _dconcat),
    ("da_prev", lambda v: v["dconcat"][:v["a_prev"].shape[0]]),
    ("dxt", lambda v: v["dconcat"][v["a_prev"].shape[0]:]),
    ("dc_prev", lambda v: v["dc"] * v["ft"]),
)


def _cell_variant(**replace):
    """lstm_cell_backward with the steps named in ``replace`` computed by the given formulas."""

    def variant(da_next, dc_next, cache):
        values = {"da_next": da_next, "dc_next": dc_next, **dict(zip(STEP_CACHE_LAYOUT, cache))}
        v = run_steps(CELL_BACKWARD_STEPS, values, replace)
        return {"dxt": v["dxt"], "da_prev": v["da_prev"], "dc_prev": v["dc_prev"], **v["gates"]}

    return variant


def _cell_mistake(key, explanation, **replace):
    """A Mistake of lstm_cell_backward whose variant is _cell_variant(**replace)."""
    return Mistake(key, explanation, _cell_variant(**replace))


def _gate_derivatives(derivative):
    """duo, dui, duf with the sigmoid derivative computed by ``derivative(v, gate)``."""
    return {"duo": lambda v: v["da_next"] * v["tanh_c"] * derivative(v, "o"),
            "dui": lambda v: v["dc"] * v["cct"] * derivative(v, "i"),
            "duf": lambda v: v["dc"] * v["c_prev"] * derivative(v, "f")}


def _gate_value(v, gate):
    """The value of a sigmoid gate stored in the cache: ft, it or ot."""
    return v[f"{gate}t"]


def _pre_activation_derivative(v, gate):
    """z (1 - z) with z the pre-activation: the sigmoid derivative's formula at the wrong place."""
    z = pre_activation(v, gate)
    return z * (1 - z)


def _averaged_biases(v):
    """The gate gradients with every bias gradient averaged over the examples."""
    m = v["xt"].shape[1]
    return {name: value / m if name.startswith("db") else value
            for name, value in _gate_gradients(v).items()}


SIGMOID_DERIVATIVE = "sigmoid'(z) = s (1 - s), with s = sigmoid(z) the gate's value (ft, it, ot)"
ONE_GATE = ("dconcat holds only one gate's W.T @ du. concat feeds all four gates, so its "
            "gradient is the sum of the four: Wf.T @ duf + Wi.T @ dui + Wc.T @ duc + Wo.T @ duo.")

CELL_BACKWARD_MISTAKES = (
    _cell_mistake("forget_gradient_uses_cct", "the forget gate's gradient uses cct. The forget "
                  "gate multiplies c_prev in c_next = ft * c_prev + it * cct, so "
                  "duf = dc * c_prev * ft * (1 - ft).",  # the seed's eq. (10) has c~
                  duf=lambda v: v["dc"] * v["cct"] * v["ft"] * (1 - v["ft"])),
    _cell_mistake("dc_missing_a_path", "dc is dc_next alone. c_next also reaches the loss "
                  "through a_next = ot * tanh(c_next): dc = dc_next + da_next * ot * "
                  "(1 - np.tanh(c_next)**2).", dc=lambda v: v["dc_next"]),
    _cell_mistake("dc_prev_missing_forget_gate", "dc_prev = dc misses the forget gate: "
                  "c_next = ft * c_prev + ..., so dc_prev = dc * ft.",
                  dc_prev=lambda v: v["dc"]),
    _cell_mistake("tanh_c_derivative_without_tanh", "the derivative of tanh(c_next) is written "
                  "1 - c_next**2; it is 1 - np.tanh(c_next)**2 (c_next itself is not a tanh).",
                  dc=lambda v: v["dc_next"] + v["da_next"] * v["ot"] * (1 - v["c_next"] ** 2)),
    _cell_mistake("output_gate_gradient_uses_c", "duo uses c_next: the output gate multiplies "
                  "tanh(c_next), so duo = da_next * np.tanh(c_next) * ot * (1 - ot).",
                  duo=lambda v: v["da_next"] * v["c_next"] * v["ot"] * (1 - v["ot"])),
    _cell_mistake("sigmoid_derivative_of_pre_activation", "the sigmoid derivative is applied "
                  f"to the pre-activation z: z * (1 - z). {SIGMOID_DERIVATIVE}.",
                  **_gate_derivatives(_pre_activation_derivative)),
    _cell_mistake("sigmoid_derivative_as_tanh", "the gates' derivative is written 1 - s**2 (the "
                  f"tanh's). {SIGMOID_DERIVATIVE}.",
                  **_gate_derivatives(lambda v, gate: 1 - _gate_value(v, gate) ** 2)),
    _cell_mistake("dconcat_split_swapped", "da_prev and dxt are taken from the wrong rows of "
                  "dconcat. concat = [a_prev; xt]: da_prev = dconcat[:n_a], dxt = dconcat[n_a:].",
                  da_prev=lambda v: v["dconcat"][v["xt"].shape[0]:],
                  dxt=lambda v: v["dconcat"][:v["xt"].shape[0]]),
    _cell_mistake("dconcat_split_swapped", "da_prev is dconcat[n_a:] and dxt dconcat[:n_a]. "
                  "concat = [a_prev; xt], a_prev on top: da_prev = dconcat[:n_a], "
                  "dxt = dconcat[n_a:].", da_prev=lambda v: v["dconcat"][v["a_prev"].shape[0]:],
                  dxt=lambda v: v["dconcat"][:v["a_prev"].shape[0]]),
    _cell_mistake("dc_missing_dc_next", "dc misses dc_next, the gradient that step t+1 sends "
                  "back along the cell-state line: dc = dc_next + da_next * ot * "
                  "(1 - np.tanh(c_next)**2).",
                  dc=lambda v: v["da_next"] * v["ot"] * (1 - v["tanh_c"] ** 2)),
    _cell_mistake("dc_prev_from_dc_next", "dc_prev is computed from dc_next alone (dc_next * ft)."
                  " It needs the whole gradient of c_next, both paths: dc_prev = dc * ft with "
                  "dc = dc_next + da_next * ot * (1 - np.tanh(c_next)**2).",
                  dc_prev=lambda v: v["dc_next"] * v["ft"]),
    _cell_mistake("candidate_derivative_tanh_twice", "the candidate's derivative is "
                  "1 - np.tanh(cct)**2, but cct is already a tanh: tanh'(u_c) = 1 - cct**2, so "
                  "duc = dc * it * (1 - cct**2).",
                  duc=lambda v: v["dc"] * v["it"] * (1 - np.tanh(v["cct"]) ** 2)),
    _cell_mistake("sigmoid_derivative_missing", "the gates' sigmoid derivative is missing (duo = "
                  f"da_next * tanh(c_next), without ot * (1 - ot)). {SIGMOID_DERIVATIVE}.",
                  **_gate_derivatives(lambda v, gate: 1)),
    *(_cell_mistake("dconcat_one_gate", ONE_GATE, dconcat=lambda v, gate=gate: _dconcat(v, gate))
      for gate in reversed(GATES)),
    _cell_mistake("gate_bias_averaged", "the bias gradients are averaged over the examples "
                  "(np.mean). Each bias is added to every example: sum du over axis 1, "
                  "np.sum(du, axis=1, keepdims=True).", gates=_averaged_biases),
    _cell_mistake("gate_weight_gradient_transposed", "the weight gradients are transposed "
                  "(concat @ du.T). A weight's gradient has its shape: dW = du @ concat.T, "
                  "(n_a, m) @ (m, n_a + n_x).", gates=lambda v: {
                      name: value.T if name.startswith("dW") else value
                      for name, value in _gate_gradients(v).items()}),
)


# ---- Known mistakes of lstm_backward (reference cell during the check). ---------------------


def _run_steps(da, caches, times=None, carry_a=True, carry_c=True):
    """Run the reference cell backward over the steps, as a BPTT loop with a mistake would.

    times -- the order of the steps (default: T_x-1 down to 0)
    carry_a, carry_c -- whether the da_prev, resp. dc_prev of a step reach the next step run

    Returns the gradients of each step, by t, in the order run.
    """
    step_caches, _ = caches
    zeros = np.zeros(da.shape[:2])  # (n_a, m)
    da_carried, dc_carried, steps = zeros, zeros, {}
    for t in reversed(range(da.shape[2])) if times is None else times:
        steps[t] = reference.lstm_cell_backward(da[:, :, t] + da_carried, dc_carried,
                                                step_caches[t])
        da_carried = steps[t]["da_prev"] if carry_a else zeros
        dc_carried = steps[t]["dc_prev"] if carry_c else zeros
    return steps


def _summed(steps, da0, **replaced):
    """The dict lstm_backward returns from each step's gradients (dx stacked in time, the gate
    gradients summed over the steps), except those given in ``replaced``."""
    gradients = {"dx": np.stack([steps[t]["dxt"] for t in sorted(steps)], axis=2), "da0": da0}
    for name in GATE_NAMES:
        gradients[name] = sum(step[name] for step in steps.values())
    return {**gradients, **replaced}


def _bptt(forwards=False, da0_step=0, not_summed=False, **carry):
    """A variant: the loop runs forwards in time if ``forwards``, carrying what ``carry`` says
    (see _run_steps); da0 is the da_prev of step ``da0_step`` (-1: T_x-1); the gate gradients
    are step 0's alone if ``not_summed``."""

    def variant(da, caches):
        T_x = da.shape[2]
        steps = _run_steps(da, caches, times=range(T_x) if forwards else None, **carry)
        single = {name: steps[0][name] for name in GATE_NAMES} if not_summed else {}
        return _summed(steps, steps[da0_step % T_x]["da_prev"], **single)

    return variant


STEP_T_PLUS_1 = ("a<t> also feeds step t+1, so the cell at step t needs da[:, :, t] + the "
                 "da_prev that step t+1 returned")

BPTT_MISTAKES = (
    Mistake("da_not_carried", f"the gradient from step t+1 is forgotten (da[:, :, t] alone): "
            f"{STEP_T_PLUS_1}.", _bptt(carry_a=False)),
    Mistake("dc_not_carried", "dc_prev is not carried: dc_next is zero at every step. c<t> "
            "feeds step t+1, so step t gets the dc_prev that step t+1 returned (zeros only "
            "after the last step).", _bptt(carry_c=False)),
    # The seed's lstm_backward.
    Mistake("nothing_carried", f"neither gradient is carried back in time: {STEP_T_PLUS_1}, "
            "and dc_next is the dc_prev that step t+1 returned.",
            _bptt(carry_a=False, carry_c=False)),
    Mistake("time_loop_forwards", "the loop runs forwards in time (t = 0 up to T_x-1). The "
            "gradient flows from the last step back to the first: "
            "for t in reversed(range(T_x)).", _bptt(forwards=True, da0_step=-1)),
    Mistake("da0_wrong_step", "da0 is the da_prev of step T_x-1 (the first step run). a0 feeds "
            "step 0, so da0 is the da_prev that step 0 returns, after the loop.",
            _bptt(da0_step=-1)),
    Mistake("gradients_not_accumulated", "only the gradients of step 0 (the last step run) "
            "are kept. The weights are shared by every step: add each step's gradient, "
            "dWf += gradients[\"dWf\"] (likewise the other seven).", _bptt(not_summed=True)),
)


def _from_gate(gate):
    """The outputs computed from the gradient of one gate's pre-activation."""
    return (f"dW{gate}", f"db{gate}", "da_prev", "dxt")


# Lesson 06's derivation, in its order: (quantity, what it is, outputs computed from it).
CELL_BACKWARD_OUTPUTS = (*GATE_NAMES, "da_prev", "dxt", "dc_prev")
CELL_BACKWARD_DERIVATION = (
    ("dc", "the whole gradient of c_next, dc_next + da_next * ot * (1 - np.tanh(c_next)**2)",
     (*_from_gate("f")[:2], *_from_gate("i")[:2], *_from_gate("c"), "dc_prev")),
    ("duo", "da_next * np.tanh(c_next) * ot * (1 - ot)", _from_gate("o")),
    ("duc", "dc * it * (1 - cct**2)", _from_gate("c")),
    ("dui", "dc * cct * it * (1 - it)", _from_gate("i")),
    ("duf", "dc * c_prev * ft * (1 - ft)", _from_gate("f")),
    ("dconcat", "the sum of the four W.T @ du, split into da_prev and dxt", ("da_prev", "dxt")),
    *((name, name, (name,)) for name in CELL_BACKWARD_OUTPUTS),
)

LSTM_CELL_BACKWARD = Exercise("lstm_cell_backward", lstm_cell_backward_cases,
                              mistakes=CELL_BACKWARD_MISTAKES, aspects=BACKWARD_ASPECTS,
                              gradient_check=lstm_cell_gradient_estimate,
                              output_order=CELL_BACKWARD_OUTPUTS,
                              derivation=CELL_BACKWARD_DERIVATION)
LSTM_BACKWARD = Exercise("lstm_backward", lstm_backward_cases, mistakes=BPTT_MISTAKES,
                         aspects=BACKWARD_ASPECTS, gradient_check=lstm_gradient_estimate,
                         carried_back={"dx": "its da_prev, added to da[:, :, t], and its "
                                             "dc_prev, the cell's dc_next"})


def check_lstm_cell_backward(lstm_cell_backward):
    """Check a student's ``lstm_cell_backward(da_next, dc_next, cache)``; CheckFailure if
    wrong."""
    run_check(LSTM_CELL_BACKWARD, lstm_cell_backward)


def check_lstm_backward(lstm_backward):
    """Check a student's ``lstm_backward(da, caches)``; the lstm_cell_backward it calls is the
    reference one during the check. CheckFailure if wrong."""
    run_check(LSTM_BACKWARD, lstm_backward)
