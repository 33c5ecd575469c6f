"""Console pages: provisioning (jobs.py), monitoring, lifecycle and releases (console.py)."""
