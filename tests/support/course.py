"""The checkout under test, and the example class's maker (examples/make_class.py)."""

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CLASS = ROOT / "examples" / "class"


def load_make_class():
    """examples/make_class.py as a module: releases, answers and variants of the lessons."""
    spec = importlib.util.spec_from_file_location("make_class", ROOT / "examples/make_class.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


MAKE = load_make_class()
