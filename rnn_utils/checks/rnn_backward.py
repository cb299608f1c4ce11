"""Checks of lessons 03-04: the RNN backward pass, one step (rnn_cell_backward) and through time
(rnn_backward).

The cases reuse the forward checks' sizes (all different, plus size-1 edges) and build their
caches with the reference forward pass, so a case holds exactly what a forward pass stores.
Each known mistake is a tiny function computing what a function with that mistake returns; a
wrong gradient is also compared with central differences of the forward pass (the
``gradient_check`` hook).
"""

import numpy as np

from rnn_utils import reference
from rnn_utils.checks.framework import Case, Exercise, Mistake, case_rng, run_check
from rnn_utils.checks.rnn_forward import CELL_CASES, SEQUENCE_CASES, label, random_rnn_inputs

BACKWARD_ASPECTS = "shapes, values of every gradient, inputs unchanged"


def rnn_cell_backward_cases():
    """The Cases of rnn_cell_backward: arguments da_next, cache."""
    cases = []
    for seed, (n_x, n_a, n_y, m, scale, note) in enumerate(CELL_CASES, start=200):
        rng = case_rng(seed)
        xt, a_prev, parameters = random_rnn_inputs(rng, n_x, n_a, n_y, m, scale=scale)
        _, _, cache = reference.rnn_cell_forward(xt, a_prev, parameters)
        da_next = rng.standard_normal((n_a, m))
        sizes = {"n_x": n_x, "n_a": n_a, "n_y": n_y, "m": m}
        cases.append(Case(label(sizes, note), {"da_next": da_next, "cache": cache}, sizes))
    return cases


def sequence_backward_inputs(seed, n_x, n_a, n_y, m, T_x, scale):
    """da (n_a, m, T_x) and the caches of a reference forward pass, for one case."""
    rng = case_rng(seed)
    x, a0, parameters = random_rnn_inputs(rng, n_x, n_a, n_y, m, T_x, scale=scale)
    _, _, caches = reference.rnn_forward(x, a0, parameters)
    return rng.standard_normal((n_a, m, T_x)), caches


def rnn_backward_cases():
    """The Cases of rnn_backward: arguments da, caches."""
    cases = []
    for seed, (n_x, n_a, n_y, m, T_x, scale, note) in enumerate(SEQUENCE_CASES, start=300):
        da, caches = sequence_backward_inputs(seed, n_x, n_a, n_y, m, T_x, scale)
        sizes = {"n_x": n_x, "n_a": n_a, "n_y": n_y, "m": m, "T_x": T_x}
        cases.append(Case(label(sizes, note), {"da": da, "caches": caches}, sizes))
    return cases


# ---- Gradient checks: central differences of the forward pass ------------------------------


def estimate(loss, variables, name):
    """Central-difference gradient of ``loss()`` with respect to ``variables[name]``.

    The array is perturbed in place, entry by entry, and ``loss`` reads it: it must close over
    the very arrays in ``variables``. None when ``name`` is not one of them.
    """
    if name not in variables:
        return None
    return reference.numerical_gradient(lambda _: loss(), variables[name])


def rnn_cell_gradient_estimate(arguments, name):
    """Estimate of output ``name`` of rnn_cell_backward: the gradient of
    L = sum(da_next * a_next), a_next = rnn_cell_forward(xt, a_prev, parameters)."""
    da_next, (_, a_prev, xt, parameters) = arguments["da_next"], arguments["cache"]
    variables = {"dxt": xt, "da_prev": a_prev, "dWax": parameters["Wax"],
                 "dWaa": parameters["Waa"], "dba": parameters["ba"]}

    def loss():
        a_next, _, _ = reference.rnn_cell_forward(xt, a_prev, parameters)
        return float(np.sum(da_next * a_next))

    return estimate(loss, variables, name)


def rnn_gradient_estimate(arguments, name):
    """Estimate of output ``name`` of rnn_backward: the gradient of L = sum(da * a),
    a = rnn_forward(x, a0, parameters), with a0 and parameters read from the first step cache."""
    da, (step_caches, x) = arguments["da"], arguments["caches"]
    a0, parameters = step_caches[0][1], step_caches[0][3]
    variables = {"dx": x, "da0": a0, "dWax": parameters["Wax"], "dWaa": parameters["Waa"],
                 "dba": parameters["ba"]}

    def loss():
        a, _, _ = reference.rnn_forward(x, a0, parameters)
        return float(np.sum(da * a))

    return estimate(loss, variables, name)


# ---- Known mistakes of rnn_cell_backward: each returns what that mistake returns. -----------


