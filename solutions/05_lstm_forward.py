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
# **Time.** About 85 minutes.
# Every symbol of the course, its meaning and shape: [the notation table](../docs/notation.md).
#
# ## Goal and prerequisites
#
# The RNN of lessons 01 to 04 has one hidden state, rewritten completely at every step by a tanh.
# This lesson builds the **long short-term memory** (LSTM) cell of Hochreiter and Schmidhuber
# (1997, with the forget gate of Gers, Schmidhuber and Cummins, 2000), which adds a second state,
# the *cell state*, and three *gates* that decide what to erase from it, what to write into it
# and what to show of it.
#
# **Goal.** Write `lstm_cell_forward(xt, a_prev, c_prev, parameters)`, one step of the LSTM, and
# `lstm_forward(x, a0, parameters)`, the pass over a whole sequence. Then watch a small LSTM keep
# a number in its cell state for 45 steps while an RNN fed the same inputs loses it, and map
# everything onto PyTorch's `nn.LSTM`.
#
# **Prerequisites.** Lessons 01 and 02 (the RNN cell and the loop over time, the shapes and the
# caches); the vanishing gradient as lessons 03 and 04 met it. The sigmoid
# $\sigma(z) = 1 / (1 + e^{-z})$ comes from `rnn_utils.activations`, like the softmax.
#
# **How this notebook works.** Run the cells from top to bottom. Two cells are yours to edit,
# the ones with `# YOUR CODE HERE`; the cell right after each checks your function.

# %%
import matplotlib.pyplot as plt
import numpy as np

from rnn_utils import initialize_lstm_parameters
from rnn_utils.activations import sigmoid, softmax
from rnn_utils.reference import rnn_forward

np.set_printoptions(precision=6, suppress=True)

# %% [markdown]
# ## Why gates
#
# Lesson 03 showed that the gradient sent back one step is multiplied by $W_{aa}^\top$ and by
# the slope $1 - a^2$ of tanh, which nearly vanishes where units saturate (lesson 08 will
# use this: when those factors are small, distant steps hardly matter, and truncated BPTT loses
# little). Over $d$ steps the gradient of the RNN passes through a **product** of $d$ such
# factors: below 1 it vanishes geometrically, above 1 it explodes, and an RNN trained by BPTT
# struggles to learn anything that depends on inputs more than a few dozen steps back. The LSTM
# changes the path along which memory travels. Its cell state is updated **additively**,
# $c^{\langle t \rangle} = f^{\langle t \rangle} \odot c^{\langle t-1 \rangle} + i^{\langle t \rangle} \odot \tilde c^{\langle t \rangle}$,
# so along the cell-state line the local derivative is
# $\partial c^{\langle t \rangle} / \partial c^{\langle t-1 \rangle} = \operatorname{diag}(f^{\langle t \rangle})$:
# no weight matrix, no tanh slope, just the forget gate. When the network keeps $f \approx 1$,
# the gradient flows back along $c$ for many steps almost undiminished (there are other paths,
# through $a^{\langle t-1 \rangle}$ and the gates, which behave like the RNN's). Lesson 06 derives
# the full backward pass; lesson 07 measures how far back gradients reach in both models.

