"""Successive halving over the grid: rung arithmetic, the oracle, the tuner and its leaderboard."""
