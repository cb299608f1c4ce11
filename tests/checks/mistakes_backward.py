"""Deliberately wrong student implementations of lessons 03-04, each with one typical mistake.

Written the way a student would write them (not by reusing the checks' own variants), so that
the tests show that a real mistake is recognised by its fingerprint.
"""

import numpy as np

# As in lesson 04, whose notebook imports the reference cell (the check substitutes it anyway).
from rnn_utils.reference import rnn_cell_backward

# ---- rnn_cell_backward --------------------------------------------------------------------


def _cell_gradients(dz, cache):
    """The five gradients, computed correctly from dz (shared by the one-mistake versions)."""
    a_next, a_prev, xt, parameters = cache
    dxt = np.dot(parameters["Wax"].T, dz)
    da_prev = np.dot(parameters["Waa"].T, dz)
    dWax = np.dot(dz, xt.T)
    dWaa = np.dot(dz, a_prev.T)
    dba = np.sum(dz, axis=1, keepdims=True)
    return {"dxt": dxt, "da_prev": da_prev, "dWax": dWax, "dWaa": dWaa, "dba": dba}


def cell_tanh_derivative_twice(da_next, cache):
    a_next, a_prev, xt, parameters = cache
    dtanh = (1 - np.tanh(a_next) ** 2) * da_next
    return _cell_gradients(dtanh, cache)


def cell_missing_tanh_derivative(da_next, cache):
    return _cell_gradients(da_next, cache)


def cell_derivative_of_a_prev(da_next, cache):
    a_next, a_prev, xt, parameters = cache
    return _cell_gradients(da_next * (1 - a_prev * a_prev), cache)


def cell_derivative_squared_wrong(da_next, cache):
    a_next, a_prev, xt, parameters = cache
    return _cell_gradients(da_next * (1 - a_next) ** 2, cache)


def cell_dxt_skips_derivative(da_next, cache):
    a_next, a_prev, xt, parameters = cache
    gradients = _cell_gradients(da_next * (1 - a_next**2), cache)
    gradients["dxt"] = parameters["Wax"].T @ da_next
    return gradients


def cell_da_prev_missing_transpose(da_next, cache):
    a_next, a_prev, xt, parameters = cache
    dz = da_next * (1 - a_next**2)
    gradients = _cell_gradients(dz, cache)
    gradients["da_prev"] = parameters["Waa"] @ dz
    return gradients


def cell_dWax_transposed(da_next, cache):
    a_next, a_prev, xt, parameters = cache
    dz = da_next * (1 - a_next**2)
    gradients = _cell_gradients(dz, cache)
    gradients["dWax"] = xt @ dz.T
    return gradients


def cell_dWaa_transposed(da_next, cache):
    a_next, a_prev, xt, parameters = cache
    dz = da_next * (1 - a_next**2)
    gradients = _cell_gradients(dz, cache)
    gradients["dWaa"] = a_prev @ dz.T
    return gradients


def cell_dWaa_uses_a_next(da_next, cache):
    a_next, a_prev, xt, parameters = cache
    dz = da_next * (1 - a_next**2)
    gradients = _cell_gradients(dz, cache)
    gradients["dWaa"] = dz @ a_next.T
    return gradients


def cell_parameter_gradients_averaged(da_next, cache):
    a_next, a_prev, xt, parameters = cache
    m = xt.shape[1]
    dz = da_next * (1 - a_next**2)
    dxt = parameters["Wax"].T @ dz
    da_prev = parameters["Waa"].T @ dz
    dWax = 1 / m * dz @ xt.T
    dWaa = 1 / m * dz @ a_prev.T
    dba = 1 / m * np.sum(dz, axis=1, keepdims=True)
    return {"dxt": dxt, "da_prev": da_prev, "dWax": dWax, "dWaa": dWaa, "dba": dba}


def _cell_with_dba(da_next, cache, sum_bias):
    a_next, a_prev, xt, parameters = cache
    dz = da_next * (1 - a_next**2)
    gradients = _cell_gradients(dz, cache)
    gradients["dba"] = sum_bias(dz)
    return gradients


def cell_dba_keepdims_missing(da_next, cache):
    return _cell_with_dba(da_next, cache, lambda dz: np.sum(dz, axis=1))


