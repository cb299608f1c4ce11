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
# **Time.** About 75 minutes.
# Every symbol of the course, its meaning and shape: [the notation table](../docs/notation.md).
#
# ## Goal and prerequisites
#
# In lesson 01 you wrote one time step of a recurrent network. A sequence of length $T_x$ needs
# $T_x$ of those steps, each one handing its hidden state to the next. This lesson turns the
# single step into a forward pass over a whole sequence.
#
# **Goal.** Write `rnn_forward(x, a0, parameters)`, which runs the cell along all $T_x$ steps of
# a batch of sequences and returns every hidden state, every prediction, and the caches the
# backward pass will need. On the way you will see why the *same* parameters serve every step,
# what exactly is stored for backpropagation, and how much memory that costs.
#
# **Prerequisites.** Lesson 01: the cell `rnn_cell_forward(xt, a_prev, parameters)`, which
# returns `a_next, yt_pred, cache`, with its shapes and its cache layout.
#
# **Your lesson 01 code is not needed here.** This notebook imports the course's reference
# `rnn_cell_forward` from `rnn_utils.reference`, so a mistake left in lesson 01 cannot block
# lesson 02: the cell you build upon is known to be right, and anything that goes wrong below
# is in the code of this lesson.
#
# **How this notebook works.** Run the cells from top to bottom. One cell is yours to edit, the
# one with `# YOUR CODE HERE`; the cell right after it checks your function and prints either a
# one-line verdict or a diagnosis of what went wrong.

# %%
import matplotlib.pyplot as plt
import numpy as np

from rnn_utils import initialize_rnn_parameters, robust, viz
from rnn_utils.reference import rnn_cell_forward

np.set_printoptions(precision=6, suppress=True)

# %% [markdown]
# ## Unrolling through time
#
# An RNN has a loop in it: the hidden state it produces at step $t$ is an input of step $t+1$.
# For computing, and above all for differentiating, it helps to *unroll* that loop: draw one copy
# of the cell per time step and connect the copies in a chain. For a sequence of length $T_x$:
#
# ![The RNN unrolled over T_x time steps: a0 enters the first cell from the left; each cell passes its hidden state to the next; the inputs x<1> to x<T_x> enter from below and the predictions leave at the top; a shaded band shows that every step uses the same Wax, Waa, Wya, ba, by; every step drops its cache into the list of caches](../notebooks/figures/rnn_unrolled.svg)
#
# Read the picture from the left.
#
# - The initial state $a^{\langle 0 \rangle}$ (often zeros) is the "previous state" of step 1.
# - Step $t$ receives the input $x^{\langle t \rangle}$ from below and $a^{\langle t-1 \rangle}$ from the
#   left, and produces $a^{\langle t \rangle}$, which goes right to step $t+1$, and a prediction
#   $\hat y^{\langle t \rangle}$, which goes up.
# - Every box is the *same* function, `rnn_cell_forward`, with the *same* parameter arrays: the
#   shaded band. Nothing in the unrolled network is specific to a position except the data that
#   flows through it.
# - Every step also drops its cache, and the caches are collected, in order, for the backward
#   pass.
#
# Unrolled, the RNN is an ordinary feed-forward network that is $T_x$ layers deep, whose layers
# all share their weights and each of which receives an input of its own. That view is the whole
# idea of backpropagation *through time*: it is ordinary backpropagation applied to the unrolled
# chain.

