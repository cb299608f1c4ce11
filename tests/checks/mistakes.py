"""Deliberately wrong student implementations, each with one typical mistake.

Written the way a student would write them (not by reusing the checks' own variants), so that
the tests show that a real mistake is recognised by its fingerprint.
"""

import warnings

import numpy as np

from rnn_utils.activations import sigmoid, softmax

# ---- rnn_cell_forward ---------------------------------------------------------------------


def cell_correct_but_chatty(xt, a_prev, parameters):
    """Correct, but prints and warns: the check's output must not change."""
    print("debug: xt has shape", xt.shape)
    warnings.warn("a warning from the student's code", stacklevel=2)
    a_next = np.tanh(parameters["Wax"] @ xt + parameters["Waa"] @ a_prev + parameters["ba"])
    # A student's own softmax, without the max shift: equal up to rounding.
    scores = np.exp(parameters["Wya"] @ a_next + parameters["by"])
    yt_pred = scores / np.sum(scores, axis=0)
    return a_next, yt_pred, (a_next, a_prev, xt, parameters)


def cell_waa_transposed(xt, a_prev, parameters):
    a_next = np.tanh(parameters["Wax"] @ xt + parameters["Waa"].T @ a_prev + parameters["ba"])
    yt_pred = softmax(parameters["Wya"] @ a_next + parameters["by"])
    return a_next, yt_pred, (a_next, a_prev, xt, parameters)


def cell_wax_transposed(xt, a_prev, parameters):
    a_next = np.tanh(parameters["Wax"].T @ xt + parameters["Waa"] @ a_prev + parameters["ba"])
    yt_pred = softmax(parameters["Wya"] @ a_next + parameters["by"])
    return a_next, yt_pred, (a_next, a_prev, xt, parameters)


def cell_elementwise_product(xt, a_prev, parameters):
    a_next = np.tanh(parameters["Wax"] * xt + parameters["Waa"] @ a_prev + parameters["ba"])
    yt_pred = softmax(parameters["Wya"] @ a_next + parameters["by"])
    return a_next, yt_pred, (a_next, a_prev, xt, parameters)


def cell_flat_bias(xt, a_prev, parameters):
    """Flattens the bias to shape (n_a,): broadcasting then fails (m != n_a in the cases)."""
    ba = parameters["ba"].ravel()
    a_next = np.tanh(parameters["Wax"] @ xt + parameters["Waa"] @ a_prev + ba)
    yt_pred = softmax(parameters["Wya"] @ a_next + parameters["by"])
    return a_next, yt_pred, (a_next, a_prev, xt, parameters)


def cell_missing_ba(xt, a_prev, parameters):
    a_next = np.tanh(np.dot(parameters["Wax"], xt) + np.dot(parameters["Waa"], a_prev))
    yt_pred = softmax(np.dot(parameters["Wya"], a_next) + parameters["by"])
    return a_next, yt_pred, (a_next, a_prev, xt, parameters)


def cell_missing_by(xt, a_prev, parameters):
    a_next = np.tanh(parameters["Wax"] @ xt + parameters["Waa"] @ a_prev + parameters["ba"])
    yt_pred = softmax(parameters["Wya"] @ a_next)
    return a_next, yt_pred, (a_next, a_prev, xt, parameters)


def cell_sigmoid(xt, a_prev, parameters):
    a_next = sigmoid(parameters["Wax"] @ xt + parameters["Waa"] @ a_prev + parameters["ba"])
    yt_pred = softmax(parameters["Wya"] @ a_next + parameters["by"])
    return a_next, yt_pred, (a_next, a_prev, xt, parameters)


def cell_softmax_axis_1(xt, a_prev, parameters):
    a_next = np.tanh(parameters["Wax"] @ xt + parameters["Waa"] @ a_prev + parameters["ba"])
    scores = np.exp(parameters["Wya"] @ a_next + parameters["by"])
    yt_pred = scores / scores.sum(axis=1, keepdims=True)
    return a_next, yt_pred, (a_next, a_prev, xt, parameters)


def cell_softmax_whole_array(xt, a_prev, parameters):
    a_next = np.tanh(parameters["Wax"] @ xt + parameters["Waa"] @ a_prev + parameters["ba"])
    scores = np.exp(parameters["Wya"] @ a_next + parameters["by"])
    yt_pred = scores / np.sum(scores)
    return a_next, yt_pred, (a_next, a_prev, xt, parameters)


