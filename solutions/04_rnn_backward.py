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
# **Time.** About 85 minutes for the core, 15 more for the optional Going further at the end.
# Every symbol of the course, its meaning and shape: [the notation table](../docs/notation.md).
#
# ## Goal and prerequisites
#
# Lesson 03 took the gradient back through *one* step of the RNN. A sequence has $T_x$ steps
# chained together, and an output and a loss on top of every one of them. This lesson puts the
# pieces together into the complete backward pass of the model: **backpropagation through time**
# (BPTT).
#
# **Goal.** Write three functions:
#
# 1. `rnn_backward(da, caches)`: the gradient back through all $T_x$ steps, given the gradient
#    `da` that arrives at every hidden state from above;
# 2. `softmax_cross_entropy(y_pred, y)`: the loss and its gradient with respect to the scores;
# 3. `output_layer_backward(dz, a, parameters)`: the output layer's gradients, and the `da` that
#    `rnn_backward` takes.
#
# Then check the whole model against numerical differentiation (and, in Going further, against
# automatic differentiation), learn how *not* to compare gradients, and find a bug by gradient
# checking. (Truncated BPTT, which cuts the
# backward pass into windows, is lesson 08's, in the form in which training uses it.)
#
# **Prerequisites.** Lesson 02 (`rnn_forward`, its caches `(list of step caches, x)`, and weight
# sharing); lesson 03 (`rnn_cell_backward(da_next, cache)`, the derivative of tanh, the "make the
# shapes match" rule, `numerical_gradient` and the relative error).
#
# **Your earlier code is not needed here.** This notebook imports the course's reference
# `rnn_forward` and `rnn_cell_backward` from `rnn_utils.reference`, so a mistake left in lesson 02
# or 03 cannot block this one.

# %%
import numpy as np

from rnn_utils import initialize_rnn_parameters, numerical_gradient, relative_error, robust
from rnn_utils.reference import rnn_cell_backward, rnn_forward

np.set_printoptions(precision=6, suppress=True)

# %% [markdown]
# ## The picture
#
# The model of lessons 01-02, now with its loss: at every step $t$ the hidden state
# $a^{\langle t \rangle}$ feeds the output layer, whose prediction $\hat y^{\langle t \rangle}$ is
# compared with the target $y^{\langle t \rangle}$. The backward pass runs the unrolled network
# from right to left:
#
# ![BPTT: the unrolled RNN with the gradients flowing backwards. At each hidden state a<t> a plus node adds the output layer's contribution, coming down from above, and the gradient da_prev sent back by step t+1, coming from the right; the sum enters rnn_cell_backward of step t, which sends dx<t> down, its parameter gradients into a shared sum, and its own da_prev to the left; after step 1 it becomes da0](../notebooks/figures/bptt_backward.svg)
#
# - Each hidden state is used **twice**: by the output layer of its own step, and by the next
#   step. So the gradient that reaches it has two parts, added at the $+$ nodes.
# - The last step has no next step: only the output's part reaches $a^{\langle T_x \rangle}$.
# - What leaves step 1 to the left is the gradient of the initial state, `da0`.
# - Every step adds its share to the gradients of the shared parameters.

# %% [markdown]
# ## The equations and the shapes
#
# Forward, for $t = 1, \dots, T_x$, with one column per example:
#
# $$
# \underbrace{a^{\langle t \rangle}}_{(n_a,\ m)} = \tanh\big(\underbrace{W_{ax}}_{(n_a,\ n_x)}
# \underbrace{x^{\langle t \rangle}}_{(n_x,\ m)} + \underbrace{W_{aa}}_{(n_a,\ n_a)}
# a^{\langle t-1 \rangle} + \underbrace{b_a}_{(n_a,\ 1)}\big),
# \qquad
# \underbrace{z^{\langle t \rangle}}_{(n_y,\ m)} = \underbrace{W_{ya}}_{(n_y,\ n_a)}
# a^{\langle t \rangle} + \underbrace{b_y}_{(n_y,\ 1)},
# \qquad
# \hat y^{\langle t \rangle} = \operatorname{softmax}(z^{\langle t \rangle}),
# $$
#
# and the loss, summed over the steps and averaged over the $m$ examples, with one-hot targets
# $y^{\langle t \rangle}$ of shape $(n_y, m)$:
#
# $$
# \mathcal L = -\frac{1}{m} \sum_{t=1}^{T_x} \sum_{e=1}^{m} \sum_{k=1}^{n_y}
# y^{\langle t \rangle}_{k e} \log \hat y^{\langle t \rangle}_{k e}.
# $$
#
# Every gradient has the shape of the thing it is the gradient of. In the code, time is the last
# axis and Python index `t` holds step $t+1$, as in lesson 02:
#
# | gradient | shape | meaning |
# | --- | --- | --- |
# | `dz` | $(n_y, m, T_x)$ | $\partial \mathcal L / \partial z^{\langle t \rangle}$ of every step |
# | `da` | $(n_a, m, T_x)$ | what the output layer sends to each $a^{\langle t \rangle}$ |
# | `dx` | $(n_x, m, T_x)$ | $\partial \mathcal L / \partial x^{\langle t \rangle}$ of every step |
# | `da0` | $(n_a, m)$ | $\partial \mathcal L / \partial a^{\langle 0 \rangle}$ |
# | `dWax`, `dWaa`, `dba` | $(n_a, n_x)$, $(n_a, n_a)$, $(n_a, 1)$ | the recurrent layer's parameters |
# | `dWya`, `dby` | $(n_y, n_a)$, $(n_y, 1)$ | the output layer's parameters |

