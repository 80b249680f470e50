"""Fuzzing project loading and export with Hypothesis, bounded in examples and time.

Loading: any JSON at all, and a valid project with any field replaced by any JSON value, either
loads or raises ProjectError with one line. Export: a project that loads either exports to a file
of the promised length or fails with one of the user-error types — never anything else."""
from __future__ import annotations

import copy
import json
import tempfile
from pathlib import Path

import av
import pytest
from hypothesis import HealthCheck, event, given, settings, strategies as st

from hostile_cases import base_project
from studio.cli import _user_errors
from studio.model import Project, ProjectError, project_from_dict
from studio.render.export import ExportOptions, export_project

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=40),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=12,
)
# values that are plausible for the fields (so export is reached often), and hostile ones
WORDS = st.sampled_from(["fade", "pop", "none", "fit_blur", "classic", "neon", "heart_red", "sunny-pop",
                         "30000/1001", "1/2", "", "x", "Hello 👋 Привет"])
NEAR = st.one_of(st.integers(-5, 120), st.floats(-3, 3, allow_nan=False), WORDS)


def _paths(data, prefix=()):
    """Every (path) to a leaf or container in the project data."""
    yield prefix
    if isinstance(data, dict):
        for k, v in data.items():
            yield from _paths(v, (*prefix, k))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            yield from _paths(v, (*prefix, i))


FIXED = ("schema", "version", "type", "kind", "id")  # mutating these only tests the refusals again


def _get(data, path):
    for key in path:
        data = data[key]
    return data


def _like(value):
    """Mostly values of the field's own type (so the export is reached), sometimes anything."""
    if isinstance(value, bool):
        typed = st.booleans()
    elif isinstance(value, int):
        typed = st.integers(0, 40) | st.integers(-5, 200)
    elif isinstance(value, float):
        typed = st.floats(-3, 3, allow_nan=False) | st.floats(-12, 12, allow_nan=False)
    elif isinstance(value, str):
        typed = WORDS
    else:
        typed = NEAR
    return st.one_of(typed, typed, typed, typed, typed, NEAR)


def _replace(data, path, value):
    data = copy.deepcopy(data)
    if not path:
        return value
    target = data
    try:
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value
    except (KeyError, IndexError, TypeError):  # an earlier mutation replaced a container on the path
        pass
    return data


@pytest.fixture(scope="module")
def base(tmp_path_factory, mediagen):
    folder = tmp_path_factory.mktemp("fuzz")
    clip = mediagen.write_clip(folder / "clip.mp4", seconds=1.0)
    sound = mediagen.write_clip(folder / "sound.mp4", seconds=1.0, size=(64, 48))
    data = base_project(clip, sound)
    return folder, data, sorted(_paths(data), key=lambda p: (len(p), repr(p)))  # () first


def _load(data, folder: Path):
    try:
        return project_from_dict(json.loads(json.dumps(data)), folder)
    except ProjectError as exc:
        assert "\n" not in str(exc) and str(exc)
        return None


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.data())
def test_loading_any_mutation_is_a_project_or_one_line(base, data):
    folder, project, paths = base
    path = data.draw(st.sampled_from(paths))
    value = data.draw(st.one_of(JSON, NEAR))
    loaded = _load(_replace(project, path, value), folder)
    assert loaded is None or loaded.duration >= 0


@settings(max_examples=200, deadline=None)
@given(JSON)
def test_loading_any_json_is_a_project_or_one_line(value):
    loaded = _load(value, Path("/nonexistent"))
    assert loaded is None or isinstance(loaded, Project)


@pytest.mark.timeout(600)
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                  HealthCheck.too_slow])
@given(st.data())
def test_exporting_a_mutated_project_succeeds_or_is_a_user_error(base, tmp_path, data):
    folder, project, paths = base
    mutated = project
    leaves = [p for p in paths if not isinstance(_get(project, p), (dict, list)) and p[-1] not in FIXED]
    for _ in range(data.draw(st.integers(1, 3))):
        path = data.draw(st.sampled_from(leaves))
        mutated = _replace(mutated, path, data.draw(_like(_get(project, path))))
    loaded = _load(mutated, folder)
    if loaded is None or loaded.duration_seconds > 7:
        event("refused at load or too long")
        return  # refused at load (checked above), or too long to export in a fuzz loop
    # a folder of its own per example: tmp_path is shared by all of them, and a drawn file name can
    # repeat (shrinking draws 0 again), so an earlier example's output would look like this one's
    out = Path(tempfile.mkdtemp(dir=tmp_path)) / "fuzz.mp4"
    try:
        result = export_project(loaded, out, ExportOptions(quality="draft", preflight=False, cover=False))
    except _user_errors() as exc:
        event(f"export refused: {type(exc).__name__}")
        assert "\n" not in " ".join(str(exc).split()) and str(exc)
        assert not out.exists()
        return
    event("exported")
    with av.open(str(out)) as c:
        frames = sum(1 for _ in c.decode(video=0))
    assert frames == result.frames
    assert json.loads(out.with_suffix(".json").read_text())["duration"] == pytest.approx(result.duration, abs=0.01)
