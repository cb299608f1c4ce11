"""Deliberately wrong student implementations of lessons 05-06 (the LSTM), each with one
typical mistake, and correct ones to compare.

Written the way a student would write them (not by reusing the checks' own variants), so that
the tests show that a real mistake is recognised by its fingerprint.
"""

import numpy as np

from rnn_utils.activations import sigmoid, softmax

# ---- lstm_cell_forward --------------------------------------------------------------------


def _unpack(parameters):
    return (parameters["Wf"], parameters["bf"], parameters["Wi"], parameters["bi"],
            parameters["Wc"], parameters["bc"], parameters["Wo"], parameters["bo"],
            parameters["Wy"], parameters["by"])


def cell_forward_correct(xt, a_prev, c_prev, parameters):
    Wf, bf, Wi, bi, Wc, bc, Wo, bo, Wy, by = _unpack(parameters)
    concat = np.vstack([a_prev, xt])
    ft = 1 / (1 + np.exp(-(np.dot(Wf, concat) + bf)))  # a sigmoid of their own
    it = sigmoid(np.dot(Wi, concat) + bi)
    cct = np.tanh(np.dot(Wc, concat) + bc)
    c_next = ft * c_prev + it * cct
    ot = sigmoid(np.dot(Wo, concat) + bo)
    a_next = ot * np.tanh(c_next)
    yt_pred = softmax(np.dot(Wy, a_next) + by)
    return a_next, c_next, yt_pred, (a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt,
                                     parameters)


def cell_concat_order(xt, a_prev, c_prev, parameters):
    Wf, bf, Wi, bi, Wc, bc, Wo, bo, Wy, by = _unpack(parameters)
    concat = np.concatenate((xt, a_prev), axis=0)
    ft = sigmoid(Wf @ concat + bf)
    it = sigmoid(Wi @ concat + bi)
    cct = np.tanh(Wc @ concat + bc)
    c_next = ft * c_prev + it * cct
    ot = sigmoid(Wo @ concat + bo)
    a_next = ot * np.tanh(c_next)
    yt_pred = softmax(Wy @ a_next + by)
    return a_next, c_next, yt_pred, (a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt,
                                     parameters)


def cell_concat_axis_1(xt, a_prev, c_prev, parameters):
    Wf, bf, Wi, bi, Wc, bc, Wo, bo, Wy, by = _unpack(parameters)
    concat = np.concatenate((a_prev, xt), axis=1)
    ft = sigmoid(Wf @ concat + bf)
    it = sigmoid(Wi @ concat + bi)
    cct = np.tanh(Wc @ concat + bc)
    c_next = ft * c_prev + it * cct
    ot = sigmoid(Wo @ concat + bo)
    a_next = ot * np.tanh(c_next)
    yt_pred = softmax(Wy @ a_next + by)
    return a_next, c_next, yt_pred, (a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt,
                                     parameters)


def _gates(xt, a_prev, parameters):
    """The four gates computed correctly (shared by the one-mistake versions below)."""
    Wf, bf, Wi, bi, Wc, bc, Wo, bo, Wy, by = _unpack(parameters)
    concat = np.concatenate((a_prev, xt), axis=0)
    return (sigmoid(Wf @ concat + bf), sigmoid(Wi @ concat + bi), np.tanh(Wc @ concat + bc),
            sigmoid(Wo @ concat + bo))


def _cell_result(a_next, c_next, xt, a_prev, c_prev, gates, parameters):
    ft, it, cct, ot = gates
    yt_pred = softmax(parameters["Wy"] @ a_next + parameters["by"])
    return a_next, c_next, yt_pred, (a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt,
                                     parameters)


def cell_output_gate_on_c(xt, a_prev, c_prev, parameters):
    ft, it, cct, ot = gates = _gates(xt, a_prev, parameters)
    c_next = ft * c_prev + it * cct
    a_next = ot * c_next
    return _cell_result(a_next, c_next, xt, a_prev, c_prev, gates, parameters)


