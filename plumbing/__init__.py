"""Project-wide plumbing every package may import: errors and the command-line boundary, atomic writes,
a quiet TensorFlow start."""
