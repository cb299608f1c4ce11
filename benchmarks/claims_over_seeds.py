"""Every experiment claim of the lessons, rerun on seeds the notebooks do not use.

Each claim of a lesson that rests on an experiment is asserted in its notebook over the
notebook's own seeds. This script reruns the same experiment, with the course's reference
functions, on at least 20 *other* seeds, prints the spread of the measured quantity and
whether the claim, as the lesson now states it, holds on every one of them (and with which
margin). Run it after changing a lesson's experiment or claim:

    .venv/bin/python benchmarks/claims_over_seeds.py            # every claim (~20-30 min)
    .venv/bin/python benchmarks/claims_over_seeds.py L02 L05    # some lessons only

It is not part of `make test` (it trains many models). The numbers of the last run are kept
in docs/claims.md.
"""

import sys
import time

import numpy as np

from rnn_utils import charlm, data, training, viz
from rnn_utils.reference import (
    clip_by_norm,
    lstm_backward,
    lstm_forward,
    rnn_backward,
    rnn_forward,
)

RESULTS = []


def report(lesson, claim, values, holds, unit=""):
    """Print one claim's spread over the unseen seeds and whether it holds on all of them."""
    values = np.asarray(values, dtype=float)
    spread = f"{np.nanmin(values):.4g} to {np.nanmax(values):.4g}{unit}" if values.size else "-"
    verdict = "HOLDS" if holds else "FAILS"
    RESULTS.append((lesson, claim, spread, verdict))
    print(f"[{lesson}] {verdict}: {claim}\n        measured: {spread} (n = {values.size})",
          flush=True)


# --------------------------------------------------------------------------- lesson 02
def lesson_02(seeds=range(100, 140)):
    """Saturation against the scale of Waa; the notebook uses seeds 0-4."""
    saturated = {}
    for scale in (0.5, 1.0, 1.5, 2.0, 3.0, 4.0):
        saturated[scale] = np.array([np.mean(np.abs(viz.scaled_rnn_states(
            scale, T=100, forward=rnn_forward, m=32, seed=seed)) > viz.SATURATION_THRESHOLD)
            for seed in seeds])
    fractions = np.array(list(saturated.values()))
    report("L02", "s <= 1: under 1% of the states saturated, every network",
           100 * fractions[:2].ravel(), bool(np.all(fractions[:2] < 0.01)), "%")
    report("L02", "s = 1.5: under 10% saturated, every network", 100 * saturated[1.5],
           bool(np.all(saturated[1.5] < 0.10)), "%")
    report("L02", "the saturated fraction grows with s, every network",
           100 * np.diff(fractions, axis=0).min(axis=0),
           bool(np.all(np.diff(fractions, axis=0) > 0)), "% (smallest increase)")
    report("L02", "s = 3: over 25% saturated; s = 4: over 40%", 100 * saturated[3.0],
           bool(np.all(saturated[3.0] > 0.25) and np.all(saturated[4.0] > 0.4)), "% at s = 3")
    radius = np.array([np.max(np.abs(np.linalg.eigvals(viz.scaled_rnn_problem(
        1.0, T=1, seed=seed)[2]["Waa"]))) for seed in seeds])
    report("L02", "spectral radius of Waa at s = 1: close to 1, up to about 1.3 (the lesson)",
           radius, bool(np.all((radius > 0.7) & (radius < 1.35))))


