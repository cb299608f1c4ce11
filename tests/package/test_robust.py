"""Printing that holds on every machine: rounding with a margin, statistics over seeds, bounds."""

import numpy as np
import pytest

from rnn_utils import robust


def test_stable_rounds_where_no_digit_can_flip():
    assert robust.stable(0.8420, 2, 1e-3) == "0.84"
    assert robust.stable(45.196, 1, 0.02) == "45.2"
    assert robust.stable(-1e-12, 3, 1e-9) == "0.000"  # no "-0.000"


@pytest.mark.parametrize("value, decimals, tolerance", [
    (0.22497, 2, 1e-4),   # 0.22 here, 0.23 on a machine 3e-5 away
    (1.4879, 0, 0.05),
    (0.05078, 1, 0.03),
])
def test_stable_refuses_a_value_near_a_rounding_boundary(value, decimals, tolerance):
    with pytest.raises(ValueError, match="rounding boundary"):
        robust.stable(value, decimals, tolerance)


def test_the_printed_text_is_the_same_for_every_value_within_the_tolerance():
    rng = np.random.default_rng(0)
    for value in rng.uniform(-5, 5, 2000):
        try:
            text = robust.stable(value, 2, 1e-3)
        except ValueError:
            continue
        for wobble in (-9e-4, 9e-4):
            assert f"{value + wobble:.2f}".replace("-0.00", "0.00") == text


def test_over_seeds_stacks_one_row_per_seed():
    rows = robust.over_seeds(lambda seed: [seed, 2 * seed], range(3))
    assert rows.shape == (3, 2) and rows.dtype == float
    assert np.array_equal(rows[:, 1], [0, 2, 4])
    with pytest.raises(ValueError, match="at least one seed"):
        robust.over_seeds(lambda seed: seed, [])


@pytest.mark.parametrize("error, text", [
    (1.3e-16, "< 1e-12"), (1.7e-16, "< 1e-12"), (3e-11, "< 1e-10"), (2e-8, "< 1e-07"),
    (0.74, "7e-01"),
])
def test_error_bound_prints_rounding_level_errors_as_bounds(error, text):
    assert robust.error_bound(error) == text
