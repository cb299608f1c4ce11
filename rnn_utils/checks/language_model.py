"""Checks of lesson 08 (the character-level language model): sample, sgd_update,
adagrad_update, training_step, train_truncated, loss_per_character.

Every case draws its weights with initialize_rnn_parameters and its one-hot data from a seeded
generator, with unequal sizes (n_x = n_y the vocabulary, n_a, m, T_x all different, and size-1
edges). Each known mistake is a tiny function computing what a function with that mistake
returns (its fingerprint). The sampler's Generator is meant to be used: it is not compared with
its state before the call, but with the reference's state after it (one draw per step).
"""

import copy

import numpy as np

from rnn_utils import reference
from rnn_utils.activations import softmax
from rnn_utils.checks.framework import (
    Case,
    CheckFailure,
    Exercise,
    Mistake,
    case_rng,
    case_seed,
    run_check,
)
from rnn_utils.params import initialize_rnn_parameters


def one_hot_batch(rng, n, m, T, lengths=None):
    """Random one-hot inputs and targets (n, m, T); example i has ``lengths[i]`` steps, then
    zero columns (padding)."""
    indices = rng.integers(n, size=(m, T + 1))
    x = (np.arange(n)[:, None, None] == indices[None, :, :-1]).astype(float)
    y = (np.arange(n)[:, None, None] == indices[None, :, 1:]).astype(float)
    for example, length in enumerate(lengths or ()):
        x[:, example, length:] = 0.0
        y[:, example, length:] = 0.0
    return x, y


def model(n, n_a, seed, scale=1.0):
    """RNN parameters with the same vocabulary of size n at the input and the output (drawn
    anew, salted, for the grader's fresh cases)."""
    return initialize_rnn_parameters(n, n_a, n, seed=case_seed(seed), scale=scale)


def label(n, n_a, m=None, T=None):
    """'n_x=n_y=5, n_a=3, m=4, T_x=6': the sizes of a case."""
    text = f"n_x=n_y={n}, n_a={n_a}"
    return text + (f", m={m}" if m else "") + (f", T_x={T}" if T else "")


def sizes(n, n_a, m=None, T=None):
    found = {"n_x": n, "n_y": n, "n_a": n_a, "m": m, "T_x": T}
    return {name: size for name, size in found.items() if size is not None}


# ---- sample --------------------------------------------------------------------------------


def sample_cases():
    """The Cases of sample: arguments parameters, temperature, rng, max_length."""
    rows = (  # n, n_a, seed, temperature, max_length, end-token bias, text
        (27, 8, 1400, 1.0, 30, 2.0, "temperature 1, the end token drawn"),
        (5, 3, 1401, 0.5, 12, 0.0, "temperature 0.5"),
        (6, 4, 1402, 2.0, 9, -6.0, "temperature 2, stops at max_length"),
        (3, 1, 1403, 1.5, 1, 0.0, "max_length 1"),
    )
    cases = []
    for n, n_a, seed, temperature, max_length, end_bias, text in rows:
        parameters = model(n, n_a, seed, scale=2.0)
        parameters["by"][0] += end_bias  # how likely the end token is
        arguments = {"parameters": parameters, "temperature": temperature,
                     "rng": case_rng(seed), "max_length": max_length}
        cases.append(Case(f"{label(n, n_a)}, {text}", arguments, sizes(n, n_a, 1)))
    return cases


