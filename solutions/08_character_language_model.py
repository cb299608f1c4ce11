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
# # Lesson 08 · The capstone: a character-level language model
#
# **Time.** About 90 minutes for the core, 45 more for the optional Going further at the end.
# Every symbol of the course, its meaning and shape: [the notation table](../docs/notation.md).
#
# ## Goal and prerequisites
#
# **Goal.** Train a recurrent network that has read 4,642 American first names to invent new
# ones, letter by letter, with the forward and backward passes of this course. You write the
# six pieces a real training run is made of:
#
# 1. `sample(parameters, temperature, rng, max_length)`: let the model write a name, one
#    character at a time, with a temperature;
# 2. `sgd_update` and 3. `adagrad_update`: the optimiser's step, as new arrays;
# 4. `training_step(...)`: forward, loss, output layer, BPTT, clipping, update, composed of
#    your functions of lessons 02, 04 and 07;
# 5. `train_truncated(...)`: truncated BPTT on a stream of characters, the state carried from
#    window to window while the gradient stops, one update per window (min-char-rnn's `hprev`);
# 6. `loss_per_character(x, y, parameters)`: the held-out loss in nats per character and the
#    perplexity, the numbers by which language models are compared.
#
# Then you train it and measure the learning curves against two baselines, each claim over
# five seeds ("Going further" measures more: the temperature, an LSTM, the window $k$, clipping).
#
# **Prerequisites.** Lessons 01-02 (the RNN forward pass, its caches), lesson 04 (BPTT,
# `softmax_cross_entropy`, `output_layer_backward`), lesson 07 (`clip_by_norm`, exploding
# gradients), lessons 05-06 for the LSTM comparison of Going further.
#
# **Your earlier code is not needed here.** As in every lesson, the functions of earlier
# lessons come from `rnn_utils.reference`; the ones you write here are yours, and each check
# runs with the reference versions of the helpers, so one mistake costs one exercise.

# %%
import os

# The matrices here are small (64 x 64): one BLAS thread is faster than several, which only
# wait for each other. Set before NumPy starts; it changes the speed, never a result.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import matplotlib.pyplot as plt
import numpy as np

from rnn_utils import charlm, initialize_rnn_parameters, softmax
from rnn_utils.reference import (
    clip_by_norm,
    output_layer_backward,
    rnn_backward,
    rnn_forward,
    softmax_cross_entropy,
)

np.set_printoptions(precision=4, suppress=True)
SEEDS = (0, 1, 2, 3, 4)  # every claim of this lesson is measured on these five seeds

# %% [markdown]
# ## The data
#
# `charlm.load_words()` reads the course's list of 5,163 distinct first names: the male and
# female first-name lists of the US Census of 1990 (public domain), lower-cased, shipped inside
# the `rnn_utils` package (`rnn_utils/first_names_provenance.md` says where it comes from).
# Nothing is downloaded. `charlm.split_words` holds out one name in ten, chosen by a hash of
# the name itself (`zlib.crc32`), so the split is the same on every machine. The model never
# trains on the held-out names: they measure how well it *generalises*.
#
# The vocabulary has 27 symbols: the **end-of-name token** `"\n"` (index 0) and the letters
# a-z (1-26). A name is read as the inputs ⏎, a, n, n, a and the targets a, n, n, a, ⏎: at
# every step the model predicts the next character, and predicting ⏎ means "the name is over".
#
# **Your own list.** `charlm.load_words("my_words.txt")` reads any text file with one word per
# line (letters a-z, any case): cities, Pokémon without accents, dinosaurs. Set `WORDS_FILE`
# below and rerun the notebook (exercise 2). A line with another character is refused with
# its line number. The lesson's claims are asserted for the course's names only (`claim`
# below): with your own list a claim that fails is reported, and the run goes on.

# %%
WORDS_FILE = None  # e.g. "my_words.txt"; None: the course's first names


def claim(holds, details):
    """Assert a claim of the lesson on the course's names; with your own words, only report it."""
    if WORDS_FILE is None:
        assert np.all(holds), details
    elif not np.all(holds):
        print("with your words this claim of the lesson does not hold:", details)


words = charlm.load_words(WORDS_FILE)
train_words, held_out_words = charlm.split_words(words)
print(f"{len(words)} names: {len(train_words)} to train on, {len(held_out_words)} held out")
print("the first training names:", ", ".join(train_words[:8]))
print("the first held-out names:", ", ".join(held_out_words[:8]))
lengths = np.array([len(word) for word in words])
print(f"lengths {lengths.min()} to {lengths.max()} letters, mean {lengths.mean():.2f}")
print("vocabulary:", repr(charlm.VOCABULARY))

# %% [markdown]
# ## The picture
#
# ![Five RNN steps reading the name anna: the inputs at the bottom are the end token, a, n, n, a; the targets at the top are a, n, n, a and the end token; the hidden state flows from step to step, starting from zeros; in sampling, a dashed red arrow feeds each drawn character back as the next input](../notebooks/figures/char_language_model.svg)
#
# In training, the inputs are the name's own characters ("teacher forcing"): every step is
# told the true previous character and graded on its prediction of the next. In sampling
# there is no true name: the character the model draws at step $t$ becomes its input at step
# $t + 1$ (the dashed arrows), until it draws ⏎.
#
# ## The equations and the shapes
#
# One step, for a batch of $m$ names, with $n_x = n_y = 27$ (the vocabulary):
#
# $$
# \underbrace{a^{\langle t \rangle}}_{(n_a,\ m)} = \tanh\big(W_{ax} x^{\langle t \rangle}
#   + W_{aa} a^{\langle t-1 \rangle} + b_a\big), \qquad
# \underbrace{z^{\langle t \rangle}}_{(n_y,\ m)} = W_{ya} a^{\langle t \rangle} + b_y, \qquad
# \hat y^{\langle t \rangle} = \operatorname{softmax}\big(z^{\langle t \rangle}\big),
# $$
#
# with $x^{\langle t \rangle}$ the one-hot $(n_x, m)$ of the current character and
# $a^{\langle 0 \rangle} = 0$. The model gives the probability of a whole name
# $\mathrm{ch}_1 \dots \mathrm{ch}_n$ as a product, one factor per character, ⏎ included:
#
# $$
# P(\mathrm{ch}_1 \dots \mathrm{ch}_n) = \prod_{t=1}^{n+1} \hat y^{\langle t \rangle}_{\mathrm{ch}_t}, \qquad \mathrm{ch}_{n+1} = ⏎ ,
# $$
#
# and its **loss per character** on a set of names is the mean of $-\log \hat y_{\mathrm{ch}_t}$ over
# all $N$ predicted characters (nats per character), its **perplexity** the exponential:
#
# $$
# \mathcal L_{\text{char}} = -\frac{1}{N} \sum_{\text{names}} \sum_{t} \log \hat y^{\langle t \rangle}_{\mathrm{ch}_t},
# \qquad \text{perplexity} = e^{\mathcal L_{\text{char}}} .
# $$
#
# A perplexity of 8 means: on average the model is as unsure as if it chose uniformly among 8
# characters. Training minimises the same loss on the training names (lesson 04's
# `softmax_cross_entropy` sums it over the steps and averages over the $m$ names of a batch).
#
# **Temperature.** To sample, divide the scores by a temperature $\tau > 0$ before the softmax:
#
# $$
# p_j(\tau) = \frac{e^{z_j / \tau}}{\sum_k e^{z_k / \tau}} .
# $$
#
# $\tau = 1$ is the model's own distribution; $\tau < 1$ sharpens it (the likely characters
# become likelier: safe, common names), $\tau > 1$ flattens it (more surprise, more nonsense).
# Dividing the *probabilities* by $\tau$ and renormalising would change nothing: the ratios
# $p_k / p_j$ are what $\tau$ must change, and $e^{z_k/\tau} / e^{z_j/\tau} = (p_k/p_j)^{1/\tau}$.
#
# ## Two baselines
#
# A number means something only against a baseline.
#
# - **Uniform.** A model that knows nothing gives every one of the 27 symbols the probability
#   $1/27$: its loss is $\ln 27 \approx 3.30$ nats per character, whatever the name.
# - **Bigram, by counting.** A model that knows only the current character: $P(\mathrm{ch}_{t+1} = j
#   \mid \mathrm{ch}_t = i)$. Maximising the likelihood of the training names over these $27 \times 27$
#   numbers, one distribution per $i$, gives the relative counts
#   $\hat P(j \mid i) = \text{count}(i \to j) / \text{count}(i \to \cdot)$ (exercise 3 derives
#   it). We add 1 to every count (Laplace smoothing) so that a pair never seen in training,
#   which may occur in a held-out name, does not get probability 0 and an infinite loss.
#
# The RNN must beat the bigram: its state can carry more than the last character.

