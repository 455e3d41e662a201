"""Demo datasets: the Kaggle layout and format, every clip different, deterministic for a seed."""

import hashlib
import os
import re
import shutil
import subprocess
import sys
from dataclasses import replace

import numpy as np
import pandas as pd
import pytest
import soundfile as sf

from data_pipeline.demo.compose import STYLES, compose
from data_pipeline.demo.expression import BEND_SEMITONE, COURSE_CENTS, COURSE_DELAY, EXPRESSION, VOLUME
from data_pipeline.demo.generate import BATCH_CLIPS, CLIPS_LIST, SILENCE_PEAK, clip_rng, make_demo
from data_pipeline.demo.instruments import BY_NAME, INSTRUMENTS, SEED_CLASSES, UNSAMPLED_KEYS, select_instruments
from data_pipeline.demo.plucked import riff
from data_pipeline.demo.render import build_midi, render_batch
from data_pipeline.demo.score import PLAY_SECONDS, Clip, Note
from tests.support import REPO

HAS_FLUIDSYNTH = shutil.which("fluidsynth") is not None


def check_layout(root, classes, per_class):
    assert sorted(p.name for p in root.iterdir() if p.is_dir()) == sorted(classes)
    digests = set()
    for name in classes:
        files = sorted((root / name).iterdir(), key=lambda p: int(p.stem))
        assert [p.name for p in files] == [f"{i}.wav" for i in range(per_class)]
        for path in files:
            info = sf.info(path)
            assert (info.samplerate, info.channels, info.frames, info.subtype) == (22050, 1, 66150, "PCM_16")
            audio, _ = sf.read(path)
            assert np.sqrt(np.mean(audio**2)) > 0.005, f"{path} is silent"
            digests.add(hashlib.sha256(audio.tobytes()).hexdigest())
    assert len(digests) == len(classes) * per_class, "two clips are identical"


def tree_digest(root):
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*.wav"))}


@pytest.mark.skipif(not HAS_FLUIDSYNTH, reason="needs Debian packages fluidsynth fluid-soundfont-gm")
def test_soundfont_demo_has_the_kaggle_format_for_all_28_classes(tmp_path):
    names = make_demo(tmp_path / "demo", 3, "28", seed=1)
    assert len(names) == 28
    check_layout(tmp_path / "demo", names, 3)


@pytest.mark.skipif(not HAS_FLUIDSYNTH, reason="needs Debian packages fluidsynth fluid-soundfont-gm")
def test_every_style_and_every_program_of_every_class_renders_sound(tmp_path):
    rounds = max(max(len(i.styles), len(i.programs or i.kits)) for i in INSTRUMENTS)
    played = set()
    for k in range(rounds):  # round k narrows each class to its k-th style and k-th program (cycling)
        narrowed = []
        for inst in INSTRUMENTS:
            programs = inst.programs or inst.kits
            only = (programs[k % len(programs)],)
            narrowed.append(
                replace(
                    inst,
                    styles=(inst.styles[k % len(inst.styles)],),
                    **{"kits" if inst.percussion else "programs": only},
                )
            )
        out = tmp_path / f"round{k}"
        make_demo(out, 1, narrowed, seed=k)
        check_layout(out, [i.name for i in INSTRUMENTS], 1)
        clips = pd.read_csv(out / CLIPS_LIST)
        played |= set(zip(clips["class"], clips["style"], clips["program"], strict=True))
    for inst in INSTRUMENTS:
        assert {s for c, s, _ in played if c == inst.name} == set(inst.styles)
        assert {p for c, _, p in played if c == inst.name} == set(inst.programs or inst.kits)


def class_styles():
    """Every class narrowed to each one of its styles."""
    return [replace(inst, styles=(style,)) for inst in INSTRUMENTS for style in inst.styles]


def controller(clip, number, seconds):
    """The value of controller `number` at `seconds` (127, its reset value, before the clip sets it)."""
    return ([v for t, c, v in clip.controls if c == number and t <= seconds] or [127])[-1]


