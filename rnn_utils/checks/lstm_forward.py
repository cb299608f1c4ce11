"""Checks of lesson 05: the LSTM forward pass, one step (lstm_cell_forward) and a sequence
(lstm_forward).

Cases have all sizes different plus size-1 edges, biases that are not zero, and a c_prev that is
not zero (so that a forgotten c_prev shows). Each known mistake is a tiny function computing what
a function with that mistake returns; the check recognises it by that fingerprint.
"""

import numpy as np

from rnn_utils import reference
from rnn_utils.activations import sigmoid, softmax
from rnn_utils.checks.framework import Case, Exercise, Mistake, case_rng, run_check
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
        xt, a_prev, c_prev, parameters = random_lstm_inputs(case_rng(seed), n_x, n_a,
                                                            n_y, m, scale=scale)
        sizes = {"n_x": n_x, "n_a": n_a, "n_y": n_y, "m": m}
        arguments = {"xt": xt, "a_prev": a_prev, "c_prev": c_prev, "parameters": parameters}
        cases.append(Case(label(sizes, note), arguments, sizes))
    return cases


def lstm_cases():
    """The Cases of lstm_forward: arguments x, a0, parameters."""
    cases = []
    for seed, (n_x, n_a, n_y, m, T_x, scale, note) in enumerate(SEQUENCE_CASES, start=900):
        x, a0, _, parameters = random_lstm_inputs(case_rng(seed), n_x, n_a, n_y, m,
                                                  T_x, scale=scale)
        sizes = {"n_x": n_x, "n_a": n_a, "n_y": n_y, "m": m, "T_x": T_x}
        cases.append(Case(label(sizes, note), {"x": x, "a0": a0, "parameters": parameters}, sizes))
    return cases


# ---- Computations as a list of named steps, so that a mistake replaces one of them. --------


def run_steps(steps, values, replace):
    """Compute each (name, formula) of ``steps`` in order into the dict ``values`` and return it.

    Each formula is a function of ``values`` (the arguments and the steps computed so far); a
    formula given in ``replace`` by name is used instead: that is how a variant makes a mistake.
    """
    for name, formula in steps:
        values[name] = replace.get(name, formula)(values)
    return values


def pre_activation(v, gate, concat=None):
    """W_gate @ concat + b_gate for gate "f", "i", "c" or "o", (n_a, m)."""
    p = v["parameters"]
    return p[f"W{gate}"] @ (v["concat"] if concat is None else concat) + p[f"b{gate}"]


CELL_STEPS = (
    ("concat", lambda v: np.concatenate([v["a_prev"], v["xt"]], axis=0)),  # (n_a + n_x, m)
    ("ft", lambda v: sigmoid(pre_activation(v, "f"))),
    ("it", lambda v: sigmoid(pre_activation(v, "i"))),
    ("cct", lambda v: np.tanh(pre_activation(v, "c"))),
    ("ot", lambda v: sigmoid(pre_activation(v, "o"))),
    ("c_next", lambda v: v["ft"] * v["c_prev"] + v["it"] * v["cct"]),
    ("a_next", lambda v: v["ot"] * np.tanh(v["c_next"])),
    ("yt_pred", lambda v: softmax(v["parameters"]["Wy"] @ v["a_next"] + v["parameters"]["by"])),
    ("cache", lambda v: tuple(v[name] for name in STEP_CACHE_LAYOUT)),
)


def _cell_variant(**replace):
    """lstm_cell_forward with the steps named in ``replace`` computed by the given formulas."""

    def variant(xt, a_prev, c_prev, parameters):
        values = {"xt": xt, "a_prev": a_prev, "c_prev": c_prev, "parameters": parameters}
        v = run_steps(CELL_STEPS, values, replace)
        return v["a_next"], v["c_next"], v["yt_pred"], v["cache"]

    return variant


def _cell_mistake(key, explanation, **replace):
    """A Mistake of lstm_cell_forward whose variant is _cell_variant(**replace)."""
    return Mistake(key, explanation, _cell_variant(**replace))


def _without_bias(gate):
    """The pre-activation of ``gate`` without its bias."""
    return lambda v: v["parameters"][f"W{gate}"] @ v["concat"]