# %%
uniform_loss = np.log(len(charlm.VOCABULARY))
bigram = charlm.bigram_model(train_words, smoothing=1.0)  # (27, 27): column i is P(. | i)
bigram_held_out = charlm.bigram_loss(bigram, held_out_words)
print(f"uniform: {uniform_loss:.2f} nats per character (perplexity 27)")
print(f"bigram:  {bigram_held_out:.2f} nats per character on the held-out names "
      f"(perplexity {np.exp(bigram_held_out):.1f}), "
      f"{charlm.bigram_loss(bigram, train_words):.2f} on the training names")
most_likely_first = np.argsort(bigram[:, charlm.END])[::-1][:5]
print("most likely first letters:", ", ".join(charlm.VOCABULARY[i] for i in most_likely_first))

# %% [markdown]
# ## Your turn: `sample`
#
# Write the sampling loop of the picture. It starts from the input ⏎ (one-hot, index 0) and
# the state zeros. At every step: compute the new state and the scores, the probabilities
# `softmax(z / temperature)`, then make **one** draw with the generator you are given,
# `rng.choice(n_y, p=probabilities[:, 0])` (a flat vector of probabilities). Append the index;
# if it is 0 (⏎) stop; otherwise the drawn character, as a fresh one-hot column, is the next
# input and the new state is the next `a_prev`. Stop also after `max_length` draws.
#
# Why the generator is passed in: the same `rng` in the same state gives the same names, so
# a run can be reproduced (and checked), and no hidden global state is used. One draw per step
# keeps it so: a second call to `rng` would change every later name.

# %%
def sample(parameters, temperature, rng, max_length):
    """Sample one name from the trained RNN, one character at a time.

    The first input is the end-of-name token (index 0, one-hot) and the first state is zeros.
    At every step: a = tanh(Wax x + Waa a_prev + ba), z = Wya a + by, probabilities
    softmax(z / temperature); ONE draw, index = rng.choice(n_y, p=probabilities[:, 0]); the
    drawn index is appended, and becomes the next input (one-hot), while the state a is carried
    to the next step. Sampling stops after the end token (it is appended) or when max_length
    indices have been drawn.

    Arguments:
    parameters -- dict with Wax (n_a, n_x), Waa (n_a, n_a), Wya (n_y, n_a), ba (n_a, 1),
                  by (n_y, 1); the vocabulary is the same at the input and the output, n_x = n_y
    temperature -- a positive number: below 1 sharpens the distribution, above 1 flattens it
    rng -- a numpy.random.Generator, the only source of randomness (one draw per step)
    max_length -- the largest number of indices to draw, an integer >= 1

    Returns:
    indices -- list of int, the sampled indices (the end token 0 last, if it was drawn)
    """
    if not temperature > 0:
        raise ValueError(f"temperature must be positive, got {temperature!r}")
    if isinstance(max_length, bool) or not isinstance(max_length, (int, np.integer)) \
            or max_length < 1:
        raise ValueError(f"max_length must be an integer >= 1, got {max_length!r}")
    n_a, n_x = parameters["Wax"].shape
    if parameters["Wya"].shape[0] != n_x:
        raise ValueError(f"sampling feeds each output back as the next input: n_y must equal "
                         f"n_x = {n_x}, got Wya of shape {parameters['Wya'].shape}")
    x = np.zeros((n_x, 1))
    x[0] = 1.0  # the end token starts every name
    a_prev = np.zeros((n_a, 1))
    indices = []
    ### BEGIN SOLUTION
    while len(indices) < max_length:
        a_prev = np.tanh(parameters["Wax"] @ x + parameters["Waa"] @ a_prev + parameters["ba"])
        z = parameters["Wya"] @ a_prev + parameters["by"]  # (n_y, 1): the scores
        probabilities = softmax(z / temperature)  # the temperature divides the SCORES
        index = int(rng.choice(n_x, p=probabilities[:, 0]))  # one draw per step
        indices.append(index)
        if index == 0:  # the end token closes the name
            break
        x = np.zeros((n_x, 1))  # a fresh one-hot: the drawn character is the next input
        x[index] = 1.0
    ### END SOLUTION
    return indices

# %% points=3
from rnn_utils.checks import check_sample

check_sample(sample)

# %% [markdown]
# An untrained model (random weights) already writes "names": its scores are random, so its
# characters are nearly uniform, and the end token, one symbol in 27, comes late.

# %%
untrained = initialize_rnn_parameters(27, 64, 27, seed=0)
rng = np.random.default_rng(0)
untrained_names = [charlm.word_of(sample(untrained, 1.0, rng, 20)) for _ in range(200)]
print("untrained:", ", ".join(untrained_names[:6]))
print(f"mean length {np.mean([len(name) for name in untrained_names]):.1f} letters "
      f"(the names of the list: {lengths.mean():.1f})")