def test_every_composed_note_is_sampled_by_its_program_and_audible():
    for inst in class_styles():
        for index in range(40):
            clip = compose(inst, clip_rng(index, inst, index))
            where = f"{inst.name} {inst.styles[0]} clip {index} (program {clip.program})"
            assert clip.notes, f"{where} has no notes"
            for note in clip.notes:
                assert 0 <= note.onset < PLAY_SECONDS and note.length > 0 and 0 < note.velocity <= 127, where
                assert controller(clip, EXPRESSION, note.onset) > 0 and controller(clip, VOLUME, note.onset) > 0, where
                assert inst.percussion or note.key not in UNSAMPLED_KEYS.get(clip.program, ()), f"{where}: {note}"
                # the keys tests/data_pipeline/demo/test_compose.py renders on every program
                assert note.key in inst.drum_keys if inst.percussion else inst.low <= note.key <= inst.high, where


def test_a_riff_always_keeps_a_note_of_its_motif():
    assert all(riff(np.random.default_rng(index), BY_NAME["Electro_Guitar"], 40, 60) for index in range(2000))


def peaks(clips):
    """Peak level of each clip rendered, in batches like the demo's."""
    batches = [clips[k : k + BATCH_CLIPS] for k in range(0, len(clips), BATCH_CLIPS)]
    return [float(np.abs(audio).max()) for batch in batches for audio in render_batch(batch, 22050, 3.0)]


@pytest.mark.skipif(not HAS_FLUIDSYNTH, reason="needs Debian packages fluidsynth fluid-soundfont-gm")
def test_the_lowest_unsampled_key_of_a_program_is_silent_and_the_octave_below_it_sounds():
    lowest = [(program, min(keys)) for program, keys in UNSAMPLED_KEYS.items()]
    levels = peaks([Clip(p, (Note(0.0, 1.0, key - drop, 100),)) for p, key in lowest for drop in (0, 12)])
    assert max(levels[::2]) < SILENCE_PEAK < min(levels[1::2]), levels


@pytest.mark.skipif(not HAS_FLUIDSYNTH, reason="needs Debian packages fluidsynth fluid-soundfont-gm")
def test_every_style_of_every_class_renders_sound_at_several_seeds():
    jobs = [(inst, seed) for inst in class_styles() for seed in (31, 32, 33)]
    clips = [compose(inst, clip_rng(seed, inst, seed)) for inst, seed in jobs]
    silent = [
        (inst.name, inst.styles[0], seed, clip.program)
        for (inst, seed), clip, peak in zip(jobs, clips, peaks(clips), strict=True)
        if peak < SILENCE_PEAK
    ]
    assert not silent, f"silent clips (class, style, seed, program): {silent}"


@pytest.mark.skipif(not HAS_FLUIDSYNTH, reason="needs Debian packages fluidsynth fluid-soundfont-gm")
def test_the_clips_of_issue_22_render_sound():  # baritone sax above C5, fiddle on A#6: FluidR3 has no sample there
    issue = ((31, "Saxophone", 17), (32, "Saxophone", 7), (33, "Violin", 12))
    levels = peaks([compose(BY_NAME[name], clip_rng(seed, BY_NAME[name], index)) for seed, name, index in issue])
    assert min(levels) > SILENCE_PEAK, levels


def test_the_demo_page_lists_the_styles_and_programs_of_every_class():
    page = (REPO / "docs" / "guides" / "demo-data.md").read_text()
    for inst in INSTRUMENTS:
        row = re.search(rf"^\| {re.escape(inst.name)} \|([^|]*)\|([^|]*)\|[^|]*\|$", page, re.MULTILINE)
        assert row, f"docs/guides/demo-data.md has no row for {inst.name}"
        assert [s.strip() for s in row.group(1).split(",")] == list(inst.styles)
        numbers = [int(n) for n in re.findall(r"\d+", row.group(2))]
        assert numbers == list(inst.programs or inst.kits), f"{inst.name}: {row.group(2)}"
    assert set(STYLES) == {s for inst in INSTRUMENTS for s in inst.styles}


