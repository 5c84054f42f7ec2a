"""Console -> Courses (issue 22, staff side): the course pages."""