# %% [markdown]
# ## The equations and the shapes
#
# For $t = 1, 2, \dots, T_x$, starting from $a^{\langle 0 \rangle}$:
#
# $$
# \underbrace{a^{\langle t \rangle}}_{(n_a,\ m)}
# = \tanh\big(W_{ax}\, x^{\langle t \rangle} + W_{aa}\, a^{\langle t-1 \rangle} + b_a\big),
# \qquad
# \underbrace{\hat y^{\langle t \rangle}}_{(n_y,\ m)}
# = \operatorname{softmax}\big(W_{ya}\, a^{\langle t \rangle} + b_y\big).
# $$
#
# These are exactly the equations of lesson 01; what is new is the index $t$ and the fact that
# $a^{\langle t-1 \rangle}$ is no longer given to us but computed by the step before.
#
# The whole sequence is stored in three-dimensional arrays, with time as the **last** axis:
#
# | array | shape | content |
# | --- | --- | --- |
# | `x` | $(n_x, m, T_x)$ | all inputs: `x[:, e, t]` is the input vector of example $e$ at one step |
# | `x[:, :, t]` | $(n_x, m)$ | the inputs of all $m$ examples at one step: exactly the `xt` a cell takes |
# | `a0` | $(n_a, m)$ | the initial hidden state $a^{\langle 0 \rangle}$ |
# | `a` | $(n_a, m, T_x)$ | all hidden states $a^{\langle 1 \rangle}, \dots, a^{\langle T_x \rangle}$ (not $a^{\langle 0 \rangle}$) |
# | `y_pred` | $(n_y, m, T_x)$ | all predictions $\hat y^{\langle 1 \rangle}, \dots, \hat y^{\langle T_x \rangle}$ |
#
# **Mind the off-by-one.** The mathematics counts steps from 1, Python from 0. Python index `t`
# holds step $t+1$: `x[:, :, 0]` is $x^{\langle 1 \rangle}$ and `a[:, :, 0]` is
# $a^{\langle 1 \rangle}$, the state *after* the first step. The initial state has no slot in
# `a`; it lives in `a0`.
#
# Slicing `x[:, :, t]` drops the last axis and leaves an $(n_x, m)$ matrix, one column per
# example, which is what the cell expects. Let us check the shapes on a small example with all
# sizes different:

# %%
n_x, n_a, n_y, m, T_x = 3, 5, 2, 4, 6
x_demo = np.random.default_rng(0).standard_normal((n_x, m, T_x))
parameters_demo = initialize_rnn_parameters(n_x, n_a, n_y, seed=0)
print("x         ", x_demo.shape)
print("x[:, :, 2]", x_demo[:, :, 2].shape)
for name, value in parameters_demo.items():
    print(f"{name:10}", value.shape)

# %% [markdown]
# ## Weight sharing
#
# The parameters do not carry a time index: $W_{ax}, W_{aa}, W_{ya}, b_a, b_y$ are the same at
# every step. There are good reasons for this design.
#
# - **The number of parameters does not depend on $T_x$.** It is
#   $n_a n_x + n_a^2 + n_y n_a + n_a + n_y$, whatever the length of the sequence. A network with
#   separate weights per step would need $T_x$ times as many, and would have to decide its
#   longest sequence before training.
# - **What is learned at one position applies at every position.** A pattern (a word, a motif
#   in a signal) means the same thing at step 3 and at step 300; with shared weights the network
#   learns to recognise it once, and every occurrence in the training data improves the same
#   weights. This is the same idea as a convolution sharing its kernel across an image, applied
#   along time.
# - **Sequences of any length.** The forward pass is a loop that runs as many steps as the
#   sequence has. A model trained on sentences of 20 words can read one of 50 words without any
#   new parameter.
#
# The cell below counts the parameters of the small example above, for sequences of several
# lengths, and compares with what separate weights per step would need.

# %%
shared = sum(value.size for value in parameters_demo.values())
for length in (1, 10, 100, 1000):
    print(f"T_x = {length:4d}: shared parameters {shared}, one set per step {shared * length}")

# %% [markdown]
# **What sharing means for the backward pass.** $W_{aa}$ is used $T_x$ times, once per step, so
# it influences the loss along $T_x$ paths. Think of the unrolled network as having $T_x$ copies
# $W_{aa}^{(1)}, \dots, W_{aa}^{(T_x)}$ that are forced to be equal. By the chain rule, the
# gradient with respect to the one shared matrix is the **sum** of the gradients with respect to
# its copies:
#
# $$
# \frac{\partial \mathcal L}{\partial W_{aa}} = \sum_{t=1}^{T_x} \frac{\partial \mathcal L}{\partial W_{aa}^{(t)}},
# $$
#
# and likewise for $W_{ax}$, $b_a$, $W_{ya}$ and $b_y$. Lesson 03 computes one term of this sum
# (the backward pass of one cell); lesson 04 walks back through the steps and adds the terms
# up. Forgetting to accumulate, and keeping only the last step's term, is one of the classic
# bugs of BPTT.

