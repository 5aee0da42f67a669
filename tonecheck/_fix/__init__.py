"""Fixes: applying suggestions until none is left (the engine tidies each edit: _engine/tidy.py)."""