def cell_no_softmax(xt, a_prev, parameters):
    a_next = np.tanh(parameters["Wax"] @ xt + parameters["Waa"] @ a_prev + parameters["ba"])
    yt_pred = parameters["Wya"] @ a_next + parameters["by"]
    return a_next, yt_pred, (a_next, a_prev, xt, parameters)


def cell_y_from_a_prev(xt, a_prev, parameters):
    a_next = np.tanh(parameters["Wax"] @ xt + parameters["Waa"] @ a_prev + parameters["ba"])
    yt_pred = softmax(parameters["Wya"] @ a_prev + parameters["by"])
    return a_next, yt_pred, (a_next, a_prev, xt, parameters)


def cell_cache_order(xt, a_prev, parameters):
    a_next = np.tanh(parameters["Wax"] @ xt + parameters["Waa"] @ a_prev + parameters["ba"])
    yt_pred = softmax(parameters["Wya"] @ a_next + parameters["by"])
    return a_next, yt_pred, (a_prev, a_next, xt, parameters)


def cell_modifies_a_prev(xt, a_prev, parameters):
    """Reuses a_prev's memory for the new state: the caller's a_prev is overwritten."""
    a_prev[...] = np.tanh(parameters["Wax"] @ xt + parameters["Waa"] @ a_prev + parameters["ba"])
    a_next = a_prev
    yt_pred = softmax(parameters["Wya"] @ a_next + parameters["by"])
    return a_next, yt_pred, (a_next, a_prev, xt, parameters)


def cell_modifies_parameters(xt, a_prev, parameters):
    """Stores the transpose of Wax in the caller's dict "to save a transpose later"."""
    parameters["Wax"] = parameters["Wax"].T
    a_next = np.tanh((xt.T @ parameters["Wax"]).T + parameters["Waa"] @ a_prev + parameters["ba"])
    yt_pred = softmax(parameters["Wya"] @ a_next + parameters["by"])
    return a_next, yt_pred, (a_next, a_prev, xt, parameters)


def cell_not_implemented(xt, a_prev, parameters):
    # YOUR CODE HERE
    raise NotImplementedError()


def cell_returns_none(xt, a_prev, parameters):
    a_next = np.tanh(parameters["Wax"] @ xt + parameters["Waa"] @ a_prev + parameters["ba"])  # noqa: F841


def cell_returns_two(xt, a_prev, parameters):
    a_next = np.tanh(parameters["Wax"] @ xt + parameters["Waa"] @ a_prev + parameters["ba"])
    return a_next, softmax(parameters["Wya"] @ a_next + parameters["by"])


def cell_returns_array(xt, a_prev, parameters):
    return np.tanh(parameters["Wax"] @ xt + parameters["Waa"] @ a_prev + parameters["ba"])


def cell_transposed_output(xt, a_prev, parameters):
    """Computes with rows as examples: a_next comes out (m, n_a)."""
    a_next = np.tanh(xt.T @ parameters["Wax"].T + a_prev.T @ parameters["Waa"].T
                     + parameters["ba"].T)
    yt_pred = softmax(parameters["Wya"] @ a_next.T + parameters["by"])
    return a_next, yt_pred, (a_next, a_prev, xt, parameters)


def cell_returns_list(xt, a_prev, parameters):
    a_next = np.tanh(parameters["Wax"] @ xt + parameters["Waa"] @ a_prev + parameters["ba"])
    yt_pred = softmax(parameters["Wya"] @ a_next + parameters["by"])
    return a_next.tolist(), yt_pred, (a_next, a_prev, xt, parameters)


# ---- rnn_forward --------------------------------------------------------------------------
# These call the global ``rnn_cell_forward``: during the check it is the reference one.

RNN_FORWARD_SOURCE = '''
def rnn_forward(x, a0, parameters):
    n_x, m, T_x = x.shape
    n_y, n_a = parameters["Wya"].shape
    a = np.zeros((n_a, m, T_x))
    y_pred = np.zeros((n_y, m, T_x))
    caches = []
    a_next = a0
    for t in range(T_x):
        a_next, yt_pred, cache = rnn_cell_forward(x[:, :, t], a_next, parameters)
        a[:, :, t] = a_next
        y_pred[:, :, t] = yt_pred
        caches.append(cache)
    return a, y_pred, (caches, x)
'''


def _allocate(x, parameters):
    n_x, m, T_x = x.shape
    n_y, n_a = parameters["Wya"].shape
    return np.zeros((n_a, m, T_x)), np.zeros((n_y, m, T_x)), []


