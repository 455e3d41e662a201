"""Project-wide plumbing every package may import: project errors and the one command-line boundary, atomic writes,
argparse value types, the Keras backend's quiet start and its device line, GPU memory shares."""
