"""`studio batch --cluster`: jobs on a real dask.distributed cluster on 127.0.0.1 (a scheduler and
two worker processes): a worker killed mid-batch costs nothing (its task runs again elsewhere),
and the cluster's outputs carry the local batch's video and audio (tests/stream_compare.py)."""
from __future__ import annotations

import os
import signal
import time

import pytest

from stream_compare import assert_same_streams

distributed = pytest.importorskip("distributed")


@pytest.fixture(scope="module")
def cluster():
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                                  dashboard_address=None, silence_logs=50) as c:
        yield c


def test_killed_worker_and_same_streams_as_local(cluster, tmp_path, mediagen):
    from studio.batch.cluster import ClusterRunner
    from studio.model import save_project
    from studio.quick import build_quick_project
    from studio.render.batch import BatchRunner, plan_jobs

    clip = mediagen.write_clip(tmp_path / "clip.mp4", seconds=3)
    projects = [save_project(build_quick_project([str(clip)], texts=[f"Job {k}"], name=f"p{k}"),
                             tmp_path / f"p{k}.studio") for k in (1, 2)]
    (tmp_path / "cluster").mkdir()
    jobs = plan_jobs(projects, ["tiktok", "shorts"], tmp_path / "cluster")
    runner = ClusterRunner(cluster.scheduler_address, jobs, quality="draft")
    assert len(runner.groups) == 2
    with distributed.Client(cluster.scheduler_address) as client:
        pids = client.run(os.getpid)
    killed = []

    def update(status):
        if status.state == "running" and status.fraction > 0.2 and not killed:
            os.kill(next(iter(pids.values())), signal.SIGKILL)  # one worker dies mid-render
            killed.append(time.monotonic())

    statuses = runner.run(update)
    assert killed, "no progress came back before the end"
    assert [s.state for s in statuses] == ["done"] * 4, [(s.state, s.error) for s in statuses]
    assert not [p for p in (tmp_path / "cluster").iterdir() if p.name.startswith(".")]

    (tmp_path / "local").mkdir()
    local = BatchRunner(plan_jobs(projects, ["tiktok", "shorts"], tmp_path / "local"), workers=2,
                        quality="draft").run()
    assert [s.state for s in local] == ["done"] * 4
    identical = []
    for a, b in zip(local, statuses):
        assert a.job.out.name == b.job.out.name
        identical.append(assert_same_streams(a.job.out, b.job.out))
    print(f"cluster outputs byte-identical to the local ones: {sum(identical)} of {len(identical)}")


def test_cancel_stops_the_cluster_jobs_and_publishes_nothing(cluster, tmp_path, mediagen):
    """What Ctrl+C does (`studio batch --cluster` cancels every job): the renders on the workers
    stop, nothing is published, no temporary file is left."""
    from studio.batch.cluster import ClusterRunner
    from studio.model import save_project
    from studio.quick import build_quick_project
    from studio.render.batch import plan_jobs

    clip = mediagen.write_clip(tmp_path / "clip.mp4", seconds=6)
    projects = [save_project(build_quick_project([str(clip)], texts=[f"Job {k}"], name=f"c{k}"),
                             tmp_path / f"c{k}.studio") for k in (1, 2)]
    out = tmp_path / "cancelled"
    out.mkdir()
    runner = ClusterRunner(cluster.scheduler_address, plan_jobs(projects, ["tiktok"], out), quality="draft")
    asked = []

    def update(status):
        if status.state == "running" and status.fraction > 0.05 and not asked:
            asked.append(time.monotonic())
            runner.cancel()

    statuses = runner.run(update)
    assert asked, "no progress came back before the end"
    assert [s.state for s in statuses] == ["cancelled"] * 2, [(s.state, s.error) for s in statuses]
    assert time.monotonic() - asked[0] < 20  # the workers noticed; not the whole render
    assert list(out.iterdir()) == []
