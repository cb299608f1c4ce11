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
# **Time.** About 70 minutes for the core, 20 more for the optional Going further at the end.
# Every symbol of the course, its meaning and shape: [the notation table](../docs/notation.md).
#
# ## Goal and prerequisites
#
# **Goal.** Write `rnn_cell_backward(da_next, cache)`, the backward pass of one RNN step: how
# much the loss $\mathcal L$ changes with every number that went into the step, each gradient
# derived in small steps. Then write `numerical_gradient`, a slow but independent way to compute
# a gradient, and use it to show that your backward pass is right. Lesson 04 chains the steps.
#
# **What `da_next` is.** The backward pass starts from
# `da_next` $= \partial \mathcal L / \partial a^{\langle t \rangle}$, of the shape of
# $a^{\langle t \rangle}$, $(n_a, m)$: entry $[i, e]$ says how fast the loss grows when hidden
# unit $i$ of example $e$ grows. It is the **upstream gradient**, computed and sent down by
# whatever uses $a^{\langle t \rangle}$: the output layer of step $t$, and step $t+1$. It is not
# noise, nor a regulariser. Here it is drawn at random only because the function must work for
# *any* upstream gradient; lesson 04 shows where the real one comes from.
#
# **Why the output layer is not here.** $a^{\langle t \rangle}$ reaches the loss along two roads,
# through the prediction $\hat y^{\langle t \rangle}$ and through the next step. The cell's
# backward pass need not know either: it receives the *sum* of what both send, as one `da_next`,
# and returns the gradients of what went into the tanh. The output layer and its loss get their
# own backward pass in lesson 04, which adds the two contributions and then calls your function.
#
# **Prerequisites.** Lesson 01: the cell, its shapes, its cache `(a_next, a_prev, xt, parameters)`
# and the derivative $1 - a^2$ of tanh; the chain rule in one variable; the matrix product. This
# notebook imports the course's reference `rnn_cell_forward`, so a mistake left in lesson 01
# cannot block this lesson.
#
# **How this notebook works.** Two cells are yours, `rnn_cell_backward` and `numerical_gradient`,
# each followed by a check cell. Later cells run your functions: complete them in order.

# %%
import matplotlib.pyplot as plt
import numpy as np

from rnn_utils import initialize_rnn_parameters, relative_error, robust
from rnn_utils.reference import rnn_cell_forward

np.set_printoptions(precision=6, suppress=True)

# %% [markdown]
# ## The picture
#
# ![One RNN step, backward: da<t> (n_a, m) enters from the right and is multiplied elementwise by 1 - a<t>^2 to give du (n_a, m); du is summed over the examples into dba (n_a, 1); at the sum node du goes up to dWax = du x<t>^T (n_a, n_x), down through Wax^T to dx<t> (n_x, m), and left through Waa^T to da<t-1> (n_a, m), with a branch up to dWaa = du a<t-1>^T (n_a, n_a)](../notebooks/figures/rnn_cell_backward.svg)
#
# The forward diagram of lesson 01, run backwards from the right (the output layer left out).
# $da^{\langle t \rangle}$ crosses the tanh: multiplied entry by entry by the slope
# $1 - (a^{\langle t \rangle})^2$, it becomes $du$, the gradient of the pre-activation. The sum
# node hands $du$ unchanged to each term: the weights get $du$ times their input, transposed; the
# inputs get the weight, transposed, times $du$; the bias gets $du$ summed over the examples.
# $da^{\langle t-1 \rangle}$ leaves to the left, towards step $t-1$: the road of backpropagation
# through time. Everything the boxes need is in the cache.

