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
# # Lesson 06 · The LSTM, backward
#
# (Skeleton: the prose is being written.)

# %%
import numpy as np

from rnn_utils.checks import check_lstm_backward, check_lstm_cell_backward

np.set_printoptions(precision=6, suppress=True)


# %%
def lstm_cell_backward(da_next, dc_next, cache):
    """Backward pass of one time step of an LSTM.

    Arguments:
    da_next -- gradient of the loss with respect to a_next, shape (n_a, m)
    dc_next -- gradient of the loss with respect to c_next coming back from step t+1 (zeros at
               the last step), shape (n_a, m)
    cache -- (a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, parameters) stored by
             lstm_cell_forward

    Returns:
    gradients -- dict with
        dxt -- gradient with respect to xt, shape (n_x, m)
        da_prev -- gradient with respect to a_prev, shape (n_a, m)
        dc_prev -- gradient with respect to c_prev, shape (n_a, m)
        dWf, dWi, dWc, dWo -- gradients with respect to the gate weights, each (n_a, n_a + n_x)
        dbf, dbi, dbc, dbo -- gradients with respect to the gate biases, each (n_a, 1)
    """
    a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, parameters = cache
    n_a = a_next.shape[0]
    ### BEGIN SOLUTION
    tanh_c = np.tanh(c_next)  # (n_a, m)
    # c_next reaches the loss directly (through step t+1) and through a_next = ot * tanh(c_next).
    dc = dc_next + da_next * ot * (1 - tanh_c**2)  # (n_a, m)
    # Gradients at the four pre-activations; sigmoid' = s (1 - s), tanh' = 1 - tanh^2.
    dzo = da_next * tanh_c * ot * (1 - ot)  # output gate
    dzc = dc * it * (1 - cct**2)  # candidate c~
    dzi = dc * cct * it * (1 - it)  # update gate
    dzf = dc * c_prev * ft * (1 - ft)  # forget gate: it multiplied c_prev
    concat = np.concatenate([a_prev, xt], axis=0)  # (n_a + n_x, m), as in the forward pass
    dWf = dzf @ concat.T  # (n_a, n_a + n_x), summed over the examples
    dWi = dzi @ concat.T
    dWc = dzc @ concat.T
    dWo = dzo @ concat.T
    dbf = np.sum(dzf, axis=1, keepdims=True)  # (n_a, 1)
    dbi = np.sum(dzi, axis=1, keepdims=True)
    dbc = np.sum(dzc, axis=1, keepdims=True)
    dbo = np.sum(dzo, axis=1, keepdims=True)
    # concat fed all four gates: its gradient is the sum of the four paths back.
    dconcat = (parameters["Wf"].T @ dzf + parameters["Wi"].T @ dzi
               + parameters["Wc"].T @ dzc + parameters["Wo"].T @ dzo)  # (n_a + n_x, m)
    da_prev = dconcat[:n_a]  # the top n_a rows came from a_prev
    dxt = dconcat[n_a:]  # the other n_x rows from xt
    dc_prev = dc * ft  # c_next = ft * c_prev + it * cct
    ### END SOLUTION
    return {"dxt": dxt, "da_prev": da_prev, "dc_prev": dc_prev, "dWf": dWf, "dbf": dbf,
            "dWi": dWi, "dbi": dbi, "dWc": dWc, "dbc": dbc, "dWo": dWo, "dbo": dbo}


# %% points=5
check_lstm_cell_backward(lstm_cell_backward)


# %%
def lstm_backward(da, caches):
    """Backward pass of an LSTM over a whole sequence.

    Arguments:
    da -- upstream gradient of the loss with respect to every hidden state, shape (n_a, m, T_x)
    caches -- tuple (list of the T_x step caches, x) returned by lstm_forward

    Returns:
    gradients -- dict with
        dx -- gradient with respect to the inputs, shape (n_x, m, T_x)
        da0 -- gradient with respect to the initial hidden state a0, shape (n_a, m)
        dWf, dWi, dWc, dWo -- gradients of the gate weights, each (n_a, n_a + n_x)
        dbf, dbi, dbc, dbo -- gradients of the gate biases, each (n_a, 1)
    """
    step_caches, x = caches
    n_x, m, T_x = x.shape  # x: (n_x, m, T_x)
    n_a = da.shape[0]  # da: (n_a, m, T_x)
    ### BEGIN SOLUTION
    dx = np.zeros((n_x, m, T_x))
    dWf, dWi, dWc, dWo = (np.zeros((n_a, n_a + n_x)) for _ in range(4))  # sums over the steps
    dbf, dbi, dbc, dbo = (np.zeros((n_a, 1)) for _ in range(4))
    da_carried = np.zeros((n_a, m))  # what step t+1 sends back to a<t> ...
    dc_carried = np.zeros((n_a, m))  # ... and to c<t>; nothing after the last step
    for t in reversed(range(T_x)):
        # a<t> gets the output's gradient plus step t+1's; c<t> only step t+1's.
        gradients = lstm_cell_backward(da[:, :, t] + da_carried, dc_carried, step_caches[t])
        dx[:, :, t] = gradients["dxt"]
        da_carried = gradients["da_prev"]
        dc_carried = gradients["dc_prev"]
        dWf += gradients["dWf"]
        dWi += gradients["dWi"]
        dWc += gradients["dWc"]
        dWo += gradients["dWo"]
        dbf += gradients["dbf"]
        dbi += gradients["dbi"]
        dbc += gradients["dbc"]
        dbo += gradients["dbo"]
    da0 = da_carried
    ### END SOLUTION
    return {"dx": dx, "da0": da0, "dWf": dWf, "dbf": dbf, "dWi": dWi, "dbi": dbi,
            "dWc": dWc, "dbc": dbc, "dWo": dWo, "dbo": dbo}


# %% points=3
check_lstm_backward(lstm_backward)
