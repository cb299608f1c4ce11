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
# # Lesson 02 · The RNN over a sequence, forward
#
# TODO(helper): unrolling through time, weight sharing, caches and why backprop needs them.

# %%
import numpy as np

from rnn_utils import initialize_rnn_parameters
from rnn_utils.checks import check_rnn_forward
from rnn_utils.reference import rnn_cell_forward

np.set_printoptions(precision=6, suppress=True)


# %%
def rnn_forward(x, a0, parameters):
    """Forward pass of a vanilla RNN over a whole sequence.

    Arguments:
    x -- input for every time step, array of shape (n_x, m, T_x)
    a0 -- initial hidden state, array of shape (n_a, m)
    parameters -- dict with Wax (n_a, n_x), Waa (n_a, n_a), Wya (n_y, n_a), ba (n_a, 1),
                  by (n_y, 1)

    Returns:
    a -- hidden states of every time step, shape (n_a, m, T_x)
    y_pred -- predictions of every time step, shape (n_y, m, T_x)
    caches -- tuple (list of the T_x step caches, x), what the backward pass needs
    """
    n_x, m, T_x = x.shape
    n_y, n_a = parameters["Wya"].shape
    caches = []
    ### BEGIN SOLUTION
    a = np.zeros((n_a, m, T_x))
    y_pred = np.zeros((n_y, m, T_x))
    a_next = a0  # the state carried from step to step
    for t in range(T_x):
        a_next, yt_pred, cache = rnn_cell_forward(x[:, :, t], a_next, parameters)
        a[:, :, t] = a_next
        y_pred[:, :, t] = yt_pred
        caches.append(cache)
    ### END SOLUTION
    caches = (caches, x)
    return a, y_pred, caches


# %% points=3
check_rnn_forward(rnn_forward)

# %% [markdown]
# TODO(helper): seeds' cross-check, experiment with a plot, summary, exercises.

# %%
np.random.seed(1)
x_tmp = np.random.randn(3, 10, 4)
a0_tmp = np.random.randn(5, 10)
parameters_tmp = {
    "Waa": np.random.randn(5, 5),
    "Wax": np.random.randn(5, 3),
    "Wya": np.random.randn(2, 5),
    "ba": np.random.randn(5, 1),
    "by": np.random.randn(2, 1),
}
a_tmp, y_pred_tmp, caches_tmp = rnn_forward(x_tmp, a0_tmp, parameters_tmp)
print("a[4][1] =", a_tmp[4][1])
print("y_pred[1][3] =", y_pred_tmp[1][3])
