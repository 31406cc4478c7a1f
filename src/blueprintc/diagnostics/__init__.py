"""Diagnostics: one type for every error and warning the compiler reports."""

from blueprintc.diagnostics.codes import CODES, Code, Severity, lookup
from blueprintc.diagnostics.diagnostic import Diagnostic, DiagnosticSink, Label

__all__ = ["CODES", "Code", "Diagnostic", "DiagnosticSink", "Label", "Severity", "lookup"]
