"""Every note a demo clip can play has a FluidR3 sample (issue 22: Baritone Sax above C5 and Fiddle on A#6
played nothing, so whole clips rendered silent)."""

import shutil
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest

from data_pipeline.demo.compose import in_reach
from data_pipeline.demo.generate import BATCH_CLIPS, SILENCE_PEAK
from data_pipeline.demo.instruments import INSTRUMENTS, Instrument
from data_pipeline.demo.render import render_batch
from data_pipeline.demo.score import Clip, Note

# Whether a key has a sample does not depend on the output rate, and the highest key a class plays (100,
# 2.6 kHz) is below this rate's Nyquist frequency; 8 kHz renders in a third of the demo's 22,050 Hz time.
PROBE_RATE = 8000


def every_key(inst: Instrument) -> list[Clip]:
    """One single-note clip per key of `inst`'s range, moved into reach, on each of its programs (a percussion
    class: each drum key on each kit). tests/data_pipeline/test_demo.py checks composed notes stay in that range."""
    if inst.percussion:
        return [Clip(kit, (Note(0.0, 0.5, key, 100),), percussion=True) for kit in inst.kits for key in inst.drum_keys]
    keys = [Note(0.0, 0.5, key, 100) for key in range(inst.low, inst.high + 1)]
    return [Clip(program, (note,)) for program in inst.programs for note in in_reach(keys, program)]


@pytest.mark.skipif(shutil.which("fluidsynth") is None, reason="needs Debian packages fluidsynth fluid-soundfont-gm")
def test_every_key_of_every_class_sounds_on_each_of_its_programs():
    played_by = {}  # a program's key is rendered once, whichever classes play it
    for inst in INSTRUMENTS:
        for clip in every_key(inst):
            played_by.setdefault(clip, inst.name)
    clips = list(played_by)
    batches = [clips[k : k + BATCH_CLIPS] for k in range(0, len(clips), BATCH_CLIPS)]
    with ThreadPoolExecutor(max_workers=2) as pool:
        rendered = [a for batch in pool.map(lambda b: render_batch(b, PROBE_RATE, 1.0), batches) for a in batch]
    silent = [
        (played_by[clip], clip.program, clip.notes[0].key)
        for clip, audio in zip(clips, rendered, strict=True)
        if np.abs(audio).max() < SILENCE_PEAK
    ]
    assert len(clips) > 1500 and not silent, f"{len(clips)} keys; silent (class, program or kit, key): {silent}"
