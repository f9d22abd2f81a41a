"""The drill library: shipped drills, their ladders, the parser's messages, the lazy store."""

from __future__ import annotations

import dataclasses
import os
import re
import textwrap
from pathlib import Path

import pytest
import tomli_w

from gluteterm.core.drill import Drill, DrillError, at_level, fill_dose, ladder, parse_drill
from gluteterm.core.edit import change, validate
from gluteterm.core.errors import PlanError
from gluteterm.core.loader import parse_plan
from gluteterm.core.plan import Kind
from gluteterm.core.plan_file import plan_document
from gluteterm.core.timeline import plan_seconds
from gluteterm.store import paths
from gluteterm.store.drills import DrillLibrary, default_library
from gluteterm.store.plans import discover
from tests.support import REPO

SHIPPED = REPO / "gluteterm" / "drills"
REQUIRED = (
    "foam-roll-glutes", "foam-roll-hip-flexors", "foam-roll-lateral-hip", "spiderman-lunge",
    "squat-to-stand", "90-90-hip-switch", "lateral-lunge", "half-kneeling-hip-flexor-stretch",
    "figure-4-stretch", "prone-hip-extension", "side-lying-abduction",
    "banded-side-lying-abduction", "standing-band-abduction", "clamshell", "glute-bridge",
    "single-leg-bridge", "bridge-on-ball", "single-leg-bridge-hold", "monster-walk",
    "lateral-band-walk", "single-leg-stance-band", "skater-bound", "lateral-hop", "broad-jump",
    # The self-assessment's four tests (core/assessment.py).
    "single-leg-bridge-box", "single-leg-stance", "single-leg-squat-chair", "side-plank",
)  # fmt: skip

GOOD = """
version = 1
name = "Wall sit"
kind = "stability"
equipment = []
muscles = ["quadriceps"]
how = ["Back on the wall", "Slide down to a chair height", "Hold {hold} s, {sets} times"]
feel = "Thighs"

[default]
hold = 30

[[faults]]
fault = "Knees cave in"
fix = "Knees over the toes"
flag = "knees"
"""


def library() -> DrillLibrary:
    return DrillLibrary(SHIPPED, None)


