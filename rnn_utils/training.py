"""Training a vanilla RNN, an LSTM or a GRU on the first-symbol task, with the student's own BPTT.

train() runs a forward pass and BPTT with the functions it is given (the student's rnn_forward /
rnn_backward or lstm_forward / lstm_backward), adds its own output layer read at the last step
only (scores = Wy a<T> + by, softmax cross-entropy; its weights live in the parameter dict's
output-layer entries, Wya for the RNN and Wy for the LSTM, whose y_pred the recurrent forward
computes and train() ignores), and takes plain gradient-descent steps on every parameter,
optionally after clipping the whole gradient dict by its global norm. train_seeds() makes the
runs of several seeds at once, side by side in one wide layer (stack_models), which is how the
lesson affords 5 to 20 seeds per claim.

Recommended settings, measured on the first-symbol task with m = 4 (the batch holds each of the
4 distinct sequences once, so the accuracy moves in steps of 0.25; chance = 0.25), over the
seeds 0-19 of the starting parameters, natively (AVX2, OpenBLAS Haswell) and under
OPENBLAS_CORETYPE=Nehalem/Sandybridge/Prescott with and without NPY_DISABLE_CPU_FEATURES=X86_V3.
Training is chaotic: another CPU rounds differently and a single run may end elsewhere, so
only the counts over seeds below are claims.

EXPLODING -- vanilla RNN, T = 10, n_a = 16, learning rate 2.0, 150 steps:
    clipped by norm 0.25: 20 of 20 seeds reach accuracy 1 and keep it, each by step 60,
                          final loss < 0.002 (the same on every emulation)
    no clipping:          0 of 20 seeds reach accuracy 1 (final accuracy at most 0.5), final
                          loss above 3.7, far above chance (log 4 = 1.39); the largest
                          gradient norm of every run above 7
    (The blow-up shows as loss spikes, not as NaN: tanh saturates, so the activations stay
    finite. NaN only comes from a step that overflows the weights themselves.)

LENGTH_SETTINGS -- both clipped; RNN as EXPLODING (learning rate 2, norm 0.25, 150 steps),
LSTM learning rate 3, norm 1, 400 steps, n_a = 16, started from DEFAULT_INIT["lstm"].
Seeds (of 20) reaching accuracy 1 and keeping it, over the emulations:
    T       10       20         40
    RNN     20       2-3        0-3
    LSTM    20       20         20     (the slowest at T = 40 by step 313 of 400)
The LSTM starts from DEFAULT_INIT["lstm"]: weights of scale 2, forget-gate bias +3 (the gate
starts open, sigmoid(3) = 0.95) and input-gate bias -2 (sigmoid(-2) = 0.12: the distractor
steps do not flood the cell).
"""

import matplotlib.pyplot as plt
import numpy as np

from rnn_utils import reference
from rnn_utils.data import first_symbol_task
from rnn_utils.params import (
    initialize_gru_parameters,
    initialize_lstm_parameters,
    initialize_rnn_parameters,
)

# The output layer's weight is called Wya in the RNN's parameter dict, Wy in the LSTM's and GRU's.
OUTPUT_WEIGHT = {"rnn": "Wya", "lstm": "Wy", "gru": "Wy"}
# Starting points used unless train() is told otherwise (see the module docstring for why).
DEFAULT_INIT = {"rnn": {}, "lstm": {"scale": 2.0, "forget_bias": 3.0, "input_bias": -2.0},
                "gru": {"update_bias": 2.0}}
