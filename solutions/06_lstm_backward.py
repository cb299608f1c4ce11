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
# **Time.** About 85 minutes for the core, 35 more for the optional Going further at the end.
# Every symbol of the course, its meaning and shape: [the notation table](../docs/notation.md).
#
# ## Goal and prerequisites
#
# **Goal.** Write the backward pass of the LSTM of lesson 05: `lstm_cell_backward` for one step,
# every gradient derived in small steps, then `lstm_backward` for a whole sequence, which carries
# **two** gradients back in time, one for the hidden state $a$ and one for the cell state $c$.
# On the way we correct two equations of the widely circulated version of this exercise and
# show, with numbers, that its forms fail a gradient check. An experiment ends the lesson: why
# the cell state lets gradients travel far.
#
# **Prerequisites.** Lesson 03 (one step backward, the "make the shapes match" rule, gradient
# checking), lesson 04 (BPTT: a shared weight's gradient is a sum over the steps; the carried
# gradient), lesson 05 (the LSTM's gates, its cache
# `(a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, parameters)`).
#
# **Your earlier code is not needed here.** This notebook imports the course's reference
# `lstm_cell_forward` and `lstm_forward`, so a mistake left in lesson 05 cannot block this one.
# Your `lstm_backward` will call *your* `lstm_cell_backward`: complete the cells in order.

# %%
import matplotlib.pyplot as plt
import numpy as np

from rnn_utils import (
    explorers,
    initialize_lstm_parameters,
    initialize_rnn_parameters,
    numerical_gradient,
    relative_error,
    sigmoid,
)
from rnn_utils.reference import lstm_cell_forward, lstm_forward, rnn_backward, rnn_forward

np.set_printoptions(precision=6, suppress=True)

# %% [markdown]
# ## The picture
#
# ![One LSTM step, backward. dc_next enters from the right along the cell-state line and meets, at a + node, the second path: da_next multiplied by o ⊙ (1 − tanh² c). Their sum dc runs left; it is multiplied by c<t−1> ⊙ f(1 − f) into du_f, by c~ ⊙ i(1 − i) into du_i, by i ⊙ (1 − c~²) into du_c, and by f into dc_prev, which leaves to step t−1. da_next multiplied by tanh c ⊙ o(1 − o) gives du_o. The four du enter a box where dW = du [a<t−1>; x<t>]^T, db = the sum of du over the examples, and dconcat = the sum over the gates of W^T du; its top n_a rows leave as da_prev, the other n_x rows as dx<t>](../notebooks/figures/lstm_backward.svg)
#
# Lesson 05's cell, run backwards. Two gradients arrive from the right: `dc_next` along the
# cell-state line (from step $t+1$, which used $c^{\langle t \rangle}$) and `da_next` (from the
# output layer and from step $t+1$). The key point is the **+ node**: $c^{\langle t \rangle}$
# also influenced the loss through $a^{\langle t \rangle} = o \odot \tanh(c^{\langle t \rangle})$,
# so `da_next` sends a second contribution into the cell-state line. Their sum, `dc`, feeds the
# three gates of the update $c = f \odot c^{\langle t-1 \rangle} + i \odot \tilde c$ and leaves
# to the left as `dc_prev`. The four gate gradients `du` meet in the blue box, where the stacked
# input $[a^{\langle t-1 \rangle}; x^{\langle t \rangle}]$ gets its gradient, which is then split.

# %% [markdown]
# ## The equations and the shapes
#
# The forward step of lesson 05, with the pre-activations named $u_f, u_i, u_c, u_o$; within one
# step we drop the superscript $\langle t \rangle$ and write $c_{prev}$, $a_{prev}$ for step $t-1$:
#
# $$
# \underbrace{\chi}_{(n_a + n_x,\ m)} = \begin{bmatrix} a_{prev} \\ x^{\langle t \rangle} \end{bmatrix},
# \qquad
# \underbrace{u_\star}_{(n_a,\ m)} = \underbrace{W_\star}_{(n_a,\ n_a + n_x)}\, \chi + \underbrace{b_\star}_{(n_a,\ 1)}
# \quad (\star = f, i, c, o),
# $$
#
# $$
# f = \sigma(u_f),\quad i = \sigma(u_i),\quad \tilde c = \tanh(u_c),\quad o = \sigma(u_o),
# \qquad
# c = f \odot c_{prev} + i \odot \tilde c,
# \qquad
# a = o \odot \tanh(c),
# $$
#
# all of shape $(n_a, m)$; $\odot$ is the elementwise product. In the code $\chi$ is `concat`, and
# $f, i, \tilde c, o$ are `ft`, `it`, `cct`, `ot`. The backward pass receives
# `da_next` $= \partial \mathcal L / \partial a$ and `dc_next`, the part of
# $\partial \mathcal L / \partial c$ that comes **from step $t+1$** (zero at the last step), both
# $(n_a, m)$, and computes:
#
# | gradient | formula | shape |
# | --- | --- | --- |
# | `dc` (all of $\partial \mathcal L / \partial c$) | $dc_{next} + da \odot o \odot (1 - \tanh^2 c)$ | $(n_a, m)$ |
# | `duo` | $da \odot \tanh c \odot o \odot (1 - o)$ | $(n_a, m)$ |
# | `duc` | $dc \odot i \odot (1 - \tilde c^2)$ | $(n_a, m)$ |
# | `dui` | $dc \odot \tilde c \odot i \odot (1 - i)$ | $(n_a, m)$ |
# | `duf` | $dc \odot c_{prev} \odot f \odot (1 - f)$ | $(n_a, m)$ |
# | `dWf`, `dbf`, ... ($\star = f, i, c, o$) | $du_\star\, \chi^\top$, $\sum_{e} du_\star[:, e]$ | $(n_a, n_a + n_x)$, $(n_a, 1)$ |
# | `dconcat` | $W_f^\top du_f + W_i^\top du_i + W_c^\top du_c + W_o^\top du_o$ | $(n_a + n_x, m)$ |
# | `da_prev`, `dxt` | rows $[0, n_a)$ and $[n_a, n_a + n_x)$ of `dconcat` | $(n_a, m)$, $(n_x, m)$ |
# | `dc_prev` | $dc \odot f$ | $(n_a, m)$ |
#
# ## The derivation, in small steps
#
# Everything is elementwise until the weights: entry $[k, e]$ of every gate, of $c$ and of $a$
# depends only on entry $[k, e]$ of the others. So steps 1 to 4 are the chain rule in one
# variable, written for whole arrays with $\odot$.
#
# ### Step 1: the slope of the sigmoid, from the gate's value
#
# $\sigma(u) = 1 / (1 + e^{-u})$ gives
# $\sigma'(u) = e^{-u} / (1 + e^{-u})^2 = \sigma(u)\,\big(1 - \sigma(u)\big)$: like
# $\tanh' = 1 - \tanh^2$ in lesson 03, the slope is a function of the **output**, which the
# cache holds. For the forget gate, $\partial f / \partial u_f = f \odot (1 - f)$, written with
# `ft`; never `sigmoid(ft)`, which would evaluate the slope at the wrong point. Likewise
# $\partial \tilde c / \partial u_c = 1 - \tilde c^2$, written with `cct`.

