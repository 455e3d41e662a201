"""Project-wide plumbing every package may import: project errors and the one command-line boundary (a full disk
included), atomic writes, the one way a file name is written out, argparse value types, the Keras backend's quiet
start and its device line, GPU memory shares, a launched process's bond to its launcher, matplotlib for figure
files."""