# %% [markdown]
# ## The picture
#
# ![One LSTM step: a<t-1> and x<t> are stacked into [a<t-1>; x<t>] of shape (n_a + n_x, m), which feeds four boxes, the forget gate sigma(Wf, bf), the update gate sigma(Wi, bi), the candidate tanh(Wc, bc) and the output gate sigma(Wo, bo); along the top the cell state c<t-1> is multiplied elementwise by f<t>, then i<t> times the candidate is added, giving c<t>; tanh(c<t>) times o<t> gives a<t>, which goes to the next step and through Wy, by and a softmax to the prediction](../notebooks/figures/lstm_cell.svg)
#
# Read it in three layers.
#
# - **Bottom: the inputs of the gates.** The previous hidden state $a^{\langle t-1 \rangle}$ and the
#   input $x^{\langle t \rangle}$ are stacked into one column per example, $[a^{\langle t-1 \rangle}; x^{\langle t \rangle}]$,
#   of $n_a + n_x$ rows, $a^{\langle t-1 \rangle}$ on top. All four boxes read this same stack.
# - **Middle: three gates and a candidate.** Each box is an affine map of the stack followed by a
#   sigmoid (the gates, values in $(0, 1)$) or a tanh (the candidate, values in $(-1, 1)$).
# - **Top: the cell state.** The thick line carries $c^{\langle t-1 \rangle}$ from the previous step
#   to the next, touched only by one elementwise product and one sum. That line is the memory.
#
# ## The equations and the shapes
#
# With the stack $\chi^{\langle t \rangle} = [a^{\langle t-1 \rangle}; x^{\langle t \rangle}]$ of shape $(n_a + n_x, m)$:
#
# $$
# \begin{aligned}
# \underbrace{f^{\langle t \rangle}}_{(n_a,\ m)} &= \sigma\big(\underbrace{W_f}_{(n_a,\ n_a + n_x)}\, \chi^{\langle t \rangle} + \underbrace{b_f}_{(n_a,\ 1)}\big) && \text{forget gate} \\
# i^{\langle t \rangle} &= \sigma\big(W_i\, \chi^{\langle t \rangle} + b_i\big) && \text{update (input) gate} \\
# \tilde c^{\langle t \rangle} &= \tanh\big(W_c\, \chi^{\langle t \rangle} + b_c\big) && \text{candidate} \\
# c^{\langle t \rangle} &= f^{\langle t \rangle} \odot c^{\langle t-1 \rangle} + i^{\langle t \rangle} \odot \tilde c^{\langle t \rangle} && \text{new cell state} \\
# o^{\langle t \rangle} &= \sigma\big(W_o\, \chi^{\langle t \rangle} + b_o\big) && \text{output gate} \\
# a^{\langle t \rangle} &= o^{\langle t \rangle} \odot \tanh\big(c^{\langle t \rangle}\big) && \text{new hidden state} \\
# \underbrace{\hat y^{\langle t \rangle}}_{(n_y,\ m)} &= \operatorname{softmax}\big(\underbrace{W_y}_{(n_y,\ n_a)}\, a^{\langle t \rangle} + \underbrace{b_y}_{(n_y,\ 1)}\big)
# \end{aligned}
# $$
#
# $W_i, W_c, W_o$ have the shape of $W_f$, $b_i, b_c, b_o$ that of $b_f$, and every gate, the
# candidate and both states are $(n_a, m)$. $\odot$ is the elementwise product (`*` in NumPy).
#
# ## The cell in small steps
#
# 1. **Stack.** `np.concatenate([a_prev, xt], axis=0)` gives $(n_a + n_x, m)$. One product
#    $W_f s$ is the same as $W_{f,a}\, a^{\langle t-1 \rangle} + W_{f,x}\, x^{\langle t \rangle}$ with
#    $W_f = [W_{f,a} \;\; W_{f,x}]$ split by columns: the stack is the RNN's two products written
#    as one. The first $n_a$ columns of each $W$ act on $a^{\langle t-1 \rangle}$, the rest on
#    $x^{\langle t \rangle}$.
# 2. **Gates are soft switches.** A sigmoid output near 1 lets a value through, near 0 blocks it,
#    unit by unit and example by example. $\sigma(-8) \approx 0.0003$, $\sigma(0) = 0.5$,
#    $\sigma(8) \approx 0.9997$: with large weights a gate becomes nearly binary.
# 3. **Forget, then write.** $f \odot c^{\langle t-1 \rangle}$ keeps a fraction of each memory unit;
#    $i \odot \tilde c$ adds a new proposal, scaled by how much the update gate admits. The
#    candidate $\tilde c$ is the RNN's tanh in a new role: it proposes, it does not overwrite.
# 4. **Show part of it.** $c^{\langle t \rangle}$ is not bounded (exercise 4), so it is squashed by
#    tanh, and the output gate chooses which units to reveal as $a^{\langle t \rangle}$. The memory
#    can hold something the hidden state does not (yet) show.
# 5. **Predict** from $a^{\langle t \rangle}$ exactly as the RNN did.
#
# **Names.** The widely used assignment this course started from ("Building your Recurrent
# Neural Network, Step by Step", the version lesson 06 corrects) calls $i$ the *update* gate
# ($\Gamma_u$), PyTorch and most
# papers the *input* gate; $f$, $i$, $o$ are sometimes written $\Gamma_f, \Gamma_u, \Gamma_o$. The
# step cache stores them as `ft`, `it`, `ot`, and the candidate as `cct`.
#
# The shapes on an example with all sizes different:

# %%
n_x, n_a, n_y, m = 3, 5, 2, 4
parameters_demo = initialize_lstm_parameters(n_x, n_a, n_y, seed=0)
rng = np.random.default_rng(0)
xt_demo, a_prev_demo = rng.standard_normal((n_x, m)), rng.standard_normal((n_a, m))
print("stack [a_prev; xt]", np.concatenate([a_prev_demo, xt_demo], axis=0).shape)
for name, value in parameters_demo.items():
    print(f"{name:18}", value.shape)

