"""gluteterm: a terminal coach for a glute warm-up."""

from __future__ import annotations

__version__ = "0.1.0"