# %% [markdown]
# ## The optimiser: SGD and Adagrad
#
# Gradient descent moves every parameter against its gradient, with one step size for all:
#
# $$
# \theta \leftarrow \theta - \eta\, d\theta .
# $$
#
# For a language model one step size fits badly: the weights of the common letters get large
# gradients at every step, those of `q` or `x` rare ones. **Adagrad** (Duchi, Hazan and Singer,
# 2011; min-char-rnn's optimiser) gives every entry its own step size, which shrinks as the
# squared gradients of that entry add up:
#
# $$
# r \leftarrow r + d\theta \odot d\theta, \qquad
# \theta \leftarrow \theta - \eta\, \frac{d\theta}{\sqrt{r} + \epsilon_{A}} ,
# $$
#
# elementwise, with $r$ (the "memory", the shape of $\theta$) zero at the start and
# $\epsilon_{A} = 10^{-8}$ keeping the division finite. An entry with a constant gradient $g$ moves
# by $\eta\, g / (|g| \sqrt{t}) = \eta / \sqrt t$ at step $t$: the step no longer depends on
# the size of the gradient, only on its sign and history. This lesson puts $\epsilon_{A}$ outside
# the root, as `torch.optim.Adagrad` does; min-char-rnn writes `np.sqrt(mem + 1e-8)`, which
# differs only while $r$ is tiny.
#
# ## Your turn: `sgd_update`
#
# Return a **new** dict of **new** arrays: the caller (and your training loop) may still hold
# the old parameters, so `-=` on them is not allowed. The gradient of `parameters[name]` is
# `gradients["d" + name]`.

# %%
def sgd_update(parameters, gradients, learning_rate):
    """One step of (stochastic) gradient descent: p <- p - learning_rate * dp, for every p.

    Arguments:
    parameters -- dict of arrays, e.g. Wax, Waa, Wya, ba, by
    gradients -- dict of arrays of the same shapes, named "d" + parameter name (dWax, ...)
    learning_rate -- the step size, a positive number

    Returns:
    new_parameters -- a NEW dict with NEW arrays; the arguments are not modified
    """
    ### BEGIN SOLUTION
    new_parameters = {name: value - learning_rate * gradients["d" + name]
                      for name, value in parameters.items()}
    ### END SOLUTION
    return new_parameters

# %% points=1
from rnn_utils.checks import check_sgd_update

check_sgd_update(sgd_update)

# %% [markdown]
# ## Your turn: `adagrad_update`
#
# The same, with the memory: first add the squared gradient to the memory (a new array), then
# divide the step by the square root of the **new** memory plus $\epsilon_{A}$. Return the new
# parameters and the new memory; change neither argument.

# %%
def adagrad_update(parameters, gradients, memory, learning_rate, epsilon=1e-8):
    """One step of Adagrad, as min-char-rnn and torch.optim.Adagrad take it.

    For every parameter p with gradient dp and memory s:
        s_new = s + dp**2                                   (elementwise)
        p_new = p - learning_rate * dp / (sqrt(s_new) + epsilon)

    Arguments:
    parameters -- dict of arrays, e.g. Wax, Waa, Wya, ba, by
    gradients -- dict of arrays of the same shapes, named "d" + parameter name
    memory -- dict of arrays of the same shapes and the parameters' names: the sum of the
              squared gradients of all earlier steps (zeros before the first step)
    learning_rate -- the step size, a positive number
    epsilon -- a small positive number that keeps the division finite

    Returns:
    new_parameters, new_memory -- two NEW dicts of NEW arrays; the arguments are not modified
    """
    ### BEGIN SOLUTION
    new_memory = {name: memory[name] + gradients["d" + name] ** 2 for name in parameters}
    new_parameters = {name: parameters[name] - learning_rate * gradients["d" + name]
                      / (np.sqrt(new_memory[name]) + epsilon) for name in parameters}
    ### END SOLUTION
    return new_parameters, new_memory

# %% points=2
from rnn_utils.checks import check_adagrad_update

check_adagrad_update(adagrad_update)

# %% [markdown]
# ## Your turn: `training_step`
#
# One step of training on one window of $T_x$ steps composes the whole course:
#
# 1. `rnn_forward(x, a0, parameters)` (lesson 02) from the state `a0` the window starts in;
# 2. `softmax_cross_entropy(y_pred, y)` (lesson 04): the loss and `dz`;
# 3. **padding**: a batch of names of unequal lengths is padded after each name's end with
#    zero columns in `x` and `y`. Those steps add nothing to the loss, but
#    `dz = (y_pred - y) / m` is `y_pred / m` there, a gradient that would push every score
#    down. Multiply `dz` by the mask `np.sum(y, axis=0, keepdims=True)`, shape $(1, m, T_x)$: 1
#    where there is a target, 0 at padding;
# 4. `output_layer_backward(dz, a, parameters)` (lesson 04): `da`, `dWya`, `dby`;
# 5. `rnn_backward(da, caches)` (lesson 04): `dWax`, `dWaa`, `dba` (its `da0` is not used:
#    the gradient stops at the window's start);
# 6. `clip_by_norm` (lesson 07) of the dict of the **five** parameter gradients together;
# 7. `adagrad_update` (yours, above).
#
# Return the loss, the last state `a[:, :, -1]` (where the next window starts), and the new
# parameters and memory.

# %%
def training_step(x, y, a0, parameters, memory, learning_rate, max_norm):
    """One step of training on one window: forward, loss, backward, clipping, Adagrad.

    Composes the earlier lessons: rnn_forward from a0 (02), softmax_cross_entropy (04),
    output_layer_backward (04), rnn_backward (04), clip_by_norm of the five parameter
    gradients dWax, dWaa, dba, dWya, dby together (07), then adagrad_update (this lesson).
    The gradient stops at a0: it belongs to the window before, which is done. A step whose
    target column is all zeros (padding after the end of a shorter name) adds nothing to the
    loss, and must add nothing to the gradient: its column of dz is set to zero.

    Arguments:
    x -- inputs of the window, one-hot, shape (n_x, m, T_x)
    y -- targets (the next characters), one-hot, shape (n_y, m, T_x); zero columns at padding
    a0 -- the state the window starts from, shape (n_a, m)
    parameters -- dict Wax, Waa, Wya, ba, by
    memory -- Adagrad's memory, a dict with the parameters' names and shapes
    learning_rate -- Adagrad's step size
    max_norm -- the threshold of clip_by_norm

    Returns:
    loss -- softmax_cross_entropy's loss of the window (before the update), a float
    a_last -- the hidden state after the window's last step, shape (n_a, m)
    new_parameters, new_memory -- what adagrad_update returns
    """
    ### BEGIN SOLUTION
    a, y_pred, caches = rnn_forward(x, a0, parameters)
    loss, dz = softmax_cross_entropy(y_pred, y)
    dz = dz * np.sum(y, axis=0, keepdims=True)  # (1, m, T_x) mask: 0 where there is no target
    output = output_layer_backward(dz, a, parameters)
    recurrent = rnn_backward(output["da"], caches)  # da0 is dropped: the gradient stops here
    gradients = {"dWax": recurrent["dWax"], "dWaa": recurrent["dWaa"], "dba": recurrent["dba"],
                 "dWya": output["dWya"], "dby": output["dby"]}
    gradients = clip_by_norm(gradients, max_norm)
    new_parameters, new_memory = adagrad_update(parameters, gradients, memory, learning_rate)
    a_last = a[:, :, -1]
    ### END SOLUTION
    return loss, a_last, new_parameters, new_memory

