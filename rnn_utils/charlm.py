"""Lesson 08's character-level language model: the data, the baselines and a fast training path.

The vocabulary is the end-of-name token "\\n" (index 0, END) followed by the letters a-z
(indices 1-26). A name is read as the inputs END, c1, ..., cn with the targets c1, ..., cn, END:
at every step the model predicts the next character, and the end token says "the name is over".

Data: ``load_words()`` reads the course's list of first names (package data, provenance in
first_names_provenance.md) or a list of the student's own (one word per line);
``split_words`` makes the fixed held-out split; ``stream_batch`` cuts the training names into
m parallel streams for truncated BPTT; ``encode_words`` pads whole words into one batch for the
held-out loss.

Speed: one fast path, batched over S models (``many_step``: forward, softmax cross-entropy,
output layer, BPTT, clipping by norm, Adagrad, with the input projections of all steps in one
matrix product, as cuDNN does). ``train_seeds`` trains several seeds at once with it;
``fast_training_step`` (S = 1) has the contract of lesson 08's graded ``training_step`` and
``train_stream`` runs the lesson's streamed truncated BPTT with it; tests hold both equal to
the reference composition.
"""

import zlib
from importlib import resources
from pathlib import Path

import numpy as np

from rnn_utils.progress import progress as progress_of
from rnn_utils.signatures import refused_in_checks

VOCABULARY = "\n" + "abcdefghijklmnopqrstuvwxyz"
END = 0  # index of the end-of-name token, also the first input of every name
CHAR_TO_INDEX = {character: index for index, character in enumerate(VOCABULARY)}
HELD_OUT_SHARE = 10  # one word in ten (by a hash of the word) is held out


def load_words(path=None, max_length=30):
    """The words of a list, one per line, lower-cased.

    Arguments:
    path -- a text file with one word per line (letters a-z, any case; blank lines are
            skipped); None means the course's list of 5,163 US first names
    max_length -- the longest word accepted

    Returns:
    words -- list of str, in the order of the file, duplicates removed
    """
    if path is None:
        text = resources.files("rnn_utils").joinpath("first_names.txt").read_text("utf-8")
        where = "the course's first_names.txt"
    else:
        path = Path(path)
        if not path.is_file():
            raise FileNotFoundError(f"load_words: no file {str(path)!r} (give a text file with "
                                    "one word per line)")
        text, where = path.read_text(encoding="utf-8", errors="replace"), str(path)
    words = []
    for number, line in enumerate(text.splitlines(), start=1):
        word = line.strip().lower()
        if word:
            _check_word(word, number, where, max_length)
            words.append(word)
    words = list(dict.fromkeys(words))  # duplicates out, order kept
    if len(words) < 2:
        raise ValueError(f"load_words: {where} holds {len(words)} distinct word(s); at least 2 "
                         "are needed (one to train on, one held out)")
    return words


def _check_word(word, number, where, max_length):
    """A clear error for a word the model cannot read: which line, which character."""
    for character in word:
        if character not in CHAR_TO_INDEX or character == "\n":
            raise ValueError(f"load_words: line {number} of {where}, {word!r}, contains "
                             f"{character!r}; only the letters a-z can be used (one word per "
                             "line, no spaces or accents)")
    if len(word) > max_length:
        raise ValueError(f"load_words: line {number} of {where}, {word!r}, has {len(word)} "
                         f"letters; at most max_length = {max_length} are accepted")


def split_words(words):
    """The fixed held-out split: a word is held out when crc32(word) % 10 == 0.

    The split depends on each word alone (not on a random generator or on the list's order),
    so it is the same on every machine and a word keeps its side when the list grows. Tiny
    lists fall back to every tenth word, so that both parts are never empty.

    Returns:
    train, held_out -- two lists of str
    """
    held = [zlib.crc32(word.encode()) % HELD_OUT_SHARE == 0 for word in words]
    if not any(held) or all(held):
        held = [index % HELD_OUT_SHARE == HELD_OUT_SHARE - 1 or index == len(words) - 1
                for index in range(len(words))]
    train = [word for word, out in zip(words, held) if not out]
    return train, [word for word, out in zip(words, held) if out]