# %% [markdown]
# ## The equations and the shapes
#
# The forward step, with the pre-activation $u$ given a name:
#
# $$
# \underbrace{u}_{(n_a,\ m)} = \underbrace{W_{ax}}_{(n_a,\ n_x)} \underbrace{x^{\langle t \rangle}}_{(n_x,\ m)}
# + \underbrace{W_{aa}}_{(n_a,\ n_a)} \underbrace{a^{\langle t-1 \rangle}}_{(n_a,\ m)}
# + \underbrace{b_a}_{(n_a,\ 1)},
# \qquad
# \underbrace{a^{\langle t \rangle}}_{(n_a,\ m)} = \tanh(u).
# $$
#
# **Notation.** $\mathcal L$ is one number. For any array $X$ it depends on, $dX$ is the array of
# **the same shape** as $X$ with entries $dX[i, j] = \partial \mathcal L / \partial X[i, j]$. From
# $da^{\langle t \rangle}$ and the cache, the backward pass computes:
#
# | gradient | formula | shapes | result |
# | --- | --- | --- | --- |
# | `du` | $da^{\langle t \rangle} * \big(1 - (a^{\langle t \rangle})^2\big)$ | elementwise, $(n_a, m)$ | $(n_a, m)$ |
# | `dWax` | $du\, (x^{\langle t \rangle})^\top$ | $(n_a, m)\,(m, n_x)$ | $(n_a, n_x)$ |
# | `dxt` | $W_{ax}^\top\, du$ | $(n_x, n_a)\,(n_a, m)$ | $(n_x, m)$ |
# | `dWaa` | $du\, (a^{\langle t-1 \rangle})^\top$ | $(n_a, m)\,(m, n_a)$ | $(n_a, n_a)$ |
# | `da_prev` | $W_{aa}^\top\, du$ | $(n_a, n_a)\,(n_a, m)$ | $(n_a, m)$ |
# | `dba` | $\sum_{e=1}^{m} du[:, e]$ | sum over the examples | $(n_a, 1)$ |
#
# $*$ is the elementwise product, juxtaposition the matrix product. The rest of this section
# derives these lines.
#
# ## The derivation, in small steps
#
# ### Step 1: through the tanh
#
# Entry $a^{\langle t \rangle}[i, e] = \tanh(u[i, e])$ depends on **one** entry of $u$, the one
# at the same place, and $u[i, e]$ influences nothing else. The chain rule in one variable gives
#
# $$
# du[i, e] = \frac{\partial \mathcal L}{\partial a^{\langle t \rangle}[i, e]} \cdot \tanh'(u[i, e])
# = da^{\langle t \rangle}[i, e]\,\big(1 - a^{\langle t \rangle}[i, e]^2\big).
# $$
#
# No sum appears, so for all entries at once it is the **elementwise** product
# `du = da_next * (1 - a_next**2)`, $(n_a, m)$; not `@`, which would mix entries (and which NumPy
# would even accept, wrongly, whenever $m = n_a$).
#
# **Why $1 - a^2$, and not $1 - \tanh(a)^2$?** $\tanh'(u) = 1 - \tanh(u)^2$, and $\tanh(u)$ *is*
# $a^{\langle t \rangle}$, which the cache holds. `1 - np.tanh(a_next)**2` applies tanh a second
# time: it evaluates the slope at the point $a^{\langle t \rangle}$ instead of $u$. This classic
# bug hides well, since for small values $\tanh(a) \approx a$. The table compares both with a
# finite-difference slope of tanh at $u$:

# %%
u = np.array([-3.0, -1.0, -0.1, 0.5, 2.0])
a = np.tanh(u)
slope = (np.tanh(u + 1e-5) - np.tanh(u - 1e-5)) / 2e-5  # the true slope at u
print("     u   a = tanh(u)   1 - a^2   1 - tanh(a)^2   finite difference at u")
for row in zip(u, a, 1 - a**2, 1 - np.tanh(a) ** 2, slope):
    print("{:6.1f} {:11.6f} {:9.6f} {:15.6f} {:20.6f}".format(*row))

# %% [markdown]
# Near $u = 0$ the two nearly agree; at $u = 2$ the buggy slope is 0.44 instead of 0.07, and at
# $u = -3$ 0.42 instead of 0.01. This is also why the cache keeps $a^{\langle t \rangle}$ and not
# $u$: the output alone gives the slope.
#
# ### Step 2: through the sum
#
# $u = p + q + b_a$ with $p = W_{ax} x^{\langle t \rangle}$ and $q = W_{aa} a^{\langle t-1 \rangle}$.
# As $\partial u[i, e] / \partial p[i, e] = 1$, the sum passes the gradient on unchanged:
# $dp = dq = du$. (The bias is broadcast, so it needs a moment more: step 5.)
#
# ### Step 3: one entry of `dWaa`
#
# Write the product out: $q[i, e] = \sum_j W_{aa}[i, j]\, a^{\langle t-1 \rangle}[j, e]$. The
# weight $W_{aa}[i, j]$ appears in $q[i, e]$ for **every example** $e$, multiplied by
# $a^{\langle t-1 \rangle}[j, e]$, and the chain rule adds up all the ways it influences the loss:
#
# $$
# dW_{aa}[i, j] = \sum_{e=1}^{m} du[i, e]\; a^{\langle t-1 \rangle}[j, e]
# = \sum_{e=1}^{m} du[i, e]\; (a^{\langle t-1 \rangle})^\top[e, j]
# = \big(du\, (a^{\langle t-1 \rangle})^\top\big)[i, j].
# $$
#
# The last step recognises a matrix product, a sum over a shared index. So
# `dWaa = du @ a_prev.T`, $(n_a, m)\,(m, n_a) \to (n_a, n_a)$: the product itself sums over the
# batch. In the same way `dWax = du @ xt.T`, $(n_a, n_x)$.
#
# ### Step 4: one entry of `da_prev`
#
# Now fix an entry of the input: $a^{\langle t-1 \rangle}[j, e]$ appears in $q[i, e]$ for **every
# unit** $i$ (of column $e$ only), multiplied by $W_{aa}[i, j]$:
#
# $$
# da^{\langle t-1 \rangle}[j, e] = \sum_{i=1}^{n_a} du[i, e]\; W_{aa}[i, j]
# = \sum_{i=1}^{n_a} W_{aa}^\top[j, i]\; du[i, e]
# = \big(W_{aa}^\top\, du\big)[j, e].
# $$
#
# So `da_prev = Waa.T @ du`, $(n_a, n_a)\,(n_a, m) \to (n_a, m)$, and likewise
# `dxt = Wax.T @ du`, $(n_x, m)$. Column $e$ depends on column $e$ of `du` only: the examples do
# not mix, as in the forward pass.
#
# ### The "make the shapes match" rule
#
# Steps 3 and 4 give a rule worth remembering. For a forward product $Y = W X$:
#
# $$dW = dY\, X^\top \qquad\qquad dX = W^\top\, dY.$$
#
# As a memory aid: a gradient has the shape of its variable and is built from $dY$ and the
# *other* factor, and usually only one arrangement has the right shape. For `dWax`, $(n_a, n_x)$,
# from `du` $(n_a, m)$ and `xt` $(n_x, m)$, only `du @ xt.T` fits.
#
# **When the shapes are not enough.** $W_{aa}$ is square: `a_prev @ du.T` is $(n_a, n_a)$ too,
# but it is the *transpose* of the right answer, and `Waa @ du` has the shape of `Waa.T @ du`.
# So derive first, let the shapes confirm, then check the numbers (gradient checking, below). The
# cell shows both traps, and tests the formula of step 3 on one entry.

