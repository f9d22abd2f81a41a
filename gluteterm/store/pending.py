"""The pending folders: where a record waits when its own folder cannot be written.

The user's own (`pending_dir`) and, as a last resort, a private one for
temporary files (`fallback_pending_dir`: mode 0700, owned by the user, never a
link; never the shared temp folder itself). Kept apart from the log's module
so that reading pending levels at a session's start does not load the log.
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
import tempfile
from pathlib import Path

__all__ = ["LEVELS_FILE", "PRIVATE_FILE_MODE", "fallback_pending_dir", "pending_folders"]

#: Level changes that could not be written to levels.toml, waiting in a pending folder.
#: No record is ever named so: their names start with the time.
LEVELS_FILE = re.compile(r"levels_\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d(-\d+)?\.toml")
#: Pending records in the private fallback folder are the user's alone.
PRIVATE_FILE_MODE = 0o600


def fallback_pending_dir(create: bool = False) -> Path | None:
    """The private last-resort pending folder, or None if there is no safe one.

    It lives in $XDG_RUNTIME_DIR (already private) or else in the temp folder
    under a name with the user's id; it is used only if it is a real folder
    (not a link), owned by this user, that nobody else can read or write.
    """
    getuid = getattr(os, "getuid", None)
    if getuid is None:
        return None  # no owners to check here: no shared fallback at all
    runtime = os.environ.get("XDG_RUNTIME_DIR", "")
    if runtime and os.path.isabs(runtime):
        folder = Path(runtime) / "gluteterm-pending"
    else:
        folder = Path(tempfile.gettempdir()) / f"gluteterm-pending-{getuid()}"
    if create:
        with contextlib.suppress(OSError):
            folder.mkdir(mode=0o700)
    try:
        st = os.lstat(folder)
    except OSError:
        return None
    private = stat.S_ISDIR(st.st_mode) and st.st_uid == getuid()
    return folder if private and stat.S_IMODE(st.st_mode) & 0o077 == 0 else None


def pending_folders(pending_dir: Path, create: bool = False) -> list[Path]:
    """Where pending records are looked for: the user's folder, then the private fallback."""
    fallback = fallback_pending_dir(create)
    return [pending_dir] + ([fallback] if fallback is not None else [])


def waiting_records(pending_dir: Path) -> bool:
    """Whether any pending folder holds a record the log's `flush_pending` would try to move
    (any `.toml` entry but level changes), without loading the log's reader."""
    for folder in pending_folders(pending_dir):
        try:
            with os.scandir(folder) as listing:
                for entry in listing:
                    name = entry.name
                    if name.endswith(".toml") and not LEVELS_FILE.fullmatch(name):
                        return True
        except FileNotFoundError:
            continue
        except OSError:
            return True  # cannot tell: the full command looks, and says why
    return False