def one_hot(indices, size=None):
    """One-hot columns down the first axis: indices of shape S give an array (size, *S); an
    index of -1 gives a column of zeros (padding). ``size`` defaults to the vocabulary's 27."""
    size = len(VOCABULARY) if size is None else size
    indices = np.asarray(indices)
    encoded = (np.arange(size).reshape((size,) + (1,) * indices.ndim) == indices)
    return encoded.astype(float)


def indices_of(word):
    """The vocabulary indices of a word's letters."""
    return [CHAR_TO_INDEX[character] for character in word]


def word_of(indices):
    """The letters of a list of indices, up to the first end token."""
    letters = []
    for index in indices:
        if index == END:
            break
        letters.append(VOCABULARY[index])
    return "".join(letters)


def encode_words(words):
    """Whole words as one padded batch, each starting from the end token.

    Returns:
    x -- inputs, one-hot, shape (27, m, T): END, c1, ..., cn, then zero columns
    y -- targets, one-hot, shape (27, m, T): c1, ..., cn, END, then zero columns (padding,
         which contributes nothing to a sum of y * log(y_pred))
    """
    T = max(len(word) for word in words) + 1
    inputs = np.full((len(words), T), -1)
    targets = np.full((len(words), T), -1)
    for row, word in enumerate(words):
        letters = indices_of(word)
        inputs[row, : len(letters) + 1] = [END] + letters
        targets[row, : len(letters) + 1] = letters + [END]
    return one_hot(inputs), one_hot(targets)


def stream_batch(words, m, seed):
    """The training names as m parallel streams of characters, for truncated BPTT.

    The names are shuffled (by ``seed``), joined as END name END name END ..., and the stream
    is cut into m rows of equal length (the few characters left over are dropped). Row i is a
    contiguous piece of the stream: the state carried from one window to the next belongs to
    the same text.

    Returns:
    x, y -- one-hot inputs and targets (the next character), each of shape (27, m, L)
    """
    order = np.random.default_rng(seed).permutation(len(words))
    stream = [END]
    for index in order:
        stream += indices_of(words[index]) + [END]
    length = (len(stream) - 1) // m
    if length < 1:
        raise ValueError(f"stream_batch: {len(stream) - 1} characters cannot fill m = {m} rows")
    rows = np.array(stream[: m * length + 1])
    inputs = np.stack([rows[i * length: (i + 1) * length] for i in range(m)])  # (m, L)
    targets = np.stack([rows[i * length + 1: (i + 1) * length + 1] for i in range(m)])
    return one_hot(inputs), one_hot(targets)


def bigram_model(words, smoothing=1.0):
    """P(next character | current character) fitted by counting, with add-``smoothing``.

    Returns:
    probabilities -- shape (27, 27): column j is the distribution of the character that
                     follows character j (j = END: the first letter of a name)
    """
    counts = np.full((len(VOCABULARY),) * 2, float(smoothing))
    for word in words:
        sequence = [END] + indices_of(word) + [END]
        for current, following in zip(sequence[:-1], sequence[1:]):
            counts[following, current] += 1
    return counts / counts.sum(axis=0, keepdims=True)


def bigram_loss(probabilities, words):
    """Loss per character (nats) of a bigram model on ``words``, the end tokens included."""
    total, count = 0.0, 0
    for word in words:
        sequence = [END] + indices_of(word) + [END]
        for current, following in zip(sequence[:-1], sequence[1:]):
            total -= np.log(probabilities[following, current])
            count += 1
    return total / count


def parameter_count(parameters):
    """The number of numbers in a parameter dict."""
    return int(sum(value.size for value in parameters.values()))


# ---- the fast path -------------------------------------------------------------------------------
# One implementation, batched over S models (many_*, below): every array gets a leading axis of
# S seeds and one batched product (np.matmul over that axis) does the work of S separate ones,
# so the Python loop over the steps, which dominates the cost at these sizes, runs once for all
# seeds. A single model is the case S = 1 (fast_training_step, held_out_loss).


