"""Tests of rnn_utils.progress: the line, its updates in a notebook (a display emptied at the
end, so that nbval and the saved notebook see no time), and the progress of lesson 08's
training."""

import numpy as np
import pytest

from rnn_utils import charlm, progress


class Clock:
    def __init__(self):
        self.now = 100.0

    def __call__(self):
        return self.now


class Handle:
    """Stands in for IPython's DisplayHandle: records what the display showed."""

    def __init__(self, shown):
        self.shown = shown

    def update(self, data, raw):
        self.shown.append(data["text/plain"])


@pytest.fixture
def notebook_display(monkeypatch):
    """Pretend to run in a Jupyter kernel; returns the list of texts the display showed."""
    shown = []

    def display(data, raw, display_id):
        assert raw and display_id is True
        shown.append(data["text/plain"])
        return Handle(shown)

    monkeypatch.setattr(progress, "_kernel_display", lambda: display)
    return shown


def test_the_line_says_how_far_and_how_long_is_left():
    assert progress.progress_line("training", 0, 16, 0.0) == \
        "training: [....................]   0%, measuring the pace..."
    assert progress.progress_line("training", 4, 16, 6.0) == \
        "training: [#####...............]  25%, about 18 s left"
    assert progress.progress_line("t", 1, 3, 50.0).endswith("about 1 min 40 s left")
    assert progress.progress_line("t", 3, 3, 9.0).endswith("100%, almost done")


def test_in_a_notebook_the_display_starts_and_ends_empty(notebook_display):
    clock = Clock()
    shown = progress.Progress("training", 10, clock=clock)
    for _ in range(10):
        clock.now += 0.3
        shown.advance()
    shown.done()
    assert notebook_display[0] == "" and notebook_display[-1] == ""
    lines = notebook_display[1:-1]
    assert lines[0].endswith("measuring the pace...")
    # at most one update per UPDATE_SECONDS: 3 s of work, 0.5 s apart
    assert 4 <= len(lines) <= 7 and all("s left" in line or "almost" in line
                                        for line in lines[1:])
    assert "about 1 s left" in lines[-1] or "almost done" in lines[-1]


def test_an_interrupt_leaves_the_line_where_it_stopped(notebook_display):
    with pytest.raises(KeyboardInterrupt):
        for index in progress.each(range(5), "training 5 LSTMs"):
            if index == 2:
                raise KeyboardInterrupt
    assert notebook_display[-1] == "training 5 LSTMs: stopped after 2 of 5"


def test_each_yields_every_item_and_empties_the_line(notebook_display):
    assert list(progress.each([3, 1, 2], "three")) == [3, 1, 2]
    assert notebook_display[0] == "" and notebook_display[-1] == ""


def test_outside_a_notebook_the_line_goes_to_stderr(capsys):
    with progress.Progress("working", 2):
        pass
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err.startswith("\rworking: [")
    assert captured.err.endswith("\n")


def test_training_with_progress_counts_every_batch_and_learns_the_same(notebook_display,
                                                                        monkeypatch):
    monkeypatch.setattr(progress, "UPDATE_SECONDS", 0.0)  # show every batch
    words = charlm.load_words()[:400]
    train_words, held_out_words = charlm.split_words(words)
    quiet = charlm.train_seeds((0, 1), train_words, held_out_words, n_a=8, epochs=2)
    assert notebook_display == []
    shown = charlm.train_seeds((0, 1), train_words, held_out_words, n_a=8, epochs=2,
                               progress="training 2 seeds")
    batches = 2 * (len(train_words) // 32)
    assert len(notebook_display) == 1 + 1 + batches + 1  # empty, pace, each batch, empty
    assert "100%" in notebook_display[-2] and notebook_display[-1] == ""
    np.testing.assert_array_equal(quiet["held_out"], shown["held_out"])


def test_a_saved_model_loads_as_it_was(tmp_path):
    parameters = charlm.initialize(27, 5, seed=3)
    charlm.save_model(parameters, ["anna", "bob"], tmp_path / "model.npz")
    loaded, words = charlm.load_model(tmp_path / "model.npz")
    assert words == ["anna", "bob"] and sorted(loaded) == sorted(parameters)
    for name, value in parameters.items():
        np.testing.assert_array_equal(loaded[name], value)
    again, _ = charlm.saved_or_quick_model(tmp_path / "model.npz")
    np.testing.assert_array_equal(again["Waa"], parameters["Waa"])


def test_without_a_saved_model_a_small_one_is_trained_and_said(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(charlm, "QUICK_EPOCHS", 1)  # the lesson's 5 take seconds
    parameters, words = charlm.saved_or_quick_model(tmp_path / "none.npz")
    assert len(words) == len(charlm.load_words()) and parameters["Waa"].shape == (64, 64)
    said = capsys.readouterr().out
    assert "No model was saved in" in said and "trained for 1 epochs" in said
    assert charlm.held_out_loss(parameters, charlm.split_words(words)[1]) < 2.5  # uniform: 3.3
