"""gluteterm's screens, one per module."""
