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
# **Time.** About 70 minutes.
# Every symbol of the course, its meaning and shape: [the notation table](../docs/notation.md).
#
# A recurrent neural network (RNN) reads a sequence one element at a time. At every step it
# combines the new input with a *hidden state* that summarises everything it has read so far,
# and produces an updated hidden state and, if the task asks for one, a prediction. The whole
# network is this one computation, repeated at every time step with the same weights.
#
# **Goal.** Write that single time step, `rnn_cell_forward`, in NumPy, and understand every
# shape in it. Everything later in the course is built on this function: lesson 02 runs it along a
# sequence, lessons 03 and 04 differentiate it (backpropagation through time), and the LSTM of
# lesson 05 is a richer version of it.
#
# **You will build** a function that takes the input at step $t$ and the previous hidden state,
# for a whole batch of examples at once, and returns the new hidden state, the predicted class
# probabilities and a cache for the backward pass.
#
# **Prerequisites.** NumPy arrays, broadcasting and the matrix product `@`; the derivative of
# a function of one variable. No previous knowledge of recurrent networks is assumed.
#
# **How this notebook works.** Run the cells from top to bottom (Shift+Enter). Only one cell is
# yours to edit: the one marked `# YOUR CODE HERE`. The cell right below it checks your function
# and prints a one-line verdict, or tells you what is wrong and what probably caused it.

# %%
import matplotlib.pyplot as plt
import numpy as np

from rnn_utils import initialize_rnn_parameters, sigmoid, softmax

np.set_printoptions(precision=6, suppress=True)

# %% [markdown]
# ## Notation and shapes
#
# A sequence is written $x = (x^{\langle 1 \rangle}, x^{\langle 2 \rangle}, \dots, x^{\langle T_x \rangle})$.
# The superscript in angle brackets, $\langle t \rangle$, is the **time step**: it is not a power
# and not the index of an example. The sizes that appear in this course:
#
# | symbol | meaning |
# | --- | --- |
# | $n_x$ | size of one input vector $x^{\langle t \rangle}$ (for example the number of characters in a one-hot alphabet) |
# | $n_a$ | number of hidden units: the size of the hidden state $a^{\langle t \rangle}$ |
# | $n_y$ | number of output classes: the size of the prediction $\hat y^{\langle t \rangle}$ |
# | $m$ | number of examples processed together (the batch) |
# | $T_x$ | number of time steps (from lesson 02 on) |
#
# **One column per example.** We process $m$ sequences at once and store them *column-major*:
# the input at step $t$ is an array `xt` of shape $(n_x, m)$ whose column $e$ is the input vector
# of example $e$; the hidden state `a_prev` is $(n_a, m)$, column $e$ again belonging to
# example $e$. Why carry the batch dimension at all? Because $m$ matrix–vector products, one per
# example, then become a single matrix–matrix product, which NumPy hands to an optimised linear
# algebra library instead of looping in Python; and because training works on mini-batches
# anyway. The examples never mix: column $e$ of the result depends only on column $e$ of the
# inputs.
#
# The cell has five parameters, the same at every time step:
#
# | parameter | shape | what it does |
# | --- | --- | --- |
# | `Wax` $= W_{ax}$ | $(n_a, n_x)$ | maps the input $x^{\langle t \rangle}$ into the hidden space |
# | `Waa` $= W_{aa}$ | $(n_a, n_a)$ | maps the previous hidden state $a^{\langle t-1 \rangle}$: the recurrence |
# | `ba` $= b_a$ | $(n_a, 1)$ | bias of the hidden state, a column vector |
# | `Wya` $= W_{ya}$ | $(n_y, n_a)$ | maps the hidden state to one score per class |
# | `by` $= b_y$ | $(n_y, 1)$ | bias of the scores, a column vector |
#
# A way to remember the shapes: $W_{ax}$ reads "to $a$, from $x$". It multiplies an $x$ and
# produces something the size of $a$, so its shape is (size of $a$, size of $x$) $= (n_a, n_x)$.
# The same rule gives the other two.

