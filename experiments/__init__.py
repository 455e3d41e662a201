"""Experiments: the entry scripts and what they run. `training/` trains one model, `tuning/` sweeps a search space
(grid or halving, re-checks), `cluster/` shares a sweep among a chief and workers, `deployment/` uses a trained
model (predict, export, outside evaluation)."""