def _sampler(probabilities_of=lambda z, T: softmax(z / T), draw=None, carry=True,
             next_input="one_hot", start="end_token", stop=True, append_end=True, extra=0):
    """A sampler with one thing changed: how the probabilities are made, how an index is
    chosen, whether the state is carried, what the next input is, where it starts and stops."""
    def variant(parameters, temperature, rng, max_length):
        n_a, n_x = parameters["Wax"].shape
        x = np.zeros((n_x, 1))
        if start == "end_token":
            x[0] = 1.0
        first_x, a_prev, indices = x.copy(), np.zeros((n_a, 1)), []
        while len(indices) < max_length + extra:
            state = a_prev if carry else np.zeros((n_a, 1))
            a_prev = np.tanh(parameters["Wax"] @ x + parameters["Waa"] @ state + parameters["ba"])
            p = probabilities_of(parameters["Wya"] @ a_prev + parameters["by"], temperature)
            index = int(np.argmax(p)) if draw == "argmax" else int(rng.choice(n_x, p=p[:, 0]))
            if index == 0 and stop and not append_end:
                break
            indices.append(index)
            if index == 0 and stop:
                break
            x = _next_input(next_input, x, first_x, index, n_x)
        return indices
    return variant


def _next_input(kind, x, first_x, index, n_x):
    """The next input of a sampler variant."""
    if kind == "same":  # never updated: the first input again
        return first_x
    if kind == "accumulated":  # x[index] = 1 on the old x: several ones
        x = x.copy()
        x[index] = 1.0
        return x
    fresh = np.zeros((n_x, 1))
    fresh[index] = 1.0
    return fresh


def _renormalised(p):
    return p / np.sum(p)


SAMPLE_MISTAKES = (
    Mistake("argmax_not_drawn", "the most probable index is taken (np.argmax) instead of a "
            "draw: sampling is then deterministic and every name the same. Draw it: "
            "rng.choice(n_y, p=probabilities[:, 0]).", _sampler(draw="argmax")),
    Mistake("temperature_after_softmax", "the temperature is applied after the softmax: "
            "dividing (or scaling) probabilities and renormalising does not change their "
            "ratios, so the temperature has no effect. Divide the SCORES: "
            "softmax(z / temperature).",
            _sampler(probabilities_of=lambda z, T: _renormalised(softmax(z) / T))),
    Mistake("temperature_after_softmax", "the softmax is applied twice, the temperature between "
            "them (softmax(softmax(z) / temperature)): probabilities are not scores. Divide the "
            "SCORES: softmax(z / temperature).",
            _sampler(probabilities_of=lambda z, T: softmax(softmax(z) / T))),
    Mistake("temperature_multiplies", "the scores are multiplied by the temperature: a "
            "temperature above 1 must flatten the distribution, so divide: "
            "softmax(z / temperature).", _sampler(probabilities_of=lambda z, T: softmax(z * T))),
    Mistake("state_not_carried", "the state is not carried from step to step: every step "
            "starts from zeros, so the model only sees the last character. Use the new a as "
            "the a_prev of the next step.", _sampler(carry=False)),
    Mistake("previous_input_fed", "the drawn character is not fed back: every step gets the "
            "first input (the end token) again. Make the next input the one-hot of the index "
            "just drawn.", _sampler(next_input="same")),
    Mistake("input_not_reset", "the next input is not a fresh one-hot: x[index] = 1 on the "
            "old x leaves the earlier ones, so the input has several ones. Start from "
            "np.zeros((n_x, 1)) at every step.", _sampler(next_input="accumulated")),
    Mistake("end_token_not_stopping", "drawing the end token (index 0) does not stop the "
            "name: sampling goes on to max_length. Stop right after appending index 0.",
            _sampler(stop=False)),
    Mistake("end_token_left_out", "the end token stops sampling but is not appended: the "
            "contract keeps it as the last index, so that a name that ended can be told from "
            "one cut at max_length.", _sampler(append_end=False)),
    Mistake("start_input_zeros", "the first input is a vector of zeros: the model was trained "
            "with the end token as the input before every name's first letter (x[0] = 1).",
            _sampler(start="zeros")),
    Mistake("max_length_off_by_one", "one index more than max_length is drawn: stop when "
            "len(indices) == max_length.", _sampler(extra=1)),
)


def _same_state(first, second):
    return first.bit_generator.state == second.bit_generator.state