# %% [markdown]
# ## Derivation, step by step
#
# ### 1. A shared weight: the gradient is a sum over time
#
# Lesson 02 suggested a way of thinking about weight sharing: give every step its own copy
# $W_{aa}^{(1)}, \dots, W_{aa}^{(T_x)}$, and then force the copies to be equal. Write
# $\tilde{\mathcal L}(W^{(1)}, \dots, W^{(T_x)})$ for the loss of the network with separate
# copies; the real loss is $\mathcal L(W_{aa}) = \tilde{\mathcal L}(W_{aa}, \dots, W_{aa})$.
#
# A one-dimensional example shows what the chain rule does with a variable that is passed in
# several places. Let $F(w) = G(w, w)$ with $G(p, q) = p q$, so $F(w) = w^2$. Moving $w$ moves
# both arguments, and the two effects add:
# $F'(w) = \partial_p G + \partial_q G = q + p = 2w$. Likewise, one entry of $W_{aa}$ moves every
# copy at once:
#
# $$
# \frac{\partial \mathcal L}{\partial W_{aa}}
# = \sum_{t=1}^{T_x} \frac{\partial \tilde{\mathcal L}}{\partial W^{(t)}}\bigg|_{\text{all copies} = W_{aa}}.
# $$
#
# Each term is the gradient of one step's copy, which is exactly what `rnn_cell_backward` of
# step $t$ returns as `dWaa`, **provided** that it is given the whole gradient that reaches
# $a^{\langle t \rangle}$ (next subsection). The same holds for $W_{ax}$ and $b_a$, and, in the
# output layer, for $W_{ya}$ and $b_y$. The inputs are different: $x^{\langle t \rangle}$ is used
# by step $t$ only, so `dx[:, :, t]` is the `dxt` of that one step, with no sum.
#
# ### 2. The gradient reaching $a^{\langle t \rangle}$: two paths
#
# Where does $a^{\langle t \rangle}$ influence the loss? In exactly two places: the scores of its
# own step, $z^{\langle t \rangle} = W_{ya} a^{\langle t \rangle} + b_y$, and the next state,
# $a^{\langle t+1 \rangle} = \tanh(W_{ax} x^{\langle t+1 \rangle} + W_{aa} a^{\langle t \rangle} + b_a)$.
# Everything later (later outputs, later states) depends on $a^{\langle t \rangle}$ only through
# $a^{\langle t+1 \rangle}$. The chain rule for a variable used in two places adds the two
# paths, just as for $F(w) = G(w, w)$ above. Write $\gamma^{\langle t \rangle}$ for the full
# gradient $\partial \mathcal L / \partial a^{\langle t \rangle}$, of shape $(n_a, m)$:
#
# $$
# \gamma^{\langle t \rangle}
# = \underbrace{W_{ya}^{\top}\, \frac{\partial \mathcal L}{\partial z^{\langle t \rangle}}}_{\text{from the output at } t\text{; in the code } \texttt{da[:, :, t-1]}}
# + \underbrace{W_{aa}^{\top} \Big(\gamma^{\langle t+1 \rangle} \odot \big(1 - (a^{\langle t+1 \rangle})^2\big)\Big)}_{\text{from step } t+1:\ \texttt{da\_prev} \text{ of step } t+1}.
# $$
#
# Check the shapes: $W_{ya}^{\top}$ is $(n_a, n_y)$ and $\partial \mathcal L/\partial z^{\langle t \rangle}$
# is $(n_y, m)$; $W_{aa}^{\top}$ is $(n_a, n_a)$ and the bracket $(n_a, m)$; both terms are
# $(n_a, m)$. The second term is lesson 03's `da_prev`: the derivative of tanh,
# $1 - (a^{\langle t+1 \rangle})^2$, applied elementwise, then $W_{aa}^{\top}$.
#
# Three consequences shape the code.
#
# - **The loop runs backwards.** $\gamma^{\langle t \rangle}$ needs the *full*
#   $\gamma^{\langle t+1 \rangle}$, which needs $\gamma^{\langle t+2 \rangle}$, and so on. So start
#   at $t = T_x$, where the second term is zero (there is no step after the last), and walk down
#   to $t = 1$, **carrying** the gradient `da_prev` from each step to the one before.
# - **Recursion hides a sum.** Unfold it, and $\gamma^{\langle t \rangle}$ is the sum of the
#   contributions of all the outputs at steps $t, t+1, \dots, T_x$, each multiplied by one factor
#   $W_{aa}^\top \operatorname{diag}(1 - a^2)$ per step it travels. The carry collects them one
#   step at a time, at the cost of one `rnn_cell_backward` call per step.
# - **$a^{\langle 0 \rangle}$ has no output.** Only the second path reaches it:
#   $\partial \mathcal L / \partial a^{\langle 0 \rangle}$ is the `da_prev` that step 1 sends
#   back, `da0`.
#
# ## Your turn: `rnn_backward`
#
# With `da` given (the output layer computes it, further down), and Python indices:
#
# 1. start with `dx`, `dWax`, `dWaa`, `dba` all zeros, and a carried gradient of zeros,
#    $(n_a, m)$;
# 2. for `t` from `T_x - 1` down to `0`, call `rnn_cell_backward` on `da[:, :, t]` **plus** the
#    carry, with the step's cache; store its `dxt` in `dx[:, :, t]`; **add** its `dWax`,
#    `dWaa`, `dba` to the totals; keep its `da_prev` as the new carry;
# 3. after the loop, the carry is `da0`.
#
# Call the reference `rnn_cell_backward` (already imported) rather than rewriting its
# equations, and do not modify `da` or the caches in place. The two classic bugs: passing only
# `da[:, :, t]` to the cell (the carry from step $t+1$ is lost), and overwriting the parameter
# gradients instead of adding to them (one step's term is kept).

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
from rnn_utils.checks import check_rnn_backward