# --------------------------------------------------------------------------- lesson 05
def lesson_05(seeds=range(100, 140)):
    """The hand-set LSTM and RNN on the memory task; the notebook uses draws 5 and 10-19."""
    import importlib.util  # the lesson's own task and weights, read from its source
    source = open("solutions/05_lstm_forward.py").read()
    start = source.index("def memory_task")
    end = source.index("a_lstm, y_lstm, c_lstm, caches_lstm")
    namespace = {"np": np}
    exec(source[start:end], namespace)  # noqa: S102 (the course's own source)
    del importlib
    memory_task, values = namespace["memory_task"], namespace["values"]
    parameters_lstm, parameters_rnn = namespace["parameters_lstm"], namespace["parameters_rnn"]
    worst, rnn_right, lstm_right = [], [], []
    for seed in seeds:
        x = memory_task(values, seed=seed)
        p_lstm = lstm_forward(x, np.zeros((1, 4)), parameters_lstm)[1][0, :, 50]
        p_rnn = rnn_forward(x, np.zeros((1, 4)), parameters_rnn)[1][0, :, 50]
        lstm_right.append(np.sum((p_lstm > 0.5) == (values > 0)))
        rnn_right.append(np.sum((p_rnn > 0.5) == (values > 0)))
        worst.append(np.min(np.where(values > 0, p_lstm, 1 - p_lstm)))
    report("L05", "LSTM: right sign for every value, probability of it > 0.95", worst,
           bool(np.all(np.array(lstm_right) == 4) and min(worst) > 0.95))
    groups = np.array(rnn_right).reshape(-1, 10).sum(axis=1)  # per 10 draws = 40 values
    report("L05", "RNN: fewer than 35 of 40 values right (per group of 10 draws)", groups,
           bool(np.all(groups < 35)), " of 40")


# --------------------------------------------------------------------------- lesson 07
RNN_FUNCTIONS = {"forward": rnn_forward, "backward": rnn_backward, "clip_by_norm": clip_by_norm}
LSTM_FUNCTIONS = {"forward": lstm_forward, "backward": lstm_backward,
                  "clip_by_norm": clip_by_norm}


def lesson_07(seeds=tuple(range(20, 40))):
    """Clipping on the first-symbol task and the length sweep; the notebook uses seeds 0-19."""
    settings = training.EXPLODING
    x, y = data.first_symbol_task(m=4, T=settings["T"], seed=0)
    runs = {label: training.train_seeds("rnn", x, y, settings["n_a"], settings["steps"],
                                        settings["learning_rate"], RNN_FUNCTIONS,
                                        max_norm=max_norm, seeds=seeds)
            for label, max_norm in (("clipped", settings["max_norm"]), ("not clipped", None))}
    solved = [training.solved_from(h) for h in runs["clipped"]]
    report("L07", "clipped RNN learns by step 100 of 150, every seed",
           [np.nan if s is None else s for s in solved],
           all(s is not None and s <= 100 for s in solved), " (step)")
    clipped_final = np.array([h["loss"][-1] for h in runs["clipped"]])
    report("L07", "clipped RNN: final loss below 0.01", clipped_final,
           bool(np.all(clipped_final < 0.01)))
    unclipped_final = np.array([h["loss"][-1] for h in runs["not clipped"]])
    unclipped_learned = sum(training.solved_from(h) is not None for h in runs["not clipped"])
    report("L07", "unclipped RNN: no run learns", [unclipped_learned], unclipped_learned == 0,
           " runs learned")
    report("L07", "unclipped final loss >= 100 x the largest clipped one", unclipped_final,
           bool(np.all(~(unclipped_final <= 100 * clipped_final.max()))))
    report("L07", "unclipped final loss above chance (log 4 = 1.39): fraction of runs",
           [np.mean(unclipped_final > np.log(4))], True)
    largest = np.array([np.nanmax(h["gradient_norm"]) for h in runs["not clipped"]])
    report("L07", "unclipped: largest gradient norm above 3", largest, bool(largest.min() > 3))
    # The lesson's suggestion: learning rate 0.05 without clipping, more steps.
    slow = training.train_seeds("rnn", x, y, settings["n_a"], 600, 0.05, RNN_FUNCTIONS,
                                max_norm=None, seeds=seeds)
    slow_solved = [training.solved_from(h) for h in slow]
    report("L07", "rate 0.05, no clipping, 600 steps: step at which it learns (nan: never)",
           [np.nan if s is None else s for s in slow_solved], True)
    report("L07", "rate 0.05, no clipping: fraction of seeds that learn within 600 steps",
           [np.mean([s is not None for s in slow_solved])], True)
    for model, functions in (("rnn", RNN_FUNCTIONS), ("lstm", LSTM_FUNCTIONS)):
        for T in training.LENGTHS:
            x, y = data.first_symbol_task(m=4, T=T, seed=0)
            histories = training.train_seeds(model, x, y, functions=functions, seeds=seeds,
                                             **training.LENGTH_SETTINGS[model])
            steps = [training.solved_from(h) for h in histories]
            count = sum(s is not None for s in steps)
            if model == "rnn" and T == 10:
                report("L07", "RNN, T = 10: every run learns", [count], count == len(seeds),
                       f" of {len(seeds)}")
            elif model == "rnn":
                report("L07", f"RNN, T = {T}: fewer than half learn", [count],
                       count < len(seeds) / 2, f" of {len(seeds)}")
            else:
                report("L07", f"LSTM, T = {T}: runs that learn within 400 steps", [count],
                       True, f" of {len(seeds)}")
                report("L07", f"LSTM, T = {T}: step at which each learns (nan: not in 400)",
                       [np.nan if s is None else s for s in steps], True)