GENERATOR_NOT_USED = (
    "the Generator rng passed in was not used (its state is unchanged): np.random.choice, or a "
    "new default_rng, draws from another source, and the names cannot be reproduced from rng. "
    "Draw with rng.choice(n_y, p=probabilities[:, 0]).")
EXTRA_DRAWS = ("something else draws from rng (another rng.choice, rng.random(), a "
               "shuffle...): the next name would differ. Make exactly one draw per step, "
               "rng.choice(n_y, p=probabilities[:, 0]).")


def generator_not_used(case, received):
    """The fallback diagnosis: the Generator passed in was not drawn from at all."""
    if _same_state(case.arguments["rng"], received["rng"]):
        return Mistake("generator_not_used", GENERATOR_NOT_USED, None)
    return None


def one_draw_per_step(case, received):
    """The indices are right: the Generator must also have made exactly one draw per index."""
    arguments = copy.deepcopy(case.arguments)
    reference.sample(*arguments.values())
    if not _same_state(arguments["rng"], received["rng"]):
        raise CheckFailure(
            "sample", "the right indices, but the Generator made more draws than one per "
            "step", [case.title, f"Likely mistake: {EXTRA_DRAWS}"],
            kind="values", case=case.label, output="rng", diagnosis="extra_draws")


SAMPLE_EXCEPTIONS = (
    (ValueError, r"(?i)probabilities do not sum to 1", "temperature_after_softmax",
     "the probabilities given to rng.choice do not sum to 1: dividing softmax(z) by the "
     "temperature breaks that. Divide the SCORES: softmax(z / temperature)."),
    (ValueError, r"(?i)object too deep|1-dimensional", "probabilities_column",
     "rng.choice needs a flat vector of probabilities: pass p=probabilities[:, 0] (or "
     ".ravel()), not the (n_y, 1) column."),
)

# ---- the optimizers ------------------------------------------------------------------------

PARAMETER_NAMES = ("Wax", "Waa", "Wya", "ba", "by")


def optimizer_cases(with_memory):
    """The Cases of sgd_update and adagrad_update."""
    rows = ((5, 4, 1500, 0.1, 1e-8, "first step (memory zeros)"),
            (7, 3, 1501, 0.5, 1e-8, "later step"),
            (4, 1, 1502, 0.05, 0.5, "epsilon 0.5, small memory"))
    cases = []
    for n, n_a, seed, learning_rate, epsilon, text in rows:
        rng = case_rng(seed)
        parameters = model(n, n_a, seed)
        gradients = {"d" + name: rng.standard_normal(value.shape) * 0.7
                     for name, value in parameters.items()}
        arguments = {"parameters": parameters, "gradients": gradients}
        if with_memory:
            spread = 0.0 if "first" in text else (0.01 if "small" in text else 2.0)
            arguments["memory"] = {name: rng.random(value.shape) * spread
                                   for name, value in parameters.items()}
        arguments["learning_rate"] = learning_rate
        if with_memory:
            arguments["epsilon"] = epsilon
        cases.append(Case(f"{label(n, n_a)}, learning rate {learning_rate}"
                          + (f", {text}" if with_memory else ""), arguments, sizes(n, n_a)))
    return cases


def _sgd(step):
    """An SGD variant: new p = step(p, g, learning_rate) for every parameter."""
    return lambda parameters, gradients, learning_rate: {
        name: step(value, gradients["d" + name], learning_rate)
        for name, value in parameters.items()}


SGD_MISTAKES = (
    Mistake("sign", "the gradient is added: p + learning_rate * dp climbs the loss. Gradient "
            "descent goes against the gradient: p - learning_rate * dp.",
            _sgd(lambda p, g, lr: p + lr * g)),
    Mistake("learning_rate_ignored", "the learning rate is missing: p - dp. Multiply the "
            "gradient by it: p - learning_rate * dp.", _sgd(lambda p, g, lr: p - g)),
    Mistake("learning_rate_divides", "the gradient is divided by the learning rate: "
            "p - dp / learning_rate. Multiply: p - learning_rate * dp.",
            _sgd(lambda p, g, lr: p - g / lr)),
    Mistake("some_parameters_not_updated", "only the weights (W...) are updated: the biases "
            "ba and by must move too.",
            lambda parameters, gradients, learning_rate: {
                name: value - learning_rate * gradients["d" + name] if name.startswith("W")
                else value.copy() for name, value in parameters.items()}),
)