# A vanilla RNN at a learning rate where the unclipped run blows up; clipped by norm, it learns.
EXPLODING = {"T": 10, "n_a": 16, "learning_rate": 2.0, "steps": 150, "max_norm": 0.25}
# RNN against LSTM as T grows: train() keyword arguments per model (both clipped by norm).
LENGTHS = (10, 20, 40)
LENGTH_SETTINGS = {
    "rnn": {"n_a": 16, "learning_rate": 2.0, "steps": 150, "max_norm": 0.25},
    "lstm": {"n_a": 16, "learning_rate": 3.0, "steps": 400, "max_norm": 1.0},
}
# Lesson 09: the GRU, the LSTM and the RNN at (about) the same number of recurrent parameters,
# on the first-symbol task at T = 40, 400 steps each (see benchmarks/gru_training.py).
EQUAL_BUDGET_T = 40
EQUAL_BUDGET = {
    "gru": {"n_a": 19, "learning_rate": 3.0, "steps": 400, "max_norm": 1.0},  # 1 425
    "lstm": {"n_a": 16, "learning_rate": 3.0, "steps": 400, "max_norm": 1.0},  # 1 408
    "rnn": {"n_a": 35, "learning_rate": 2.0, "steps": 400, "max_norm": 0.25},  # 1 435
}
HISTORY_KEYS = ("loss", "gradient_norm", "clipped_gradient_norm", "accuracy")


def initial_parameters(model, n_x, n_a, n_y, seed=0, scale=1.0, forget_bias=0.0,
                       input_bias=0.0, update_bias=0.0):
    """Seeded starting parameters of ``model``.

    Arguments:
    model -- "rnn", "lstm" or "gru"
    n_x, n_a, n_y -- sizes of the input, the hidden state and the output (the symbols)
    seed -- seed of initialize_rnn_parameters / initialize_lstm_parameters
    scale -- weights drawn from N(0, (scale / sqrt(fan_in))^2), as in those functions
    forget_bias -- LSTM only: starting value of every entry of bf. A positive value opens the
                   forget gate (sigmoid(3) = 0.95), so that the cell state -- and its
                   gradient -- is carried from step to step from the start
    input_bias -- LSTM only: starting value of bi. A negative value (sigmoid(-2) = 0.12) keeps
                  the distractor steps from flooding the cell state
    update_bias -- GRU only: starting value of bz. A positive value (sigmoid(2) = 0.88) makes
                   the update gate keep the state, and pass its gradient back, from the start

    Returns:
    parameters -- the dict of lesson 01 (RNN: Wax, Waa, Wya, ba, by), of lesson 05 (LSTM:
                  Wf, Wi, Wc, Wo, bf, bi, bc, bo, Wy, by) or of lesson 09 (GRU: Wz, Wr, Wh,
                  bz, br, bh, Wy, by)
    """
    if model == "rnn":
        return initialize_rnn_parameters(n_x, n_a, n_y, seed=seed, scale=scale)
    if model == "gru":
        parameters = initialize_gru_parameters(n_x, n_a, n_y, seed=seed, scale=scale)
        parameters["bz"] = np.full((n_a, 1), float(update_bias))  # (n_a, 1)
        return parameters
    if model != "lstm":
        raise ValueError(f'model must be "rnn", "lstm" or "gru", got {model!r}')
    parameters = initialize_lstm_parameters(n_x, n_a, n_y, seed=seed, scale=scale)
    parameters["bf"] = np.full((n_a, 1), float(forget_bias))  # (n_a, 1)
    parameters["bi"] = np.full((n_a, 1), float(input_bias))  # (n_a, 1)
    return parameters


def output_layer(a_last, y, weight, bias):
    """Loss and gradients of the output layer read at the last step only.

    scores = weight @ a_last + bias; loss = mean over the m examples of -log softmax(scores)
    at the target symbol.

    Arguments:
    a_last -- hidden state after the last step, a<T>, shape (n_a, m)
    y -- targets, one-hot, shape (n_y, m)
    weight -- output weights, shape (n_y, n_a); bias -- shape (n_y, 1)

    Returns:
    loss -- a float; accuracy -- fraction of examples whose largest score is the target
    gradients -- dict with da_last (n_a, m), dweight (n_y, n_a), dbias (n_y, 1)
    """
    m = y.shape[1]
    scores = weight @ a_last + bias  # (n_y, m)
    shifted = scores - np.max(scores, axis=0, keepdims=True)  # no overflow in exp
    log_probabilities = shifted - np.log(np.sum(np.exp(shifted), axis=0, keepdims=True))
    loss = -float(np.sum(y * log_probabilities)) / m
    accuracy = float(np.mean(np.argmax(scores, axis=0) == np.argmax(y, axis=0)))
    dscores = (np.exp(log_probabilities) - y) / m  # (n_y, m): softmax minus one-hot, averaged
    gradients = {
        "da_last": weight.T @ dscores,  # (n_a, n_y) @ (n_y, m) -> (n_a, m)
        "dweight": dscores @ a_last.T,  # (n_y, m) @ (m, n_a) -> (n_y, n_a)
        "dbias": np.sum(dscores, axis=1, keepdims=True),  # (n_y, 1)
    }
    return loss, accuracy, gradients


