"""Deliberately wrong student implementations of lesson 09 (the GRU), each with one typical
mistake, and correct ones to compare.

Written the way a student would write them (not by reusing the checks' own variants), so that
the tests show that a real mistake is recognised by its fingerprint. Each wrong cell is the
correct one with one or two lines changed, selected by keyword.
"""

import numpy as np

from rnn_utils.activations import sigmoid, softmax

# ---- gru_cell_forward ---------------------------------------------------------------------


def _cell(xt, a_prev, parameters, swap_update=False, reset="before", candidate=np.tanh,
          gate=sigmoid, concat_axis=0):
    """A student's gru_cell_forward; the keywords select one mistake."""
    Wz, bz, Wr, br = parameters["Wz"], parameters["bz"], parameters["Wr"], parameters["br"]
    Wh, bh, Wy, by = parameters["Wh"], parameters["bh"], parameters["Wy"], parameters["by"]
    n_a = a_prev.shape[0]
    concat = np.concatenate((a_prev, xt), axis=concat_axis)
    zt = gate(np.dot(Wz, concat) + bz)
    rt = sigmoid(np.dot(Wr, concat) + br)
    if reset == "before":
        hht = candidate(np.dot(Wh, np.vstack([rt * a_prev, xt])) + bh)
    elif reset == "after":  # PyTorch's form
        hht = candidate(rt * np.dot(Wh[:, :n_a], a_prev) + np.dot(Wh[:, n_a:], xt) + bh)
    elif reset == "on_x":
        hht = candidate(np.dot(Wh, np.vstack([a_prev, rt * xt])) + bh)
    elif reset == "whole_stack":
        hht = candidate(np.dot(Wh, rt * concat) + bh)
    else:  # "missing"
        hht = candidate(np.dot(Wh, concat) + bh)
    if swap_update:
        a_next = (1 - zt) * a_prev + zt * hht
    else:
        a_next = zt * a_prev + (1 - zt) * hht
    yt_pred = softmax(np.dot(Wy, a_next) + by)
    return a_next, yt_pred, (a_next, a_prev, zt, rt, hht, xt, parameters)


def cell_forward_correct(xt, a_prev, parameters):
    return _cell(xt, a_prev, parameters)


def cell_update_swapped(xt, a_prev, parameters):
    return _cell(xt, a_prev, parameters, swap_update=True)


def cell_reset_after_product(xt, a_prev, parameters):
    return _cell(xt, a_prev, parameters, reset="after")


def cell_reset_on_x(xt, a_prev, parameters):
    return _cell(xt, a_prev, parameters, reset="on_x")


def cell_reset_on_whole_stack(xt, a_prev, parameters):
    return _cell(xt, a_prev, parameters, reset="whole_stack")


def cell_reset_missing(xt, a_prev, parameters):
    return _cell(xt, a_prev, parameters, reset="missing")


def cell_candidate_sigmoid(xt, a_prev, parameters):
    return _cell(xt, a_prev, parameters, candidate=sigmoid)


def cell_update_gate_tanh(xt, a_prev, parameters):
    return _cell(xt, a_prev, parameters, gate=np.tanh)


def cell_concat_axis_1(xt, a_prev, parameters):
    return _cell(xt, a_prev, parameters, concat_axis=1)


def cell_reset_on_whole_product(xt, a_prev, parameters):
    Wz, bz, Wr, br = parameters["Wz"], parameters["bz"], parameters["Wr"], parameters["br"]
    Wh, bh, Wy, by = parameters["Wh"], parameters["bh"], parameters["Wy"], parameters["by"]
    concat = np.concatenate([a_prev, xt])
    zt = sigmoid(Wz @ concat + bz)
    rt = sigmoid(Wr @ concat + br)
    hht = np.tanh(rt * (Wh @ concat + bh))
    a_next = zt * a_prev + (1 - zt) * hht
    return a_next, softmax(Wy @ a_next + by), (a_next, a_prev, zt, rt, hht, xt, parameters)


def _with_changed_parameters(xt, a_prev, parameters, **changed):
    """_cell run with some parameters changed (the student's slip), its cache holding the
    parameters it was given."""
    a_next, yt_pred, cache = _cell(xt, a_prev, dict(parameters, **changed))
    return a_next, yt_pred, cache[:6] + (parameters,)


def cell_gates_swapped(xt, a_prev, parameters):
    return _with_changed_parameters(xt, a_prev, parameters, Wz=parameters["Wr"],
                                    bz=parameters["br"], Wr=parameters["Wz"], br=parameters["bz"])


def cell_missing_bh(xt, a_prev, parameters):
    return _with_changed_parameters(xt, a_prev, parameters, bh=np.zeros_like(parameters["bh"]))