def _adagrad(accumulate=lambda s, g: s + g**2, denominator=lambda s, eps: np.sqrt(s) + eps,
             sign=-1.0, divide_by="new", memory_out="new"):
    """An Adagrad variant: how the memory accumulates, what divides the step, its sign, which
    memory divides it (the new or the old one), which memory is returned."""
    def variant(parameters, gradients, memory, learning_rate, epsilon):
        new_memory = {name: accumulate(memory[name], gradients["d" + name])
                      for name in parameters}
        divisor = new_memory if divide_by == "new" else memory
        new_parameters = {name: parameters[name] + sign * learning_rate * gradients["d" + name]
                          / denominator(divisor[name], epsilon) for name in parameters}
        returned = new_memory if memory_out == "new" else {k: v.copy() for k, v in memory.items()}
        return new_parameters, returned
    return variant


ADAGRAD_MISTAKES = (
    Mistake("sign", "the step is added: p + learning_rate * dp / (...) climbs the loss. "
            "Subtract it.", _adagrad(sign=1.0)),
    Mistake("memory_not_accumulated", "the memory is replaced by the current squared gradient "
            "(s = dp**2) instead of accumulated (s = s + dp**2): Adagrad divides by the root "
            "of the SUM of all squared gradients so far.",
            _adagrad(accumulate=lambda s, g: g**2)),
    Mistake("epsilon_inside_sqrt", "epsilon is inside the square root, sqrt(s + epsilon) (as "
            "min-char-rnn writes it): this lesson's contract, like torch.optim.Adagrad, adds "
            "it outside: sqrt(s) + epsilon.",
            _adagrad(denominator=lambda s, eps: np.sqrt(s + eps))),
    Mistake("no_square_root", "the step is divided by the memory itself, not by its square "
            "root: dp / (sqrt(s) + epsilon).", _adagrad(denominator=lambda s, eps: s + eps)),
    Mistake("old_memory_used", "the step is divided by the memory of the step before: add "
            "dp**2 to the memory FIRST, then divide by sqrt(new memory) + epsilon (at the "
            "first step the old memory is 0 and the step would be huge).",
            _adagrad(divide_by="old")),
    Mistake("absolute_values_accumulated", "the memory accumulates |dp|: Adagrad sums the "
            "SQUARED gradients, s + dp**2.", _adagrad(accumulate=lambda s, g: s + np.abs(g))),
    Mistake("memory_not_returned", "the memory returned is the one received: the next step "
            "would start from it again. Return the new memory.", _adagrad(memory_out="old")),
)

# ---- training_step -------------------------------------------------------------------------


def training_step_cases():
    """The Cases of training_step: arguments x, y, a0, parameters, memory, learning_rate,
    max_norm. The gradients' norms are above max_norm, so that clipping matters."""
    rows = ((6, 5, 4, 3, 1600, 0.1, 0.5, None), (4, 7, 3, 5, 1601, 0.3, 1.0, (5, 2, 4)),
            (3, 2, 1, 1, 1602, 0.05, 0.2, None))
    cases = []
    for n, n_a, m, T, seed, learning_rate, max_norm, lengths in rows:
        rng = case_rng(seed)
        x, y = one_hot_batch(rng, n, m, T, lengths)
        parameters = model(n, n_a, seed, scale=1.5)
        memory = {name: rng.random(value.shape) for name, value in parameters.items()}
        a0 = np.tanh(rng.standard_normal((n_a, m)))  # a state carried from a window before
        arguments = {"x": x, "y": y, "a0": a0, "parameters": parameters, "memory": memory,
                     "learning_rate": learning_rate, "max_norm": max_norm}
        padding = f", names of {', '.join(map(str, lengths))} steps (padded)" if lengths else ""
        cases.append(Case(f"{label(n, n_a, m, T)}, max_norm {max_norm}{padding}", arguments,
                          sizes(n, n_a, m, T)))
    return cases


