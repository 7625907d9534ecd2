"""The metronome's audible tick: a short click through Qt Multimedia, or the system beep without it.

Qt Multimedia (PySide6-Addons) needs the PulseAudio client library and an audio output. A clinic PC
without either — or the offscreen test platform — must still run the metronome, so every step that
can fail (the import, the devices, the sound file) falls back to :meth:`QApplication.beep`, and the
visual pulse carries the beat either way. The click itself is written once as a WAV file in a
temporary folder (a 25 ms 1.5 kHz tone burst), so the package ships no audio file.
"""

from __future__ import annotations

import logging
import math
import struct
import tempfile
import wave
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QUrl
from PySide6.QtWidgets import QApplication

log = logging.getLogger(__name__)

SAMPLE_RATE = 44_100
CLICK_MS = 25
CLICK_HZ = 1_500


def write_click(path: Path) -> Path:
    """Write the tick as a mono 16-bit WAV: a tone burst with a quick fade, so it never pops."""
    frames = SAMPLE_RATE * CLICK_MS // 1000
    samples = bytearray()
    for i in range(frames):
        envelope = math.exp(-6.0 * i / frames)
        value = int(0.6 * 32767 * envelope * math.sin(2 * math.pi * CLICK_HZ * i / SAMPLE_RATE))
        samples += struct.pack("<h", value)
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(SAMPLE_RATE)
        out.writeframes(bytes(samples))
    return path


def _sound_effect(parent: QObject) -> Any:
    """Return a ready QSoundEffect, or None when Qt Multimedia or an audio output is missing."""
    try:
        from PySide6.QtMultimedia import QMediaDevices, QSoundEffect  # optional: needs libpulse
    except ImportError as exc:  # the library is absent: no sound, the beep and the pulse remain
        log.info("metronome: Qt Multimedia unavailable (%s); using the system beep", exc)
        return None
    try:
        if not QMediaDevices.audioOutputs():
            log.info("metronome: no audio output; using the system beep")
            return None
        folder = Path(tempfile.mkdtemp(prefix="runready-tick-"))
        effect = QSoundEffect(parent)
        effect.setSource(QUrl.fromLocalFile(str(write_click(folder / "tick.wav"))))
        effect.setVolume(0.8)
        return effect
    except (OSError, RuntimeError) as exc:
        log.warning("metronome: the click could not be prepared (%s); using the system beep", exc)
        return None


class TickSound(QObject):
    """Plays one tick per beat; :attr:`kind` says how (``"click"``, ``"beep"`` or ``"muted"``)."""

    def __init__(self, parent: QObject | None = None, *, audio: bool = True) -> None:
        """Prepare the sound.

        Args:
            parent: the owner (the runner window).
            audio: False to skip Qt Multimedia altogether (the system beep only).
        """
        super().__init__(parent)
        self._effect = _sound_effect(self) if audio else None
        self.muted = False
        self.played = 0

    @property
    def kind(self) -> str:
        """How a tick sounds now."""
        if self.muted:
            return "muted"
        return "click" if self._effect is not None else "beep"

    def play(self) -> None:
        """Sound one tick (nothing when muted); never raises."""
        if self.muted:
            return
        self.played += 1
        if self._effect is not None:
            self._effect.play()
        else:
            QApplication.beep()
