"""What the rooms' conftest.py files share."""

import pytest


def mark_kernel_modules(items, folder, modules):
    """Mark the tests collected from ``modules`` (file names in ``folder``) with ``kernels``:
    they start Jupyter kernels, sandboxes or environments, and ``make test-fast`` skips them."""
    for item in items:
        if item.path.parent == folder and item.path.name in modules:
            item.add_marker(pytest.mark.kernels)