def _step(clip="all", start="a0", last=-1, optimizer="adagrad", loss_scale=1.0,
          output_updated=True, masked=True):
    """A training_step with one thing changed, composed of the reference functions."""
    def variant(x, y, a0, parameters, memory, learning_rate, max_norm):
        start_state = a0 if start == "a0" else np.zeros(a0.shape)
        a, y_pred, caches = reference.rnn_forward(x, start_state, parameters)
        loss, dz = reference.softmax_cross_entropy(y_pred, y)
        if masked:
            dz = dz * np.sum(y, axis=0, keepdims=True)
        output = reference.output_layer_backward(dz, a, parameters)
        recurrent = reference.rnn_backward(output["da"], caches)
        gradients = {name: recurrent[name] for name in ("dWax", "dWaa", "dba")}
        if clip == "recurrent only":
            gradients = reference.clip_by_norm(gradients, max_norm)
        gradients.update(dWya=output["dWya"], dby=output["dby"])
        if clip == "all":
            gradients = reference.clip_by_norm(gradients, max_norm)
        if not output_updated:
            gradients.update(dWya=0 * output["dWya"], dby=0 * output["dby"])
        if optimizer == "sgd":
            new = ({name: parameters[name] - learning_rate * gradients["d" + name]
                    for name in parameters}, copy.deepcopy(memory))
        else:
            new = reference.adagrad_update(parameters, gradients, memory, learning_rate)
        return loss * loss_scale(x) if callable(loss_scale) else loss, a[:, :, last], *new
    return variant


TRAINING_STEP_MISTAKES = (
    Mistake("padding_not_masked", "the padding steps send a gradient: where a name is over, "
            "y is a column of zeros and softmax_cross_entropy's dz = (y_pred - y) / m is "
            "y_pred / m, which pushes every score down. Zero those columns: "
            "dz = dz * np.sum(y, axis=0, keepdims=True).", _step(masked=False)),
    Mistake("not_clipped", "the gradients are not clipped: call clip_by_norm on the dict of "
            "all five parameter gradients before the update.", _step(clip="none")),
    Mistake("output_layer_not_clipped", "only dWax, dWaa and dba are clipped: clip_by_norm "
            "must see ALL five gradients together (dWya and dby too), so that one common "
            "factor keeps the direction of the whole gradient.", _step(clip="recurrent only")),
    Mistake("state_not_used", "the forward pass starts from zeros, not from a0: the state "
            "carried from the window before is lost. Pass a0 to rnn_forward.",
            _step(start="zeros")),
    Mistake("a_last_wrong_step", "a_last is the state after the FIRST step (a[:, :, 0]); the "
            "next window continues from the state after the LAST step, a[:, :, -1].",
            _step(last=0)),
    Mistake("sgd_instead_of_adagrad", "the update is plain gradient descent and the memory is "
            "not updated: use adagrad_update(parameters, gradients, memory, learning_rate).",
            _step(optimizer="sgd")),
    Mistake("output_layer_not_updated", "Wya and by do not move: their gradients dWya and dby "
            "from output_layer_backward belong in the dict that is clipped and given to "
            "adagrad_update.", _step(output_updated=False)),
    Mistake("loss_per_step", "the loss is divided by the number of steps: return "
            "softmax_cross_entropy's loss as it is (summed over the steps, averaged over m).",
            _step(loss_scale=lambda x: 1 / x.shape[2])),
)

# ---- train_truncated -----------------------------------------------------------------------


