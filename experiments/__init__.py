"""Experiments: resumable grid sweeps, fixed seed recipes, evaluation on the test split."""