# %%
u = np.array([-4.0, -1.0, 0.0, 2.0])
gate = sigmoid(u)
slope = (sigmoid(u + 1e-5) - sigmoid(u - 1e-5)) / 2e-5  # the true slope at u
print("   u   gate f   f (1 - f)   finite difference   sigmoid(f) (1 - sigmoid(f))")
for row in zip(u, gate, gate * (1 - gate), slope, sigmoid(gate) * (1 - sigmoid(gate))):
    print("{:4.0f} {:8.4f} {:11.4f} {:19.4f} {:29.4f}".format(*row))
# sigma' is even, so sigma'(f) = sigma'(u) exactly where f = u or f = -u: two points
grid = np.linspace(-3, 3, 600001)
crossings = grid[np.nonzero(np.diff(np.sign(np.abs(sigmoid(grid)) - np.abs(grid))))[0]]
print("the last column is right only at u =", np.round(crossings, 2))

# %% [markdown]
# The sigmoid's slope is at most $1/4$ (at $u = 0$), a fact that matters for how gradients
# shrink. The last column, the slope taken at the gate's value, is right only at the two points
# the last line prints (where $\sigma(u) = \pm u$, since $\sigma'$ is even) and wrong
# everywhere else, by a factor of about 14 at $u = -4$.
#
# ### Step 2: the output gate
#
# $a = o \odot \tanh(c)$ is a product: the gradient reaching one factor is `da_next` times the
# other factor. For $o$: $do = da \odot \tanh(c)$, and through the sigmoid (step 1)
#
# $$du_o = da \odot \tanh(c) \odot o \odot (1 - o).$$
#
# ### Step 3: the two paths into $c$
#
# $c$ reaches the loss in two ways: **directly**, because step $t+1$ uses it
# ($c^{\langle t+1 \rangle} = f^{\langle t+1 \rangle} \odot c + \dots$), and **through
# $a$**, the other factor of $a = o \odot \tanh(c)$. The chain rule adds the two:
#
# $$
# dc = \underbrace{dc_{next}}_{\text{from step } t+1}
# + \underbrace{da \odot o \odot (1 - \tanh^2 c)}_{\text{through } a \,=\, o\, \odot \tanh c}.
# $$
#
# `tanh(c_next)` is computed once, and used here and in step 2. Forgetting the second term is a
# common LSTM backward bug: at the last step, where `dc_next` is zero, it would leave
# $dc = 0$ and kill three of the four gate gradients.
#
# ### Step 4: through $c = f \odot c_{prev} + i \odot \tilde c$
#
# A sum of two products: each factor receives `dc` times its partner, then passes its slope:
#
# $$
# du_f = dc \odot \boxed{c_{prev}} \odot f \odot (1 - f), \qquad
# du_i = dc \odot \tilde c \odot i \odot (1 - i), \qquad
# du_c = dc \odot i \odot (1 - \tilde c^2),
# $$
#
# and the old cell state gets $dc_{prev} = dc \odot f$. Note the box: the forget gate multiplied
# the **previous cell state** $c_{prev}$, so its gradient carries $c_{prev}$, in both parts of
# `dc`. And $dc_{prev}$ has the shape of $c_{prev}$, $(n_a, m)$: one step, no time axis.
#
# ### Step 5: the weights act on the stack $\chi = [a_{prev}; x^{\langle t \rangle}]$
#
# $u_\star = W_\star \chi + b_\star$ is lesson 03's product $Y = WX$ with $X = \chi$. **Make the shapes match:**
# `dWf` (any `dW` of a gate) has the shape of $W_\star$, $(n_a, n_a + n_x)$, and is built from $du_\star$, $(n_a, m)$, and
# the other factor $\chi$, $(n_a + n_x, m)$. Only one arrangement fits:
#
# $$
# dW_\star = du_\star\, \chi^\top \quad (n_a, m)(m, n_a + n_x), \qquad
# db_\star = \textstyle\sum_e du_\star[:, e] \quad (n_a, 1).
# $$
#
# The stack itself fed all four gates, so its gradient is the **sum** of four contributions:
#
# $$
# d\chi = W_f^\top du_f + W_i^\top du_i + W_c^\top du_c + W_o^\top du_o
# \quad (n_a + n_x, n_a)(n_a, m) \to (n_a + n_x, m).
# $$
#
# Stacking put $a_{prev}$ in rows $[0, n_a)$ and $x^{\langle t \rangle}$ in rows
# $[n_a, n_a + n_x)$; splitting the gradient undoes it: `da_prev = dconcat[:n_a]`,
# `dxt = dconcat[n_a:]`. (Slicing the weights first, `Wf[:, :n_a].T @ duf + ...`, gives the same
# numbers with eight products instead of four, as the cell checks on a small example.)

# %%
rng = np.random.default_rng(0)
n_a, n_x, m = 3, 2, 4
W_demo, du_demo = rng.standard_normal((n_a, n_a + n_x)), rng.standard_normal((n_a, m))
dstack = W_demo.T @ du_demo  # (n_a + n_x, m)
print("shape of W^T du:", dstack.shape, "; its top n_a rows equal W[:, :n_a]^T du:",
      np.allclose(dstack[:n_a], W_demo[:, :n_a].T @ du_demo))