# --------------------------------------------------------------------------- lesson 08
def lesson_08(seeds=tuple(range(10, 30))):
    """The names model; the notebook uses seeds 0-4 (and its text once quoted 0-9)."""
    words = charlm.load_words(None)
    train_words, held_out_words = charlm.split_words(words)
    adagrad = charlm.train_seeds(seeds, train_words, held_out_words, n_a=64, epochs=1)
    adagrad_free = charlm.train_seeds(seeds, train_words, held_out_words, n_a=64, epochs=1,
                                      max_norm=None)
    difference = adagrad_free["held_out"][-1] - adagrad["held_out"][-1]
    report("L08", "Adagrad: clipped and unclipped within 0.1 nats per character",
           difference, bool(np.all(np.abs(difference) < 0.1)))
    report("L08", "Adagrad: seeds where clipping helped (unclipped - clipped > 0)",
           [np.sum(difference > 0)], True, f" of {len(seeds)}")
    sgd = charlm.train_seeds(seeds, train_words, held_out_words, n_a=64, epochs=1,
                             optimizer="sgd", learning_rate=0.5)["held_out"][-1]
    sgd_free = charlm.train_seeds(seeds, train_words, held_out_words, n_a=64, epochs=1,
                                  optimizer="sgd", learning_rate=0.5, max_norm=None)["held_out"][-1]
    report("L08", "SGD 0.5: unclipped above 5 nats per character", sgd_free,
           bool(np.all(sgd_free > 5.0)))
    report("L08", "SGD 0.5: clipped below 2.5", sgd, bool(np.all(sgd < 2.5)))


def lesson_07_gradients(seeds=range(100, 140)):
    """The gradient 49 steps back against the scale of Waa; the notebook uses seeds 0-9."""
    from rnn_utils.reference import rnn_cell_backward
    from rnn_utils.viz import scaled_rnn_problem

    def ratio_49(scale, seed, T=50):
        x, a0, parameters = scaled_rnn_problem(scale, T, seed=seed)
        _, _, (step_caches, _) = rnn_forward(x, a0, parameters)
        gradient = first = np.random.default_rng([seed, 2]).standard_normal(a0.shape)
        for cache in list(reversed(step_caches))[:49]:
            gradient = rnn_cell_backward(gradient, cache)["da_prev"]
        return np.linalg.norm(gradient) / np.linalg.norm(first)

    far = {scale: np.array([ratio_49(scale, seed) for seed in seeds])
           for scale in (0.5, 1.0, 1.5, 2.0, 3.0)}
    report("L07", "s = 0.5: ratio 49 steps back below 1e-10", far[0.5],
           bool(np.all(far[0.5] < 1e-10)))
    report("L07", "s = 1: below 1e-1", far[1.0], bool(np.all(far[1.0] < 1e-1)))
    report("L07", "s = 1.5: below 1 in some networks, above 1 in others", far[1.5],
           bool(far[1.5].min() < 1 < far[1.5].max()))
    for scale, floor in ((2.0, 10), (3.0, 1e3)):
        count = int(np.sum(far[scale] > floor))
        report("L07", f"s = {scale:g}: above {floor:g} in most networks (count)", [count],
               count >= 0.8 * len(far[scale]), f" of {len(far[scale])}")