# %%
rng = np.random.default_rng(0)
n_a, m = 4, 5
# Names end in _demo so that they cannot stand in for a variable your function forgot to define.
du_demo, a_prev_demo = rng.standard_normal((n_a, m)), rng.standard_normal((n_a, m))  # (n_a, m)
Waa_demo = rng.standard_normal((n_a, n_a))  # (n_a, n_a)
for text, right, wrong in (
    ("du @ a_prev.T, a_prev @ du.T", du_demo @ a_prev_demo.T, a_prev_demo @ du_demo.T),
    ("Waa.T @ du,    Waa @ du     ", Waa_demo.T @ du_demo, Waa_demo @ du_demo),
):
    print(f"{text}: shapes {right.shape}, {wrong.shape}; same values: {np.allclose(right, wrong)}")
entry = sum(du_demo[1, e] * a_prev_demo[2, e] for e in range(m))  # step 3, for i=1, j=2
print("step 3 for entry [1, 2] equals (du @ a_prev.T)[1, 2]:",
      bool(np.isclose(entry, (du_demo @ a_prev_demo.T)[1, 2])))

# %% [markdown]
# ### Step 5: the bias, summed over the batch
#
# $b_a$, a column $(n_a, 1)$, is added to every one of the $m$ columns, so $b_a[i]$ influences
# $u[i, 1], \dots, u[i, m]$, each with slope 1, and the chain rule sums:
# $db_a[i] = \sum_{e=1}^{m} du[i, e]$. In NumPy, `np.sum(du, axis=1, keepdims=True)`: axis 1 runs
# over the examples, and `keepdims=True` keeps the column shape $(n_a, 1)$ of $b_a$. The rule
# above agrees: the bias is a weight whose input is always 1, and $du\, \mathbf 1_m$ sums the
# columns.
#
# **Why a sum and not a mean?** The derivative of a sum of contributions is the sum of their
# derivatives; nothing in the chain rule divides by $m$. If the loss *averages* over the examples,
# its $1/m$ is already inside `da_next` (lesson 04's loss sends $(\hat y - y)/m$). Dividing again
# would count it twice, and `dba` would no longer match `dWax` and `dWaa`, which sum too.
#
# ## Your turn: `rnn_cell_backward`
#
# Replace `# YOUR CODE HERE` and `raise NotImplementedError()` with code that computes `du`
# (step 1: elementwise, with `a_next`, not `np.tanh(a_next)`), then `dxt`, `dWax`, `da_prev`,
# `dWaa` (steps 3 and 4) and `dba` (step 5: sum over axis 1, keep the column). Six lines suffice,
# without loops; do not modify `da_next` or the cache in place. The check uses cases where $n_x$,
# $n_a$ and $m$ all differ, and size-1 edge cases.

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
    # a_next = tanh(u), and tanh'(u) = 1 - tanh(u)^2 = 1 - a_next^2: no need to recompute u.
    du = da_next * (1 - a_next**2)  # (n_a, m), elementwise
    dxt = Wax.T @ du  # (n_x, n_a) @ (n_a, m) -> (n_x, m)
    dWax = du @ xt.T  # (n_a, m) @ (m, n_x) -> (n_a, n_x), summed over the m examples
    da_prev = Waa.T @ du  # (n_a, n_a) @ (n_a, m) -> (n_a, m)
    dWaa = du @ a_prev.T  # (n_a, m) @ (m, n_a) -> (n_a, n_a)
    dba = np.sum(du, axis=1, keepdims=True)  # (n_a, 1): ba was added to every example
    ### END SOLUTION
    return {"dxt": dxt, "da_prev": da_prev, "dWax": dWax, "dWaa": dWaa, "dba": dba}

# %% points=4
from rnn_utils.checks import check_rnn_cell_backward

check_rnn_cell_backward(rnn_cell_backward)