# %% [markdown]
# ## The caches: what they hold and what they cost
#
# The backward pass runs through the steps in reverse order, and each step of it needs values
# computed during the forward pass. Recomputing them would mean running the forward pass again,
# so the forward pass stores them. (Storing fewer and recomputing the rest is a real option when
# memory is short; it is called gradient checkpointing.) Each step's cache has the layout of lesson 01,
# `(a_next, a_prev, xt, parameters)`, and every entry has a job:
#
# | entry | needed in the backward pass for |
# | --- | --- |
# | `a_next` $= a^{\langle t \rangle}$ | the derivative of tanh, $1 - (a^{\langle t \rangle})^2$, computed from the output alone |
# | `a_prev` $= a^{\langle t-1 \rangle}$ | the gradient of $W_{aa}$, which multiplied $a^{\langle t-1 \rangle}$ |
# | `xt` $= x^{\langle t \rangle}$ | the gradient of $W_{ax}$, which multiplied $x^{\langle t \rangle}$ |
# | `parameters` | $W_{aa}$ and $W_{ax}$, to send the gradient on to $a^{\langle t-1 \rangle}$ and $x^{\langle t \rangle}$ |
#
# `rnn_forward` returns `caches = (list of the T_x step caches, x)`: the list in time order,
# and the whole input as well.
#
# **Memory.** The parameters are one dictionary that every cache refers to, not a copy per
# step. `a_prev` of step $t$ is the very array that was `a_next` of step $t-1$. And `x[:, :, t]`
# is a *view* into `x`, not a copy. What the caches really add is the $T_x$ hidden states, each
# $(n_a, m)$: $T_x \cdot n_a \cdot m$ numbers, that is $O(T_x\, n_a\, m)$ memory, **growing
# linearly with the length of the sequence**, while the number of parameters stays fixed. For
# long sequences (a book read character by character, an hour of audio) the caches, not the
# weights, are what fills the memory. That is why *truncated* BPTT exists: backpropagate through
# windows of $k$ steps only, so that at most $k$ caches are alive at any time. You will write it
# in lesson 08.

# %% [markdown]
# ## Your turn: `rnn_forward`
#
# Complete `rnn_forward` below. The first lines, already written, read the sizes and prepare the
# empty list of caches. Replace `# YOUR CODE HERE` and the `raise NotImplementedError()` line
# with code that does the following.
#
# 1. Create `a` of shape $(n_a, m, T_x)$ and `y_pred` of shape $(n_y, m, T_x)$, filled with zeros.
# 2. Start from `a0`: it is the "previous state" of the first step.
# 3. Loop over `t` from 0 to `T_x - 1`. At each step call `rnn_cell_forward` on the inputs of
#    that step, `x[:, :, t]`, and on the previous state.
# 4. Store the new state in `a[:, :, t]` and the prediction in `y_pred[:, :, t]`, and append
#    the step's cache to `caches`.
# 5. **Carry the state forward**: the `a_next` of this step must be the previous state of the
#    next step. (Passing `a0` at every step is a common mistake; exercise 2 explores it.)
#
# After your code, the last two lines pack the caches with `x`, as the backward pass of lesson 04
# will expect them. Call `rnn_cell_forward` rather than rewriting its equations, and do not
# change `x` or `a0` in place (the check verifies that your inputs come back untouched).

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
    n_x, m, T_x = x.shape  # x: (n_x, m, T_x)
    n_y, n_a = parameters["Wya"].shape  # Wya: (n_y, n_a)
    caches = []  # will hold the T_x step caches, in time order
    ### BEGIN SOLUTION
    a = np.zeros((n_a, m, T_x))  # a[:, :, t] will hold the state after step t+1
    y_pred = np.zeros((n_y, m, T_x))
    a_next = a0  # (n_a, m): the state carried from step to step, a<0> at the start
    for t in range(T_x):
        # x[:, :, t] is (n_x, m); the state going in is the one the previous step produced.
        a_next, yt_pred, cache = rnn_cell_forward(x[:, :, t], a_next, parameters)
        a[:, :, t] = a_next  # (n_a, m)
        y_pred[:, :, t] = yt_pred  # (n_y, m)
        caches.append(cache)  # (a_next, a_prev, xt, parameters)
    ### END SOLUTION
    caches = (caches, x)
    return a, y_pred, caches


# %% points=3
from rnn_utils.checks import check_rnn_forward

check_rnn_forward(rnn_forward)