def lesson_function(lesson, name, namespace):
    """Define the function ``name`` of a lesson's source (its own code, not a copy) in namespace."""
    source = open(f"solutions/{lesson}.py").read()
    start = source.index(f"def {name}(")
    end = source.index("\n\n\n", start) if "\n\n\n" in source[start:] else len(source)
    end = min(end, source.index("\n# %%", start))
    exec(source[start:end], namespace)  # noqa: S102 (the course's own source)
    return namespace[name]


def lesson_01(seeds=range(100, 120)):
    """Saturation against the weight scale, one step; the notebook uses seeds 0-4."""
    from rnn_utils import initialize_rnn_parameters
    from rnn_utils.reference import rnn_cell_forward

    grows, falls = [], []
    for seed in seeds:
        rng = np.random.default_rng([seed, 1])
        xt, a_prev = rng.standard_normal((10, 500)), np.tanh(rng.standard_normal((64, 500)))
        a = [rnn_cell_forward(xt, a_prev, initialize_rnn_parameters(10, 64, 4, seed=seed + 1,
                                                                    scale=scale))[0]
             for scale in (0.25, 0.5, 1.0, 2.0, 4.0, 8.0, 16.0)]
        grows.append(np.min(np.diff([np.mean(np.abs(v) > 0.99) for v in a])))
        falls.append(np.max(np.diff([np.mean(1 - v**2) for v in a])))
    report("L01", "saturation grows with the scale (smallest step, >= 0)", grows,
           bool(np.all(np.array(grows) >= 0)))
    report("L01", "mean 1 - a^2 falls with the scale (largest step, < 0)", falls,
           bool(np.all(np.array(falls) < 0)))


def lesson_03(seeds=range(100, 120)):
    """The share of the upstream gradient that reaches a_prev; the notebook uses seeds 0-4."""
    from rnn_utils import initialize_rnn_parameters
    from rnn_utils.reference import rnn_cell_backward, rnn_cell_forward

    namespace = {"np": np, "initialize_rnn_parameters": initialize_rnn_parameters,
                 "rnn_cell_forward": rnn_cell_forward, "rnn_cell_backward": rnn_cell_backward,
                 "n_x": 10, "n_a": 64, "n_y": 4, "m": 200,
                 "scales": (0.25, 1.0, 2.0, 4.0, 8.0, 16.0)}
    saturation_row = lesson_function("03_rnn_cell_backward", "saturation_row", namespace)
    ratios = np.array([np.array(saturation_row(seed))[:, 3] for seed in seeds])
    report("L03", "the ratio falls with the input scale, every network (largest step < 0)",
           np.diff(ratios, axis=1).max(axis=1), bool(np.all(np.diff(ratios, axis=1) < 0)))
    report("L03", "ratio above 0.7 at scale 0.25", ratios[:, 0], bool(np.all(ratios[:, 0] > 0.7)))
    report("L03", "ratio below 0.3 at scale 16", ratios[:, -1], bool(np.all(ratios[:, -1] < 0.3)))


def lesson_06(seeds=range(100, 120)):
    """How far back the gradient reaches in the LSTM (Going further); the notebook uses seed 0."""
    from rnn_utils import explorers, initialize_lstm_parameters, initialize_rnn_parameters
    from rnn_utils.reference import lstm_cell_backward

    namespace = {"np": np}
    profile = lesson_function("06_lstm_backward", "input_gradient_profile", namespace)
    rows = {key: [] for key in ("+2 dx", "-2 dx", "rnn dx", "+2 c/line", "-2 c/line")}
    for seed in seeds:
        for bias in (2.0, -2.0):
            parameters = initialize_lstm_parameters(4, 32, 3, seed=seed)
            parameters["bf"] = np.full((32, 1), bias)
            ratios, caches, da_last = profile(lstm_forward, lstm_backward, parameters, seed=seed)
            paths = explorers.lstm_gradient_paths(da_last, caches, lstm_cell_backward)
            rows[f"{bias:+.0f} dx"].append(ratios[49])
            rows[f"{bias:+.0f} c/line"].append(paths["c"][49] / paths["c_line"][49])
        rows["rnn dx"].append(profile(rnn_forward, rnn_backward,
                                      initialize_rnn_parameters(4, 32, 3, seed=seed),
                                      seed=seed)[0][49])
    rows = {key: np.array(value) for key, value in rows.items()}
    report("L06", "b_f = +2: input gradient 49 steps back / at the last step (>= 0.1)",
           rows["+2 dx"], bool(np.all(rows["+2 dx"] >= 0.1)))
    report("L06", "b_f = -2: below 1e-15, and below the RNN's", rows["-2 dx"],
           bool(np.all(rows["-2 dx"] < 1e-15) and np.all(rows["-2 dx"] < rows["rnn dx"])))
    report("L06", "vanilla RNN, 49 steps back", rows["rnn dx"], True)
    report("L06", "all paths / line alone at c, 49 back, b_f = +2 (> 100)", rows["+2 c/line"],
           bool(np.all(rows["+2 c/line"] > 100)))
    report("L06", "all paths / line alone at c, 49 back, b_f = -2 (> 1e10)", rows["-2 c/line"],
           bool(np.all(rows["-2 c/line"] > 1e10)))