def stacked(arrays):
    """{name: array} -> {name: array[None]}: one model as a stack of one (S = 1)."""
    return {name: value[None] for name, value in arrays.items()}


def unstacked(arrays, index=0):
    """The index-th model of a stack: {name: array[index]}."""
    return {name: value[index] for name, value in arrays.items()}


@refused_in_checks  # computes a graded answer: see signatures.refused_in_checks
def clip_by_global_norm(gradients, max_norm):
    """Every array times max_norm / global norm when that norm is above max_norm."""
    norm = np.sqrt(sum(np.sum(value**2) for value in gradients.values()))
    factor = max_norm / norm if norm > max_norm else 1.0
    return {name: value * factor for name, value in gradients.items()}


@refused_in_checks  # computes a graded answer: see signatures.refused_in_checks
def adagrad(parameters, gradients, memory, learning_rate, epsilon=1e-8):
    """Adagrad as lesson 08 writes it: memory + g**2, then p - lr * g / (sqrt(memory) + eps)."""
    new_memory = {name: memory[name] + gradients["d" + name] ** 2 for name in parameters}
    new_parameters = {name: parameters[name] - learning_rate * gradients["d" + name]
                      / (np.sqrt(new_memory[name]) + epsilon) for name in parameters}
    return new_parameters, new_memory


@refused_in_checks  # computes a graded answer: see signatures.refused_in_checks
def fast_training_step(x, y, a0, parameters, memory, learning_rate, max_norm):
    """Lesson 08's training_step, fast (many_step with S = 1): x, y (n_x, m, T), a0 (n_a, m).

    Returns loss (summed over steps, averaged over m, padding masked), a_last (n_a, m), the new
    parameters and the new memory."""
    per_character, state, parameters, memory = many_step(
        x[None], y[None], a0[None], stacked(parameters), stacked(memory), learning_rate,
        max_norm)
    loss = float(per_character[0]) * float(np.sum(y)) / x.shape[1] if np.sum(y) else 0.0
    return loss, state[0], unstacked(parameters), unstacked(memory)


@refused_in_checks  # computes a graded answer: see signatures.refused_in_checks
def held_out_loss(parameters, words):
    """Loss per character (nats) of the RNN on whole ``words``, each from the zero state."""
    return float(many_held_out(stacked(parameters), words)[0])


# ---- training ------------------------------------------------------------------------------


def zeros_like_parameters(parameters):
    """Adagrad's memory before the first step: zeros with the parameters' names and shapes."""
    return {name: np.zeros(value.shape) for name, value in parameters.items()}


@refused_in_checks  # computes a graded answer: see signatures.refused_in_checks
def train_stream(x, y, parameters, memory, k, learning_rate, max_norm, a0=None,
                 step=fast_training_step):
    """Lesson 08's train_truncated with ``step`` (the fast training step by default).

    Returns a dict: losses (one per window, softmax_cross_entropy's loss of the window divided
    by its number of steps, so per character), a_last, parameters, memory.
    """
    state = np.zeros((parameters["Waa"].shape[0], x.shape[1])) if a0 is None else a0
    losses = []
    for start in range(0, x.shape[2], k):
        window = slice(start, start + k)
        loss, state, parameters, memory = step(x[:, :, window], y[:, :, window], state,
                                               parameters, memory, learning_rate, max_norm)
        losses.append(loss / x[:, :, window].shape[2])
    return {"losses": losses, "a_last": state, "parameters": parameters, "memory": memory}


def initialize(n, n_a, seed):
    """The starting RNN of lesson 08: initialize_rnn_parameters with the vocabulary at both
    ends (imported here, where it is used, to keep this module's imports light)."""
    from rnn_utils.params import initialize_rnn_parameters

    return initialize_rnn_parameters(n, n_a, n, seed=seed)


# ---- the LSTM of the same size, on whole names (with the reference lstm_forward/backward) ----


