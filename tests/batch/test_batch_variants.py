"""`studio batch PROJECT --variants FILE`: every variant x preset with its own hook, texts, caption and
sound (checked in the decoded pictures and sound against renders of each variant), a bad table
refused before anything renders with one line naming row and column, and the batch report."""
from __future__ import annotations

import json
from pathlib import Path

import av
import numpy as np
import pytest

from studio.cli import main


@pytest.fixture(scope="module")
def project(tmp_path_factory, mediagen) -> Path:
    from studio.model import save_project
    from studio.quick import build_quick_project

    folder = tmp_path_factory.mktemp("variants")
    clip = mediagen.write_clip(folder / "clip.mp4", seconds=2, audio=None)
    return save_project(build_quick_project([str(clip)], texts=["Original hook", "Second line"], caption="Base",
                                            name="camp"), folder / "camp.studio")


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("table, expected", [
    ("name,hook,colour\nA,x,red\n", "row 1, column 'colour': not a variant column"),
    ("name,text:nope\nA,x\n", "row 1 ('A'), column 'text:nope': no text item 'nope' in the project"),
    ("name,sound\nA,lofi-study\nB,no-such-sound\n", "row 2 ('B'), column 'sound': no sound 'no-such-sound'"),
    ("name,sound\nA,missing.wav\n", "row 1 ('A'), column 'sound':"),
    ("name,look\nA,not-a-look\n", "row 1 ('A'), column 'look': unknown look 'not-a-look'"),
    ("name,cover\nA,soon\n", "row 1 ('A'), column 'cover': 'soon' is not a time"),
    ("name,hook\nA,x\nA,y\n", "row 2, column 'name': 'A' gives the same file names as row 1"),
])
def test_a_bad_table_is_one_line_before_anything_renders(project, tmp_path, capsys, table, expected):
    table_file = _write(tmp_path / "v.csv", table)
    out_dir = tmp_path / "out"
    assert main(["batch", str(project), "--variants", str(table_file), "--out-dir", str(out_dir)]) == 3
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("studio: error: v.csv: ") and expected in err[0], err
    assert not out_dir.exists() or not any(out_dir.iterdir())


def test_json_table_reads_as_csv(project, tmp_path):
    from studio.batch.variants import read_variants, variants_csv

    table = _write(tmp_path / "v.json", json.dumps({"variants": [
        {"name": "Big sale!", "hook": "Hi", "texts": {"text-2": "Two"}, "hashtags": "#a b, c", "cover": 1.5}]}))
    variants = read_variants(table)
    assert variants[0].slug == "Big_sale" and variants[0].texts == (("text-2", "Two"),)
    assert variants[0].hashtags == ("a", "b", "c") and variants[0].cover == 1.5
    again = read_variants(_write(tmp_path / "again.csv", variants_csv(variants)))
    assert [(v.name, v.hook, v.texts, v.hashtags, v.cover) for v in again] == \
        [(v.name, v.hook, v.texts, v.hashtags, v.cover) for v in variants]


def _mono(samples: np.ndarray) -> np.ndarray:
    return samples.mean(axis=1) if samples.ndim == 2 else samples


def _corr(a: np.ndarray, b: np.ndarray) -> float:
    n = min(len(a), len(b))
    a, b = a[:n] - a[:n].mean(), b[:n] - b[:n].mean()
    return float((a * b).sum() / (np.sqrt((a * a).sum() * (b * b).sum()) + 1e-9))


def test_two_variants_by_two_presets(project, tmp_path, capsys, mediagen):
    from studio.batch.variants import apply_variant, read_variants
    from studio.media.audio import load_audio
    from studio.model import load_project
    from studio.render.canvas import RGB
    from studio.render.compositor import Renderer
    from studio.render.soundtrack import build_soundtrack

    table = _write(tmp_path / "variants.csv",
                   "name,hook,text:text-2,caption,hashtags,sound,cover\n"
                   "Sunny,BUY NOW,First offer,Sunny caption,sun hot,sunny-pop,1\n"
                   "Night,LAST CHANCE,Second offer,Night caption,#moon,night-trap,\n")
    out_dir = tmp_path / "out"
    code = main(["batch", str(project), "--variants", str(table), "--preset", "tiktok", "--preset", "shorts",
                 "--out-dir", str(out_dir), "--quality", "draft", "--json"])
    summary = json.loads(capsys.readouterr().out)
    assert code == 0, summary
    names = ["camp-Sunny-tiktok.mp4", "camp-Sunny-shorts.mp4", "camp-Night-tiktok.mp4", "camp-Night-shorts.mp4"]
    assert [Path(j["out"]).name for j in summary["jobs"]] == names
    assert [j["variant"] for j in summary["jobs"]] == ["Sunny", "Sunny", "Night", "Night"]
    assert [o["rendered_once"] for o in summary["outputs"]] == [True] * 4  # two renders, four outputs

    base = load_project(project)
    variants = {v.name: apply_variant(base, v) for v in read_variants(table)}
    frame = 40  # the hook and the second text both show
    with Renderer() as renderer:
        renders = {name: renderer.render(p, frame, (1080, 1920), RGB) for name, p in variants.items()}
    changed = np.abs(renders["Sunny"].astype(int) - renders["Night"].astype(int)).max(axis=2) > 60
    assert changed.sum() > 2000  # the two variants' texts differ in the picture
    sounds = {name: _mono(build_soundtrack(p).samples) for name, p in variants.items()}
    assert _corr(sounds["Sunny"], sounds["Night"]) < 0.5
    for job in summary["jobs"]:
        out, mine = Path(job["out"]), job["variant"]
        other = "Night" if mine == "Sunny" else "Sunny"
        picture = mediagen.decode_frames(out, [frame])[frame].astype(int)
        near = np.abs(picture - renders[mine])[changed].mean()
        far = np.abs(picture - renders[other])[changed].mean()
        assert near < 25 and far > 3 * near, (out.name, near, far)
        heard = _mono(load_audio(out))
        assert _corr(heard, sounds[mine]) > 0.9 and _corr(heard, sounds[other]) < 0.5, out.name
        with av.open(str(out)) as c:
            assert c.metadata["comment"].startswith(f"{mine} caption")
        side = json.loads(out.with_suffix(".json").read_text())
        assert side["preset"] == job["preset"] and side["sounds"][0]["id"] == ("sunny-pop" if mine == "Sunny"
                                                                                else "night-trap")

    # the report: every output's cover, name, duration and verdict
    assert Path(summary["report"]) == out_dir / "report.html"
    page = (out_dir / "report.html").read_text()
    for name in names:
        assert name in page and f'src="{name[:-4]}.cover.jpg"' in page
    assert page.count("pre-flight: passed") == 4
    from PIL import Image

    sheet = np.asarray(Image.open(out_dir / "contact_sheet.png").convert("RGB")).astype(int)
    from studio.batch import report

    for n, output in enumerate(summary["outputs"]):
        assert output["verdict"] == "passed" and output["duration"] == pytest.approx(2.0)
        cover = np.asarray(Image.open(output["cover"]).convert("RGB").resize((report.TILE_W, report.TILE_H)))
        x, y = report.GAP + n * (report.TILE_W + report.GAP), report.GAP
        tile = sheet[y:y + report.TILE_H, x:x + report.TILE_W]
        assert np.abs(tile - cover.astype(int)).mean() < 4
    # the Sunny cover is its frame at 1 s, the Night one its first frame
    assert summary["outputs"][0]["cover"] != summary["outputs"][2]["cover"]