# %% [markdown]
# ## Your turn: `lstm_cell_forward`
#
# Complete the cell below; the parameters are already unpacked. In order:
#
# 1. stack `a_prev` over `xt` into `concat`;
# 2. compute `ft`, `it`, `cct` and `ot` with `sigmoid`, `sigmoid`, `np.tanh`, `sigmoid`;
# 3. compute `c_next`, then `a_next` (mind: `tanh(c_next)`, not `tanh(c_prev)`);
# 4. compute `yt_pred` with `softmax`.
#
# The last lines build the cache in the course's layout,
# `(a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, parameters)`; lesson 06 reads it. Use
# `*` for $\odot$ and `@` for the matrix products, and do not modify the inputs.

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
from rnn_utils.checks import check_lstm_cell_forward

check_lstm_cell_forward(lstm_cell_forward)

# %% [markdown]
# ## Over a sequence: `lstm_forward`
#
# The loop is lesson 02's with **two** states carried from step to step: the `a_next` and the
# `c_next` of step $t$ are the `a_prev` and `c_prev` of step $t+1$. The initial hidden state
# $a^{\langle 0 \rangle}$ is given; the initial cell state $c^{\langle 0 \rangle}$ is **zeros**
# (the memory starts empty), made inside the function. Besides `a` and `y`, the function returns
# every cell state in `c`, of shape $(n_a, m, T_x)$, so that we can watch the memory. As before,
# Python index `t` holds step $t+1$, and the caches are `(list of the T_x step caches, x)`.
#
# Complete `lstm_forward`: create `a`, `c` and `y` filled with zeros, start from `a0` and a zero
# $(n_a, m)$ cell state, call your `lstm_cell_forward` on `x[:, :, t]` at every step, store its
# results in the slots of index `t`, append its cache to `caches`, and carry both states on.

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
from rnn_utils.checks import check_lstm_forward

check_lstm_forward(lstm_forward)

# %% [markdown]
# ## The familiar cross-check
#
# The test inputs of the well-known "Building your Recurrent Neural Network - Step by Step"
# assignment (legacy `np.random.seed(1)`, $n_x = 3$, $m = 10$, $T_x = 7$, $n_a = 5$, $n_y = 2$,
# parameters drawn in the order below). Its published figures for a correct `lstm_forward` are
# `a[4][3][6] = 0.172117767533`, `y[1][4][3] = 0.95087346185` and `c[1][2][1] = -0.855544916718`.
# The cell runs *your* function.

# %%
np.random.seed(1)
x_tmp = np.random.randn(3, 10, 7)
a0_tmp = np.random.randn(5, 10)
parameters_tmp = {}
for gate in "fioc":  # the seed draws the gates in this order: forget, update, output, candidate
    parameters_tmp["W" + gate] = np.random.randn(5, 5 + 3)
    parameters_tmp["b" + gate] = np.random.randn(5, 1)
parameters_tmp["Wy"] = np.random.randn(2, 5)
parameters_tmp["by"] = np.random.randn(2, 1)
a_tmp, y_tmp, c_tmp, caches_tmp = lstm_forward(x_tmp, a0_tmp, parameters_tmp)
print("a[4][3][6] =", round(float(a_tmp[4][3][6]), 12))
print("y[1][4][3] =", round(float(y_tmp[1][4][3]), 11))
print("c[1][2][1] =", round(float(c_tmp[1][2][1]), 12))
print("a.shape =", a_tmp.shape, " y.shape =", y_tmp.shape, " c.shape =", c_tmp.shape)
print("len(caches[0]) =", len(caches_tmp[0]), " entries per step cache:", len(caches_tmp[0][0]))
published = [(a_tmp[4][3][6], 0.172117767533), (y_tmp[1][4][3], 0.95087346185),
             (c_tmp[1][2][1], -0.855544916718)]
print("matches the published figures:",
      all(abs(float(mine) - value) < 1e-11 for mine, value in published))

