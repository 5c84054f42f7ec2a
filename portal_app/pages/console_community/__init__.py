"""Console → Community pages (issue 23)."""