def cell_tanh_outside(xt, a_prev, c_prev, parameters):
    ft, it, cct, ot = gates = _gates(xt, a_prev, parameters)
    c_next = ft * c_prev + it * cct
    a_next = np.tanh(ot * c_next)
    return _cell_result(a_next, c_next, xt, a_prev, c_prev, gates, parameters)


def cell_a_from_c_prev(xt, a_prev, c_prev, parameters):
    ft, it, cct, ot = gates = _gates(xt, a_prev, parameters)
    a_next = ot * np.tanh(c_prev)
    c_next = ft * c_prev + it * cct
    return _cell_result(a_next, c_next, xt, a_prev, c_prev, gates, parameters)


def cell_update_swapped(xt, a_prev, c_prev, parameters):
    ft, it, cct, ot = gates = _gates(xt, a_prev, parameters)
    c_next = ft * cct + it * c_prev
    a_next = ot * np.tanh(c_next)
    return _cell_result(a_next, c_next, xt, a_prev, c_prev, gates, parameters)


def cell_candidate_sigmoid(xt, a_prev, c_prev, parameters):
    ft, it, _, ot = _gates(xt, a_prev, parameters)
    concat = np.concatenate((a_prev, xt), axis=0)
    cct = sigmoid(parameters["Wc"] @ concat + parameters["bc"])
    c_next = ft * c_prev + it * cct
    a_next = ot * np.tanh(c_next)
    return _cell_result(a_next, c_next, xt, a_prev, c_prev, (ft, it, cct, ot), parameters)


def cell_forget_gate_tanh(xt, a_prev, c_prev, parameters):
    _, it, cct, ot = _gates(xt, a_prev, parameters)
    concat = np.concatenate((a_prev, xt), axis=0)
    ft = np.tanh(parameters["Wf"] @ concat + parameters["bf"])
    c_next = ft * c_prev + it * cct
    a_next = ot * np.tanh(c_next)
    return _cell_result(a_next, c_next, xt, a_prev, c_prev, (ft, it, cct, ot), parameters)


def cell_missing_bf(xt, a_prev, c_prev, parameters):
    _, it, cct, ot = _gates(xt, a_prev, parameters)
    concat = np.concatenate((a_prev, xt), axis=0)
    ft = sigmoid(np.dot(parameters["Wf"], concat))
    c_next = ft * c_prev + it * cct
    a_next = ot * np.tanh(c_next)
    return _cell_result(a_next, c_next, xt, a_prev, c_prev, (ft, it, cct, ot), parameters)


def cell_missing_by(xt, a_prev, c_prev, parameters):
    ft, it, cct, ot = _gates(xt, a_prev, parameters)
    c_next = ft * c_prev + it * cct
    a_next = ot * np.tanh(c_next)
    yt_pred = softmax(parameters["Wy"] @ a_next)
    return a_next, c_next, yt_pred, (a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt,
                                     parameters)


def cell_y_from_a_prev(xt, a_prev, c_prev, parameters):
    ft, it, cct, ot = _gates(xt, a_prev, parameters)
    c_next = ft * c_prev + it * cct
    a_next = ot * np.tanh(c_next)
    yt_pred = softmax(parameters["Wy"] @ a_prev + parameters["by"])
    return a_next, c_next, yt_pred, (a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt,
                                     parameters)


def cell_cache_order(xt, a_prev, c_prev, parameters):
    """Stores the gates in the order f, o, i, c~ of another textbook."""
    ft, it, cct, ot = _gates(xt, a_prev, parameters)
    c_next = ft * c_prev + it * cct
    a_next = ot * np.tanh(c_next)
    yt_pred = softmax(parameters["Wy"] @ a_next + parameters["by"])
    return a_next, c_next, yt_pred, (a_next, c_next, a_prev, c_prev, ft, ot, it, cct, xt,
                                     parameters)


# ---- lstm_forward (the check gives it the reference lstm_cell_forward) --------------------