# %% [markdown]
# **A word on test inputs.** The widely circulated assignment that these exercises resemble
# tests `rnn_cell_backward` on inputs built by hand: it draws a new bias into a variable `b` but
# passes the stale `ba` in `parameters`, so its printed figures do not follow from the inputs it
# shows. A test is only as good as its inputs: build them in one place and pass that on as it is.
#
# ## Gradient checking
#
# Outside a course there is no reference to compare with, and a derivation can be wrong.
# Gradient checking compares a backward pass with the *definition* of the derivative, which
# needs nothing but the forward pass.
#
# ### Central differences
#
# For $F$ of one number, Taylor's formula gives
# $F(x \pm \varepsilon) = F(x) \pm \varepsilon F'(x) + \tfrac{\varepsilon^2}{2} F''(x)
# \pm \tfrac{\varepsilon^3}{6} F'''(x) + \dots$, hence two estimates of $F'(x)$:
#
# $$
# \underbrace{\frac{F(x + \varepsilon) - F(x)}{\varepsilon}}_{\text{one-sided}}
# = F'(x) + \underbrace{\tfrac{\varepsilon}{2} F''(x) + \dots}_{O(\varepsilon)},
# \qquad
# \underbrace{\frac{F(x + \varepsilon) - F(x - \varepsilon)}{2 \varepsilon}}_{\text{central}}
# = F'(x) + \underbrace{\tfrac{\varepsilon^2}{6} F'''(x) + \dots}_{O(\varepsilon^2)}.
# $$
#
# In the central difference the even terms cancel: dividing $\varepsilon$ by 10 divides its
# error by 100, against 10 for the one-sided one. But each value of $F$ carries a rounding error
# of about $\mu\,|F|$, with $\mu \approx 1.1 \times 10^{-16}$ in float64 (the unit roundoff), and
# the quotient divides it by $\varepsilon$: a rounding error of about $\mu\,|F| / \varepsilon$, which *grows* as
# $\varepsilon$ shrinks. The experiment estimates the slope of tanh at $x = 0.5$, exactly
# $1 - \tanh(0.5)^2$, for many $\varepsilon$.

# %%
x0 = 0.5
exact = 1 - np.tanh(x0) ** 2
epsilons = np.logspace(-1, -13, 49)  # from 1e-1 down to 1e-13, four per decade
one_sided = np.abs((np.tanh(x0 + epsilons) - np.tanh(x0)) / epsilons - exact)
central = np.abs((np.tanh(x0 + epsilons) - np.tanh(x0 - epsilons)) / (2 * epsilons) - exact)
print("    eps   one-sided error   central error")
for k in (0, 4, 8, 12):  # eps = 1e-1, 1e-2, 1e-3, 1e-4, where truncation dominates
    print(f"{epsilons[k]:7.0e} {one_sided[k]:17.1e} {central[k]:15.1e}")
# Below eps = 1e-4 rounding takes over: its last digits differ between CPUs, so only bounds print.
print("smallest central error below 1e-10:    ", bool(central.min() < 1e-10))
print("smallest one-sided error above 1e-10:  ", bool(one_sided.min() > 1e-10))
print("smallest central error at an eps between 1e-7 and 1e-4:",
      bool(1e-7 <= epsilons[np.argmin(central)] <= 1e-4))

fig, ax = plt.subplots(figsize=(7, 4.5))
ax.loglog(epsilons, one_sided, "o-", markersize=3, label="one-sided: error O(eps)")
ax.loglog(epsilons, central, "s-", markersize=3, label="central: error O(eps$^2$)")
ax.loglog(epsilons, 1.1e-16 * np.tanh(x0) / epsilons, "k--", linewidth=1,
          label="rounding: about $\\mu$ |f| / eps")
ax.set_xlabel("eps")
ax.set_ylabel("error of the estimated slope")
ax.set_title("Finite differences of tanh at x = 0.5, in float64")
ax.legend()
plt.show()

# %% [markdown]
# From the right: while truncation dominates, the errors fall along lines of slope 1 (one-sided)
# and 2 (central); then rounding takes over and the error *rises* again, noisily, along the
# dashed line: the V shape. Central differences get below $10^{-10}$, at an $\varepsilon$
# between $10^{-7}$ and $10^{-4}$ (the exact figures are rounding, so they depend on the CPU:
# the last three lines print the bounds that hold on every one); one-sided ones never get below
# $10^{-10}$. Hence the default of `numerical_gradient`: central differences with
# $\varepsilon = 10^{-6}$, near the bottom of the V.
#
# **Why float64.** In float32, $\mu \approx 6 \times 10^{-8}$: at $\varepsilon = 10^{-6}$ rounding
# alone is about $\mu / \varepsilon = 6 \times 10^{-2}$ relative to $F$, and the best
# $\varepsilon$, where truncation $\varepsilon^2$ and rounding $\mu / \varepsilon$ balance,
# leaves an estimated $\mu^{2/3} \approx 10^{-5}$ (the float32 check below measures it). Networks
# train in float32, but their gradients are checked in float64.
#
# ### The relative error
#
# To compare an analytic gradient $a$ with a numerical one $b$ (whole arrays) we use
# $\lVert a - b \rVert / (\lVert a \rVert + \lVert b \rVert)$, with the Euclidean norm over all
# entries (`rnn_utils.relative_error`). It is scale-free, so it means the same for gradients of
# size $10^{-3}$ and $10^{3}$ (and it is 0 when both are 0). The norm squares the differences, so
# errors of opposite signs cannot cancel as in a signed sum (a real debugging thread went astray
# that way). In float64 with $\varepsilon = 10^{-6}$, for a smooth function, expect about
# $10^{-7}$ or less for a right gradient and above $10^{-4}$ for a wrong one; in between is
# suspicious (look at which entries differ, try another $\varepsilon$).
#
# **Kinks.** Where the slope jumps (ReLU, `abs`, `max`), $x \pm \varepsilon$ may fall on both
# sides and the quotient mixes two slopes: a correct gradient can fail. tanh is smooth.
#
# ## Your turn: `numerical_gradient`
#
# Complete the function below: for every index of `x`, whatever its number of axes
# (`for index in np.ndindex(x.shape):`), save `x[index]`; set it to the saved value plus `eps`
# and evaluate `f(x)`; set it to the saved value minus `eps` and evaluate again; **restore**
# `x[index]` (the next entry needs the true `x`, and the caller gets `x` back unchanged); store
# the central difference in `grad[index]`. Perturbing `x` in place, rather than copying it, lets
# `f` see the change even when `x` is, say, a weight matrix held in a dictionary. The type test
# at the top is written for you.

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
from rnn_utils.checks import check_numerical_gradient