def lstm_training_step(x, y, parameters, memory, learning_rate, max_norm):
    """One Adagrad step of an LSTM language model on a padded batch of whole names.

    The course's reference lstm_forward (from the zero state) and lstm_backward (the functions
    of lessons 05-06), an output layer on every step (Wy, by) whose padding steps carry no
    gradient, clipping by the global norm, Adagrad. Returns the loss and the new parameters
    and memory.
    """
    from rnn_utils import reference

    n_a, m = parameters["Wy"].shape[1], x.shape[1]
    a, y_pred, _, caches = reference.lstm_forward(x, np.zeros((n_a, m)), parameters)
    loss = -float(np.sum(y * np.log(y_pred))) / m
    dz = (y_pred - y) * np.sum(y, axis=0, keepdims=True) / m  # (n_y, m, T), 0 at padding
    gradients = reference.lstm_backward(np.einsum("ya,ymt->amt", parameters["Wy"], dz), caches)
    gradients = {key: value for key, value in gradients.items() if key[1:] in parameters}
    gradients["dWy"] = np.einsum("ymt,amt->ya", dz, a)
    gradients["dby"] = dz.sum(axis=(1, 2))[:, None]
    gradients = clip_by_global_norm(gradients, max_norm)
    parameters, memory = adagrad(parameters, gradients, memory, learning_rate)
    return loss, parameters, memory


def lstm_held_out_loss(parameters, words):
    """Loss per character (nats) of the LSTM on whole ``words``, each from the zero state."""
    from rnn_utils import reference

    x, y = encode_words(words)
    _, y_pred, _, _ = reference.lstm_forward(x, np.zeros((parameters["Wy"].shape[1],
                                                          x.shape[1])), parameters)
    return -float(np.sum(y * np.log(y_pred))) / float(np.sum(y))


def train_lstm_names(train_words, held_out_words, n_a, epochs, learning_rate=0.1, max_norm=1.0,
                     m=32, seed=0):
    """Train an LSTM language model on the batches of train_seeds (shuffled batches of m whole
    names, each from the zero state; no truncation) with clipped Adagrad, measuring the
    held-out loss after every epoch: lesson 08's RNN recipe, for the LSTM of the same size.

    Returns:
    history -- dict: "held_out" (one float per epoch), "parameters", "parameter_count"
    """
    from rnn_utils.params import initialize_lstm_parameters

    n = len(VOCABULARY)
    parameters = initialize_lstm_parameters(n, n_a, n, seed=seed)
    parameters["bf"] = np.ones((n_a, 1))  # the forget gate starts open (lesson 07)
    memory, held_out = zeros_like_parameters(parameters), []
    for epoch in range(epochs):
        for x, y in name_batches(train_words, m, seed * 1000 + epoch):  # as train_seeds
            _, parameters, memory = lstm_training_step(x, y, parameters, memory, learning_rate,
                                                       max_norm)
        held_out.append(lstm_held_out_loss(parameters, held_out_words))
    return {"held_out": held_out, "parameters": parameters,
            "parameter_count": parameter_count(parameters)}


# ---- S models at once: the fast path itself ---------------------------------------------------
# Each seed has its own parameters, data order, clipping (its own global norm) and Adagrad
# memory; the runs do not interact.


def fast_tanh(z):
    """tanh(z) as 2 / (1 + exp(-2 z)) - 1: equal to np.tanh within 1e-15, and about twice as
    fast, NumPy's exp being vectorised where its tanh is not on many CPUs. For z below -354,
    exp overflows to inf and the result is -1, as it should be."""
    with np.errstate(over="ignore"):
        return 2.0 / (1.0 + np.exp(-2.0 * z)) - 1.0