# %% [markdown]
# ## The picture
#
# ![Diagram of one RNN step: the input and the previous hidden state, each multiplied by its weight matrix, are summed with the bias and passed through tanh; the new hidden state goes on to the next step and, through Wya, by and a softmax, to the prediction](../notebooks/figures/rnn_cell_forward.svg)
#
# Read the diagram from the two inputs. The input $x^{\langle t \rangle}$ enters from below and is
# multiplied by $W_{ax}$; the previous hidden state $a^{\langle t-1 \rangle}$ enters from the left
# and is multiplied by $W_{aa}$. Both products have shape $(n_a, m)$, so they can be added,
# together with the bias $b_a$. The sum goes through $\tanh$, elementwise, and the result is the
# new hidden state $a^{\langle t \rangle}$. It leaves the cell twice: to the right, where it becomes
# the "previous state" of step $t+1$, and upwards, where $W_{ya}$ and $b_y$ turn it into $n_y$
# scores per example and a softmax turns the scores into probabilities $\hat y^{\langle t \rangle}$.

# %% [markdown]
# ## The equations
#
# With the shape of every term written under it:
#
# $$
# \underbrace{a^{\langle t \rangle}}_{(n_a,\ m)}
# = \tanh\Big(
# \underbrace{W_{ax}}_{(n_a,\ n_x)} \underbrace{x^{\langle t \rangle}}_{(n_x,\ m)}
# + \underbrace{W_{aa}}_{(n_a,\ n_a)} \underbrace{a^{\langle t-1 \rangle}}_{(n_a,\ m)}
# + \underbrace{b_a}_{(n_a,\ 1)}
# \Big)
# $$
#
# $$
# \underbrace{\hat y^{\langle t \rangle}}_{(n_y,\ m)}
# = \operatorname{softmax}\Big(
# \underbrace{W_{ya}}_{(n_y,\ n_a)} \underbrace{a^{\langle t \rangle}}_{(n_a,\ m)}
# + \underbrace{b_y}_{(n_y,\ 1)}
# \Big)
# $$
#
# Check each product by cancelling the inner sizes: $(n_a, n_x)\,(n_x, m) \to (n_a, m)$,
# $(n_a, n_a)\,(n_a, m) \to (n_a, m)$ and $(n_y, n_a)\,(n_a, m) \to (n_y, m)$. The bracket of
# the first equation is therefore $(n_a, m)$ and that of the second $(n_y, m)$: one column per
# example. The $\tanh$ acts on every entry separately; the softmax acts on every **column**
# separately (one example's scores at a time).
#
# **The bias is a column, and it is broadcast.** $b_a$ has shape $(n_a, 1)$ while the products
# have shape $(n_a, m)$. NumPy stretches the axis of size 1, so the same bias column is added to
# every one of the $m$ columns: every example gets the same bias, as it should. (Written without
# broadcasting, the term is $b_a \mathbf 1_m^\top$, with $\mathbf 1_m$ a column of $m$ ones.) A
# small demonstration with $n_a = 3$ and $m = 4$:

# %%
products = np.arange(12.0).reshape(3, 4)  # stands for Wax @ xt + Waa @ a_prev: (n_a, m) = (3, 4)
bias = np.array([[100.0], [200.0], [300.0]])  # stands for ba: (n_a, 1) = (3, 1)
print("products + bias, shape", (products + bias).shape)
print(products + bias)

# %% [markdown]
# Row $j$ received $b_a[j]$ in every column. Exercise 1 at the end asks what goes wrong when the
# bias is stored as a flat vector of shape $(n_a,)$ instead.
#
# ## Why tanh?
#
# The hidden state is fed back into the cell at every step, so its nonlinearity matters more than
# in a feed-forward layer. The hyperbolic tangent has three properties that suit it well.
#
# - **Bounded.** $\tanh(u) \in (-1, 1)$. However long the sequence, the hidden state cannot grow
#   without limit in the forward pass.
# - **Zero-centred.** $\tanh(0) = 0$ and $\tanh(-u) = -\tanh(u)$. A hidden unit can signal
#   evidence for (positive) or against (negative), and the values fed into $W_{aa}$ at the next
#   step have no systematic positive offset.
# - **Its derivative is computed from its output.** Since
#   $\tanh = \sinh / \cosh$ and $\cosh^2 - \sinh^2 = 1$,
#   $$\frac{d}{du}\tanh(u) = \frac{\cosh^2 u - \sinh^2 u}{\cosh^2 u} = 1 - \tanh^2(u),$$
#   so with $a = \tanh(u)$ the local derivative is simply $1 - a^2$. The backward pass needs only
#   $a^{\langle t \rangle}$, which is in the cache; the pre-activation $u$ need not be stored.
#   Lesson 03 uses exactly this.
#
# **Compared with the sigmoid** $\sigma(u) = 1 / (1 + e^{-u})$: it is bounded too, but its values
# lie in $(0, 1)$ and are all positive, and its derivative $\sigma(1 - \sigma)$ is at most
# $1/4$, against $1$ for $\tanh$ at $0$. (In fact $\tanh(u) = 2\sigma(2u) - 1$: a sigmoid
# stretched to $(-1, 1)$.) A gradient that is multiplied by such a factor once per time step
# shrinks faster with the sigmoid. The sigmoid comes back in lesson 05, for the LSTM's gates,
# where a value between 0 and 1 is exactly what is wanted.
#
# **Compared with ReLU** $\max(0, u)$: it is not bounded, so a hidden state multiplied again and
# again by $W_{aa}$ can grow exponentially with $t$. ReLU recurrent networks can work, but only with
# careful initialisation; $\tanh$ is the standard choice (and PyTorch's default).
#
# The table below compares $1 - \tanh^2(u)$ with a central finite difference of $\tanh$, and
# with the derivative of the sigmoid.