GATE_TANH = ("a gate uses tanh. The three gates (forget ft, update it, output ot) are sigmoids, "
             "values in (0, 1) that say how much passes; only the candidate cct uses tanh.")
MISSING_BIAS = "the bias {0} is missing from its gate: the pre-activation is W{1} @ concat + {0}."

CELL_MISTAKES = (
    _cell_mistake("concat_order", "the concatenation is [xt; a_prev]. The weights expect "
                  "a_prev on top: concat = np.concatenate([a_prev, xt], axis=0).",
                  concat=lambda v: np.concatenate([v["xt"], v["a_prev"]], axis=0)),
    _cell_mistake("output_gate_on_c", "a_next = ot * c_next misses the tanh: the output gate "
                  "lets through tanh of the cell state, a_next = ot * np.tanh(c_next).",
                  a_next=lambda v: v["ot"] * v["c_next"]),
    _cell_mistake("tanh_outside_output_gate", "a_next = tanh(ot * c_next): the tanh applies to "
                  "c_next only, then the gate multiplies it: a_next = ot * np.tanh(c_next).",
                  a_next=lambda v: np.tanh(v["ot"] * v["c_next"])),
    _cell_mistake("a_next_from_c_prev", "a_next is computed from c_prev. The new hidden state "
                  "reads the NEW cell state: a_next = ot * np.tanh(c_next).",
                  a_next=lambda v: v["ot"] * np.tanh(v["c_prev"])),
    _cell_mistake("cell_update_swapped", "the gates are swapped in the cell update: the forget "
                  "gate scales the old memory, the update gate the candidate: "
                  "c_next = ft * c_prev + it * cct.",
                  c_next=lambda v: v["ft"] * v["cct"] + v["it"] * v["c_prev"]),
    _cell_mistake("candidate_sigmoid", "the candidate cct uses the sigmoid; it is a tanh, values "
                  "in (-1, 1), so that the memory can decrease as well as increase.",
                  cct=lambda v: sigmoid(pre_activation(v, "c"))),
    _cell_mistake("gate_tanh", GATE_TANH, ft=lambda v: np.tanh(pre_activation(v, "f")),
                  it=lambda v: np.tanh(pre_activation(v, "i")),
                  ot=lambda v: np.tanh(pre_activation(v, "o"))),
    _cell_mistake("gate_tanh", GATE_TANH, ft=lambda v: np.tanh(pre_activation(v, "f"))),
    _cell_mistake("gate_tanh", GATE_TANH, it=lambda v: np.tanh(pre_activation(v, "i"))),
    _cell_mistake("gate_tanh", GATE_TANH, ot=lambda v: np.tanh(pre_activation(v, "o"))),
    *(_cell_mistake("missing_gate_bias", MISSING_BIAS.format(f"b{gate}", gate),
                    **{name: lambda v, gate=gate, act=act: act(_without_bias(gate)(v))})
      for gate, name, act in (("f", "ft", sigmoid), ("i", "it", sigmoid), ("c", "cct", np.tanh),
                              ("o", "ot", sigmoid))),
    _cell_mistake("missing_by", "the bias by is missing: yt_pred = softmax(Wy @ a_next + by).",
                  yt_pred=lambda v: softmax(v["parameters"]["Wy"] @ v["a_next"])),
    _cell_mistake("y_from_a_prev", "yt_pred is computed from a_prev; the prediction of step t "
                  "comes from the new hidden state: softmax(Wy @ a_next + by).",
                  yt_pred=lambda v: softmax(v["parameters"]["Wy"] @ v["a_prev"]
                                            + v["parameters"]["by"])),
)

# np.concatenate along axis 1 puts a_prev and xt side by side: it needs n_a == n_x.
CONCAT_AXIS_HINT = (
    ValueError, r"concatenation axis", "concat_axis",
    "the concatenation is along axis 1 (side by side). The gates' weights act on a_prev "
    "stacked on top of xt: np.concatenate([a_prev, xt], axis=0), shape (n_a + n_x, m).")


# ---- Known mistakes of lstm_forward (the cell is the reference one during the check). ------


