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


def url_on(screen: str) -> str | None:
    """The phone page's address on the QR code's screen, joined if it wraps."""
    lines = screen.splitlines()
    for i, line in enumerate(lines):
        col = line.find("http://127.0.0.1:")
        if col < 0:
            continue
        url = line[col:].split()[0]
        for following in lines[i + 1 : i + 4]:
            if url.endswith("/"):
                break
            rest = following[col:].split()
            url += rest[0] if rest else ""
        found = URL.fullmatch(url)
        return found.group(0) if found else None
    return None