def lesson_07_paths(seeds=range(100, 120)):
    """Going further of lesson 07: the residual update and the RNN against the LSTM."""
    from rnn_utils import explorers, initialize_lstm_parameters, initialize_rnn_parameters
    from rnn_utils.reference import lstm_cell_backward, rnn_cell_backward
    from rnn_utils.viz import scaled_rnn_problem

    namespace = {"np": np, "scaled_rnn_problem": scaled_rnn_problem}
    residual = lesson_function("07_exploding_vanishing_gradients", "residual_gradient_ratios",
                               namespace)
    grow, largest = [], []
    for seed in seeds:
        for scale in (0.25, 0.5, 1.0):
            ratios, state = residual(scale, seed=seed)
            grow.append(ratios[49])
            largest.append(state)
    report("L07", "residual: gradient 49 steps back grows (> 1), s = 0.25, 0.5, 1", grow,
           bool(np.all(np.array(grow) > 1)))
    report("L07", "residual: largest |a<T>|", largest, True)
    rnn, lstm0_c, lstm2_c, lstm2_line = [], [], [], []
    for seed in seeds:
        rng = np.random.default_rng(seed)
        x = 0.5 * rng.standard_normal((4, 8, 100))
        da_last = rng.standard_normal((32, 8))
        parameters_rnn = initialize_rnn_parameters(4, 32, 3, seed=seed)
        _, _, (caches, _) = rnn_forward(x, np.zeros((32, 8)), parameters_rnn)
        gradient = da_last
        for cache in list(reversed(caches))[:50]:
            gradient = rnn_cell_backward(gradient, cache)["da_prev"]
        rnn.append(np.linalg.norm(gradient) / np.linalg.norm(da_last))
        for bias, store in ((0.0, lstm0_c), (2.0, lstm2_c)):
            parameters = initialize_lstm_parameters(4, 32, 3, seed=seed)
            parameters["bf"] = np.full((32, 1), bias)
            _, _, _, (lstm_caches, _) = lstm_forward(x, np.zeros((32, 8)), parameters)
            paths = explorers.lstm_gradient_paths(da_last, lstm_caches, lstm_cell_backward)
            store.append(paths["c"][50])
            if bias == 2.0:
                lstm2_line.append(paths["c_line"][50])
    rnn, lstm0_c, lstm2_c = np.array(rnn), np.array(lstm0_c), np.array(lstm2_c)
    report("L07", "RNN, dL/da 50 steps back", rnn, True)
    report("L07", "LSTM b_f = 0, dL/dc 50 back (the lesson's claim: below the RNN's dL/da "
           "in most draws)", lstm0_c, bool(np.mean(lstm0_c < rnn) >= 0.5))
    report("L07", "draws where the LSTM b_f = 0 keeps less than the RNN",
           [np.sum(lstm0_c < rnn)], True, f" of {len(rnn)}")
    report("L07", "LSTM b_f = +2, dL/dc 50 back: above 1e-2 and above the line alone", lstm2_c,
           bool(np.all(lstm2_c > 1e-2) and np.all(lstm2_c > np.array(lstm2_line))))