# %%
u = np.linspace(-3.0, 3.0, 7)
a = np.tanh(u)
eps = 1e-5  # the finite-difference step (lesson 03 calls it epsilon)
finite_difference = (np.tanh(u + eps) - np.tanh(u - eps)) / (2 * eps)
s = sigmoid(u)
print("         u   1 - tanh(u)^2   finite diff.   sigmoid'(u)")
for row in zip(u, 1 - a**2, finite_difference, s * (1 - s)):
    print("{:10.1f} {:15.6f} {:14.6f} {:13.6f}".format(*row))

# %% [markdown]
# ## Softmax, and how to compute it without overflow
#
# The softmax turns a column of $n_y$ scores $z$ into probabilities:
#
# $$\operatorname{softmax}(z)_k = \frac{e^{z_k}}{\sum_{j=1}^{n_y} e^{z_j}}, \qquad k = 1, \dots, n_y.$$
#
# Every entry is positive and each column sums to 1. Written literally, it breaks down for large
# scores: $e^{1000}$ does not fit in a 64-bit float (the largest is about $1.8 \times 10^{308}$,
# and already $e^{710}$ exceeds it), so the fraction becomes $\infty / \infty$, which is `nan`.
# Very negative scores fail the other way: every $e^{z_j}$ rounds to $0$, giving $0/0$.
#
# The cure is one line. For any constant $\beta$, multiplying numerator and denominator by $e^{-\beta}$
# changes nothing:
#
# $$\operatorname{softmax}(z)_k = \frac{e^{-\beta}\, e^{z_k}}{e^{-\beta} \sum_j e^{z_j}} = \frac{e^{z_k - \beta}}{\sum_j e^{z_j - \beta}} = \operatorname{softmax}(z - \beta)_k .$$
#
# Choose $\beta = \max_j z_j$ (one $\beta$ per column). Then every exponent is $\le 0$, so nothing
# overflows, and the largest term is $e^0 = 1$, so the denominator is at least 1. Terms that still
# underflow to 0 belong to probabilities far below $10^{-300}$: zero is the right answer for
# them. `rnn_utils.softmax`, which you will use, is written this way.
#
# Below, the first column holds scores around 1000, the second ordinary scores, the third scores
# around $-1000$. All three columns differ only by a constant shift, so they must all give the same
# probabilities. NumPy would print a `RuntimeWarning` for the overflow and the invalid division; we
# silence it with `np.errstate` and look at the numbers instead.

# %%
def naive_softmax(z):
    """Softmax over axis 0, computed literally: overflows for large scores."""
    e = np.exp(z)
    return e / np.sum(e, axis=0, keepdims=True)


scores = np.array([
    [1000.0, 0.0, -1002.0],
    [1001.0, 1.0, -1001.0],
    [1002.0, 2.0, -1000.0],
])  # (n_y, m) = (3, 3): one column per example
with np.errstate(over="ignore", invalid="ignore"):
    naive = naive_softmax(scores)
print("naive softmax:")
print(naive)
print("rnn_utils.softmax:")
print(softmax(scores))
print("column sums:", softmax(scores).sum(axis=0))

