"""Deliberately wrong student implementations of lesson 08's graded functions, each with one
typical mistake, written the way a student would write them (not by reusing the checks' own
variants), so that the tests show that a real mistake is recognised by its fingerprint.

The training functions use the reference helpers, as the lesson's namespace gives them.
"""

import numpy as np

from rnn_utils.activations import softmax
from rnn_utils.reference import (
    adagrad_update,
    clip_by_norm,
    output_layer_backward,
    rnn_backward,
    rnn_forward,
    softmax_cross_entropy,
    training_step,
)

# ---- sample ---------------------------------------------------------------------------------


def _sampler(parameters, temperature, rng, max_length, mistake=None):
    Wax, Waa, Wya = parameters["Wax"], parameters["Waa"], parameters["Wya"]
    ba, by = parameters["ba"], parameters["by"]
    vocab = Wya.shape[0]
    x = np.zeros((vocab, 1))
    if mistake != "zeros first":
        x[0, 0] = 1
    h = np.zeros((Waa.shape[0], 1))
    out = []
    for _ in range(max_length + (1 if mistake == "one more" else 0)):
        previous = np.zeros_like(h) if mistake == "no carry" else h
        h = np.tanh(Wax @ x + Waa @ previous + ba)
        scores = Wya @ h + by
        if mistake == "after softmax":
            p = softmax(scores) / temperature
            p = p / p.sum()
        elif mistake == "times":
            p = softmax(scores * temperature)
        else:
            p = softmax(scores / temperature)
        if mistake == "argmax":
            idx = int(np.argmax(p))
        elif mistake == "global":
            idx = int(np.random.default_rng(0).choice(vocab, p=p.ravel()))
        else:
            idx = int(rng.choice(vocab, p=p.ravel()))
        if idx == 0 and mistake == "no end":
            out.append(idx)
            x = np.zeros((vocab, 1))
            x[0, 0] = 1
            continue
        if idx == 0 and mistake == "end dropped":
            break
        out.append(idx)
        if idx == 0:
            break
        if mistake == "stale input":
            continue  # x is never updated
        if mistake != "multi hot":
            x = np.zeros((vocab, 1))
        x[idx, 0] = 1
    return out


def sample_right_in_other_words(parameters, temperature, rng, max_length):
    return _sampler(parameters, temperature, rng, max_length)


def sample_argmax(parameters, temperature, rng, max_length):
    return _sampler(parameters, temperature, rng, max_length, "argmax")


def sample_temperature_after_softmax(parameters, temperature, rng, max_length):
    return _sampler(parameters, temperature, rng, max_length, "after softmax")


def sample_temperature_after_softmax_unnormalised(parameters, temperature, rng, max_length):
    n_a = parameters["Waa"].shape[0]
    n = parameters["Wax"].shape[1]
    x, a, out = np.eye(n)[:, :1], np.zeros((n_a, 1)), []
    while len(out) < max_length:
        a = np.tanh(parameters["Wax"] @ x + parameters["Waa"] @ a + parameters["ba"])
        p = softmax(parameters["Wya"] @ a + parameters["by"]) / temperature
        idx = rng.choice(n, p=p[:, 0])
        out.append(idx)
        if idx == 0:
            break
        x = np.eye(n)[:, idx:idx + 1]
    return out


def sample_temperature_times(parameters, temperature, rng, max_length):
    return _sampler(parameters, temperature, rng, max_length, "times")


def sample_no_carry(parameters, temperature, rng, max_length):
    return _sampler(parameters, temperature, rng, max_length, "no carry")


def sample_stale_input(parameters, temperature, rng, max_length):
    return _sampler(parameters, temperature, rng, max_length, "stale input")


def sample_multi_hot(parameters, temperature, rng, max_length):
    return _sampler(parameters, temperature, rng, max_length, "multi hot")