def train_truncated_cases():
    """The Cases of train_truncated: arguments x, y, a0, parameters, memory, k, learning_rate,
    max_norm."""
    rows = ((5, 4, 3, 7, 3, 1700, "k=3, the last window shorter"),
            (4, 6, 2, 6, 2, 1701, "k=2, three windows"),
            (3, 2, 1, 4, 5, 1702, "k=5 > T_x, one window"),
            (4, 3, 2, 5, 1, 1703, "k=1, a window per step"))
    cases = []
    for n, n_a, m, T, k, seed, text in rows:
        rng = case_rng(seed)
        x, y = one_hot_batch(rng, n, m, T)
        parameters = model(n, n_a, seed, scale=1.5)
        memory = {name: np.zeros(value.shape) for name, value in parameters.items()}
        a0 = np.tanh(rng.standard_normal((n_a, m)))
        arguments = {"x": x, "y": y, "a0": a0, "parameters": parameters, "memory": memory,
                     "k": k, "learning_rate": 0.1, "max_norm": 1.0}
        cases.append(Case(f"{label(n, n_a, m, T)} ({text})", arguments, sizes(n, n_a, m, T)))
    return cases


def _windows(T, k, kind):
    """The (start, stop) of every window of a train_truncated variant."""
    if kind == "full only":
        return [(start, start + k) for start in range(0, T - k + 1, k)]
    if kind == "overlapping":
        return [(start, min(start + k + 1, T)) for start in range(0, T, k)]
    if kind == "from the end":
        return [(max(stop - k, 0), stop) for stop in range(T, 0, -k)][::-1]
    if kind == "whole":
        return [(0, T)]
    return [(start, min(start + k, T)) for start in range(0, T, k)]


def _truncated(windows="right", state="carried", carry_parameters=True, carry_memory=True):
    """A train_truncated with one thing changed, running the reference training_step."""
    def variant(x, y, a0, parameters, memory, k, learning_rate, max_norm):
        losses, a_prev, current, current_memory = [], a0, parameters, memory
        for start, stop in _windows(x.shape[2], k, windows):
            start_state = a_prev if state == "carried" else (
                a0 if state == "a0" else np.zeros(a0.shape))
            loss, a_prev, new, new_memory = reference.training_step(
                x[:, :, start:stop], y[:, :, start:stop], start_state,
                current if carry_parameters else parameters,
                current_memory if carry_memory else memory, learning_rate, max_norm)
            losses.append(loss)
            current, current_memory = new, new_memory
        return losses, a_prev, current, current_memory
    return variant


NOT_CARRIED = ("the state is not carried: every window starts from a0 (or zeros) again. Pass "
               "the a_last of one window as the a0 of the next: the forward state goes on, "
               "only the gradient stops.")

TRAIN_TRUNCATED_MISTAKES = (
    Mistake("state_not_carried", NOT_CARRIED, _truncated(state="a0")),
    Mistake("state_not_carried", NOT_CARRIED, _truncated(state="zeros")),
    Mistake("last_window_dropped", "the last, shorter window is left out: range(0, T_x, k) "
            "gives every window's start, and x[:, :, start:start + k] simply ends at T_x.",
            _truncated(windows="full only")),
    Mistake("overlapping_windows", "the windows overlap by one step (start:start + k + 1): "
            "each window is k steps, x[:, :, start:start + k].",
            _truncated(windows="overlapping")),
    Mistake("windows_from_the_end", "the windows are counted from the end of the stream: they "
            "start at 0, k, 2k, ... and the last one is the shorter one.",
            _truncated(windows="from the end")),
    Mistake("one_update_for_the_stream", "the whole stream is one training_step: one update "
            "and BPTT through every step. Cut it into windows of k steps, one update each.",
            _truncated(windows="whole")),
    Mistake("parameters_not_carried", "every window starts from the parameters (and memory) "
            "passed in: only the last window's update survives. Give each training_step the "
            "parameters and memory the one before returned.",
            _truncated(carry_parameters=False, carry_memory=False)),
    Mistake("memory_not_carried", "Adagrad's memory is not carried from window to window: "
            "give each training_step the memory the one before returned.",
            _truncated(carry_memory=False)),
)

