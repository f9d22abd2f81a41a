"""Reusable widgets for gluteterm's screens."""