def global_norm(gradients):
    """sqrt of the sum of the squares of every entry of every array of the dict."""
    return float(np.sqrt(sum(np.sum(value**2) for value in gradients.values())))


def gradients_of(model, x, y, parameters, functions):
    """One forward and backward pass through ``functions``: loss, accuracy, all gradients.

    Arguments:
    model -- "rnn", "lstm" or "gru"
    x -- inputs, shape (n_x, m, T); y -- targets, one-hot, shape (n_y, m)
    parameters -- the model's dict (see initial_parameters)
    functions -- dict with "forward" and "backward": rnn_forward / rnn_backward or
                 lstm_forward / lstm_backward, the graded contracts

    Returns:
    loss, accuracy -- floats
    gradients -- dict "d" + name for every parameter name, e.g. dWax, dWaa, dba, dWya, dby
    """
    weight_name = OUTPUT_WEIGHT[model]
    n_a, m = parameters[weight_name].shape[1], x.shape[1]
    a0 = np.zeros((n_a, m))  # every sequence starts from the zero state
    results = functions["forward"](x, a0, parameters)
    a, caches = results[0], results[-1]  # rnn: (a, y_pred, caches); lstm: (a, y, c, caches)
    loss, accuracy, output = output_layer(a[:, :, -1], y, parameters[weight_name],
                                          parameters["by"])
    da = np.zeros(a.shape)  # (n_a, m, T): the loss reads a<T> only
    da[:, :, -1] = output["da_last"]
    recurrent = functions["backward"](da, caches)
    # Keep the gradients of parameters (dWaa, dbf, ...); dx and da0 are not parameters.
    gradients = {key: value for key, value in recurrent.items() if key[1:] in parameters}
    gradients["d" + weight_name] = output["dweight"]
    gradients["dby"] = output["dbias"]
    return loss, accuracy, gradients


def train(model, x, y, n_a, steps, learning_rate, functions, max_norm=None, seed=0, init=None):
    """Train ``model`` on (x, y) by plain gradient descent, with the gradients of ``functions``.

    Each step: forward pass, loss at the last step, backward pass (BPTT by
    functions["backward"]), global gradient norm, optional clipping by norm of the whole
    gradient dict (functions["clip_by_norm"], or the course's reference when absent), then
    parameter -= learning_rate * gradient for every parameter. A step whose loss or gradient is
    not finite (NaN or inf: the run blew up) ends the run; the remaining entries are NaN.

    Arguments:
    model -- "rnn", "lstm" or "gru"
    x -- inputs, shape (n_x, m, T), e.g. from data.first_symbol_task
    y -- targets, one-hot, shape (n_y, m)
    n_a -- number of hidden units
    steps -- number of gradient steps
    learning_rate -- the step size of gradient descent
    functions -- dict: "forward" and "backward" (rnn_forward / rnn_backward, or lstm_forward /
                 lstm_backward), optionally "clip_by_norm"
    max_norm -- None (no clipping) or the largest global gradient norm allowed
    seed -- seed of the starting parameters
    init -- dict of keyword arguments of initial_parameters (scale, forget_bias, input_bias);
            None means DEFAULT_INIT[model]: the RNN as initialize_rnn_parameters makes it, the
            LSTM with scale 2, forget-gate bias +3 and input-gate bias -2

    Returns:
    history -- dict of lists of length ``steps``: "loss" and "accuracy" (measured before the
               step's update), "gradient_norm" (global norm before clipping),
               "clipped_gradient_norm" (after clipping: the step actually taken); and
               "diverged_at": the index of the step that produced NaN/inf, or None
    """
    n_x, m, T = x.shape
    init = DEFAULT_INIT[model] if init is None else init
    parameters = initial_parameters(model, n_x, n_a, y.shape[0], seed=seed, **init)
    clip_by_norm = functions.get("clip_by_norm", reference.clip_by_norm)
    history = empty_history(steps)
    for step in range(steps):
        # A blown-up run overflows on its way to NaN: let it, and stop below.
        with np.errstate(over="ignore", under="ignore", invalid="ignore", divide="ignore"):
            loss, accuracy, gradients = gradients_of(model, x, y, parameters, functions)
        if not take_step(history, step, parameters, loss, accuracy, gradients, learning_rate,
                         max_norm, clip_by_norm):
            break
    return history


