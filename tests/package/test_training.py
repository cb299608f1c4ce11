"""Tests of rnn_utils.data (the first-symbol task) and rnn_utils.training (train and its plots).

Runs headless: the Agg backend is selected before pyplot is imported.
"""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from rnn_utils import reference, training  # noqa: E402
from rnn_utils.data import first_symbol_task  # noqa: E402

RNN = {"forward": reference.rnn_forward, "backward": reference.rnn_backward}
LSTM = {"forward": reference.lstm_forward, "backward": reference.lstm_backward}
GRU = {"forward": reference.gru_forward, "backward": reference.gru_backward}


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def test_task_shapes_and_one_hot():
    x, y = first_symbol_task(12, 5, n_symbols=3, seed=1)
    assert x.shape == (4, 12, 5) and y.shape == (3, 12)
    assert np.all(x.sum(axis=0) == 1) and np.all(y.sum(axis=0) == 1)  # one 1 per column
    assert np.all(x[3, :, 1:] == 1)  # the distractor channel after step 0
    assert np.all(x[3, :, 0] == 0)  # ... and never at step 0


def test_task_target_is_the_first_symbol_and_balanced():
    x, y = first_symbol_task(20, 7, n_symbols=4, seed=3)
    np.testing.assert_array_equal(y, x[:4, :, 0])
    np.testing.assert_array_equal(y.sum(axis=1), [5, 5, 5, 5])  # chance is 1/4


def test_task_deterministic_and_seeded():
    first, _ = first_symbol_task(16, 4, seed=2)
    again, _ = first_symbol_task(16, 4, seed=2)
    other, _ = first_symbol_task(16, 4, seed=5)
    np.testing.assert_array_equal(first, again)
    assert not np.array_equal(first, other)


@pytest.mark.parametrize("functions, model", [(RNN, "rnn"), (LSTM, "lstm"), (GRU, "gru")])
def test_gradients_match_central_differences(functions, model):
    """The gradient train() steps along is the gradient of the loss it records."""
    x, y = first_symbol_task(4, 3, n_symbols=2, seed=0)
    parameters = training.initial_parameters(model, 3, 3, 2, seed=1, forget_bias=1.0,
                                             update_bias=1.0)
    _, _, gradients = training.gradients_of(model, x, y, parameters, functions)
    assert set(gradients) == {"d" + name for name in parameters}
    for name, value in parameters.items():
        def loss_at(point, name=name):
            return training.gradients_of(model, x, y, dict(parameters, **{name: point}),
                                         functions)[0]
        numerical = reference.numerical_gradient(loss_at, value.copy())
        np.testing.assert_allclose(gradients["d" + name], numerical, atol=1e-7)


@pytest.mark.parametrize("functions, model, learning_rate", [(RNN, "rnn", 1.0),
                                                             (LSTM, "lstm", 3.0)])
def test_train_decreases_the_loss_on_a_short_sequence(functions, model, learning_rate):
    x, y = first_symbol_task(16, 3, seed=0)
    history = training.train(model, x, y, 8, 60, learning_rate, functions)
    assert all(len(history[key]) == 60 for key in training.HISTORY_KEYS)
    assert history["loss"][-1] < 0.5 * history["loss"][0]
    assert history["accuracy"][-1] == 1.0
    assert history["diverged_at"] is None


def test_clipping_bounds_the_step_and_records_the_norm_before():
    x, y = first_symbol_task(16, 10, seed=0)
    functions = dict(RNN, clip_by_norm=reference.clip_by_norm)
    clipped = training.train("rnn", x, y, 16, 40, 1.0, functions, max_norm=0.5)
    free = training.train("rnn", x, y, 16, 40, 1.0, functions)
    assert max(clipped["clipped_gradient_norm"]) <= 0.5 + 1e-12
    assert max(clipped["gradient_norm"]) > 0.5  # clipping was due, and the raw norm is kept
    assert free["gradient_norm"] == free["clipped_gradient_norm"]
    assert clipped["gradient_norm"][0] == free["gradient_norm"][0]  # same start


def test_a_blown_up_run_stops_and_is_marked_nan():
    x, y = first_symbol_task(8, 6, seed=0)
    with np.errstate(over="raise", invalid="raise", divide="raise"):  # train() silences them
        # tanh saturates, so only a step that overflows the weights themselves gives inf.
        history = training.train("rnn", x, y, 8, 30, 1e308, RNN)
    step = history["diverged_at"]
    assert step is not None and 0 < step < 30
    for key in training.HISTORY_KEYS:
        assert np.all(np.isnan(history[key][step:]))
        assert np.all(np.isfinite(history[key][:step]))
    assert np.isnan(training.final_accuracy(history))


