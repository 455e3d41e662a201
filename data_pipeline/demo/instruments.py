"""The Kaggle set's 28 class names (seed Figure 5) and how the demo plays each one in General MIDI.

Each class has the playing styles people use on it (one is drawn per clip), every General MIDI
program (or FluidR3 drum kit) that sounds like it, its range, and how it is expressed: bends,
vibrato, swells. General MIDI has no mandolin, ukulele or dobro; their stand-ins imitate what
identifies them:
- Mandolin: steel-string guitar (program 25) in the mandolin's range, tremolo-picked among its styles,
  every note sounded on a pair of strings (a course) a few cents and milliseconds apart.
- Ukulele: nylon and steel-string guitars (24, 25) in C4..A5, close-voiced.
- Dobro: steel-string guitar (25) with slide glissandi (pitch bend), as a resonator slide.
"""

from dataclasses import dataclass

from plumbing.errors import UsageError

KIT_CHANNEL = 9  # MIDI channel 10: General MIDI percussion
ACOUSTIC_KITS = (0, 8, 16, 32, 40)  # FluidR3 bank 128: Standard, Room, Power, Jazz, Brush
PERCUSSION_KITS = (*ACOUSTIC_KITS, 48)  # and the Orchestra kit


@dataclass(frozen=True)
class Instrument:
    """How one class is rendered: styles, GM programs (or drum keys and kits), range and expression.

    `bend`: "" none, "string" (bent notes), "slide" (glides into notes), "scoop" (notes reached from below).
    `sustained`: the player shapes each note's loudness (expression swells and fades).
    `vibrato`: the player adds vibrato (modulation wheel).
    `courses`: every note sounds on two strings tuned in unison, slightly apart in pitch and time (mandolin).
    """

    name: str
    styles: tuple[str, ...]
    programs: tuple[int, ...] = ()
    low: int = 48
    high: int = 84
    drum_keys: tuple[int, ...] = ()
    kits: tuple[int, ...] = ()
    bend: str = ""
    sustained: bool = False
    vibrato: bool = False
    courses: bool = False

    @property
    def percussion(self) -> bool:
        return bool(self.drum_keys)


WIND = ("melody", "long_tones", "staccato", "legato")
KEYS = ("chords", "melody", "arpeggio", "bass_line")
GUITAR = ("strum", "riff", "melody", "arpeggio")
BLOWN = {"sustained": True, "vibrato": True}

INSTRUMENTS = (
    Instrument("flute", WIND, (73, 72), 60, 96, **BLOWN),
    Instrument("Acoustic_Guitar", GUITAR + ("fingerpicking",), (24, 25), 40, 76, bend="string"),
    Instrument("Drum_set", ("groove", "fill", "hits"), drum_keys=(36, 38, 42, 46, 45, 48, 49), kits=ACOUSTIC_KITS),
    Instrument(
        "Bass_Guitar", ("bass_line", "walking", "octaves", "riff"), (32, 33, 34, 35, 36, 37), 28, 55, bend="string"
    ),  # fmt: skip
    Instrument("Accordion", KEYS, (21, 23), 53, 84, sustained=True),
    Instrument("Banjo", ("strum", "fingerpicking", "melody"), (105,), 48, 81),
    Instrument("Trombone", WIND, (57,), 40, 72, bend="scoop", **BLOWN),
    Instrument("Mandolin", ("tremolo", "melody", "strum", "arpeggio"), (25,), 55, 88, courses=True),
    Instrument("Keyboard", KEYS, (2, 4, 5, 6, 7), 36, 96),
    Instrument("Organ", KEYS, (16, 17, 18, 19), 36, 84, sustained=True),
    Instrument("Shakers", ("pattern", "roll", "hits"), drum_keys=(82, 70, 69), kits=PERCUSSION_KITS),
    Instrument("Electro_Guitar", GUITAR + ("power_chords",), (26, 27, 28, 29, 30), 40, 86, bend="string"),
    Instrument("Harmonium", ("chords", "melody", "long_tones"), (20,), 48, 84, sustained=True),
    Instrument("Horn", WIND, (60,), 41, 77, **BLOWN),
    Instrument("Ukulele", ("strum", "fingerpicking", "melody"), (24, 25), 60, 81),
    Instrument("Clarinet", WIND, (71,), 50, 91, **BLOWN),
    Instrument("Violin", WIND + ("tremolo",), (40, 110), 55, 100, **BLOWN),
    Instrument("cowbell", ("pattern", "hits"), drum_keys=(56,), kits=PERCUSSION_KITS),
    Instrument("Piano", KEYS, (0, 1, 3), 33, 96),
    Instrument("Tambourine", ("pattern", "roll", "hits"), drum_keys=(54,), kits=PERCUSSION_KITS),
    Instrument("vibraphone", ("arpeggio", "melody", "chords"), (11,), 53, 89, vibrato=True),
    Instrument("Trumpet", WIND, (56, 59), 55, 82, bend="scoop", **BLOWN),
    Instrument("Dobro", ("slide", "fingerpicking", "melody"), (25,), 40, 76, bend="slide"),
    Instrument("Saxophone", WIND, (64, 65, 66, 67), 49, 80, bend="scoop", **BLOWN),
    Instrument("Hi_Hats", ("pattern", "hits"), drum_keys=(42, 44, 46), kits=PERCUSSION_KITS),
    Instrument("Floor_Tom", ("pattern", "fill", "hits"), drum_keys=(41, 43), kits=PERCUSSION_KITS),
    Instrument("Cymbals", ("hits", "pattern", "roll"), drum_keys=(49, 57, 51, 52, 55), kits=PERCUSSION_KITS),
    Instrument("Harmonica", ("melody", "chords", "long_tones"), (22,), 60, 84, bend="scoop", **BLOWN),
)
UNSAMPLED_KEYS = {  # keys of the classes' ranges that a FluidR3 program has no sample for, so plays silently
    28: frozenset(range(85, 128)),  # Palm Muted Guitar: samples up to C6
    40: frozenset({94}),  # Violin: no zone covers A#6
    67: frozenset(range(73, 128)),  # Baritone Sax: samples up to C5
    110: frozenset({94}),  # Fiddle: the violin's zones
}
BY_NAME = {instrument.name: instrument for instrument in INSTRUMENTS}
CLASS_INDEX = {instrument.name: index for index, instrument in enumerate(INSTRUMENTS)}
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
    twice = sorted({n for n in names if names.count(n) > 1})
    if twice:
        raise UsageError(f"--classes: {', '.join(twice)} named more than once: name each class once")
    return [BY_NAME[n] for n in names]
