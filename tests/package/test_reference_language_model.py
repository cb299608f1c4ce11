"""Lesson 08's reference functions and rnn_utils.charlm against independent implementations:
the window's gradients against autograd, the training step against the fast path (one fused
computation written apart from the lesson), the sampler's draws against the Generator's own
stream, Adagrad against its formula, the loss per character against the fast forward pass;
and the data: the shipped list, the fixed split, the loader's errors."""

import autograd.numpy as anp
import numpy as np
import pytest
from autograd import grad

from rnn_utils import charlm, initialize_rnn_parameters
from rnn_utils.reference import (
    adagrad_update,
    loss_per_character,
    sample,
    sgd_update,
    train_truncated,
    training_step,
)

NAMES = ("Wax", "Waa", "Wya", "ba", "by")


def window(seed, n=6, n_a=5, m=3, T=4):
    rng = np.random.default_rng(seed)
    indices = rng.integers(n, size=(m, T + 1))
    x = charlm.one_hot(indices[:, :-1], n)
    y = charlm.one_hot(indices[:, 1:], n)
    parameters = initialize_rnn_parameters(n, n_a, n, seed=seed, scale=1.5)
    memory = {name: rng.random(value.shape) for name, value in parameters.items()}
    a0 = np.tanh(rng.standard_normal((n_a, m)))
    return x, y, a0, parameters, memory


def autograd_loss(flat, x, y, a0, shapes):
    """The window's loss (summed over steps, averaged over m), from the equations."""
    parameters, offset = {}, 0
    for name in NAMES:
        size = int(np.prod(shapes[name]))
        parameters[name] = anp.reshape(flat[offset:offset + size], shapes[name])
        offset += size
    a, total = a0, 0.0
    for t in range(x.shape[2]):
        a = anp.tanh(parameters["Wax"] @ x[:, :, t] + parameters["Waa"] @ a + parameters["ba"])
        z = parameters["Wya"] @ a + parameters["by"]
        log_p = z - anp.log(anp.sum(anp.exp(z), axis=0, keepdims=True))
        total = total - anp.sum(y[:, :, t] * log_p)
    return total / x.shape[1]


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_training_step_equals_autograd_then_clipping_then_adagrad(seed):
    x, y, a0, parameters, memory = window(seed)
    shapes = {name: parameters[name].shape for name in NAMES}
    flat = np.concatenate([parameters[name].ravel() for name in NAMES])
    gradient = grad(autograd_loss)(flat, x, y, a0, shapes)
    norm, max_norm = np.linalg.norm(gradient), 0.5
    assert norm > max_norm  # clipping acts
    gradient = gradient * max_norm / norm
    loss, a_last, new_parameters, new_memory = training_step(x, y, a0, parameters, memory, 0.1,
                                                             max_norm)
    assert loss == pytest.approx(autograd_loss(flat, x, y, a0, shapes), rel=1e-12)
    offset = 0
    for name in NAMES:
        g = gradient[offset:offset + parameters[name].size].reshape(shapes[name])
        offset += g.size
        s = memory[name] + g**2
        np.testing.assert_allclose(new_memory[name], s, rtol=1e-10, atol=1e-12)
        np.testing.assert_allclose(new_parameters[name],
                                   parameters[name] - 0.1 * g / (np.sqrt(s) + 1e-8),
                                   rtol=1e-10, atol=1e-12)
    a = a0
    for t in range(x.shape[2]):
        a = np.tanh(parameters["Wax"] @ x[:, :, t] + parameters["Waa"] @ a + parameters["ba"])
    np.testing.assert_allclose(a_last, a, rtol=1e-12)


@pytest.mark.parametrize("max_norm", [0.3, 100.0])
def test_the_fast_training_step_equals_the_reference(max_norm):
    x, y, a0, parameters, memory = window(5, n=27, n_a=16, m=8, T=12)
    expected = training_step(x, y, a0, parameters, memory, 0.1, max_norm)
    fast = charlm.fast_training_step(x, y, a0, parameters, memory, 0.1, max_norm)
    assert fast[0] == pytest.approx(expected[0], rel=1e-12)
    np.testing.assert_allclose(fast[1], expected[1], rtol=1e-12, atol=1e-14)
    for got, want in ((fast[2], expected[2]), (fast[3], expected[3])):
        for name in NAMES:
            np.testing.assert_allclose(got[name], want[name], rtol=1e-10, atol=1e-12)