def many_forward(x, a0, parameters):
    """fast_forward for S models at once: x (S, n_x, m, T), a0 (S, n_a, m), parameters with a
    leading axis S. Returns states (T + 1, S, n_a, m) and log-probabilities (S, n_y, m, T)."""
    S, n_x, m, T = x.shape
    projected = parameters["Wax"] @ x.reshape(S, n_x, m * T) + parameters["ba"]
    projected = np.ascontiguousarray(projected.reshape(S, -1, m, T).transpose(3, 0, 1, 2))
    states = np.empty((T + 1,) + a0.shape)
    states[0] = a0
    for t in range(T):
        states[t + 1] = fast_tanh(projected[t] + parameters["Waa"] @ states[t])
    hidden = states[1:].transpose(1, 2, 3, 0).reshape(S, -1, m * T)  # (S, n_a, m T)
    scores = parameters["Wya"] @ hidden + parameters["by"]
    shifted = scores - scores.max(axis=1, keepdims=True)
    log_probabilities = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    return states, log_probabilities.reshape(S, -1, m, T)


def many_gradients(x, y, states, log_probabilities, parameters):
    """fast_gradients for S models at once (padding steps carry no gradient)."""
    S, n_x, m, T = x.shape
    targeted = np.sum(y, axis=1, keepdims=True)
    dz = ((np.exp(log_probabilities) - y) * targeted).reshape(S, -1, m * T) / m
    hidden = states[1:].transpose(1, 2, 3, 0).reshape(S, -1, m * T)
    da = (parameters["Wya"].transpose(0, 2, 1) @ dz).reshape(S, -1, m, T).transpose(3, 0, 1, 2)
    dpre, carried = np.empty(da.shape), np.zeros(da.shape[1:])
    WaaT = parameters["Waa"].transpose(0, 2, 1)
    for t in reversed(range(T)):
        dpre[t] = (da[t] + carried) * (1 - states[t + 1] ** 2)
        carried = WaaT @ dpre[t]
    dpre_all = dpre.transpose(1, 2, 3, 0).reshape(S, -1, m * T)
    previous = states[:-1].transpose(1, 2, 3, 0).reshape(S, -1, m * T)
    return {"dWax": dpre_all @ x.reshape(S, n_x, m * T).transpose(0, 2, 1),
            "dWaa": dpre_all @ previous.transpose(0, 2, 1),
            "dba": dpre_all.sum(axis=2, keepdims=True), "dWya": dz @ hidden.transpose(0, 2, 1),
            "dby": dz.sum(axis=2, keepdims=True)}


def many_step(x, y, a0, parameters, memory, learning_rate, max_norm, optimizer="adagrad"):
    """fast_training_step for S models at once; each seed is clipped by its own global norm
    (max_norm None: no clipping); optimizer "adagrad" or "sgd" (plain gradient descent, the
    memory unused). Returns each seed's loss per character on the batch (before the update,
    an array (S,)), the new state, parameters and memory."""
    states, log_probabilities = many_forward(x, a0, parameters)
    losses = -np.sum(y * log_probabilities, axis=(1, 2, 3)) / np.sum(y, axis=(1, 2, 3))
    gradients = many_gradients(x, y, states, log_probabilities, parameters)
    if max_norm is not None:
        norms = np.sqrt(sum(np.sum(value**2, axis=(1, 2)) for value in gradients.values()))
        factors = np.where(norms > max_norm, max_norm / np.maximum(norms, 1e-300), 1.0)
        gradients = {name: value * factors[:, None, None] for name, value in gradients.items()}
    if optimizer == "sgd":
        parameters = {name: value - learning_rate * gradients["d" + name]
                      for name, value in parameters.items()}
    else:
        parameters, memory = adagrad(parameters, gradients, memory, learning_rate)
    return losses, states[-1], parameters, memory


def many_held_out(parameters, words):
    """held_out_loss of each of the S models: an array (S,)."""
    x, y = encode_words(words)
    S, n_a = parameters["Waa"].shape[:2]
    _, log_probabilities = many_forward(np.broadcast_to(x, (S,) + x.shape),
                                        np.zeros((S, n_a, x.shape[1])), parameters)
    return -np.sum(y * log_probabilities, axis=(1, 2, 3)) / np.sum(y)


