"""The batch window's variants table: add, duplicate and delete rows, CSV out and back in, a row
previewed by applying it to the open project (which stays as it was), bad rows named."""
import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # before anything imports Qt

from pathlib import Path
from types import SimpleNamespace

import pytest

pytest.importorskip("pytestqt")


@pytest.fixture
def dialog(qtbot, tmp_path, mediagen):
    from studio.quick import build_quick_project
    from studio.ui.batch_panel import BatchDialog

    clip = mediagen.write_clip(tmp_path / "clip.mp4", seconds=1)
    project = build_quick_project([str(clip)], texts=["Original", "Second"], name="doc")
    document = SimpleNamespace(project=project, path=None, playhead=0)
    settings = SimpleNamespace(default_preset="tiktok", output_dir=tmp_path / "out")
    d = BatchDialog(document, settings)
    qtbot.addWidget(d)
    yield d
    d.shutdown()


def test_rows_csv_and_preview(dialog, tmp_path):
    from studio.model import TextItem

    dialog.add_variant_row({"name": "A", "hook": "Hook A", "caption": "first"})
    dialog.add_variant_row({"name": "B", "hook": "Hook B", "text:text-2": "Line B"})  # adds a column
    assert "text:text-2" in dialog.variant_columns()
    dialog.variants.setCurrentCell(0, 0)
    dialog.duplicate_variant_row()
    dialog.add_variant_row()
    assert [r["name"] for r in dialog.variant_rows()] == ["A", "B", "A copy", "variant-4"]
    dialog.variants.selectRow(3)
    dialog.delete_variant_rows()
    assert [r["name"] for r in dialog.variant_rows()] == ["A", "B", "A copy"]

    dialog.export_variants_csv(tmp_path / "v.csv")
    text = (tmp_path / "v.csv").read_text()
    assert text.splitlines()[0].endswith(",text:text-2") and "Line B" in text
    dialog.variants.setRowCount(0)
    dialog.import_variants_csv(tmp_path / "v.csv")
    assert [(r["name"], r["hook"], r["text:text-2"]) for r in dialog.variant_rows()] == [
        ("A", "Hook A", ""), ("B", "Hook B", "Line B"), ("A copy", "Hook A", "")]

    before = dialog.document.project
    shown = dialog.preview_variant_row(1)
    texts = {i.id: i.content for i in shown.timeline.all_items() if isinstance(i, TextItem)}
    assert texts["text-1"] == "Hook B" and texts["text-2"] == "Line B"
    assert dialog.document.project is before  # not applied to the document for good
    assert {i.content for i in before.timeline.all_items() if isinstance(i, TextItem)} == {"Original", "Second"}


def test_a_bad_row_is_named_and_nothing_starts(dialog):
    dialog.add_variant_row({"name": "A", "text:nope": "x"})
    assert dialog.preview_variant_row(0) is None
    assert "row 1 ('A'), column 'text:nope'" in dialog.summary.text()
    assert dialog.start() is False and "column 'text:nope'" in dialog.summary.text()
    assert not dialog.running