def forward_state_not_carried(x, a0, parameters):
    a, y_pred, caches = _allocate(x, parameters)
    for t in range(x.shape[2]):
        a_next, yt_pred, cache = rnn_cell_forward(x[:, :, t], a0, parameters)  # noqa: F821
        a[:, :, t], y_pred[:, :, t] = a_next, yt_pred
        caches.append(cache)
    return a, y_pred, (caches, x)


def forward_stored_before_update(x, a0, parameters):
    a, y_pred, caches = _allocate(x, parameters)
    a_next = a0
    for t in range(x.shape[2]):
        a[:, :, t] = a_next
        a_next, yt_pred, cache = rnn_cell_forward(x[:, :, t], a_next, parameters)  # noqa: F821
        y_pred[:, :, t] = yt_pred
        caches.append(cache)
    return a, y_pred, (caches, x)


def forward_caches_missing_x(x, a0, parameters):
    a, y_pred, caches = _allocate(x, parameters)
    a_next = a0
    for t in range(x.shape[2]):
        a_next, yt_pred, cache = rnn_cell_forward(x[:, :, t], a_next, parameters)  # noqa: F821
        a[:, :, t], y_pred[:, :, t] = a_next, yt_pred
        caches.append(cache)
    return a, y_pred, caches


def forward_caches_order(x, a0, parameters):
    a, y_pred, caches = _allocate(x, parameters)
    a_next = a0
    for t in range(x.shape[2]):
        a_next, yt_pred, cache = rnn_cell_forward(x[:, :, t], a_next, parameters)  # noqa: F821
        a[:, :, t], y_pred[:, :, t] = a_next, yt_pred
        caches.append(cache)
    return a, y_pred, (x, caches)


def forward_float32_storage(x, a0, parameters):
    n_x, m, T_x = x.shape
    n_y, n_a = parameters["Wya"].shape
    a, y_pred = np.zeros((n_a, m, T_x), dtype=np.float32), np.zeros((n_y, m, T_x))
    a_next, caches = a0, []
    for t in range(T_x):
        a_next, yt_pred, cache = rnn_cell_forward(x[:, :, t], a_next, parameters)  # noqa: F821
        a[:, :, t], y_pred[:, :, t] = a_next, yt_pred
        caches.append(cache)
    return a, y_pred, (caches, x)


def forward_modifies_a0(x, a0, parameters):
    """Keeps the running state in a0's memory: the caller's a0 is overwritten."""
    a, y_pred, caches = _allocate(x, parameters)
    a_next = a0
    for t in range(x.shape[2]):
        a_next[...], yt_pred, cache = rnn_cell_forward(x[:, :, t], a_next, parameters)  # noqa: F821
        a[:, :, t], y_pred[:, :, t] = a_next, yt_pred
        caches.append(cache)
    return a, y_pred, (caches, x)


def forward_wrong_slice(x, a0, parameters):
    """Slices the wrong axis: x[:, t, :] is (n_x, T_x), not the step input (n_x, m)."""
    a, y_pred, caches = _allocate(x, parameters)
    a_next = a0
    for t in range(x.shape[2]):
        a_next, yt_pred, cache = rnn_cell_forward(x[:, t, :], a_next, parameters)  # noqa: F821
        a[:, :, t], y_pred[:, :, t] = a_next, yt_pred
        caches.append(cache)
    return a, y_pred, (caches, x)


def forward_time_reversed(x, a0, parameters):
    """Walks the sequence from the last step to the first."""
    a, y_pred, caches = _allocate(x, parameters)
    a_next = a0
    for t in range(x.shape[2] - 1, -1, -1):
        a_next, yt_pred, cache = rnn_cell_forward(x[:, :, t], a_next, parameters)  # noqa: F821
        a[:, :, t], y_pred[:, :, t] = a_next, yt_pred
        caches.append(cache)
    return a, y_pred, (caches, x)


def forward_caches_reversed(x, a0, parameters):
    """Puts each new cache at the front of the list."""
    a, y_pred, caches = _allocate(x, parameters)
    a_next = a0
    for t in range(x.shape[2]):
        a_next, yt_pred, cache = rnn_cell_forward(x[:, :, t], a_next, parameters)  # noqa: F821
        a[:, :, t], y_pred[:, :, t] = a_next, yt_pred
        caches.insert(0, cache)
    return a, y_pred, (caches, x)