check_numerical_gradient(numerical_gradient)

# %% [markdown]
# ## Guided exercise: check your backward pass with your gradient check
#
# `rnn_cell_backward` takes an arbitrary upstream gradient, while `numerical_gradient` needs a
# function that returns **one number**. The standard trick joins them: for a fixed array $G$ of
# shape $(n_a, m)$, take the loss $\mathcal L = \sum_{i, e} G[i, e]\, a^{\langle t \rangle}[i, e]$,
# in NumPy `np.sum(G * a_next)`. It is linear in $a^{\langle t \rangle}$ with coefficients $G$, so
# $\partial \mathcal L / \partial a^{\langle t \rangle} = G$ **exactly**: its upstream gradient is
# $G$. Hence `rnn_cell_backward(G, cache)` must return the gradients of this $\mathcal L$, and
# `numerical_gradient` can estimate them by rerunning the forward step on perturbed inputs.
#
# The helpers below are written for you; read them. `cell_loss` is $\mathcal L$ as a function of
# the step's inputs, held in one dict `point`; `numerical_cell_gradients` calls your
# `numerical_gradient` once per input.

# %%
PARAMETER_NAMES = ("Wax", "Waa", "Wya", "ba", "by")


def cell_loss(point, G, dtype=np.float64):
    """L = sum(G * a_next) of one forward step computed in `dtype`, as a float.

    point -- dict with xt (n_x, m), a_prev (n_a, m) and the parameters (lesson 01 shapes)
    G -- the upstream gradient to test with, shape (n_a, m)
    """
    cast = {name: value.astype(dtype) for name, value in point.items()}
    parameters = {name: cast[name] for name in PARAMETER_NAMES}
    a_next, _, _ = rnn_cell_forward(cast["xt"], cast["a_prev"], parameters)  # (n_a, m)
    return float(np.sum(G.astype(dtype) * a_next))


def numerical_cell_gradients(point, G, eps=1e-6, dtype=np.float64):
    """Your numerical_gradient of cell_loss with respect to xt, a_prev, Wax, Waa and ba:
    a dict with the keys and shapes of rnn_cell_backward's result."""
    gradients = {}
    for name in ("xt", "a_prev", "Wax", "Waa", "ba"):
        def loss(value, name=name):  # L as a function of one input, the others held fixed
            return cell_loss({**point, name: value}, G, dtype)

        gradients["d" + name] = numerical_gradient(loss, point[name].copy(), eps)
    return gradients


def gradient_check(backward, point, G, eps=1e-6, dtype=np.float64):
    """Relative error between backward's gradients and the numerical ones, by gradient name."""
    parameters = {name: point[name] for name in PARAMETER_NAMES}
    _, _, cache = rnn_cell_forward(point["xt"], point["a_prev"], parameters)
    analytic = backward(G, cache)
    numeric = numerical_cell_gradients(point, G, eps, dtype)
    return {name: relative_error(analytic[name], numeric[name]) for name in numeric}


def verdict(error):
    """A coarse reading of a relative error: the same on every machine, unlike its last digits."""
    return "OK" if error < 1e-7 else ("suspicious" if error < 1e-4 else "WRONG")

# %%
# The test point: all sizes different, a non-zero bias set in the very dictionary that is used.
rng = np.random.default_rng(3)
n_x, n_a, n_y, m = 3, 4, 2, 5
point = {"xt": rng.standard_normal((n_x, m)), "a_prev": np.tanh(rng.standard_normal((n_a, m))),
         **initialize_rnn_parameters(n_x, n_a, n_y, seed=3)}
point["ba"] = 0.5 * rng.standard_normal((n_a, 1))  # (n_a, 1): not the default zeros
G = rng.standard_normal((n_a, m))  # the upstream gradient to test with
errors = gradient_check(rnn_cell_backward, point, G)
print("gradient  verdict (OK: relative error below 1e-7)")
for name, error in errors.items():
    print(f"{name:9} {verdict(error)}")

# %% [markdown]
# A correct backward pass is OK, below $10^{-7}$, for every gradient. (The cell prints verdicts,
# not the errors, whose last digits depend on the machine's floating-point libraries.)
#
# **What a wrong gradient looks like.** Two versions of your function with a classic bug each:
# one takes the slope of tanh at `a_next` (tanh applied twice), the other returns `dWaa`
# transposed, which has the right shape. Both are built from your function.

# %%
def backward_tanh_twice(da_next, cache):
    """What rnn_cell_backward returns if it computes du = da_next * (1 - np.tanh(a_next)**2):
    every gradient depends on da_next only through du, so this rescaled upstream gradient makes
    your function's du equal to the buggy one."""
    a_next = cache[0]  # (n_a, m)
    return rnn_cell_backward(da_next * (1 - np.tanh(a_next) ** 2) / (1 - a_next**2), cache)


