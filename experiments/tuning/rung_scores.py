"""What ranks a halving rung, by name (parsed before Keras starts: nothing here imports it)."""

RUNG_SCORES = {
    "objective": "the best value of the sweep's objective up to the rung",
    "val_loss": "the lowest validation loss up to the rung",
}
LEGACY_RUNG_SCORE = "objective"  # what a halving sweep that recorded no `rung_score` was ranked by
DEFAULT_RUNG_SCORE = "val_loss"  # a new sweep's without --rung-score (benchmarks/README.md, "Halving replay")
