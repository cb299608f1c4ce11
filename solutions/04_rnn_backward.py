# ---
# jupyter:
#   jupytext:
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Lesson 04 · Backpropagation through time
#
# (Skeleton: the prose is being written.)

# %%
import numpy as np

from rnn_utils.checks import (
    check_output_layer_backward,
    check_rnn_backward,
    check_rnn_backward_truncated,
    check_softmax_cross_entropy,
)
from rnn_utils.reference import rnn_cell_backward

np.set_printoptions(precision=6, suppress=True)


# %%
def rnn_backward(da, caches):
    """Backward pass of a vanilla RNN over a whole sequence: backpropagation through time.

    Arguments:
    da -- upstream gradient of the loss with respect to every hidden state, dL/da<t> from the
          layer on top (the output layer), shape (n_a, m, T_x)
    caches -- tuple (list of the T_x step caches, x) returned by rnn_forward

    Returns:
    gradients -- dict with
        dx -- gradient with respect to the inputs, shape (n_x, m, T_x)
        da0 -- gradient with respect to the initial hidden state a0, shape (n_a, m)
        dWax -- gradient with respect to Wax, shape (n_a, n_x)
        dWaa -- gradient with respect to Waa, shape (n_a, n_a)
        dba -- gradient with respect to ba, shape (n_a, 1)
    """
    step_caches, x = caches
    n_x, m, T_x = x.shape  # x: (n_x, m, T_x)
    n_a = da.shape[0]  # da: (n_a, m, T_x)
    ### BEGIN SOLUTION
    dx = np.zeros((n_x, m, T_x))
    dWax = np.zeros((n_a, n_x))  # shared weights: their gradients are sums over the steps
    dWaa = np.zeros((n_a, n_a))
    dba = np.zeros((n_a, 1))
    da_carried = np.zeros((n_a, m))  # what step t+1 sends back to a<t>; nothing after the end
    for t in reversed(range(T_x)):  # the last step first: it needs nothing from later steps
        # a<t> reaches the loss twice: through the output at step t and through step t+1.
        gradients = rnn_cell_backward(da[:, :, t] + da_carried, step_caches[t])
        dx[:, :, t] = gradients["dxt"]  # (n_x, m): x<t> is used at step t only
        da_carried = gradients["da_prev"]  # (n_a, m): goes to step t-1
        dWax += gradients["dWax"]
        dWaa += gradients["dWaa"]
        dba += gradients["dba"]
    da0 = da_carried  # after step 0, what is carried back reaches a0
    ### END SOLUTION
    return {"dx": dx, "da0": da0, "dWax": dWax, "dWaa": dWaa, "dba": dba}


# %% points=4
check_rnn_backward(rnn_backward)


# %%
def softmax_cross_entropy(y_pred, y):
    """Cross-entropy loss of softmax predictions, and its gradient with respect to the scores.

    The predictions are y_pred = softmax(z) of the scores z<t> = Wya @ a<t> + by of every step.
    The loss is summed over the time steps and averaged over the m examples:
    loss = -(1/m) sum over t, examples i and classes k of y[k, i, t] * log(y_pred[k, i, t]).

    Arguments:
    y_pred -- predicted probabilities of every step (each column sums to 1), shape (n_y, m, T_x)
    y -- targets, one-hot (each column holds a single 1), shape (n_y, m, T_x)

    Returns:
    loss -- the loss, a float
    dz -- gradient of the loss with respect to the scores z, shape (n_y, m, T_x)
    """
    m = y.shape[1]
    ### BEGIN SOLUTION
    loss = -np.sum(y * np.log(y_pred)) / m  # only the log-probability of the target counts
    dz = (y_pred - y) / m  # (n_y, m, T_x): the softmax's Jacobian and the log's 1/y_pred cancel
    ### END SOLUTION
    return float(loss), dz


# %% points=2
check_softmax_cross_entropy(softmax_cross_entropy)