def backward_dWaa_transposed(da_next, cache):
    """rnn_cell_backward with dWaa transposed, as a_prev @ du.T would give it."""
    gradients = rnn_cell_backward(da_next, cache)
    return {**gradients, "dWaa": gradients["dWaa"].T}


versions = {"yours": rnn_cell_backward, "tanh twice": backward_tanh_twice,
            "dWaa transposed": backward_dWaa_transposed}
results = {label: gradient_check(backward, point, G) for label, backward in versions.items()}
print(f"{'':10}" + "".join(f"{label:>18}" for label in versions))
for name in errors:
    print(f"{name:10}" + "".join(f"{verdict(results[label][name]):>18}" for label in versions))

# %% [markdown]
# The tanh bug changes every gradient, and the check flags all five. The transposed `dWaa`
# passes every shape test but is flagged on its own, pointing at the line to fix: that is why
# each gradient is checked separately. Try one yourself, in a new cell: a version whose `dba` is
# `np.mean` instead of `np.sum` (multiply your `dba` by `1 / m`). Which rows turn WRONG?
#
# **Float32 cannot confirm a correct gradient.** The same check of *your* function, with the
# forward pass computed in float32 (the point is cast inside `cell_loss`), for several
# $\varepsilon$:

# %%
for dtype, eps in ((np.float64, 1e-6), (np.float32, 1e-6), (np.float32, 1e-4), (np.float32, 1e-2)):
    errors = list(gradient_check(rnn_cell_backward, point, G, eps=eps, dtype=dtype).values())
    # float32 rounding differs between CPUs: the errors are stated as bounds, not digits
    print(f"{np.dtype(dtype).name}, eps = {eps:.0e}: all five below 1e-7: {max(errors) < 1e-7}; "
          f"all five between 1e-6 and 1: {1e-6 < min(errors) and max(errors) < 1}")

# %% [markdown]
# In float32 the errors stay between $10^{-6}$ and 1, whatever $\varepsilon$ (the last column):
# a correct gradient looks suspicious or wrong. This is why `numerical_gradient` refuses float32.

# %% [markdown]
# ## Summary
#
# - `da_next` $= \partial \mathcal L / \partial a^{\langle t \rangle}$ is the upstream gradient.
# - Through the tanh: $du = da^{\langle t \rangle} \odot (1 - (a^{\langle t \rangle})^2)$,
#   elementwise, from the cached output; never `1 - np.tanh(a_next)**2`.
# - Through the products: $dW = du \cdot \text{input}^\top$, $d\,\text{input} = W^\top du$.
#   Derive entry by entry, then let the shapes confirm; for square $W_{aa}$ they cannot catch a
#   transpose.
# - `dba` sums `du` over the examples (`axis=1, keepdims=True`): a sum, since any $1/m$ is in the
#   loss. Weight gradients sum over the batch too; `dxt` and `da_prev` stay per example.
# - Gradient checking: central differences (error $O(\varepsilon^2)$), $\varepsilon = 10^{-6}$,
#   float64, relative error $\lVert a - b \rVert / (\lVert a \rVert + \lVert b \rVert)$: about
#   $10^{-7}$ or less is right, above $10^{-4}$ wrong. Test a backward function through the loss
#   `sum(G * a_next)`.
# - Saturated units pass little gradient back, and PyTorch's autograd keeps the same cache
#   (both in Going further).
#
# ## Exercises
#
# Answer on paper or in a new cell; the solution version has the answers.
#
# **Exercise 1 (one example, then a batch).** Take $m = 1$: $x^{\langle t \rangle}$ is a column
# $x$ of $n_x$ numbers and $du$ a column of $n_a$. Derive $dW_{ax}$ entry by entry. What kind of
# product is it? Show that for $m$ examples `du @ xt.T` is the sum of the single-example results.

# %% [markdown] tags=["answer"]
# **Answer.** With $m = 1$, $u[i] = \sum_k W_{ax}[i, k]\, x[k] + \dots$, so
# $dW_{ax}[i, k] = du[i]\, x[k]$: the **outer product** $du\, x^\top$,
# $(n_a, 1)\,(1, n_x) \to (n_a, n_x)$. Every entry of $W_{ax}$ gets a gradient from one example.
# For $m$ examples, $(du\, X^\top)[i, k] = \sum_e du[i, e]\, X[k, e]$: the sum over the examples
# of their outer products $du[:, e]\, X[:, e]^\top$, done by one matrix product.

# %% [markdown]
# **Exercise 2 (ReLU).** If the cell used $a = \max(0, u)$ instead of tanh, what would `du` be?
# Could it still be computed from `a_next` alone? Which lines of `rnn_cell_backward` change? What
# can happen to a gradient check where some $u$ is very close to 0?

# %% [markdown] tags=["answer"]
# **Answer.** ReLU has slope 1 where $u > 0$ and 0 where $u < 0$: `du = da_next * (u > 0)`. As
# $a > 0$ exactly when $u > 0$, this is `da_next * (a_next > 0)`: the output suffices again and
# the cache is unchanged. Only the `du` line changes; the products and the bias sum do not depend
# on the activation. At $u = 0$ ReLU has a kink: if some $u[i, e]$ lies closer to 0 than the
# perturbation moves it, the two evaluations fall on both sides, the quotient mixes the slopes 0
# and 1, and a correct gradient fails. Choose test points away from the kink.