# %% [markdown]
# ## Your turn: `lstm_cell_backward`
#
# Write the lines of the table, in the order of steps 2 to 5: `tanh(c_next)` once, `dc` with
# both paths, the four `du`, the weight and bias gradients, `dconcat` and its split, `dc_prev`.
# About twenty lines, no loops; do not modify the arguments. The check uses cases where $n_x$,
# $n_a$ and $m$ differ, size-1 edges, non-zero biases and a non-zero `c_prev`.

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
    duo = da_next * tanh_c * ot * (1 - ot)  # output gate
    duc = dc * it * (1 - cct**2)  # candidate c~
    dui = dc * cct * it * (1 - it)  # update gate
    duf = dc * c_prev * ft * (1 - ft)  # forget gate: it multiplied c_prev
    concat = np.concatenate([a_prev, xt], axis=0)  # (n_a + n_x, m), as in the forward pass
    dWf = duf @ concat.T  # (n_a, n_a + n_x), summed over the examples
    dWi = dui @ concat.T
    dWc = duc @ concat.T
    dWo = duo @ concat.T
    dbf = np.sum(duf, axis=1, keepdims=True)  # (n_a, 1)
    dbi = np.sum(dui, axis=1, keepdims=True)
    dbc = np.sum(duc, axis=1, keepdims=True)
    dbo = np.sum(duo, axis=1, keepdims=True)
    # concat fed all four gates: its gradient is the sum of the four paths back.
    dconcat = (parameters["Wf"].T @ duf + parameters["Wi"].T @ dui
               + parameters["Wc"].T @ duc + parameters["Wo"].T @ duo)  # (n_a + n_x, m)
    da_prev = dconcat[:n_a]  # the top n_a rows came from a_prev
    dxt = dconcat[n_a:]  # the other n_x rows from xt
    dc_prev = dc * ft  # c_next = ft * c_prev + it * cct
    ### END SOLUTION
    return {"dxt": dxt, "da_prev": da_prev, "dc_prev": dc_prev, "dWf": dWf, "dbf": dbf,
            "dWi": dWi, "dbi": dbi, "dWc": dWc, "dbc": dbc, "dWo": dWo, "dbo": dbo}

# %% points=5
from rnn_utils.checks import check_lstm_cell_backward

check_lstm_cell_backward(lstm_cell_backward)

# %% [markdown]
# ## The familiar cross-check
#
# The test inputs of the well-known "Building your Recurrent Neural Network - Step by Step"
# assignment for one backward step (legacy `np.random.seed(1)`, $n_x = 3$, $m = 10$,
# $n_a = 5$, the parameters drawn in the order below, then `da_next` and `dc_next`). Its code
# for one step is right (its printed equations are not, as the errata below show), so its
# published figures are those of a correct `lstm_cell_backward`: `dxt[1][2] = 3.230559115109188`,
# `da_prev[2][3] = -0.06396214197109236`, `dc_prev[2][3] = 0.7975220387970015`,
# `dWf[3][1] = -0.1479548381644968`, `dWi[1][2] = 1.0574980552259903`,
# `dWc[3][1] = 2.3045621636876668`, `dWo[1][2] = 0.3313115952892109`, and the bias gradients
# `dbf[4] = 0.18864637`, `dbi[4] = -0.40142491`, `dbc[4] = 0.25587763`, `dbo[4] = 0.13893342`.
# The cell runs *your* function and prints its values to 8 decimals (the last digits of a
# longer print would depend on the machine).

# %%
np.random.seed(1)
xt_tmp = np.random.randn(3, 10)
a_prev_tmp = np.random.randn(5, 10)
c_prev_tmp = np.random.randn(5, 10)
parameters_tmp = {}
for gate in "fioc":  # the seed draws the gates in this order: forget, update, output, candidate
    parameters_tmp["W" + gate] = np.random.randn(5, 5 + 3)
    parameters_tmp["b" + gate] = np.random.randn(5, 1)
parameters_tmp["Wy"] = np.random.randn(2, 5)
parameters_tmp["by"] = np.random.randn(2, 1)
*_, cache_tmp = lstm_cell_forward(xt_tmp, a_prev_tmp, c_prev_tmp, parameters_tmp)
da_next_tmp = np.random.randn(5, 10)
dc_next_tmp = np.random.randn(5, 10)
gradients_tmp = lstm_cell_backward(da_next_tmp, dc_next_tmp, cache_tmp)
published = [("dxt", (1, 2), 3.230559115109188), ("da_prev", (2, 3), -0.06396214197109236),
             ("dc_prev", (2, 3), 0.7975220387970015), ("dWf", (3, 1), -0.1479548381644968),
             ("dWi", (1, 2), 1.0574980552259903), ("dWc", (3, 1), 2.3045621636876668),
             ("dWo", (1, 2), 0.3313115952892109), ("dbf", (4, 0), 0.18864637),
             ("dbi", (4, 0), -0.40142491), ("dbc", (4, 0), 0.25587763),
             ("dbo", (4, 0), 0.13893342)]
for name, index, _ in published:
    print(f"{name}{list(index)} = {float(gradients_tmp[name][index]):.8f}")
# The bias figures are published to 8 decimals: agreement within 1e-8 is all they can show.
print("matches the published figures:",
      all(abs(float(gradients_tmp[name][index]) - value) < 1e-8
          for name, index, value in published))

# %% [markdown]
# ## Gradient checking the cell
#
# As in lesson 03, a loss that is linear in the cell's outputs turns a backward pass into
# something central differences can test: with
# $\mathcal L = \sum G_a \odot a + \sum G_c \odot c$, the gradients are exactly `da_next` $= G_a$
# and `dc_next` $= G_c$. The test point is the **second** step of a two-step sequence, so that
# $c_{prev}$ is a real cell state (and the candidate of the step before, needed below, exists).

# %%
CELL_INPUTS = ("xt", "a_prev", "c_prev")
GATE_PARAMETERS = ("Wf", "bf", "Wi", "bi", "Wc", "bc", "Wo", "bo")


def cell_loss(point, G_a, G_c):
    """L = sum(G_a * a_next) + sum(G_c * c_next) of one forward step at point (a float).

    point -- dict with xt (n_x, m), a_prev (n_a, m), c_prev (n_a, m) and the LSTM parameters
    G_a, G_c -- the weights of the loss, each (n_a, m): the da_next and dc_next to test with
    """
    parameters = {name: value for name, value in point.items() if name not in CELL_INPUTS}
    a_next, c_next, _, _ = lstm_cell_forward(point["xt"], point["a_prev"], point["c_prev"],
                                             parameters)
    return float(np.sum(G_a * a_next) + np.sum(G_c * c_next))