def sample_end_not_stopping(parameters, temperature, rng, max_length):
    return _sampler(parameters, temperature, rng, max_length, "no end")


def sample_end_dropped(parameters, temperature, rng, max_length):
    return _sampler(parameters, temperature, rng, max_length, "end dropped")


def sample_zeros_first(parameters, temperature, rng, max_length):
    return _sampler(parameters, temperature, rng, max_length, "zeros first")


def sample_one_more(parameters, temperature, rng, max_length):
    return _sampler(parameters, temperature, rng, max_length, "one more")


def sample_own_generator(parameters, temperature, rng, max_length):
    return _sampler(parameters, temperature, rng, max_length, "global")


def sample_extra_draw(parameters, temperature, rng, max_length):
    """Draws ahead: the index of the next step is drawn before the loop tests the length, so
    a name cut at max_length costs one draw too many (the indices are right)."""
    n = parameters["Wax"].shape[1]

    def draw(x, a):
        a = np.tanh(parameters["Wax"] @ x + parameters["Waa"] @ a + parameters["ba"])
        p = softmax((parameters["Wya"] @ a + parameters["by"]) / temperature)
        return int(rng.choice(n, p=p.ravel())), a

    x = np.zeros((n, 1))
    x[0] = 1
    idx, a = draw(x, np.zeros((parameters["Waa"].shape[0], 1)))
    out = []
    while idx != 0 and len(out) < max_length:
        out.append(idx)
        x = np.zeros((n, 1))
        x[idx] = 1
        idx, a = draw(x, a)
    if idx == 0 and len(out) < max_length:
        out.append(0)
    return out


# ---- sgd_update and adagrad_update ----------------------------------------------------------


def sgd_right_in_other_words(parameters, gradients, learning_rate):
    new = {}
    for key in parameters:
        new[key] = parameters[key] + (-learning_rate) * gradients["d" + key]
    return new


def sgd_plus(parameters, gradients, learning_rate):
    return {k: p + learning_rate * gradients["d" + k] for k, p in parameters.items()}


def sgd_no_learning_rate(parameters, gradients, learning_rate):
    return {k: p - gradients["d" + k] for k, p in parameters.items()}


def sgd_divided_by_the_rate(parameters, gradients, learning_rate):
    return {k: p - gradients["d" + k] / learning_rate for k, p in parameters.items()}


def sgd_in_place(parameters, gradients, learning_rate):
    for k in parameters:
        parameters[k] -= learning_rate * gradients["d" + k]
    return parameters


def sgd_wrong_names(parameters, gradients, learning_rate):
    return {k: p - learning_rate * gradients[k] for k, p in parameters.items()}


def sgd_weights_only(parameters, gradients, learning_rate):
    new = {k: v.copy() for k, v in parameters.items()}
    for k in ("Wax", "Waa", "Wya"):
        new[k] = parameters[k] - learning_rate * gradients["d" + k]
    return new


def adagrad_right_in_other_words(parameters, gradients, memory, learning_rate, epsilon=1e-8):
    new_parameters, new_memory = {}, {}
    for name, value in parameters.items():
        g = gradients["d" + name]
        new_memory[name] = memory[name] + g * g
        new_parameters[name] = value - learning_rate * g / (new_memory[name] ** 0.5 + epsilon)
    return new_parameters, new_memory


def adagrad_min_char_rnn(parameters, gradients, memory, learning_rate, epsilon=1e-8):
    new_parameters, new_memory = {}, {}
    for name, value in parameters.items():
        g = gradients["d" + name]
        new_memory[name] = memory[name] + g * g
        new_parameters[name] = value - learning_rate * g / np.sqrt(new_memory[name] + epsilon)
    return new_parameters, new_memory


def adagrad_not_accumulated(parameters, gradients, memory, learning_rate, epsilon=1e-8):
    new_memory = {k: gradients["d" + k] ** 2 for k in parameters}
    return {k: parameters[k] - learning_rate * gradients["d" + k] / (np.sqrt(new_memory[k])
                                                                     + epsilon)
            for k in parameters}, new_memory