# %% [markdown]
# The naive formula only survives the middle column; the stable one gives
# $(0.090031, 0.244728, 0.665241)$ for all three.
#
# ## Your turn: `rnn_cell_forward`
#
# In the function below, replace the two lines `# YOUR CODE HERE` and `raise NotImplementedError()`
# with your code:
#
# 1. Compute `a_next` with the first equation. Use `@` for the matrix products (`np.dot` works
#    too) and `np.tanh`. The bias `ba` is already a column: just add it.
# 2. Compute `yt_pred` with the second equation, using the `softmax` imported at the top (the
#    stable one; it works column by column).
# 3. Build `cache = (a_next, a_prev, xt, parameters)`, in this order: lesson 03 unpacks it.
#
# Three lines are enough. Do not loop over the examples, and do not change the inputs in place
# (`a_prev += ...` would overwrite the caller's array). The check cell below runs your function
# on several sizes where $n_x$, $n_a$, $n_y$ and $m$ all differ, so that a product written the
# wrong way round fails instead of passing by luck, and on size-1 edge cases; it compares every
# output with the reference and prints a single line when everything is right.

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
    # The parameters, with their shapes.
    Wax = parameters["Wax"]  # (n_a, n_x)
    Waa = parameters["Waa"]  # (n_a, n_a)
    Wya = parameters["Wya"]  # (n_y, n_a)
    ba = parameters["ba"]  # (n_a, 1)
    by = parameters["by"]  # (n_y, 1)
    ### BEGIN SOLUTION
    # (n_a, n_x) @ (n_x, m) + (n_a, n_a) @ (n_a, m) + (n_a, 1); ba broadcasts over the m columns.
    a_next = np.tanh(Wax @ xt + Waa @ a_prev + ba)  # (n_a, m)
    # (n_y, n_a) @ (n_a, m) + (n_y, 1), then a softmax down each column.
    yt_pred = softmax(Wya @ a_next + by)  # (n_y, m)
    cache = (a_next, a_prev, xt, parameters)
    ### END SOLUTION
    return a_next, yt_pred, cache


# %% points=2
from rnn_utils.checks import check_rnn_cell_forward

check_rnn_cell_forward(rnn_cell_forward)

# %% [markdown]
# ## A familiar cross-check
#
# Many students meet this cell first in the deeplearning.ai assignment "Building your Recurrent
# Neural Network - Step by Step". The next cell draws the same test inputs in the same order,
# with `np.random.seed(1)`: `xt` $(3, 10)$, `a_prev` $(5, 10)$, then `Waa`, `Wax`, `Wya`, `ba`,
# `by`. So $n_x = 3$, $n_a = 5$, $n_y = 2$, $m = 10$.

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

# %% [markdown]
# If you have done that assignment you will recognise the numbers: `a_next[4]` starts
# `0.59584544 0.18141802` and `yt_pred[1]` starts `0.9888161 0.01682021` there. They are the same
# numbers, printed here with six decimals.
#
# Three more properties are worth confirming, because they follow from the equations and not from
# any particular input: every column of `yt_pred` sums to 1; every hidden value lies strictly
# between $-1$ and $1$; and example $e$ can be computed alone, from column $e$ of the inputs
# (slicing with `3:4` keeps the column two-dimensional).

# %%
print("a_next shape:", a_next_tmp.shape, "  yt_pred shape:", yt_pred_tmp.shape)
print("column sums of yt_pred:", yt_pred_tmp.sum(axis=0))
print("largest |a_next|:", f"{np.abs(a_next_tmp).max():.6f}")
a_alone, _, _ = rnn_cell_forward(xt_tmp[:, 3:4], a_prev_tmp[:, 3:4], parameters_tmp)
print("example 3 alone matches column 3:", bool(np.allclose(a_alone[:, 0], a_next_tmp[:, 3])))

# %% [markdown]
# ## Experiment: when tanh saturates
#
# The pre-activation $u = W_{ax} x^{\langle t \rangle} + W_{aa} a^{\langle t-1 \rangle} + b_a$ grows
# with the size of the weights. `initialize_rnn_parameters(n_x, n_a, n_y, seed=..., scale=...)`
# draws each weight from a normal distribution with standard deviation
# $\text{scale} / \sqrt{\text{fan-in}}$, where the fan-in is the number of inputs a row of the
# matrix multiplies ($n_x$ for $W_{ax}$, $n_a$ for $W_{aa}$), and sets the biases to 0. So
# `scale=1` keeps $u$ of order 1. What happens to the hidden state as the scale grows?
#
# For each scale we run one step on a fixed batch of 500 random inputs and previous states, and
# report the spread of $u$, the fraction of hidden values with $|a| > 0.99$ (saturated: $\tanh$
# is flat there), and the average local derivative $1 - a^2$, the factor by which the backward
# pass will multiply gradients at this step.

