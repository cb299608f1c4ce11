# Set-up and everyday commands of the course. Every target creates its virtual environment on
# first use and installs the course into it, so a fresh clone needs nothing else: `make lab`
# the student's (.venv-lab: the course and JupyterLab, pyproject's `lab` extra), the others the
# maintainer's (.venv: every extra, `dev`, with the test tools).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# constraints.txt pins the exact versions CI tests (made on Python 3.11 by `make lock`).
# It is applied on Python >= 3.11; on 3.10 pip resolves within pyproject.toml's ranges.
USE_CONSTRAINTS := $(shell $(PYTHON) -c 'import sys; print(int(sys.version_info >= (3, 11)))' 2>/dev/null)
CONSTRAINTS := $(if $(filter 1,$(USE_CONSTRAINTS)),-c constraints.txt,)
LAB_VENV := .venv-lab
LAB_STAMP := $(LAB_VENV)/.installed
FIRST_LESSON := notebooks/01_rnn_cell_forward.ipynb
JOBS ?= auto
# JupyterLab refuses to run as root (as in many containers) unless told it may.
LAB_ARGS ?= $(if $(filter 0,$(shell id -u)),--allow-root,)

# nbgrader (a dev dependency, for its tests) would add its instructor panels to a JupyterLab
# started from .venv: off in the environment whose bin/ is $(1) (docs/nbgrader.md: turning them on).
define nbgrader_off
	$(1)/jupyter labextension disable --level=sys_prefix @jupyter/nbgrader >/dev/null 2>&1
	for part in formgrader validate_assignment assignment_list course_list; do \
		$(1)/jupyter server extension disable --sys-prefix nbgrader.server_extensions.$$part \
			>/dev/null 2>&1 || exit 1; done
endef

.PHONY: install lab test test-fast test-pythons test-floor notebooks grade lint lock clean

install: $(STAMP)

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet $(CONSTRAINTS) -e '.[dev]'
	$(call nbgrader_off,$(BIN))
	touch $(STAMP)

# A student's environment: the course and JupyterLab only (no grader, no test tools), with
# pip's progress shown (about 100 packages; see docs/platforms.md for the measured size).
$(LAB_STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(LAB_VENV)
	@echo "Installing the course and JupyterLab into $(LAB_VENV) (first run only)..."
	$(LAB_VENV)/bin/python -m pip install --progress-bar on $(CONSTRAINTS) -e '.[lab]'
	touch $(LAB_STAMP)

lab: $(LAB_STAMP)  ## open lesson 01 in JupyterLab (the student's environment, .venv-lab)
	$(LAB_VENV)/bin/jupyter lab $(LAB_ARGS) $(FIRST_LESSON)

# Strict nbval of the solutions, as the tests and the emulated machines run it.
NBVAL := --nbval --nbval-current-env --nbval-cell-timeout=120 --nbval-kernel-startup-timeout=60 \
	--nbval-sanitize-with rnn_course/nbval_sanitize.cfg

test: $(STAMP)  ## lint, unit and pipeline tests, strict nbval natively and on emulated CPUs
	$(BIN)/ruff check .
	$(BIN)/pytest -n $(JOBS) --dist loadfile $(NBVAL) tests solutions
	$(BIN)/python -m rnn_course.authoring.machines --emulated-only -- \
		$(BIN)/pytest -n $(JOBS) --dist loadfile $(NBVAL) -q solutions

# For iterating: lint, then every test that starts no Jupyter kernel, sandbox or environment
# (the rooms' conftest.py files mark the others `kernels`); about 1.5 minutes on 2 cores.
test-fast: $(STAMP)  ## lint and the tests that start no kernel (docs/architecture.md, Tests)
	$(BIN)/ruff check .
	$(BIN)/pytest -n $(JOBS) --dist loadfile -m "not kernels" tests

# The whole test suite on every supported Python found here, each in its own environment.
PYTHONS ?= python3.10 python3.11 python3.12 python3.13
test-pythons:  ## make test on each of PYTHONS (those installed), in .venv-<python>
	@for python in $(PYTHONS); do \
		if $$python -c "" 2>/dev/null; then \
			echo "=== $$python"; $(MAKE) --no-print-directory test PYTHON=$$python VENV=.venv-$$python || exit 1; \
		else echo "=== $$python: not installed (or not runnable), skipped"; fi; \
	done

# The floors of pyproject.toml's ranges, resolved lowest-direct on the oldest Python: every
# direct dependency at its lowest allowed version. Not part of `make test` (it installs a second
# environment), run before widening or raising a range.
FLOOR_PYTHON ?= python3.10
FLOOR_VENV := .venv-floor
test-floor: $(STAMP)  ## make test with every dependency at its floor (needs uv, installed here)
	$(BIN)/python -m pip install --quiet 'uv>=0.4,<1'
	UV_PYTHON_DOWNLOADS=never $(BIN)/uv venv --quiet --python "$$($(FLOOR_PYTHON) -c 'import sys; print(sys.executable)')" $(FLOOR_VENV)
	$(BIN)/uv pip install --quiet --python $(FLOOR_VENV)/bin/python --resolution lowest-direct -e '.[dev]'
	$(call nbgrader_off,$(FLOOR_VENV)/bin)
	touch $(FLOOR_VENV)/.installed
	$(MAKE) --no-print-directory test VENV=$(FLOOR_VENV)

notebooks: $(STAMP)  ## rebuild every notebook (and rnn_utils/reference.py) from solutions/*.py
	$(BIN)/rnn-course build

# `make grade` stops before doing anything when SUBMISSIONS or OUT is not given.
ifneq ($(filter grade,$(MAKECMDGOALS)),)
ifeq ($(strip $(SUBMISSIONS)),)
$(error make grade: give SUBMISSIONS (one folder per student) and OUT, e.g. make grade SUBMISSIONS=examples/class OUT=/tmp/grade-out [GRADE_ARGS='--jobs 4 --timeout 60'])
endif
ifeq ($(strip $(OUT)),)
$(error make grade: give OUT, the folder for the results, e.g. OUT=/tmp/grade-out)
endif
endif

grade: $(STAMP)  ## grade SUBMISSIONS/<student>/<lesson>.ipynb into OUT (see README)
	$(BIN)/rnn-course grade "$(SUBMISSIONS)" --out "$(OUT)" $(GRADE_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .

lock: $(STAMP)  ## re-pin constraints.txt to what is installed now (then run make test)
	$(BIN)/python -m pip freeze --all --exclude-editable | grep -v -e '^-e' -e '^pip==' -e '^uv==' > constraints.txt

clean:
	rm -rf $(VENV) $(LAB_VENV)
