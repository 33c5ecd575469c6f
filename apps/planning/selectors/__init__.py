"""Reads of the e-planning app: querysets with their joins, plan rows, trees, totals, diffs."""
