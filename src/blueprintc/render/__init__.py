"""Renderers that turn compiled blueprints into documents and diagrams."""