# ---- loss_per_character --------------------------------------------------------------------


def loss_per_character_cases():
    """The Cases of loss_per_character: words of unequal lengths, padded with zero columns."""
    rows = ((27, 6, (4, 7, 2), 1800), (5, 3, (3, 3, 1, 5, 2), 1801), (4, 2, (6,), 1802))
    cases = []
    for n, n_a, lengths, seed in rows:
        rng = case_rng(seed)
        T = max(lengths)
        x, y = one_hot_batch(rng, n, len(lengths), T, lengths)
        arguments = {"x": x, "y": y, "parameters": model(n, n_a, seed, scale=1.5)}
        text = "one word" if len(lengths) == 1 else f"words of {', '.join(map(str, lengths))} steps"
        cases.append(Case(f"{label(n, n_a, len(lengths), T)}, {text}", arguments,
                          sizes(n, n_a, len(lengths), T)))
    return cases


def _log_likelihoods(x, y, parameters, log=np.log):
    """-y * log(y_pred) summed over the classes: shape (m, T_x), zero at padding."""
    a0 = np.zeros((parameters["Waa"].shape[0], x.shape[1]))
    _, y_pred, _ = reference.rnn_forward(x, a0, parameters)
    return -np.sum(y * log(y_pred), axis=0)


def _per_character(divide_by, perplexity_of=np.exp, log=np.log):
    """loss = total / divide_by(y); perplexity = perplexity_of(loss, y)."""
    def variant(x, y, parameters):
        loss = float(np.sum(_log_likelihoods(x, y, parameters, log)) / divide_by(y))
        return loss, float(perplexity_of(loss, y))
    return variant


def _mean_of_word_means(x, y, parameters):
    per_word = np.sum(_log_likelihoods(x, y, parameters), axis=1) / np.sum(y, axis=(0, 2))
    loss = float(np.mean(per_word))
    return loss, float(np.exp(loss))


def characters(y):
    return np.sum(y)


LOSS_PER_CHARACTER_MISTAKES = (
    Mistake("averaged_over_words", "the loss is divided by the number of words m (as "
            "softmax_cross_entropy does): that is a loss per word. Divide by the number of "
            "predicted characters, np.sum(y).",
            _per_character(lambda y: y.shape[1], lambda loss, y: np.exp(loss))),
    Mistake("padding_counted", "the loss is divided by m * T_x, which counts the padding steps "
            "as characters: divide by the number of target ones, np.sum(y).",
            _per_character(lambda y: y.shape[1] * y.shape[2], lambda loss, y: np.exp(loss))),
    Mistake("end_tokens_not_counted", "the end tokens are not counted as characters: each "
            "word's end is predicted too, and counts (np.sum(y) includes it).",
            _per_character(lambda y: np.sum(y) - y.shape[1], lambda loss, y: np.exp(loss))),
    Mistake("mean_of_word_means", "the loss is the mean over the words of each word's loss "
            "per character: a short word then weighs as much as a long one. Divide the total "
            "over all characters by their number.", _mean_of_word_means),
    Mistake("log10", "the logarithm is log10: the loss in nats uses the natural logarithm, "
            "np.log.", _per_character(characters, lambda loss, y: 10.0**loss, np.log10)),
    Mistake("perplexity_base_2", "the perplexity is 2 ** loss: with the loss in nats (natural "
            "log) it is exp(loss).", _per_character(characters, lambda loss, y: 2.0**loss)),
    Mistake("perplexity_of_the_word_loss", "the perplexity is exp of the loss per WORD: it is "
            "exp of the loss per character.",
            _per_character(characters, lambda loss, y: np.exp(loss * np.sum(y) / y.shape[1]))),
)

# ---- the exercises -------------------------------------------------------------------------