# As a notebook cell defines it, run with exec in a namespace holding lstm_cell_forward.
LSTM_FORWARD_SOURCE = '''
def lstm_forward(x, a0, parameters):
    n_x, m, T_x = x.shape
    n_y, n_a = parameters["Wy"].shape
    a = np.zeros((n_a, m, T_x))
    c = np.zeros((n_a, m, T_x))
    y = np.zeros((n_y, m, T_x))
    caches = []
    a_next = a0
    c_next = np.zeros((n_a, m))
    for t in range(T_x):
        a_next, c_next, yt, cache = lstm_cell_forward(x[:, :, t], a_next, c_next, parameters)
        a[:, :, t] = a_next
        c[:, :, t] = c_next
        y[:, :, t] = yt
        caches.append(cache)
    return a, y, c, (caches, x)
'''


def _sequence_from(source_changes):
    """lstm_forward as a student wrote it: LSTM_FORWARD_SOURCE with (old, new) replacements."""
    from rnn_utils.reference import lstm_cell_forward  # the check substitutes it anyway

    source = LSTM_FORWARD_SOURCE
    for old, new in source_changes:
        assert old in source, old
        source = source.replace(old, new)
    namespace = {"np": np, "lstm_cell_forward": lstm_cell_forward}
    exec(compile(source, "<notebook cell>", "exec"), namespace)
    return namespace["lstm_forward"]


forward_correct = _sequence_from([])
forward_c0_is_a0 = _sequence_from([("c_next = np.zeros((n_a, m))", "c_next = a0")])
forward_c0_ones = _sequence_from([("c_next = np.zeros((n_a, m))", "c_next = np.ones((n_a, m))")])
forward_state_not_carried = _sequence_from([
    ("a_next, c_next, yt, cache = lstm_cell_forward(x[:, :, t], a_next,",
     "a_next, c_next, yt, cache = lstm_cell_forward(x[:, :, t], a0,")])
forward_cell_state_not_carried = _sequence_from([
    ("lstm_cell_forward(x[:, :, t], a_next, c_next, parameters)",
     "lstm_cell_forward(x[:, :, t], a_next, np.zeros((n_a, m)), parameters)")])
forward_c_stored_before_update = _sequence_from([
    ("        a_next, c_next, yt,", "        c[:, :, t] = c_next\n        a_next, c_next, yt,"),
    ("        c[:, :, t] = c_next\n        y[", "        y[")])
forward_y_c_swapped = _sequence_from([("return a, y, c, (caches, x)",
                                       "return a, c, y, (caches, x)")])
forward_caches_missing_x = _sequence_from([("return a, y, c, (caches, x)",
                                            "return a, y, c, caches")])
forward_caches_order = _sequence_from([("return a, y, c, (caches, x)",
                                        "return a, y, c, (x, caches)")])


def forward_a_stored_before_update(x, a0, parameters):
    from rnn_utils.reference import lstm_cell_forward

    n_x, m, T_x = x.shape
    n_a, n_y = a0.shape[0], parameters["Wy"].shape[0]
    a, c, y = np.zeros((n_a, m, T_x)), np.zeros((n_a, m, T_x)), np.zeros((n_y, m, T_x))
    caches = []
    a_t, c_t = a0, np.zeros((n_a, m))
    for t in range(T_x):
        a[:, :, t] = a_t
        a_t, c_t, y[:, :, t], cache = lstm_cell_forward(x[:, :, t], a_t, c_t, parameters)
        c[:, :, t] = c_t
        caches.append(cache)
    return a, y, c, (caches, x)


# ---- lstm_cell_backward -------------------------------------------------------------------


def _finish(duf, dui, duc, duo, dc, cache):
    """Every gradient computed correctly from the four du's and dc."""
    a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, parameters = cache
    n_a = a_prev.shape[0]
    concat = np.concatenate((a_prev, xt), axis=0)
    dconcat = (parameters["Wf"].T @ duf + parameters["Wi"].T @ dui + parameters["Wc"].T @ duc
               + parameters["Wo"].T @ duo)
    return {"dxt": dconcat[n_a:], "da_prev": dconcat[:n_a], "dc_prev": dc * ft,
            "dWf": duf @ concat.T, "dbf": np.sum(duf, axis=1, keepdims=True),
            "dWi": dui @ concat.T, "dbi": np.sum(dui, axis=1, keepdims=True),
            "dWc": duc @ concat.T, "dbc": np.sum(duc, axis=1, keepdims=True),
            "dWo": duo @ concat.T, "dbo": np.sum(duo, axis=1, keepdims=True)}


