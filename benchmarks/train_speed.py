"""Benchmark: one training step of lesson 08's character-level RNN, NumPy against PyTorch.

    OPENBLAS_NUM_THREADS=1 .venv/bin/python benchmarks/train_speed.py [--repeat N]

One step = forward over a window (n_a = 64, batch m = 32, k = 12 steps, 27 characters),
softmax cross-entropy, backward (BPTT), clipping by the global norm, Adagrad; float64, one
thread. Three implementations, timed side by side, interleaved, in one run:
- numpy fast: rnn_utils.charlm.fast_training_step (input projections of all steps in one
  product; what the lesson trains with);
- numpy reference: the lesson's training_step composed of the course's reference functions
  (rnn_forward, softmax_cross_entropy, output_layer_backward, rnn_backward, clip_by_norm,
  adagrad_update), step by step as the student wrote them;
- torch: nn.RNN + nn.Linear + CrossEntropyLoss(reduction="sum") / m + backward +
  clip_grad_norm_ + optim.Adagrad.
Prints the median time of each and the ratio to PyTorch. PyTorch is optional: without it the
NumPy figures are printed and the comparison is skipped, with a message.
"""

import argparse
import os
import statistics
import sys
import time

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # before NumPy loads OpenBLAS
os.environ.setdefault("OMP_NUM_THREADS", "1")

import numpy as np  # noqa: E402

from rnn_utils import charlm, reference  # noqa: E402

N_A, M, K, N = 64, 32, 12, len(charlm.VOCABULARY)


def numpy_problem(seed=0):
    """A window of real names, the RNN's parameters, Adagrad's memory, a carried state."""
    train_words, _ = charlm.split_words(charlm.load_words())
    x, y = charlm.stream_batch(train_words, M, seed=seed)
    x, y = np.ascontiguousarray(x[:, :, :K]), np.ascontiguousarray(y[:, :, :K])
    parameters = charlm.initialize(N, N_A, seed)
    memory = charlm.zeros_like_parameters(parameters)
    return x, y, np.zeros((N_A, M)), parameters, memory


def numpy_steps():
    x, y, a0, parameters, memory = numpy_problem()
    return {
        "numpy fast": lambda: charlm.fast_training_step(x, y, a0, parameters, memory, 0.1, 5.0),
        "numpy reference": lambda: reference.training_step(x, y, a0, parameters, memory, 0.1,
                                                           5.0),
    }


def torch_step():
    """The same step in PyTorch, or None when PyTorch is not installed."""
    try:
        import torch
    except ImportError:
        return None
    torch.set_num_threads(1)
    torch.manual_seed(0)
    rnn = torch.nn.RNN(N, N_A, dtype=torch.float64)  # sequence first: (k, m, n_x)
    linear = torch.nn.Linear(N_A, N, dtype=torch.float64)
    parameters = list(rnn.parameters()) + list(linear.parameters())
    optimizer = torch.optim.Adagrad(parameters, lr=0.1)
    criterion = torch.nn.CrossEntropyLoss(reduction="sum")
    x, y, *_ = numpy_problem()
    inputs = torch.from_numpy(x.transpose(2, 1, 0).copy())  # (k, m, n_x)
    targets = torch.from_numpy(np.argmax(y, axis=0).T.copy()).reshape(-1)  # (k m,)
    h0 = torch.zeros(1, M, N_A, dtype=torch.float64)

    def step():
        optimizer.zero_grad()
        out, h = rnn(inputs, h0)
        loss = criterion(linear(out).reshape(-1, N), targets) / M
        loss.backward()
        torch.nn.utils.clip_grad_norm_(parameters, 5.0)
        optimizer.step()
        return h.detach()

    return step


def median_seconds(functions, repeat, number=20):
    """Median seconds per call of each function, the functions timed in turn, repeat times."""
    times = {name: [] for name in functions}
    for function in functions.values():
        function()  # warm up
    for _ in range(repeat):
        for name, function in functions.items():
            start = time.perf_counter()
            for _ in range(number):
                function()
            times[name].append((time.perf_counter() - start) / number)
    return {name: statistics.median(values) for name, values in times.items()}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    functions = numpy_steps()
    torch_function = torch_step()
    if torch_function is None:
        print("PyTorch is not installed: timing NumPy only (pip install torch to compare).")
    else:
        functions["torch"] = torch_function
    seconds = median_seconds(functions, args.repeat)
    print(f"one training step: n_a = {N_A}, m = {M}, k = {K}, {N} characters, float64, "
          "one thread")
    for name, value in seconds.items():
        ratio = f"{value / seconds['torch']:6.2f}x torch" if "torch" in seconds else ""
        print(f"{name:16} {value * 1e3:8.3f} ms   {ratio}")
    if "torch" in seconds:
        fast_ratio = seconds["numpy fast"] / seconds["torch"]
        verdict = "within" if fast_ratio <= 1.5 else "NOT within"
        print(f"numpy fast / torch = {fast_ratio:.2f}: {verdict} the 1.5x target")
    return 0


if __name__ == "__main__":
    sys.exit(main())
