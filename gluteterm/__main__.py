"""`python -m gluteterm` runs the command line."""

from __future__ import annotations

from gluteterm.cli.main import main

raise SystemExit(main())
