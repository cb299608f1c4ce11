"""Python environments the way a user makes them, for the tests of the installed course."""

import os
import subprocess
import sys
from pathlib import Path


def fresh_environment(folder):
    """A new virtual environment that sees this one's dependencies but not its editable
    install of the course: a .pth line adds the dependencies' folder to the path, and the .pth
    files inside that folder (the editable finder among them) are not run."""
    base = os.path.realpath(sys.executable)  # made from the interpreter, as a user makes one
    subprocess.run([base, "-m", "venv", "--without-pip", str(folder)], check=True)
    python = folder / ("Scripts" if os.name == "nt" else "bin") / "python"
    paths = subprocess.run([str(python), "-c", "import site; print(site.getsitepackages()[0])"],
                           check=True, capture_output=True, text=True)
    site_packages = Path(paths.stdout.strip())
    dependencies = next(Path(p) for p in sys.path if p.endswith("site-packages"))
    (site_packages / "dependencies.pth").write_text(f"{dependencies}\n", encoding="utf-8")
    return python, site_packages
