"""What the phone page's browser test and its screenshot script share."""

from __future__ import annotations

import re

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip
#: A phone's viewport (an iPhone 12 to 15's CSS pixels).
PHONE = {"width": 390, "height": 844}
URL = re.compile(r"http://127\.0\.0\.1:\d+/[A-Za-z0-9_-]{22,}/")