# %% [markdown]
# ## The familiar cross-check
#
# The check above compared your function with the reference on several cases of unequal sizes.
# Here is one more comparison, with inputs that many learners have met before: the test inputs of
# the well-known "Building your Recurrent Neural Network - Step by Step" assignment (legacy
# `np.random.seed(1)`, $n_x = 3$, $m = 10$, $T_x = 4$, $n_a = 5$, $n_y = 2$). If you took that
# course you will recognise the figures: a correct `rnn_forward` gives
# `a[4][1] = [-0.99999375 0.77911235 -0.99861469 -0.99833267]` and
# `y_pred[1][3] = [0.79560373 0.86224861 0.11118257 0.81515947]`. The cell runs *your* function.

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
with np.printoptions(precision=8):
    print("a[4][1] =", a_tmp[4][1])
    print("y_pred[1][3] =", y_pred_tmp[1][3])
print("a.shape =", a_tmp.shape, " y_pred.shape =", y_pred_tmp.shape)
print("len(caches) =", len(caches_tmp), " step caches:", len(caches_tmp[0]))
published_a = np.array([-0.99999375, 0.77911235, -0.99861469, -0.99833267])
published_y = np.array([0.79560373, 0.86224861, 0.11118257, 0.81515947])
print("matches the published figures:",
      bool(np.allclose(a_tmp[4][1], published_a, atol=1e-8)
           and np.allclose(y_pred_tmp[1][3], published_y, atol=1e-8)))

# %% [markdown]
# The caches share memory as described above. With the reference implementation (and, very
# likely, with yours) all three lines print `True`: the previous state of step 2 *is* the new
# state of step 1, the input stored by step 1 is a view into `x`, and every step refers to the
# same parameter dictionary.

# %%
step_caches, x_kept = caches_tmp
print("a_prev of step 2 is a_next of step 1:", step_caches[1][1] is step_caches[0][0])
print("xt of step 1 is a view into x:       ", bool(np.shares_memory(step_caches[0][2], x_kept)))
print("every step refers to the same dict:  ", all(c[3] is parameters_tmp for c in step_caches))

# %% [markdown]
# ## Experiment: how the scale of $W_{aa}$ shapes the hidden states
#
# The recurrence feeds $W_{aa}\, a^{\langle t-1 \rangle}$ back into the tanh at every step, so the
# size of $W_{aa}$ decides whether the past fades or takes over. `initialize_rnn_parameters`
# draws the entries of $W_{aa}$ with standard deviation $1/\sqrt{n_a}$; for such a random matrix
# the eigenvalues fill, roughly, the unit disc. Multiplying $W_{aa}$ by a factor $s$ scales them
# to a disc of radius about $s$.
#
# - For $s$ well below 1 ($s = 0.5$ below) every eigenvalue lies inside the unit disc (the
#   spectral radius is close to $s$, not exactly $s$: at $s = 1$ the cell below prints 0.9 to 1.1
#   for its five networks, and other draws reach 1.3), so *repeated* multiplication shrinks
#   the state (and tanh, whose slope is at most 1, only shrinks it further): the influence of
#   $a^{\langle 0 \rangle}$ and of old inputs dies out geometrically, and the state mostly
#   reflects the last few inputs. One step alone may still stretch some directions: the largest
#   *singular* value of these matrices is close to $2s$ (the cell below prints it for $s = 1$), so it is
#   the long run that shrinks, not every step.
# - For $s > 1$ the recurrence amplifies the state until tanh caps it: units are pushed against
#   $\pm 1$, the **saturated** region of tanh.
#
# The experiment (code in `rnn_utils/viz.py`) builds an RNN with $n_x = 4$ and $n_a = 32$,
# multiplies its $W_{aa}$ by $s$, and runs **your** `rnn_forward` on $m = 32$ random input
# sequences of 100 steps (entries of standard deviation 0.5, $a^{\langle 0 \rangle} = 0$). For
# each $s$ the cell prints the mean of $|a|$, the fraction of saturated entries ($|a| > 0.99$)
# and the mean of $1 - a^2$, the slope of tanh at each state (you met it in lesson 01: it is the
# local derivative the backward pass multiplies by).
#
# Each figure is the average over 5 networks (seeds 0 to 4), and the last column gives the range
# of the saturated fraction across them: one random network is an anecdote, five show what
# depends on $s$ and what on the draw. The cell then asserts the claims made below, for every
# one of the five networks.