# %% points=3
from rnn_utils.checks import check_training_step

check_training_step(training_step)

# %% [markdown]
# ## Truncated BPTT on a stream
#
# ![Truncated BPTT with T_x = 6 and k = 3: the hidden state flows forward through all six steps; the gradient flows backward within window 1 (steps 1-3) and within window 2 (steps 4-6) but not from step 4 into step 3; every step still receives its own output's gradient; the first window sends da0 to a0](../notebooks/figures/bptt_truncated.svg)
#
# Karpathy's min-char-rnn reads a text as one long **stream** of characters and cuts it into
# windows of $k$ steps (25 there). Each window is one `training_step`: forward from the state
# the window before ended in (`hprev`), backward through the $k$ steps of the window only, one
# update. The forward state flows across the window boundaries, so the model sees its whole
# past; the gradient does not, so it learns only dependencies up to $k$ steps long. Memory is
# $O(k\, n_a\, m)$ however long the stream, and the parameters improve every $k$ characters
# instead of once per pass.
#
# *Stopping the gradient* needs no code here: `training_step` starts its forward pass from
# `a0` as a plain array, so nothing links it to the caches of the window before (in PyTorch
# this is `h = h.detach()`).
#
# For a mini-batch, `charlm.stream_batch(words, m, seed)` shuffles the names, joins them as
# ⏎ name ⏎ name ⏎ ..., and cuts the stream into $m$ rows, each a contiguous piece of text:
# $x$ and $y$ of shape $(27, m, L)$, $y$ being $x$ shifted by one step. Row $i$ of one window
# continues row $i$ of the window before, so the carried state belongs to the same text.
#
# ## Your turn: `train_truncated`
#
# Cut the stream into the windows `[0, k)`, `[k, 2k)`, ... (the last may be shorter:
# `x[:, :, start:start + k]` simply ends at $T_x$), and call `training_step` on each, with the
# state, parameters and memory the window before returned. Collect the losses.

# %%
def train_truncated(x, y, a0, parameters, memory, k, learning_rate, max_norm):
    """Truncated BPTT on a stream: windows of k steps, the state carried, one update each.

    The stream is cut into the windows [0, k), [k, 2k), ... (the last may be shorter). Each
    window is one training_step, starting from the state the window before ended in (its
    VALUE: no gradient crosses into the window before) and from the parameters and memory
    that step returned.

    Arguments:
    x -- the stream's inputs, one-hot, shape (n_x, m, T_x); y -- its targets, (n_y, m, T_x)
    a0 -- the state before the stream's first step, shape (n_a, m)
    parameters, memory -- as training_step takes them
    k -- the window length, an integer >= 1
    learning_rate, max_norm -- passed on to training_step

    Returns:
    losses -- list of float, the loss of every window, in order
    a_last -- the state after the stream's last step, shape (n_a, m)
    new_parameters, new_memory -- after the last window's update
    """
    if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or k < 1:
        raise ValueError(f"k must be an integer >= 1, got {k!r}")
    losses = []
    ### BEGIN SOLUTION
    a_prev = a0
    for start in range(0, x.shape[2], k):
        window = slice(start, start + k)  # the last window may be shorter
        loss, a_prev, parameters, memory = training_step(
            x[:, :, window], y[:, :, window], a_prev, parameters, memory, learning_rate,
            max_norm)
        losses.append(loss)
    ### END SOLUTION
    return losses, a_prev, parameters, memory

# %% points=3
from rnn_utils.checks import check_train_truncated

check_train_truncated(train_truncated)

# %% [markdown]
# ## Your turn: `loss_per_character`
#
# The number by which the model is judged: run the model over whole held-out names (each from
# the zero state, `a0 = 0`), sum $-\log \hat y$ at every target character, and divide by the
# number of **characters**, not of names or of steps. A batch of names of unequal lengths is
# padded with zero columns; `np.sum(y)` counts exactly the real targets, the end tokens
# included. Return the loss and the perplexity $e^{\mathcal L_{\text{char}}}$.

# %%
def loss_per_character(x, y, parameters):
    """The loss per character and the perplexity of the RNN on a batch of whole words.

    Every word starts from the zero state. Padding steps (after a word's end) have a target
    column of zeros: they add nothing to the loss and are not characters.

    Arguments:
    x -- inputs, one-hot, shape (n_x, m, T_x), zero columns after a word's end
    y -- targets, one-hot, shape (n_y, m, T_x), zero columns after a word's end
    parameters -- dict Wax, Waa, Wya, ba, by

    Returns:
    loss -- -(sum over every predicted character of log y_pred at its target) / (number of
            predicted characters), in nats per character, a float
    perplexity -- exp(loss), a float
    """
    ### BEGIN SOLUTION
    a0 = np.zeros((parameters["Waa"].shape[0], x.shape[1]))  # every word starts afresh
    _, y_pred, _ = rnn_forward(x, a0, parameters)
    n_characters = np.sum(y)  # one 1 per predicted character, the end tokens included
    loss = float(-np.sum(y * np.log(y_pred)) / n_characters)
    perplexity = float(np.exp(loss))
    ### END SOLUTION
    return loss, perplexity

# %% points=2
from rnn_utils.checks import check_loss_per_character

check_loss_per_character(loss_per_character)

# %% [markdown]
# ## Training
#
# The training runs below use `rnn_utils.charlm`'s fast path: the same step as your functions,
# computed faster, and five models at once (Going further shows how, and runs it side by side
# with your `train_truncated`).
#
# ### The recipe, five seeds
#
# The model: $n_a = 64$ (7,643 parameters). Each epoch shuffles the training names into
# batches of $m = 32$ whole names, each read from the zero state (full BPTT over a name of at
# most 11 letters is cheap; exercise 4 asks why the state is reset); Adagrad with
# $\eta = 0.1$, clipping at a global norm of 1.
# `EPOCHS` passes over the 4,642 training names. The claims, asserted below for the five
# seeds: the held-out loss ends below 2.1 nats per character, below the bigram's from the
# second epoch on; and the model fits its training names better than the held-out ones (it
# has begun to learn them by heart).

# %%
EPOCHS = 16
history = charlm.train_seeds(SEEDS, train_words, held_out_words, n_a=64, epochs=EPOCHS,
                             learning_rate=0.1, max_norm=1.0, m=32,
                             progress=f"training {len(SEEDS)} seeds, {EPOCHS} epochs")
