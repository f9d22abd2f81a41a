"""Write a realistic session log of any size, for benchmarks and for looking at charts.

usage: python -m tests.bench.fake_log FOLDER COUNT [--days-back N]
"""

from __future__ import annotations

import argparse
import random
from datetime import datetime, timedelta, timezone
from pathlib import Path

from gluteterm.core.record import SessionRecord, StepLog
from gluteterm.store.log import encode, file_name

PLANS = {
    "quick": (
        "Quick",
        [
            "Foam roll glutes",
            "Spiderman lunge",
            "Hip flexor stretch",
            "Side-lying abduction",
            "Glute bridge",
            "Monster walk",
            "Skater bound",
        ],
    ),
    "unlock-and-activate": ("Unlock & Activate", [f"Step {i}" for i in range(1, 13)]),
    "glute-medius": ("Gluteus medius focus", [f"Step {i}" for i in range(1, 10)]),
}


def fake_records(count: int, end: datetime, seed: int = 7) -> list[SessionRecord]:
    rng = random.Random(seed)
    records = []
    moment = end
    # Past 10,000 sessions (a log synced from several people or machines) they come
    # closer together, so that all of them start after 1970, as a log's must.
    closer = min(1.0, 10_000 / max(count, 1))
    for _ in range(count):
        moment -= timedelta(hours=rng.choice((14, 20, 24, 24, 24, 30, 48)) * closer)
        session = rng.choice(list(PLANS))
        title, names = PLANS[session]
        partial = rng.random() < 0.15
        done = len(names) if not partial else rng.randint(1, len(names) - 1)
        steps = tuple(
            StepLog(
                i + 1,
                name,
                "stability",
                "done" if i < done else "skipped",
                60.0,
                60.0 if i < done else 0.0,
            )
            for i, name in enumerate(names[: done + (1 if partial else 0)])
        )
        active = sum(s.actual_seconds for s in steps)
        started = moment.replace(microsecond=0)
        records.append(
            SessionRecord(
                session,
                title,
                started,
                started + timedelta(seconds=active + 30),
                "partial" if partial else "completed",
                len(names),
                active,
                0.0,
                steps,
            )
        )
    return records


def write_log(folder: Path, count: int, end: datetime | None = None) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    end = end or datetime.now(timezone(timedelta(hours=1)))
    for record in fake_records(count, end):
        name = file_name(record.started, record.session)
        (folder / name).write_bytes(encode(record))


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("folder", type=Path)
    parser.add_argument("count", type=int)
    args = parser.parse_args()
    write_log(args.folder, args.count)
