"""`reflex run --env prod --single-port`, serving the frontend that an earlier run of
the same suite built (same port, same code) instead of compiling and building it
again: the browser suite's second mode starts ~20 s sooner.

Run as `python tests/e2e/serve_built.py <reflex run arguments>` from the project root.
Only the two build steps are skipped; the backend starts as `reflex run` starts it.
"""

import sys

from reflex import reflex as reflex_cli
from reflex.utils import build

reflex_cli._compile_app = lambda **_kwargs: None
build.setup_frontend_prod = lambda _root: None

if __name__ == "__main__":
    sys.argv = ["reflex", "run", *sys.argv[1:]]
    sys.exit(reflex_cli.cli())
