"""The Kaggle set's 28 class names (seed Figure 5) and how the demo plays each one in General MIDI.

General MIDI has no mandolin, ukulele or dobro; their stand-ins imitate what identifies them:
- Mandolin: steel-string guitar (program 25) in the mandolin's range, tremolo-picked.
- Ukulele: nylon-string guitar (program 24) strumming close-voiced chords in C4..A5.
- Dobro: steel-string guitar (program 25) with slide glissandi (pitch bend), as a resonator slide.
"""

from dataclasses import dataclass

from data_pipeline.errors import UsageError

KIT_CHANNEL = 9  # MIDI channel 10: General MIDI percussion


@dataclass(frozen=True)
class Instrument:
    """How one class is rendered: GM programs (or drum keys), note range and playing style."""

    name: str
    style: str
    programs: tuple[int, ...] = ()
    low: int = 48
    high: int = 84
    drum_keys: tuple[int, ...] = ()


INSTRUMENTS = (
    Instrument("flute", "melody", (73,), 60, 96),
    Instrument("Acoustic_Guitar", "strum", (24, 25), 40, 76),
    Instrument("Drum_set", "drums", drum_keys=(36, 38, 42, 46, 45, 48, 49)),
    Instrument("Bass_Guitar", "bass", (32, 33, 34), 28, 55),
    Instrument("Accordion", "chords", (21, 23), 53, 84),
    Instrument("Banjo", "strum", (105,), 48, 81),
    Instrument("Trombone", "melody", (57,), 40, 72),
    Instrument("Mandolin", "tremolo", (25,), 55, 88),
    Instrument("Keyboard", "chords", (4, 5, 6), 36, 96),
    Instrument("Organ", "chords", (16, 17, 19), 36, 84),
    Instrument("Shakers", "pattern", drum_keys=(82, 70, 69)),
    Instrument("Electro_Guitar", "strum", (26, 27, 29, 30), 40, 86),
    Instrument("Harmonium", "chords", (20,), 48, 84),
    Instrument("Horn", "melody", (60,), 41, 77),
    Instrument("Ukulele", "strum", (24,), 60, 81),
    Instrument("Clarinet", "melody", (71,), 50, 91),
    Instrument("Violin", "melody", (40,), 55, 100),
    Instrument("cowbell", "pattern", drum_keys=(56,)),
    Instrument("Piano", "chords", (0, 1), 33, 96),
    Instrument("Tambourine", "pattern", drum_keys=(54,)),
    Instrument("vibraphone", "arpeggio", (11,), 53, 89),
    Instrument("Trumpet", "melody", (56,), 55, 82),
    Instrument("Dobro", "slide", (25,), 40, 76),
    Instrument("Saxophone", "melody", (64, 65, 66), 49, 80),
    Instrument("Hi_Hats", "pattern", drum_keys=(42, 44, 46)),
    Instrument("Floor_Tom", "pattern", drum_keys=(41, 43)),
    Instrument("Cymbals", "cymbals", drum_keys=(49, 57, 51, 52, 55)),
    Instrument("Harmonica", "melody", (22,), 60, 84),
)
BY_NAME = {instrument.name: instrument for instrument in INSTRUMENTS}
SEED_CLASSES = tuple(i.name for i in INSTRUMENTS[:14])  # the 14 classes with > 1,000 clips


def select_instruments(spec: str) -> list[Instrument]:
    """`14`, `28`, or comma-separated class names -> instruments, in Figure 5 order."""
    if spec == "14":
        return [BY_NAME[name] for name in SEED_CLASSES]
    if spec == "28":
        return list(INSTRUMENTS)
    names = [n.strip() for n in spec.split(",") if n.strip()]
    unknown = [n for n in names if n not in BY_NAME]
    if unknown or not names:
        raise UsageError(f"--classes: unknown class {unknown or spec!r}; use 14, 28 or names from "
                         f"{', '.join(BY_NAME)}")  # fmt: skip
    return [BY_NAME[n] for n in names]
