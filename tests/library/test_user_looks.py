"""A user's .cube file imported into the library is listed, usable by id, and applied as written."""
import numpy as np
import pytest

from studio.effects.chain import EffectChain
from studio.library.errors import LibraryError
from studio.library.looks import Lut3D, get_look, import_look, list_looks, load_lut, write_cube
from studio.model import EffectRef


@pytest.fixture
def user_data(tmp_path, monkeypatch):
    monkeypatch.setenv("STUDIO_USER_DATA", str(tmp_path / "userdata"))
    return tmp_path


def _invert_lut(path):
    lut = Lut3D.identity(9)
    write_cube(Lut3D(1.0 - lut.table, title="invert"), path)


def test_imported_look_is_listed_and_applies(user_data):
    source = user_data / "My Invert!.cube"
    _invert_lut(source)
    look = import_look(source)
    assert look.id == "my_my_invert"
    assert look.id in [lk.id for lk in list_looks()]
    assert get_look(look.id).path.read_text() == source.read_text()
    rgb = np.full((4, 4, 3), (200, 100, 30), np.uint8)
    out = load_lut(look.id).apply(rgb)
    assert np.abs(out.astype(int) - (255 - rgb.astype(int))).max() <= 3
    # the effect chain resolves it by id too, as a project file would
    chained = EffectChain([EffectRef("look", {"name": look.id, "intensity": 1.0})]).apply(rgb, frame_index=0, time=0.0)
    assert np.abs(chained.astype(int) - (255 - rgb.astype(int))).max() <= 3


def test_malformed_import_is_refused_and_not_copied(user_data):
    bad = user_data / "bad.cube"
    bad.write_text("LUT_3D_SIZE 2\n0 0 0\nnot numbers here\n")
    with pytest.raises(LibraryError, match="line 3"):
        import_look(bad)
    assert not any(lk.id.startswith("my_") for lk in list_looks())
