"""The fast log reader answers exactly as tomllib and the TOML guard do, or defers to them."""

from __future__ import annotations

import math
import tomllib
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from gluteterm.core import log_toml, toml_guard
from gluteterm.core.limits import MAX_TOML_KEYS, MAX_TOML_LINES
from gluteterm.core.record import LogError, SessionRecord, StepLog
from gluteterm.store.log import encode, read_record


def same(a: Any, b: Any) -> bool:
    """Equal, and of the very same types all the way down (1, 1.0 and True are not the same)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return bool(a.keys() == b.keys() and all(same(a[k], b[k]) for k in a))
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, datetime):
        return bool(a == b and a.utcoffset() == b.utcoffset() and a.isoformat() == b.isoformat())
    if isinstance(a, float):
        return (a == b and math.copysign(1, a) == math.copysign(1, b)) or (a != a and b != b)
    return bool(a == b)


# -- every log the writer can produce --------------------------------------

_texts = st.text(max_size=12) | st.sampled_from(["Glute bridge", "Side-lying abduction", ""])
_seconds = st.floats(allow_nan=True, allow_infinity=True) | st.integers(0, 10**6).map(float)
_zones = st.integers(-23 * 60 - 59, 23 * 60 + 59).map(lambda m: timezone(timedelta(minutes=m)))
_moments = st.builds(
    lambda d, z: d.replace(tzinfo=z),
    st.datetimes(datetime(1970, 1, 2), datetime(9998, 12, 30)),
    _zones | st.just(UTC),
)
_steps = st.builds(
    StepLog,
    number=st.integers(0, 2000),
    name=_texts,
    kind=_texts,
    status=st.sampled_from(["done", "skipped", "partial"]) | _texts,
    planned_seconds=_seconds,
    actual_seconds=_seconds,
    level=st.none() | _texts,
    felt=st.none() | st.integers(-3, 12),
    flags=st.lists(_texts, max_size=6).map(tuple),
    drill=st.none() | _texts,
    dose=st.none() | st.floats(allow_nan=False, allow_infinity=False),
)
_records = st.builds(
    SessionRecord,
    session=_texts,
    title=_texts,
    started=_moments,
    ended=_moments,
    status=st.sampled_from(["completed", "partial"]) | _texts,
    planned_steps=st.integers(-5, 2000),
    active_seconds=_seconds,
    paused_seconds=_seconds,
    steps=st.lists(_steps, max_size=5).map(tuple),
)


def _plain(record: SessionRecord) -> bool:
    """True when every text in the record needs no escape in TOML (the usual log)."""
    texts = [record.session, record.title, record.status]
    for step in record.steps:
        texts += [step.name, step.kind, step.status, step.level or "", step.drill or ""]
        texts += step.flags
    return not any(c in '"\\' or ord(c) < 0x20 or ord(c) == 0x7F for t in texts for c in t)


@settings(max_examples=200, deadline=None)
@given(record=_records)
def test_every_log_the_writer_makes_reads_exactly_as_tomllib_reads_it(
    record: SessionRecord,
) -> None:
    text = encode(record).decode()
    fast = log_toml.loads(text)
    if _plain(record):
        assert fast is not None, text  # the usual log is read fast, not deferred
    if fast is not None:
        assert same(fast, tomllib.loads(text)), text


def test_the_benchmark_logs_are_all_read_fast(tmp_path: Path) -> None:
    from tests.bench.fake_log import write_log

    write_log(tmp_path / "log", 50)
    for path in (tmp_path / "log").iterdir():
        text = path.read_text()
        fast = log_toml.loads(text)
        assert fast is not None and same(fast, tomllib.loads(text))


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(record=_records)
def test_a_log_read_fast_is_the_same_record_or_the_same_error(
    tmp_path: Path, record: SessionRecord, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "2026-01-01T00-00-00_x.toml"
    path.write_bytes(encode(record))

    def read() -> SessionRecord | str:
        try:
            return read_record(path)
        except LogError as exc:
            return str(exc)

    fast = read()
    monkeypatch.setattr(log_toml, "loads", lambda _text: None)  # always the full parser
    assert read() == fast


# -- any text: the same answer as the guarded parser, or none ---------------

_TOML_BITS = [
    "version = 1\n", "session = ", '"quick"', "title = ", "started = ",
    "1997-03-29 13:09:40+01:00", "2026-02-30T10:00:00Z", "1997-03-29T24:00:00-05:30",
    "[[step]]\n", "[step]\n", "number = ", "1", "-0", "007", "1e5", "6.0e+2", "1.", ".5",
    "nan", "inf", "true", "[]", '["a", "b"]', '[\n    "a",\n]', '[\n    "a"\n]', "\n", "\r\n",
    " ", "\t", "#", "=", '"', "'", "\\", "\\n", "\\u00e9", "step = 1\n", "a.b = 1\n",
    '"k" = 1\n', "x = {a = 1}\n", "é", "\x00", "\x7f", "1_000", "+1", "0x10",
]  # fmt: skip
_toml_like = st.lists(st.sampled_from(_TOML_BITS) | st.text(max_size=3), max_size=40).map("".join)


def _agrees_or_defers(text: str) -> None:
    fast = log_toml.loads(text)
    if fast is None:
        return
    guarded = toml_guard.loads(text)  # must not raise: the fast reader read it
    assert same(fast, guarded), text


@settings(max_examples=600, deadline=None)
@given(text=_toml_like)
@example(text="version = 1\nversion = 2\n")
@example(text="step = 1\n[[step]]\n")
@example(text='a = "x"\n[[step]]\nstep = 2\n')
@example(text="t = 2026-02-30 10:00:00+01:00\n")
@example(text="n = 1000000000000000000000\n")
def test_any_text_is_read_as_the_guarded_parser_reads_it_or_deferred(text: str) -> None:
    _agrees_or_defers(text)


@settings(max_examples=400, deadline=None)
@given(
    record=_records,
    edits=st.lists(
        st.tuples(st.integers(0, 10_000), st.integers(0, 3), st.sampled_from(_TOML_BITS)),
        min_size=1,
        max_size=3,
    ),
)
def test_a_log_edited_by_hand_is_read_as_the_guarded_parser_reads_it_or_deferred(
    record: SessionRecord, edits: list[tuple[int, int, str]]
) -> None:
    text = encode(record).decode()
    for at, cut, insert in edits:
        at %= len(text) + 1
        text = text[:at] + insert + text[at + cut :]
    _agrees_or_defers(text)


def test_past_the_guards_bounds_the_fast_reader_defers() -> None:
    keys = "".join(f"k{i} = 1\n" for i in range(MAX_TOML_KEYS + 1))
    lines = "version = 1\n" + "\n" * MAX_TOML_LINES
    for text in (keys, lines):
        assert log_toml.loads(text) is None
        with pytest.raises(toml_guard.TomlRefused):
            toml_guard.loads(text)
    big = 'title = "' + "x" * 2_000 + '"\n'
    assert log_toml.loads(big, max_chars=1000) is None
    assert log_toml.loads(keys[: keys.index("k100 ")]) is not None  # within bounds: read


# -- the usual step, checked inline, is the step `_step` reads ----------------

_step_values = st.one_of(
    st.none(), st.booleans(), st.integers(-2, 12), st.integers(-3, 1003),
    st.sampled_from([0, 1, 9, 10, 100, 999, 1000, 1001, 0.0, 100.0, 100.5, 604800.0, 604801]),
    st.floats(), st.text(max_size=4),
    st.sampled_from(["done", "skipped", "partial", "Done"]),
    st.lists(st.text(max_size=3) | st.integers(), max_size=3),
)  # fmt: skip
_step_keys = st.sampled_from(
    ["number", "name", "kind", "status", "planned_seconds", "actual_seconds", "level", "felt",
     "flags", "drill", "dose", "felt_where", "other"]
)  # fmt: skip


def _usual() -> dict[str, Any]:
    return {
        "number": 1, "name": "Bridge", "kind": "stability", "status": "done",
        "planned_seconds": 60.0, "actual_seconds": 58.5, "level": "glute-bridge", "felt": 7,
        "flags": ["cramp"], "drill": "glute-bridge", "dose": 80.0,
    }  # fmt: skip


@settings(max_examples=800, deadline=None)
@given(
    changes=st.dictionaries(_step_keys, _step_values, max_size=4),
    gone=st.lists(_step_keys, max_size=3),
)
@example(changes={}, gone=[])
@example(changes={"felt": 10}, gone=[])
@example(changes={"number": 1001, "dose": 100.5}, gone=[])
@example(changes={"flags": ["a", 1]}, gone=["number"])
@example(changes={"planned_seconds": 604801}, gone=[])
def test_the_usual_step_is_read_exactly_as_any_step_is(
    changes: dict[str, Any], gone: list[str]
) -> None:
    from gluteterm.core.record import _step, _usual_step

    raw = _usual() | changes
    for key in gone:
        raw.pop(key, None)
    fast = _usual_step(raw, 3, 2)
    try:
        slow: StepLog | str = _step(raw, "f.toml", 3, 2)
    except LogError as exc:
        slow = str(exc)
    if fast is None:
        return
    assert isinstance(slow, StepLog), (raw, slow)
    assert same(list(vars(fast).values()), list(vars(slow).values()))
    assert [type(v) for v in vars(fast).values()] == [type(v) for v in vars(slow).values()]


def test_the_usual_step_is_the_one_gluteterm_writes() -> None:
    from gluteterm.core.record import _usual_step

    assert _usual_step(_usual(), 1, 2) is not None
    assert _usual_step({k: v for k, v in _usual().items() if k != "number"}, 4, 2) is not None
    assert _usual_step(_usual() | {"felt": True}, 1, 2) is None
