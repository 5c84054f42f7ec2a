"""Console → Community (issue 23): one module per page (import the states from their
modules)."""