held_out_curves = history["held_out"]  # (EPOCHS, 5): after each epoch, for each seed
final = held_out_curves[-1]
claim(np.all(final < 2.1), final)  # 20 other seeds: 2.016 to 2.056
claim(np.all(held_out_curves[1:] < bigram_held_out - 0.15), held_out_curves[1])
claim(np.all(history["train"][-1] < final - 0.1), (history["train"][-1], final))
print(f"held-out loss after {EPOCHS} epochs below 2.1 nats per character: "
      f"{np.sum(final < 2.1)} of {len(SEEDS)} seeds")
print(f"below the bigram ({bigram_held_out:.2f}) by more than 0.15 from epoch 2 on: "
      f"{np.sum(np.all(held_out_curves[1:] < bigram_held_out - 0.15, axis=0))} of {len(SEEDS)}")
print(f"training loss below the held-out loss by more than 0.1 at the end: "
      f"{np.sum(history['train'][-1] < final - 0.1)} of {len(SEEDS)}")

# %% [markdown]
# The curves of the five runs (an illustration: the exact values differ from machine to
# machine, the claims above do not). The training loss of an epoch is the mean over its
# batches, measured before each update; the held-out loss is measured after the epoch.

# %% tags=["nbval-ignore-output"]
figure, axes = plt.subplots(figsize=(8, 4))
epochs = np.arange(1, EPOCHS + 1)
for index in range(len(SEEDS)):
    axes.plot(epochs, held_out_curves[:, index], color="C0", alpha=0.7,
              label="held-out" if index == 0 else None)
    axes.plot(epochs, history["train"][:, index], color="C1", alpha=0.7,
              label="training" if index == 0 else None)
axes.axhline(uniform_loss, color="gray", linestyle=":", label=f"uniform ({uniform_loss:.2f})")
axes.axhline(bigram_held_out, color="gray", linestyle="--", label=f"bigram ({bigram_held_out:.2f})")
axes.axhline(2.1, color="C3", linewidth=0.8, label="2.1")
axes.set(xlabel="epoch", ylabel="loss per character (nats)", ylim=(1.7, 3.4),
         title="Five seeds: training and held-out loss per character")
axes.legend()
plt.show()
print("held-out loss after the last epoch, per seed:", np.round(final, 3))
print("perplexity of the best model:", np.round(np.exp(final.min()), 2))

# %% [markdown]
# Your `loss_per_character` on the held-out names, for the model of seed 0, gives the same
# number as the fast path:

# %%
model = charlm.seed_parameters(history, 0)  # seed 0's trained parameters, a dict
# Kept in a file of this folder: the explorer of Going further loads it after a restart.
charlm.save_model(model, words)
x_held, y_held = charlm.encode_words(held_out_words)  # (27, 521, 12), padded
held_loss, held_perplexity = loss_per_character(x_held, y_held, model)
print("your loss_per_character equals the fast path's:",
      bool(np.isclose(held_loss, final[0], rtol=1e-9)))
print(f"perplexity = exp(loss): {bool(np.isclose(held_perplexity, np.exp(held_loss)))}; a "
      f"perplexity near {np.exp(2.05):.1f} means choosing among about 8 characters, against "
      f"{np.exp(bigram_held_out):.1f} for the bigram and 27 for the uniform model")

# %% [markdown]
# ## Summary
#
# - A character-level language model predicts the next character at every step; the end
#   token ⏎ both starts a name (as the first input) and ends it (as the last target).
# - It is judged by the loss per character on held-out text, in nats, and by the perplexity
#   $e^{\mathcal L_{\text{char}}}$; the uniform model gives $\ln 27 = 3.30$, a bigram fitted by counting
#   about 2.39 here, the trained RNN below 2.1.
# - Sampling feeds each drawn character back as the next input and carries the state; the
#   temperature divides the **scores**; one draw per step from a generator passed in makes a
#   run reproducible.
# - Adagrad divides each entry's step by the root of its accumulated squared gradients;
#   optimisers return new arrays.
# - A training step composes the course: forward, loss, padding mask, output layer, BPTT,
#   clipping of all gradients together, update.
# - Truncated BPTT on a stream carries the state's value from window to window and stops the
#   gradient; its $k$ trades the reach of the gradient against the number of updates.
# - Clipping is what lets plain gradient descent use a large step; with Adagrad, which
#   already normalises its steps, it matters little (Going further measures both).

# %% [markdown]
# ## Going further (optional)
#
# Nothing graded depends on this section, and the core of the lesson ends above: take it now
# or come back to it. A live sampling explorer; the fast path of the training runs, checked
# against your `train_truncated`; four experiments over five seeds (samples at several temperatures; the
# RNN against an LSTM of the same size; the truncation window $k$; clipping with Adagrad and
# with plain gradient descent); the whole training loop in PyTorch; and five exercises.
#
# ### Explore: temperature and seed
#
# Move the temperature and change the seed: twelve names sampled live by your `sample` from
# seed 0's model (a star marks a name of the list), beside the distribution of the first
# letter at that temperature. Where do the names stop looking like names?
#
# After a restart or on a reopened notebook, run your `sample` cell and then this one: it
# imports what both use and loads the model the Training section saved (`charlm.MODEL_FILE`),
# no training again.

# %% tags=["nbval-ignore-output"]
# np and softmax again: your `sample` uses them, and after a restart they are gone.
import numpy as np

from rnn_utils import charlm, explorers, softmax  # noqa: F811

explorer_model, known_words = charlm.saved_or_quick_model()  # saved by the Training section
explorers.sampling_explorer(explorer_model, sample, known_words, charlm.VOCABULARY,
                            temperature=1.0, seed=0)

# %% [markdown]
# ### Your functions, and the fast path
#
# Your `train_truncated` runs the course's step-by-step functions (lesson 02's loop of
# `rnn_cell_forward`, lesson 04's loop of `rnn_cell_backward`). For the experiments, which
# train 5 models for thousands of steps, `rnn_utils.charlm` computes the same step faster:
# the input projections $W_{ax} x^{\langle t \rangle}$ of all steps in one matrix product
# (cuDNN does the same), the output layer of all steps in another, only the recurrence in a
# Python loop, and tanh computed from exp, which NumPy vectorises; `charlm.train_seeds`
# trains the 5 seeds' models together, one batched product per step for all of them. The
# tests of the course hold the fast step equal to `training_step` composed of the reference
# functions. The cell runs both on the first 60
# steps of a stream (5 windows of 12) from the same start and compares everything.

# %%
x_stream, y_stream = charlm.stream_batch(train_words, 32, seed=0)  # (27, 32, L) each
x_part, y_part = x_stream[:, :, :60], y_stream[:, :, :60]
start_parameters = initialize_rnn_parameters(27, 64, 27, seed=0)
start_memory = charlm.zeros_like_parameters(start_parameters)
yours = train_truncated(x_part, y_part, np.zeros((64, 32)), start_parameters, start_memory,
                        12, 0.1, 1.0)
