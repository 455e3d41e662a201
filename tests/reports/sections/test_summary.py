"""The summary's undertrained flag: a model below the seed's result on fewer optimizer steps is named, with both."""

from pathlib import Path

from experiments.training.run_layout import RunLayout
from reports.sections.summary import undertrained_line
from reports.seed_results import SeedResults
from reports.training_budget import Budget
from reports.workdir_reader import Experiment


def evaluated(name: str, accuracy: float, clips: int = 200) -> Experiment:
    return Experiment(RunLayout(Path("w") / name), {}, metrics={"accuracy": accuracy, "test_clips": clips})


def budget(epochs: int, steps_per_epoch: int = 31) -> Budget:
    return Budget(
        epochs=epochs, max_epochs=epochs, best_epoch=epochs, early_stopped=False, steps_per_epoch=steps_per_epoch
    )


def test_a_model_far_below_the_seed_on_a_small_budget_is_named_with_both_budgets():
    experiments = {"rnn-enhanced": evaluated("rnn-enhanced", 0.20), "cnn": evaluated("cnn", 0.995)}
    line = undertrained_line(experiments, {"rnn-enhanced": budget(15), "cnn": budget(12)})
    seed_steps = SeedResults().steps_trained("rnn-enhanced")
    assert line.startswith("**Below the seed's test accuracy on a fraction of its budget**")
    assert f"Enhanced BiGRU 0.200 (seed 0.940) on {465 / seed_steps:.1%} of its optimizer steps" in line
    assert f"(465 of {seed_steps:,})" in line
    assert "Tuned CNN" not in line, "0.995 on 200 clips is within noise of the seed's 0.996"


def test_no_line_when_the_budget_was_the_seed_s_or_more():
    steps = SeedResults().steps_trained("rnn-enhanced")
    assert undertrained_line({"rnn-enhanced": evaluated("rnn-enhanced", 0.2)}, {"rnn-enhanced": budget(1, steps)}) == ""