check_rnn_backward(rnn_backward)

# %% [markdown]
# ## The familiar cross-check
#
# The test inputs of the well-known "Building your Recurrent Neural Network - Step by Step"
# assignment (legacy `np.random.seed(1)`, $n_x = 3$, $m = 10$, $T_x = 4$, $n_a = 5$, $n_y = 2$)
# come with published figures for `rnn_backward`; the cell runs *your* function on them. Their
# `da` is random: it stands for the gradient an output layer would send back (it does not "add
# noise"), and the next sections compute a real one.

# %%
np.random.seed(1)
x_tmp = np.random.randn(3, 10, 4)
a0_tmp = np.random.randn(5, 10)
parameters_tmp = {
    "Wax": np.random.randn(5, 3),
    "Waa": np.random.randn(5, 5),
    "Wya": np.random.randn(2, 5),
    "ba": np.random.randn(5, 1),
    "by": np.random.randn(2, 1),
}
a_tmp, y_pred_tmp, caches_tmp = rnn_forward(x_tmp, a0_tmp, parameters_tmp)
gradients_tmp = rnn_backward(np.random.randn(5, 10, 4), caches_tmp)
published = {  # entry: (yours, the published value)
    "dx[1][2]": (gradients_tmp["dx"][1][2], [-2.07101689, -0.59255627, 0.02466855, 0.01483317]),
    "da0[2][3]": (gradients_tmp["da0"][2][3], -0.31494237512664996),
    "dWax[3][1]": (gradients_tmp["dWax"][3][1], 11.264104496527777),
    "dWaa[1][2]": (gradients_tmp["dWaa"][1][2], 2.3033331265798935),
    "dba[4]": (gradients_tmp["dba"][4], [-0.74747722]),
}
with np.printoptions(precision=8):
    for entry, (yours, _) in published.items():
        print(f"{entry:10} =", np.round(yours, 8))
print("matches the published figures:",
      all(np.allclose(yours, theirs, atol=1e-8) for yours, theirs in published.values()))

# %% [markdown]
# ## Where `da` comes from: the output layer and the loss
#
# So far `da` was given. In the full model it is computed by the layer on top of the hidden
# states, in two stages: the loss gives $\partial \mathcal L / \partial z^{\langle t \rangle}$, the
# gradient with respect to the scores; the output layer turns that into
# $\partial \mathcal L / \partial a^{\langle t \rangle}$ (the first path above) and into the
# gradients of $W_{ya}$ and $b_y$.
#
# ### The derivative of softmax and cross-entropy: $\partial \mathcal L / \partial z = \hat y - y$
#
# Take one example at one step and drop the indices $i$ and $t$: scores $z \in \mathbb R^{n_y}$,
# probabilities $\hat y_k = e^{z_k} / S$ with $S = \sum_j e^{z_j}$, a target $y$ whose entries
# sum to 1, and the loss $\ell = -\sum_k y_k \log \hat y_k$.
#
# **Step 1, the log.** $\dfrac{\partial \ell}{\partial \hat y_k} = -\dfrac{y_k}{\hat y_k}$.
#
# **Step 2, the softmax's Jacobian.** Every $\hat y_k$ depends on every $z_j$, through $S$. By
# the quotient rule, using $\partial S / \partial z_j = e^{z_j}$:
#
# - for $k = j$: $\dfrac{\partial \hat y_j}{\partial z_j} = \dfrac{e^{z_j} S - e^{z_j} e^{z_j}}{S^2} = \hat y_j - \hat y_j^2$;
# - for $k \ne j$: $\dfrac{\partial \hat y_k}{\partial z_j} = \dfrac{0 \cdot S - e^{z_k} e^{z_j}}{S^2} = -\hat y_k \hat y_j$.
#
# Both cases in one formula, with $\delta_{kj}$ equal to 1 when $k = j$ and 0 otherwise:
# $\dfrac{\partial \hat y_k}{\partial z_j} = \hat y_k (\delta_{kj} - \hat y_j)$.
#
# **Step 3, the chain rule.** $z_j$ reaches $\ell$ through every $\hat y_k$, so we sum over $k$:
#
# $$
# \frac{\partial \ell}{\partial z_j}
# = \sum_k \Big(-\frac{y_k}{\hat y_k}\Big)\, \hat y_k (\delta_{kj} - \hat y_j)
# = -\sum_k y_k \delta_{kj} + \hat y_j \sum_k y_k
# = -y_j + \hat y_j \cdot 1 = \hat y_j - y_j.
# $$
#
# The $\hat y_k$ of the log cancels the one of the Jacobian (no division by tiny probabilities
# is left), and $\sum_k y_k = 1$ turns the second sum into $\hat y_j$.
#
# **Step 4, the whole loss.** $\mathcal L = \frac{1}{m} \sum_t \sum_e \ell^{\langle t \rangle}_e$,
# and the column $z^{\langle t \rangle}_{:, e}$ appears in the single term $\ell^{\langle t \rangle}_e$.
# So its gradient is that term's, times $\frac1m$:
#
# $$
# \underbrace{\frac{\partial \mathcal L}{\partial z^{\langle t \rangle}}}_{(n_y,\ m)}
# = \frac{1}{m}\big(\hat y^{\langle t \rangle} - y^{\langle t \rangle}\big),
# \qquad \text{for all steps at once:} \quad \texttt{dz = (y\_pred - y) / m}, \ (n_y, m, T_x).
# $$
#
# Step 2 is the easiest place to slip, so let us test it numerically: the Jacobian of softmax
# at a random $z$, row by row (the gradient of each $\hat y_k$) by central differences, against
# $\operatorname{diag}(\hat y) - \hat y \hat y^{\top}$.

