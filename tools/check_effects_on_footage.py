"""Check AR effects on real webcam footage the tests never see (all of ../shared/media): `studio quick`
with face_sticker changes the pixels around the eyes and not the wall; background_blur changes the
background more than the person. Prints mean absolute differences per clip (0-255 levels).

    python tools/check_effects_on_footage.py
"""
import json
import subprocess
import sys
import tempfile
from pathlib import Path

import av
import numpy as np

from studio.tracking.tracker import Tracker

MEDIA = Path(__file__).resolve().parents[2] / 'shared' / 'media'
WORK = Path(tempfile.mkdtemp(prefix='studio-fx-check-'))


def frames(p):
    with av.open(p) as c:
        return [f.to_ndarray(format='rgb24') for f in c.decode(video=0)]
res = {}
for name in ['again','book','thanks','yes']:
    src = str(MEDIA / f'webcam_{name}.mkv')
    outs = {}
    for tag, fx in [('plain', []), ('sticker', ['--effect','face_sticker:sticker=ar_sunglasses']), ('blur', ['--effect','background_blur:strength=0.8'])]:
        out = str(WORK / f'{name}_{tag}.mp4')
        subprocess.run([sys.executable,'-m','studio','quick',src,'-o',out,'--quality','high','--no-check',*fx], check=True, capture_output=True)
        outs[tag] = frames(out)
    # eye positions from tracking the plain export
    tr = Tracker(frozenset({'face'}), smooth=False)
    eye_d, bg_d, eye_n = [], [], 0
    blur_bg, blur_person = [], []
    for i in range(0, len(outs['plain']), 10):
        p, s, b = outs['plain'][i].astype(int), outs['sticker'][i].astype(int), outs['blur'][i].astype(int)
        t = tr.track(outs['plain'][i].copy(), i/30, needs=frozenset({'face','segmentation'}))
        if not t.faces: continue
        l, r = t.faces[0].eye_centres()
        d = t.faces[0].inter_eye_distance
        for e in (l, r):
            x, y = int(e[0]), int(e[1]); k = int(d*0.15)
            eye_d.append(np.abs(s[y-k:y+k, x-k:x+k] - p[y-k:y+k, x-k:x+k]).mean())
        bg_d.append(np.abs(s[:200, :150] - p[:200, :150]).mean())  # top-left corner: wall
        mask = t.person_mask.at((p.shape[1], p.shape[0])) if t.person_mask is not None else None
        if mask is not None:
            m = mask > 200; bgm = mask < 30
            blur_person.append(np.abs(b - p)[m].mean()); blur_bg.append(np.abs(b - p)[bgm].mean())
    res[name] = dict(eye_change=round(float(np.mean(eye_d)),1), wall_change_sticker=round(float(np.mean(bg_d)),2),
                     blur_bg_change=round(float(np.mean(blur_bg)),1), blur_person_change=round(float(np.mean(blur_person)),1))
print(json.dumps(res, indent=1))