# %%
seeds = range(5)
print("scale s   mean |a|   saturated   mean 1 - a^2   saturated, per network")
saturated_by_scale = {}
for scale in (0.5, 1.0, 1.5, 2.0, 3.0, 4.0):
    def statistics(seed, scale=scale):
        a_exp = viz.scaled_rnn_states(scale, T=100, forward=rnn_forward, m=32, seed=seed)
        saturated = np.mean(np.abs(a_exp) > viz.SATURATION_THRESHOLD)
        return np.mean(np.abs(a_exp)), 100 * saturated, np.mean(1 - a_exp**2)  # over (32, 32, 100)

    per_seed = robust.over_seeds(statistics, seeds)  # (5 networks, 3 statistics)
    saturated_by_scale[scale] = per_seed[:, 1] / 100
    # At s = 4 the network is chaotic: the last bits of tanh, which differ between CPUs, grow
    # over the 100 steps and move these means by about 1e-4. Below, runs agree to ~1e-15.
    wobble = 2e-4 if scale >= 4 else 1e-9
    mean_abs, saturated, slope = (robust.stable(value, decimals, wobble * factor) for value,
                                  decimals, factor in zip(per_seed.mean(axis=0), (3, 1, 3),
                                                          (1, 100, 1)))
    low, high = (robust.stable(value, 0, 500 * wobble) for value in  # one network wobbles more
                 (per_seed[:, 1].min(), per_seed[:, 1].max()))
    print(f"{scale:7.1f} {mean_abs:>10} {saturated:>10}% {slope:>14}   {low:>8}% to {high}%")

# The claims of the text, network by network: under 1% saturated up to s = 1, under 10% at
# s = 1.5 (40 other networks, benchmarks/claims_over_seeds.py: at most 0.3% and 3.4%; a review
# saw 7.6% at s = 1.5 on one network), growing with s, and more than a quarter from s = 3 on.
fractions = np.array(list(saturated_by_scale.values()))  # (6 scales, 5 networks)
assert np.all(fractions[:2] < 0.01) and np.all(fractions[2] < 0.10)
assert np.all(np.diff(fractions, axis=0) > 0)
assert np.all(saturated_by_scale[3.0] > 0.25) and np.all(saturated_by_scale[4.0] > 0.4)

# One step can stretch: the largest singular value of Waa (s = 1) against its spectral radius.
waa_draws = [viz.scaled_rnn_problem(1.0, T=1, seed=seed)[2]["Waa"] for seed in seeds]
sigma_max = np.array([np.linalg.norm(waa, 2) for waa in waa_draws])
radius = np.array([np.max(np.abs(np.linalg.eigvals(waa))) for waa in waa_draws])
print(f"\nWaa at s = 1: largest singular value {robust.stable(sigma_max.min(), 1, 0.01)} to "
      f"{robust.stable(sigma_max.max(), 1, 0.01)}, largest |eigenvalue| "
      f"{robust.stable(radius.min(), 1, 0.01)} to {robust.stable(radius.max(), 1, 0.01)}")

# %% [markdown]
# The trajectories of four hidden units of the first sequence, for a small and a large scale:

# %%
figure = viz.plot_trajectories(waa_scales=(0.5, 3.0), T=40, forward=rnn_forward)
plt.show()

# %% [markdown]
# With $s = 0.5$ (left) the states wander through the middle of the range and follow the
# input: the recurrent term is smaller than the input term, and nothing stays near $\pm 1$ for
# long. With $s = 3$ (right) the recurrent term dominates: the units are slammed against the
# dashed lines at $\pm 0.99$, and many of them jump from one extreme to the other from step to
# step. The input barely moves them.
#
# How does the share of saturated states grow with the scale? Over a finer grid of scales:

# %%
figure = viz.plot_saturation(np.arange(0.0, 5.01, 0.25), T=100, forward=rnn_forward)
plt.show()

# %% [markdown]
# Up to $s = 1$ hardly any state is saturated (under 1% in every network the cell above
# measured), at $s = 1.5$ a few percent (under 10%); beyond it the fraction climbs steadily.
# This matters for learning. A saturated unit has a tanh slope $1 - a^2$ close to 0, so
# during backpropagation every gradient that passes through it is multiplied by almost nothing:
# saturation is one way gradients *vanish*. And a recurrence strong enough to flip states from
# one extreme to the other is also very sensitive to small changes, which is where gradients
# *explode*. Both return in the lessons on BPTT (04) and on exploding and vanishing gradients
# (07).
#
# **Explore.** Move the sliders below: the scale of $W_{aa}$ and the number of steps $T$. The
# title reports the fraction of all states (32 units, 8 sequences, $T$ steps) that are
# saturated. Where does saturation start to appear? Does a longer sequence change the picture?
# (The explorer lives in the running kernel: in a notebook saved and opened again it shows
# "Error displaying widget: model not found" until you run the cell again.)

