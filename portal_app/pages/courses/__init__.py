"""The client's Courses app pages and the public certificate check."""
