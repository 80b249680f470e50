"""Face effect thumbnails show the engine's effect on a real face (scikit-image's portrait), not a badge."""
import numpy as np
import pytest

pytest.importorskip("skimage")

from studio.ui.thumbnails import _face_picture, effect_on_face  # noqa: E402


def test_face_effects_change_the_face_where_they_act():
    crop, tracking = _face_picture(96, 128)
    plain = np.asarray(__import__("cv2").resize(crop, (96, 128), interpolation=3), dtype=np.int16)
    x0, y0, x1, y1 = (v / 3 for v in tracking.faces[0].box)        # the face, at thumbnail size
    eyes = (slice(int(y0 + (y1 - y0) * 0.25), int(y0 + (y1 - y0) * 0.55)), slice(int(x0), int(x1)))
    sunglasses = effect_on_face("face_sticker", (96, 128)).astype(np.int16)
    assert sunglasses[eyes].mean() < plain[eyes].mean() - 25      # dark glasses over the eyes
    corner = (slice(0, 20), slice(0, 15))
    replaced = effect_on_face("background_replace", (96, 128)).astype(np.int16)
    assert np.abs(replaced[corner] - plain[corner]).mean() > 30 and np.abs(replaced[eyes] - plain[eyes]).mean() < 12
    cut = effect_on_face("remove_background", (96, 128)).astype(np.int16)
    assert cut[corner].std() > 10                                 # a checkerboard where the background went
    for effect, least in (("beauty", 3), ("big_eyes", 20), ("slim_face", 20)):  # smoothing is subtle when small
        assert np.abs(effect_on_face(effect, (96, 128)).astype(np.int16) - plain).max() >= least, effect