def lesson_08_recipe(seeds=tuple(range(10, 30))):
    """The 16-epoch recipe, the samples, the LSTM and the windows; the notebook uses seeds 0-4."""
    from rnn_utils.reference import sample

    words = charlm.load_words(None)
    train_words, held_out_words = charlm.split_words(words)
    bigram_held_out = charlm.bigram_loss(charlm.bigram_model(train_words, smoothing=1.0),
                                         held_out_words)
    history = charlm.train_seeds(seeds, train_words, held_out_words, n_a=64, epochs=16,
                                 learning_rate=0.1, max_norm=1.0, m=32)
    curves, final = history["held_out"], history["held_out"][-1]
    report("L08", "held-out loss after 16 epochs below 2.1", final, bool(np.all(final < 2.1)))
    report("L08", "below the bigram by > 0.15 from epoch 2 on (margin, worst epoch)",
           bigram_held_out - curves[1:].max(axis=0),
           bool(np.all(curves[1:] < bigram_held_out - 0.15)))
    gap = final - history["train"][-1]
    report("L08", "training loss below held-out by > 0.1 at the end", gap,
           bool(np.all(gap > 0.1)))
    shares = np.zeros((len(seeds), 3, 2))
    for index, seed in enumerate(seeds):
        parameters = charlm.seed_parameters(history, index)
        for column, temperature in enumerate((0.5, 1.0, 1.5)):
            rng = np.random.default_rng([seed, column])
            names = [charlm.word_of(sample(parameters, temperature, rng, 20)) for _ in range(300)]
            shares[index, column] = charlm.name_shares(names, train_words, words)
    new, real = shares[:, :, 0], shares[:, :, 1]
    report("L08", "real names: at 0.5 more than at 1 by > 0.15 (difference)",
           real[:, 0] - real[:, 1], bool(np.all(real[:, 0] > real[:, 1] + 0.15)))
    report("L08", "real names: at 1 more than at 1.5 (difference)", real[:, 1] - real[:, 2],
           bool(np.all(real[:, 1] > real[:, 2])))
    report("L08", "new names under 75% at 0.5", new[:, 0], bool(np.all(new[:, 0] < 0.75)))
    report("L08", "at 1.5: over 90% new", new[:, 2], bool(np.all(new[:, 2] > 0.9)))
    report("L08", "at 1.5: under 10% real", real[:, 2], bool(np.all(real[:, 2] < 0.1)))
    report("L08", "share of real names at 0.5", real[:, 0], True)
    lstm = np.array([charlm.train_lstm_names(train_words, held_out_words, n_a=29, epochs=2,
                                             learning_rate=0.1, max_norm=1.0, m=32,
                                             seed=seed)["held_out"][-1] for seed in seeds])
    difference = lstm - curves[1]
    report("L08", "LSTM and RNN within 0.05 after 2 epochs (LSTM - RNN)", difference,
           bool(np.all(np.abs(difference) < 0.05)))
    report("L08", "seeds where the LSTM is ahead", [np.sum(difference < 0)], True,
           f" of {len(seeds)}")
    k_loss = np.array([charlm.train_seeds(seeds, train_words, held_out_words, n_a=64, epochs=1,
                                          mode="stream", k=k)["held_out"][-1]
                       for k in (1, 8, 32)])
    margin = np.minimum(k_loss[2] - k_loss[0], k_loss[2] - k_loss[1])
    report("L08", "k = 32 worse than k = 1 and k = 8 by > 0.1 (margin)", margin,
           bool(np.all(margin > 0.1)))
    report("L08", "seeds where k = 8 beats k = 1", [np.sum(k_loss[1] < k_loss[0])], True,
           f" of {len(seeds)}")


LESSONS = {"L01": lesson_01, "L02": lesson_02, "L03": lesson_03, "L06": lesson_06,
           "L07p": lesson_07_paths, "L05": lesson_05, "L07": lesson_07, "L07g": lesson_07_gradients,
           "L08": lesson_08,
           "L08r": lesson_08_recipe}

if __name__ == "__main__":
    chosen = sys.argv[1:] or list(LESSONS)
    for name in chosen:
        start = time.perf_counter()
        LESSONS[name]()
        print(f"({name}: {time.perf_counter() - start:.0f} s)\n", flush=True)
    print("\nsummary")
    for lesson, claim, spread, verdict in RESULTS:
        print(f"{lesson}  {verdict:5}  {claim}  [{spread}]")