def test_train_calls_the_functions_passed_in():
    calls = []

    def spy(name, function):
        def wrapper(*args):
            calls.append(name)
            return function(*args)
        return wrapper

    functions = {name: spy(name, function) for name, function in
                 dict(LSTM, clip_by_norm=reference.clip_by_norm).items()}
    x, y = first_symbol_task(8, 4, seed=0)
    training.train("lstm", x, y, 4, 3, 0.1, functions, max_norm=1e-3)
    assert calls == ["forward", "backward", "clip_by_norm"] * 3


def test_train_steps_along_the_backward_it_is_given():
    """A backward pass returning zeros leaves the recurrent weights where they started."""
    def zero_backward(da, caches):
        gradients = reference.rnn_backward(da, caches)
        return {key: np.zeros_like(value) for key, value in gradients.items()}

    x, y = first_symbol_task(8, 4, seed=0)
    frozen = training.train("rnn", x, y, 8, 30, 1.0, dict(RNN, backward=zero_backward))
    normal = training.train("rnn", x, y, 8, 30, 1.0, RNN)
    assert frozen["loss"] != normal["loss"]


def test_train_is_deterministic_and_seeded():
    x, y = first_symbol_task(8, 5, seed=0)
    first = training.train("rnn", x, y, 8, 10, 0.5, RNN, seed=4)
    again = training.train("rnn", x, y, 8, 10, 0.5, RNN, seed=4)
    other = training.train("rnn", x, y, 8, 10, 0.5, RNN, seed=5)
    assert first == again
    assert first["loss"] != other["loss"]


def test_compare_lengths_shapes_and_values():
    settings = {"rnn": {"n_a": 4, "learning_rate": 1.0, "steps": 12}}
    accuracies = training.compare_lengths((2, 3), {"rnn": RNN}, settings, seeds=(0, 1), m=8)
    assert set(accuracies) == {"rnn"} and accuracies["rnn"].shape == (2, 2)
    for row, T in enumerate((2, 3)):  # row T, column seed: the final accuracy of that run
        x, y = first_symbol_task(8, T, seed=0)
        for column, seed in enumerate((0, 1)):
            run = training.train("rnn", x, y, 4, 12, 1.0, RNN, seed=seed)
            assert accuracies["rnn"][row, column] == pytest.approx(training.final_accuracy(run))


def test_plot_learning_curves_one_line_per_run_and_a_cross_where_it_blew_up():
    x, y = first_symbol_task(8, 6, seed=0)
    histories = {"blown up": training.train("rnn", x, y, 8, 20, 1e308, RNN),
                 "fine": training.train("rnn", x, y, 8, 20, 0.1, RNN)}
    figure = training.plot_learning_curves(histories, metric="gradient_norm")
    ax = figure.axes[0]
    assert [text.get_text() for text in ax.get_legend().get_texts()] == list(histories)
    assert len(ax.lines) == 3  # two curves and one cross
    assert ax.get_yscale() == "log"


@pytest.mark.parametrize("functions, model, learning_rate", [(RNN, "rnn", 1.0),
                                                             (LSTM, "lstm", 3.0),
                                                             (GRU, "gru", 3.0)])
def test_train_seeds_runs_what_train_runs_for_each_seed(functions, model, learning_rate):
    x, y = first_symbol_task(4, 5, seed=0)
    seeds = (0, 3, 7)
    together = training.train_seeds(model, x, y, 6, 25, learning_rate, functions,
                                    max_norm=0.5, seeds=seeds)
    assert len(together) == len(seeds)
    for seed, history in zip(seeds, together):
        alone = training.train(model, x, y, 6, 25, learning_rate, functions, max_norm=0.5,
                               seed=seed)
        for key in training.HISTORY_KEYS:
            np.testing.assert_allclose(history[key], alone[key], rtol=1e-9, atol=1e-12)
        assert history["diverged_at"] is None


def test_train_seeds_in_groups_gives_the_same_runs():
    x, y = first_symbol_task(4, 4, seed=0)
    one_group = training.train_seeds("rnn", x, y, 5, 15, 1.0, RNN, seeds=(0, 1, 2, 3, 4))
    groups = training.train_seeds("rnn", x, y, 5, 15, 1.0, RNN, seeds=(0, 1, 2, 3, 4), group=2)
    for first, second in zip(one_group, groups):
        np.testing.assert_allclose(first["loss"], second["loss"], rtol=1e-9)


