"""Writes of the e-planning app; each is atomic and appends its audit entry in the same
transaction. Role checks go through apps.access (scope predicates), never local rules."""