def test_train_truncated_equals_a_loop_of_fast_steps():
    x, y, a0, parameters, memory = window(7, n=27, n_a=8, m=4, T=11)
    losses, a_last, new_parameters, new_memory = train_truncated(x, y, a0, parameters, memory,
                                                                 4, 0.1, 1.0)
    state, p, s, expected = a0, parameters, memory, []
    for start in (0, 4, 8):
        loss, state, p, s = charlm.fast_training_step(x[:, :, start:start + 4],
                                                      y[:, :, start:start + 4], state, p, s,
                                                      0.1, 1.0)
        expected.append(loss)
    np.testing.assert_allclose(losses, expected, rtol=1e-10)
    np.testing.assert_allclose(a_last, state, rtol=1e-10)
    for name in NAMES:
        np.testing.assert_allclose(new_parameters[name], p[name], rtol=1e-9, atol=1e-12)


def test_the_fast_path_trains_like_the_reference_over_a_stream():
    train, _ = charlm.split_words(charlm.load_words())
    x, y = charlm.stream_batch(train[:200], 4, seed=0)
    parameters = initialize_rnn_parameters(27, 12, 27, seed=0)
    memory = {name: np.zeros(value.shape) for name, value in parameters.items()}
    reference_result = train_truncated(x, y, np.zeros((12, 4)), parameters, memory, 10, 0.1, 5.0)
    fast = charlm.train_stream(x, y, parameters, memory, 10, 0.1, 5.0)
    # train_stream reports each window's loss per character: divided by its number of steps
    steps = [min(10, x.shape[2] - start) for start in range(0, x.shape[2], 10)]
    # Over many Adagrad steps rounding differences grow (a step divides a gradient by its own
    # size): equal within 1e-6, far below any real difference of method.
    np.testing.assert_allclose(np.array(fast["losses"]) * steps, reference_result[0], atol=1e-6)
    for name in NAMES:
        np.testing.assert_allclose(fast["parameters"][name], reference_result[2][name],
                                   rtol=0, atol=1e-6)


def test_sample_makes_one_draw_per_step_from_the_generator():
    parameters = initialize_rnn_parameters(27, 10, 27, seed=3, scale=2.0)
    for seed in range(5):
        rng = np.random.default_rng(seed)
        indices = sample(parameters, 1.0, rng, 15)
        twin = np.random.default_rng(seed)
        twin.random(len(indices))  # rng.choice with p draws one double per call
        assert rng.bit_generator.state == twin.bit_generator.state
        assert all(isinstance(index, int) for index in indices)
        assert len(indices) == 15 or indices[-1] == 0


def test_sampled_first_letters_follow_softmax_of_the_scores_over_the_temperature():
    parameters = initialize_rnn_parameters(5, 4, 5, seed=2, scale=2.0)
    x = np.zeros((5, 1))
    x[0] = 1.0
    a = np.tanh(parameters["Wax"] @ x + parameters["ba"])
    z = (parameters["Wya"] @ a + parameters["by"])[:, 0]
    rng = np.random.default_rng(0)
    for temperature in (0.5, 2.0):
        expected = np.exp(z / temperature) / np.sum(np.exp(z / temperature))
        firsts = [sample(parameters, temperature, rng, 1)[0] for _ in range(4000)]
        frequencies = np.bincount(firsts, minlength=5) / 4000
        np.testing.assert_allclose(frequencies, expected, atol=0.03)


def test_sample_refuses_a_temperature_of_zero_and_a_mismatched_vocabulary():
    parameters = initialize_rnn_parameters(5, 3, 5, seed=0)
    with pytest.raises(ValueError, match="temperature must be positive"):
        sample(parameters, 0.0, np.random.default_rng(0), 5)
    for max_length in (0, 2.5, True):
        with pytest.raises(ValueError, match="max_length must be an integer >= 1"):
            sample(parameters, 1.0, np.random.default_rng(0), max_length)
    with pytest.raises(ValueError, match="n_y must equal"):
        sample(initialize_rnn_parameters(5, 3, 4, seed=0), 1.0, np.random.default_rng(0), 5)