# %% [markdown]
# ## Experiment: a number kept for 45 steps
#
# Can the cell state really hold something? Here is an LSTM with **one** unit ($n_a = 1$) whose
# weights are set by hand, not trained, for a toy task. Each input has three channels,
# $x^{\langle t \rangle} = (v, \text{store}, \text{recall})$: a value $v$, random in $[-1, 1]$ at
# every step (distractors), and two markers. At step 6 (index 5) the store marker is 1 and $v$
# is the number to remember; at step 51 (index 50) the recall marker is 1. The sequence has 60
# steps, and the batch holds four sequences that store $-0.8$, $-0.3$, $0.3$ and $0.8$.
#
# The weights act on the stack $[a^{\langle t-1 \rangle}; v; \text{store}; \text{recall}]$ (the first
# column, on $a^{\langle t-1 \rangle}$, is 0 everywhere):
#
# - forget gate $f = \sigma(8 - 16\,\text{store})$: about $0.9997$, except at the store step
#   where it drops to $0.0003$ and clears the old memory;
# - update gate $i = \sigma(-8 + 16\,\text{store})$: closed, except at the store step;
# - candidate $\tilde c = \tanh(2 v)$: what would be written;
# - output gate $o = \sigma(-8 + 16\,\text{recall})$: the memory is shown only when asked;
# - output layer $W_y = (4, -4)^\top$, $b_y = 0$: $\hat y_0$ is the probability that the stored
#   number was positive.
#
# For comparison, an RNN with one unit fed the same inputs: $W_{ax} = (2, 0, 0)$, so it sees $v$
# exactly as the candidate does, and $W_{aa} = 1$, the edge between a state that decays
# ($W_{aa} < 1$) and a bistable one ($W_{aa} > 1$: the unit settles on one of two values, so it
# can keep a sign but no longer the value it was given). It runs through the course's reference `rnn_forward`; the
# LSTM runs through **your** `lstm_forward`.

# %%
def memory_task(values, T=60, store_step=5, recall_step=50, seed=5):
    """Inputs of the toy task: x of shape (3, m, T), channels value, store marker, recall marker.

    values -- the m numbers to store, array of shape (m,)
    """
    m = len(values)
    x = np.zeros((3, m, T))
    x[0] = np.random.default_rng(seed).uniform(-1, 1, (m, T))  # distractors, (m, T)
    x[0, :, store_step] = values
    x[1, :, store_step] = 1.0
    x[2, :, recall_step] = 1.0
    return x


values = np.array([-0.8, -0.3, 0.3, 0.8])
x_task = memory_task(values)  # (3, 4, 60)
parameters_lstm = {  # one unit; columns act on [a_prev; value; store; recall]
    "Wf": np.array([[0.0, 0.0, -16.0, 0.0]]), "bf": np.array([[8.0]]),
    "Wi": np.array([[0.0, 0.0, 16.0, 0.0]]), "bi": np.array([[-8.0]]),
    "Wc": np.array([[0.0, 2.0, 0.0, 0.0]]), "bc": np.array([[0.0]]),
    "Wo": np.array([[0.0, 0.0, 0.0, 16.0]]), "bo": np.array([[-8.0]]),
    "Wy": np.array([[4.0], [-4.0]]), "by": np.zeros((2, 1)),
}
parameters_rnn = {"Wax": np.array([[2.0, 0.0, 0.0]]), "Waa": np.array([[1.0]]),
                  "ba": np.zeros((1, 1)), "Wya": np.array([[4.0], [-4.0]]), "by": np.zeros((2, 1))}
a_lstm, y_lstm, c_lstm, caches_lstm = lstm_forward(x_task, np.zeros((1, 4)), parameters_lstm)
a_rnn, y_rnn, _ = rnn_forward(x_task, np.zeros((1, 4)), parameters_rnn)
gates = {name: np.stack([cache[k][0] for cache in caches_lstm[0]], axis=-1)  # (4, 60) each
         for name, k in (("ft", 4), ("it", 5), ("ot", 7))}

print("stored value                 ", values)
print("LSTM c at the store step     ", np.round(c_lstm[0, :, 5], 4))
print("LSTM c at the recall step    ", np.round(c_lstm[0, :, 50], 4))
print("LSTM a at the recall step    ", np.round(a_lstm[0, :, 50], 4))
print("LSTM P(positive) at recall   ", np.round(y_lstm[0, :, 50], 3))
print("RNN  a at the store step     ", np.round(a_rnn[0, :, 5], 4))
print("RNN  a at the recall step    ", np.round(a_rnn[0, :, 50], 4))
print("RNN  P(positive) at recall   ", np.round(y_rnn[0, :, 50], 3))
print("LSTM a, largest |a| elsewhere", round(float(np.abs(np.delete(a_lstm, 50, axis=2)).max()), 4))