def write(folder: Path, drill_id: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{drill_id}.toml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def errors(text: str, drill_id: str = "wall-sit") -> list[str]:
    with pytest.raises(DrillError) as info:
        parse_drill(text, "wall-sit.toml", drill_id)
    return [str(p) for p in info.value.errors]


# --- the shipped library ----------------------------------------------------------------


def test_every_required_drill_ships_and_loads_with_how_feel_and_a_fault() -> None:
    lib = library()
    for drill_id in REQUIRED:
        drill = lib[drill_id]
        assert 3 <= len(drill.how) <= 6, drill_id
        assert all(len(fill_dose(line, drill.default)) <= 60 for line in drill.how), drill_id
        assert drill.feel and drill.faults, drill_id
        assert all(f.fix for f in drill.faults)
    assert lib.problems() == []


def test_every_ladder_link_resolves_is_mutual_and_has_no_cycle() -> None:
    lib = library()
    for drill_id in lib:
        drill = lib[drill_id]
        if drill.harder is not None:
            assert lib[drill.harder].easier == drill_id
        if drill.easier is not None:
            assert lib[drill.easier].harder == drill_id
        rungs = ladder(drill_id, lib)
        assert len(set(rungs)) == len(rungs) and drill_id in rungs
        assert lib[rungs[0]].easier is None and lib[rungs[-1]].harder is None


def test_the_methods_ladders_are_modelled() -> None:
    lib = library()
    assert ladder("single-leg-bridge", lib) == (
        "glute-bridge",
        "single-leg-bridge",
        "bridge-on-ball",
    )
    assert ladder("lateral-band-walk", lib) == (
        "monster-walk", "lateral-band-walk", "lateral-band-walk-feet",
    )  # fmt: skip
    assert ladder("standing-band-abduction", lib) == (
        "side-lying-abduction", "banded-side-lying-abduction", "standing-band-abduction",
    )  # fmt: skip
    assert [lib[i].setup for i in ladder("monster-walk", lib)] == [
        "Mini band just above the knees", "Mini band around the ankles",
        "Mini band around the front of both feet",
    ]  # fmt: skip


def test_ladder_errors_name_the_broken_link() -> None:
    lib = {d.id: d for d in (library()[i] for i in ("glute-bridge", "single-leg-bridge"))}
    with pytest.raises(DrillError, match=r"bridge-on-ball.*not in the library"):
        ladder("glute-bridge", lib)
    one_way = dataclasses.replace(lib["glute-bridge"], harder="single-leg-bridge")
    lib2 = {"glute-bridge": one_way, "single-leg-bridge": dataclasses.replace(
        lib["single-leg-bridge"], easier=None, harder=None)}  # fmt: skip
    with pytest.raises(DrillError, match="links go both ways"):
        ladder("glute-bridge", lib2)
    a = dataclasses.replace(lib["glute-bridge"], id="a", easier="b", harder="b")
    b = dataclasses.replace(lib["glute-bridge"], id="b", easier="a", harder="a")
    with pytest.raises(DrillError, match="loops"):
        ladder("a", {"a": a, "b": b})


# --- the parser ---------------------------------------------------------------------------


FIGURE = """
[figure]
view = "side"
start = "down"
top = "up"
[figure.poses.down]
trunk = 0
[figure.poses.up]
trunk = 10
"""


def test_a_good_drill_parses_with_its_figure() -> None:
    drill = parse_drill(GOOD + FIGURE, "w.toml", "wall-sit")
    assert drill.kind is Kind.STABILITY and drill.default.hold == 30 and drill.default.sets == 1
    assert drill.faults[0].flag == "knees" and drill.cue == "Back on the wall"
    assert drill.figure is not None and drill.figure.view == "side"
    assert fill_dose(drill.how[2], drill.default) == "Hold 30 s, 1 times"


def test_a_broken_figure_is_a_drill_error_naming_the_key() -> None:
    with pytest.raises(DrillError, match=r"w.toml: 'figure': .*trunk"):
        parse_drill(GOOD + FIGURE.replace("trunk = 10", 'trunk = "up"'), "w.toml", "wall-sit")


@pytest.mark.parametrize(
    ("change_", "expected"),
    [
        (("kind = \"stability\"", "kind = \"stabilty\""), "'kind': expected one of .* did you mean 'stability'"),
        (("feel = \"Thighs\"", "feal = \"Thighs\""), "'feal': unknown key in this drill; did you mean 'feel'"),
        (("hold = 30", "hold = 30\nreps = 3"), "'default': expected either 'hold'"),
        (("hold = 30", "hodl = 30"), "'default.hodl': unknown key in \\[default\\]; did you mean 'hold'"),
        (("hold = 30", "hold = 9000"), "'default.hold': expected a whole number of seconds from 1 to 600"),
        (("flag = \"knees\"", "flag = \"knee\""), "'faults\\[1\\].flag': expected one of .* did you mean 'knees'"),
        (("version = 1", "version = 3"), "'version': expected 2"),
        (("version = 1\n", ""), "'version': is missing"),
        (("how = [\"Back on the wall\", ", "how = ["), "'how': expected 3 to 6 lines, found 2"),
        (("equipment = []", "equipment = []\nharder = \"wall-sit\""), "'harder': names this drill itself"),
        (("[[faults]]", "[[fault]]"), "'faults': is missing"),
    ],
)  # fmt: skip
def test_a_broken_drill_names_file_and_key(change_: tuple[str, str], expected: str) -> None:
    old, new = change_
    assert old in GOOD
    found = errors(GOOD.replace(old, new, 1))
    assert found and all(line.startswith("wall-sit.toml: ") for line in found)
    assert any(re.search(expected, line) for line in found), found


def test_a_file_name_that_is_not_an_id_is_refused() -> None:
    assert "file name is its id" in errors(GOOD, "Wall Sit")[0]


def test_a_stretch_default_over_the_limit_is_refused() -> None:
    text = GOOD.replace('kind = "stability"', 'kind = "stretch"').replace(
        "hold = 30", "hold = 40\nsets = 2"
    )
    assert any("over the 60 s limit" in e for e in errors(text))


def test_at_level_takes_the_drill_and_its_own_dose() -> None:
    lib = library()
    plan = parse_plan('title = "T"\n[[step]]\ndrill = "glute-bridge"\nreps = 12\ntempo = 3\n',
                      "t.toml", "t", drills=lib).plan  # fmt: skip
    step = at_level(plan.steps[0], lib["single-leg-bridge"])
    # 12 bridges on both feet are not 12 on one leg: the harder drill brings its own dose
    assert (step.name, step.per_side, step.reps, step.tempo) == ("Single-leg bridge", True, 6, 4)
    assert step.drill == "single-leg-bridge" and step.ladder == plan.steps[0].ladder
    assert "6 each side" in fill_dose(lib["single-leg-bridge"].how[3], step)


# --- plans that name drills -------------------------------------------------------------


def test_a_plan_written_elsewhere_with_only_drill_and_dose_loads_with_the_drills_text() -> None:
    text = 'title = "Mine"\n[[step]]\ndrill = "monster-walk"\nreps = 16\n[[step]]\ndrill = "clamshell"\n'
    loaded = parse_plan(text, "mine.toml", "mine", drills=library())
    walk, clam = loaded.plan.steps
    assert (walk.name, walk.kind, walk.equipment) == (
        "Monster walk, band at knees",
        Kind.STABILITY,
        ("mini band",),
    )
    assert walk.cue_text == "Walk 16 steps: half one way, half back"
    assert (walk.reps, walk.tempo, walk.sets, walk.rest) == (16, None, 1, None)  # its own dose
    assert walk.ladder == ("monster-walk", "lateral-band-walk", "lateral-band-walk-feet")
    assert (clam.reps, clam.tempo, clam.per_side) == (12, 2.5, True)  # the drill's default dose
    # the only remark: an analytic drill after a stability one leaves the method's order
    [remark] = loaded.warnings
    assert remark.key == "kind" and "the method goes release, mobility" in remark.message


def test_fit_and_edits_keep_the_cue_numbers_true() -> None:
    plan = parse_plan('title = "T"\n[[step]]\ndrill = "monster-walk"\nreps = 20\n',
                      "t.toml", "t", drills=library()).plan  # fmt: skip
    edited = change(plan, 0, "reps", -1).plan
    assert edited.steps[0].cue_text == "Walk 19 steps: half one way, half back"


def test_unknown_drill_is_an_error_with_did_you_mean_and_a_kind_clash_a_warning() -> None:
    with pytest.raises(
        PlanError, match="no drill called 'monster-wlak'; did you mean 'monster-walk'"
    ):
        parse_plan(
            'title = "T"\n[[step]]\ndrill = "monster-wlak"\nreps = 5\n',
            "t.toml",
            "t",
            drills=library(),
        )
    loaded = parse_plan('title = "T"\n[[step]]\ndrill = "monster-walk"\nkind = "mobility"\nreps = 5\n',
                        "t.toml", "t", drills=library())  # fmt: skip
    assert "the drill 'monster-walk' is stability" in str(loaded.warnings[0])
    assert loaded.plan.steps[0].kind is Kind.MOBILITY


def test_a_step_with_drill_and_levels_is_refused() -> None:
    with pytest.raises(PlanError, match="'levels': a step with 'drill'"):
        parse_plan('title = "T"\n[[step]]\ndrill = "glute-bridge"\nreps = 5\nlevels = ["a", "b"]\n',
                   "t.toml", "t", drills=library())  # fmt: skip


def test_steps_override_the_drill_and_the_document_keeps_only_what_differs() -> None:
    text = (
        'title = "T"\n[[step]]\ndrill = "single-leg-bridge"\nname = "My bridge"\n'
        'per_side = false\nreps = 8\ncue = "Mine"\n'
    )
    plan = parse_plan(text, "t.toml", "t", drills=library()).plan
    step = plan.steps[0]
    assert (step.name, step.per_side, step.cue) == ("My bridge", False, "Mine")
    [doc] = plan_document(plan)["step"]
    assert doc == {
        "drill": "single-leg-bridge",
        "name": "My bridge",
        "reps": 8,
        "per_side": False,
        "cue": "Mine",
    }
    assert validate(plan).plan == plan


def test_shipped_sessions_name_drills_and_keep_their_length() -> None:
    lengths = {e.id: plan_seconds(e.plan) for e in discover(REPO / "sessions", None) if e.plan}
    assert lengths == {
        "unlock-and-activate": 1100.0,  # with a raise before the jumps, 6 bounds a set
        "glute-medius": 918.0,  # with a raise; the hops are one leg at a time now
        "quick": 494.0,  # with a raise; 6 bounds, not 10
        "before-a-run": 565.0,
        "before-a-sport": 609.0,
        "before-lifting": 746.0,
    }
    for entry in discover(REPO / "sessions", None):
        assert entry.plan is not None and entry.warnings == ()
        assert all(step.drill for step in entry.plan.steps)
        reloaded = parse_plan(tomli_w.dumps(plan_document(entry.plan)), "x.toml", entry.id,
                              drills=entry.plan.drills)  # fmt: skip
        assert reloaded.plan == entry.plan


def test_a_broken_drill_makes_only_the_steps_that_use_it_fail() -> None:
    write(paths.user_drills_dir(), "clamshell", "version = 1\nname = 3\n")
    lib = default_library()
    with pytest.raises(PlanError) as info:
        parse_plan('title = "T"\n[[step]]\ndrill = "clamshell"\n', "t.toml", "t", drills=lib)
    mine = paths.user_drills_dir() / "clamshell.toml"  # the user's file is named: fix it there
    assert f"the drill 'clamshell' in {mine} cannot be used: 'name': expected text" in str(
        info.value
    )
    ok = parse_plan('title = "T"\n[[step]]\ndrill = "glute-bridge"\n', "t.toml", "t", drills=lib)
    assert ok.plan.steps[0].name == "Glute bridge"


# --- the store ----------------------------------------------------------------------------


def test_user_drill_shadows_shipped() -> None:
    write(paths.user_drills_dir(), "clamshell", GOOD)
    write(paths.user_drills_dir(), "wall-sit", GOOD)
    lib = default_library()
    assert lib["clamshell"].name == "Wall sit" and lib.shadows_shipped("clamshell")
    assert lib.is_user("wall-sit") and not lib.shadows_shipped("wall-sit")
    assert not lib.is_user("glute-bridge") and "wall-sit" in lib


def test_the_library_parses_only_what_is_asked_for() -> None:
    lib = library()
    assert len(lib) >= 24 and "monster-walk" in lib and lib.parses == 0
    lib["monster-walk"]
    lib["monster-walk"]
    assert lib.parses == 1
    parse_plan('title = "T"\n[[step]]\ndrill = "single-leg-bridge"\n', "t.toml", "t", drills=lib)
    assert lib.parses == 4  # the drill and the two others on its ladder


def test_a_broken_file_is_reported_once_and_never_crashes() -> None:
    folder = paths.user_drills_dir()
    write(folder, "binary", "")
    (folder / "binary.toml").write_bytes(b"\x00\x01")
    (folder / "folder.toml").mkdir()
    if hasattr(os, "mkfifo"):
        os.mkfifo(folder / "pipe.toml")
    lib = default_library()
    with pytest.raises(DrillError, match=r"binary.toml: is a binary file"):
        lib["binary"]
    with pytest.raises(DrillError, match=r"folder.toml: is a folder"):
        lib["folder"]
    if hasattr(os, "mkfifo"):
        with pytest.raises(DrillError, match=r"pipe.toml: is a FIFO"):
            lib["pipe"]
    problems = [str(p) for p in lib.problems()]
    assert any("binary.toml" in p for p in problems) and any("folder.toml" in p for p in problems)


def test_drill_dataclasses_are_frozen() -> None:
    drill: Drill = library()["clamshell"]
    with pytest.raises(dataclasses.FrozenInstanceError):
        drill.name = "x"  # type: ignore[misc]


def test_a_cue_number_the_dose_cannot_fill_is_a_warning() -> None:
    loaded = parse_plan('title = "T"\n[[step]]\ndrill = "monster-walk"\nhold = 30\n',
                        "t.toml", "t", drills=library())  # fmt: skip
    assert "'cue': warning: the cue uses {reps}" in str(loaded.warnings[0])
    assert loaded.plan.steps[0].cue_text == "Walk ? steps: half one way, half back"
    with pytest.raises(
        PlanError, match="'tempo' paces reps; the drill 'figure-4-stretch' is timed"
    ):
        parse_plan('title = "T"\n[[step]]\ndrill = "figure-4-stretch"\ntempo = 2\n[[step]]\n'
                   'drill = "glute-bridge"\n', "t.toml", "t", drills=library())  # fmt: skip