# %%
n_x, n_a, n_y, m = 10, 64, 4, 500
rng = np.random.default_rng(0)
xt_batch = rng.standard_normal((n_x, m))  # (n_x, m)
a_prev_batch = np.tanh(rng.standard_normal((n_a, m)))  # (n_a, m), values in (-1, 1)

scales = [0.25, 0.5, 1.0, 2.0, 4.0, 8.0, 16.0]
saturated, mean_derivative, hidden = [], [], {}
table = [" scale   std of u   |a| > 0.99   mean of 1 - a^2"]
for scale in scales:
    params = initialize_rnn_parameters(n_x, n_a, n_y, seed=1, scale=scale)
    a_next, _, _ = rnn_cell_forward(xt_batch, a_prev_batch, params)
    u = params["Wax"] @ xt_batch + params["Waa"] @ a_prev_batch + params["ba"]
    saturated.append(np.mean(np.abs(a_next) > 0.99))
    mean_derivative.append(np.mean(1 - a_next**2))
    hidden[scale] = a_next
    table.append(f"{scale:6.2f} {u.std():10.3f} {saturated[-1]:12.3f} {mean_derivative[-1]:17.3f}")
print("\n".join(table))


# The same with four other networks and batches (seeds 1-4): the trend is not one draw's luck.
for seed in range(1, 5):
    rng_seed = np.random.default_rng([seed, 1])
    xt_other = rng_seed.standard_normal((n_x, m))  # (n_x, m)
    a_prev_other = np.tanh(rng_seed.standard_normal((n_a, m)))  # (n_a, m)
    a_others = [rnn_cell_forward(xt_other, a_prev_other, initialize_rnn_parameters(
        n_x, n_a, n_y, seed=seed + 1, scale=scale))[0] for scale in scales]
    assert np.all(np.diff([np.mean(np.abs(a) > 0.99) for a in a_others]) >= 0)
    assert np.all(np.diff([np.mean(1 - a**2) for a in a_others]) < 0)
print("for 4 more networks too, saturation grows and the mean of 1 - a^2 falls with the scale")

# %%
fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4))
bins = np.linspace(-1, 1, 41)
for scale, color in [(0.5, "tab:blue"), (4.0, "tab:orange")]:
    left.hist(hidden[scale].ravel(), bins=bins, alpha=0.6, color=color, label=f"scale = {scale}")
left.set_xlabel("hidden value $a$")
left.set_ylabel("count")
left.set_title("Distribution of $a^{\\langle t \\rangle}$")
left.legend()
right.plot(scales, saturated, "o-", label="fraction with |a| > 0.99")
right.plot(scales, mean_derivative, "s-", label="mean of $1 - a^2$")
right.set_xscale("log", base=2)
right.set_xticks(scales, [f"{scale:g}" for scale in scales])
right.set_xlabel("weight scale")
right.set_title("Saturation as the weights grow")
right.legend()
fig.tight_layout()
plt.show()

