"""Successive halving over the grid: rung arithmetic, the oracle, the tuner, its leaderboard, its replay on a grid."""
