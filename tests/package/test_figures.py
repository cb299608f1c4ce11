"""The lessons' figures (notebooks/figures/*.svg) read in light and dark themes alike: each
paints an opaque light background over its whole canvas before anything else, so its dark
lines and text never sit on a dark theme's background; each has a title and a description
(what a screen reader announces when the SVG is opened on its own; in the notebooks, the
markdown image's alt text does it, see test_colab.py)."""

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

FIGURES = sorted((Path(__file__).resolve().parents[2] / "notebooks" / "figures").glob("*.svg"))
SVG = "{http://www.w3.org/2000/svg}"
NOT_PAINTED = {f"{SVG}title", f"{SVG}desc", f"{SVG}defs", f"{SVG}style", f"{SVG}metadata"}


def luminance(colour):
    red, green, blue = (int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5))
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


@pytest.mark.parametrize("path", FIGURES, ids=[path.stem for path in FIGURES])
def test_the_figure_paints_an_opaque_light_background_first(path):
    root = ET.parse(path).getroot()
    _, _, width, height = root.get("viewBox").split()
    first = next(element for element in root if element.tag not in NOT_PAINTED)
    assert first.tag == f"{SVG}rect", f"{path.name}: the first painted element is {first.tag}"
    assert (first.get("x", "0"), first.get("y", "0")) == ("0", "0")
    assert (first.get("width"), first.get("height")) == (width, height)
    assert re.fullmatch(r"#[0-9a-fA-F]{6}", first.get("fill", "")), "an opaque colour"
    assert first.get("opacity") is None and first.get("fill-opacity") is None
    assert luminance(first.get("fill")) > 0.9


@pytest.mark.parametrize("path", FIGURES, ids=[path.stem for path in FIGURES])
def test_the_figure_has_a_title_and_a_description(path):
    root = ET.parse(path).getroot()
    assert root.find(f"{SVG}title").text.strip() and root.find(f"{SVG}desc").text.strip()


def test_there_are_figures():
    assert len(FIGURES) >= 9