# %%
z_demo = np.random.default_rng(2).standard_normal(4)  # the scores of one example, (n_y,)


def softmax_entry(z, k):
    """Entry k of softmax(z), for a vector z of shape (n_y,)."""
    return float(np.exp(z[k]) / np.sum(np.exp(z)))


y_hat_demo = np.exp(z_demo) / np.sum(np.exp(z_demo))  # (n_y,)
jacobian_formula = np.diag(y_hat_demo) - np.outer(y_hat_demo, y_hat_demo)  # [k, j]
jacobian_numeric = np.array([numerical_gradient(lambda z, k=k: softmax_entry(z, k), z_demo)
                             for k in range(4)])  # row k: the gradient of y_hat_k
print("the formula matches central differences:", relative_error(jacobian_formula, jacobian_numeric) < 1e-8)
print("every column of the Jacobian sums to 0:", np.allclose(jacobian_formula.sum(axis=0), 0))
y_demo = np.array([0.0, 1.0, 0.0, 0.0])  # a one-hot target of the same example
loss_demo = lambda z: -np.sum(y_demo * np.log(np.exp(z) / np.sum(np.exp(z))))  # noqa: E731
print("the loss is unchanged by adding 3 to every score:",
      bool(np.isclose(loss_demo(z_demo + 3.0), loss_demo(z_demo))))
print("so y_hat - y sums to 0 over the classes:", bool(np.isclose(np.sum(y_hat_demo - y_demo), 0)))

# %% [markdown]
# The columns sum to 0 because the probabilities always sum to 1: moving one score moves
# probability from some classes to others, never in or out. The gradient $\hat y - y$ sums to 0
# over the classes for another reason, shift invariance: adding the same number to every score
# changes no probability (lesson 01's stable softmax rests on it), so the loss cannot change
# along the direction $(1, \dots, 1)$, and the components of its gradient add up to 0. That
# holds for every target $y$, but the gradient is $\hat y - y$ only when $\sum_k y_k = 1$
# (step 3): in general $\hat y - y$ sums to $1 - \sum_k y_k$ (exercise 4 comes back to it).
#
# ## Your turn: `softmax_cross_entropy`
#
# Given the predictions `y_pred` (the softmax of the scores, as `rnn_forward` returns them) and
# the one-hot targets `y`, both $(n_y, m, T_x)$, return the loss as a float and `dz`, the
# gradient with respect to the scores. Sum over the steps and the classes, divide by $m$.

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
from rnn_utils.checks import check_softmax_cross_entropy

check_softmax_cross_entropy(softmax_cross_entropy)