# %% [markdown]
# With small weights the hidden values cluster around 0, where $\tanh$ is almost linear and its
# derivative close to 1. As the scale grows, the values pile up at $\pm 1$: the unit behaves like
# a switch, its output hardly depends on small changes of its input, and $1 - a^2$ goes to 0. The
# forward pass still works, but a gradient flowing backwards through this step is multiplied by
# almost nothing. Keep this picture in mind for lesson 07, on vanishing and exploding gradients.
#
# ## From this notebook to PyTorch's `nn.RNN`
#
# `torch.nn.RNN(input_size=n_x, hidden_size=n_a)` computes the same hidden state. Its
# documentation writes the step as
#
# $$h_t = \tanh\big(x_t W_{ih}^\top + b_{ih} + h_{t-1} W_{hh}^\top + b_{hh}\big),$$
#
# which is our first equation **transposed**. PyTorch stores data *row-major*: one example per
# row, so $x_t$ is $(m, n_x)$ and $h_t$ is $(m, n_a)$. Transposing
# $W_{ax} x^{\langle t \rangle}$ gives $(x^{\langle t \rangle})^\top W_{ax}^\top$: the weight
# matrices keep exactly our shapes, and only the data is turned on its side.
#
# | this course | PyTorch | shape there |
# | --- | --- | --- |
# | `Wax` | `rnn.weight_ih_l0` | $(n_a, n_x)$, the same |
# | `Waa` | `rnn.weight_hh_l0` | $(n_a, n_a)$, the same |
# | `ba[:, 0]` | `rnn.bias_ih_l0 + rnn.bias_hh_l0` | two vectors of shape $(n_a,)$ |
# | `Wya`, `by[:, 0]` | `weight`, `bias` of a separate `nn.Linear(n_a, n_y)` | $(n_y, n_a)$, $(n_y,)$ |
# | `xt` $(n_x, m)$ | $x_t$ in the formula above | $(m, n_x)$ |
# | `x` $(n_x, m, T_x)$ | input | $(T_x, m, n_x)$; with `batch_first=True`, $(m, T_x, n_x)$ |
# | `a0` $(n_a, m)$ | `h0` | (`num_layers`, $m$, $n_a$) |
# | `np.tanh` | `nonlinearity="tanh"` | the default; `"relu"` is the alternative |
#
# Three differences deserve a sentence each.
#
# - **Two biases.** Only their sum ever appears in the equation, so together they play the role
#   of our single $b_a$: one of them is redundant. Keeping both is a convention PyTorch shares
#   with NVIDIA's cuDNN library, which runs its recurrent layers on GPUs.
# - **No output layer.** `nn.RNN` returns the hidden states only (`output`, all steps, and `h_n`,
#   the last one; `h_n` keeps the shape (`num_layers`, $m$, $n_a$) even with
#   `batch_first=True`). Our $W_{ya}$, $b_y$ live in a separate `nn.Linear`, and the softmax is
#   usually left to the loss: `nn.CrossEntropyLoss` takes raw scores and applies a (stable)
#   log-softmax itself.
# - **Sequence first.** By default PyTorch puts time first, $(T_x, m, n_x)$, so that `input[t]` is
#   the batch at step $t$; `batch_first=True` puts the examples first. Our layout puts time last.
#
# Converting one of our sequence arrays is a single `np.transpose`, which lists where each new
# axis comes from (our axes are 0: $n_x$, 1: $m$, 2: $T_x$):

# %%
x_ours = np.random.default_rng(2).standard_normal((3, 10, 4))  # (n_x, m, T_x) = (3, 10, 4)
x_seq_first = np.transpose(x_ours, (2, 1, 0))  # (T_x, m, n_x), PyTorch's default
x_batch_first = np.transpose(x_ours, (1, 2, 0))  # (m, T_x, n_x), batch_first=True
print("ours        (n_x, m, T_x):", x_ours.shape)
print("seq-first   (T_x, m, n_x):", x_seq_first.shape)
print("batch-first (m, T_x, n_x):", x_batch_first.shape)
print("x_seq_first[t] is xt transposed:", bool(np.array_equal(x_seq_first[2], x_ours[:, :, 2].T)))

# %% [markdown]
# Finally, PyTorch's row-major equation in NumPy, with the cross-check parameters and the bias
# split arbitrarily into two parts. Note that PyTorch's flat biases of shape $(n_a,)$ broadcast
# correctly here: in the row-major layout the hidden units are the *last* axis, which is the axis
# NumPy aligns a flat vector with.

# %%
W_ih = parameters_tmp["Wax"]  # (n_a, n_x)
W_hh = parameters_tmp["Waa"]  # (n_a, n_a)
b_ih = 0.3 * parameters_tmp["ba"][:, 0]  # (n_a,)
b_hh = 0.7 * parameters_tmp["ba"][:, 0]  # (n_a,); b_ih + b_hh is ba
x_rows = xt_tmp.T  # (m, n_x): one example per row
h_prev_rows = a_prev_tmp.T  # (m, n_a)
h_rows = np.tanh(x_rows @ W_ih.T + b_ih + h_prev_rows @ W_hh.T + b_hh)  # (m, n_a)
print("h shape:", h_rows.shape)
print("h equals a_next transposed:", bool(np.allclose(h_rows, a_next_tmp.T)))