def cell_concat_order(xt, a_prev, parameters):
    Wz, bz, Wr, br = parameters["Wz"], parameters["bz"], parameters["Wr"], parameters["br"]
    Wh, bh, Wy, by = parameters["Wh"], parameters["bh"], parameters["Wy"], parameters["by"]
    concat = np.concatenate([xt, a_prev])
    zt = sigmoid(Wz @ concat + bz)
    rt = sigmoid(Wr @ concat + br)
    hht = np.tanh(Wh @ np.concatenate([xt, rt * a_prev]) + bh)
    a_next = zt * a_prev + (1 - zt) * hht
    return a_next, softmax(Wy @ a_next + by), (a_next, a_prev, zt, rt, hht, xt, parameters)


def cell_missing_by(xt, a_prev, parameters):
    a_next, _, cache = _cell(xt, a_prev, parameters)
    return a_next, softmax(parameters["Wy"] @ a_next), cache


def cell_y_from_a_prev(xt, a_prev, parameters):
    a_next, _, cache = _cell(xt, a_prev, parameters)
    return a_next, softmax(parameters["Wy"] @ a_prev + parameters["by"]), cache


def cell_cache_order(xt, a_prev, parameters):
    a_next, yt_pred, (a_next, a_prev, zt, rt, hht, xt, parameters) = _cell(xt, a_prev,
                                                                           parameters)
    return a_next, yt_pred, (a_next, a_prev, rt, zt, hht, xt, parameters)


# ---- gru_forward --------------------------------------------------------------------------

GRU_FORWARD_SOURCE = '''
def gru_forward(x, a0, parameters):
    n_x, m, T_x = x.shape
    n_y, n_a = parameters["Wy"].shape
    a = np.zeros((n_a, m, T_x))
    y_pred = np.zeros((n_y, m, T_x))
    caches = []
    a_next = a0
    for t in range(T_x):
        a_next, yt_pred, cache = gru_cell_forward(x[:, :, t], a_next, parameters)
        a[:, :, t] = a_next
        y_pred[:, :, t] = yt_pred
        caches.append(cache)
    return a, y_pred, (caches, x)
'''


def _forward(x, a0, parameters, carry=True, store_before=False, with_x=True):
    n_y, n_a = parameters["Wy"].shape
    a, y_pred, caches = np.zeros((n_a,) + x.shape[1:]), np.zeros((n_y,) + x.shape[1:]), []
    a_prev = a0
    for t in range(x.shape[2]):
        a_next, yt_pred, cache = cell_forward_correct(x[:, :, t], a_prev, parameters)
        a[:, :, t] = a_prev if store_before else a_next
        y_pred[:, :, t] = yt_pred
        caches.append(cache)
        a_prev = a_next if carry else a0
    return a, y_pred, (caches, x) if with_x else caches


def forward_correct(x, a0, parameters):
    return _forward(x, a0, parameters)


def forward_state_not_carried(x, a0, parameters):
    return _forward(x, a0, parameters, carry=False)


def forward_a_stored_before_update(x, a0, parameters):
    return _forward(x, a0, parameters, store_before=True)


def forward_caches_missing_x(x, a0, parameters):
    return _forward(x, a0, parameters, with_x=False)


# ---- gru_cell_backward --------------------------------------------------------------------


def _cell_backward(da_next, cache, sign=1, candidate_weight="1-z", reset_stack=True,
                   dur_has_a_prev=True, paths=("direct", "reset", "gates"), dxt_candidate=True,
                   tanh_slope=lambda h: 1 - h**2, sigmoid_slope=lambda s: s * (1 - s),
                   bias=lambda du: np.sum(du, axis=1, keepdims=True), transpose=False):
    """A student's gru_cell_backward; the keywords select one mistake."""
    a_next, a_prev, zt, rt, hht, xt, parameters = cache
    Wz, Wr, Wh = parameters["Wz"], parameters["Wr"], parameters["Wh"]
    n_a = a_prev.shape[0]
    weight = 1 - zt if candidate_weight == "1-z" else zt
    duh = da_next * weight * tanh_slope(hht)
    duz = sign * da_next * (a_prev - hht) * sigmoid_slope(zt)
    concat = np.vstack([a_prev, xt])
    concat_reset = np.vstack([rt * a_prev, xt]) if reset_stack else concat
    dconcat_reset = np.dot(Wh.T, duh)
    dp = dconcat_reset[:n_a]
    dur = dp * (a_prev if dur_has_a_prev else 1) * sigmoid_slope(rt)
    dconcat = np.dot(Wz.T, duz) + np.dot(Wr.T, dur)
    terms = {"direct": da_next * zt, "reset": dp * rt, "gates": dconcat[:n_a]}
    da_prev = sum(terms[name] for name in paths)
    dxt = dconcat[n_a:] + (dconcat_reset[n_a:] if dxt_candidate else 0)
    gradients = {"dxt": dxt, "da_prev": da_prev}
    for name, du, stack in (("z", duz, concat), ("r", dur, concat), ("h", duh, concat_reset)):
        gradients["dW" + name] = np.dot(stack, du.T) if transpose else np.dot(du, stack.T)
        gradients["db" + name] = bias(du)
    return gradients


