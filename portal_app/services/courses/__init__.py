"""Courses: authoring, drip, progress, quizzes, certificates."""
