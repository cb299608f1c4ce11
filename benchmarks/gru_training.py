"""Lesson 09's training experiment on any seeds: the GRU, the LSTM and the RNN at about the same
number of recurrent parameters (training.EQUAL_BUDGET) on the first-symbol task at T = 40.

    .venv/bin/python benchmarks/gru_training.py [FIRST_SEED [COUNT [MODELS]]]
        (default: 100 20 gru+2,gru0,rnn,lstm)

Prints, for each model, how many runs learn the task (accuracy 1 from some step to the end)
and at which step each did. The lesson trains the seeds 0-4 and asserts its claims; this script
checks them on seeds the notebook does not use (and, under python -m rnn_course.machines, on
emulated CPUs). It uses the course's reference GRU, the lesson's functions by construction.
"""

import sys

from rnn_utils import reference, training
from rnn_utils.data import first_symbol_task

FUNCTIONS = {
    "gru": {"forward": reference.gru_forward, "backward": reference.gru_backward},
    "lstm": {"forward": reference.lstm_forward, "backward": reference.lstm_backward},
    "rnn": {"forward": reference.rnn_forward, "backward": reference.rnn_backward},
}
MODELS = {  # label -> (model, init)
    "gru+2": ("gru", {"update_bias": 2.0}),
    "gru0": ("gru", {"update_bias": 0.0}),
    "rnn": ("rnn", None),
    "lstm": ("lstm", None),
}


def learned_steps(label, seeds):
    """For each seed, the step from which ``label``'s run keeps accuracy 1 (None: never)."""
    model, init = MODELS[label]
    x, y = first_symbol_task(m=4, T=training.EQUAL_BUDGET_T, seed=0)
    histories = training.train_seeds(model, x, y, functions=FUNCTIONS[model], seeds=seeds,
                                     init=init, **training.EQUAL_BUDGET[model])
    return [training.solved_from(history) for history in histories]


def main(first=100, count=20, labels="gru+2,gru0,rnn,lstm"):
    seeds = tuple(range(int(first), int(first) + int(count)))
    print(f"first-symbol task, T = {training.EQUAL_BUDGET_T}, seeds {seeds[0]}-{seeds[-1]}")
    for label in labels.split(","):
        steps = learned_steps(label, seeds)
        learned = [step for step in steps if step is not None]
        slowest = max(learned) if learned else None
        print(f"  {label:6} learned in {len(learned):2d} of {len(seeds)}; slowest at step "
              f"{slowest}; {steps}")


if __name__ == "__main__":
    main(*sys.argv[1:4])
