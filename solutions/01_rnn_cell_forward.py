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
# # Lesson 01 · The RNN cell, forward
#
# TODO(helper): goal, prerequisites, notation and shapes, equations, why tanh, softmax and its
# stable form, diagram.

# %%
import numpy as np

from rnn_utils import initialize_rnn_parameters, softmax
from rnn_utils.checks import check_rnn_cell_forward

np.set_printoptions(precision=6, suppress=True)


# %%
def rnn_cell_forward(xt, a_prev, parameters):
    """One time step of a vanilla RNN, forward.

    Arguments:
    xt -- input at time step t, array of shape (n_x, m)
    a_prev -- hidden state at time step t-1, array of shape (n_a, m)
    parameters -- dict with
        Wax -- weights acting on the input, shape (n_a, n_x)
        Waa -- weights acting on the previous hidden state, shape (n_a, n_a)
        Wya -- weights from the hidden state to the output scores, shape (n_y, n_a)
        ba -- bias of the hidden state, shape (n_a, 1)
        by -- bias of the output scores, shape (n_y, 1)

    Returns:
    a_next -- hidden state at time step t, shape (n_a, m)
    yt_pred -- prediction (softmax probabilities) at time step t, shape (n_y, m)
    cache -- tuple (a_next, a_prev, xt, parameters), what the backward pass needs
    """
    Wax = parameters["Wax"]  # (n_a, n_x)
    Waa = parameters["Waa"]  # (n_a, n_a)
    Wya = parameters["Wya"]  # (n_y, n_a)
    ba = parameters["ba"]  # (n_a, 1)
    by = parameters["by"]  # (n_y, 1)
    ### BEGIN SOLUTION
    # ba is (n_a, 1): broadcasting adds it to each of the m columns.
    a_next = np.tanh(Wax @ xt + Waa @ a_prev + ba)  # (n_a, m)
    yt_pred = softmax(Wya @ a_next + by)  # (n_y, m)
    cache = (a_next, a_prev, xt, parameters)
    ### END SOLUTION
    return a_next, yt_pred, cache


# %% points=2
check_rnn_cell_forward(rnn_cell_forward)

# %% [markdown]
# TODO(helper): the seeds' cross-check, experiment, PyTorch mapping, summary, exercises.

# %%
np.random.seed(1)
xt_tmp = np.random.randn(3, 10)
a_prev_tmp = np.random.randn(5, 10)
parameters_tmp = {
    "Waa": np.random.randn(5, 5),
    "Wax": np.random.randn(5, 3),
    "Wya": np.random.randn(2, 5),
    "ba": np.random.randn(5, 1),
    "by": np.random.randn(2, 1),
}
a_next_tmp, yt_pred_tmp, cache_tmp = rnn_cell_forward(xt_tmp, a_prev_tmp, parameters_tmp)
print("a_next[4] =", a_next_tmp[4])
print("yt_pred[1] =", yt_pred_tmp[1])
