"""Rule data: the schema of rule files, the phrase language, loading and validation."""