# %% [markdown]
# ### The output layer, backward
#
# At each step $z^{\langle t \rangle} = W_{ya} a^{\langle t \rangle} + b_y$: a matrix product and
# a bias, exactly the pattern of lesson 03. Write $dz^{\langle t \rangle}$ for
# $\partial \mathcal L / \partial z^{\langle t \rangle}$, $(n_y, m)$. The "make the shapes match"
# rule gives each gradient as the only product with the right shape:
#
# $$
# \underbrace{da^{\langle t \rangle}}_{(n_a,\ m)} = \underbrace{W_{ya}^{\top}}_{(n_a,\ n_y)} \underbrace{dz^{\langle t \rangle}}_{(n_y,\ m)},
# \qquad
# \underbrace{dW_{ya}}_{(n_y,\ n_a)} = \sum_{t=1}^{T_x} \underbrace{dz^{\langle t \rangle}}_{(n_y,\ m)} \underbrace{a^{\langle t \rangle\top}}_{(m,\ n_a)},
# \qquad
# \underbrace{db_y}_{(n_y,\ 1)} = \sum_{t=1}^{T_x} \sum_{e=1}^{m} dz^{\langle t \rangle}_{:, e}.
# $$
#
# Two sums, for two different reasons. The product $dz^{\langle t \rangle} a^{\langle t \rangle\top}$
# sums over the examples by itself (its inner dimension is $m$), and $b_y$'s sum over $i$ is
# there because the bias was broadcast to all $m$ columns. The sum over $t$ comes from weight
# sharing (derivation, part 1): $W_{ya}$ and $b_y$ serve every step. The first formula has no
# sum over $t$: each $a^{\langle t \rangle}$ has its own output. It is the `da[:, :, t]` that
# `rnn_backward` takes, the first path into $a^{\langle t \rangle}$.
#
# ## Your turn: `output_layer_backward`
#
# For every step $t$, compute `da[:, :, t]` and add the step's terms to `dWya` and `dby`. The
# steps do not depend on one another here, so the order of the loop does not matter (exercise 3
# removes the loop altogether).

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
from rnn_utils.checks import check_output_layer_backward

check_output_layer_backward(output_layer_backward)

# %% [markdown]
# ## The full model, and a gradient check of every parameter
#
# Now the four stages fit together: forward, loss, output layer backward, BPTT. The function
# below chains **your** functions; its seven gradients cover everything the loss depends on. (The
# cell is not graded: it is the glue you would write in a training loop.)

# %%
def one_hot(classes, n_y):
    """One-hot targets (n_y, m, T_x) from class indices of shape (m, T_x)."""
    return np.eye(n_y)[classes].transpose(2, 0, 1)  # (m, T_x, n_y) -> (n_y, m, T_x)


def model_loss(x, a0, parameters, y):
    """The loss of the full model: rnn_forward, then softmax_cross_entropy. A float."""
    _, y_pred, _ = rnn_forward(x, a0, parameters)
    return softmax_cross_entropy(y_pred, y)[0]


def model_gradients(x, a0, parameters, y, bptt=None):
    """Every gradient of the full model's loss: dict dx, da0, dWax, dWaa, dba, dWya, dby.

    bptt -- the function doing BPTT, with the contract of rnn_backward; default yours
    """
    bptt = rnn_backward if bptt is None else bptt
    a, y_pred, caches = rnn_forward(x, a0, parameters)  # a: (n_a, m, T_x)
    _, dz = softmax_cross_entropy(y_pred, y)  # (n_y, m, T_x)
    output_gradients = output_layer_backward(dz, a, parameters)
    gradients = bptt(output_gradients["da"], caches)  # BPTT with the real da
    gradients["dWya"] = output_gradients["dWya"]
    gradients["dby"] = output_gradients["dby"]
    return gradients


n_x, n_a, n_y, m, T_x = 3, 5, 4, 2, 6  # all different, so a transposed product cannot pass
rng = np.random.default_rng(4)
x_full = rng.standard_normal((n_x, m, T_x))
a0_full = 0.5 * rng.standard_normal((n_a, m))
parameters_full = initialize_rnn_parameters(n_x, n_a, n_y, seed=4)
parameters_full["ba"] = 0.1 * rng.standard_normal((n_a, 1))  # not zero: a zero bias hides bugs
parameters_full["by"] = 0.1 * rng.standard_normal((n_y, 1))
y_full = one_hot(rng.integers(n_y, size=(m, T_x)), n_y)  # (n_y, m, T_x)

# %% [markdown]
# For each array, `numerical_gradient` (lesson 03) perturbs its entries one at a time *in
# place* and recomputes the loss, so the function it differentiates simply reads the array from
# where it lives. The verdict is printed with a bound rather than the raw error, whose last
# digits depend on the machine: a correct gradient stays below the printed $10^{-7}$.

# %%
def verdict(analytic, numeric, tolerance=1e-7):
    """'ok' with the bound, or 'WRONG' with the relative error, for one gradient."""
    error = relative_error(analytic, numeric)
    if error < tolerance:
        return f"ok     relative error < {tolerance:.0e}"
    return f"WRONG  relative error {error:.2g}"


def gradient_check(gradients, x, a0, parameters, y):
    """Print a verdict for each gradient of the full model, against central differences."""
    arrays = dict(parameters, x=x, a0=a0)  # the same arrays: perturbing one perturbs the model
    for name, array in arrays.items():
        numeric = numerical_gradient(lambda _: model_loss(x, a0, parameters, y), array)
        print(f"d{name:4}", verdict(gradients["d" + name], numeric))


gradients_full = model_gradients(x_full, a0_full, parameters_full, y_full)
print(f"loss = {model_loss(x_full, a0_full, parameters_full, y_full):.6f}")
gradient_check(gradients_full, x_full, a0_full, parameters_full, y_full)