def cell_gradient_errors(backward, point, G_a, G_c):
    """Relative error of every gradient of backward(G_a, G_c, cache) against central differences.

    backward -- a function with the contract of lstm_cell_backward
    Returns a dict: gradient name (dxt, da_prev, dc_prev, dWf, ...) -> relative error.
    """
    parameters = {name: value for name, value in point.items() if name not in CELL_INPUTS}
    *_, cache = lstm_cell_forward(point["xt"], point["a_prev"], point["c_prev"], parameters)
    analytic = backward(G_a, G_c, cache)
    errors = {}
    for name in CELL_INPUTS + GATE_PARAMETERS:  # numerical_gradient perturbs point[name] in place
        numeric = numerical_gradient(lambda _: cell_loss(point, G_a, G_c), point[name])
        errors["d" + name] = relative_error(analytic["d" + name], numeric)
    return errors


def verdict(error, tolerance=1e-7):
    """'ok', or 'WRONG' with a power of ten below the error: coarse, so the same on every machine."""
    if error < tolerance:
        return "ok"
    return f"WRONG (> {10.0 ** np.floor(np.log10(error)):.0e})"


rng = np.random.default_rng(6)
n_x, n_a, n_y, m = 3, 5, 2, 4  # all different
parameters_cell = initialize_lstm_parameters(n_x, n_a, n_y, seed=6)
for name in ("bf", "bi", "bc", "bo"):
    parameters_cell[name] = 0.5 * rng.standard_normal((n_a, 1))  # not zero: zeros hide bugs
x_two = rng.standard_normal((n_x, m, 2))  # a sequence of two steps
a_two, _, c_two, caches_two = lstm_forward(x_two, np.tanh(rng.standard_normal((n_a, m))),
                                           parameters_cell)
point = {"xt": x_two[:, :, 1].copy(), "a_prev": a_two[:, :, 0].copy(),
         "c_prev": c_two[:, :, 0].copy(), **parameters_cell}  # the inputs of step 2
cct_prev = caches_two[0][0][6]  # the candidate c~ of step 1, (n_a, m): used below
G_a, G_c = rng.standard_normal((n_a, m)), rng.standard_normal((n_a, m))
errors_cell = cell_gradient_errors(lstm_cell_backward, point, G_a, G_c)
for name, error in errors_cell.items():
    print(f"{name:8} {verdict(error)}")

# %% [markdown]
# "ok" means a relative error below $10^{-7}$, the tolerance of lesson 03; the cell prints
# verdicts rather than the errors, whose last digits depend on the machine.
#
# ## Errata: the widely circulated version of these equations
#
# Many students learn this material from a well-known assignment ("Building your Recurrent
# Neural Network, Step by Step", also circulating in translation). Its *code* for one step is
# right, but two of its printed equations are not, and its `lstm_backward` is wrong. In our
# notation (its $d\Gamma$ are our $du$, its $dc_{next}$ is our `dc_next`, path 1 only), it prints
#
# $$
# \text{(8)}\quad du_c = \big(dc_{next} \odot i + o \odot (1 - \tanh^2 c) \odot i \odot da
# \odot \boxed{\tilde c}\,\big) \odot \big(1 - \tanh(\tilde c)^2\big),
# $$
#
# $$
# \text{(10)}\quad du_f = \big(dc_{next} \odot \boxed{\tilde c_{prev}}
# + o \odot (1 - \tanh^2 c) \odot c_{prev} \odot da\big) \odot f \odot (1 - f).
# $$
#
# Expanding our `dc` in step 4 gives the correct forms:
#
# $$
# du_c = \big(dc_{next} + o \odot (1 - \tanh^2 c) \odot da\big) \odot i \odot (1 - \tilde c^2),
# \qquad
# du_f = \big(dc_{next} + o \odot (1 - \tanh^2 c) \odot da\big) \odot c_{prev} \odot f \odot (1 - f).
# $$
#
# - **Eq. (8)** carries a spurious factor $\tilde c$ in its second term: $\tilde c$ multiplies
#   $i$ in the forward pass, so it belongs in $du_i$, not in $du_c$. (Its last factor, read
#   literally, also applies tanh to $\tilde c$, which is already a tanh: lesson 03's "tanh twice"
#   bug. It must be $1 - \tilde c^2$.)
# - **Eq. (10)** uses $\tilde c_{prev}$, a quantity that appears nowhere in this step, where
#   $c_{prev}$ is meant: the forget gate multiplied $c_{prev}$, in both parts of `dc`.
# - Smaller slips: its `dc_prev` docstring gives the shape $(n_a, m, T_x)$ instead of
#   $(n_a, m)$. Its eqs. (15) and (17) print the same sum $W_f^\top du_f + \dots$ for
#   $da_{prev}$ and for $dx$; the notes under them do say which columns are meant
#   ($W_f[:, :n_a]$ for $da_{prev}$, $W_f[:, n_a:]$ for $dx$), but attach them to the wrong
#   equation numbers (13 and 15 instead of 15 and 17) and write each slice with the same
#   symbol $W_f$ as the whole matrix, so the two equations read alike. Its code slices
#   correctly. Our route, the whole stack's gradient $W_f^\top du_f + \dots$ of shape
#   $(n_a + n_x, m)$ split afterwards, gives the same numbers (step 5).
# - Its `lstm_backward` calls the cell with `da[:, :, t]` alone and a `dc` that stays zero: the
#   gradients from step $t+1$ are never carried (next section). Its test even builds `x` with
#   7 steps but `da` with 4. Its printed `lstm_backward` figures are therefore not the gradients
#   of the loss that `da` stands for, and this course does not use them.
#
# **The numbers.** The two functions below are **wrong on purpose**: each takes *your*
# `lstm_cell_backward` and adds what the misprinted equation changes. A wrong $du_\star$ travels
# on like a right one, into the gate's `dW` and `db` and into the stack's gradient.

# %%
def add_gate_error(gradients, cache, gate, du_error):
    """The gradients as they come out when the du of one gate ("f", "i", "c", "o") is off by
    du_error (n_a, m): the error flows into dW, db and, through W^T, into da_prev and dxt."""
    a_prev, xt, parameters = cache[2], cache[8], cache[9]  # (n_a, m), (n_x, m)
    n_a = a_prev.shape[0]
    concat = np.concatenate([a_prev, xt], axis=0)  # (n_a + n_x, m)
    dconcat_error = parameters["W" + gate].T @ du_error  # (n_a + n_x, m)
    return {**gradients,
            "dW" + gate: gradients["dW" + gate] + du_error @ concat.T,
            "db" + gate: gradients["db" + gate] + np.sum(du_error, axis=1, keepdims=True),
            "da_prev": gradients["da_prev"] + dconcat_error[:n_a],
            "dxt": gradients["dxt"] + dconcat_error[n_a:]}


