"""The engine: a configuration compiled once, run on each reply."""