# %% [markdown]
# ## Debugging: how *not* to compare two gradients
#
# A learner once compared the gradients of a hand-written NumPy RNN with those of a framework
# by printing the **sum of the differences** of each matrix: about $10^{-16}$ for one matrix and
# $10^{-18}$ for one row of another, 0.12 and $-0.33$ for the rest, and wondered how one row
# could be right while the others were wrong. The sums cannot say: a signed sum lets positive
# and negative errors cancel, so a small one proves nothing, and some errors cancel *exactly*.
# One of them, common in RNN code, is a transposed gradient: the entries of a matrix and of its
# transpose have the same sum.

# %%
dWaa = model_gradients(x_full, a0_full, parameters_full, y_full)["dWaa"]  # (n_a, n_a), correct
dWaa_transposed = dWaa.T  # the same entries in the wrong places
print("signed sum of the differences is 0:  ", bool(abs(np.sum(dWaa - dWaa_transposed)) < 1e-12))
print(f"sum of the absolute differences:      {np.sum(np.abs(dWaa - dWaa_transposed)):.2f}")
print(f"relative error:                       {relative_error(dWaa, dWaa_transposed):.2f}")

# %% [markdown]
# The signed sum says "identical"; the relative error $\|a - b\| / (\|a\| + \|b\|)$ says they
# are as different as two unrelated matrices. Use the relative error (or the largest absolute
# difference), never a signed sum.
#
# **Where transposes come from: row-major code.** The hand-written RNN in that story stored a
# batch along the *rows* and its weights as (inputs, outputs), as many row-major tutorials do:
# $h^{\langle t \rangle} = \tanh(x^{\langle t \rangle} W_{xh} + h^{\langle t-1 \rangle} W_{hh} + b)$
# with $h$ of shape $(m, n_a)$. Its $W_{hh}$ multiplies from the right, so it plays the role of
# our $W_{aa}^{\top}$, and its gradient $\sum_t h^{\langle t-1 \rangle\top} du^{\langle t \rangle}$
# (with $du$ the gradient of the pre-activation) is our `dWaa.T`. Both are $(n_a, n_a)$: no
# shape error will warn you. PyTorch's `nn.RNN` also puts the batch along the rows, but it stores
# `weight_hh_l0` as (outputs, inputs), in our orientation, and multiplies by its transpose:
# $h_t = \tanh(x_t W_{ih}^{\top} + b_{ih} + h_{t-1} W_{hh}^{\top} + b_{hh})$. So
# `weight_hh_l0.grad` is our `dWaa` itself, not its transpose (lesson 03 checks it). Before
# comparing two implementations, bring both to one convention, and then compare by the
# relative error.
#
# ## Find the bug
#
# Here is a BPTT written by someone else. It runs, returns arrays of the right shapes, and its
# author says it "looks right". Is it?

# %%
def rnn_backward_suspect(da, caches):
    """Someone else's BPTT, with the contract of rnn_backward. One line is wrong."""
    step_caches, x = caches
    Wax = step_caches[0][3]["Wax"]  # (n_a, n_x)
    grad_x = np.zeros_like(x)
    dWax, dWaa = np.zeros_like(Wax), np.zeros((Wax.shape[0], Wax.shape[0]))
    dba = np.zeros((Wax.shape[0], 1))
    from_next_step = np.zeros_like(da[:, :, 0])
    for step in range(x.shape[2] - 1, -1, -1):
        cell = rnn_cell_backward(da[:, :, step] + from_next_step, step_caches[step])
        grad_x[:, :, step] = cell["dxt"]
        from_next_step = cell["da_prev"]
        dWax, dWaa = dWax + cell["dWax"], dWaa + cell["dWaa"]
        dba += dba
    return {"dx": grad_x, "da0": from_next_step, "dWax": dWax, "dWaa": dWaa, "dba": dba}

# %% [markdown]
# Reading code line by line is one way to find a bug; gradient checking is a faster one,
# because it checks each gradient **separately** and so tells you where to look. The cell below
# runs the full model with the suspect BPTT instead of yours, and checks every gradient.

# %%
gradients_suspect = model_gradients(x_full, a0_full, parameters_full, y_full,
                                    bptt=rnn_backward_suspect)
gradient_check(gradients_suspect, x_full, a0_full, parameters_full, y_full)

# %% [markdown]
# Exactly one gradient is wrong, so the bug is in the lines that compute it, and only there: the
# other gradients prove that the loop, the carry and the caches are right. Exercise 1 asks you
# to find the line, explain the relative error, and fix it.

# %% [markdown]
# ## From this notebook to PyTorch
#
# - **Full BPTT is `loss.backward()`.** Run `nn.RNN` over the whole sequence, compute the loss,
#   call `loss.backward()`: autograd has recorded every step (the caches) and walks them in
#   reverse, summing each shared weight's gradient over the steps, as `output_layer_backward`
#   and `rnn_backward` do. `weight_hh_l0.grad` is our `dWaa`, `weight_ih_l0.grad` our `dWax`
#   (same orientation, lesson 02), and *both* `bias_ih_l0.grad` and `bias_hh_l0.grad` equal
#   `dba[:, 0]`, since both biases are added in the same place. `.grad` also accumulates across
#   calls (one more sum), hence `optimizer.zero_grad()`.
# - **The loss takes scores.** `nn.CrossEntropyLoss` expects the *scores* $z$ (logits) and class
#   indices, not probabilities and one-hot vectors: it fuses log-softmax and the negative
#   log-likelihood (the cancellation derived above), and its gradient with respect to the scores
#   is exactly $(\operatorname{softmax}(z) - \text{one-hot})$ divided by the number of rows,
#   with the default `reduction="mean"`. Flattening $(T_x, m)$ into $T_x\,m$ rows also divides
#   by the number of steps, whereas our loss sums over time and averages over the $m$ examples:
#   PyTorch's gradients are ours divided by the number of steps (`reduction="sum"`, then
#   dividing by $m$, gives ours).