def many_initial(seeds, n_a):
    """The starting parameters of each seed, stacked: {name: (S, ...)}; and zero memory."""
    single = [initialize(len(VOCABULARY), n_a, seed) for seed in seeds]
    parameters = {name: np.stack([p[name] for p in single]) for name in single[0]}
    return parameters, zeros_like_parameters(parameters)


def name_batches(words, m, seed, T=None):
    """Shuffled batches of m whole names (the last may be smaller), each padded to T steps
    (default: the longest name + 1, the same for every batch). Returns a list of (x, y)."""
    T = T or max(len(word) for word in words) + 1
    order = np.random.default_rng(seed).permutation(len(words))
    batches = []
    for start in range(0, len(order) - m + 1, m):  # whole batches only: seeds stack them
        x, y = encode_words([words[i] for i in order[start:start + m]])
        pad = ((0, 0), (0, 0), (0, T - x.shape[2]))
        batches.append((np.pad(x, pad), np.pad(y, pad)))
    return batches


def train_seeds(seeds, train_words, held_out_words, n_a=64, epochs=12, learning_rate=0.1,
                max_norm=1.0, m=32, mode="names", k=12, evaluations_per_epoch=1,
                optimizer="adagrad", progress=None):
    """Train one RNN per seed, all at once, and measure each one's held-out loss.

    mode "names": shuffled batches of m whole names from the zero state (padding masked), the
    lesson's main recipe. mode "stream": the names as m streams (stream_batch), cut into
    windows of k steps with the state carried (train_truncated's scheme). optimizer
    "adagrad" (the lesson's) or "sgd" (plain gradient descent, to see what clipping does).
    progress: None, or a label: show the progress under it, batch by batch, with the time
    left (rnn_utils.progress; emptied at the end).

    Returns:
    history -- dict: "held_out" array (evaluations, S), "train" array (evaluations, S) of the
               mean training loss per character since the last evaluation, "parameters"
               (stacked, leading axis S)
    """
    parameters, memory = many_initial(seeds, n_a)
    held_out, train_losses = [], []
    step = {"reset": mode == "names", "learning_rate": learning_rate, "max_norm": max_norm,
            "optimizer": optimizer}
    first = _seed_batches(seeds, train_words, m, 0, mode, k)
    with progress_of(progress, epochs * len(first)) as shown:
        for epoch in range(epochs):
            batches = first if epoch == 0 else _seed_batches(seeds, train_words, m, epoch, mode, k)
            state = np.zeros((len(seeds), n_a, m))
            for part in np.array_split(np.arange(len(batches)), evaluations_per_epoch):
                loss, state, parameters, memory = _train_batches(
                    [batches[index] for index in part], state, parameters, memory, step, shown)
                train_losses.append(loss)
                with np.errstate(over="ignore", invalid="ignore"):
                    held_out.append(many_held_out(parameters, held_out_words))
    return {"held_out": np.array(held_out), "train": np.array(train_losses),
            "parameters": parameters}


def _train_batches(batches, state, parameters, memory, step, shown):
    """many_step on each batch in turn (from the zero state each time if step["reset"]);
    returns the mean loss per seed (S,), the last state, the parameters and the memory."""
    losses = []
    for x, y in batches:
        if step["reset"]:
            state = np.zeros_like(state)
        with np.errstate(over="ignore", invalid="ignore"):
            loss, state, parameters, memory = many_step(
                x, y, state, parameters, memory, step["learning_rate"], step["max_norm"],
                step["optimizer"])
        losses.append(loss)
        shown.advance()
    return np.mean(losses, axis=0), state, parameters, memory


def _seed_batches(seeds, words, m, epoch, mode, k):
    """The batches of one epoch for every seed, stacked: a list of (x, y), each (S, 27, m, T)."""
    if mode == "names":
        return _stacked_name_batches(seeds, words, m, epoch)
    if mode == "stream":
        per_seed = []
        for seed in seeds:
            x, y = stream_batch(words, m, seed=seed * 1000 + epoch)
            per_seed.append([(x[:, :, s:s + k], y[:, :, s:s + k])
                             for s in range(0, x.shape[2], k)])
    else:
        raise ValueError(f'mode must be "names" or "stream", got {mode!r}')
    count = min(len(batches) for batches in per_seed)
    return [(np.stack([batches[i][0] for batches in per_seed]),
             np.stack([batches[i][1] for batches in per_seed])) for i in range(count)]