# %% [markdown]
# The LSTM's memory barely moves: the cell state at the recall step is within 2% of what was
# written 45 steps before, the hidden state stays near 0 until the output gate opens, and the
# readout's P(positive) is 0.003, 0.02, 0.98 and 0.997: the right sign for all four. The RNN saw the
# same value through the same weight, but it has no gate to keep the distractors out: each of
# them is written into its state too. Already at the store step its state mixes in what came
# before (0.856 for a stored 0.3), and at the recall step it is whatever the last distractors
# left: the positive values come out near 0 (the smaller one with the wrong sign), and the
# negative ones keep their sign by luck, as the gradient below confirms.
#
# One draw of distractors could be a lucky one. The same two models on ten other draws (seeds 10
# to 19), four stored values each:

# %%
right_lstm, right_rnn, worst_lstm = 0, 0, 1.0
for seed in range(10, 20):
    x_draw = memory_task(values, seed=seed)  # (3, 4, 60)
    p_lstm = lstm_forward(x_draw, np.zeros((1, 4)), parameters_lstm)[1][0, :, 50]  # (4,)
    p_rnn = rnn_forward(x_draw, np.zeros((1, 4)), parameters_rnn)[1][0, :, 50]  # (4,)
    right_lstm += int(np.sum((p_lstm > 0.5) == (values > 0)))
    right_rnn += int(np.sum((p_rnn > 0.5) == (values > 0)))
    worst_lstm = min(worst_lstm, float(np.min(np.where(values > 0, p_lstm, 1 - p_lstm))))
print(f"right sign at recall, 40 values: LSTM {right_lstm}, RNN {right_rnn}")
print(f"LSTM, smallest probability of the right sign: {worst_lstm:.2f}")
assert right_lstm == 40 and worst_lstm > 0.95 and right_rnn < 35

# %% [markdown]
# The LSTM recalls every value, always with a probability of at least 0.98 for the right sign
# (the cell asserts more than 0.95; its gates do not look at the distractors); the RNN gets 22
# of 40, about what a coin would (20), and the cell asserts fewer than 35. (On 40 further draws,
# seeds 100 to 139, `benchmarks/claims_over_seeds.py` finds the same: the LSTM right for all 160
# values, each with a probability of at least 0.97, the RNN right for 17 to 21 of every 40.)
#
# The sequence that stores 0.8, its inputs and the LSTM's gates; then the memory of all four
# sequences, in the LSTM's cell state and in the RNN's state (dotted lines: store and recall):

# %%
figure, axes = plt.subplots(4, 1, figsize=(10, 9), sharex=True)
steps = np.arange(1, 61)  # step numbers t = 1 ... 60
pulses = {"drawstyle": "steps-mid"}  # draw one flat segment per step
axes[0].plot(steps, x_task[0, 3], color="0.6", label="value $v$", **pulses)
axes[0].plot(steps, x_task[1, 3], color="tab:green", label="store", **pulses)
axes[0].plot(steps, x_task[2, 3], color="tab:purple", label="recall", **pulses)
axes[0].set_title("inputs of the sequence that stores 0.8")
for name, color in (("ft", "tab:red"), ("it", "tab:green"), ("ot", "tab:purple")):
    axes[1].plot(steps, gates[name][3], color=color, label=name, **pulses)
axes[1].set_title("gates of the LSTM, same sequence")
colors = ["tab:blue", "tab:cyan", "tab:orange", "tab:red"]
for k, color in enumerate(colors):
    axes[2].plot(steps, c_lstm[0, k], color=color, label=f"stores {values[k]}", **pulses)
    axes[3].plot(steps, a_rnn[0, k], color=color, label=f"stores {values[k]}", **pulses)
axes[2].set_title("cell state c of the LSTM, all four sequences")
axes[3].set_title("state a of the RNN, same inputs")
axes[3].set_xlabel("step t")
for ax in axes:
    ax.axvline(6, color="tab:green", linewidth=0.8, linestyle=":")  # the store step
    ax.axvline(51, color="tab:purple", linewidth=0.8, linestyle=":")  # the recall step
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8)
figure.tight_layout()
plt.show()

# %% [markdown]
# And the gradient? Along the cell-state line, from the store step to the recall step, the
# local derivatives multiply to $\prod_t f^{\langle t \rangle}$. Along the RNN's state they multiply
# to $\prod_t W_{aa} (1 - (a^{\langle t \rangle})^2)$. Both products, over the 45 steps:

# %%
path = slice(6, 51)  # indices 6 ... 50: the 45 steps after the store step
lstm_product = np.prod(gates["ft"][:, path], axis=1)  # (4,)
rnn_product = np.prod(parameters_rnn["Waa"][0, 0] * (1 - a_rnn[0, :, path] ** 2), axis=1)
print("LSTM, product of f over 45 steps:        ", np.round(lstm_product, 4))
print("RNN, product of Waa (1 - a^2), as log10: ", np.round(np.log10(rnn_product), 1))

