"""Console -> Courses (issue 22, staff side): one module per page or dialog."""
