"""Training budget flags and the progression reading: what the report says about under-trained models."""

from pathlib import Path

from experiments.training.run_layout import RunLayout
from reports.sections.comparison import progression_reading
from reports.seed_results import SeedResults
from reports.training_budget import budget_table, budgets_of
from reports.workdir_reader import Experiment

TITLES = {"cnn-baseline": "Baseline CNN", "cnn-enhanced": "Enhanced CNN", "cnn": "Tuned CNN"}


def experiment(name: str, accuracy: float, epochs: int, best: int, stopped: bool = False) -> Experiment:
    kind = "sweep" if name == "cnn" else "fixed"
    info = {"kind": kind, "max_epochs": 15, "batch_size": 32, "patience": None if "baseline" in name else 6}
    return Experiment(
        RunLayout(Path(name)),
        info,
        metrics={"accuracy": accuracy, "test_clips": 126},
        fit_state={"epoch": epochs, "best_epoch": best, "stopped": stopped},
    )


def test_best_epoch_at_the_epoch_limit_is_flagged_and_steps_are_counted():
    found = {
        "cnn-baseline": experiment("cnn-baseline", 0.28, 15, 15),
        "cnn-enhanced": experiment("cnn-enhanced", 0.48, 12, 6, stopped=True),
        "cnn": experiment("cnn", 0.89, 15, 11),
    }
    budgets = budgets_of(found, train_clips=588)
    assert [b.still_improving for b in budgets.values()] == [True, False, False]
    frame = budget_table(budgets, found, TITLES, SeedResults()).set_index("model")
    assert frame.loc["Baseline CNN", "optimizer steps"] == "285 (19/epoch)"
    assert frame.loc["Baseline CNN", "seed's steps"] == "23,220"
    assert frame.loc["Enhanced CNN", "ended by"] == "early stopping (patience 6)"
    assert frame.loc["Tuned CNN (best trial)", "seed's epochs"] == "up to 30"


def test_progression_reading_separates_order_noise_and_unfinished_training():
    clear = {
        "cnn-baseline": experiment("cnn-baseline", 0.28, 15, 12),
        "cnn-enhanced": experiment("cnn-enhanced", 0.60, 15, 10),
        "cnn": experiment("cnn", 0.93, 15, 11),
    }
    assert "the seed's order holds beyond noise" in progression_reading(clear, budgets_of(clear, 588))
    muddled = {**clear, "cnn-enhanced": experiment("cnn-enhanced", 0.30, 15, 15)}
    text = progression_reading(muddled, budgets_of(muddled, 588))
    assert "enhanced is above baseline only within noise" in text
    assert "the enhanced model was still improving at the last epoch" in text
    reversed_order = {**clear, "cnn": experiment("cnn", 0.40, 15, 15)}
    assert "tuned is not above enhanced;" in progression_reading(reversed_order, budgets_of(reversed_order, 588))


def test_a_model_the_seed_did_not_train_has_no_seed_budget():
    found = {"musicnn-baseline": experiment("musicnn-baseline", 0.9, 15, 11)}
    frame = budget_table(budgets_of(found, 588), found, {}, SeedResults())
    assert frame.loc[0, ["seed's epochs", "seed's steps"]].isna().all()


def test_the_seed_s_per_class_f1_differences_exist_only_for_the_pair_it_compared():
    seed = SeedResults()
    cnn_rnn, rnn_cnn = seed.f1_differences("cnn", "rnn"), seed.f1_differences("rnn", "cnn")
    assert cnn_rnn["Mandolin"] == 0.02 and rnn_cnn["Mandolin"] == -0.02
    assert seed.f1_differences("cnn", "musicnn") is None and seed.f1_differences("cnn", "cnn") is None