fast = charlm.train_stream(x_part, y_part, start_parameters, start_memory, 12, 0.1, 1.0)
# Two orders of the same sums differ in the last digit; Adagrad's first steps, which divide a
# gradient by its own size, let such differences grow a little: hence "within 1e-6".
agree = (np.allclose(np.array(yours[0]) / 12, fast["losses"], rtol=0, atol=1e-6)
         and np.allclose(yours[1], fast["a_last"], rtol=0, atol=1e-6)
         and all(np.allclose(yours[2][name], fast["parameters"][name], rtol=0, atol=1e-6)
                 for name in start_parameters))
print(f"{len(yours[0])} windows; your train_truncated and the fast path agree within 1e-6: {agree}")
print(f"loss per character of the first window {yours[0][0] / 12:.2f} (uniform: {uniform_loss:.2f})")

# %% [markdown]
# ### Samples at several temperatures
#
# Each of the five models writes 300 names at the temperatures 0.5, 1 and 1.5 with your
# `sample` (the generator seeded with the model's seed). Two shares tell what the names are:
# **new** (not in the training list: the model did not just repeat a name it was taught) and
# **real** (in the whole list of 5,163 names: a held-out name the model never saw counts as
# both new and real, a good sign of generalisation). The claims asserted over the five models:
# the lower the temperature, the more real names; at temperature 1.5 most names are new, and
# few are real.

# %%
TEMPERATURES = (0.5, 1.0, 1.5)
shares = np.zeros((len(SEEDS), len(TEMPERATURES), 2))  # (seed, temperature, [new, real])
samples_of_seed_0 = {}
for index, seed in enumerate(SEEDS):
    parameters_seed = charlm.seed_parameters(history, index)
    for column, temperature in enumerate(TEMPERATURES):
        rng = np.random.default_rng([seed, column])
        names = [charlm.word_of(sample(parameters_seed, temperature, rng, 20))
                 for _ in range(300)]
        shares[index, column] = charlm.name_shares(names, train_words, words)
        if index == 0:
            samples_of_seed_0[temperature] = names
new, real = shares[:, :, 0], shares[:, :, 1]
fewer_real = (real[:, 0] > real[:, 1] + 0.15) & (real[:, 1] > real[:, 2])
mostly_new = (new[:, 0] < 0.75) & (new[:, 2] > 0.9) & (real[:, 2] < 0.1)
claim(np.all(fewer_real) and np.all(mostly_new), shares)
print(f"real names: at 0.5 more than at 1 by over 0.15, at 1 more than at 1.5: "
      f"{np.sum(fewer_real)} of 5 models")
print(f"new names: under 75% at 0.5; at 1.5 over 90% new and under 10% real: "
      f"{np.sum(mostly_new)} of 5 models")

# %% [markdown]
# What the names look like (seed 0's model; the draws, and so the names, differ from machine
# to machine once the trained weights differ in their last digits):

# %% tags=["nbval-ignore-output"]
for temperature, names in samples_of_seed_0.items():
    print(f"temperature {temperature}: {', '.join(names[:12])}")
print()
print(f"{'':18}" + "".join(f"{'tau = ' + str(t):>16}" for t in TEMPERATURES))
for label, column in (("new (mean)", 0), ("real (mean)", 1)):
    print(f"{label:18}" + "".join(f"{shares[:, c, column].mean():16.2f}" for c in range(3)))

# %% [markdown]
# At $\tau = 0.5$ fewer than three names in four are new (the cell above asserts it for every
# model): many are real names, and the others are built from the most common pieces of names:
# a sharpened distribution goes where the training data was densest. At $\tau = 1$ the share of
# real names is lower by more than 0.15, and at $\tau = 1.5$ lower again: the model invents
# freely, over 90% of the names are new and fewer than one in ten is real. (The illustration
# above prints this machine's mean shares.) As $\tau \to 0$ every draw becomes the argmax (exercise 1):
# one name, always the same.

# %% [markdown]
# ### The vanilla RNN against the LSTM, at equal size
#
# Lessons 05-07 showed why an LSTM carries information (and gradients) further. Names are
# short, so is it worth it here? An LSTM with $n_a = 29$ has 7,422 parameters (four gates of
# $29 \times (29 + 27) + 29$, and the output layer), the RNN with $n_a = 64$ has 7,643: the same
# budget. `charlm.train_lstm_names(...)` trains it exactly like the RNN (the same batches,
# clipped Adagrad, $\eta = 0.1$), with the course's reference `lstm_forward` and
# `lstm_backward`, the functions you wrote in lessons 05 and 06, and a forget-gate bias of
# $+1$ at the start. Two epochs each, five seeds; the RNN's numbers are those of the runs
# above after their second epoch (the same batches).

# %%
from rnn_utils import progress

LSTM_EPOCHS = 2
lstm_runs = [charlm.train_lstm_names(train_words, held_out_words, n_a=29, epochs=LSTM_EPOCHS,
                                     learning_rate=0.1, max_norm=1.0, m=32, seed=seed)
             for seed in progress.each(SEEDS, f"training {len(SEEDS)} LSTMs")]
lstm_loss = np.array([run["held_out"][-1] for run in lstm_runs])  # (5,)
rnn_loss = held_out_curves[LSTM_EPOCHS - 1]  # (5,): the RNN after the same two epochs
print(f"parameters: LSTM {lstm_runs[0]['parameter_count']}, "
      f"RNN {charlm.parameter_count(model)}")
claim(np.all(np.abs(lstm_loss - rnn_loss) < 0.05), (lstm_loss, rnn_loss))
print("LSTM and RNN within 0.05 nats per character of each other after 2 epochs: "
      f"{np.sum(np.abs(lstm_loss - rnn_loss) < 0.05)} of {len(SEEDS)} seeds")

# %% tags=["nbval-ignore-output"]
print("held-out loss after 2 epochs, per seed")
print("  LSTM (n_a = 29):", np.round(lstm_loss, 3))
print("  RNN  (n_a = 64):", np.round(rnn_loss, 3))

# %% [markdown]
# At equal size and equal training the two end within 0.05 nats per character of each other
# for every seed (the cell asserts it; the illustration cell prints this machine's numbers). On
# 20 other seeds (`benchmarks/claims_over_seeds.py`) the LSTM was ahead on every one, but by
# 0.003 to 0.032 nats only: a consistent, tiny edge. A name is at
# most 12 steps long: the dependencies a tanh RNN cannot reach (lesson 07's 20 steps and more)
# do not occur, and the LSTM spends its parameters on four gates, so its state is smaller (29
# units against 64). On longer text, where the next character depends on a word begun many
# steps earlier, the balance tips towards the LSTM.