# %% tags=["nbval-ignore-output"]
from rnn_utils import viz

viz.trajectory_explorer(forward=rnn_forward)

# %% [markdown]
# ## From this notebook to PyTorch's `nn.RNN`
#
# `torch.nn.RNN(input_size=n_x, hidden_size=n_a)` computes the same recurrence, with a
# different layout:
#
# $$h_t = \tanh\big(x_t W_{ih}^\top + b_{ih} + h_{t-1} W_{hh}^\top + b_{hh}\big).$$
#
# - **Weights.** `weight_ih_l0` is our `Wax` and `weight_hh_l0` our `Waa`, with the same
#   shapes $(n_a, n_x)$ and $(n_a, n_a)$. PyTorch multiplies from the right by their transposes
#   because its batch runs along the *rows*.
# - **Two biases.** `bias_ih_l0` and `bias_hh_l0`, both of shape $(n_a,)$, are always added
#   together: only their sum, our `ba`, matters.
# - **No output layer.** `nn.RNN` returns hidden states only. Our `Wya`, `by` correspond to a
#   separate `nn.Linear(n_a, n_y)` (its `weight` is $(n_y, n_a)$ like `Wya`), and the softmax
#   is usually left to the loss, `nn.CrossEntropyLoss`.
# - **Layout.** By default the input is *sequence first*, $(T_x, m, n_x)$, which is
#   `x.transpose(2, 1, 0)`; with `batch_first=True` it is $(m, T_x, n_x)$, `x.transpose(1, 2, 0)`.
#   The first output is every hidden state, $(T_x, m, n_a)$ = `a.transpose(2, 1, 0)`; the second,
#   `h_n`, is the last state with a leading axis for the layer, $(1, m, n_a)$. The initial state
#   `h_0` is `a0.T[None]`.
# - **Caches.** There are none to write: autograd records what the backward pass needs, and
#   the memory cost, growing with $T_x$, is the same.
#
# The cell below runs PyTorch's recurrence, written in NumPy in PyTorch's layout, on the inputs
# of the cross-check, and compares it with the states your `rnn_forward` returned. Any split of
# `ba` into the two biases gives the same result.

# %%
W_ih, W_hh = parameters_tmp["Wax"], parameters_tmp["Waa"]  # (n_a, n_x), (n_a, n_a)
b_ih = 0.25 * parameters_tmp["ba"][:, 0]  # (n_a,): a quarter of ba here ...
b_hh = 0.75 * parameters_tmp["ba"][:, 0]  # ... and the rest there
inputs = x_tmp.transpose(2, 1, 0)  # (T_x, m, n_x): sequence first
h = a0_tmp.T  # (m, n_a): one row per example
outputs = []
for x_t in inputs:  # x_t: (m, n_x)
    h = np.tanh(x_t @ W_ih.T + b_ih + h @ W_hh.T + b_hh)
    outputs.append(h)
output = np.stack(outputs)  # (T_x, m, n_a)
print("output.shape =", output.shape)
print("same states as rnn_forward:", bool(np.allclose(output, a_tmp.transpose(2, 1, 0))))

# %% [markdown]
# ## Summary
#
# - An RNN over a sequence is one cell applied $T_x$ times; unrolled, it is a $T_x$-layer
#   feed-forward network whose layers share their weights and each receive an input.
# - Time is the last axis: `x` is $(n_x, m, T_x)$, `a` is $(n_a, m, T_x)$, `y_pred` is
#   $(n_y, m, T_x)$, and `x[:, :, t]` is the $(n_x, m)$ input of one step. Python index `t` is
#   step $t+1$; $a^{\langle 0 \rangle}$ is not part of `a`.
# - The state must be carried: the `a_next` of one step is the `a_prev` of the next.
# - Shared weights keep the parameter count independent of $T_x$, let the network reuse what it
#   learned at every position and run on sequences of any length. Their gradients will be sums
#   over the time steps (lessons 03 and 04).
# - The forward pass stores one cache per step, `(a_next, a_prev, xt, parameters)`, plus `x`.
#   Their memory grows as $O(T_x\, n_a\, m)$, the reason for truncated BPTT (lesson 08).
# - The scale of $W_{aa}$ decides the regime: small, and the state follows the recent inputs;
#   large, and the units saturate at $\pm 1$, where the slope of tanh, and with it the gradient,
#   is nearly zero.