def adagrad_plus(parameters, gradients, memory, learning_rate, epsilon=1e-8):
    new_memory = {k: memory[k] + gradients["d" + k] ** 2 for k in parameters}
    return {k: parameters[k] + learning_rate * gradients["d" + k] / (np.sqrt(new_memory[k])
                                                                     + epsilon)
            for k in parameters}, new_memory


def adagrad_memory_in_place(parameters, gradients, memory, learning_rate, epsilon=1e-8):
    new_parameters = {}
    for k in parameters:
        memory[k] += gradients["d" + k] ** 2
        new_parameters[k] = parameters[k] - learning_rate * gradients["d" + k] / (
            np.sqrt(memory[k]) + epsilon)
    return new_parameters, memory


def adagrad_step_before_memory(parameters, gradients, memory, learning_rate, epsilon=1e-8):
    new_parameters = {k: parameters[k] - learning_rate * gradients["d" + k]
                      / (np.sqrt(memory[k]) + epsilon) for k in parameters}
    new_memory = {k: memory[k] + gradients["d" + k] ** 2 for k in parameters}
    return new_parameters, new_memory


def adagrad_no_sqrt(parameters, gradients, memory, learning_rate, epsilon=1e-8):
    new_memory = {k: memory[k] + gradients["d" + k] ** 2 for k in parameters}
    return {k: parameters[k] - learning_rate * gradients["d" + k] / (new_memory[k] + epsilon)
            for k in parameters}, new_memory


def adagrad_abs(parameters, gradients, memory, learning_rate, epsilon=1e-8):
    new_memory = {k: memory[k] + np.abs(gradients["d" + k]) for k in parameters}
    return {k: parameters[k] - learning_rate * gradients["d" + k] / (np.sqrt(new_memory[k])
                                                                     + epsilon)
            for k in parameters}, new_memory


def adagrad_old_memory_returned(parameters, gradients, memory, learning_rate, epsilon=1e-8):
    new_parameters = {}
    for k in parameters:
        s = memory[k] + gradients["d" + k] ** 2
        new_parameters[k] = parameters[k] - learning_rate * gradients["d" + k] / (np.sqrt(s)
                                                                                  + epsilon)
    return new_parameters, {k: v.copy() for k, v in memory.items()}


# ---- training_step --------------------------------------------------------------------------


def _training(x, y, a0, parameters, memory, learning_rate, max_norm, mistake=None):
    start = np.zeros_like(a0) if mistake == "zeros" else a0
    a, y_hat, caches = rnn_forward(x, start, parameters)
    loss, dz = softmax_cross_entropy(y_hat, y)
    if mistake != "no mask":
        dz = dz * (y.sum(axis=0) > 0)
    out = output_layer_backward(dz, a, parameters)
    grads = rnn_backward(out["da"], caches)
    grads = {"dWax": grads["dWax"], "dWaa": grads["dWaa"], "dba": grads["dba"]}
    if mistake == "clip recurrent":
        grads = clip_by_norm(grads, max_norm)
    grads["dWya"], grads["dby"] = out["dWya"], out["dby"]
    if mistake not in ("no clip", "clip recurrent"):
        grads = clip_by_norm(grads, max_norm)
    if mistake == "sgd":
        new = {k: parameters[k] - learning_rate * grads["d" + k] for k in parameters}
        new_memory = memory
    else:
        new, new_memory = adagrad_update(parameters, grads, memory, learning_rate)
    if mistake == "mean loss":
        loss = loss / x.shape[2]
    last = a[:, :, 0] if mistake == "first state" else a[:, :, x.shape[2] - 1]
    return loss, last, new, new_memory


def training_right_in_other_words(x, y, a0, parameters, memory, learning_rate, max_norm):
    return _training(x, y, a0, parameters, memory, learning_rate, max_norm)