def _stacked_name_batches(seeds, words, m, epoch):
    """_seed_batches for mode "names", made by one table lookup per batch for all seeds: the
    same arrays as stacking name_batches(words, m, seed * 1000 + epoch) of every seed."""
    T = max(len(word) for word in words) + 1
    inputs = np.full((len(words), T), len(VOCABULARY))  # index 27: a zero column (padding)
    targets = np.full((len(words), T), len(VOCABULARY))
    for row, word in enumerate(words):
        letters = indices_of(word)
        inputs[row, : len(letters) + 1] = [END] + letters
        targets[row, : len(letters) + 1] = letters + [END]
    table = np.vstack([np.eye(len(VOCABULARY)), np.zeros((1, len(VOCABULARY)))])  # (28, 27)
    orders = np.stack([np.random.default_rng(seed * 1000 + epoch).permutation(len(words))
                       for seed in seeds])  # (S, n_words)
    batches = []
    for start in range(0, len(words) - m + 1, m):
        chosen = orders[:, start:start + m]  # (S, m)
        x = table[inputs[chosen]].transpose(0, 3, 1, 2)  # (S, m, T, 27) -> (S, 27, m, T)
        y = table[targets[chosen]].transpose(0, 3, 1, 2)
        batches.append((np.ascontiguousarray(x), np.ascontiguousarray(y)))
    return batches


def seed_parameters(history, index):
    """The parameters of the index-th seed of train_seeds' stacked result."""
    return unstacked(history["parameters"], index)


# Lesson 08 saves its trained model here, in the notebook's folder, so that its explorer can run
# again after a restart or on a reopened notebook without training for a minute.
MODEL_FILE = "lesson08_model.npz"
QUICK_EPOCHS = 5  # a model trained when none was saved: about 1 s here, held-out loss 2.08


def save_model(parameters, words, path=MODEL_FILE):
    """Save an RNN's parameters (Wax, Waa, Wya, ba, by) and the words it learned from, as
    arrays in an .npz file (no pickle: loading it runs no code)."""
    np.savez(path, words=np.array(words, dtype=str), **parameters)


def load_model(path=MODEL_FILE):
    """The parameters and words that save_model wrote: (dict of arrays, list of str)."""
    with np.load(path, allow_pickle=False) as saved:
        words = [str(word) for word in saved["words"]]
        parameters = {name: saved[name] for name in saved.files if name != "words"}
    return parameters, words


def saved_or_quick_model(path=MODEL_FILE, seed=0):
    """The model saved at ``path`` with its words; when there is none, one trained here on the
    course's names in a few seconds (seed 0, QUICK_EPOCHS epochs), said in one line.

    Returns:
    parameters -- dict Wax, Waa, Wya, ba, by of the RNN
    words -- the words it learned from (the training names and the held-out ones)
    """
    if Path(path).exists():
        return load_model(path)
    words = load_words()
    train_words, held_out_words = split_words(words)
    history = train_seeds((seed,), train_words, held_out_words, n_a=64, epochs=QUICK_EPOCHS,
                          progress=f"no {path} saved yet: training a small model")
    print(f"No model was saved in {path} (the Training section saves one): this is seed "
          f"{seed} trained for {QUICK_EPOCHS} epochs here, held-out loss "
          f"{history['held_out'][-1, 0]:.2f} nats per character.")
    return seed_parameters(history, 0), words


def name_shares(names, train_words, all_words):
    """The share of ``names`` that are new (not in the training list) and the share that are
    real (in ``all_words``, the whole list: a held-out name is both new and real)."""
    train, known = set(train_words), set(all_words)
    return (float(np.mean([name not in train for name in names])),
            float(np.mean([name in known for name in names])))