def cell_backward_correct(da_next, dc_next, cache):
    a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, parameters = cache
    dot = da_next * np.tanh(c_next)
    dc = dc_next + da_next * ot * (1 - np.tanh(c_next) ** 2)
    duo = dot * ot * (1 - ot)
    duc = dc * it * (1 - cct**2)
    dui = dc * cct * it * (1 - it)
    duf = dc * c_prev * ft * (1 - ft)
    return _finish(duf, dui, duc, duo, dc, cache)


def cell_backward_forget_uses_cct(da_next, dc_next, cache):
    """The seed's eq. (10): c~ where c_prev is meant."""
    a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, parameters = cache
    dc = dc_next + da_next * ot * (1 - np.tanh(c_next) ** 2)
    duo = da_next * np.tanh(c_next) * ot * (1 - ot)
    duc = dc * it * (1 - cct**2)
    dui = dc * cct * it * (1 - it)
    duf = dc * cct * ft * (1 - ft)
    return _finish(duf, dui, duc, duo, dc, cache)


def _with_dc(da_next, dc, cache):
    """The gradients, correct given dc (the gradient reaching c_next)."""
    a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, parameters = cache
    duo = da_next * np.tanh(c_next) * ot * (1 - ot)
    return _finish(dc * c_prev * ft * (1 - ft), dc * cct * it * (1 - it), dc * it * (1 - cct**2),
                   duo, dc, cache)


def cell_backward_dc_missing_a_path(da_next, dc_next, cache):
    return _with_dc(da_next, dc_next, cache)


def cell_backward_dc_next_forgotten(da_next, dc_next, cache):
    """The most frequent one: dc only from this step's a_next, dc_next never added."""
    a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, parameters = cache
    dc = da_next * ot * (1 - np.tanh(c_next) ** 2)
    duo = da_next * np.tanh(c_next) * ot * (1 - ot)
    duc = dc * it * (1 - cct**2)
    dui = dc * cct * it * (1 - it)
    duf = dc * c_prev * ft * (1 - ft)
    return _finish(duf, dui, duc, duo, dc, cache)


def cell_backward_dc_prev_from_dc_next(da_next, dc_next, cache):
    gradients = cell_backward_correct(da_next, dc_next, cache)
    gradients["dc_prev"] = dc_next * cache[4]  # ft times the incoming gradient only
    return gradients


def cell_backward_candidate_tanh_twice(da_next, dc_next, cache):
    a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, parameters = cache
    dc = dc_next + da_next * ot * (1 - np.tanh(c_next) ** 2)
    duc = dc * it * (1 - np.tanh(cct) ** 2)
    return _finish(dc * c_prev * ft * (1 - ft), dc * cct * it * (1 - it), duc,
                   da_next * np.tanh(c_next) * ot * (1 - ot), dc, cache)


def cell_backward_gate_derivatives_forgotten(da_next, dc_next, cache):
    a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, parameters = cache
    dc = dc_next + da_next * ot * (1 - np.tanh(c_next) ** 2)
    return _finish(dc * c_prev, dc * cct, dc * it * (1 - cct**2), da_next * np.tanh(c_next),
                   dc, cache)


def cell_backward_tanh_c_derivative(da_next, dc_next, cache):
    a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, parameters = cache
    return _with_dc(da_next, dc_next + da_next * ot * (1 - c_next**2), cache)


def cell_backward_dc_prev_missing_forget_gate(da_next, dc_next, cache):
    ot, c_next = cache[7], cache[1]
    dc = dc_next + da_next * ot * (1 - np.tanh(c_next) ** 2)
    gradients = _with_dc(da_next, dc, cache)
    gradients["dc_prev"] = dc
    return gradients