# %%
def output_layer_backward(dz, a, parameters):
    """Backward pass of the output layer z<t> = Wya @ a<t> + by, at every time step.

    Arguments:
    dz -- gradient of the loss with respect to the scores of every step, shape (n_y, m, T_x)
    a -- hidden states of every step, as rnn_forward returned them, shape (n_a, m, T_x)
    parameters -- dict of the RNN's parameters; this layer uses Wya (n_y, n_a) and by (n_y, 1)

    Returns:
    gradients -- dict with
        da -- gradient with respect to every hidden state, shape (n_a, m, T_x): the `da`
              that rnn_backward takes
        dWya -- gradient with respect to Wya, shape (n_y, n_a)
        dby -- gradient with respect to by, shape (n_y, 1)
    """
    Wya = parameters["Wya"]  # (n_y, n_a)
    n_a, m, T_x = a.shape
    ### BEGIN SOLUTION
    da = np.zeros((n_a, m, T_x))
    dWya = np.zeros(Wya.shape)  # shared by every step: a sum over the steps
    dby = np.zeros((Wya.shape[0], 1))
    for t in range(T_x):  # the steps are independent here: any order will do
        dzt = dz[:, :, t]  # (n_y, m)
        da[:, :, t] = Wya.T @ dzt  # (n_a, n_y) @ (n_y, m) -> (n_a, m)
        dWya += dzt @ a[:, :, t].T  # (n_y, m) @ (m, n_a) -> (n_y, n_a)
        dby += np.sum(dzt, axis=1, keepdims=True)  # (n_y, 1)
    ### END SOLUTION
    return {"da": da, "dWya": dWya, "dby": dby}


# %% points=2
check_output_layer_backward(output_layer_backward)


# %%
def rnn_backward_truncated(da, caches, k):
    """Truncated backpropagation through time, in windows of k steps.

    The sequence is cut into windows of k steps, [0, k), [k, 2k), ... (the last may be
    shorter). Within a window the gradient flows back as in rnn_backward; it does not cross
    from one window into the one before. So step t only receives gradients from the steps of
    its own window. With k >= T_x this is rnn_backward.

    Arguments:
    da -- upstream gradient of the loss with respect to every hidden state, shape (n_a, m, T_x)
    caches -- tuple (list of the T_x step caches, x) returned by rnn_forward
    k -- the window length, an integer >= 1

    Returns:
    gradients -- dict with dx (n_x, m, T_x), da0 (n_a, m), dWax (n_a, n_x), dWaa (n_a, n_a),
                 dba (n_a, 1), as rnn_backward; da0 is what the first window sends to a0
    """
    if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or k < 1:
        raise ValueError(f"k must be an integer >= 1, got {k!r}")
    step_caches, x = caches
    n_x, m, T_x = x.shape  # x: (n_x, m, T_x)
    n_a = da.shape[0]  # da: (n_a, m, T_x)
    ### BEGIN SOLUTION
    dx = np.zeros((n_x, m, T_x))
    dWax = np.zeros((n_a, n_x))
    dWaa = np.zeros((n_a, n_a))
    dba = np.zeros((n_a, 1))
    da_carried = np.zeros((n_a, m))
    for t in reversed(range(T_x)):
        gradients = rnn_cell_backward(da[:, :, t] + da_carried, step_caches[t])
        dx[:, :, t] = gradients["dxt"]
        dWax += gradients["dWax"]
        dWaa += gradients["dWaa"]
        dba += gradients["dba"]
        # Step t opens a window when t is a multiple of k: nothing crosses into step t-1.
        da_carried = gradients["da_prev"] if t % k else np.zeros((n_a, m))
    da0 = gradients["da_prev"]  # step 0 opens the first window, which does reach a0
    ### END SOLUTION
    return {"dx": dx, "da0": da0, "dWax": dWax, "dWaa": dWaa, "dba": dba}


# %% points=2
check_rnn_backward_truncated(rnn_backward_truncated)