def test_stack_models_is_block_diagonal_and_split_gradients_undoes_it():
    runs = [training.initial_parameters("lstm", 3, 4, 2, seed=seed) for seed in (1, 2)]
    stacked = training.stack_models("lstm", runs)
    assert stacked["Wf"].shape == (8, 8 + 3) and stacked["bf"].shape == (8, 1)
    np.testing.assert_array_equal(stacked["Wf"][:4, 4:8], 0)  # model 0 ignores model 1's units
    np.testing.assert_array_equal(stacked["Wf"][4:, 8:], runs[1]["Wf"][:, 4:])  # inputs
    gradients = {"d" + name: value for name, value in stacked.items()}
    for run, own in zip(runs, training.split_gradients("lstm", gradients, 2)):
        assert set(own) == {"d" + name for name in training.RECURRENT["lstm"]}
        for name in training.RECURRENT["lstm"]:
            np.testing.assert_array_equal(own["d" + name], run[name])


def test_stack_models_of_grus_runs_each_gru_unchanged():
    # The reset gate scales a_prev elementwise, so block-diagonal recurrent weights keep the
    # models apart: the wide forward pass holds each GRU's own states.
    x, _ = first_symbol_task(4, 6, seed=0)
    runs = [training.initial_parameters("gru", 5, 3, 4, seed=seed, update_bias=1.0)
            for seed in (1, 2)]
    stacked = training.stack_models("gru", runs)
    assert stacked["Wh"].shape == (6, 6 + 5) and stacked["bz"].shape == (6, 1)
    wide = reference.gru_forward(x, np.zeros((6, 4)), stacked)[0]
    for k, run in enumerate(runs):
        alone = reference.gru_forward(x, np.zeros((3, 4)), run)[0]
        np.testing.assert_allclose(wide[3 * k:3 * (k + 1)], alone, rtol=1e-12, atol=1e-14)
    gradients = {"d" + name: value for name, value in stacked.items()}
    for run, own in zip(runs, training.split_gradients("gru", gradients, 2)):
        for name in training.RECURRENT["gru"]:
            np.testing.assert_array_equal(own["d" + name], run[name])


def test_initial_parameters_of_a_gru_open_the_update_gate():
    parameters = training.initial_parameters("gru", 5, 3, 4, seed=0, update_bias=2.0)
    np.testing.assert_array_equal(parameters["bz"], np.full((3, 1), 2.0))
    assert set(parameters) == {"Wz", "bz", "Wr", "br", "Wh", "bh", "Wy", "by"}
    with pytest.raises(ValueError, match='"rnn", "lstm" or "gru"'):
        training.initial_parameters("transformer", 5, 3, 4)


def test_train_seeds_a_run_that_blows_up_leaves_the_others_alone():
    x, y = first_symbol_task(8, 6, seed=0)
    calls = []

    def poisoned_clip_by_norm(gradients, max_norm):
        """The reference, except for model 1's first step: an infinite step for every weight."""
        calls.append(max_norm)
        factor = np.inf if len(calls) == 2 else 1.0  # call 2: model 1 at step 0
        return {name: factor * value for name, value in
                reference.clip_by_norm(gradients, max_norm).items()}

    calm = training.train("rnn", x, y, 8, 20, 0.5, RNN, max_norm=1.0, seed=0)
    runs = training.train_seeds("rnn", x, y, 8, 20, 0.5,
                                dict(RNN, clip_by_norm=poisoned_clip_by_norm), max_norm=1.0,
                                seeds=(0, 1))
    assert runs[1]["diverged_at"] == 1 and np.isnan(runs[1]["loss"][1:]).all()
    assert runs[0]["diverged_at"] is None  # no NaN of model 1 reached model 0 ...
    np.testing.assert_allclose(runs[0]["loss"], calm["loss"], rtol=1e-9)  # ... nor changed it


def test_solved_from():
    history = {"accuracy": [0.25, 1.0, 0.75, 1.0, 1.0]}
    assert training.solved_from(history) == 3
    assert training.solved_from({"accuracy": [1.0, 1.0]}) == 0
    assert training.solved_from({"accuracy": [1.0, 0.75]}) is None
    assert training.solved_from({"accuracy": [1.0, np.nan]}) is None