def training_no_mask(x, y, a0, parameters, memory, learning_rate, max_norm):
    return _training(x, y, a0, parameters, memory, learning_rate, max_norm, "no mask")


def training_no_clip(x, y, a0, parameters, memory, learning_rate, max_norm):
    return _training(x, y, a0, parameters, memory, learning_rate, max_norm, "no clip")


def training_clip_recurrent(x, y, a0, parameters, memory, learning_rate, max_norm):
    return _training(x, y, a0, parameters, memory, learning_rate, max_norm, "clip recurrent")


def training_from_zeros(x, y, a0, parameters, memory, learning_rate, max_norm):
    return _training(x, y, a0, parameters, memory, learning_rate, max_norm, "zeros")


def training_first_state(x, y, a0, parameters, memory, learning_rate, max_norm):
    return _training(x, y, a0, parameters, memory, learning_rate, max_norm, "first state")


def training_sgd(x, y, a0, parameters, memory, learning_rate, max_norm):
    return _training(x, y, a0, parameters, memory, learning_rate, max_norm, "sgd")


def training_mean_loss(x, y, a0, parameters, memory, learning_rate, max_norm):
    return _training(x, y, a0, parameters, memory, learning_rate, max_norm, "mean loss")


def training_recurrent_only(x, y, a0, parameters, memory, learning_rate, max_norm):
    a, y_hat, caches = rnn_forward(x, a0, parameters)
    loss, dz = softmax_cross_entropy(y_hat, y)
    dz[:, y.sum(axis=0) == 0] = 0.0
    out = output_layer_backward(dz, a, parameters)
    grads = rnn_backward(out["da"], caches)
    grads = clip_by_norm({"dWax": grads["dWax"], "dWaa": grads["dWaa"], "dba": grads["dba"],
                          "dWya": out["dWya"], "dby": out["dby"]}, max_norm)
    grads["dWya"] = np.zeros_like(grads["dWya"])
    grads["dby"] = np.zeros_like(grads["dby"])
    new, new_memory = adagrad_update(parameters, grads, memory, learning_rate)
    return loss, a[:, :, -1], new, new_memory


# ---- train_truncated ------------------------------------------------------------------------


def truncated_right_in_other_words(x, y, a0, parameters, memory, k, learning_rate, max_norm):
    T = x.shape[2]
    losses, h = [], a0
    t = 0
    while t < T:
        end = min(t + k, T)
        loss, h, parameters, memory = training_step(x[:, :, t:end], y[:, :, t:end], h,
                                                    parameters, memory, learning_rate, max_norm)
        losses.append(loss)
        t = end
    return losses, h, parameters, memory


def _windowed(x, y, a0, parameters, memory, k, learning_rate, max_norm, mistake=None):
    losses, h = [], a0
    p, s = parameters, memory
    n_windows = x.shape[2] // k if mistake == "floor" else -(-x.shape[2] // k)
    for w in range(n_windows):
        stop = w * k + k + (1 if mistake == "overlap" else 0)
        start_state = a0 if mistake == "reset" else h
        loss, h, new_p, new_s = training_step(x[:, :, w * k:stop], y[:, :, w * k:stop],
                                              start_state, p if mistake != "same p" else parameters,
                                              s if mistake not in ("same p", "same s") else memory,
                                              learning_rate, max_norm)
        losses.append(loss)
        p, s = new_p, new_s
    return losses, h, p, s


def truncated_reset(x, y, a0, parameters, memory, k, learning_rate, max_norm):
    return _windowed(x, y, a0, parameters, memory, k, learning_rate, max_norm, "reset")


def truncated_floor(x, y, a0, parameters, memory, k, learning_rate, max_norm):
    return _windowed(x, y, a0, parameters, memory, k, learning_rate, max_norm, "floor")


