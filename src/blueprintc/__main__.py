"""``python -m blueprintc`` runs the command line."""

from blueprintc.cli import entry_point

entry_point()
