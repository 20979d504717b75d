"""Progress bars of an import or rotation: one per phase, created at its first report."""

from __future__ import annotations

from liaison.cli.progress import PHASE_LABELS, PhaseBars


def test_each_phase_gets_its_own_bar_with_its_latest_count() -> None:
    with PhaseBars("persons") as bars:
        rows = bars.rows(300)
        rows(100)
        bars.phase("filter", 10, 50)
        rows(300)
        bars.phase("filter", 50, 50)
        tasks = {task.description: task for task in bars._progress.tasks}

    assert set(tasks) == {f"{PHASE_LABELS['rows']} persons", f"{PHASE_LABELS['filter']} persons"}
    assert tasks[f"{PHASE_LABELS['rows']} persons"].completed == 300
    assert tasks[f"{PHASE_LABELS['filter']} persons"].finished


def test_a_count_past_its_total_raises_the_total() -> None:
    with PhaseBars("persons", disable=True) as bars:
        bars.phase("encrypt", 120, 100)  # records an import added meanwhile
        (task,) = bars._progress.tasks
    assert (task.completed, task.total) == (120, 120)
