"""JSON API of the console: provisioning jobs (jobs.py), lifecycle and rollouts (lifecycle.py)."""
