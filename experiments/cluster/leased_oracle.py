"""Leases on top of KerasTuner's distributed oracle: a dead worker's trial goes to the next one that asks.

KerasTuner's chief gives a trial to a worker id (`ongoing_trials`) for ever. Here each grant is a
lease that the worker renews while it trains; a lease not renewed within `lease_seconds` is
dropped and the trial joins KerasTuner's own retry queue, so the next worker resumes it from its
last committed epoch. Only the lease holder may report or end a trial (fencing); a restarted chief
gives every saved lease a fresh term, so live workers keep their trials. A worker out of memory hands
its trial back at once.
"""

import time
from dataclasses import dataclass

import keras_tuner as kt

from experiments.tuning.grid_oracle import GridOracle
from experiments.tuning.statuses import ENDED, IDLE, RUNNING, STOPPED


@dataclass
class Lease:
    """Who holds a trial, the how-many-th grant this is, and until when (monotonic clock)."""

    tuner_id: str
    attempt: int
    deadline: float


class LeasedGridOracle(GridOracle):
    """`GridOracle` whose trials are leased to workers and fenced by lease."""

    def __init__(self, *args, lease_seconds: float, **kwargs):
        super().__init__(*args, **kwargs)
        self.lease_seconds = lease_seconds
        self.leases: dict[str, Lease] = {}
        self.re_leases: list[dict] = []  # {"trial_id", "from", "to", "attempt"}
        self.fatal: str | None = None
        self.workers: set[str] = set()
        self.told_to_stop: set[str] = set()
        self._saved_leases: dict[str, dict] = {}

    def _term(self) -> float:
        return time.monotonic() + self.lease_seconds

    def holds(self, tuner_id: str, trial_id: str) -> bool:
        """Whether `tuner_id` holds the lease on `trial_id` now."""
        ongoing = self.ongoing_trials.get(tuner_id)
        return ongoing is not None and ongoing.trial_id == trial_id

    def expire_leases(self) -> None:
        """Drop leases past their term; their trials wait in KerasTuner's retry queue."""
        now = time.monotonic()
        for trial_id, lease in self.leases.items():
            if lease.deadline < now and self.holds(lease.tuner_id, trial_id):
                del self.ongoing_trials[lease.tuner_id]
                self.tuner_ids.discard(lease.tuner_id)
                self._retry_queue.append(trial_id)
                print(
                    f"lease of trial {trial_id} held by {lease.tuner_id} expired: it goes to the next worker",
                    flush=True,
                )

    @kt.synchronized
    def create_trial(self, tuner_id):
        """KerasTuner's `create_trial`, after expiring leases; a RUNNING answer carries a fresh lease."""
        self.workers.add(tuner_id)
        self.expire_leases()
        if self.must_wait(tuner_id):
            return kt.engine.trial.Trial(self.get_space(), status=IDLE)
        trial = super().create_trial(tuner_id)
        if trial.status == RUNNING:
            self._grant(tuner_id, trial.trial_id)
        elif trial.status == STOPPED:
            self.told_to_stop.add(tuner_id)
        return trial

    def must_wait(self, tuner_id: str) -> bool:
        """Every trial is handed out (`max_trials`) but some still runs: its worker may die, so others wait (IDLE).

        KerasTuner would answer STOPPED as soon as `max_trials` trials exist, and a dead worker's
        trial would then find nobody to resume it.
        """
        if tuner_id in self.ongoing_trials or self._retry_queue or len(self.trials) < self.max_trials:
            return False  # fewer trials than the sweep may run: `populate_space` says whether one is due
        return any(trial.status not in ENDED for trial in self.trials.values())

    def _grant(self, tuner_id: str, trial_id: str) -> None:
        lease = self.leases.get(trial_id)
        if lease is not None and lease.tuner_id == tuner_id:
            lease.deadline = self._term()
            return
        attempt = lease.attempt + 1 if lease else 1
        if lease is not None:
            self.re_leases.append({"trial_id": trial_id, "from": lease.tuner_id, "to": tuner_id, "attempt": attempt})
            print(f"trial {trial_id} re-leased to {tuner_id} after {lease.tuner_id} (attempt {attempt})", flush=True)
        self.leases[trial_id] = Lease(tuner_id, attempt, self._term())
        self.save()

    @kt.synchronized
    def restart_terms(self) -> None:
        """Give every lease a full term from now (a chief that starts serving again)."""
        for lease in self.leases.values():
            lease.deadline = self._term()

    @kt.synchronized
    def renew(self, tuner_id: str, trial_id: str) -> bool:
        """Extend the lease if `tuner_id` still holds it; False tells the worker to drop the trial."""
        if not self.holds(tuner_id, trial_id):
            return False
        self.leases[trial_id].deadline = self._term()
        return True

    @kt.synchronized
    def update_from(self, tuner_id: str, trial_id: str, metrics: dict, step: int):
        """A worker's report: renews its lease, records metrics if any; (trial, still held)."""
        held = self.renew(tuner_id, trial_id)
        if held and self.objective.name in metrics:
            self.update_trial(trial_id, metrics, step=step)
        return self.trials[trial_id], held

    @kt.synchronized
    def end_from(self, tuner_id: str, trial) -> None:
        """End a trial for its lease holder; a late or repeated end changes nothing."""
        current = self.trials[trial.trial_id]
        if current.status in ENDED:
            return
        if not self.holds(tuner_id, trial.trial_id):
            holder = self.leases[trial.trial_id].tuner_id if trial.trial_id in self.leases else "nobody"
            print(f"ignored the end of trial {trial.trial_id} from {tuner_id}: its lease is {holder}'s", flush=True)
            return
        try:
            self.end_trial(trial)
        except RuntimeError as error:  # too many failed trials in a row: the chief stops the sweep
            self.fatal = str(error)

    @kt.synchronized
    def hand_back_from(self, tuner_id: str, trial_id: str) -> None:
        """Its lease holder gives the trial up unfinished (out of memory): it goes to the next worker now, from its
        last committed epoch, not after the lease's term; the worker asks for no more."""
        if not self.holds(tuner_id, trial_id):
            return
        del self.ongoing_trials[tuner_id]
        self.tuner_ids.discard(tuner_id)
        self.told_to_stop.add(tuner_id)
        self._retry_queue.append(trial_id)
        self.save()
        print(f"trial {trial_id} handed back by {tuner_id} (out of memory): it goes to the next worker", flush=True)

    @kt.synchronized
    def planned_recheck_runs(self) -> int:
        """`GridOracle.planned_recheck_runs`, read under the oracle's lock."""
        return super().planned_recheck_runs()

    @kt.synchronized
    def trial_list(self) -> list:
        """Every trial (a copy of the list, read under the oracle's lock)."""
        return list(self.trials.values())

    @kt.synchronized
    def cluster_record(self) -> dict:
        """The workers that asked for trials and the re-leased trials (for `cluster.json` and the report)."""
        return {"workers": sorted(self.workers), "re_leases": [dict(move) for move in self.re_leases]}

    @kt.synchronized
    def working(self) -> int:
        """Workers seen and not yet told to stop (dead ones included until their lease expires)."""
        return len(self.workers - self.told_to_stop)

    @kt.synchronized
    def ended(self) -> list[str]:
        """Ids of the trials that ended for good, in order (read under the oracle's lock)."""
        return list(self.end_order)

    def get_state(self):
        state = super().get_state()
        state["leases"] = {
            tid: {"tuner_id": lease.tuner_id, "attempt": lease.attempt} for tid, lease in self.leases.items()
        }
        state["re_leases"] = self.re_leases
        state["workers"] = sorted(self.workers)
        return state

    def set_state(self, state):
        super().set_state(state)
        self._saved_leases = state.get("leases", {})
        self.re_leases = state.get("re_leases", [])
        self.workers = set(state.get("workers", []))

    def reload(self) -> None:
        """A restarted chief: every saved lease of a RUNNING trial gets a fresh term for its worker."""
        super().reload()
        for trial_id, saved in self._saved_leases.items():
            trial = self.trials.get(trial_id)
            if trial is None or trial.status != RUNNING:
                continue
            if trial_id in self._retry_queue:
                self._retry_queue.remove(trial_id)
            self.ongoing_trials[saved["tuner_id"]] = trial
            self.leases[trial_id] = Lease(saved["tuner_id"], saved["attempt"], self._term())
            print(
                f"trial {trial_id} stays {saved['tuner_id']}'s if it renews within {self.lease_seconds:g} s", flush=True
            )