def _sequence(x, a0, parameters, c0=None, carry_a=True, carry_c=True, store_before=()):
    """An lstm_forward loop: c0 (default zeros); whether a and c are carried from step to step
    (if not, every step gets a0, resp. zeros); the states named in ``store_before`` ("a", "c")
    stored before the step updates them."""
    n_a, m = a0.shape
    c0 = np.zeros((n_a, m)) if c0 is None else c0
    a_prev, c_prev, stored, caches = a0, c0, {"a": [], "c": [], "y": []}, []
    for t in range(x.shape[2]):
        a_next, c_next, yt_pred, cache = reference.lstm_cell_forward(x[:, :, t], a_prev, c_prev,
                                                                     parameters)
        stored["a"].append(a_prev if "a" in store_before else a_next)
        stored["c"].append(c_prev if "c" in store_before else c_next)
        stored["y"].append(yt_pred)
        caches.append(cache)
        a_prev = a_next if carry_a else a0
        c_prev = c_next if carry_c else np.zeros((n_a, m))
    a, y, c = (np.stack(stored[name], axis=2) for name in ("a", "y", "c"))
    return a, y, c, (caches, x)


def _sequence_mistake(key, explanation, **options):
    """A Mistake of lstm_forward whose variant is _sequence(x, a0, parameters, **options)."""
    return Mistake(key, explanation,
                   lambda x, a0, parameters: _sequence(x, a0, parameters, **options))


def _c0_as(make):
    """A variant whose c0 is make(a0)."""
    return lambda x, a0, parameters: _sequence(x, a0, parameters, c0=make(a0))


def _y_c_swapped(x, a0, parameters):
    a, y, c, caches = _sequence(x, a0, parameters)
    return a, c, y, caches


def _caches_without_x(x, a0, parameters):
    a, y, c, (caches, _) = _sequence(x, a0, parameters)
    return a, y, c, caches


C0_ZEROS = "The memory starts empty: c0 = np.zeros((n_a, m)) (only a0 is given)."

SEQUENCE_MISTAKES = (
    Mistake("c0_not_zero", "c0 is a0: the initial cell state is not the initial hidden state. "
            + C0_ZEROS, _c0_as(lambda a0: a0)),
    Mistake("c0_not_zero", "c0 is ones. " + C0_ZEROS, _c0_as(np.ones_like)),
    _sequence_mistake("state_not_carried", "the hidden state is not carried forward: every "
                      "step gets a0. Pass the a_next of step t as the a_prev of step t+1.",
                      carry_a=False),
    _sequence_mistake("state_not_carried", "neither state is carried forward: every step "
                      "gets a0 and an empty cell state. Pass a_next and c_next of step t to "
                      "step t+1.", carry_a=False, carry_c=False),
    _sequence_mistake("cell_state_not_carried", "the cell state is not carried forward: every "
                      "step starts from zeros. Pass the c_next of step t as the c_prev of step "
                      "t+1: it is the LSTM's long-term memory.", carry_c=False),
    _sequence_mistake("state_stored_before_update", "a[:, :, t] holds the state before step t "
                      "(off by one in time): store the a_next returned by step t.",
                      store_before=("a",)),
    _sequence_mistake("c_stored_before_update", "c[:, :, t] holds the cell state before step t "
                      "(off by one in time): store the c_next returned by step t.",
                      store_before=("c",)),
    Mistake("y_c_swapped", "y and c are returned in the wrong order: return a, y, c, caches.",
            _y_c_swapped),
    Mistake("caches_missing_x", "caches is only the list of step caches; return the pair "
            "(list of step caches, x).", _caches_without_x),
)


LSTM_CELL_FORWARD = Exercise("lstm_cell_forward", lstm_cell_cases, mistakes=CELL_MISTAKES,
                             layouts={"cache": STEP_CACHE_LAYOUT},
                             exception_hints=(CONCAT_AXIS_HINT,))
LSTM_FORWARD = Exercise("lstm_forward", lstm_cases, mistakes=SEQUENCE_MISTAKES,
                        layouts={"caches": ("list of step caches", "x")})


def check_lstm_cell_forward(lstm_cell_forward):
    """Check a student's ``lstm_cell_forward(xt, a_prev, c_prev, parameters)``."""
    run_check(LSTM_CELL_FORWARD, lstm_cell_forward)


def check_lstm_forward(lstm_forward):
    """Check a student's ``lstm_forward(x, a0, parameters)`` (reference cell during the check)."""
    run_check(LSTM_FORWARD, lstm_forward)