def wrong_eq8_cell_backward(da_next, dc_next, cache):
    """WRONG ON PURPOSE: your lstm_cell_backward with duc as misprinted in eq. (8)."""
    _, c_next, _, _, _, it, cct, ot, _, _ = cache
    path2 = da_next * ot * (1 - np.tanh(c_next) ** 2)  # (n_a, m): da's part of dc
    du_error = path2 * (cct - 1) * it * (1 - cct**2)  # printed minus correct
    return add_gate_error(lstm_cell_backward(da_next, dc_next, cache), cache, "c", du_error)


def wrong_eq10_cell_backward(da_next, dc_next, cache, cct_prev):
    """WRONG ON PURPOSE: your lstm_cell_backward with duf as misprinted in eq. (10), using the
    previous step's candidate cct_prev (n_a, m) where c_prev belongs."""
    c_prev, ft = cache[3], cache[4]
    du_error = dc_next * (cct_prev - c_prev) * ft * (1 - ft)  # printed minus correct
    return add_gate_error(lstm_cell_backward(da_next, dc_next, cache), cache, "f", du_error)


versions = {"yours": lstm_cell_backward, "eq. (8)": wrong_eq8_cell_backward,
            "eq. (10)": lambda da, dc, cache: wrong_eq10_cell_backward(da, dc, cache, cct_prev)}
results = {label: cell_gradient_errors(backward, point, G_a, G_c)
           for label, backward in versions.items()}
print(f"{'':9}" + "".join(f"{label:>17}" for label in versions))
for name in errors_cell:
    print(f"{name:9}" + "".join(f"{verdict(results[label][name]):>17}" for label in versions))
no_dc_next = cell_gradient_errors(versions["eq. (10)"], point, G_a, np.zeros_like(G_c))
print("eq. (10) with dc_next = 0 (the last step): all ok:",
      all(error < 1e-7 for error in no_dc_next.values()))

# %% [markdown]
# Your function passes everywhere. Each erratum breaks exactly the gradients that its $du$
# feeds: eq. (8) the candidate's `dWc`, `dbc` and the stack's `da_prev`, `dxt`; eq. (10) the
# forget gate's `dWf`, `dbf` and again `da_prev`, `dxt`, with relative errors above 0.01 (the
# verdict prints the power of ten below the error), at least $10^5$ times the $10^{-7}$ that
# every correct gradient stays below. `dc_prev` is right in both,
# since it does not go through any $du$. The last line shows that eq. (10)'s error is
# multiplied by `dc_next`: with `dc_next` $= 0$, as at the **last step** of a sequence, its
# gradients are all right. A test sees it only with a non-zero `dc_next`, as the check above
# (and the seed's own test, which draws `dc_next` at random) uses.
#
# ## Back through time: two carried gradients
#
# Over a sequence, lesson 04's reasoning holds with one more state. $a^{\langle t \rangle}$ is
# used by the output of step $t$ **and** by step $t+1$; $c^{\langle t \rangle}$ only by step
# $t+1$. So, going from $t = T_x$ down to 1, step $t$ receives
#
# $$
# \texttt{da\_next} = \texttt{da[:, :, t-1]} + \underbrace{da_{prev}^{\langle t+1 \rangle}}_{\text{carried}},
# \qquad
# \texttt{dc\_next} = \underbrace{dc_{prev}^{\langle t+1 \rangle}}_{\text{carried}},
# $$
#
# both zero after the last step (Python counts from 0, the steps from 1: step $t$ is index
# `t-1`). Each shared weight's gradient is the **sum** over the steps, `dx[:, :, t-1]` is step
# $t$'s `dxt`, and `da0` is the `da_prev` carried out of the first step.
# (The gradient carried out of the first step for $c$ would be that of $c^{\langle 0 \rangle}$,
# which is fixed at zero here and has no gradient to return.)
#
# ## Your turn: `lstm_backward`
#
# Initialise the gradients with zeros of the right shapes, loop backwards over the steps calling
# your `lstm_cell_backward`, add the carried `da` to `da[:, :, t]`, pass the carried `dc` as
# `dc_next`, update both carries, sum the weight and bias gradients, store `dxt`. The check runs
# your function with the reference cell, so a mistake in the cell does not count twice.

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
from rnn_utils.checks import check_lstm_backward

check_lstm_backward(lstm_backward)

# %% [markdown]
# ## Gradient checking the whole sequence
#
# The test loss is $\mathcal L = \sum_t \sum G \odot a^{\langle t \rangle}$, so that
# `da` $= G$ at every step. Every gradient of your `lstm_backward` is compared with central
# differences of `lstm_forward`, beside the widely circulated version without the carries,
# rebuilt from **your** function: run on each step alone, it can carry nothing.

# %%
def sequence_loss(x, a0, parameters, G):
    """L = sum(G * a) over every step of lstm_forward (a float); G has the shape of a."""
    a, _, _, _ = lstm_forward(x, a0, parameters)  # (n_a, m, T_x)
    return float(np.sum(G * a))


def sequence_gradient_errors(backward, x, a0, parameters, G):
    """Relative error of every gradient of backward(G, caches) against central differences.

    backward -- a function with the contract of lstm_backward
    Returns a dict: gradient name (dx, da0, dWf, ...) -> relative error.
    """
    _, _, _, caches = lstm_forward(x, a0, parameters)
    analytic = backward(G, caches)
    arrays = {"x": x, "a0": a0, **{name: parameters[name] for name in GATE_PARAMETERS}}
    errors = {}
    for name, array in arrays.items():  # the same arrays: perturbing one perturbs the model
        numeric = numerical_gradient(lambda _: sequence_loss(x, a0, parameters, G), array)
        errors["d" + name] = relative_error(analytic["d" + name], numeric)
    return errors


def wrong_no_carry_lstm_backward(da, caches):
    """WRONG ON PURPOSE, like the widely circulated lstm_backward: nothing is carried from step
    t+1 to step t. Built from your lstm_backward, run on each step as a sequence of length 1."""
    step_caches, x = caches  # x: (n_x, m, T_x)
    per_step = [lstm_backward(da[:, :, t:t + 1], ([step_caches[t]], x[:, :, t:t + 1]))
                for t in range(x.shape[2])]
    gradients = {name: sum(step[name] for step in per_step) for name in per_step[0]}
    gradients["dx"] = np.concatenate([step["dx"] for step in per_step], axis=2)
    gradients["da0"] = per_step[0]["da0"]  # what the first step alone sends to a0
    return gradients


