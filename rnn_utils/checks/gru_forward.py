"""Checks of lesson 09, forward: one GRU step (gru_cell_forward) and a sequence (gru_forward).

Cases have all sizes different plus size-1 edges and biases that are not zero. Each known
mistake is a tiny function computing what a function with that mistake returns; the check
recognises it by that fingerprint.
"""

import numpy as np

from rnn_utils import reference
from rnn_utils.activations import sigmoid, softmax
from rnn_utils.checks.framework import Case, Exercise, Mistake, case_rng, run_check
from rnn_utils.checks.lstm_forward import CONCAT_AXIS_HINT, run_steps
from rnn_utils.checks.rnn_forward import CELL_CASES, SEQUENCE_CASES, label
from rnn_utils.params import initialize_gru_parameters

BIASES = ("bz", "br", "bh", "by")
STEP_CACHE_LAYOUT = ("a_next", "a_prev", "zt", "rt", "hht", "xt", "parameters")


def random_gru_inputs(rng, n_x, n_a, n_y, m, T_x=None, scale=1.0):
    """Random float64 inputs of one case: x (or xt when T_x is None), a_prev, parameters.

    Weights from initialize_gru_parameters (N(0, scale^2 / fan_in)); every bias redrawn
    N(0, 0.5^2) so that a missing one changes the result; a_prev uniform in (-1, 1).
    """
    parameters = initialize_gru_parameters(n_x, n_a, n_y, seed=int(rng.integers(2**32)),
                                           scale=scale)
    for name in BIASES:
        parameters[name] = rng.standard_normal(parameters[name].shape) * 0.5
    x = rng.standard_normal((n_x, m) if T_x is None else (n_x, m, T_x))
    return x, rng.uniform(-1, 1, (n_a, m)), parameters


def gru_cell_cases():
    """The Cases of gru_cell_forward: arguments xt, a_prev, parameters."""
    cases = []
    for seed, (n_x, n_a, n_y, m, scale, note) in enumerate(CELL_CASES, start=1900):
        xt, a_prev, parameters = random_gru_inputs(case_rng(seed), n_x, n_a, n_y, m,
                                                   scale=scale)
        sizes = {"n_x": n_x, "n_a": n_a, "n_y": n_y, "m": m}
        arguments = {"xt": xt, "a_prev": a_prev, "parameters": parameters}
        cases.append(Case(label(sizes, note), arguments, sizes))
    return cases


def gru_cases():
    """The Cases of gru_forward: arguments x, a0, parameters."""
    cases = []
    for seed, (n_x, n_a, n_y, m, T_x, scale, note) in enumerate(SEQUENCE_CASES, start=1950):
        x, a0, parameters = random_gru_inputs(case_rng(seed), n_x, n_a, n_y, m, T_x,
                                              scale=scale)
        sizes = {"n_x": n_x, "n_a": n_a, "n_y": n_y, "m": m, "T_x": T_x}
        cases.append(Case(label(sizes, note), {"x": x, "a0": a0, "parameters": parameters}, sizes))
    return cases


# ---- The cell as a list of named steps, so that a mistake replaces one of them. ------------


def gate(v, name, stack="concat", bias=True):
    """W_name @ v[stack] (+ b_name) for name "z", "r" or "h": a pre-activation, (n_a, m)."""
    p = v["parameters"]
    return p[f"W{name}"] @ v[stack] + (p[f"b{name}"] if bias else 0)


def candidate_reset_after_product(v):
    """PyTorch's candidate: tanh(rt * (W_h,a a_prev) + W_h,x xt + bh), reset after the product."""
    Wh, n_a = v["parameters"]["Wh"], v["a_prev"].shape[0]
    return np.tanh(v["rt"] * (Wh[:, :n_a] @ v["a_prev"]) + Wh[:, n_a:] @ v["xt"]
                   + v["parameters"]["bh"])


