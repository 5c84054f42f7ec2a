"""Communities (issue 23): groups, channels, posts, moderation, notifications, points."""
