"""What every app of the project shares and that belongs to no domain: the error type."""