def cell_backward_dzo_uses_c(da_next, dc_next, cache):
    a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, parameters = cache
    dc = dc_next + da_next * ot * (1 - np.tanh(c_next) ** 2)
    duo = da_next * c_next * ot * (1 - ot)
    return _finish(dc * c_prev * ft * (1 - ft), dc * cct * it * (1 - it), dc * it * (1 - cct**2),
                   duo, dc, cache)


def _with_sigmoid_derivative(da_next, dc_next, cache, derivative):
    """duf, dui, duo with derivative(gate name, gate value) in place of s (1 - s)."""
    a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, parameters = cache
    dc = dc_next + da_next * ot * (1 - np.tanh(c_next) ** 2)
    duo = da_next * np.tanh(c_next) * derivative("o", ot, cache)
    dui = dc * cct * derivative("i", it, cache)
    duf = dc * c_prev * derivative("f", ft, cache)
    return _finish(duf, dui, dc * it * (1 - cct**2), duo, dc, cache)


def cell_backward_sigmoid_derivative_of_z(da_next, dc_next, cache):
    def derivative(gate, value, cache):
        a_prev, xt, parameters = cache[2], cache[8], cache[9]
        z = parameters["W" + gate] @ np.concatenate((a_prev, xt)) + parameters["b" + gate]
        return z * (1 - z)

    return _with_sigmoid_derivative(da_next, dc_next, cache, derivative)


def cell_backward_sigmoid_derivative_as_tanh(da_next, dc_next, cache):
    return _with_sigmoid_derivative(da_next, dc_next, cache, lambda gate, s, cache: 1 - s**2)


def _dz_all(da_next, dc_next, cache):
    """duf, dui, duc, duo, dc, computed correctly."""
    a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, parameters = cache
    dc = dc_next + da_next * ot * (1 - np.tanh(c_next) ** 2)
    return (dc * c_prev * ft * (1 - ft), dc * cct * it * (1 - it), dc * it * (1 - cct**2),
            da_next * np.tanh(c_next) * ot * (1 - ot), dc)


def cell_backward_split_swapped(da_next, dc_next, cache):
    """Takes da_prev from the bottom rows of dconcat: shapes are wrong when n_a != n_x."""
    gradients = _finish(*_dz_all(da_next, dc_next, cache), cache)
    dconcat = np.concatenate((gradients["da_prev"], gradients["dxt"]))
    n_a = cache[2].shape[0]
    gradients["da_prev"] = dconcat[n_a:]
    gradients["dxt"] = dconcat[:n_a]
    return gradients


def cell_backward_split_as_xt_first(da_next, dc_next, cache):
    """Splits dconcat as if concat were [xt; a_prev]."""
    gradients = _finish(*_dz_all(da_next, dc_next, cache), cache)
    dconcat = np.concatenate((gradients["da_prev"], gradients["dxt"]))
    n_x = cache[8].shape[0]
    gradients["dxt"] = dconcat[:n_x]
    gradients["da_prev"] = dconcat[n_x:]
    return gradients


def cell_backward_dconcat_overwritten(da_next, dc_next, cache):
    """Assigns dconcat once per gate instead of adding: only the output gate's path stays."""
    duf, dui, duc, duo, dc = _dz_all(da_next, dc_next, cache)
    parameters, n_a = cache[9], cache[2].shape[0]
    gradients = _finish(duf, dui, duc, duo, dc, cache)
    dconcat = parameters["Wf"].T @ duf
    dconcat = parameters["Wi"].T @ dui
    dconcat = parameters["Wc"].T @ duc
    dconcat = parameters["Wo"].T @ duo
    gradients["da_prev"], gradients["dxt"] = dconcat[:n_a], dconcat[n_a:]
    return gradients


def cell_backward_bias_averaged(da_next, dc_next, cache):
    duf, dui, duc, duo, dc = _dz_all(da_next, dc_next, cache)
    gradients = _finish(duf, dui, duc, duo, dc, cache)
    for name, du in (("dbf", duf), ("dbi", dui), ("dbc", duc), ("dbo", duo)):
        gradients[name] = np.mean(du, axis=1, keepdims=True)
    return gradients