def cell_dba_axis_0(da_next, cache):
    return _cell_with_dba(da_next, cache, lambda dz: np.sum(dz, axis=0, keepdims=True))


def cell_dba_axis_0_flat(da_next, cache):
    return _cell_with_dba(da_next, cache, lambda dz: dz.sum(axis=0))


def cell_dba_scalar(da_next, cache):
    return _cell_with_dba(da_next, cache, np.sum)


def cell_dba_averaged(da_next, cache):
    return _cell_with_dba(da_next, cache, lambda dz: np.mean(dz, axis=1, keepdims=True))


def cell_dba_not_summed(da_next, cache):
    return _cell_with_dba(da_next, cache, lambda dz: dz)


def cell_dxt_missing_transpose(da_next, cache):
    a_next, a_prev, xt, parameters = cache
    dz = da_next * (1 - a_next**2)
    gradients = _cell_gradients(dz, cache)
    gradients["dxt"] = parameters["Wax"] @ dz
    return gradients


def cell_float32(da_next, cache):
    """Correct formulas, but every gradient is stored in float32."""
    gradients = _cell_gradients(da_next * (1 - cache[0] ** 2), cache)
    return {name: gradient.astype(np.float32) for name, gradient in gradients.items()}


def cell_extra_keys(da_next, cache):
    """Correct, and also returns dz and the shapes: extra keys are harmless."""
    dz = da_next * (1 - cache[0] ** 2)
    return {**_cell_gradients(dz, cache), "dz": dz, "shapes": [da_next.shape]}


def cell_returns_tuple(da_next, cache):
    gradients = _cell_gradients(da_next * (1 - cache[0] ** 2), cache)
    return (gradients["dxt"], gradients["da_prev"], gradients["dWax"], gradients["dWaa"],
            gradients["dba"])


def cell_nan(da_next, cache):
    """Stands in for an overflow: dxt gets NaN wherever xt is positive."""
    a_next, a_prev, xt, parameters = cache
    gradients = _cell_gradients(da_next * (1 - a_next**2), cache)
    gradients["dxt"] = gradients["dxt"] * np.where(xt > 0, np.nan, 1.0)
    return gradients


def cell_modifies_da_next(da_next, cache):
    """Multiplies da_next by the derivative in place: the caller's da_next is overwritten."""
    a_next = cache[0]
    da_next *= 1 - a_next**2
    return _cell_gradients(da_next, cache)


# ---- numerical_gradient -------------------------------------------------------------------


def gradient_one_sided(f, x, eps=1e-6):
    grad = np.zeros_like(x)
    for index in np.ndindex(x.shape):
        f_x = f(x)
        x[index] += eps
        f_plus = f(x)
        x[index] -= eps
        grad[index] = (f_plus - f_x) / eps
    return grad


def gradient_divided_by_eps(f, x, eps=1e-6):
    grad = np.zeros_like(x)
    for index in np.ndindex(x.shape):
        old = x[index]
        x[index] = old + eps
        f_plus = f(x)
        x[index] = old - eps
        f_minus = f(x)
        x[index] = old
        grad[index] = (f_plus - f_minus) / eps
    return grad


def gradient_x_not_restored(f, x, eps=1e-6):
    grad = np.zeros_like(x)
    for index in np.ndindex(x.shape):
        old = x[index]
        x[index] = old + eps
        f_plus = f(x)
        x[index] = old - eps
        f_minus = f(x)
        grad[index] = (f_plus - f_minus) / (2 * eps)
    return grad


def gradient_eps_ignored(f, x, eps=1e-6):
    h = 1e-7  # "a small step"
    grad = np.zeros_like(x)
    for index in np.ndindex(x.shape):
        old = x[index]
        x[index] = old + h
        f_plus = f(x)
        x[index] = old - h
        f_minus = f(x)
        x[index] = old
        grad[index] = (f_plus - f_minus) / (2 * h)
    return grad


def gradient_eps_default_used(f, x, eps=1e-6):
    grad = np.zeros_like(x)
    for index in np.ndindex(x.shape):
        old = x[index]
        x[index] = old + 1e-6
        f_plus = f(x)
        x[index] = old - 1e-6
        f_minus = f(x)
        x[index] = old
        grad[index] = (f_plus - f_minus) / 2e-6
    return grad