rng = np.random.default_rng(7)
n_x, n_a, n_y, m, T_x = 3, 5, 2, 4, 6
parameters_seq = initialize_lstm_parameters(n_x, n_a, n_y, seed=7)
for name in ("bf", "bi", "bc", "bo"):
    parameters_seq[name] = 0.5 * rng.standard_normal((n_a, 1))
x_seq = rng.standard_normal((n_x, m, T_x))
a0_seq = np.tanh(rng.standard_normal((n_a, m)))
G_seq = rng.standard_normal((n_a, m, T_x))
yours = sequence_gradient_errors(lstm_backward, x_seq, a0_seq, parameters_seq, G_seq)
no_carry = sequence_gradient_errors(wrong_no_carry_lstm_backward, x_seq, a0_seq,
                                    parameters_seq, G_seq)
print(f"{'':6}{'yours':>10}{'no carries':>20}")
for name in yours:
    print(f"{name:6}{verdict(yours[name]):>10}{verdict(no_carry[name]):>20}")

# %% [markdown]
# Every gradient of the version without carries is wrong (relative errors above 0.01, most
# above 0.1): it sees only the output of each step's own hidden state and drops every path
# through later steps. Only one slice of it is right: the last step's `dx[:, :, T_x - 1]`,
# which has no later step to receive from; the relative error over the whole `dx` does not show
# that slice apart.

# %% [markdown]
# ## Summary
#
# - Every slope is written with a cached value: $\sigma'(u) = \sigma(u)(1 - \sigma(u))$, that
#   is $f(1 - f)$ with the gate $f$; $1 - \tilde c^2$ with the candidate, $1 - \tanh^2 c$ with
#   $\tanh(c)$ computed once.
# - $c^{\langle t \rangle}$ reaches the loss along **two paths**: directly through step $t+1$
#   (`dc_next`) and through $a = o \odot \tanh c$; `dc` is their sum, and it feeds $du_f$
#   (times $c_{prev}$), $du_i$ (times $\tilde c$), $du_c$ (times $i$) and `dc_prev = dc * ft`.
# - The gates act on the stack $\chi = [a_{prev}; x]$: $dW_\star = du_\star\, \chi^\top$, $db_\star$
#   sums over the examples, $d\chi = \sum_\star W_\star^\top du_\star$, split into `da_prev`
#   (top $n_a$ rows) and `dxt`.
# - `lstm_backward` carries **two** gradients back in time, `da` (added to the output's
#   `da[:, :, t-1]` of step $t$) and `dc`; forgetting either makes every gradient wrong.
# - The widely circulated equations (8) and (10) are misprinted (a spurious $\tilde c$; a
#   $\tilde c_{prev}$ for $c_{prev}$), and its `lstm_backward` carries nothing: gradient checks
#   with a non-zero `dc_next` expose all three.
# - Along the cell state's direct path each step multiplies the gradient by $f$ alone
#   (`dc_prev = dc * ft`): with $f \approx 1$ that road stays open for dozens of steps. The full
#   gradient adds the detours through $a$ and the gates, and can be far larger (Going further
#   measures both).
#
# ## Exercises
#
# Answer on paper or in a new cell; the solution version has the answers.
#
# **Exercise 1 (two ways to write dc_prev).** The widely circulated version writes
# $dc_{prev} = dc_{next} \odot f + o \odot (1 - \tanh^2 c) \odot f \odot da$. Is it the same as
# ours? Why does `dc_prev` not include a term through $a_{prev}$?

# %% [markdown] tags=["answer"]
# **Answer.** Yes: factor out $f$ and what remains is our `dc` (its `dc_next` is our path 1, its
# second term our path 2). $c_{prev}$ enters step $t$ only through
# $c = f \odot c_{prev} + \dots$; $a_{prev}$ is a different array, produced at step $t-1$ from
# $c_{prev}$. The road $c_{prev} \to a_{prev} \to$ step $t$ is accounted for at step $t-1$:
# the `da_prev` this step returns arrives there as part of `da_next`, and step $t-1$'s path 2
# turns it into a contribution to its `dc`.

# %% [markdown]
# ## Going further (optional)
#
# Nothing graded depends on this section, and the core of the lesson ends above: take it now
# or come back to it. It measures how far back the gradient reaches through the cell state,
# maps your gradients onto PyTorch's `nn.LSTM`, and has four more exercises.
#
# ### Experiment: how far back does the gradient reach?
#
# Put the loss on the **last** hidden state only, `da[:, :, t-1] = 0` for $t < T_x$, and measure
# the size of the gradient reaching each input,
# $\lVert dx^{\langle t \rangle} \rVert / \lVert dx^{\langle T_x \rangle} \rVert$, against the
# distance $T_x - t$. Three models of the same size ($n_x = 4$, $n_a = 32$, $m = 8$,
# $T_x = 50$), on the same inputs: an LSTM whose forget-gate bias is $+2$, the same LSTM with
# $b_f = -2$ (the cell prints the mean forget gate of each), and a vanilla RNN (lesson 04's
# `rnn_backward`, the course's reference).
#
# For the two LSTMs the cell also follows the gradient at the **cell state**, two ways
# (`explorers.lstm_gradient_paths`, with your `lstm_cell_backward`): in all,
# $\lVert \partial \mathcal L / \partial c^{\langle t \rangle} \rVert$, and along the cell-state
# line alone. Step 4 gave `dc_prev = dc * ft`: a gradient that never leaves the line is
# multiplied by the forget gates only, $f^{\langle T \rangle} \odot \cdots \odot f^{\langle t+1
# \rangle} \odot \partial \mathcal L / \partial c^{\langle T \rangle}$ ("c line only"), close to
# $(\text{mean } f)^d$, the last row of each LSTM.

# %%
def input_gradient_profile(forward, backward, parameters, n_x=4, n_a=32, T=50, m=8, seed=0):
    """||dx<t>|| / ||dx<T>|| against the distance T - t, for a loss on the last state only.

    forward, backward -- lstm_forward and lstm_backward, or rnn_forward and rnn_backward
    Returns an array of T ratios (entry d: the input at distance d from the loss), the step
    caches of the forward pass and the upstream gradient dL/da<T>, shape (n_a, m).
    """
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((n_x, m, T))  # the same inputs for every model
    step_caches, _ = forward(x, np.zeros((n_a, m)), parameters)[-1]
    da = np.zeros((n_a, m, T))
    da[:, :, -1] = rng.standard_normal((n_a, m))  # the loss sees a<T> only
    dx = backward(da, (step_caches, x))["dx"]  # (n_x, m, T)
    norms = np.linalg.norm(dx, axis=(0, 1))[::-1]  # entry d: the step at distance d
    return norms / norms[0], step_caches, da[:, :, -1]