# %% [markdown]
# $\sigma(8)^{45} \approx 0.985$ for the LSTM, against $10^{-21.7}$ to $10^{-23.6}$ for the
# RNN: a signal from the store step reaches the recall step undiminished along the cell state,
# and not at all through the RNN's state. Here the weights were set by hand. A trained LSTM has to
# *find* such gates by gradient descent, and the additive path is what lets the gradient from
# the recall step reach the store step to teach it: lesson 06 computes that gradient, lesson 07
# compares how far back it reaches in both models.
#
# ## From this notebook to PyTorch's `nn.LSTM`
#
# `torch.nn.LSTM(input_size=n_x, hidden_size=n_a)` computes the same cell, with $h$ for $a$ and
# $g$ for the candidate $\tilde c$:
#
# $$
# \begin{aligned}
# i_t &= \sigma(W_{ii} x_t + b_{ii} + W_{hi} h_{t-1} + b_{hi}), &
# f_t &= \sigma(W_{if} x_t + b_{if} + W_{hf} h_{t-1} + b_{hf}), \\
# g_t &= \tanh(W_{ig} x_t + b_{ig} + W_{hg} h_{t-1} + b_{hg}), &
# o_t &= \sigma(W_{io} x_t + b_{io} + W_{ho} h_{t-1} + b_{ho}), \\
# c_t &= f_t \odot c_{t-1} + i_t \odot g_t, &
# h_t &= o_t \odot \tanh(c_t).
# \end{aligned}
# $$
#
# - **Stacked gates, in the order i, f, g, o.** `weight_ih_l0` $(4 n_a, n_x)$ stacks the four input
#   matrices as rows, $[W_{ii}; W_{if}; W_{ig}; W_{io}]$, and `weight_hh_l0` $(4 n_a, n_a)$ the four
#   recurrent ones. Ours keep one matrix per gate, acting on $[a^{\langle t-1 \rangle}; x^{\langle t \rangle}]$:
#   `Wf[:, n_a:]` is $W_{if}$ and `Wf[:, :n_a]` is $W_{hf}$. Our order f, i, c, o is not theirs:
#   rows $n_a$ to $2 n_a$ of PyTorch's matrices are the **forget** gate.
# - **Two biases.** `bias_ih_l0` and `bias_hh_l0`, each $(4 n_a,)$ in the same order, always
#   added together: only their sum, our `bf`, `bi`, `bc`, `bo` stacked, matters. PyTorch has
#   $4 n_a$ more parameters than the model needs.
# - **Layout.** Input $(T_x, m, n_x)$ = `x.transpose(2, 1, 0)`, sequence first (or
#   `batch_first=True`). It returns `output` $(T_x, m, n_a)$, every $h_t$, and the pair
#   `(h_n, c_n)`, each $(1, m, n_a)$; it takes `(h_0, c_0)` and uses zeros for both if omitted.
#   Only the last cell state comes out; our `c` keeps them all.
# - **No output layer**, as for `nn.RNN`: our `Wy`, `by` are an `nn.Linear(n_a, n_y)`.
#
# The cell below builds PyTorch-layout weights from the cross-check's parameters, runs
# PyTorch's recurrence written in NumPy, and compares with your states.

# %%
n_a_tmp = 5
torch_order = ("i", "f", "c", "o")  # PyTorch's i, f, g, o; g is our candidate c
W_ih = np.concatenate([parameters_tmp["W" + g][:, n_a_tmp:] for g in torch_order])  # (4 n_a, n_x)
W_hh = np.concatenate([parameters_tmp["W" + g][:, :n_a_tmp] for g in torch_order])  # (4 n_a, n_a)
b_sum = np.concatenate([parameters_tmp["b" + g][:, 0] for g in torch_order])  # (4 n_a,)
b_ih, b_hh = 0.5 * b_sum, 0.5 * b_sum  # any split works
h, c_state = a0_tmp.T, np.zeros((10, n_a_tmp))  # (m, n_a): h_0 and c_0
outputs = []
for x_t in x_tmp.transpose(2, 1, 0):  # x_t: (m, n_x)
    z = x_t @ W_ih.T + b_ih + h @ W_hh.T + b_hh  # (m, 4 n_a)
    i_g, f_g, g_g, o_g = np.split(z, 4, axis=1)  # four (m, n_a) blocks, in PyTorch's order
    c_state = sigmoid(f_g) * c_state + sigmoid(i_g) * np.tanh(g_g)
    h = sigmoid(o_g) * np.tanh(c_state)
    outputs.append(h)
