"""Numeric solvers used by the compiler: queueing and staffing mathematics."""