def _from_dz(dz, cache, **replaced):
    """The five gradients of a step computed correctly from dz = dL/d(Wax xt + Waa a_prev + ba),
    (n_a, m), except those given in ``replaced``."""
    _, a_prev, xt, p = cache
    gradients = {"dxt": p["Wax"].T @ dz, "da_prev": p["Waa"].T @ dz, "dWax": dz @ xt.T,
                 "dWaa": dz @ a_prev.T, "dba": np.sum(dz, axis=1, keepdims=True)}
    return {**gradients, **replaced}


def _dz(da_next, cache):
    """The correct dz: da_next times tanh' = 1 - a_next^2, (n_a, m)."""
    return da_next * (1 - cache[0] ** 2)


def _cell_variant(*, dz=None, **replace):
    """A variant computing the gradients from a wrong ``dz(da_next, cache)`` and/or with some
    gradients replaced, each a function (dz, da_next, cache) -> value."""

    def variant(da_next, cache):
        dz_used = (dz or _dz)(da_next, cache)
        replaced = {name: make(dz_used, da_next, cache) for name, make in replace.items()}
        return _from_dz(dz_used, cache, **replaced)

    return variant


def _cell_mistake(key, explanation, **variant):
    """A Mistake of rnn_cell_backward whose variant is _cell_variant(**variant)."""
    return Mistake(key, explanation, _cell_variant(**variant))


DBA_COLUMN = "ba is added to every example (column), so sum dz over axis 1 and keep the column: " \
    "np.sum(dz, axis=1, keepdims=True), shape (n_a, 1)."

CELL_BACKWARD_MISTAKES = (
    _cell_mistake("tanh_derivative_twice", "the tanh derivative is applied to a_next, which is "
                  "already a tanh: 1 - np.tanh(a_next)**2. a_next = tanh(z), so tanh'(z) = "
                  "1 - a_next**2.", dz=lambda da, c: da * (1 - np.tanh(c[0]) ** 2)),
    _cell_mistake("missing_tanh_derivative", "the tanh derivative is missing: the gradient "
                  "reaching Wax @ xt + Waa @ a_prev + ba is dz = da_next * (1 - a_next**2).",
                  dz=lambda da, c: da),
    _cell_mistake("derivative_of_a_prev", "the tanh derivative uses a_prev: a_next = tanh(z) "
                  "is the output of this step's tanh, so tanh'(z) = 1 - a_next**2.",
                  dz=lambda da, c: da * (1 - c[1] ** 2)),
    _cell_mistake("derivative_squared_wrong", "the tanh derivative is written (1 - a_next)**2; "
                  "it is 1 - a_next**2 (square a_next, then subtract from 1).",
                  dz=lambda da, c: da * (1 - c[0]) ** 2),
    _cell_mistake("dxt_skips_derivative", "dxt uses da_next directly: xt enters through the "
                  "tanh too, so dxt = Wax.T @ dz with dz = da_next * (1 - a_next**2).",
                  dxt=lambda dz, da, c: c[3]["Wax"].T @ da),
    _cell_mistake("da_prev_missing_transpose", "da_prev = Waa @ dz misses a transpose. Waa is "
                  "square, so the shapes fit, but the gradient flows back through Waa.T: "
                  "da_prev = Waa.T @ dz.", da_prev=lambda dz, da, c: c[3]["Waa"] @ dz),
    _cell_mistake("dWax_transposed", "dWax is transposed (xt @ dz.T). A weight's gradient has "
                  "the weight's shape: dWax = dz @ xt.T, (n_a, m) @ (m, n_x).",
                  dWax=lambda dz, da, c: c[2] @ dz.T),
    _cell_mistake("dWaa_transposed", "dWaa is transposed (a_prev @ dz.T). Waa is square, so the "
                  "shapes fit, but row i belongs to unit i: dWaa = dz @ a_prev.T.",
                  dWaa=lambda dz, da, c: c[1] @ dz.T),
    _cell_mistake("dWaa_uses_a_next", "dWaa uses a_next: Waa multiplies a_prev in the forward "
                  "pass, so dWaa = dz @ a_prev.T.", dWaa=lambda dz, da, c: dz @ c[0].T),
    _cell_mistake("parameter_gradients_averaged", "the parameter gradients are divided by m. "
                  "The loss behind da_next already holds any averaging: sum over the examples, "
                  "dWax = dz @ xt.T.", dWax=lambda dz, da, c: dz @ c[2].T / da.shape[1],
                  dWaa=lambda dz, da, c: dz @ c[1].T / da.shape[1],
                  dba=lambda dz, da, c: np.sum(dz, axis=1, keepdims=True) / da.shape[1]),
    _cell_mistake("dba_keepdims_missing", "dba is flat, shape (n_a,): np.sum(dz, axis=1) drops "
                  "the summed axis. Keep it with keepdims=True: dba has ba's shape (n_a, 1).",
                  dba=lambda dz, da, c: np.sum(dz, axis=1)),
    _cell_mistake("dba_wrong_axis", "dba is summed over axis 0 (the hidden units). " + DBA_COLUMN,
                  dba=lambda dz, da, c: np.sum(dz, axis=0, keepdims=True)),
    _cell_mistake("dba_wrong_axis", "dba is summed over axis 0 (the hidden units). " + DBA_COLUMN,
                  dba=lambda dz, da, c: np.sum(dz, axis=0)),
    _cell_mistake("dba_wrong_axis", "dba is one number: np.sum(dz) without an axis adds up "
                  "every entry. " + DBA_COLUMN, dba=lambda dz, da, c: np.sum(dz)),
    _cell_mistake("dba_averaged", "dba is averaged over the examples (np.mean). " + DBA_COLUMN,
                  dba=lambda dz, da, c: np.mean(dz, axis=1, keepdims=True)),
    _cell_mistake("dba_not_summed", "dba is dz itself, one column per example. " + DBA_COLUMN,
                  dba=lambda dz, da, c: dz),
)


