"""A stand-in for a new app: it declares a menu entry in its nav.py and nothing in saas/."""
