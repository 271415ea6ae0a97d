"""Incubator reads: the board, the registry summary, residencies, assessment results."""