@pytest.mark.skipif(not HAS_FLUIDSYNTH, reason="needs Debian packages fluidsynth fluid-soundfont-gm")
def test_soundfont_demo_is_deterministic_for_a_seed(tmp_path):
    make_demo(tmp_path / "a", 2, "Banjo,Drum_set,Dobro", seed=5)
    make_demo(tmp_path / "b", 2, "Banjo,Drum_set,Dobro", seed=5)
    make_demo(tmp_path / "c", 2, "Banjo,Drum_set,Dobro", seed=6)
    assert tree_digest(tmp_path / "a") == tree_digest(tmp_path / "b")
    assert tree_digest(tmp_path / "a") != tree_digest(tmp_path / "c")


def test_mandolin_notes_sound_on_a_course_of_two_strings_and_other_classes_on_one():
    for index in range(20):
        clip = compose(BY_NAME["Mandolin"], np.random.default_rng(index))
        detune, delay = clip.course
        assert COURSE_CENTS[0] <= abs(detune) / BEND_SEMITONE * 100 <= COURSE_CENTS[1]
        assert COURSE_DELAY[0] <= delay <= COURSE_DELAY[1]
        ons = [(m.channel, m.note, m.time) for m in build_midi([clip]).tracks[0] if m.type == "note_on"]
        assert len({channel for channel, _, _ in ons}) == 2 and len(ons) == 2 * len(clip.notes)
    assert all(compose(i, np.random.default_rng(0)).course is None for i in INSTRUMENTS if i.name != "Mandolin")


@pytest.mark.skipif(not HAS_FLUIDSYNTH, reason="needs Debian packages fluidsynth fluid-soundfont-gm")
def test_a_course_sounds_a_second_string_at_its_detuned_pitch():
    held, cents = Note(0.0, 2.6, 81, 100), 12.0  # A5, 880 Hz; the second string 6 Hz sharp
    single, doubled = render_batch(
        [Clip(25, (held,)), Clip(25, (held,), course=(int(cents / 100 * BEND_SEMITONE), 0.005))], 22050, 3.0
    )
    frequencies = np.fft.rfftfreq(len(single), 1 / 22050)

    def spectrum(audio):
        return np.abs(np.fft.rfft(audio * np.hanning(len(audio))))

    def level(audio, hz):  # strongest bin within 1 Hz of `hz`
        return spectrum(audio)[np.abs(frequencies - hz) < 1.0].max()

    fundamental = frequencies[np.argmax(spectrum(single) * (frequencies < 1000))]
    sharp = fundamental * 2 ** (cents / 1200)
    assert abs(fundamental - 880) < 3
    assert level(doubled, sharp) > 0.5 * level(doubled, fundamental)
    assert level(single, sharp) < 0.2 * level(single, fundamental)


def test_synthetic_demo_has_the_kaggle_format(tmp_path):
    make_demo(tmp_path / "s", 4, "14", seed=3, synthetic=True)
    check_layout(tmp_path / "s", SEED_CLASSES, 4)


def test_class_selection_uses_the_seed_names():
    assert len(INSTRUMENTS) == 28 and len(SEED_CLASSES) == 14
    assert [i.name for i in select_instruments("Ukulele,flute")] == ["Ukulele", "flute"]


def test_missing_fluidsynth_is_one_line_naming_the_package(tmp_path):
    env = {**os.environ, "PATH": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-m", "data_pipeline", "demo", "--out", str(tmp_path / "d"), "--per-class", "1"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "fluidsynth" in lines[0] and "--synthetic" in lines[0]


def test_demo_refuses_to_overwrite_a_foreign_folder(tmp_path):
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "thesis.txt").write_text("precious")
    done = subprocess.run(
        [sys.executable, "-m", "data_pipeline", "demo", "--out", str(tmp_path / "mine"), "--synthetic"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 2 and "--out" in done.stderr
    assert (tmp_path / "mine" / "thesis.txt").exists()