def test_the_optimizers_follow_their_formulas_on_numbers():
    parameters = {name: np.full(value.shape, 1.0) for name, value
                  in initialize_rnn_parameters(2, 2, 2).items()}
    gradients = {"d" + name: np.full(value.shape, 2.0) for name, value in parameters.items()}
    memory = {name: np.full(value.shape, 5.0) for name, value in parameters.items()}
    new = sgd_update(parameters, gradients, 0.25)
    assert all(np.all(value == 0.5) for value in new.values())
    new, new_memory = adagrad_update(parameters, gradients, memory, 0.3, 1.0)
    assert all(np.all(value == 9.0) for value in new_memory.values())  # 5 + 2**2
    np.testing.assert_allclose(new["Wax"], 1.0 - 0.3 * 2.0 / (3.0 + 1.0))
    assert all(np.all(value == 5.0) for value in memory.values())  # inputs unchanged


def test_loss_per_character_equals_the_fast_held_out_loss_on_names():
    words = charlm.load_words()[:40]
    parameters = initialize_rnn_parameters(27, 9, 27, seed=4)
    x, y = charlm.encode_words(words)
    loss, perplexity = loss_per_character(x, y, parameters)
    assert loss == pytest.approx(charlm.held_out_loss(parameters, words), rel=1e-12)
    assert perplexity == pytest.approx(np.exp(loss), rel=1e-12)
    assert np.sum(y) == sum(len(word) + 1 for word in words)  # the end tokens count


# ---- the data -------------------------------------------------------------------------------


def test_the_shipped_names_and_the_fixed_split():
    words = charlm.load_words()
    assert len(words) == 5163 and words == sorted(set(words))
    train, held_out = charlm.split_words(words)
    assert len(held_out) == 521 and not set(train) & set(held_out)
    assert held_out[:3] == ["adelia", "adriane", "adrianne"]  # a fixed split, the same everywhere


def test_a_students_own_list_is_read(tmp_path):
    path = tmp_path / "words.txt"
    path.write_text("Paris\n\nlondon \nrome\nparis\n", encoding="utf-8")
    words = charlm.load_words(path)
    assert words == ["paris", "london", "rome"]
    train, held_out = charlm.split_words(words)
    assert train and held_out and sorted(train + held_out) == sorted(words)


@pytest.mark.parametrize(("text", "message"), [
    ("anna\nmary-jane\n", "line 2 of .*'mary-jane', contains '-'; only the letters a-z"),
    ("anna\n", "holds 1 distinct word"),
    ("zoé\nanna\n", "line 1 of .*contains 'é'"),
])
def test_a_bad_list_gets_a_clear_error(tmp_path, text, message):
    path = tmp_path / "words.txt"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ValueError, match=message):
        charlm.load_words(path)


def test_a_missing_file_is_named(tmp_path):
    with pytest.raises(FileNotFoundError, match="no file .*nothing.txt"):
        charlm.load_words(tmp_path / "nothing.txt")


def test_the_stream_and_the_padded_batch_are_the_names():
    x, y = charlm.stream_batch(["ab", "c"], 1, seed=0)
    text = "".join(charlm.VOCABULARY[i] for i in np.argmax(x[:, 0, :], axis=0))
    assert sorted(text.strip("\n").split("\n")) == ["ab", "c"]
    np.testing.assert_array_equal(x[:, :, 1:], y[:, :, :-1])  # the target is the next input
    x, y = charlm.encode_words(["ab", "c"])
    assert x.shape == (27, 2, 3) and np.sum(y) == 5 and np.sum(y[:, 1, 2]) == 0


def test_the_bigram_model_is_a_distribution_per_character():
    probabilities = charlm.bigram_model(["ab", "ba"], smoothing=0.0 + 1e-9)
    np.testing.assert_allclose(probabilities.sum(axis=0), 1.0)
    assert probabilities[1, 0] == pytest.approx(0.5)  # after END: a or b
    # END a b END: after END, a and b each once; after a, b or END; after b, END or a
    assert charlm.bigram_loss(probabilities, ["ab"]) == pytest.approx(np.log(2), rel=1e-6)


