"""Syntax: the grammar, the parser with error recovery, and the typed syntax tree."""
