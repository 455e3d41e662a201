"""The families' and experiments' names apart from their models: what a command line checks before Keras starts.

An experiment is named by its family and stage: `cnn` is the tuned CNN, `cnn-baseline` and
`cnn-enhanced` the seed's fixed models (the names of the workdir's experiment folders). `musicnn` is a
third family beyond the seed, with a linear probe and an MLP head as its fixed models; `musicnn_ft` its second
tier (the network fine-tuned), a sweep without fixed models.
"""

FAMILY_LABELS = {
    "cnn": "CNN",
    "rnn": "BiGRU",
    "musicnn": "musicnn",
    "musicnn_ft": "musicnn fine-tuned",
}  # family (its sweep's folder, `search_<family>.py`) -> label
SWEEP_ONLY = frozenset({"musicnn_ft"})  # families without fixed models: their sweep is their one experiment
STAGES = ("baseline", "enhanced", "tuned")  # the seed's progression within a family
FIXED_STAGES = STAGES[:2]  # the seed's fixed models of each family (`train.py --model`)


def experiment_name(family: str, stage: str) -> str:
    """`cnn-baseline`, `cnn-enhanced`, or `cnn` for the tuned one."""
    return family if stage == "tuned" else f"{family}-{stage}"


def family_stages(family: str) -> tuple[str, ...]:
    """The stages a family has: the seed's three, or only `tuned` for a sweep-only family."""
    return ("tuned",) if family in SWEEP_ONLY else STAGES


def fixed_experiments() -> list[str]:
    """Every fixed model's experiment name, family by family."""
    return [experiment_name(f, stage) for f in FAMILY_LABELS for stage in family_stages(f) if stage in FIXED_STAGES]