# %% [markdown]
# ## Exercises
#
# Answer on paper or in a new cell; the solution version of this notebook has the answers.
#
# ### Exercise 1: counting the cost
#
# Take $n_x = 50$, $n_a = 128$, $n_y = 10$, $m = 32$, $T_x = 100$, in float64 (8 bytes per
# number).
#
# 1. How many multiply-adds do the matrix products of one call of `rnn_forward` take?
# 2. How many numbers do the caches hold that exist nowhere else? (Which entries of a step's
#    cache are shared with other steps or with `x`?) How many megabytes is that?
# 3. Compare with the number of parameters. What happens to both when $T_x = 10\,000$?

# %% [markdown] tags=["answer"]
# **Answer.**
#
# 1. One step computes $W_{ax} x^{\langle t \rangle}$, $W_{aa} a^{\langle t-1 \rangle}$ and
#    $W_{ya} a^{\langle t \rangle}$ for $m$ columns:
#    $m\,(n_a n_x + n_a^2 + n_y n_a) = 32 \times (6\,400 + 16\,384 + 1\,280) = 770\,048$
#    multiply-adds. Over $T_x = 100$ steps: $77\,004\,800 \approx 7.7 \times 10^7$. (The tanh, the softmax and the bias additions add
#    only $O(T_x\, m\, (n_a + n_y))$ more.)
# 2. In the cache of step $t$, `a_prev` is the `a_next` of step $t-1$ (or `a0`), `xt` is a view
#    into `x`, and `parameters` is the one shared dictionary. Only `a_next` is new:
#    $T_x\, n_a\, m = 100 \times 128 \times 32 = 409\,600$ numbers, $3\,276\,800$ bytes
#    $\approx 3.3$ MB. (The caches also keep `x` alive: $50 \times 32 \times 100 = 160\,000$
#    numbers, 1.28 MB. And the returned `a` holds a second copy of the states.)
# 3. The parameters are $6\,400 + 16\,384 + 1\,280 + 128 + 10 = 24\,202$ numbers, about
#    0.19 MB: the caches are already about 17 times larger. At $T_x = 10\,000$ the parameters do
#    not change, while the states in the caches grow a hundredfold, to $40\,960\,000$ numbers,
#    about 328 MB, for a single batch. Hence truncated BPTT.

# %% [markdown]
# ### Exercise 2: a state that is not carried
#
# Suppose the loop called `rnn_cell_forward(x[:, :, t], a0, parameters)` at every step. What
# would the network compute? Which part of the output would still be right, and why would a test
# with $T_x = 1$ not notice the bug?

# %% [markdown] tags=["answer"]
# **Answer.** Every step would compute
# $a^{\langle t \rangle} = \tanh(W_{ax} x^{\langle t \rangle} + W_{aa} a^{\langle 0 \rangle} + b_a)$:
# the network would have no memory, and $\hat y^{\langle t \rangle}$ would depend on the input of
# step $t$ alone. It is a feed-forward network applied separately at each position, with
# $W_{aa} a^{\langle 0 \rangle}$ acting as a fixed extra bias. The first step is still right,
# because its previous state really is $a^{\langle 0 \rangle}$: `a[:, :, 0]` and
# `y_pred[:, :, 0]` agree with the correct pass, and with $T_x = 1$ there is nothing else to
# compare. With the cross-check inputs above, `a[4][1]` would start with the correct
# `-0.99999375` and continue with wrong values. The check runs cases with several steps and
# recognises this pattern.

# %% [markdown]
# ### Exercise 3: why not in parallel?
#
# The $m$ examples are processed together, in one matrix product per step. Why can the $T_x$
# steps not be processed together in the same way? Which parts of the computation *could* be
# taken out of the loop and done for all steps at once?