# %% [markdown]
# ## Summary
#
# - One RNN step computes $a^{\langle t \rangle} = \tanh(W_{ax} x^{\langle t \rangle} + W_{aa} a^{\langle t-1 \rangle} + b_a)$
#   and $\hat y^{\langle t \rangle} = \operatorname{softmax}(W_{ya} a^{\langle t \rangle} + b_y)$,
#   with the same five parameters at every step.
# - Column-major layout: examples are columns; `xt` is $(n_x, m)$, `a_prev` and `a_next` are
#   $(n_a, m)$, `yt_pred` is $(n_y, m)$. A weight $W_{pq}$ has shape (size of $p$, size of $q$).
# - Biases are columns $(n, 1)$ and broadcast over the $m$ examples.
# - $\tanh$ is bounded and zero-centred, and its derivative $1 - a^2$ needs only its output,
#   which is why the cache keeps `a_next`.
# - Softmax is computed as $\operatorname{softmax}(z - \max z)$: the same value, with no overflow.
# - Large weights saturate $\tanh$: the hidden values go to $\pm 1$ and the local derivative to 0.
# - PyTorch's `nn.RNN` is the same cell, transposed (examples in rows), with two biases that add
#   up to $b_a$ and without the output layer.
#
# ## Exercises
#
# Answer on paper or in a new cell; the solution version of this notebook has the answers
# (the student version has none: try each exercise before comparing with them).
#
# **Exercise 1 (broadcasting).** Suppose `ba` were stored with shape $(n_a,)$ instead of
# $(n_a, 1)$ and you kept `np.tanh(Wax @ xt + Waa @ a_prev + ba)`. What happens when
# $m \ne n_a$? And when $m = n_a$? *Hint:* NumPy aligns shapes from the right.

# %% [markdown] tags=["answer"]
# **Answer.** NumPy treats a flat $(n_a,)$ array as a *row* of shape $(1, n_a)$ and lines it up
# with the last axis, which here is the batch axis $m$.
#
# - If $m \ne n_a$, the shapes $(n_a, m)$ and $(n_a,)$ cannot be broadcast and NumPy raises a
#   `ValueError`. That is the lucky case.
# - If $m = n_a$, nothing complains: entry $b_a[j]$ is added to every hidden unit of
#   **example** $j$, instead of to **unit** $j$ of every example. The result has the right shape
#   and wrong values, and each example gets a different bias.
#
# This is why the checks always use $m \ne n_a$, and why the functions of `rnn_utils` validate
# shapes on entry. (In PyTorch's row-major layout a flat bias is correct, since the units are the
# last axis there.)

# %% tags=["answer"]
products = np.zeros((3, 3))  # (n_a, m) with m = n_a = 3
ba_flat = np.array([1.0, 2.0, 3.0])  # (n_a,): wrong
print("column bias, right:")
print(products + ba_flat[:, np.newaxis])
print("flat bias, wrong (no error!):")
print(products + ba_flat)
try:
    np.zeros((3, 4)) + ba_flat  # m = 4 != n_a
except ValueError as error:
    print("with m = 4:", error)

# %% [markdown]
# **Exercise 2 (counting).** How many numbers does the cell learn, as a function of $n_x$, $n_a$,
# $n_y$? Does the count depend on $m$ or on the length $T_x$ of the sequence? Evaluate it for the
# cross-check sizes ($n_x = 3$, $n_a = 5$, $n_y = 2$) and for a character-level model with a
# 27-letter alphabet ($n_x = n_y = 27$) and $n_a = 100$. How many does PyTorch's
# `nn.RNN(27, 100)` plus `nn.Linear(100, 27)` have?

# %% [markdown] tags=["answer"]
# **Answer.** $n_a n_x + n_a^2 + n_a + n_y n_a + n_y = n_a(n_x + n_a + 1) + n_y(n_a + 1)$. It depends
# neither on $m$ (the same parameters serve every example) nor on $T_x$ (the same parameters serve
# every step). For the cross-check sizes: $5 \cdot 9 + 2 \cdot 6 = 57$. For the character model:
# $100 \cdot 128 + 27 \cdot 101 = 15\,527$. PyTorch has one more bias vector of size $n_a$:
# $15\,627$. Notice that $W_{aa}$ alone holds $n_a^2 = 10\,000$ of them.

