"""Semantic stage: modules, units, the schema of the language, names and value checks."""