# %% [markdown]
# **Exercise 3 (the bias).** Why `axis=1` and not `axis=0`? What shape would `np.sum(du, axis=1)`
# have without `keepdims`, and what would `ba - 0.1 * dba` then be? What if you used `np.mean`?

# %% [markdown] tags=["answer"]
# **Answer.** Axis 1 runs over the examples, which share the bias: one gradient per hidden unit,
# $(n_a, 1)$. `axis=0` would add up the units of each example, $(1, m)$, which means nothing here.
# Without `keepdims` the result is flat, $(n_a,)$, and `ba - 0.1 * dba` broadcasts $(n_a, 1)$
# against $(n_a,)$ into an $(n_a, n_a)$ matrix, silently. With `np.mean` the bias gradient is $m$
# times too small while `dWax` and `dWaa` stay sums: the bias learns $m$ times more slowly, and a
# gradient check flags `dba` (for $m > 1$). An average belongs in the loss, where every gradient
# gets its $1/m$.

# %% [markdown]
# ## Going further (optional)
#
# Nothing graded depends on this section, and the core of the lesson ends above: take it now
# or come back to it. An experiment on saturation and the gradient that reaches the past, the
# same step in PyTorch, and two more exercises.
#
# ### Experiment: saturation and the gradient that reaches the past
#
# What travels back to step $t-1$, `da_prev`, has passed through the slope $1 - a^2$, close to 0
# where tanh saturates. To see this alone, the weights stay fixed and the input is scaled, so
# that the pre-activation $u$ grows. The table gives the spread of $u$, the fraction of saturated
# units, the mean slope, and the share of the upstream gradient's size that survives,
# $\lVert da^{\langle t-1 \rangle} \rVert / \lVert da^{\langle t \rangle} \rVert$, from **your** function.

# %%
n_x, n_a, n_y, m = 10, 64, 4, 200
scales = (0.25, 1.0, 2.0, 4.0, 8.0, 16.0)


def saturation_row(seed):
    """For one network (seed): per input scale, std of u, saturated share, slope, ratio."""
    parameters_sat = initialize_rnn_parameters(n_x, n_a, n_y, seed=seed)
    rng = np.random.default_rng([seed, 1])
    xt_sat, a_prev_sat = rng.standard_normal((n_x, m)), np.tanh(rng.standard_normal((n_a, m)))
    da_next_sat = rng.standard_normal((n_a, m))
    rows = []
    for scale in scales:
        a_next_sat, _, cache_sat = rnn_cell_forward(scale * xt_sat, a_prev_sat, parameters_sat)
        u_sat = parameters_sat["Wax"] @ (scale * xt_sat) + parameters_sat["Waa"] @ a_prev_sat
        da_prev_sat = rnn_cell_backward(da_next_sat, cache_sat)["da_prev"]  # (n_a, m)
        rows.append([u_sat.std(), np.mean(np.abs(a_next_sat) > 0.99), np.mean(1 - a_next_sat**2),
                     np.linalg.norm(da_prev_sat) / np.linalg.norm(da_next_sat)])
    return rows  # (6 scales, 4 statistics)


per_seed = robust.over_seeds(saturation_row, range(5))  # (5 networks, 6 scales, 4 statistics)
print("mean over 5 networks (seeds 0-4); last column: the ratio's range over the networks")
print("input scale   std of u   |a| > 0.99   mean of 1 - a^2   |da_prev| / |da_next|")
for scale, mean, low, high in zip(scales, per_seed.mean(axis=0), per_seed.min(axis=0),
                                  per_seed.max(axis=0)):
    print(f"{scale:11.2f} {mean[0]:10.2f} {mean[1]:12.3f} {mean[2]:17.3f} "
          f"{mean[3]:10.2f} ({low[3]:.2f} to {high[3]:.2f})")
ratios = per_seed[:, :, 3]  # (5 networks, 6 scales)
assert np.all(np.diff(ratios, axis=1) < 0), "the ratio falls with the scale, for every network"
assert np.all(ratios[:, 0] > 0.7) and np.all(ratios[:, -1] < 0.3)

# %% [markdown]
# The weights of a network are the same in every row, yet as the inputs push the units into
# saturation the gradient sent to the previous step shrinks, for each of the five networks: from
# more than 0.7 of the upstream size to less than 0.3 (the cell asserts both). Through $T$ steps,
# $T$ such factors (each also involving $W_{aa}^\top$) multiply: a product of many factors below
# 1 vanishes, one of factors above 1 explodes. Lessons 04 and 07 take this up.

