"""`python -m gluteterm` runs the command line."""

from __future__ import annotations

from gluteterm.cli.start import run

raise SystemExit(run())