def gradient_first_axis_only(f, x, eps=1e-6):
    grad = np.zeros_like(x)
    for i in range(x.shape[0]):
        old = x[i].copy()
        x[i] = old + eps
        f_plus = f(x)
        x[i] = old - eps
        f_minus = f(x)
        x[i] = old
        grad[i] = (f_plus - f_minus) / (2 * eps)
    return grad


def gradient_float32_copy(f, x, eps=1e-6):
    """Works on a float32 copy "to leave x alone"."""
    grad = np.zeros_like(x)
    work = np.array(x, dtype=np.float32)
    for index in np.ndindex(work.shape):
        old = work[index]
        work[index] = old + eps
        f_plus = f(work)
        work[index] = old - eps
        f_minus = f(work)
        work[index] = old
        grad[index] = (f_plus - f_minus) / (2 * eps)
    return grad


def gradient_all_entries_at_once(f, x, eps=1e-6):
    return (f(x + eps) - f(x - eps)) / (2 * eps)


# ---- softmax_cross_entropy ----------------------------------------------------------------


def loss_sign(y_pred, y):
    m = y.shape[1]
    return np.sum(y * np.log(y_pred)) / m, (y_pred - y) / m


def loss_not_averaged(y_pred, y):
    m = y.shape[1]
    return -np.sum(y * np.log(y_pred)), (y_pred - y) / m


def loss_averaged_over_steps(y_pred, y):
    n_y, m, T_x = y.shape
    return -np.sum(y * np.log(y_pred)) / (m * T_x), (y_pred - y) / m


def loss_mean_of_entries(y_pred, y):
    return -np.mean(y * np.log(y_pred)), (y_pred - y) / y.shape[1]


def loss_without_y(y_pred, y):
    m = y.shape[1]
    return -np.sum(np.log(y_pred)) / m, (y_pred - y) / m


def dz_sign(y_pred, y):
    m = y.shape[1]
    return -np.sum(y * np.log(y_pred)) / m, (y - y_pred) / m


def dz_not_divided_by_m(y_pred, y):
    m = y.shape[1]
    return -np.sum(y * np.log(y_pred)) / m, y_pred - y


def dz_divided_by_m_T_x(y_pred, y):
    n_y, m, T_x = y.shape
    return -np.sum(y * np.log(y_pred)) / m, (y_pred - y) / (m * T_x)


def loss_log_of_zero(y_pred, y):
    """Picks the target's probability by multiplying by y before the log: log(0) = -inf for
    the other classes, and 0 * -inf is NaN."""
    m = y.shape[1]
    return -np.sum(y * np.log(y * y_pred)) / m, (y_pred - y) / m


# ---- output_layer_backward ----------------------------------------------------------------


def output_da_without_Wya(dz, a, parameters):
    n_a, m, T_x = a.shape
    dWya = np.zeros(parameters["Wya"].shape)
    dby = np.zeros(parameters["by"].shape)
    for t in range(T_x):
        dWya += dz[:, :, t] @ a[:, :, t].T
        dby += np.sum(dz[:, :, t], axis=1, keepdims=True)
    return {"da": dz, "dWya": dWya, "dby": dby}


def output_da_not_transposed(dz, a, parameters):
    """Wya @ dz: a matmul error for n_y != n_a."""
    n_a, m, T_x = a.shape
    da = np.zeros((n_a, m, T_x))
    dWya = np.zeros(parameters["Wya"].shape)
    dby = np.zeros(parameters["by"].shape)
    for t in range(T_x):
        da[:, :, t] = parameters["Wya"] @ dz[:, :, t]
        dWya += dz[:, :, t] @ a[:, :, t].T
        dby += np.sum(dz[:, :, t], axis=1, keepdims=True)
    return {"da": da, "dWya": dWya, "dby": dby}