profiles = {}
for forget_bias in (2.0, -2.0):
    parameters_exp = initialize_lstm_parameters(4, 32, 3, seed=0)
    parameters_exp["bf"] = np.full((32, 1), forget_bias)
    profile, step_caches, da_last = input_gradient_profile(lstm_forward, lstm_backward,
                                                           parameters_exp)
    mean_forget = np.mean([cache[4] for cache in step_caches])  # ft, averaged over everything
    paths = explorers.lstm_gradient_paths(da_last, step_caches, lstm_cell_backward)
    tag = f"b_f = {forget_bias:+.0f}"
    profiles[f"LSTM, {tag} (mean f {mean_forget:.2f}): dx"] = profile
    profiles[f"  {tag}: dc, all paths"] = paths["c"]
    profiles[f"  {tag}: dc, c line only"] = paths["c_line"]
    profiles[f"  {tag}: (mean f)^d"] = mean_forget ** np.arange(50)
profiles["vanilla RNN"] = input_gradient_profile(rnn_forward, rnn_backward,
                                                 initialize_rnn_parameters(4, 32, 3, seed=0))[0]
print(f"{'':42}" + "".join(f"{'d = ' + str(d):>9}" for d in (1, 10, 25, 49)))
for label_exp, profile in profiles.items():
    print(f"{label_exp:42}" + "".join(f"{profile[d]:9.0e}" for d in (1, 10, 25, 49)))

figure, axes = plt.subplots(figsize=(7, 4))
for label_exp, profile in profiles.items():
    if "(mean f)^d" not in label_exp:
        axes.semilogy(profile, label=label_exp.strip(),
                      linestyle=":" if "line" in label_exp else "--" if "dc" in label_exp
                      else "-")
axes.set_xlabel("distance T - t from the loss (steps)")
axes.set_ylabel("norm at step t / norm at step T")
axes.set_title("How much gradient reaches the input (and the cell state) d steps back")
axes.grid(True, which="both", alpha=0.3)
axes.legend(fontsize=7)
figure.tight_layout()
plt.show()

# %% [markdown]
# In this draw (seed 0), with $f \approx 0.87$ the gradient reaching an input 49 steps back is
# still of the same order as at the last step (about twice as large); with $f \approx 0.12$ it
# has fallen by some 25 orders of magnitude, far faster than in the vanilla RNN
# ($6 \cdot 10^{-10}$). Twenty other draws (seeds 100 to 119, `benchmarks/claims_over_seeds.py`)
# agree: 0.6 to 7 times the last step's with $f \approx 0.87$, $10^{-27}$ to $10^{-21}$ with
# $f \approx 0.12$, against $10^{-11}$ to $10^{-6}$ for the RNN.
#
# The cell-state rows show **why**, and that it is not the line alone. Along the cell-state
# line, with no weight matrix and no saturating slope in between, $f \approx 0.87$ leaves
# $2 \cdot 10^{-3}$ after 49 steps (the $(\text{mean } f)^{49} \approx 10^{-3}$ that one
# expects, a little more because a product of gates favours the units whose $f$ is closest
# to 1). Yet the full gradient at $c$ is about 2 there, a thousand times more. The
# difference is the **other paths**: at every step, part of the gradient leaves the line
# through $a^{\langle t \rangle} = o \odot \tanh(c^{\langle t \rangle})$ (the second term of
# `dc`), travels back through the four gates' recurrent weights into `da_prev`, and re-enters
# the line one step earlier, at $c^{\langle t-1 \rangle}$. Every combination of line steps and
# detours is a path, and `lstm_backward` adds them all. With $f \approx 0.12$ the line alone
# is cut almost at once ($7 \cdot 10^{-45}$ after 49 steps), while the detours still carry
# $10^{-25}$: twenty orders of magnitude more than the line, and still far less than the RNN
# keeps. So the forget gate decides whether the **direct** road is open (the "constant error
# carousel", lossless when $f = 1$, cut at every step when $f \approx 0$), and the total is
# the line plus every detour, which can be much more than the line alone (on the twenty other
# draws, 49 steps back, 290 to 5,000 times more with $f \approx 0.87$, and more than $10^{16}$
# times with $f \approx 0.12$). This is why LSTM implementations often initialise the
# forget-gate bias to a positive value. Lesson 07 measures the same paths on the states themselves and studies vanishing and
# exploding gradients in depth, and what clipping does about the second.

# %% [markdown]
# ### From this notebook to PyTorch
#
# `nn.LSTM(n_x, n_a)` keeps the four gates' weights **stacked**, in the gate order
# $i, f, g, o$ ($g$ is our candidate $\tilde c$), and splits our stack $[a_{prev}; x]$ into two
# matrices:
#
# | PyTorch | this lesson | shape |
# | --- | --- | --- |
# | `weight_ih_l0.grad` | `dWi[:, n_a:]`, `dWf[:, n_a:]`, `dWc[:, n_a:]`, `dWo[:, n_a:]` stacked by rows | $(4 n_a, n_x)$ |
# | `weight_hh_l0.grad` | `dWi[:, :n_a]`, `dWf[:, :n_a]`, `dWc[:, :n_a]`, `dWo[:, :n_a]` stacked by rows | $(4 n_a, n_a)$ |
# | `bias_ih_l0.grad` and `bias_hh_l0.grad` | both equal to `dbi`, `dbf`, `dbc`, `dbo` stacked | $(4 n_a,)$ |
# | `x.grad` (sequence-first input) | `dx.transpose(2, 1, 0)` | $(T_x, m, n_x)$ |
# | `h0.grad[0]`, `c0.grad[0]` | `da0.T`, and the `dc` carried out of step 1 (transposed) | $(m, n_a)$ |
#
# With `batch_first=True`, `x` is $(m, T_x, n_x)$ and its gradient is `dx.transpose(1, 2, 0)`.
# Autograd caches what our cache holds (the gate values, $c$, $\tanh c$) and sums each weight's
# gradient over the steps, as your loop does. The cell below writes PyTorch's computation in
# NumPy (rows are examples, stacked gates) with our weights rearranged, and checks by central
# differences that the rearranged gradients of your `lstm_backward` are its gradients.

# %%
GATE_ORDER_PYTORCH = ("i", "f", "c", "o")  # PyTorch's i, f, g, o


