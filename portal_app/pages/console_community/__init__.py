"""Console → Community (issue 23): groups, channels, members, levels, moderation."""
