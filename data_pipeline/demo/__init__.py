"""Demo datasets in the Kaggle layout: rendered from a General MIDI soundfont, or synthetic."""