def to_pytorch_layout(arrays, n_a, prefix=""):
    """Stack our per-gate arrays (prefix "" for weights, "d" for gradients) like nn.LSTM:
    weight_ih (4 n_a, n_x), weight_hh (4 n_a, n_a), bias (4 n_a,), gate order i, f, g, o."""
    weight_ih = np.concatenate([arrays[prefix + "W" + g][:, n_a:] for g in GATE_ORDER_PYTORCH])
    weight_hh = np.concatenate([arrays[prefix + "W" + g][:, :n_a] for g in GATE_ORDER_PYTORCH])
    bias = np.concatenate([arrays[prefix + "b" + g][:, 0] for g in GATE_ORDER_PYTORCH])
    return {"weight_ih": weight_ih, "weight_hh": weight_hh, "bias_ih": bias}


def pytorch_style_loss(weights, x_rows, h0_rows, G_rows):
    """nn.LSTM's forward in NumPy (bias_hh taken as zero) and the loss sum(G * h).

    x_rows -- (T_x, m, n_x), sequence-first; h0_rows -- (m, n_a); G_rows -- (T_x, m, n_a)
    """
    h, c, total = h0_rows, np.zeros_like(h0_rows), 0.0
    for x_t, G_t in zip(x_rows, G_rows):
        gates = x_t @ weights["weight_ih"].T + h @ weights["weight_hh"].T + weights["bias_ih"]
        i, f, g, o = np.split(gates, 4, axis=1)  # each (m, n_a)
        c = sigmoid(f) * c + sigmoid(i) * np.tanh(g)
        h = sigmoid(o) * np.tanh(c)
        total += float(np.sum(G_t * h))
    return total


weights_pytorch = to_pytorch_layout(parameters_seq, n_a)
x_rows, G_rows = x_seq.transpose(2, 1, 0), G_seq.transpose(2, 1, 0)  # (T_x, m, n), sequence-first
same_loss = np.isclose(pytorch_style_loss(weights_pytorch, x_rows, a0_seq.T, G_rows),
                       sequence_loss(x_seq, a0_seq, parameters_seq, G_seq))
print("PyTorch's layout computes the same loss:", bool(same_loss))
gradients_seq = lstm_backward(G_seq, lstm_forward(x_seq, a0_seq, parameters_seq)[-1])
ours_pytorch = to_pytorch_layout(gradients_seq, n_a, prefix="d")
for name, array in weights_pytorch.items():
    numeric = numerical_gradient(
        lambda _: pytorch_style_loss(weights_pytorch, x_rows, a0_seq.T, G_rows), array)
    print(f"{name}_l0.grad {str(array.shape):9} = yours rearranged:",
          verdict(relative_error(ours_pytorch[name], numeric)))

# %% [markdown]
# ### More exercises

# %% [markdown]
# **Exercise 2 (half a carry).** Your `lstm_backward` forgets only `dc_carried = gradients["dc_prev"]`
# (the cell state's carry stays zero) but carries `da`. Which gradients stay right? Would a test
# with $T_x = 1$ notice?

# %% [markdown] tags=["answer"]
# **Answer.** Only `dx[:, :, T_x - 1]`: the last step receives no carry anyway. Every earlier
# step misses the direct path into its $c^{\langle t \rangle}$, so its `dc`, its four $du$ and
# everything computed from them are wrong; the weight gradients sum them, and `da0` inherits the
# error. With $T_x = 1$ no carry is ever used, so the test passes: always test sequences of
# several steps (the course's checks do).

# %% [markdown]
# **Exercise 3 (the constant error carousel).** Suppose that at every step $f = 1$ and $i = 0$
# exactly, and the loss sits on $a^{\langle T_x \rangle}$ only. What is the gradient reaching
# $c^{\langle 1 \rangle}$? And in the experiment's LSTM with $f \approx 0.87$, roughly how much
# of it is left after 49 steps along the cell-state line alone?

# %% [markdown] tags=["answer"]
# **Answer.** With $f = 1$, `dc_prev = dc`: along the line, the `dc` of the last step,
# $da \odot o \odot (1 - \tanh^2 c)$, reaches $c^{\langle 1 \rangle}$ undiminished over any
# distance. With constant $f$ and $i$, $du_f = du_i = 0$ and $du_c = dc \odot i \odot \dots = 0$
# feed nothing into `da_prev`; only the output gate's $du_o$ does, and its detours (through
# $a^{\langle t-1 \rangle}$ back into the line) add to that gradient; with a constant $o$ as
# well, the line would be the only path. With $f \approx 0.87$, the line alone gives about
# $0.87^{49} \approx 0.001$; the experiment measured $2 \cdot 10^{-3}$ along the line (the
# gates vary from unit to unit, and a product favours the units with $f$ closest to 1), and
# about 2 in all: the detours through the hidden states and the gates carry the rest.

# %% [markdown]
# **Exercise 4 (coupled gates).** Some variants tie the update gate to the forget gate:
# $c = f \odot c_{prev} + (1 - f) \odot \tilde c$, with no $W_i$, $b_i$. Derive $du_f$. Which
# other lines of `lstm_cell_backward` change?

# %% [markdown] tags=["answer"]
# **Answer.** $f$ now appears twice: $\partial c / \partial f = c_{prev} - \tilde c$, so
# $du_f = dc \odot (c_{prev} - \tilde c) \odot f \odot (1 - f)$. The candidate's gradient
# becomes $du_c = dc \odot (1 - f) \odot (1 - \tilde c^2)$; $du_i$, `dWi`, `dbi` and the
# $W_i^\top du_i$ term of `dconcat` disappear; $du_o$ and `dc_prev = dc * ft` are unchanged. A
# $\tilde c$ next to $c_{prev}$ in $du_f$ is right here, but only as this difference, and only
# with the step's own $\tilde c$.

# %% [markdown]
# **Exercise 5 (the initial cell state).** `lstm_backward` returns `da0` but no gradient for
# $c^{\langle 0 \rangle}$. Where would you get it, and when is it needed?

# %% [markdown] tags=["answer"]
# **Answer.** It is the `dc` carried out of the first step, `gradients["dc_prev"]` of the call at
# $t = 0$: one more line, returned like `da0`. Here $c^{\langle 0 \rangle}$ is fixed at zeros, so
# nothing uses it. It is needed when the initial state is learned (a parameter, as `h0` and `c0`
# can be in PyTorch when they require gradients), or when a long sequence is processed in chunks
# and the state is passed from chunk to chunk without cutting the gradient.
