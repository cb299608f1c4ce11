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
# # Lesson 03 · The RNN cell, backward
#
# (Skeleton: the prose is being written.)

# %%
import numpy as np

from rnn_utils.checks import check_numerical_gradient, check_rnn_cell_backward

np.set_printoptions(precision=6, suppress=True)


# %%
def rnn_cell_backward(da_next, cache):
    """Backward pass of one time step of a vanilla RNN.

    The step computed a_next = tanh(Wax @ xt + Waa @ a_prev + ba). Given the gradient of the
    loss with respect to a_next, this returns the gradients with respect to everything that
    went into it. (The output layer, yt_pred = softmax(Wya @ a_next + by), has its own backward
    pass, in lesson 04.)

    Arguments:
    da_next -- gradient of the loss with respect to a_next, shape (n_a, m)
    cache -- tuple (a_next, a_prev, xt, parameters) stored by rnn_cell_forward:
        a_next (n_a, m), a_prev (n_a, m), xt (n_x, m), parameters the dict of lesson 01

    Returns:
    gradients -- dict with
        dxt -- gradient with respect to the input xt, shape (n_x, m)
        da_prev -- gradient with respect to the previous hidden state a_prev, shape (n_a, m)
        dWax -- gradient with respect to Wax, shape (n_a, n_x)
        dWaa -- gradient with respect to Waa, shape (n_a, n_a)
        dba -- gradient with respect to ba, shape (n_a, 1)
    """
    a_next, a_prev, xt, parameters = cache
    Wax = parameters["Wax"]  # (n_a, n_x)
    Waa = parameters["Waa"]  # (n_a, n_a)
    ### BEGIN SOLUTION
    # a_next = tanh(z), and tanh'(z) = 1 - tanh(z)^2 = 1 - a_next^2: no need to recompute z.
    dz = da_next * (1 - a_next**2)  # (n_a, m), elementwise
    dxt = Wax.T @ dz  # (n_x, n_a) @ (n_a, m) -> (n_x, m)
    dWax = dz @ xt.T  # (n_a, m) @ (m, n_x) -> (n_a, n_x), summed over the m examples
    da_prev = Waa.T @ dz  # (n_a, n_a) @ (n_a, m) -> (n_a, m)
    dWaa = dz @ a_prev.T  # (n_a, m) @ (m, n_a) -> (n_a, n_a)
    dba = np.sum(dz, axis=1, keepdims=True)  # (n_a, 1): ba was added to every example
    ### END SOLUTION
    return {"dxt": dxt, "da_prev": da_prev, "dWax": dWax, "dWaa": dWaa, "dba": dba}


# %% points=4
check_rnn_cell_backward(rnn_cell_backward)


# %%
def numerical_gradient(f, x, eps=1e-6):
    """Gradient of a scalar function f at the point x, by central differences.

    Each entry is perturbed in turn: grad[i] = (f(x + eps e_i) - f(x - eps e_i)) / (2 eps),
    where e_i is 1 at entry i and 0 elsewhere. The error of this estimate is O(eps^2).

    Arguments:
    f -- function taking an array of the shape of x and returning a float
    x -- the point, a float64 array of any shape; it is perturbed in place during the call
         and every entry is restored, so x comes back unchanged
    eps -- the step of the central difference

    Returns:
    grad -- the estimated gradient, an array of the shape of x
    """
    if not isinstance(x, np.ndarray) or x.dtype != np.float64:
        # float32 keeps about 7 digits: its rounding errors, divided by 2 eps, swamp the estimate.
        raise TypeError(f"x must be a float64 NumPy array, got {getattr(x, 'dtype', type(x))}")
    grad = np.zeros_like(x)  # float64, the shape of x
    ### BEGIN SOLUTION
    for index in np.ndindex(x.shape):  # every entry, whatever the number of axes
        original = x[index]
        x[index] = original + eps
        f_plus = float(f(x))
        x[index] = original - eps
        f_minus = float(f(x))
        x[index] = original  # restore before moving on: the next entry needs the true x
        grad[index] = (f_plus - f_minus) / (2 * eps)
    ### END SOLUTION
    return grad


# %% points=2
check_numerical_gradient(numerical_gradient)