# %% tags=["answer"]
for sizes in [(3, 5, 2), (27, 100, 27)]:
    params = initialize_rnn_parameters(*sizes)
    count = sum(value.size for value in params.values())
    print("n_x, n_a, n_y =", sizes, "->", count, "parameters")

# %% [markdown]
# **Exercise 3 (weight sharing).** Why does the network use the same $W_{aa}$ (and $W_{ax}$,
# $b_a$, $W_{ya}$, $b_y$) at every time step, rather than a separate matrix for each $t$? Give at
# least two reasons, and one consequence for the backward pass.

# %% [markdown] tags=["answer"]
# **Answer.**
#
# - **Any length.** With one set of parameters the network can read a sequence of any length,
#   including lengths never seen in training. Per-step matrices would fix a maximum $T_x$.
# - **Size.** The number of parameters does not grow with the sequence length.
# - **The same pattern anywhere.** A word or a motif means much the same at step 3 as at step 30.
#   Sharing lets what is learnt at one position apply at all positions, and every position of every
#   training sequence contributes to learning the same weights. It is the time-axis counterpart of
#   a convolution sharing its filter across positions in an image.
#
# Consequence: $W_{aa}$ influences the loss through every step, so its gradient is the **sum** of
# the contributions of all time steps. Lesson 04 computes exactly this sum.

# %% [markdown]
# **Exercise 4 (softmax with one class).** What does the softmax output when $n_y = 1$, whatever
# the scores? What does that mean for learning? How would you model a yes/no label instead?

# %% [markdown] tags=["answer"]
# **Answer.** With a single score per column, $\operatorname{softmax}(z) = e^{z} / e^{z} = 1$ for
# every example. The prediction carries no information, and since it does not depend on $z$ its
# gradient is zero: nothing can be learnt. For a binary label use either $n_y = 2$ with the
# softmax, or one output with a sigmoid. The two are the same model: with scores $(z, 0)$,
# $\operatorname{softmax}_1 = e^z / (e^z + 1) = \sigma(z)$.

# %% tags=["answer"]
z_one = np.array([[-3.0, 0.0, 5.0]])  # (n_y, m) = (1, 3)
print("softmax with n_y = 1:", softmax(z_one))
z_two = np.vstack([z_one, np.zeros_like(z_one)])  # scores (z, 0): (2, 3)
print("softmax of (z, 0), first row:", softmax(z_two)[0])
print("sigmoid(z):                  ", sigmoid(z_one)[0])

# %% [markdown]
# **Exercise 5 (stacking).** Show that $W_{ax} x^{\langle t \rangle} + W_{aa} a^{\langle t-1 \rangle}$
# equals one product $W_a \begin{bmatrix} a^{\langle t-1 \rangle} \\ x^{\langle t \rangle} \end{bmatrix}$
# with $W_a = [\,W_{aa} \;\; W_{ax}\,]$. What are the shapes of $W_a$ and of the stacked vector?
# Check it numerically with `np.hstack` and `np.vstack` on the cross-check inputs. (The LSTM of
# lesson 05 is written in this stacked form.)

# %% [markdown] tags=["answer"]
# **Answer.** $W_a = [\,W_{aa} \;\; W_{ax}\,]$ has shape $(n_a, n_a + n_x)$ and the stacked input
# has shape $(n_a + n_x, m)$. Multiplying block by block, the first $n_a$ columns of $W_a$ meet the
# first $n_a$ rows of the stack, the last $n_x$ columns meet the last $n_x$ rows:
# $W_a \begin{bmatrix} a \\ x \end{bmatrix} = W_{aa} a + W_{ax} x$, of shape $(n_a, m)$. The order
# of the blocks in $W_a$ must match the order of the blocks in the stack.

# %% tags=["answer"]
W_a = np.hstack([parameters_tmp["Waa"], parameters_tmp["Wax"]])  # (n_a, n_a + n_x) = (5, 8)
stacked = np.vstack([a_prev_tmp, xt_tmp])  # (n_a + n_x, m) = (8, 10)
separate = parameters_tmp["Wax"] @ xt_tmp + parameters_tmp["Waa"] @ a_prev_tmp  # (5, 10)
print("W_a:", W_a.shape, "  stacked:", stacked.shape)
print("same result:", bool(np.allclose(W_a @ stacked, separate)))