# %% [markdown]
# ### From this notebook to PyTorch
#
# In PyTorch, `loss.backward()` does the work of `rnn_cell_backward`. For an `nn.RNN(n_x, n_a)`
# run over a **single** step, what it fills in is:
#
# | PyTorch after `loss.backward()` | this lesson | shape |
# | --- | --- | --- |
# | `rnn.weight_ih_l0.grad`, `rnn.weight_hh_l0.grad` | `dWax`, `dWaa` | $(n_a, n_x)$, $(n_a, n_a)$: our orientation |
# | `rnn.bias_ih_l0.grad`, `rnn.bias_hh_l0.grad` | both equal to `dba[:, 0]` | $(n_a,)$ |
# | `x.grad[0]`, `h0.grad[0]` (if they require gradients) | `dxt.T`, `da_prev.T` | $(m, n_x)$, $(m, n_a)$ |
#
# - **Over a sequence**, a weight's `.grad` is the **sum over the steps** of the per-step
#   gradients, which lesson 04 builds. (`.grad` also accumulates across `backward()` calls,
#   hence `optimizer.zero_grad()`.) Each bias is added once to $u$, so each gets the whole `dba`.
# - **Autograd stores what our cache stores.** Each operation of the forward pass records a node
#   with the tensors its backward needs. The tanh node keeps its *output*: PyTorch's derivative
#   table declares `tanh_backward(grad, result)`, computing `grad * (1 - result**2)`, the same
#   "write it with `a_next`" idea. The matrix products keep their inputs and weights. That is our
#   cache `(a_next, a_prev, xt, parameters)`, kept for you.
# - **The upstream gradient.** `output.backward(gradient=G)` backpropagates $G$, exactly as
#   `backward()` on our test loss `(G * output).sum()` would.
# - **Gradient checking** ships as `torch.autograd.gradcheck`: central differences with
#   `eps=1e-6`, meant for float64 inputs (its documentation warns that lower precision will
#   likely fail), and a tolerance test instead of our relative error.
#
# The cell differentiates PyTorch's row-major step
# $h = \tanh(x W_{ih}^\top + h_{\text{prev}} W_{hh}^\top + b)$ by hand at the test point and
# compares with your gradients: the weight gradients come out in our orientation; only the data
# is transposed.

# %%
W_ih, W_hh = point["Wax"], point["Waa"]  # (n_a, n_x), (n_a, n_a): PyTorch's shapes too
x_rows, h_prev_rows = point["xt"].T, point["a_prev"].T  # (m, n_x), (m, n_a): one row per example
h_rows = np.tanh(x_rows @ W_ih.T + h_prev_rows @ W_hh.T + point["ba"][:, 0])  # (m, n_a)
grad_pre = G.T * (1 - h_rows**2)  # (m, n_a): tanh's backward node, from its saved output
_, _, cache_point = rnn_cell_forward(point["xt"], point["a_prev"],
                                     {name: point[name] for name in PARAMETER_NAMES})
ours = rnn_cell_backward(G, cache_point)
for name, theirs, mine in (
    ("weight_ih_l0.grad", grad_pre.T @ x_rows, ours["dWax"]),  # (n_a, m) @ (m, n_x)
    ("weight_hh_l0.grad", grad_pre.T @ h_prev_rows, ours["dWaa"]),  # (n_a, m) @ (m, n_a)
    ("bias_hh_l0.grad", grad_pre.sum(axis=0), ours["dba"][:, 0]),  # examples are rows here
    ("x.grad[0]", grad_pre @ W_ih, ours["dxt"].T),  # (m, n_a) @ (n_a, n_x)
    ("h0.grad[0]", grad_pre @ W_hh, ours["da_prev"].T),  # (m, n_a) @ (n_a, n_a)
):
    print(f"{name:18} {str(theirs.shape):8} equals ours: {bool(np.allclose(theirs, mine))}")

# %% [markdown]
# ### More exercises

# %% [markdown]
# **Exercise 4 (the cost of gradient checking).** With $n_x = 50$, $n_a = 128$ and $m = 32$, how
# many forward steps does `numerical_cell_gradients` run, against one `rnn_cell_backward`? What
# does this mean for how gradient checks are used?

# %% [markdown] tags=["answer"]
# **Answer.** Two forward steps per entry. The inputs have $n_x m + n_a m = 1\,600 + 4\,096 =
# 5\,696$ entries, the parameters $n_a n_x + n_a^2 + n_a = 6\,400 + 16\,384 + 128 = 22\,912$:
# $57\,216$ forward steps in all. The backward pass costs about two forward steps (four matrix
# products against two, of the same sizes): some $28\,000$ times less, a gap that grows with the
# number of parameters. So a gradient check is a debugging tool: run it once, on small sizes (as
# above) or on a random sample of entries, to validate the code; never during training.

# %% [markdown]
# **Exercise 5 (choosing eps).** For a correct `rnn_cell_backward`, what verdict would the check
# above give with `eps=1e-12`? With `eps=1e-1`? Estimate, then try.

# %% [markdown] tags=["answer"]
# **Answer.** Estimate first. At $\varepsilon = 10^{-12}$ rounding dominates: loss values of
# order 1 carry errors near $10^{-16}$, which divided by $2\varepsilon$ give about $10^{-4}$ in
# gradient entries of order 0.1 to 1, so relative errors of roughly $10^{-4}$ to $10^{-3}$. At
# $\varepsilon = 10^{-1}$ truncation dominates, $\varepsilon^2 F''' / 6$, roughly $10^{-3}$ to
# $10^{-2}$ relative. The cell measures both: the worst relative error lies between $10^{-5}$ and
# $10^{-1}$ at each, "suspicious" or "WRONG" instead of "OK". Both ends of the V make a correct
# gradient look wrong.

# %% tags=["answer"]
for eps in (1e-12, 1e-1):
    worst = max(gradient_check(rnn_cell_backward, point, G, eps=eps).values())
    print(f"eps = {eps:.0e}: worst relative error between 1e-5 and 1e-1: {1e-5 < worst < 1e-1}")