output = np.stack(outputs)  # (T_x, m, n_a)
print("weight_ih_l0", W_ih.shape, " weight_hh_l0", W_hh.shape, " bias_ih_l0", b_ih.shape)
print("same hidden states as lstm_forward:", bool(np.allclose(output, a_tmp.transpose(2, 1, 0))))
print("c_n is the last of c:              ", bool(np.allclose(c_state, c_tmp[:, :, -1].T)))

# %% [markdown]
# ## Summary
#
# - The LSTM carries two states: the hidden state $a$, which the gates and the output layer
#   read, and the cell state $c$, the memory, with $c^{\langle 0 \rangle} = 0$.
# - Three sigmoid gates, each $(n_a, m)$ with values in $(0, 1)$, work elementwise as soft
#   switches: forget ($f$) scales the old memory, update ($i$) admits the candidate $\tilde c$,
#   output ($o$) decides what of $\tanh(c)$ becomes $a$. Each has its own
#   $W$ of shape $(n_a, n_a + n_x)$ acting on $[a^{\langle t-1 \rangle}; x^{\langle t \rangle}]$ and its
#   own $b$ of shape $(n_a, 1)$: four times the parameters of an RNN of the same size.
# - $c^{\langle t \rangle} = f \odot c^{\langle t-1 \rangle} + i \odot \tilde c$ is additive; its
#   derivative along the cell-state line is $\operatorname{diag}(f)$, without a weight matrix or a
#   tanh slope. With $f \approx 1$ a value, and a gradient, survives many steps: the product of
#   $f$ over 45 steps was 0.985 in the experiment, where an RNN lost the value among distractors.
# - PyTorch stacks the gates as i, f, g, o into `weight_ih_l0` $(4 n_a, n_x)$ and `weight_hh_l0`
#   $(4 n_a, n_a)$, with two biases; our `W[:, n_a:]` and `W[:, :n_a]` are its blocks.

# %% [markdown]
# ## Exercises
#
# Answer on paper or in a new cell; the solution version of this notebook has the answers.
#
# ### Exercise 1: what an LSTM costs
#
# Take $n_x = 50$, $n_a = 128$, $n_y = 10$. How many parameters has the LSTM with its output
# layer, and how many the RNN of lesson 02 (24 202)? How many has `nn.LSTM(50, 128)`, and why is
# that not the LSTM count minus the output layer? Which arrays of a step cache are new, that is
# not shared with another step or with `x`, and how does the cache memory compare with the RNN's?

# %% [markdown] tags=["answer"]
# **Answer.** Each gate has $n_a (n_a + n_x) + n_a = 128 \times 178 + 128 = 22\,912$ parameters,
# four gates $91\,648$, plus $W_y, b_y$: $1\,280 + 10$, in all $92\,938$, about 3.8 times the RNN.
# `nn.LSTM(50, 128)` has $4 \cdot 128 \cdot 50 + 4 \cdot 128 \cdot 128 + 2 \cdot 4 \cdot 128 = 92\,160$:
# no output layer, but a second bias vector of $4 n_a = 512$ ($91\,648 + 512$). The products
# also take about four times the work. In a step cache, `a_prev` and `c_prev` are the previous
# step's `a_next` and `c_next`, `xt` is a view into `x` and `parameters` is shared; new are
# `a_next`, `c_next`, `ft`, `it`, `cct`, `ot`: six $(n_a, m)$ arrays per step against the RNN's
# one. (Lesson 06 could recompute the gates from the stack instead, trading time for memory.)

# %% [markdown]
# ### Exercise 2: the forget-gate bias
#
# At initialisation the weights are small and the biases often zero, so every gate is about
# $\sigma(0) = 0.5$. By what factor is a value in the cell state scaled after 20 steps, along the
# cell-state line? And with $b_f = 1$, or $b_f = 2$? Why is initialising $b_f$ to 1 a common
# recommendation, and how would you do it for PyTorch's `nn.LSTM`?