def _output_loop(dz, a, parameters, step):
    """The loop over the steps; step(t, gradients) updates dWya and dby for step t."""
    n_a, m, T_x = a.shape
    gradients = {"da": np.zeros((n_a, m, T_x)), "dWya": np.zeros(parameters["Wya"].shape),
                 "dby": np.zeros(parameters["by"].shape)}
    for t in range(T_x):
        gradients["da"][:, :, t] = parameters["Wya"].T @ dz[:, :, t]
        step(t, gradients)
    return gradients


def output_dWya_transposed(dz, a, parameters):
    n_a, m, T_x = a.shape
    da = np.zeros((n_a, m, T_x))
    dWya, dby = 0, 0
    for t in range(T_x):
        da[:, :, t] = parameters["Wya"].T @ dz[:, :, t]
        dWya += a[:, :, t] @ dz[:, :, t].T
        dby += np.sum(dz[:, :, t], axis=1, keepdims=True)
    return {"da": da, "dWya": dWya, "dby": dby}


def output_dWya_last_step(dz, a, parameters):
    def step(t, g):
        g["dWya"] = dz[:, :, t] @ a[:, :, t].T
        g["dby"] = np.sum(dz[:, :, t], axis=1, keepdims=True)

    return _output_loop(dz, a, parameters, step)


def output_dWya_first_step(dz, a, parameters):
    gradients = _output_loop(dz, a, parameters, lambda t, g: None)
    gradients["dWya"] = np.dot(dz[:, :, 0], a[:, :, 0].T)
    gradients["dby"] = dz[:, :, 0].sum(axis=1, keepdims=True)
    return gradients


def output_dby_flat(dz, a, parameters):
    gradients = _output_loop(dz, a, parameters, lambda t, g: None)
    gradients["dWya"] = sum(dz[:, :, t] @ a[:, :, t].T for t in range(a.shape[2]))
    gradients["dby"] = dz.sum(axis=(1, 2))
    return gradients


def output_dby_averaged(dz, a, parameters):
    def step(t, g):
        g["dWya"] += dz[:, :, t] @ a[:, :, t].T
        g["dby"] += np.mean(dz[:, :, t], axis=1, keepdims=True)

    return _output_loop(dz, a, parameters, step)


def output_dby_mean_over_steps(dz, a, parameters):
    gradients = _output_loop(dz, a, parameters, lambda t, g: None)
    gradients["dWya"] = sum(dz[:, :, t] @ a[:, :, t].T for t in range(a.shape[2]))
    gradients["dby"] = np.mean(dz, axis=(1, 2)).reshape(-1, 1)
    return gradients


# ---- rnn_backward -------------------------------------------------------------------------
# These call the global ``rnn_cell_backward``, the reference one (imported above).

RNN_BACKWARD_SOURCE = '''
def rnn_backward(da, caches):
    caches, x = caches
    n_x, m, T_x = x.shape
    n_a = da.shape[0]
    dx = np.zeros((n_x, m, T_x))
    dWax, dWaa, dba = np.zeros((n_a, n_x)), np.zeros((n_a, n_a)), np.zeros((n_a, 1))
    da_prevt = np.zeros((n_a, m))
    for t in reversed(range(T_x)):
        gradients = rnn_cell_backward(da[:, :, t] + da_prevt, caches[t])
        dx[:, :, t] = gradients["dxt"]
        da_prevt = gradients["da_prev"]
        dWax += gradients["dWax"]
        dWaa += gradients["dWaa"]
        dba += gradients["dba"]
    return {"dx": dx, "da0": da_prevt, "dWax": dWax, "dWaa": dWaa, "dba": dba}
'''


def _zeros_like_gradients(da, x):
    n_x, m, T_x = x.shape
    n_a = da.shape[0]
    return (np.zeros((n_x, m, T_x)), np.zeros((n_a, n_x)), np.zeros((n_a, n_a)),
            np.zeros((n_a, 1)), np.zeros((n_a, m)))


def backward_carry_only(da, caches):
    """Gives the cell only the carried gradient: da[:, :, t] never enters."""
    caches, x = caches
    dx, dWax, dWaa, dba, da_prevt = _zeros_like_gradients(da, x)
    for t in reversed(range(x.shape[2])):
        gradients = rnn_cell_backward(da_prevt, caches[t])
        dx[:, :, t] = gradients["dxt"]
        da_prevt = gradients["da_prev"]
        dWax += gradients["dWax"]
        dWaa += gradients["dWaa"]
        dba += gradients["dba"]
    return {"dx": dx, "da0": da_prevt, "dWax": dWax, "dWaa": dWaa, "dba": dba}