CELL_STEPS = (
    ("concat", lambda v: np.concatenate([v["a_prev"], v["xt"]], axis=0)),  # (n_a + n_x, m)
    ("zt", lambda v: sigmoid(gate(v, "z"))),
    ("rt", lambda v: sigmoid(gate(v, "r"))),
    ("concat_reset", lambda v: np.concatenate([v["rt"] * v["a_prev"], v["xt"]], axis=0)),
    ("hht", lambda v: np.tanh(gate(v, "h", "concat_reset"))),
    ("a_next", lambda v: v["zt"] * v["a_prev"] + (1 - v["zt"]) * v["hht"]),
    ("yt_pred", lambda v: softmax(v["parameters"]["Wy"] @ v["a_next"] + v["parameters"]["by"])),
    ("cache", lambda v: tuple(v[name] for name in STEP_CACHE_LAYOUT)),
)


def _cell_variant(**replace):
    """gru_cell_forward with the steps named in ``replace`` computed by the given formulas."""

    def variant(xt, a_prev, parameters):
        values = {"xt": xt, "a_prev": a_prev, "parameters": parameters}
        v = run_steps(CELL_STEPS, values, replace)
        return v["a_next"], v["yt_pred"], v["cache"]

    return variant


def _cell_mistake(key, explanation, **replace):
    """A Mistake of gru_cell_forward whose variant is _cell_variant(**replace)."""
    return Mistake(key, explanation, _cell_variant(**replace))


GATE_TANH = ("a gate uses tanh. The update gate zt and the reset gate rt are sigmoids, values "
             "in (0, 1) that say how much passes; only the candidate hht uses tanh.")
MISSING_BIAS = "the bias {0} is missing: the pre-activation is W{1} @ {2} + {0}."

CELL_MISTAKES = (
    _cell_mistake("update_gate_swapped", "zt and 1 - zt are swapped. The update gate keeps the "
                  "OLD state: a_next = zt * a_prev + (1 - zt) * hht.",
                  a_next=lambda v: (1 - v["zt"]) * v["a_prev"] + v["zt"] * v["hht"]),
    _cell_mistake("reset_after_product", "the reset gate multiplies the product Wh[:, :n_a] @ "
                  "a_prev (PyTorch's nn.GRU does that). This lesson's GRU resets a_prev BEFORE "
                  "the product: hht = tanh(Wh @ [rt * a_prev; xt] + bh).",
                  hht=candidate_reset_after_product),
    _cell_mistake("reset_on_whole_product", "the reset gate multiplies the whole "
                  "pre-activation of the candidate. It multiplies a_prev only, inside the "
                  "stack: hht = tanh(Wh @ [rt * a_prev; xt] + bh).",
                  hht=lambda v: np.tanh(v["rt"] * gate(v, "h"))),
    _cell_mistake("reset_missing", "the candidate reads [a_prev; xt]: the reset gate is not "
                  "used. It scales a_prev before the candidate's product: "
                  "hht = tanh(Wh @ [rt * a_prev; xt] + bh).",
                  hht=lambda v: np.tanh(gate(v, "h"))),
    _cell_mistake("gates_swapped", "the update and reset gates are swapped (zt computed with "
                  "Wr, br and rt with Wz, bz): zt = sigmoid(Wz @ concat + bz), "
                  "rt = sigmoid(Wr @ concat + br).",
                  zt=lambda v: sigmoid(gate(v, "r")), rt=lambda v: sigmoid(gate(v, "z"))),
    _cell_mistake("concat_order", "the concatenation is [xt; a_prev]. The weights expect "
                  "a_prev on top: np.concatenate([a_prev, xt], axis=0), and [rt * a_prev; xt] "
                  "for the candidate.",
                  concat=lambda v: np.concatenate([v["xt"], v["a_prev"]], axis=0),
                  concat_reset=lambda v: np.concatenate([v["xt"], v["rt"] * v["a_prev"]],
                                                        axis=0)),
    _cell_mistake("candidate_sigmoid", "the candidate hht uses the sigmoid; it is a tanh, values "
                  "in (-1, 1), so that the state can decrease as well as increase.",
                  hht=lambda v: sigmoid(gate(v, "h", "concat_reset"))),
    _cell_mistake("gate_tanh", GATE_TANH, zt=lambda v: np.tanh(gate(v, "z")),
                  rt=lambda v: np.tanh(gate(v, "r"))),
    _cell_mistake("gate_tanh", GATE_TANH, zt=lambda v: np.tanh(gate(v, "z"))),
    _cell_mistake("gate_tanh", GATE_TANH, rt=lambda v: np.tanh(gate(v, "r"))),
    _cell_mistake("missing_gate_bias", MISSING_BIAS.format("bz", "z", "concat"),
                  zt=lambda v: sigmoid(gate(v, "z", bias=False))),
    _cell_mistake("missing_gate_bias", MISSING_BIAS.format("br", "r", "concat"),
                  rt=lambda v: sigmoid(gate(v, "r", bias=False))),
    _cell_mistake("missing_gate_bias", MISSING_BIAS.format("bh", "h", "[rt * a_prev; xt]"),
                  hht=lambda v: np.tanh(gate(v, "h", "concat_reset", bias=False))),
    _cell_mistake("missing_by", "the bias by is missing: yt_pred = softmax(Wy @ a_next + by).",
                  yt_pred=lambda v: softmax(v["parameters"]["Wy"] @ v["a_next"])),
    _cell_mistake("y_from_a_prev", "yt_pred is computed from a_prev; the prediction of step t "
                  "comes from the new hidden state: softmax(Wy @ a_next + by).",
                  yt_pred=lambda v: softmax(v["parameters"]["Wy"] @ v["a_prev"]
                                            + v["parameters"]["by"])),
)