UPDATED_IN_PLACE = ("the caller's arrays are changed in place (p -= ..., memory[name] += ..., "
                    "or an array stored back into the argument's dict): compute new arrays, "
                    "e.g. p - learning_rate * dp, and return new dicts.")


def optimizer_in_place(returned, changed):
    """The hint when an optimizer changed the caller's arrays."""
    return "updated_in_place", UPDATED_IN_PLACE


optimizer_in_place.diagnoses = {"updated_in_place": UPDATED_IN_PLACE}


OPTIMIZER_HINTS = {name: optimizer_in_place for name in ("parameters", "gradients", "memory")}
OPTIMIZER_EXCEPTIONS = (
    (KeyError, r"'(Wax|Waa|Wya|ba|by)'", "gradient_names",
     "the gradients are named with a d in front: the gradient of parameters[name] is "
     'gradients["d" + name].'),
    (KeyError, r"'d(Wax|Waa|Wya|ba|by)'", "gradient_names",
     "parameters and memory are named without the d: parameters[name], memory[name], and "
     'gradients["d" + name].'),
)

SAMPLE = Exercise("sample", sample_cases, mistakes=SAMPLE_MISTAKES,
                  aspects="one draw per step, the state carried, the end token",
                  exception_hints=SAMPLE_EXCEPTIONS, consumed=("rng",),
                  fallback=generator_not_used, after_values=one_draw_per_step,
                  further_diagnoses={"generator_not_used": GENERATOR_NOT_USED,
                                     "extra_draws": EXTRA_DRAWS})
SGD_UPDATE = Exercise("sgd_update", lambda: optimizer_cases(False), mistakes=SGD_MISTAKES,
                      aspects="values, new arrays, inputs unchanged", input_hints=OPTIMIZER_HINTS,
                      exception_hints=OPTIMIZER_EXCEPTIONS)
ADAGRAD_UPDATE = Exercise("adagrad_update", lambda: optimizer_cases(True),
                          mistakes=ADAGRAD_MISTAKES, aspects="values, new arrays, inputs unchanged",
                          input_hints=OPTIMIZER_HINTS, exception_hints=OPTIMIZER_EXCEPTIONS)
TRAINING_STEP = Exercise("training_step", training_step_cases, mistakes=TRAINING_STEP_MISTAKES,
                         aspects="loss, state, clipped Adagrad update, inputs unchanged")
TRAIN_TRUNCATED = Exercise("train_truncated", train_truncated_cases,
                           mistakes=TRAIN_TRUNCATED_MISTAKES,
                           aspects="windows, the state carried, one update per window")
LOSS_PER_CHARACTER = Exercise("loss_per_character", loss_per_character_cases,
                              mistakes=LOSS_PER_CHARACTER_MISTAKES,
                              aspects="padding, characters counted, perplexity")


def check_sample(sample):
    """Check a student's ``sample(parameters, temperature, rng, max_length)``."""
    run_check(SAMPLE, sample)


def check_sgd_update(sgd_update):
    """Check a student's ``sgd_update(parameters, gradients, learning_rate)``."""
    run_check(SGD_UPDATE, sgd_update)


def check_adagrad_update(adagrad_update):
    """Check a student's ``adagrad_update(parameters, gradients, memory, learning_rate,
    epsilon)``."""
    run_check(ADAGRAD_UPDATE, adagrad_update)


def check_training_step(training_step):
    """Check a student's ``training_step(x, y, a0, parameters, memory, learning_rate,
    max_norm)``."""
    run_check(TRAINING_STEP, training_step)


def check_train_truncated(train_truncated):
    """Check a student's ``train_truncated(x, y, a0, parameters, memory, k, learning_rate,
    max_norm)``."""
    run_check(TRAIN_TRUNCATED, train_truncated)


def check_loss_per_character(loss_per_character):
    """Check a student's ``loss_per_character(x, y, parameters)``."""
    run_check(LOSS_PER_CHARACTER, loss_per_character)