def backward_step_gradient_forgotten(da, caches):
    caches, x = caches
    dx, dWax, dWaa, dba, da0 = _zeros_like_gradients(da, x)
    for t in reversed(range(x.shape[2])):
        gradients = rnn_cell_backward(da[:, :, t], caches[t])
        dx[:, :, t] = gradients["dxt"]
        da0 = gradients["da_prev"]
        dWax += gradients["dWax"]
        dWaa += gradients["dWaa"]
        dba += gradients["dba"]
    return {"dx": dx, "da0": da0, "dWax": dWax, "dWaa": dWaa, "dba": dba}


def backward_carry_reset_every_3_steps(da, caches):
    """Truncated by mistake: the carried gradient is set back to zero every third step, so
    steps T_x-1 to T_x-3 are right and the error starts at step T_x-4."""
    caches, x = caches
    dx, dWax, dWaa, dba, da_prevt = _zeros_like_gradients(da, x)
    T_x = x.shape[2]
    for t in reversed(range(T_x)):
        if (T_x - 1 - t) % 3 == 0:
            da_prevt = np.zeros_like(da_prevt)
        gradients = rnn_cell_backward(da[:, :, t] + da_prevt, caches[t])
        dx[:, :, t] = gradients["dxt"]
        da_prevt = gradients["da_prev"]
        dWax += gradients["dWax"]
        dWaa += gradients["dWaa"]
        dba += gradients["dba"]
    return {"dx": dx, "da0": da_prevt, "dWax": dWax, "dWaa": dWaa, "dba": dba}


def backward_carry_never_updated(da, caches):
    caches, x = caches
    dx, dWax, dWaa, dba, da_prevt = _zeros_like_gradients(da, x)
    for t in reversed(range(x.shape[2])):
        gradients = rnn_cell_backward(da[:, :, t] + da_prevt, caches[t])
        dx[:, :, t] = gradients["dxt"]
        dWax += gradients["dWax"]
        dWaa += gradients["dWaa"]
        dba += gradients["dba"]
    return {"dx": dx, "da0": da_prevt, "dWax": dWax, "dWaa": dWaa, "dba": dba}


def backward_loop_forwards(da, caches):
    caches, x = caches
    dx, dWax, dWaa, dba, da_prevt = _zeros_like_gradients(da, x)
    for t in range(x.shape[2]):
        gradients = rnn_cell_backward(da[:, :, t] + da_prevt, caches[t])
        dx[:, :, t] = gradients["dxt"]
        da_prevt = gradients["da_prev"]
        dWax += gradients["dWax"]
        dWaa += gradients["dWaa"]
        dba += gradients["dba"]
    return {"dx": dx, "da0": da_prevt, "dWax": dWax, "dWaa": dWaa, "dba": dba}


def backward_caches_reversed(da, caches):
    caches, x = caches
    T_x = x.shape[2]
    dx, dWax, dWaa, dba, da_prevt = _zeros_like_gradients(da, x)
    for t in reversed(range(T_x)):
        gradients = rnn_cell_backward(da[:, :, t] + da_prevt, caches[T_x - 1 - t])
        dx[:, :, t] = gradients["dxt"]
        da_prevt = gradients["da_prev"]
        dWax += gradients["dWax"]
        dWaa += gradients["dWaa"]
        dba += gradients["dba"]
    return {"dx": dx, "da0": da_prevt, "dWax": dWax, "dWaa": dWaa, "dba": dba}


def _backward_then(da, caches, finish):
    """A correct loop; finish(results, da, first) then edits the results (first: the cell's
    gradients of the first step run, T_x-1; last: those of step 0)."""
    step_caches, x = caches
    dx, dWax, dWaa, dba, da_prevt = _zeros_like_gradients(da, x)
    steps = []
    for t in reversed(range(x.shape[2])):
        gradients = rnn_cell_backward(da[:, :, t] + da_prevt, step_caches[t])
        steps.append(gradients)
        dx[:, :, t] = gradients["dxt"]
        da_prevt = gradients["da_prev"]
        dWax += gradients["dWax"]
        dWaa += gradients["dWaa"]
        dba += gradients["dba"]
    results = {"dx": dx, "da0": da_prevt, "dWax": dWax, "dWaa": dWaa, "dba": dba}
    finish(results, da, steps)
    return results