def empty_history(steps):
    """A history as train() returns it before the first step: NaN everywhere, not diverged."""
    history = {key: [np.nan] * steps for key in HISTORY_KEYS}
    history["diverged_at"] = None
    return history


def take_step(history, step, parameters, loss, accuracy, gradients, learning_rate, max_norm,
              clip_by_norm):
    """Record step ``step`` in ``history``, clip, and update ``parameters`` in place.

    Returns False (and sets history["diverged_at"]) when the loss or the gradient is not
    finite: the run blew up and takes no more steps. True otherwise.
    """
    with np.errstate(over="ignore", invalid="ignore"):
        norm = global_norm(gradients)
    if not (np.isfinite(loss) and np.isfinite(norm)):
        history["diverged_at"] = step
        return False
    if max_norm is not None:
        gradients = clip_by_norm(gradients, max_norm)  # one common factor for every array
    history["loss"][step] = loss
    history["accuracy"][step] = accuracy
    history["gradient_norm"][step] = norm
    history["clipped_gradient_norm"][step] = global_norm(gradients)
    for name in parameters:
        parameters[name] = parameters[name] - learning_rate * gradients["d" + name]
    return True


# The recurrent parameters of each model: what stack_models puts side by side.
RECURRENT = {"rnn": ("Wax", "Waa", "ba"), "lstm": ("Wf", "Wi", "Wc", "Wo", "bf", "bi", "bc", "bo"),
             "gru": ("Wz", "Wr", "Wh", "bz", "br", "bh")}
# The models whose weights act on a stack [a_prev; xt] (for the GRU's Wh: [r * a_prev; xt]).
STACKED = ("lstm", "gru")


def block_diagonal(blocks):
    """The square matrix with the (n, n) arrays ``blocks`` on its diagonal, zeros elsewhere."""
    n = blocks[0].shape[0]
    matrix = np.zeros((n * len(blocks), n * len(blocks)))
    for k, block in enumerate(blocks):
        matrix[k * n:(k + 1) * n, k * n:(k + 1) * n] = block
    return matrix


def stack_models(model, parameter_list):
    """One wide recurrent layer that runs K models of n_a units side by side, independently.

    Rows k n_a .. (k + 1) n_a - 1 of the wide state are model k's state: the recurrent weights
    are block-diagonal (no unit sees another model's units), the input weights and biases are
    stacked by rows. The output layer is a dummy (one row of zeros): the caller reads each
    model's block of a<T> with that model's own output layer.

    Arguments:
    model -- "rnn", "lstm" or "gru"
    parameter_list -- K parameter dicts of the same sizes (see initial_parameters)

    Returns:
    stacked -- dict of the model's parameters for K n_a units (RNN: Wax (K n_a, n_x), Waa
               (K n_a, K n_a), ba; LSTM: each Wg (K n_a, K n_a + n_x), bg), plus the dummy
               output weight (1, K n_a) and by (1, 1)
    """
    n_a = parameter_list[0][OUTPUT_WEIGHT[model]].shape[1]
    stacked = {OUTPUT_WEIGHT[model]: np.zeros((1, n_a * len(parameter_list))),
               "by": np.zeros((1, 1))}
    for name in RECURRENT[model]:
        arrays = [parameters[name] for parameters in parameter_list]
        if name == "Waa":
            stacked[name] = block_diagonal(arrays)
        elif name.startswith("W") and model in STACKED:  # acts on [a_prev; xt]
            stacked[name] = np.concatenate([block_diagonal([W[:, :n_a] for W in arrays]),
                                            np.concatenate([W[:, n_a:] for W in arrays])], axis=1)
        else:  # Wax and every bias: stacked by rows
            stacked[name] = np.concatenate(arrays)
    return stacked


