"""The version number, defined once: the package, the CLI, caches and packaging read it here."""

__version__ = "0.1.0"