def test_fast_tanh_is_tanh():
    z = np.concatenate([np.linspace(-30, 30, 2001), [-400.0, 400.0, 0.0, -1e-300]])
    np.testing.assert_allclose(charlm.fast_tanh(z), np.tanh(z), rtol=0, atol=1e-15)


def test_training_several_seeds_at_once_equals_each_seed_alone():
    """train_seeds' batched computation against the single-seed fast step it stacks."""
    train, held_out = charlm.split_words(charlm.load_words())
    together = charlm.train_seeds((3, 8), train[:320], held_out[:50], n_a=10, epochs=1, m=16)
    for index, seed in enumerate((3, 8)):
        parameters = charlm.initialize(27, 10, seed)
        memory = charlm.zeros_like_parameters(parameters)
        for x, y in charlm.name_batches(train[:320], 16, seed * 1000):
            _, _, parameters, memory = charlm.fast_training_step(
                x, y, np.zeros((10, 16)), parameters, memory, 0.1, 1.0)
        for name in NAMES:
            np.testing.assert_allclose(together["parameters"][name][index], parameters[name],
                                       rtol=0, atol=1e-6)
        assert together["held_out"][0][index] == pytest.approx(
            charlm.held_out_loss(parameters, held_out[:50]), abs=1e-6)


def test_the_stream_mode_of_train_seeds_is_train_truncated():
    train, held_out = charlm.split_words(charlm.load_words())
    together = charlm.train_seeds((4,), train[:120], held_out[:20], n_a=6, epochs=1, m=4,
                                  mode="stream", k=7)
    x, y = charlm.stream_batch(train[:120], 4, seed=4000)
    parameters = charlm.initialize(27, 6, 4)
    result = train_truncated(x, y, np.zeros((6, 4)), parameters,
                             charlm.zeros_like_parameters(parameters), 7, 0.1, 1.0)
    for name in NAMES:
        np.testing.assert_allclose(together["parameters"][name][0], result[2][name],
                                   rtol=0, atol=1e-6)


def masked_reference_gradients(x, y, parameters):
    """The gradients of a batch of padded names by the course's reference functions (lessons
    02-04), with padding steps (all-zero target columns) carrying no gradient, as in lesson 08."""
    from rnn_utils import reference

    n_a, m = parameters["Waa"].shape[0], x.shape[1]
    a, y_pred, caches = reference.rnn_forward(x, np.zeros((n_a, m)), parameters)
    dz = (y_pred - y) * y.sum(axis=0, keepdims=True) / m  # (n_y, m, T), 0 at padding
    output = reference.output_layer_backward(dz, a, parameters)
    hidden = reference.rnn_backward(output["da"], caches)
    return {"dWax": hidden["dWax"], "dWaa": hidden["dWaa"], "dba": hidden["dba"],
            "dWya": output["dWya"], "dby": output["dby"]}


def test_sgd_with_clipping_in_train_seeds_follows_the_formula():
    train, held_out = charlm.split_words(charlm.load_words())
    together = charlm.train_seeds((1,), train[:32], held_out[:5], n_a=5, epochs=1, m=32,
                                  optimizer="sgd", learning_rate=0.5, max_norm=1.0)
    (x, y), = charlm.name_batches(train[:32], 32, 1000)
    parameters = charlm.initialize(27, 5, 1)
    gradients = charlm.clip_by_global_norm(masked_reference_gradients(x, y, parameters), 1.0)
    for name in NAMES:
        np.testing.assert_allclose(together["parameters"][name][0],
                                   parameters[name] - 0.5 * gradients["d" + name],
                                   rtol=1e-9, atol=1e-12)


def test_the_stacked_batches_are_each_seeds_name_batches():
    train, _ = charlm.split_words(charlm.load_words())
    stacked = charlm._seed_batches((2, 7), train[:100], 16, 3, "names", 12)
    for index, seed in enumerate((2, 7)):
        alone = charlm.name_batches(train[:100], 16, seed * 1000 + 3)
        assert len(alone) == len(stacked) == 6
        for (x, y), (xs, ys) in zip(alone, stacked):
            np.testing.assert_array_equal(xs[index], x)
            np.testing.assert_array_equal(ys[index], y)