# ---- Known mistakes of rnn_backward and rnn_backward_truncated (reference cell). ------------


def _run_steps(da, caches, times=None, upstream=True, keeps=lambda t: True, cache_of=None):
    """Run the reference cell backward over the steps, as a BPTT loop with a mistake would.

    times -- the order of the steps (default: T_x-1 down to 0)
    upstream -- whether step t gets da[:, :, t] on top of the carried gradient
    keeps(t) -- whether the da_prev of step t is carried to the next step run
    cache_of(t) -- the index of the step cache used at step t (default t)

    Returns (gradients of each step by t, in the order run; what is carried after the last).
    """
    step_caches, x = caches
    T_x = x.shape[2]
    carried = np.zeros(da.shape[:2])  # (n_a, m)
    steps = {}
    for t in reversed(range(T_x)) if times is None else times:
        da_next = (da[:, :, t] if upstream else 0) + carried
        steps[t] = reference.rnn_cell_backward(da_next, step_caches[t if cache_of is None
                                                                    else cache_of(t)])
        carried = steps[t]["da_prev"] if keeps(t) else np.zeros_like(carried)
    return steps, carried


def _summed(steps, da0, **replaced):
    """The dict rnn_backward returns, from each step's gradients: dx stacked in time, the
    parameter gradients summed over the steps; except those given in ``replaced``."""
    gradients = {"dx": np.stack([steps[t]["dxt"] for t in sorted(steps)], axis=2), "da0": da0}
    for name in ("dWax", "dWaa", "dba"):
        gradients[name] = sum(step[name] for step in steps.values())
    return {**gradients, **replaced}


def _full_bptt(da, caches, **replace):
    """The correct result with some outputs replaced, each a function of the steps' gradients."""
    steps, carried = _run_steps(da, caches)
    return {**_summed(steps, carried), **{name: make(steps, da) for name, make in replace.items()}}


def _upstream_forgotten(da, caches):
    steps, carried = _run_steps(da, caches, upstream=False)
    return _summed(steps, carried)


def _no_carry(da, caches):
    steps, _ = _run_steps(da, caches, keeps=lambda t: False)
    return _summed(steps, steps[0]["da_prev"])


def _no_carry_da0_zero(da, caches):
    steps, carried = _run_steps(da, caches, keeps=lambda t: False)
    return _summed(steps, carried)


def _loop_forwards(da, caches):
    steps, carried = _run_steps(da, caches, times=range(da.shape[2]))
    return _summed(steps, carried)


def _caches_reversed(da, caches):
    steps, carried = _run_steps(da, caches, cache_of=lambda t: da.shape[2] - 1 - t)
    return _summed(steps, carried)


def _bptt_mistake(key, explanation, **replace):
    """A Mistake of rnn_backward: full BPTT with some outputs replaced (see _full_bptt)."""
    return Mistake(key, explanation, lambda da, caches: _full_bptt(da, caches, **replace))


DX_PER_STEP = ("dx is not filled step by step: x<t> is used at step t only, so store each "
               "step's input gradient where it belongs, dx[:, :, t] = gradients[\"dxt\"], "
               "inside the loop.")

