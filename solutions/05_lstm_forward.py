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
# # Lesson 05 · The LSTM, forward
#
# (Skeleton: the prose is being written.)

# %%
import numpy as np

from rnn_utils.activations import sigmoid, softmax
from rnn_utils.checks import check_lstm_cell_forward, check_lstm_forward

np.set_printoptions(precision=6, suppress=True)


# %%
def lstm_cell_forward(xt, a_prev, c_prev, parameters):
    """One time step of an LSTM, forward.

    Arguments:
    xt -- input at time step t, array of shape (n_x, m)
    a_prev -- hidden state at time step t-1, array of shape (n_a, m)
    c_prev -- cell state at time step t-1, array of shape (n_a, m)
    parameters -- dict with
        Wf, bf -- forget gate: weights (n_a, n_a + n_x), bias (n_a, 1)
        Wi, bi -- update (input) gate: weights (n_a, n_a + n_x), bias (n_a, 1)
        Wc, bc -- candidate cell state: weights (n_a, n_a + n_x), bias (n_a, 1)
        Wo, bo -- output gate: weights (n_a, n_a + n_x), bias (n_a, 1)
        Wy, by -- output layer: weights (n_y, n_a), bias (n_y, 1)

    Returns:
    a_next -- hidden state at time step t, shape (n_a, m)
    c_next -- cell state at time step t, shape (n_a, m)
    yt_pred -- prediction (softmax probabilities) at time step t, shape (n_y, m)
    cache -- (a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, parameters), for the
             backward pass
    """
    Wf, bf = parameters["Wf"], parameters["bf"]  # forget gate: (n_a, n_a + n_x), (n_a, 1)
    Wi, bi = parameters["Wi"], parameters["bi"]  # update gate
    Wc, bc = parameters["Wc"], parameters["bc"]  # candidate
    Wo, bo = parameters["Wo"], parameters["bo"]  # output gate
    Wy, by = parameters["Wy"], parameters["by"]  # output layer: (n_y, n_a), (n_y, 1)
    ### BEGIN SOLUTION
    concat = np.concatenate([a_prev, xt], axis=0)  # (n_a + n_x, m): [a_prev; xt], a_prev on top
    ft = sigmoid(Wf @ concat + bf)  # (n_a, m) forget gate, in (0, 1)
    it = sigmoid(Wi @ concat + bi)  # (n_a, m) update gate
    cct = np.tanh(Wc @ concat + bc)  # (n_a, m) candidate c~, in (-1, 1)
    c_next = ft * c_prev + it * cct  # (n_a, m): keep part of the old memory, add part of the new
    ot = sigmoid(Wo @ concat + bo)  # (n_a, m) output gate
    a_next = ot * np.tanh(c_next)  # (n_a, m)
    yt_pred = softmax(Wy @ a_next + by)  # (n_y, m)
    ### END SOLUTION
    cache = (a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, parameters)
    return a_next, c_next, yt_pred, cache


# %% points=3
check_lstm_cell_forward(lstm_cell_forward)


# %%
def lstm_forward(x, a0, parameters):
    """Forward pass of an LSTM over a whole sequence.

    Arguments:
    x -- input for every time step, array of shape (n_x, m, T_x)
    a0 -- initial hidden state, array of shape (n_a, m); the initial cell state c0 is zeros
    parameters -- dict with Wf, Wi, Wc, Wo (n_a, n_a + n_x), bf, bi, bc, bo (n_a, 1),
                  Wy (n_y, n_a), by (n_y, 1)

    Returns:
    a -- hidden states of every time step, shape (n_a, m, T_x)
    y -- predictions of every time step, shape (n_y, m, T_x)
    c -- cell states of every time step, shape (n_a, m, T_x)
    caches -- tuple (list of the T_x step caches, x), what the backward pass needs
    """
    n_x, m, T_x = x.shape  # x: (n_x, m, T_x)
    n_y, n_a = parameters["Wy"].shape  # Wy: (n_y, n_a)
    caches = []  # will hold the T_x step caches, in time order
    ### BEGIN SOLUTION
    a = np.zeros((n_a, m, T_x))
    c = np.zeros((n_a, m, T_x))
    y = np.zeros((n_y, m, T_x))
    a_next = a0  # (n_a, m)
    c_next = np.zeros((n_a, m))  # c0: the memory starts empty
    for t in range(T_x):
        a_next, c_next, yt_pred, cache = lstm_cell_forward(x[:, :, t], a_next, c_next, parameters)
        a[:, :, t] = a_next
        c[:, :, t] = c_next
        y[:, :, t] = yt_pred
        caches.append(cache)
    ### END SOLUTION
    caches = (caches, x)
    return a, y, c, caches


# %% points=2
check_lstm_forward(lstm_forward)
