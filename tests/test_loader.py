"""Plan loading and validation: every rule, and messages a person can act on."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from gluteterm.core.errors import PlanError
from gluteterm.core.loader import parse_plan
from gluteterm.core.plan import Kind
from gluteterm.store.plans import load_plan
from tests.support import REPO

GOOD = """
title = "Test"
prepare = 3
rest = 10

[[step]]
name = "Roll"
kind = "release"
hold = 30
per_side = true
cue = "Slow"
equipment = ["foam roller"]

[[step]]
name = "Bridge"
kind = "stability"
reps = 10
tempo = 4
sets = 2
rest = 30
levels = ["Bridge", "Single-leg bridge"]
"""


def problems(text: str) -> list[str]:
    with pytest.raises(PlanError) as info:
        parse_plan(text, "p.toml", "p")
    return [str(p) for p in info.value.problems if p.severity == "error"]


def warnings(text: str) -> list[str]:
    return [str(w) for w in parse_plan(text, "p.toml", "p").warnings]


def step(body: str, head: str = 'title = "T"') -> str:
    return f'{head}\n[[step]]\n{body}\n[[step]]\nname = "After"\nkind = "stability"\nreps = 5\n'


def test_good_plan_loads_every_key() -> None:
    loaded = parse_plan(GOOD, "p.toml", "p")
    plan = loaded.plan
    assert loaded.warnings == ()
    assert (plan.title, plan.prepare, plan.rest) == ("Test", 3, 10)
    roll, bridge = plan.steps
    assert roll.kind is Kind.RELEASE and roll.hold == 30 and roll.per_side
    assert roll.equipment == ("foam roller",) and roll.cue == "Slow"
    assert bridge.reps == 10 and bridge.tempo == 4 and bridge.sets == 2 and bridge.rest == 30
    assert bridge.levels == ("Bridge", "Single-leg bridge")
    assert plan.rest_for(roll) == 10 and plan.rest_for(bridge) == 30


def test_defaults() -> None:
    plan = parse_plan(step('name = "A"\nkind = "mobility"\nreps = 5'), "p.toml", "p").plan
    assert plan.prepare == 5 and plan.rest == 0
    assert plan.steps[0].sets == 1 and not plan.steps[0].per_side and plan.steps[0].tempo is None


def test_shipped_sessions_are_valid_without_warnings() -> None:
    for path in sorted((REPO / "sessions").glob("*.toml")):
        loaded = load_plan(path)
        assert loaded.warnings == (), path
    ids = {p.stem for p in (REPO / "sessions").glob("*.toml")}
    assert ids == {
        "unlock-and-activate", "quick", "glute-medius",
        "before-a-run", "before-lifting", "before-a-sport",
    }  # fmt: skip


def test_syntax_error_gives_line_and_column() -> None:
    [message] = problems('title = "T"\n[[step]]\nname = "A\n')
    assert message.startswith("p.toml: not valid TOML")
    assert "line 3" in message and "column" in message


def test_unknown_key_suggests_the_close_one() -> None:
    [message] = problems(step('name = "A"\nkind = "mobility"\nrpes = 5\nreps = 5'))
    assert "step 1 (A)" in message and "'rpes'" in message and "did you mean 'reps'" in message


def test_unknown_top_level_key() -> None:
    [message] = problems(step('name = "A"\nkind = "mobility"\nreps = 5', 'title = "T"\nprepar = 3'))
    assert "'prepar'" in message and "did you mean 'prepare'" in message


def test_unknown_kind_suggests() -> None:
    [message] = problems(step('name = "A"\nkind = "stabilty"\nreps = 5'))
    assert "expected one of release, mobility" in message
    assert "did you mean 'stability'" in message


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            'name = "A"\nkind = "release"\nhold = "45"',
            "expected a whole number of seconds from 1 to 600, found text '45'",
        ),
        ('name = "A"\nkind = "release"\nhold = 0', "found 0"),
        ('name = "A"\nkind = "release"\nhold = -5', "found -5"),
        ('name = "A"\nkind = "release"\nhold = 601', "found 601"),
        ('name = "A"\nkind = "release"\nhold = 4.5', "found the fraction 4.5"),
        ('name = "A"\nkind = "release"\nhold = true', "found true/false"),
        ('name = "A"\nkind = "stability"\nreps = 101', "from 1 to 100, found 101"),
        ('name = "A"\nkind = "stability"\nreps = 5\nsets = 11', "from 1 to 10, found 11"),
        ('name = "A"\nkind = "stability"\nreps = 5\nrest = -1', "from 0 to 600, found -1"),
        ('name = "A"\nkind = "stability"\nreps = 5\ntempo = 0', "from 1 to 30, found 0"),
        ('name = "A"\nkind = "stability"\nreps = 5\nper_side = "yes"', "expected true or false"),
        ('name = "A"\nkind = "stability"\nreps = 5\ncue = 3', "expected text, found 3"),
        ('name = "A"\nkind = "stability"\nreps = 5\nequipment = "band"', "expected a list of text"),
        ('name = ""\nkind = "stability"\nreps = 5', "'name': is empty"),
        ('kind = "stability"\nreps = 5', "'name': is missing"),
        ('name = "A"\nreps = 5', "'kind': is missing"),
        ('name = "A"\nkind = "stability"', "needs 'hold' (seconds) or 'reps'"),
        ('name = "A"\nkind = "stability"\nreps = 5\nhold = 5', "has both 'hold' and 'reps'"),
        ('name = "A"\nkind = "release"\nhold = 5\ntempo = 2', "a timed step (hold) has no reps"),
        ('name = "A"\nkind = "stability"\nreps = 5\ncue = "a\\nb"', "expected one line of text"),
        (f'name = "{"x" * 81}"\nkind = "stability"\nreps = 5', "at most 80 characters, found 81"),
    ],
)
def test_bad_values_are_named_with_expected_and_found(body: str, expected: str) -> None:
    messages = problems(step(body))
    assert any(expected in m for m in messages), messages
    assert all(m.startswith("p.toml: step 1") for m in messages), messages


def test_every_problem_is_reported_not_just_the_first() -> None:
    text = 'title = "T"\n[[step]]\nname = "A"\nkind = "x"\nhold = 0\n[[step]]\nname = "B"\n'
    messages = problems(text)
    assert len(messages) >= 3
    assert any("step 2 (B)" in m for m in messages)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", "'title': is missing"),
        ('title = "T"', "the plan has no steps"),
        ('title = "T"\nstep = []', "the plan has no steps"),
        ('title = "T"\nstep = 3', "expected [[step]] tables"),
        ('title = 5\n[[step]]\nname="A"\nkind="release"\nhold=5', "'title': expected text"),
        (
            'title = "T"\nprepare = 31\n[[step]]\nname="A"\nkind="release"\nhold=5',
            "from 0 to 30, found 31",
        ),
    ],
)
def test_plan_level_problems(text: str, expected: str) -> None:
    assert any(expected in m for m in problems(text))


def test_too_many_steps() -> None:
    body = "\n".join('[[step]]\nname="A"\nkind="release"\nhold=5' for _ in range(101))
    assert any("at most 100 steps, found 101" in m for m in problems(f'title = "T"\n{body}'))


# -- the keep-elongation-brief rule --------------------------------------


def test_stretch_over_60_seconds_per_side_is_an_error() -> None:
    [message] = problems(step('name = "S"\nkind = "stretch"\nhold = 25\nsets = 3\nper_side = true'))
    assert "75 s per side" in message and "60 s limit" in message and "step 1 (S)" in message


def test_stretch_of_exactly_60_is_allowed_with_a_hold_warning() -> None:
    found = warnings(step('name = "S"\nkind = "stretch"\nhold = 60'))
    assert any("a 60 s hold is over 30 s" in w for w in found)


def test_stretch_hold_over_30_warns() -> None:
    [found] = warnings(step('name = "S"\nkind = "stretch"\nhold = 31'))
    assert "warning" in found and "31 s hold" in found


def test_stretch_of_30_is_quiet() -> None:
    assert warnings(step('name = "S"\nkind = "stretch"\nhold = 30')) == []


def test_session_with_over_90_seconds_of_stretching_warns() -> None:
    stretches = "\n".join(
        f'[[step]]\nname="S{i}"\nkind="stretch"\nhold=25\nper_side=true' for i in range(4)
    )
    text = f'title="T"\n{stretches}\n[[step]]\nname="B"\nkind="stability"\nreps=5\n'
    found = warnings(text)
    assert any("100 s of static stretching per side, over 90 s" in w for w in found)


def test_stretch_with_nothing_dynamic_after_it_warns() -> None:
    text = 'title="T"\n[[step]]\nname="S"\nkind="stretch"\nhold=20\n[[step]]\nname="R"\nkind="release"\nhold=20\n'
    found = warnings(text)
    assert any("step 1 (S)" in w and "no mobility or activation step follows" in w for w in found)
    # and the roll after the stretch is out of the method's order
    assert any("step 2 (R)" in w and "the method goes release, mobility" in w for w in found)


def test_stretch_followed_by_mobility_is_fine() -> None:
    text = 'title="T"\n[[step]]\nname="S"\nkind="stretch"\nhold=20\n[[step]]\nname="M"\nkind="mobility"\nreps=5\n'
    assert warnings(text) == []


# -- files -------------------------------------------------------------


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(PlanError, match="no such file"):
        load_plan(tmp_path / "nope.toml")


def test_folder_instead_of_file(tmp_path: Path) -> None:
    with pytest.raises(PlanError, match="is a folder"):
        load_plan(tmp_path)


def test_binary_file(write_plan: Callable[..., Path]) -> None:
    with pytest.raises(PlanError, match="binary file"):
        load_plan(write_plan(b"\x00\x01\x02PNG"))


def test_not_utf8(write_plan: Callable[..., Path]) -> None:
    with pytest.raises(PlanError, match=r"not UTF-8 text \(byte 0xe9"):
        load_plan(write_plan('title = "Caf\xe9"'.encode("latin-1")))


def test_unreadable_file(write_plan: Callable[..., Path], monkeypatch: pytest.MonkeyPatch) -> None:
    path = write_plan(GOOD)

    def denied(*_args: object, **_kwargs: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr("gluteterm.store.files.os.open", denied)  # root ignores chmod
    with pytest.raises(PlanError, match="cannot be read: permission denied"):
        load_plan(path)


def test_plan_id_is_the_file_name(write_plan: Callable[..., Path]) -> None:
    assert load_plan(write_plan(GOOD, "my-warmup.toml")).plan.id == "my-warmup"


def test_a_tempo_may_say_up_hold_and_down_and_is_written_back_so() -> None:
    import tomli_w

    from gluteterm.core.plan_file import plan_document

    text = 'title="T"\n[[step]]\nname="A"\nkind="analytic"\nreps=5\ntempo=[1, 2, 2]\ncue="hold {top} s"'
    loaded = parse_plan(text, "t.toml", "t")
    step = loaded.plan.steps[0]
    assert (step.tempo, step.phases, step.top, step.cue_text) == (5, (1, 2, 2), 2, "hold 2 s")
    assert loaded.warnings == ()
    doc = plan_document(loaded.plan)
    assert doc["step"][0]["tempo"] == [1, 2, 2]
    again = parse_plan(tomli_w.dumps(doc), "t.toml", "t").plan
    assert again.steps == loaded.plan.steps


@pytest.mark.parametrize(
    ("tempo", "message"),
    [
        ("[1, 2]", "up, hold and down"),
        ("[1, 2, 2, 1]", "up, hold and down"),
        ('[1, "2", 2]', "up, hold and down"),
        ("[1, -1, 2]", "found [1, -1, 2]"),
        ("[20, 10, 10]", "together 1 to 30"),
        ("[0, 0, 0]", "together 1 to 30"),
        ("[1, nan, 1]", "found [1, nan, 1]"),
        ("[true, 1, 1]", "up, hold and down"),
    ],
)
def test_a_broken_phased_tempo_is_refused_naming_the_key(tempo: str, message: str) -> None:
    text = f'title="T"\n[[step]]\nname="A"\nkind="analytic"\nreps=5\ntempo={tempo}'
    with pytest.raises(PlanError) as caught:
        parse_plan(text, "t.toml", "t")
    problem = caught.value.errors[0]
    assert problem.key == "tempo" and message in problem.message


def test_top_without_phases_shows_a_question_mark() -> None:
    text = 'title="T"\n[[step]]\nname="A"\nkind="analytic"\nreps=5\ntempo=3\ncue="hold {top} s"'
    loaded = parse_plan(text, "t.toml", "t")
    assert loaded.plan.steps[0].cue_text == "hold ? s"


def test_a_drill_step_keeps_the_drills_phases_scaled_to_a_plain_tempo() -> None:
    from gluteterm.core.plan_file import plan_document
    from gluteterm.store.drills import DrillLibrary
    from tests.support import REPO

    library = DrillLibrary(REPO / "gluteterm" / "drills", None)
    assert library["side-lying-abduction"].default.phases == (1, 2, 1)
    text = 'title="T"\n[[step]]\ndrill="side-lying-abduction"\nreps=10\ntempo=2'
    plan = parse_plan(text, "t.toml", "t", drills=library).plan
    step = plan.steps[0]
    assert step.rep_phases() == (0.5, 1.0, 0.5) and step.top == 1
    assert plan_document(plan)["step"][0]["tempo"] == 2  # the drill's shape: written as a number
    own = parse_plan(text.replace("tempo=2", "tempo=[1, 1, 1]"), "t.toml", "t", drills=library)
    assert plan_document(own.plan)["step"][0]["tempo"] == [1, 1, 1]
    assert own.plan.steps[0].top == 1


def test_a_step_may_say_its_position_and_which_side_goes_first() -> None:
    text = (
        'title="T"\n[[step]]\nname="A"\nkind="stability"\nhold=5\nper_side=true\n'
        'position="kneeling"\nfirst_side="right"'
    )
    step = parse_plan(text, "t.toml", "t").plan.steps[0]
    assert step.position == "kneeling" and step.sides == ("right", "left")
    for key, value in (("position", '"upside-down"'), ("first_side", '"middle"')):
        bad = f'title="T"\n[[step]]\nname="A"\nkind="stability"\nhold=5\n{key}={value}'
        with pytest.raises(PlanError) as caught:
            parse_plan(bad, "t.toml", "t")
        assert caught.value.errors[0].key == key
