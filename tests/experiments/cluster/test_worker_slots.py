"""What the launcher gives each worker slot (GPU, memory share) and says of one out of GPU memory, failed or killed."""

import pytest

from experiments.cluster.launcher import child_env
from experiments.cluster.worker_slots import ended_line, out_of_memory_line
from experiments.options import parse_launch
from plumbing.gpu_memory import GPU_SHARE_ENV


def test_k_workers_on_a_gpu_each_see_it_with_a_kth_of_its_memory():
    plan = parse_launch(["cnn", "--gpus", "3", "--trials-per-gpu", "4"])
    envs = [child_env(plan, slot) for slot in range(plan.workers)]
    assert [env["CUDA_VISIBLE_DEVICES"] for env in envs] == ["3"] * 4
    assert {env[GPU_SHARE_ENV] for env in envs} == {"0.2250"}
    assert child_env(plan, None)["CUDA_VISIBLE_DEVICES"] == "" and GPU_SHARE_ENV not in child_env(plan, None)


def test_one_worker_per_gpu_is_not_bounded():
    plan = parse_launch(["cnn", "--gpus", "0,1"])
    assert GPU_SHARE_ENV not in child_env(plan, 0) and child_env(plan, 1)["CUDA_VISIBLE_DEVICES"] == "1"


@pytest.mark.parametrize(
    ("argv", "advice"),
    [
        (
            ["--gpus", "0", "--trials-per-gpu", "4"],
            "with 4 trials per GPU: its trial was handed back; try --trials-per-gpu 2",
        ),
        (
            ["--gpus", "0"],
            "with 1 trial per GPU: its trial was handed back; it does not fit one GPU at this --batch-size: sweep with "
            "a smaller one in a new --workdir (a sweep keeps its batch size)",
        ),
    ],
)
def test_the_out_of_memory_line_says_which_k_may_fit(argv, advice):
    line = out_of_memory_line("w3", parse_launch(["cnn", *argv]))
    assert line.startswith("worker w3 ran out of GPU memory ") and advice in line


@pytest.mark.parametrize(
    ("code", "how"),
    [
        (-9, "was killed by SIGKILL;"),
        (-6, "was killed by SIGABRT;"),
        (-77, "was killed by signal 77;"),
        (1, "failed (exit 1)"),
    ],
)
def test_a_failed_or_killed_worker_is_named_with_what_becomes_of_its_trial(code, how):
    line = ended_line("w1", code)
    assert (
        line.startswith(f"worker w1 {how}") and "no fresh worker takes its slot" in line and "--lease-seconds" in line
    )
    ending = ended_line("w1", code, stopping=True)  # the launch ends: no lease to wait for
    assert ending.startswith(f"worker w1 {how.rstrip(';')}") and "lease" not in ending


def test_a_worker_that_stopped_on_an_error_it_named_is_pointed_at_its_error_line():
    assert ended_line("w2", 2) == "worker w2 stopped on an error it named (exit 2): see its [w2] error line"
