"""Pure-numpy clips with class-distinct tones and noises: fast test data, no fluidsynth needed."""

import numpy as np


def synthetic_clip(class_index: int, rng: np.random.Generator, sample_rate: int, length: int) -> np.ndarray:
    """One clip of class `class_index`: sustained tone, plucked tone or band noise by class."""
    t = np.arange(length) / sample_rate
    kind = class_index % 3
    base = 80.0 * 2 ** ((class_index * 7 % 36) / 6)  # class-specific register, 80 Hz .. 5 kHz
    if kind == 2:
        spectrum = np.fft.rfft(rng.standard_normal(length))
        freqs = np.fft.rfftfreq(length, 1 / sample_rate)
        spectrum[(freqs < base) | (freqs > 2.5 * base)] = 0
        signal = np.fft.irfft(spectrum, length)
        hits = np.arange(rng.uniform(0, 0.1), 3.0, 60 / rng.uniform(90, 180))
        envelope = sum(np.exp(-np.clip(t - h, 0, None) * 25) * (t >= h) for h in hits)
    else:
        f0 = base * 2 ** (rng.uniform(-1, 1) / 12)
        rolloff = 0.5 + (class_index % 5) * 0.4
        signal = sum(
            np.sin(2 * np.pi * h * f0 * t + rng.uniform(0, 2 * np.pi)) / h**rolloff
            for h in range(1, 9)
            if h * f0 < sample_rate / 2
        )
        envelope = np.minimum(t / 0.02, 1.0)
        if kind == 1:
            period = 60 / rng.uniform(60, 150)
            envelope = envelope * np.exp(-(t % period) * 6)
    clip = signal * envelope + 0.003 * rng.standard_normal(length)
    return (clip / np.max(np.abs(clip)) * rng.uniform(0.3, 0.9)).astype(np.float32)