def truncated_overlap(x, y, a0, parameters, memory, k, learning_rate, max_norm):
    return _windowed(x, y, a0, parameters, memory, k, learning_rate, max_norm, "overlap")


def truncated_same_parameters(x, y, a0, parameters, memory, k, learning_rate, max_norm):
    return _windowed(x, y, a0, parameters, memory, k, learning_rate, max_norm, "same p")


def truncated_same_memory(x, y, a0, parameters, memory, k, learning_rate, max_norm):
    return _windowed(x, y, a0, parameters, memory, k, learning_rate, max_norm, "same s")


def truncated_zero_state(x, y, a0, parameters, memory, k, learning_rate, max_norm):
    losses = []
    for start in range(0, x.shape[2], k):
        loss, _, parameters, memory = training_step(
            x[:, :, start:start + k], y[:, :, start:start + k], np.zeros_like(a0), parameters,
            memory, learning_rate, max_norm)
        losses.append(loss)
    return losses, _, parameters, memory


def truncated_from_the_end(x, y, a0, parameters, memory, k, learning_rate, max_norm):
    T = x.shape[2]
    starts = sorted(range(T - k, -k, -k))
    losses, h = [], a0
    for start in starts:
        lo = max(start, 0)
        loss, h, parameters, memory = training_step(
            x[:, :, lo:start + k], y[:, :, lo:start + k], h, parameters, memory, learning_rate,
            max_norm)
        losses.append(loss)
    return losses, h, parameters, memory


def truncated_whole_stream(x, y, a0, parameters, memory, k, learning_rate, max_norm):
    loss, h, parameters, memory = training_step(x, y, a0, parameters, memory, learning_rate,
                                                max_norm)
    return [loss], h, parameters, memory


# ---- loss_per_character ---------------------------------------------------------------------


def _loss(x, y, parameters, mistake=None):
    a0 = np.zeros((parameters["Waa"].shape[0], x.shape[1]))
    _, y_hat, _ = rnn_forward(x, a0, parameters)
    log = np.log10 if mistake == "log10" else np.log
    total = -np.sum(y * log(y_hat))
    count = {"words": x.shape[1], "padding": x.shape[1] * x.shape[2],
             "no end": np.sum(y) - x.shape[1]}.get(mistake, np.sum(y))
    loss = total / count
    if mistake == "base 2":
        return loss, 2 ** loss
    if mistake == "log10":
        return loss, 10 ** loss
    if mistake == "word perplexity":
        return loss, np.exp(total / x.shape[1])
    return loss, np.exp(loss)


def loss_right_in_other_words(x, y, parameters):
    a0 = np.zeros((parameters["Waa"].shape[0], x.shape[1]))
    _, y_hat, _ = rnn_forward(x, a0, parameters)
    picked = np.log(y_hat[y == 1])  # the log-probability of every target character
    return -picked.mean(), np.exp(-picked.mean())


def loss_per_word(x, y, parameters):
    return _loss(x, y, parameters, "words")


def loss_with_padding(x, y, parameters):
    return _loss(x, y, parameters, "padding")


def loss_without_end_tokens(x, y, parameters):
    return _loss(x, y, parameters, "no end")


def loss_log10(x, y, parameters):
    return _loss(x, y, parameters, "log10")


def loss_base_2(x, y, parameters):
    return _loss(x, y, parameters, "base 2")


def loss_word_perplexity(x, y, parameters):
    return _loss(x, y, parameters, "word perplexity")


def loss_mean_of_words(x, y, parameters):
    a0 = np.zeros((parameters["Waa"].shape[0], x.shape[1]))
    _, y_hat, _ = rnn_forward(x, a0, parameters)
    per_word = []
    for i in range(x.shape[1]):
        n = np.sum(y[:, i, :])
        per_word.append(-np.sum(y[:, i, :] * np.log(y_hat[:, i, :])) / n)
    return float(np.mean(per_word)), float(np.exp(np.mean(per_word)))