def cell_backward_correct(da_next, cache):
    return _cell_backward(da_next, cache)


def cell_backward_update_sign(da_next, cache):
    return _cell_backward(da_next, cache, sign=-1)


def cell_backward_candidate_uses_z(da_next, cache):
    return _cell_backward(da_next, cache, candidate_weight="z")


def cell_backward_unreset_stack(da_next, cache):
    return _cell_backward(da_next, cache, reset_stack=False)


def cell_backward_dur_without_a_prev(da_next, cache):
    return _cell_backward(da_next, cache, dur_has_a_prev=False)


def cell_backward_no_direct_path(da_next, cache):
    return _cell_backward(da_next, cache, paths=("reset", "gates"))


def cell_backward_no_reset_path(da_next, cache):
    return _cell_backward(da_next, cache, paths=("direct", "gates"))


def cell_backward_no_gates_path(da_next, cache):
    return _cell_backward(da_next, cache, paths=("direct", "reset"))


def cell_backward_dxt_gates_only(da_next, cache):
    return _cell_backward(da_next, cache, dxt_candidate=False)


def cell_backward_tanh_slope_as_sigmoid(da_next, cache):
    return _cell_backward(da_next, cache, tanh_slope=lambda h: h * (1 - h))


def cell_backward_sigmoid_slope_as_tanh(da_next, cache):
    return _cell_backward(da_next, cache, sigmoid_slope=lambda s: 1 - s**2)


def cell_backward_bias_mean(da_next, cache):
    return _cell_backward(da_next, cache, bias=lambda du: np.mean(du, axis=1, keepdims=True))


def cell_backward_bias_not_summed(da_next, cache):
    return _cell_backward(da_next, cache, bias=lambda du: du)


def cell_backward_weights_transposed(da_next, cache):
    return _cell_backward(da_next, cache, transpose=True)


# ---- gru_backward -------------------------------------------------------------------------

GRU_BACKWARD_SOURCE = '''
def gru_backward(da, caches):
    step_caches, x = caches
    n_x, m, T_x = x.shape
    n_a = da.shape[0]
    dx = np.zeros((n_x, m, T_x))
    sums = {}
    da_prevt = np.zeros((n_a, m))
    for t in reversed(range(T_x)):
        gradients = gru_cell_backward(da[:, :, t] + da_prevt, step_caches[t])
        dx[:, :, t] = gradients["dxt"]
        da_prevt = gradients["da_prev"]
        for name in ("dWz", "dbz", "dWr", "dbr", "dWh", "dbh"):
            sums[name] = sums.get(name, 0) + gradients[name]
    return {"dx": dx, "da0": da_prevt, **sums}
'''

NAMES = ("dWz", "dbz", "dWr", "dbr", "dWh", "dbh")


def _backward(da, caches, carry=True, forwards=False, da0_first_run=False, accumulate=True):
    step_caches, x = caches
    T_x = x.shape[2]
    dx, sums, carried, first_run = np.zeros(x.shape), {}, np.zeros(da.shape[:2]), None
    for t in range(T_x) if forwards else reversed(range(T_x)):
        gradients = cell_backward_correct(da[:, :, t] + carried, step_caches[t])
        dx[:, :, t] = gradients["dxt"]
        first_run = gradients["da_prev"] if first_run is None else first_run
        carried = gradients["da_prev"] if carry else 0 * carried
        for name in NAMES:
            sums[name] = sums.get(name, 0) + gradients[name] if accumulate else gradients[name]
    da0 = first_run if da0_first_run else gradients["da_prev"]
    return {"dx": dx, "da0": da0, **sums}


def backward_correct(da, caches):
    return _backward(da, caches)


def backward_not_carried(da, caches):
    return _backward(da, caches, carry=False)


def backward_forwards_in_time(da, caches):
    return _backward(da, caches, forwards=True)


def backward_da0_first_step_run(da, caches):
    return _backward(da, caches, da0_first_run=True)


def backward_not_accumulated(da, caches):
    return _backward(da, caches, accumulate=False)