def split_gradients(model, gradients, n_models):
    """Model k's recurrent gradients out of the gradients of stack_models' wide layer.

    The off-diagonal blocks (gradients with respect to the zeros between models) are dropped.
    Returns a list of n_models dicts "d" + name for the names of RECURRENT[model].
    """
    n_a = gradients["d" + RECURRENT[model][-1]].shape[0] // n_models  # a bias: (K n_a, 1)
    split = []
    for k in range(n_models):
        rows = slice(k * n_a, (k + 1) * n_a)
        own = {}
        for name in RECURRENT[model]:
            wide = gradients["d" + name]
            if name == "Waa":
                own["d" + name] = wide[rows, rows]
            elif name.startswith("W") and model in STACKED:
                own["d" + name] = np.concatenate([wide[rows, rows],
                                                  wide[rows, n_models * n_a:]], axis=1)
            else:
                own["d" + name] = wide[rows]
        split.append(own)
    return split


def train_seeds(model, x, y, n_a, steps, learning_rate, functions, max_norm=None,
                seeds=(0, 1, 2, 3, 4), init=None, group=5):
    """train() for every seed of ``seeds`` at once: one wide forward and backward pass per step.

    The runs are those of train(model, x, y, ..., seed=seed) (the same mathematics; the last
    digits differ, and a chaotic run may then end elsewhere, as it would on another CPU). The
    models share one call of functions["forward"] and functions["backward"] on the layer of
    stack_models, which is exact because no model's units see another's; each model has its
    own output layer, its own clip_by_norm call and its own update. A model that blows up
    leaves the stack; the others go on.

    Arguments: as train(), with ``seeds`` (the seeds of the starting parameters) for ``seed``,
    and ``group``: how many models share one wide pass (the wide matrices grow as the square
    of their number, so larger groups stop paying; 5 is fastest for n_a = 16)

    Returns:
    histories -- list of one history per seed, in the order of ``seeds`` (see train())
    """
    if len(seeds) > group:  # one wide pass per group of seeds
        return [history for start in range(0, len(seeds), group)
                for history in train_seeds(model, x, y, n_a, steps, learning_rate, functions,
                                           max_norm, seeds[start:start + group], init, group)]
    init = DEFAULT_INIT[model] if init is None else init
    runs = [initial_parameters(model, x.shape[0], n_a, y.shape[0], seed=seed, **init)
            for seed in seeds]
    clip_by_norm = functions.get("clip_by_norm", reference.clip_by_norm)
    histories = [empty_history(steps) for _ in seeds]
    live = list(range(len(seeds)))  # the runs that have not blown up
    for step in range(steps):
        for k in [k for k in live if not all(np.all(np.isfinite(value))
                                             for value in runs[k].values())]:
            histories[k]["diverged_at"] = step  # its NaN would reach the others: 0 * NaN = NaN
            live.remove(k)
        if not live:
            break
        with np.errstate(over="ignore", under="ignore", invalid="ignore", divide="ignore"):
            results = wide_gradients(model, x, y, [runs[k] for k in live], functions)
        for k, (loss, accuracy, gradients) in list(zip(live, results)):
            if not take_step(histories[k], step, runs[k], loss, accuracy, gradients,
                             learning_rate, max_norm, clip_by_norm):
                live.remove(k)
    return histories


