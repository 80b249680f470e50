"""Edit ▸ Cut to beat: the main track's clips recut so that a cut lands every 1, 2 or 4 beats of a
music sound, each clip showing its liveliest part; one undo step. The recut runs off the UI thread
(it looks at the clips' motion and faces)."""
from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel

from studio.library.sounds import list_sounds
from studio.model import SoundItem

from .tasks import Tasks, one_line


def beat_sounds() -> list:
    """Music that has a beat grid (built-in beds and the creator's own imported music)."""
    return [s for s in list_sounds("music") if s.beats]


class CutToBeatDialog(QDialog):
    def __init__(self, document, parent=None):
        super().__init__(parent)
        self.setWindowTitle("Cut to beat")
        self.document = document
        self.tasks = Tasks(self)
        self.error = ""
        self.sound = QComboBox()
        sounds = beat_sounds()
        used = {i.source for i in document.project.timeline.all_items() if isinstance(i, SoundItem)}
        for sound in sounds:
            self.sound.addItem(f"{sound.title} · {sound.bpm:.0f} BPM", sound.id)
        # the project's own music, when it has some with beats
        index = next((k for k, s in enumerate(sounds) if s.id in used), 0)
        self.sound.setCurrentIndex(index)
        self.every = QComboBox()
        for n in (1, 2, 4):
            self.every.addItem(f"every {n} beat{'s' if n > 1 else ''}", n)
        self.every.setCurrentIndex(1)
        self.status = QLabel("The main track's clips are recut in order; overlays and voice-overs stay.")
        self.status.setWordWrap(True)
        self.status.setObjectName("hint")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.run)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow("Sound", self.sound)
        form.addRow("Cut", self.every)
        form.addRow(self.status)
        form.addRow(self.buttons)

    def run(self) -> bool:
        from studio.templates import cut_to_beat

        if self.tasks.running:
            return False
        sound_id, every = self.sound.currentData(), self.every.currentData()
        base = self.document.project
        self.buttons.setEnabled(False)
        self.status.setText("Finding each clip's liveliest part…")
        self.tasks.run(cut_to_beat, base, sound_id, every, name="cut-to-beat",
                       on_done=lambda project: self._done(base, project, every),
                       on_failed=self._failed)
        return True

    def _done(self, base, project, every: int) -> None:
        self.buttons.setEnabled(True)
        if self.document.project is not base:  # edited meanwhile: never overwrite that
            self._failed(RuntimeError("the project changed while cutting; try again"))
            return
        self.document.replace(f"Cut to beat (every {every} beat{'s' if every > 1 else ''})", project)
        self.accept()

    def _failed(self, exc) -> None:
        self.buttons.setEnabled(True)
        self.error = one_line(exc)
        self.status.setText(f"⛔ {self.error}")

    def shutdown(self) -> None:
        self.tasks.wait_all(timeout=60)