def cell_backward_weights_transposed(da_next, dc_next, cache):
    duf, dui, duc, duo, dc = _dz_all(da_next, dc_next, cache)
    gradients = _finish(duf, dui, duc, duo, dc, cache)
    concat = np.concatenate((cache[2], cache[8]))
    for name, du in (("dWf", duf), ("dWi", dui), ("dWc", duc), ("dWo", duo)):
        gradients[name] = concat @ du.T
    return gradients


# ---- lstm_backward (the check gives it the reference lstm_cell_backward) ------------------

LSTM_BACKWARD_SOURCE = '''
def lstm_backward(da, caches):
    caches, x = caches
    n_x, m, T_x = x.shape
    n_a = da.shape[0]
    dx = np.zeros((n_x, m, T_x))
    dWf, dWi, dWc, dWo = [np.zeros((n_a, n_a + n_x)) for _ in range(4)]
    dbf, dbi, dbc, dbo = [np.zeros((n_a, 1)) for _ in range(4)]
    da_prevt = np.zeros((n_a, m))
    dc_prevt = np.zeros((n_a, m))
    for t in reversed(range(T_x)):
        gradients = lstm_cell_backward(da[:, :, t] + da_prevt, dc_prevt, caches[t])
        dx[:, :, t] = gradients["dxt"]
        da_prevt = gradients["da_prev"]
        dc_prevt = gradients["dc_prev"]
        dWf += gradients["dWf"]
        dWi += gradients["dWi"]
        dWc += gradients["dWc"]
        dWo += gradients["dWo"]
        dbf += gradients["dbf"]
        dbi += gradients["dbi"]
        dbc += gradients["dbc"]
        dbo += gradients["dbo"]
    da0 = da_prevt
    return {"dx": dx, "da0": da0, "dWf": dWf, "dbf": dbf, "dWi": dWi, "dbi": dbi,
            "dWc": dWc, "dbc": dbc, "dWo": dWo, "dbo": dbo}
'''


def _bptt_from(source_changes):
    """lstm_backward as a student wrote it: LSTM_BACKWARD_SOURCE with (old, new) replacements."""
    from rnn_utils.reference import lstm_cell_backward  # the check substitutes it anyway

    source = LSTM_BACKWARD_SOURCE
    for old, new in source_changes:
        assert old in source, old
        source = source.replace(old, new)
    namespace = {"np": np, "lstm_cell_backward": lstm_cell_backward}
    exec(compile(source, "<notebook cell>", "exec"), namespace)
    return namespace["lstm_backward"]


CELL_CALL = "lstm_cell_backward(da[:, :, t] + da_prevt, dc_prevt, caches[t])"

backward_correct = _bptt_from([])
backward_da_not_carried = _bptt_from([(CELL_CALL,
                                       "lstm_cell_backward(da[:, :, t], dc_prevt, caches[t])")])
backward_dc_not_carried = _bptt_from([(CELL_CALL, "lstm_cell_backward(da[:, :, t] + da_prevt, "
                                       "np.zeros((n_a, m)), caches[t])")])
# The seed's lstm_backward: da[:, :, t] alone, and dc_prevt never updated.
backward_nothing_carried = _bptt_from([
    (CELL_CALL, "lstm_cell_backward(da[:, :, t], dc_prevt, caches[t])"),
    ('        dc_prevt = gradients["dc_prev"]\n', "")])
backward_loop_forwards = _bptt_from([("reversed(range(T_x))", "range(T_x)")])
backward_da0_first_step_run = _bptt_from([
    ('        da_prevt = gradients["da_prev"]\n',
     '        da_prevt = gradients["da_prev"]\n        if t == T_x - 1:\n'
     '            da0 = da_prevt\n'),
    ("\n    da0 = da_prevt\n    return", "\n    return")])
backward_not_accumulated = _bptt_from([
    (f'        d{kind}{gate} += gradients["d{kind}{gate}"]',
     f'        d{kind}{gate} = gradients["d{kind}{gate}"]') for gate in "fico" for kind in "Wb"])