# %% [markdown] tags=["answer"]
# **Answer.** Along the cell-state line the factor is $\prod f \approx \sigma(b_f)^{20}$:
# $0.5^{20} \approx 9.5 \times 10^{-7}$; with $b_f = 1$, $\sigma(1) \approx 0.731$ and
# $0.731^{20} \approx 1.9 \times 10^{-3}$; with $b_f = 2$, $0.881^{20} \approx 0.079$. The same
# factors multiply the gradient flowing back along $c$, so with $b_f = 0$ a freshly initialised
# LSTM forgets, and learns from, only the last few steps, like an RNN. A positive forget bias
# makes it remember by default and lets the gradient reach further back from the first update
# on; the network learns to close the gate where forgetting helps (Gers et al., 2000;
# Jozefowicz, Zaremba and Sutskever, 2015, recommend $b_f = 1$). PyTorch has no option for it:
# the forget rows are $n_a$ to $2 n_a$ (order i, f, g, o), and since the two biases add, set
# `lstm.bias_ih_l0.data[n_a:2 * n_a].fill_(1.0)` and `lstm.bias_hh_l0.data[n_a:2 * n_a].zero_()`.

# %% [markdown]
# ### Exercise 3: gates stuck open or shut
#
# What does the LSTM compute, and how does the gradient travel along $c$, when (a) $f = 1$ and
# $i = 1$ at every step; (b) $f = 0$ at every step?

# %% [markdown] tags=["answer"]
# **Answer.** (a) $c^{\langle t \rangle} = c^{\langle t-1 \rangle} + \tilde c^{\langle t \rangle}$, so
# $c^{\langle t \rangle} = \sum_{t' \le t} \tilde c^{\langle t' \rangle}$: a running sum of every
# candidate. The derivative along $c$ is exactly 1 at every step, the "constant error carousel"
# of the original 1997 LSTM, which had no forget gate. But nothing can ever be erased: the sum
# drifts, can grow like $t$, and $\tanh(c)$ saturates, so the hidden state stops carrying
# information. That is why the forget gate was added. (b) $c^{\langle t \rangle} = i \odot \tilde c^{\langle t \rangle}$:
# the cell state lives for one step only, and all memory must pass through
# $a^{\langle t-1 \rangle}$ and the weight matrices, as in an RNN: the gradient along $c$ is cut
# (its derivative is 0), and the remaining paths have the RNN's products of $W^\top$ and slopes.

# %% [markdown]
# ### Exercise 4: how large can the states get?
#
# With $c^{\langle 0 \rangle} = 0$, show that $|c^{\langle t \rangle}| < t$ elementwise and that
# $|a^{\langle t \rangle}| < 1$. What would go wrong with $a^{\langle t \rangle} = o \odot c^{\langle t \rangle}$,
# without the tanh?

# %% [markdown] tags=["answer"]
# **Answer.** Elementwise, $0 < f < 1$, $0 < i < 1$ and $|\tilde c| < 1$, so
# $|c^{\langle t \rangle}| \le f\, |c^{\langle t-1 \rangle}| + i\, |\tilde c| < |c^{\langle t-1 \rangle}| + 1$;
# by induction from $c^{\langle 0 \rangle} = 0$, $|c^{\langle t \rangle}| < t$. The bound is reached
# only approximately, with gates near 1 and candidates near $\pm 1$ at every step. And
# $|a| = o\, |\tanh(c)| < 1$. Without the tanh, $a$ could grow like $t$; it feeds back into all
# four gates through $W_{\cdot}[:, :n_a]$, so large values would saturate every gate (slopes near
# 0, the vanishing gradient again) and the output layer's softmax. The tanh keeps what leaves the
# cell in the same range as an RNN's state, whatever the memory holds.

# %% [markdown]
# ### Exercise 5: one matrix for four gates
#
# Rewrite the gate computation of `lstm_cell_forward` with a single matrix product. What shape
# has the stacked matrix, why is it faster, and how do you get PyTorch's `weight_ih_l0` and
# `weight_hh_l0` from it?

# %% [markdown] tags=["answer"]
# **Answer.** Stack the four matrices and biases by rows,
# `W = np.concatenate([Wf, Wi, Wc, Wo])` of shape $(4 n_a, n_a + n_x)$ and
# `b = np.concatenate([bf, bi, bc, bo])` of shape $(4 n_a, 1)$; then
# `z = W @ concat + b` is $(4 n_a, m)$, and `zf, zi, zc, zo = np.split(z, 4)` gives the four
# pre-activations, each $(n_a, m)$, to pass through sigmoid, sigmoid, tanh, sigmoid. One large
# product instead of four small ones reads the stack once and keeps the hardware busier (fewer
# calls, better use of vectorised kernels); every fast LSTM implementation does this. For
# PyTorch, reorder the row blocks to i, f, g, o and split the columns:
# `W_torch = np.concatenate([Wi, Wf, Wc, Wo])`, then `weight_hh_l0 = W_torch[:, :n_a]` and
# `weight_ih_l0 = W_torch[:, n_a:]`, the construction of the PyTorch section above.