# %% [markdown] tags=["answer"]
# **Answer.** The examples are independent: column $e$ of every result depends only on column
# $e$ of the inputs, so all columns can be computed at once. The steps are not:
# $a^{\langle t \rangle}$ needs $a^{\langle t-1 \rangle}$, which needs $a^{\langle t-2 \rangle}$, and
# so on, and the tanh between them prevents collapsing the chain into one product. Whatever the
# hardware, the forward pass is a chain of $T_x$ dependent steps. What does not depend on the
# state can leave the loop: the input term for all steps in one product,
# `(Wax @ x.reshape(n_x, m * T_x)).reshape(n_a, m, T_x) + ba[:, :, None]`, before the loop,
# and the output layer, `Wya @ a + by` and the softmax, for all steps after it. Only
# $\tanh(W_{aa} a^{\langle t-1 \rangle} + \dots)$ stays sequential. Optimised RNN libraries do exactly
# this; removing the recurrence altogether is one of the motivations of attention-based models.

# %% [markdown]
# ### Exercise 4: a bidirectional RNN
#
# In a bidirectional RNN the prediction at step $t$ may use the inputs *after* $t$ as well as
# before. Describe how to build one from two calls of your `rnn_forward`: with which parameters
# and inputs, how the two sets of states are combined, and the shape of the output weights. Can
# a bidirectional RNN predict the next character while the user is still typing?

# %% [markdown] tags=["answer"]
# **Answer.** Use two RNNs with their own parameters. The forward one reads the sequence as it
# is: `a_f, _, _ = rnn_forward(x, a0_f, parameters_f)`. The backward one reads it reversed,
# `x[:, :, ::-1]`, and its states are reversed back so that index `t` lines up with step $t+1$:
# `a_b = rnn_forward(x[:, :, ::-1], a0_b, parameters_b)[0][:, :, ::-1]`. Now `a_f[:, :, t]`
# summarises the inputs up to that step and `a_b[:, :, t]` those from that step to the end.
# Stack them, `np.concatenate([a_f, a_b], axis=0)`, of shape $(2 n_a, m, T_x)$, and predict with
# one output layer
# $\hat y^{\langle t \rangle} = \operatorname{softmax}(W_y [a_f^{\langle t \rangle}; a_b^{\langle t \rangle}] + b_y)$,
# with $W_y$ of shape $(n_y, 2 n_a)$ (the two RNNs' own `Wya` and `by` are not used). The two
# passes are independent and could run side by side. No, it cannot predict while the user
# types: the backward RNN starts at the *end* of the sequence, so no output is available before
# the whole input has been read. Bidirectional RNNs suit tasks where the whole sequence is known,
# such as tagging the words of a finished sentence.

# %% [markdown]
# ### Exercise 5: sequences of different lengths
#
# A batch holds $m$ sequences of lengths $L_1, \dots, L_m \le T_x$, padded with zeros at the end
# to the common length $T_x$. Which states and predictions of `rnn_forward` are still correct,
# and which are not? Is `a[:, i, T_x - 1]` the final state of sequence $i$? Propose a change to
# the loop, using a mask of shape $(m, T_x)$, that makes the state of each sequence stop at its
# own end, and say what the loss should do with the padded steps.

# %% [markdown] tags=["answer"]
# **Answer.** The recurrence is causal: the state at step $t$ depends only on inputs up to $t$.
# So for sequence $e$ the states and predictions of its first $L_e$ steps are correct, padding at
# the end notwithstanding. After its end, though, the state keeps evolving, driven by $b_a$ and
# $W_{aa}$ on zero inputs, so `a[:, e, T_x - 1]` is *not* its final state when $L_e < T_x$. (Had
# the padding been put at the start, every state would be affected.) With a boolean mask,
# `mask[e, t] = t < L_e`, replace the stored state by
# `a_next = np.where(mask[:, t], a_new, a_prev)`: `mask[:, t]` has shape $(m,)$ and broadcasts
# over the $n_a$ rows, so a finished sequence keeps its last real state. The last column of `a`
# then holds every sequence's own final state. The loss must ignore the padded steps: multiply
# the per-step losses by the mask and divide by the number of real steps, $\sum_e L_e$, not by
# $m\,T_x$. In the backward pass a masked step passes the gradient straight through to
# $a^{\langle t-1 \rangle}$ and contributes nothing to the parameter gradients. PyTorch packages this
# as `torch.nn.utils.rnn.pack_padded_sequence`.
