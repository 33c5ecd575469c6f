"""REST API of e-planning under /api/perencanaan/ (one class per operation, thin)."""
