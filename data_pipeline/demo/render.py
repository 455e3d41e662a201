"""Render demo clips from the FluidR3 General MIDI soundfont with the fluidsynth command line.

Many clips go into one MIDI file, each in its own time slot, so the soundfont is loaded once
per batch; the rendered track is cut back into clips.
"""

import shutil
import subprocess
import tempfile
from pathlib import Path

import mido
import numpy as np
import soundfile as sf

from data_pipeline.demo.instruments import KIT_CHANNEL
from data_pipeline.demo.score import Clip
from plumbing.errors import DataError

SOUNDFONT = Path("/usr/share/sounds/sf2/FluidR3_GM.sf2")
SLOT_SECONDS = 4.0  # 3 s clip + 1 s for the last release to die away (a reverb tail leaks at about -45 dB)
TICKS_PER_SECOND = 960  # 480 ticks per beat at the default 120 bpm
MELODIC_CHANNELS = [c for c in range(16) if c != KIT_CHANNEL]
RESET_CONTROLLERS = 121


def check_tools() -> None:
    """Fail with the package to install when fluidsynth or the soundfont is missing."""
    if shutil.which("fluidsynth") is None:
        raise DataError("fluidsynth not found: `apt-get install fluidsynth fluid-soundfont-gm`, or pass --synthetic")
    if not SOUNDFONT.exists():
        raise DataError(f"soundfont {SOUNDFONT} not found: `apt-get install fluid-soundfont-gm`, or pass --synthetic")


def clip_events(clip: Clip, slot: int) -> list[tuple[float, mido.Message]]:
    """Timed MIDI messages of one clip in its slot, on a channel of its own (drum kits on channel 10); a
    course's second string plays on a channel half the cycle away, so neighbouring slots never share one."""
    start = slot * SLOT_SECONDS
    channel = KIT_CHANNEL if clip.percussion else MELODIC_CHANNELS[slot % len(MELODIC_CHANNELS)]
    events = string_events(clip, start, channel, 0, 0.0)
    if clip.course is not None:
        second = MELODIC_CHANNELS[(slot + len(MELODIC_CHANNELS) // 2) % len(MELODIC_CHANNELS)]
        events += string_events(clip, start, second, *clip.course)
    return events


def string_events(
    clip: Clip, start: float, channel: int, detune: int, delay: float
) -> list[tuple[float, mido.Message]]:
    """The clip's messages on one channel, its pitch wheel offset by `detune` and its notes `delay` seconds late."""
    events = [
        (start, mido.Message("control_change", channel=channel, control=RESET_CONTROLLERS)),
        (start, mido.Message("pitchwheel", channel=channel, pitch=detune)),
        (start, mido.Message("program_change", channel=channel, program=clip.program)),
    ]
    events += [
        (start + t, mido.Message("control_change", channel=channel, control=c, value=v)) for t, c, v in clip.controls
    ]
    for note in clip.notes:
        on = start + 0.001 + delay + note.onset
        events.append((on, mido.Message("note_on", channel=channel, note=note.key, velocity=note.velocity)))
        events.append((on + note.length, mido.Message("note_off", channel=channel, note=note.key)))
    events += [
        (
            start + 0.001 + delay + t,
            mido.Message("pitchwheel", channel=channel, pitch=int(np.clip(p + detune, -8192, 8191))),
        )
        for t, p in clip.bends
    ]
    # All-sound-off after the clip's window, so a long ring never reaches the next slot.
    events.append((start + SLOT_SECONDS - 0.3, mido.Message("control_change", channel=channel, control=120)))
    return events


def build_midi(clips: list[Clip]) -> mido.MidiFile:
    """One single-track MIDI file holding every clip in consecutive slots."""
    events = sorted(
        (e for slot, clip in enumerate(clips) for e in clip_events(clip, slot)),
        key=lambda e: (e[0], e[1].type != "note_off"),
    )
    track = mido.MidiTrack()
    now = 0
    for seconds, message in events:
        tick = round(seconds * TICKS_PER_SECOND)
        track.append(message.copy(time=tick - now))
        now = tick
    end = round(len(clips) * SLOT_SECONDS * TICKS_PER_SECOND)
    track.append(mido.MetaMessage("end_of_track", time=end - now))
    midi = mido.MidiFile(ticks_per_beat=TICKS_PER_SECOND // 2)
    midi.tracks.append(track)
    return midi


def render_batch(clips: list[Clip], sample_rate: int, clip_seconds: float) -> list[np.ndarray]:
    """Render clips through fluidsynth; mono float32 arrays of exactly `clip_seconds`."""
    with tempfile.TemporaryDirectory(prefix="demo-render-") as tmp:
        midi_path, wav_path = Path(tmp) / "batch.mid", Path(tmp) / "batch.wav"
        build_midi(clips).save(midi_path)
        command = [
            "fluidsynth",
            "-n",
            "-i",
            "-q",
            "-R",
            "1",
            "-C",
            "1",
            "-g",
            "0.5",
            "-r",
            str(sample_rate),
            "-T",
            "wav",
            "-O",
            "float",
            "-F",
            str(wav_path),
            str(SOUNDFONT),
            str(midi_path),
        ]
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        if done.returncode != 0 or not wav_path.exists():
            raise DataError(f"fluidsynth failed ({done.returncode}): {done.stderr.strip()[:200]}")
        track, _ = sf.read(wav_path, dtype="float32", always_2d=True)
    mono = track.mean(axis=1)
    slot, length = int(SLOT_SECONDS * sample_rate), int(round(clip_seconds * sample_rate))
    return [np.pad(mono[i * slot : i * slot + length], (0, length))[:length] for i in range(len(clips))]