# %% [markdown]
# ### The truncation length $k$, and clipping
#
# **Truncation.** `train_truncated`'s scheme, on the stream of names (`mode="stream"` of
# `charlm.train_seeds`: the state carried across windows and across names), for $k = 1$
# (the gradient stops after one step), $k = 8$ and $k = 32$, one epoch each, five seeds. The
# budget is fixed in characters, as it is in practice: a window of $k$ steps is one update,
# so $k = 32$ makes a quarter of the updates of $k = 8$.

# %%
K_VALUES = (1, 8, 32)
k_loss = np.array([charlm.train_seeds(SEEDS, train_words, held_out_words, n_a=64, epochs=1,
                                      mode="stream", k=k)["held_out"][-1] for k in K_VALUES])
k_worse = (k_loss[2] > k_loss[0] + 0.1) & (k_loss[2] > k_loss[1] + 0.1)
claim(np.all(k_worse), k_loss)
print(f"k = 32 worse than k = 1 and k = 8 by more than 0.1 after one epoch: "
      f"{np.sum(k_worse)} of {len(SEEDS)} seeds")

# %% tags=["nbval-ignore-output"]
for k, losses in zip(K_VALUES, k_loss):
    print(f"k = {k:2d}: held-out loss after one epoch {np.round(losses, 3)}")

# %% [markdown]
# With a budget of one epoch, $k = 32$ loses clearly: a quarter of the updates of $k = 8$,
# and no dependency in a name needs 32 steps (on 20 other seeds too, by 0.26 to 0.50). Between
# $k = 1$ and $k = 8$ the winner changes from seed to seed (on the 20 other seeds, $k = 8$ won
# 5 times), so no claim is made: on names, the state's forward pass already carries
# much of what is useful, and $k = 1$ makes the most updates (exercise 5). The trade-off is
# general: a longer window lets the gradient teach the network to remember further, and
# costs updates and memory; practice uses 25 to a few hundred steps for text.
#
# **Clipping.** The same names recipe for one epoch: Adagrad with and without clipping, and
# plain gradient descent (`optimizer="sgd"`, $\eta = 0.5$) with and without clipping.

# %%
def one_epoch(**options):
    """Each seed's held-out loss after one epoch of the names recipe with these options."""
    return charlm.train_seeds(SEEDS, train_words, held_out_words, n_a=64, epochs=1,
                              **options)["held_out"][-1]


clip_loss = {"Adagrad, clipped at 1": held_out_curves[0],  # the recipe's first epoch
             "Adagrad, not clipped": one_epoch(max_norm=None),
             "SGD 0.5, clipped at 1": one_epoch(optimizer="sgd", learning_rate=0.5),
             "SGD 0.5, not clipped": one_epoch(optimizer="sgd", learning_rate=0.5,
                                               max_norm=None)}
adagrad_close = np.abs(clip_loss["Adagrad, clipped at 1"] - clip_loss["Adagrad, not clipped"]) < 0.1
sgd_saved = ((clip_loss["SGD 0.5, not clipped"] > 5.0)
             & (clip_loss["SGD 0.5, clipped at 1"] < 2.5))
claim(np.all(adagrad_close) and np.all(sgd_saved), clip_loss)
print(f"Adagrad, clipped or not: within 0.1 of each other for {np.sum(adagrad_close)} of 5 seeds")
print(f"SGD at 0.5: unclipped above 5 nats per character (worse than uniform), clipped below "
      f"2.5: {np.sum(sgd_saved)} of 5 seeds")

# %% tags=["nbval-ignore-output"]
for label, losses in clip_loss.items():
    print(f"{label:22} {np.round(losses, 3)}")

# %% [markdown]
# With Adagrad, clipping changes little here (within 0.1 nats per character for every seed,
# the cell asserts; on 20 other seeds, `benchmarks/claims_over_seeds.py`, it helped 15, by up to
# 0.06, and hurt 5, by at most 0.013): Adagrad divides each step by the root of the
# accumulated squared gradients, so a large gradient does not make a large step, except in the
# very first steps, while the memory is still small. Plain gradient descent has no such brake:
# at $\eta = 0.5$ the occasional large gradient throws the weights far, the loss ends worse than
# the uniform model's, and clipping at 1 is what makes the same learning rate usable. That is
# lesson 07's result on the first-symbol task, found again on real data: clipping buys the
# large learning rate.

# %% [markdown]
# ### From this notebook to PyTorch
#
# The whole training loop of this lesson, in PyTorch (sequence-first layout, as our
# `(n, m, T_x)` arrays read along the last axis become `(T_x, m, n)` tensors):
#
# ```python
# rnn = nn.RNN(input_size=27, hidden_size=64)        # tanh; weight_ih_l0 = Wax, weight_hh_l0 = Waa
# linear = nn.Linear(64, 27)                         # weight = Wya, bias = by
# parameters = list(rnn.parameters()) + list(linear.parameters())
# optimizer = torch.optim.Adagrad(parameters, lr=0.1)               # = adagrad_update
# criterion = nn.CrossEntropyLoss(reduction="sum", ignore_index=-1)  # padding targets: -1
# h = torch.zeros(1, m, 64)
# for x_window, y_window in windows:                 # (k, m, 27) one-hot, (k, m) indices
#     h = h.detach()                                 # carry the value, stop the gradient
#     out, h = rnn(x_window, h)                      # out: (k, m, 64), every a<t>
#     loss = criterion(linear(out).reshape(-1, 27), y_window.reshape(-1)) / m
#     optimizer.zero_grad()
#     loss.backward()                                # = output_layer_backward + rnn_backward
#     nn.utils.clip_grad_norm_(parameters, max_norm=1.0)            # = clip_by_norm
#     optimizer.step()
# ```
#
# | PyTorch | this lesson |
# | --- | --- |
# | `nn.RNN(27, 64)`: `weight_ih_l0` $(64, 27)$, `weight_hh_l0` $(64, 64)$, `bias_ih_l0` + `bias_hh_l0` | `Wax`, `Waa`, and `ba` (one bias: PyTorch's two are added in the same place) |
# | `nn.Linear(64, 27)` | `Wya`, `by` |
# | `CrossEntropyLoss(reduction="sum") / m` on the scores | `softmax_cross_entropy` (summed over the steps, averaged over $m$) |
# | `ignore_index` (or `pack_padded_sequence`) | the padding mask of `training_step` |
# | `h.detach()` between windows | `train_truncated` passing `a_last` on as a plain array |
# | `clip_grad_norm_(parameters, 1.0)` | `clip_by_norm(gradients, 1.0)` |
# | `optim.Adagrad(lr=0.1)`: `state_sum += g*g`, `p -= lr * g / (sqrt(state_sum) + eps)`, `eps = 1e-10` | `adagrad_update` (here $\epsilon_{A} = 10^{-8}$) |
# | `torch.multinomial(torch.softmax(z / tau, dim=-1), 1)`, with a `torch.Generator` | `sample`: `rng.choice(n_y, p=softmax(z / tau))` |
#
# `benchmarks/train_speed.py` times one training step of this lesson's model in NumPy (the
# fast path, and the step-by-step composition of the reference functions) against exactly
# this PyTorch step, in float64 on one thread.

