"""A project: configuration discovery, the folder walk, suppressions, baselines and linting a file."""
