"""Writes of perizinan; each service is atomic and writes the region's audit entry."""