# %% [markdown]
# ### Exercises
#
# Answer on paper or in a new cell; the solution version has the answers.

# %% [markdown]
# **Exercise 1 (temperature 0).** Show that $\operatorname{softmax}(z / \tau)$ tends to the
# one-hot vector of $\arg\max_j z_j$ as $\tau \to 0^+$ (assume a unique maximum), and to the
# uniform distribution as $\tau \to \infty$. Why does `sample` refuse $\tau = 0$ rather than
# compute it?

# %% [markdown] tags=["answer"]
# **Answer.** Divide numerator and denominator by $e^{z_{\max} / \tau}$:
# $p_j = e^{(z_j - z_{\max})/\tau} / \sum_k e^{(z_k - z_{\max})/\tau}$. For $j$ the argmax the
# exponent is 0; for every other $j$ it is $-(z_{\max} - z_j)/\tau \to -\infty$, so those terms
# vanish and $p \to$ the one-hot vector of the argmax: sampling becomes greedy decoding, the
# same name every time. As $\tau \to \infty$ every exponent tends to 0 and every term to 1:
# $p_j \to 1/n_y$. At $\tau = 0$ the division is $0/0$ or $\pm\infty$ (NaN in NumPy): the
# limit exists, but it is the argmax, a different algorithm, so the function asks for
# $\tau > 0$ and leaves the greedy choice to `np.argmax`.

# %% [markdown]
# **Exercise 2 (your own words).** Write a file of at least a few hundred words of your own
# (one per line, letters a-z: cities, plants, dinosaurs), set `WORDS_FILE` at the top and run
# the notebook again (the claims are then printed, not asserted: a claim that fails for your
# list is reported and the run goes on). Which claims still hold, which do not, and why would a
# list of 300 words behave differently from 5,000?

# %% [markdown] tags=["answer"]
# **Answer.** The code runs unchanged (the vocabulary is still ⏎ and a-z; the split holds out
# the words whose hash ends in 0, about one in ten). The claims are about *this* list (with
# yours, `claim` prints the ones that fail instead of stopping): the numbers 2.1 or 2.39 are
# properties of the names. With
# few words the model learns the training list by heart quickly: the training loss keeps
# falling while the held-out loss stops falling and then rises (over-fitting), the bigram
# baseline becomes hard to beat, and at low temperature the samples are mostly training
# words. A smaller $n_a$, fewer epochs (early stopping on the held-out loss) or more words help.

# %% [markdown]
# **Exercise 3 (the bigram, derived).** The bigram model has one distribution $p_{\cdot i}$
# over the next character for every current character $i$. Show that maximising the
# log-likelihood $\sum_{i, j} n_{ij} \log p_{ji}$ of the training pairs ($n_{ij}$ = the number
# of times $j$ follows $i$) under $\sum_j p_{ji} = 1$ gives $p_{ji} = n_{ij} / \sum_{j'}
# n_{ij'}$. What does the smoothing constant do, and what loss would the unsmoothed model get
# on a held-out name containing a pair never seen in training?

# %% [markdown] tags=["answer"]
# **Answer.** The problem splits into one problem per $i$. With a Lagrange multiplier
# $\nu_i$: $\partial / \partial p_{ji} \big[\sum_j n_{ij} \log p_{ji} - \nu_i (\sum_j
# p_{ji} - 1)\big] = n_{ij} / p_{ji} - \nu_i = 0$, so $p_{ji} = n_{ij} / \nu_i$, and the
# constraint gives $\nu_i = \sum_{j'} n_{ij'}$: the relative counts. Adding $\alpha$ to
# every count (here 1) is the same as having seen every pair $\alpha$ times more; it takes a
# little probability from the frequent pairs and gives it to the unseen ones. Without it an
# unseen pair has $p = 0$, and $-\log 0 = \infty$: one such pair makes the loss infinite. The
# RNN's softmax gives 0 only by underflow, for a score some 745 below the largest (lesson 01),
# far from what training produces; but where it does, `np.log(y_pred)` is $-\infty$, and
# `y * np.log(y_pred)` gives NaN ($0 \cdot (-\infty)$) for the classes that are not the
# target. Taking the log-probability of the target alone, from the scores (log-softmax), as
# PyTorch's `CrossEntropyLoss` does, avoids both; `loss_per_character`'s
# `y * np.log(y_pred)` is safe only while no probability underflows, as with these models.

# %% [markdown]
# **Exercise 4 (why the state is reset between names).** The recipe starts every name from
# the zero state; `train_truncated` on the stream carries the state from one name into the
# next. Give two reasons for the reset when the data are independent names, and one kind of
# data for which carrying the state is right.

# %% [markdown] tags=["answer"]
# **Answer.** (1) The names are independent: the previous name says nothing about the next,
# so a state carried across ⏎ is noise the model must learn to ignore (it can: it learns to
# wash out its state at ⏎, but that costs capacity and training time). (2) Consistency: the
# held-out loss and `sample` start each name from $a^{\langle 0 \rangle} = 0$; a model trained
# only on carried states has never seen the zero state before a first letter, and its first
# prediction is off. The reset also makes every name one short sequence, so full BPTT is cheap
# and no truncation is needed. Carrying the state is right for continuous text (a book,
# code, speech), where what came before the window does inform what follows: that is
# min-char-rnn's case, and what `h.detach()` is for.

# %% [markdown]
# **Exercise 5 (what $k = 1$ still learns).** With $k = 1$ every window is one step: the
# gradient never passes from $a^{\langle t \rangle}$ back into $a^{\langle t-1 \rangle}$. Yet
# $W_{aa}$ still gets a gradient. Which one, and what can the model learn with it, and what
# not?

# %% [markdown] tags=["answer"]
# **Answer.** At a one-step window, `rnn_backward` gives $dW_{aa} = du^{\langle t \rangle}\,
# a^{\langle t-1 \rangle\top}$ with $du^{\langle t \rangle} = (1 - (a^{\langle t \rangle})^2) \odot
# W_{ya}^\top dz^{\langle t \rangle}$: how the carried state should be *read* to predict the
# next character. It cannot learn how the state should be *written*, that is, how to store at
# step $t - 1$ something that helps at step $t$ or later, since no gradient reaches
# $a^{\langle t-1 \rangle}$. The state still carries information forward (the forward pass is
# not truncated), but only what the network stores by chance or as a side effect. The
# experiment shows how much that already gives on short names: after one epoch $k = 1$ is not
# clearly behind $k = 8$ (the winner changes with the seed), and no window longer than 8 wins.