def backward_da0_first_iteration(da, caches):
    return _backward_then(da, caches, lambda r, da, steps: r.update(da0=steps[0]["da_prev"]))


def backward_da0_is_da_0(da, caches):
    return _backward_then(da, caches, lambda r, da, steps: r.update(da0=da[:, :, 0]))


def backward_da0_zero(da, caches):
    step_caches, x = caches
    n_x, m, T_x = x.shape
    da0 = np.zeros((da.shape[0], m))
    results = _backward_then(da, caches, lambda r, da, steps: None)
    results["da0"] = da0
    return results


def backward_dx_never_stored(da, caches):
    step_caches, x = caches
    dx, dWax, dWaa, dba, da_prevt = _zeros_like_gradients(da, x)
    for t in reversed(range(x.shape[2])):
        gradients = rnn_cell_backward(da[:, :, t] + da_prevt, step_caches[t])
        dxt = gradients["dxt"]  # noqa: F841
        da_prevt = gradients["da_prev"]
        dWax += gradients["dWax"]
        dWaa += gradients["dWaa"]
        dba += gradients["dba"]
    return {"dx": dx, "da0": da_prevt, "dWax": dWax, "dWaa": dWaa, "dba": dba}


def backward_dx_stored_after_loop(da, caches):
    step_caches, x = caches
    dx, dWax, dWaa, dba, da_prevt = _zeros_like_gradients(da, x)
    for t in reversed(range(x.shape[2])):
        gradients = rnn_cell_backward(da[:, :, t] + da_prevt, step_caches[t])
        da_prevt = gradients["da_prev"]
        dWax += gradients["dWax"]
        dWaa += gradients["dWaa"]
        dba += gradients["dba"]
    dx[:, :, t] = gradients["dxt"]  # the loop is over: t is 0
    return {"dx": dx, "da0": da_prevt, "dWax": dWax, "dWaa": dWaa, "dba": dba}


def backward_dx_broadcast(da, caches):
    def finish(results, da, steps):
        results["dx"][:, :, :] = steps[-1]["dxt"][:, :, np.newaxis]

    return _backward_then(da, caches, finish)


def backward_dx_is_dxt(da, caches):
    return _backward_then(da, caches, lambda r, da, steps: r.update(dx=steps[-1]["dxt"]))


def backward_not_accumulated(da, caches):
    step_caches, x = caches
    dx, dWax, dWaa, dba, da_prevt = _zeros_like_gradients(da, x)
    for t in reversed(range(x.shape[2])):
        gradients = rnn_cell_backward(da[:, :, t] + da_prevt, step_caches[t])
        dx[:, :, t] = gradients["dxt"]
        da_prevt = gradients["da_prev"]
        dWax = gradients["dWax"]
        dWaa = gradients["dWaa"]
        dba = gradients["dba"]
    return {"dx": dx, "da0": da_prevt, "dWax": dWax, "dWaa": dWaa, "dba": dba}


def backward_bias_added_to_itself(da, caches):
    """The seed 002 bug: the step's dba shadows the running sum, then is added to itself."""
    step_caches, x = caches
    dx, dWax, dWaa, dba, da_prevt = _zeros_like_gradients(da, x)
    for t in reversed(range(x.shape[2])):
        gradients = rnn_cell_backward(da[:, :, t] + da_prevt, step_caches[t])
        dxt, da_prevt, dWaxt, dWaat, dba = (gradients["dxt"], gradients["da_prev"],
                                            gradients["dWax"], gradients["dWaa"],
                                            gradients["dba"])
        dx[:, :, t] = dxt
        dWax += dWaxt
        dWaa += dWaat
        dba += dba
    return {"dx": dx, "da0": da_prevt, "dWax": dWax, "dWaa": dWaa, "dba": dba}
