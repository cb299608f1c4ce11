"""One clear line when a cell fails because a graded exercise above it is not done yet.

A cell that uses an unfinished exercise fails with a follow-on error: the exercise raises
NotImplementedError, the variables its caller should have made are then missing (NameError),
a table it should have filled has no entry (KeyError). The traceback points at the symptom.
``install()`` (run when a lesson imports rnn_utils inside IPython) adds, below the usual
traceback, the line that names the likely cause: "Note: your `rnn_cell_forward` is not
finished yet ...".
"""

import types

FOLLOW_ON_ERRORS = (NotImplementedError, NameError, KeyError, UnboundLocalError)


def unfinished_exercises(namespace):
    """Names of the notebook's functions that still raise NotImplementedError, in the order
    they were defined.

    Arguments:
    namespace -- dict of the notebook's variables (IPython's user_ns)

    Returns:
    list of function names (str)
    """
    return [
        name for name, value in list(namespace.items())
        if isinstance(value, types.FunctionType) and value.__module__ == "__main__"
        and "NotImplementedError" in value.__code__.co_names
    ]


def hint(namespace):
    """The line to show, or None when no exercise is unfinished."""
    names = unfinished_exercises(namespace)
    if not names:
        return None
    listed = ", ".join(f"`{name}`" for name in names)
    return (f"Note: your {listed} is not finished yet (it raises NotImplementedError), and cells "
            "that use it fail until it is: complete its graded cell, run it, then run this "
            "cell again.")


RUN_ABOVE = ("Run > Run All Above Selected Cell (classic Notebook: Cell > Run All Above), then "
             "this cell again")


def forgotten_hint(error, namespace):
    """The line for a NameError on a name the notebook's cells above define: after a restart,
    or on a notebook reopened, the kernel has forgotten them. None for other errors.

    Every check cell imports its check first (which installs this hint), so the line also
    appears when the check itself was forgotten."""
    name = getattr(error, "name", None)  # set by Python >= 3.10
    if not isinstance(error, NameError) or not name or name in namespace:
        return None
    return (f"Note: `{name}` is not defined in this kernel: after a restart or on a reopened "
            f"notebook the kernel has forgotten the cells above. {RUN_ABOVE}.")


def _after_cell(result):
    """IPython's post_run_cell event: the usual error output is already shown, unchanged; add
    the hint below it. (An event, not a custom exception handler, so nothing here can lose or
    replace the error that graders and nbval read.)"""
    if isinstance(result.error_in_exec, FOLLOW_ON_ERRORS):
        from IPython import get_ipython

        namespace = get_ipython().user_ns
        line = hint(namespace) or forgotten_hint(result.error_in_exec, namespace)
        if line:
            print(line)


def install():
    """Register the hint with the running IPython shell; does nothing outside IPython."""
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    shell = get_ipython()
    if shell is None:
        return False
    if _after_cell not in shell.events.callbacks["post_run_cell"]:
        shell.events.register("post_run_cell", _after_cell)
    return True