# rt (n_a, m) times xt (n_x, m) or times the whole stack (n_a + n_x, m): same columns, other rows.
RESET_OPERAND_HINT = (
    ValueError, r"could not be broadcast together with shapes \((\d+),(\d+)\) \((\d+),\2\)",
    "reset_wrong_operand",
    "an (n_a, m) array meets one with another number of rows elementwise. Is the reset gate "
    "applied to xt or to the whole stack? It scales a_prev only: [rt * a_prev; xt].")


# ---- Known mistakes of gru_forward (the cell is the reference one during the check). -------


def _sequence(x, a0, parameters, carry=True, store_before=False):
    """A gru_forward loop: whether a is carried from step to step (if not, every step gets
    a0); whether a[:, :, t] stores the state before the step."""
    a_prev, stored_a, stored_y, caches = a0, [], [], []
    for t in range(x.shape[2]):
        a_next, yt_pred, cache = reference.gru_cell_forward(x[:, :, t], a_prev, parameters)
        stored_a.append(a_prev if store_before else a_next)
        stored_y.append(yt_pred)
        caches.append(cache)
        a_prev = a_next if carry else a0
    return np.stack(stored_a, axis=2), np.stack(stored_y, axis=2), (caches, x)


def _caches_without_x(x, a0, parameters):
    a, y_pred, (caches, _) = _sequence(x, a0, parameters)
    return a, y_pred, caches


SEQUENCE_MISTAKES = (
    Mistake("state_not_carried", "the hidden state is not carried forward: every step gets "
            "a0. Pass the a_next of step t as the a_prev of step t+1.",
            lambda x, a0, parameters: _sequence(x, a0, parameters, carry=False)),
    Mistake("state_stored_before_update", "a[:, :, t] holds the state before step t (off by "
            "one in time): store the a_next returned by step t.",
            lambda x, a0, parameters: _sequence(x, a0, parameters, store_before=True)),
    Mistake("caches_missing_x", "caches is only the list of step caches; return the pair "
            "(list of step caches, x).", _caches_without_x),
)


GRU_CELL_FORWARD = Exercise("gru_cell_forward", gru_cell_cases, mistakes=CELL_MISTAKES,
                            layouts={"cache": STEP_CACHE_LAYOUT},
                            exception_hints=(CONCAT_AXIS_HINT, RESET_OPERAND_HINT))
GRU_FORWARD = Exercise("gru_forward", gru_cases, mistakes=SEQUENCE_MISTAKES,
                       layouts={"caches": ("list of step caches", "x")})


def check_gru_cell_forward(gru_cell_forward):
    """Check a student's ``gru_cell_forward(xt, a_prev, parameters)``; CheckFailure if wrong."""
    run_check(GRU_CELL_FORWARD, gru_cell_forward)


def check_gru_forward(gru_forward):
    """Check a student's ``gru_forward(x, a0, parameters)`` (reference cell during the check)."""
    run_check(GRU_FORWARD, gru_forward)