# %% [markdown]
# ## Summary
#
# - A weight shared by all steps gets the **sum** of the gradients of its per-step copies;
#   an input $x^{\langle t \rangle}$, used once, gets one step's gradient.
# - The gradient reaching $a^{\langle t \rangle}$ is the output's contribution
#   $W_{ya}^\top dz^{\langle t \rangle}$ **plus** what step $t+1$ sends back,
#   $W_{aa}^\top(\gamma^{\langle t+1 \rangle} \odot (1 - (a^{\langle t+1 \rangle})^2))$. Hence the
#   backward loop from $t = T_x$ down to 1 with a carried gradient, zero at the start;
#   what is carried out of step 1 is `da0`.
# - Softmax with cross-entropy has the gradient $\hat y - y$ with respect to the scores: the
#   softmax's Jacobian $\hat y_k(\delta_{kj} - \hat y_j)$ and the log's $-y_k / \hat y_k$
#   cancel, and $\sum_k y_k = 1$ does the rest. The mean over examples adds $1/m$.
# - The output layer gives `da[:, :, t-1]` $= W_{ya}^\top dz^{\langle t \rangle}$ and sums
#   $dW_{ya}$, $db_y$ over steps and examples.
# - Check every gradient separately, by the relative error, never by a signed sum. Central
#   differences and automatic differentiation are two independent references.

# %% [markdown]
# ## Exercises
#
# Answer on paper or in a new cell; the solution version of this notebook has the answers.
#
# ### Exercise 1: find the bug
#
# In `rnn_backward_suspect`, which line is wrong? Why is the relative error of that gradient
# *exactly* 1? Write the corrected line. Which gradients would the table have marked WRONG if
# the bug had instead been a missing carry (`cell = rnn_cell_backward(da[:, :, step], ...)`)?

# %% [markdown] tags=["answer"]
# **Answer.** The gradient check marks only `dba`, so the bug is in the one line that touches
# `dba`: `dba += dba` adds the accumulator to itself. It starts at zero and stays zero: the
# step's gradient `cell["dba"]` is never used. The relative error of a zero array against a
# non-zero $g$ is $\|0 - g\| / (0 + \|g\|) = 1$ exactly (it is also 1 when one gradient is the
# negative of the other: a relative error of 1 means "zero or opposite", a sign error or a term
# never added). The fix: `dba += cell["dba"]`. With a missing carry instead, every step would
# see only its own output: `dWax`, `dWaa`, `dba`, `dx` and `da0` would all be WRONG, while `dWya` and `dby`, computed by the
# output layer before BPTT, would stay ok. Only `dx[:, :, T_x - 1]`, the last step, which has
# nothing to receive, would still be right.

# %% [markdown]
# ### Exercise 2: many to one
#
# A sentiment classifier reads a whole review and predicts once, from the last state. Its loss
# depends on $\hat y^{\langle T_x \rangle}$ only. What is `da` then? Which of the two paths into
# $a^{\langle t \rangle}$ remain for $t < T_x$, and can `rnn_backward` be used unchanged? What do
# `dWya` and `dby` become?

# %% [markdown] tags=["answer"]
# **Answer.** `da` is zero except at the last step: `da[:, :, T_x - 1]` $= W_{ya}^\top dz^{\langle T_x \rangle}$.
# For $t < T_x$ only the second path remains: everything reaches $a^{\langle t \rangle}$ through
# the carry from step $t+1$. `rnn_backward` works unchanged with this `da` (it adds zeros at the
# other steps); the loss's gradient then has to travel up to $T_x - 1$ steps to reach the first
# inputs, which is where vanishing gradients hurt most. The output layer has a single term:
# `dWya` $= dz^{\langle T_x \rangle} a^{\langle T_x \rangle\top}$ and `dby` the sum of
# $dz^{\langle T_x \rangle}$ over the examples.

# %% [markdown]
# ## Going further (optional)
#
# Nothing graded depends on this section, and the core of the lesson ends above: take it now
# or come back to it. A second, independent check of every gradient by automatic
# differentiation, and two more exercises.
#
# ### A cross-check with automatic differentiation
#
# Central differences are slow (two forward passes per entry) but independent of our
# derivation. An **automatic differentiator** is fast and exact, and just as independent: it
# differentiates the forward pass, operation by operation, without ever seeing our formulas. The
# `autograd` package does this for NumPy code written with `autograd.numpy`, a NumPy look-alike
# that records every operation. Here is the whole model's loss, written once for any NumPy-like
# module `xp`; run with plain NumPy, it must give the same loss as your functions.

