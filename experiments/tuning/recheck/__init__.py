"""Re-checking the top of a finished sweep with more seeds: the plan, the oracle's trials, their runs and statistics.

Once every grid point has ended, the top `--recheck-top` points are trained again with `--seeds` more
seeds each (initialisation, dropout masks and batch order all follow the seed). Each run is an
ordinary resumable trial that the oracle hands out, so a kill resumes it and a worker trains it.
"""
