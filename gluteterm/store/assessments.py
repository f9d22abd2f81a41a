"""Assessment logs on disk: `<time>_assessment.toml` in the session log folder.

Each assessment is written once, atomically, under a name claimed without
clobbering (as session logs are). The session history skips these files by
name (`is_assessment_file`); only this module reads them.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from gluteterm.core import toml_guard
from gluteterm.core.assessment import AssessmentError, AssessmentResult
from gluteterm.core.limits import MAX_FILE_BYTES
from gluteterm.store.atomic import create_atomic
from gluteterm.store.files import read_user_file
from gluteterm.store.log import ASSESSMENT_FILE, assessment_file_name

#: `2026-11-24T18-03-12_assessment.toml`, or `..._assessment-2.toml` when that name was taken.
#: Assessments read at most (one a week for twenty years is about 1,000).
MAX_ASSESSMENTS = 2000


def is_assessment_file(name: str) -> bool:
    """True for an assessment log's file name (the session history leaves these out)."""
    return ASSESSMENT_FILE.fullmatch(name) is not None


@dataclass
class Assessments:
    """Every readable assessment, newest first, and what could not be read."""

    results: list[AssessmentResult] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def encode(result: AssessmentResult) -> bytes:
    import tomli_w

    return tomli_w.dumps(result.to_toml()).encode("utf-8")


def save_assessment(log_dir: Path, result: AssessmentResult) -> Path:
    """Write `result` as a new file in `log_dir`; never overwrites. Raises OSError."""
    data = encode(result)
    for attempt in range(1, 1000):
        path = log_dir / assessment_file_name(result.taken, attempt)
        if create_atomic(path, data):
            return path
    raise OSError(f"no free file name for an assessment in {log_dir}")


def read_assessment(path: Path) -> AssessmentResult:
    """Read one assessment file; raise `AssessmentError` (naming it) if it cannot be used."""
    file = str(path)
    try:
        # Only gluteterm writes log files, as regular files: a link there is refused.
        data = read_user_file(path, MAX_FILE_BYTES, follow_symlinks=False)
    except OSError as exc:
        raise AssessmentError(f"{file}: cannot be read: {exc.strerror or exc}") from None
    try:
        document = toml_guard.loads(data.decode("utf-8"))
    except UnicodeDecodeError:
        raise AssessmentError(f"{file}: not UTF-8 text") from None
    except tomllib.TOMLDecodeError as exc:
        raise AssessmentError(f"{file}: {exc}") from None  # it says "not valid TOML"
    return AssessmentResult.from_toml(document, file)


def load_assessments(log_dir: Path) -> Assessments:
    """Every assessment in `log_dir`, newest first; unreadable ones are named in `problems`."""
    found = Assessments()
    try:
        names = sorted((e.name for e in os.scandir(log_dir) if is_assessment_file(e.name)),
                       reverse=True)  # fmt: skip
    except FileNotFoundError:
        return found
    except OSError as exc:
        found.problems.append(f"the log folder {log_dir} cannot be read: {exc.strerror or exc}")
        return found
    for name in names[:MAX_ASSESSMENTS]:
        try:
            found.results.append(read_assessment(log_dir / name))
        except AssessmentError as exc:
            found.problems.append(f"skipped {exc}")
    found.results.sort(key=lambda r: (r.taken, r.file), reverse=True)
    return found