def wide_gradients(model, x, y, runs, functions):
    """gradients_of() for each of ``runs``, from one forward and one backward pass of
    functions on the wide layer of stack_models (each run keeps its own output layer).

    Returns a list of (loss, accuracy, gradients), one per run, as gradients_of returns them.
    """
    weight = OUTPUT_WEIGHT[model]
    n_a, m = runs[0][weight].shape[1], x.shape[1]
    results = functions["forward"](x, np.zeros((n_a * len(runs), m)), stack_models(model, runs))
    a, caches = results[0], results[-1]  # a: (K n_a, m, T)
    outputs = [output_layer(a[k * n_a:(k + 1) * n_a, :, -1], y, run[weight], run["by"])
               for k, run in enumerate(runs)]
    da = np.zeros(a.shape)  # the loss reads a<T> only
    da[:, :, -1] = np.concatenate([output["da_last"] for _, _, output in outputs])
    recurrent = split_gradients(model, functions["backward"](da, caches), len(runs))
    return [(loss, accuracy, dict(own, **{"d" + weight: output["dweight"],
                                          "dby": output["dbias"]}))
            for (loss, accuracy, output), own in zip(outputs, recurrent)]

def solved_from(history):
    """The first step from which the accuracy is 1 at every step to the end; None if it is not
    1 at the last step (or the run blew up)."""
    accuracy = np.asarray(history["accuracy"], dtype=float)  # (steps,)
    if not accuracy[-1] == 1.0:
        return None
    below = np.flatnonzero(~(accuracy == 1.0))  # steps with accuracy < 1 (or NaN)
    return int(below[-1]) + 1 if below.size else 0


def final_accuracy(history, last=10):
    """Mean accuracy over the last ``last`` steps of a run; NaN if the run blew up."""
    return float(np.mean(history["accuracy"][-last:]))


def compare_lengths(lengths, functions_by_model, settings=None, seeds=(0, 1, 2, 3, 4), m=4,
                    n_symbols=4):
    """Final accuracy of each model on the first-symbol task, for every sequence length.

    Arguments:
    lengths -- sequence lengths T to try, e.g. (5, 10, 20, 40)
    functions_by_model -- dict model name ("rnn", "lstm") -> the ``functions`` dict of train();
                          the models compared are its keys
    settings -- dict model name -> keyword arguments of train() (n_a, steps, learning_rate,
                max_norm, init); None means LENGTH_SETTINGS
    seeds -- seeds of the starting parameters; one run per seed (run together by train_seeds)
    m, n_symbols -- batch size and number of symbols of data.first_symbol_task (seed 0)

    Returns:
    accuracies -- dict model name -> array of shape (len(lengths), len(seeds)) of final
                  accuracies (see final_accuracy)
    """
    settings = LENGTH_SETTINGS if settings is None else settings
    accuracies = {model: np.zeros((len(lengths), len(seeds))) for model in functions_by_model}
    for model, functions in functions_by_model.items():
        for row, T in enumerate(lengths):
            x, y = first_symbol_task(m, T, n_symbols=n_symbols, seed=0)
            histories = train_seeds(model, x, y, functions=functions, seeds=seeds,
                                    **settings[model])
            accuracies[model][row] = [final_accuracy(history) for history in histories]
    return accuracies


def plot_learning_curves(histories, ax=None, metric="loss"):
    """One curve per run of ``metric`` against the training step.

    Arguments:
    histories -- dict label -> history returned by train()
    ax -- matplotlib Axes to draw into; None makes a new figure
    metric -- "loss", "accuracy", "gradient_norm" or "clipped_gradient_norm"; the norms are
              drawn on a log scale. A run that blew up ends with a cross at its last
              finite value.

    Returns:
    figure -- the matplotlib Figure
    """
    if ax is None:
        _, ax = plt.subplots(figsize=(6, 3.5))
    for label, history in histories.items():
        values = np.asarray(history[metric], dtype=float)  # (steps,)
        (line,) = ax.plot(np.arange(len(values)), values, label=label)
        if history.get("diverged_at") is not None and history["diverged_at"] > 0:
            last = history["diverged_at"] - 1
            ax.plot(last, values[last], "x", color=line.get_color(), markersize=10)
    if metric in ("gradient_norm", "clipped_gradient_norm"):
        ax.set_yscale("log")
    ax.set_xlabel("training step")
    ax.set_ylabel(metric.replace("_", " "))
    ax.legend()
    return ax.figure