BPTT_MISTAKES = (
    Mistake("upstream_da_forgotten", "every gradient is zero: the cell only gets the gradient "
            "carried from step t+1, which starts at zero. Step t gets da[:, :, t] (from the "
            "output layer) plus the carried gradient.", _upstream_forgotten),
    Mistake("step_gradient_forgotten", "the gradient from step t+1 is forgotten: a<t> also "
            "feeds step t+1, so the cell at step t needs da[:, :, t] + the da_prev that step "
            "t+1 returned.", _no_carry),
    Mistake("step_gradient_forgotten", "the gradient from step t+1 is forgotten: a<t> also "
            "feeds step t+1, so the cell at step t needs da[:, :, t] + the da_prev that step "
            "t+1 returned (update the carried gradient after each step).", _no_carry_da0_zero),
    Mistake("time_loop_forwards", "the loop runs forwards in time (t = 0 up to T_x-1). The "
            "gradient flows from the last step back to the first: "
            "for t in reversed(range(T_x)).", _loop_forwards),
    Mistake("caches_reversed", "step t uses the cache of step T_x-1-t: caches[0][t] is the "
            "cache of step t, whatever the order of the loop.", _caches_reversed),
    _bptt_mistake("da0_wrong_step", "da0 is the da_prev of step T_x-1 (the first step run). "
                  "a0 feeds step 0, so da0 is the da_prev that step 0 returns, after the loop.",
                  da0=lambda steps, da: steps[da.shape[2] - 1]["da_prev"]),
    _bptt_mistake("da0_is_upstream", "da0 is da[:, :, 0], the gradient of a<1>. a0 feeds step "
                  "0: da0 is the da_prev that step 0 returns.", da0=lambda steps, da: da[:, :, 0]),
    _bptt_mistake("da0_zero", "da0 is zero: after the loop, set da0 to the da_prev that step 0 "
                  "returned (a0 feeds step 0 like any other state).",
                  da0=lambda steps, da: np.zeros(da.shape[:2])),
    _bptt_mistake("dx_not_stored_per_step", DX_PER_STEP,
                  dx=lambda steps, da: np.zeros(steps[0]["dxt"].shape + da.shape[2:])),
    _bptt_mistake("dx_not_stored_per_step", DX_PER_STEP, dx=lambda steps, da: np.concatenate(
        [steps[0]["dxt"][:, :, None], np.zeros(steps[0]["dxt"].shape + (da.shape[2] - 1,))],
        axis=2)),
    _bptt_mistake("dx_not_stored_per_step", DX_PER_STEP, dx=lambda steps, da: np.repeat(
        steps[0]["dxt"][:, :, None], da.shape[2], axis=2)),
    _bptt_mistake("dx_not_stored_per_step", DX_PER_STEP, dx=lambda steps, da: steps[0]["dxt"]),
    _bptt_mistake("parameter_gradients_not_accumulated", "only the gradient of step 0 (the last "
                  "step run) is kept. The weights are shared by every step: add each step's "
                  "gradient, dWax += gradients[\"dWax\"] (likewise dWaa, dba).",
                  dWax=lambda steps, da: steps[0]["dWax"], dWaa=lambda steps, da: steps[0]["dWaa"],
                  dba=lambda steps, da: steps[0]["dba"]),
    _bptt_mistake("bias_added_to_itself", "dba is added to itself (dba += dba) rather than "
                  "accumulating each step's gradient: dba += gradients[\"dba\"].",
                  dba=lambda steps, da: 2 * steps[0]["dba"]),
)


# Lesson 03's derivation: (quantity, what it is, outputs computed from it).
CELL_BACKWARD_DERIVATION = (
    ("du", "da_next * (1 - a_next**2), the gradient of u = Wax @ xt + Waa @ a_prev + ba",
     ("dxt", "da_prev", "dWax", "dWaa", "dba")),
    *((name, name, (name,)) for name in ("dxt", "da_prev", "dWax", "dWaa", "dba")),
)

RNN_CELL_BACKWARD = Exercise("rnn_cell_backward", rnn_cell_backward_cases,
                             mistakes=CELL_BACKWARD_MISTAKES, aspects=BACKWARD_ASPECTS,
                             gradient_check=rnn_cell_gradient_estimate,
                             derivation=CELL_BACKWARD_DERIVATION)
# What step t+1 of BPTT passes back to step t (first_wrong_step_lines).
CARRIED_DA = "its da_prev, added to da[:, :, t]"

RNN_BACKWARD = Exercise("rnn_backward", rnn_backward_cases, mistakes=BPTT_MISTAKES,
                        aspects=BACKWARD_ASPECTS, gradient_check=rnn_gradient_estimate,
                        carried_back={"dx": CARRIED_DA})


def check_rnn_cell_backward(rnn_cell_backward):
    """Check a student's ``rnn_cell_backward(da_next, cache)``; CheckFailure if wrong."""
    run_check(RNN_CELL_BACKWARD, rnn_cell_backward)


def check_rnn_backward(rnn_backward):
    """Check a student's ``rnn_backward(da, caches)``; the rnn_cell_backward it calls is the
    reference one during the check. CheckFailure if wrong."""
    run_check(RNN_BACKWARD, rnn_backward)