# %%
def loss_for_autodiff(xp, variables, y):
    """The full model's loss, written with the NumPy-like module xp (numpy or autograd.numpy).

    variables -- dict with Wax, Waa, Wya, ba, by (the usual shapes), x (n_x, m, T_x), a0 (n_a, m)
    y -- one-hot targets, shape (n_y, m, T_x)
    """
    a_t, total = variables["a0"], 0.0
    for step in range(y.shape[2]):
        a_t = xp.tanh(variables["Wax"] @ variables["x"][:, :, step]
                      + variables["Waa"] @ a_t + variables["ba"])  # (n_a, m)
        z_t = variables["Wya"] @ a_t + variables["by"]  # (n_y, m)
        z_t = z_t - xp.max(z_t, axis=0, keepdims=True)  # stable, as in lesson 01
        log_y_hat = z_t - xp.log(xp.sum(xp.exp(z_t), axis=0, keepdims=True))  # log softmax
        total = total - xp.sum(y[:, :, step] * log_y_hat)
    return total / y.shape[1]


variables_full = dict(parameters_full, x=x_full, a0=a0_full)
same_loss = np.isclose(loss_for_autodiff(np, variables_full, y_full),
                       model_loss(x_full, a0_full, parameters_full, y_full))
print("with plain NumPy, the same loss as your functions:", bool(same_loss))

# %% [markdown]
# `autograd.grad(f)` returns a function that computes the gradient of `f` with respect to its
# first argument; with a dict as argument, the gradient is a dict of the same keys. `autograd`
# is installed with the course's development tools, but perhaps not where you run this
# notebook; the cell below then says so and skips the comparison. (It stops with an error if
# `autograd` disagrees with your gradients by more than $10^{-7}$.)

# %%
try:
    import autograd.numpy as anp
    from autograd import grad
except ImportError:
    print("autograd is not installed: the cross-check is skipped (pip install autograd to run it).")
else:
    gradients_yours = model_gradients(x_full, a0_full, parameters_full, y_full)
    gradients_autograd = grad(lambda v: loss_for_autodiff(anp, v, y_full))(variables_full)
    disagreements = []
    for name, value in gradients_autograd.items():
        error = relative_error(gradients_yours["d" + name], value)
        # agreement is at the level of rounding, whose last digits differ between CPUs
        print(f"d{name:4} relative error to autograd: {robust.error_bound(error)}")
        if not error < 1e-7:
            disagreements.append("d" + name)
    assert not disagreements, f"your gradients disagree with autograd for {disagreements}"
    print("every gradient agrees with autograd")

# %% [markdown]
# ### More exercises

# %% [markdown]
# #### Exercise 3: no loop in the output layer
#
# The steps of `output_layer_backward` are independent. Compute `da`, `dWya` and `dby` without a
# Python loop (hint: `np.einsum`, or reshape `(n, m, T_x)` to `(n, m * T_x)`). Why can the loop
# of `rnn_backward` not be removed in the same way?

# %% [markdown] tags=["answer"]
# **Answer.** Treat the $m \cdot T_x$ (example, step) pairs as one big batch:
# `da = np.einsum("ya,ymt->amt", Wya, dz)`, `dWya = np.einsum("ymt,amt->ya", dz, a)` and
# `dby = dz.sum(axis=(1, 2))[:, None]`; equivalently `dz2 = dz.reshape(n_y, -1)`,
# `a2 = a.reshape(n_a, -1)`, `dWya = dz2 @ a2.T` and `da = (Wya.T @ dz2).reshape(n_a, m, T_x)`.
# In `rnn_backward` the gradient entering step $t$ contains what step $t+1$ sent back, which
# depends on step $t+2$, and so on: the steps form a chain of dependent computations, like the
# forward pass (lesson 02, exercise 3). Only the pieces that do not depend on the carry could
# leave the loop: once the gradients at the tanh inputs of all steps are known, `dWax`, `dWaa`,
# `dba` and `dx` are single products over all steps.

# %% [markdown]
# #### Exercise 4: soft targets
#
# With label smoothing, the targets are not one-hot: for example 0.9 for the right class and
# $0.1 / (n_y - 1)$ for each of the others. Does $\partial \ell / \partial z = \hat y - y$ still
# hold? Which step of the derivation decides, and what would the gradient be if the entries of
# $y$ summed to some $\zeta \ne 1$?

# %% [markdown] tags=["answer"]
# **Answer.** Yes. The derivation never used that $y$ is one-hot, only, in step 3, that
# $\sum_k y_k = 1$, which smoothed targets still satisfy; `softmax_cross_entropy` works for them
# unchanged. With $\sum_k y_k = \zeta$, step 3 gives $\partial \ell / \partial z_j = \zeta\, \hat y_j - y_j
# = \zeta\,(\hat y_j - y_j / \zeta)$. It still sums to 0 over the classes ($\zeta - \zeta$): the loss ignores a
# common shift of the scores whatever $y$ is. Read it as $\zeta$ times the gradient for the target
# distribution $y / \zeta$: the model is pulled towards the normalised target, with a step $\zeta$ times
# larger, as if the loss were multiplied by $\zeta$.
