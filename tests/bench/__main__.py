"""`python -m tests.bench`: run the benchmarks and print their table."""

from __future__ import annotations

from tests.bench.suite import main

raise SystemExit(main())
