"""Fixes: applying suggestions until none is left, and tidying the English around them."""
