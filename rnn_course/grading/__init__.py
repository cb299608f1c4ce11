"""The trusted grader (docs/architecture.md).

nbformat imports jsonschema, and jsonschema imports the optional package rfc3987_syntax when it
is installed (JupyterLab brings it): that import builds a grammar and takes about a second, in
every process that grades, more than composing and judging a notebook. nbformat never checks
the IRI formats that package serves, so a process that imports the grader goes without it, as
jsonschema does where the package is not installed (only its "iri" format checks are skipped).
Nothing changes in a process that had imported it already.
"""

import sys

sys.modules.setdefault("rfc3987_syntax", None)
