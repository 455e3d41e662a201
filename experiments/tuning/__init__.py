"""Sweeps over a search space: the sweep, its strategies (grid, halving), the process's role, leaderboard,
space files, the sweep's record."""
