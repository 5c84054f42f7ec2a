"""Domain logic: plain functions over a Session. Never imports reflex."""
