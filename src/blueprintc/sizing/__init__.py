"""Sizing: from the model's volumes, patterns and targets to agents, FTE, seats and staff."""
