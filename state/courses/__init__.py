"""The client's Courses app: one state per page (list, course outline, lesson) and the
public certificate check."""
