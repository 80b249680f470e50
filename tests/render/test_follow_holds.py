"""The follow pan's plan on its own (numbers in, numbers out): where the subject stops and only
drifts a little, the window is pinned still; the speed limit and the dead zone still hold."""
import numpy as np

from studio.render.follow import DEAD_ZONE, MAX_SPEED, crop_width, plan_path

FPS = 30
W, H = 1920, 1080


def test_a_stopped_subject_that_drifts_gets_a_window_pinned_still():
    cw = crop_width(W, H, 1080, 1920)
    t = np.arange(6 * FPS) / FPS
    # walks right for 2 s, stops and sways (a person shifting their weight) for 2.5 s, walks back
    x = np.interp(t, [0, 0.5, 2.5, 5.0, 6.0], [500, 500, 1300, 1300, 900])
    x += 0.12 * cw * np.sin(2 * np.pi * t / 1.7) * ((t > 2.5) & (t < 5.0))
    clean = x.copy()
    x += np.random.default_rng(3).normal(0, 4, len(t))  # landmark noise
    x[::2] = np.nan  # tracked on every other frame, as the export does
    path = plan_path(x, W, cw, FPS)
    stop = slice(int(3.0 * FPS), int(4.5 * FPS))
    assert np.ptp(path[stop]) < 0.01, f"window moved {np.ptp(path[stop]):.2f} px while the subject only swayed"
    assert np.abs(np.diff(path)).max() <= MAX_SPEED * cw / FPS * 1.001
    assert np.ptp(path) > 600, "the window still follows the walk"
    # the subject stays inside the dead zone (give or take the noise: 3 sigma)
    assert np.abs(clean[stop] - path[stop]).max() <= DEAD_ZONE * cw + 12
