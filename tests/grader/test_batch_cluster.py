"""`grade batch --cluster`: a Dask LocalCluster of two worker processes on this machine gives
the same gradebook as a local batch; a worker killed mid-batch costs only a retry; a submission
that keeps killing its worker ends as "catastrophic" instead of stalling the batch. The grading
server's graders on the same cluster (`grade serve --cluster`) score uploads as locally.

Slow by nature (each student is really graded, on two workers): about two minutes on two CPUs.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.grader.test_batch import append, batch, gradebook, state, student

distributed = pytest.importorskip("distributed")
import dask  # noqa: E402 - installed with distributed

TOPIC = ("--topic", "convolution")
FAULT = "poison=crash"  # GRADE_BATCH_FAULT of the workers: "poison" kills its worker each time


def _class(root: Path) -> Path:
    """Four students, convolution only: right, two mistakes, and one whose import takes 12 s
    (still importing when the first results arrive, even on a loaded machine; the import limit
    is 20 s)."""
    cls = root / "class"
    student(cls, "correct", topics=("convolution",))
    append(student(cls, "num_params_wrong", topics=("convolution",)) / "convolution.py",
           "def conv2d_num_params(*args, **kwargs):\n    return -1")
    append(student(cls, "pool_wrong", topics=("convolution",)) / "convolution.py",
           "def max_pool2d(x, *args, **kwargs):\n    return x")
    slow = student(cls, "slow_import", topics=("convolution",)) / "convolution.py"
    slow.write_text("import time\ntime.sleep(12)\n" + slow.read_text())
    return cls


@pytest.fixture(scope="module")
def cluster():
    """Two worker processes, one thread each; a worker is lost after one death per task."""
    with dask.config.set({"distributed.scheduler.allowed-failures": 1}):
        with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0",
                                      env={"GRADE_BATCH_FAULT": FAULT}) as lc:
            yield lc


@pytest.fixture(scope="module")
def local_book(tmp_path_factory):
    root = tmp_path_factory.mktemp("local")
    out = root / "out"
    proc = batch(_class(root), out, *TOPIC, "--jobs", "2")
    assert proc.returncode == 0, proc.stderr[-3000:]
    return (out / "gradebook.csv").read_text(encoding="utf-8")


def test_cluster_batch_gives_the_local_gradebook(cluster, local_book, tmp_path):
    out = tmp_path / "out"
    proc = batch(_class(tmp_path), out, *TOPIC, "--cluster", cluster.scheduler_address)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert (out / "gradebook.csv").read_text(encoding="utf-8") == local_book
    book = gradebook(out)
    assert {s: r["total"] for s, r in book.items()} == {"correct": "9", "num_params_wrong": "8",
                                                       "pool_wrong": "7", "slow_import": "9"}
    assert all((out / "students" / s / "results.json").is_file() for s in book)
    again = batch(tmp_path / "class", out, *TOPIC, "--cluster", cluster.scheduler_address)
    assert again.returncode == 0 and "0 graded, 4 unchanged" in again.stdout, again.stdout + again.stderr[-2000:]


def _worker_running(client, student_id: str) -> int | None:
    """The pid of the worker process that holds `student_id`'s task, if one does."""
    for address, keys in client.processing().items():
        if any(str(k).endswith(f"-{student_id}") for k in keys):
            return client.run(os.getpid, workers=[address])[address]
    return None


def test_a_worker_killed_mid_batch_costs_only_a_retry(cluster, local_book, tmp_path):
    out = tmp_path / "out"
    cmd = [sys.executable, "-m", "grader.cli", "batch", str(_class(tmp_path)), "--out", str(out), *TOPIC,
           "--cluster", cluster.scheduler_address]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=tmp_path)
    with distributed.Client(cluster.scheduler_address, set_as_default=False) as client:
        deadline, pid = time.monotonic() + 300, None
        while pid is None and time.monotonic() < deadline:
            assert proc.poll() is None, proc.stderr.read()[-3000:]
            pid = _worker_running(client, "slow_import")
            time.sleep(0.2)
        assert pid is not None, "the slow student never reached a worker"
        time.sleep(2)  # well inside its grading (its import alone takes 12 s)
        os.kill(pid, signal.SIGKILL)
    stdout, stderr = proc.communicate(timeout=600)
    assert proc.returncode == 0, stderr[-3000:]
    assert (out / "gradebook.csv").read_text(encoding="utf-8") == local_book
    assert sorted(state(out)) == ["correct", "num_params_wrong", "pool_wrong", "slow_import"]


def test_ctrl_c_keeps_what_is_graded(cluster, tmp_path):
    out = tmp_path / "out"
    cmd = [sys.executable, "-m", "grader.cli", "batch", str(_class(tmp_path)), "--out", str(out), *TOPIC,
           "--cluster", cluster.scheduler_address]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=tmp_path,
                            start_new_session=True)
    deadline = time.monotonic() + 300
    while not ((out / "state.json").is_file() and state(out)) and time.monotonic() < deadline:
        assert proc.poll() is None, proc.stderr.read()[-3000:]
        time.sleep(0.2)
    os.killpg(proc.pid, signal.SIGINT)  # what a terminal does on Ctrl-C
    stdout, stderr = proc.communicate(timeout=120)
    assert proc.returncode == 130, stderr[-2000:]
    assert "interrupted" in stderr and "Traceback" not in stderr
    statuses = {s: r["status"] for s, r in gradebook(out).items()}
    assert "not graded" in statuses.values()
    assert sorted(s for s, v in statuses.items() if v == "ok") == sorted(state(out))


def test_a_submission_that_keeps_killing_its_worker_is_catastrophic(cluster, tmp_path):
    cls, out = tmp_path / "class", tmp_path / "out"
    student(cls, "poison", topics=("convolution",))
    proc = batch(cls, out, *TOPIC, "--cluster", cluster.scheduler_address)
    assert proc.returncode == 0, proc.stderr[-3000:]
    row = gradebook(out)["poison"]
    assert (row["total"], row["status"]) == ("0", "catastrophic")
    assert "died each time it graded" in (out / "students" / "poison" / "results.json").read_text()


def test_tls_cluster_uses_the_certificates_of_dask_config(tmp_path):
    """tls://: `grade batch` takes the CA, its certificate and key from Dask's config (here its
    environment variables); without them it says what is missing in one line."""
    pytest.importorskip("cryptography")
    security = distributed.Security.temporary()  # a throwaway CA-signed certificate, as PEM text
    files = {"ca": security.tls_ca_file, "cert": security.tls_client_cert, "key": security.tls_client_key}
    for name, pem in files.items():
        (tmp_path / f"{name}.pem").write_text(pem)
    cls, out = tmp_path / "class", tmp_path / "out"
    student(cls, "correct", topics=("convolution",))
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=True, dashboard_address=":0",
                                  protocol="tls://", security=security) as lc:
        assert lc.scheduler_address.startswith("tls://")
        bare = batch(cls, out, *TOPIC, "--cluster", lc.scheduler_address)
        assert bare.returncode == 1 and "needs Dask's TLS config" in bare.stderr and "Traceback" not in bare.stderr
        env = {**os.environ, "DASK_DISTRIBUTED__COMM__TLS__CA_FILE": str(tmp_path / "ca.pem"),
               "DASK_DISTRIBUTED__COMM__TLS__CLIENT__CERT": str(tmp_path / "cert.pem"),
               "DASK_DISTRIBUTED__COMM__TLS__CLIENT__KEY": str(tmp_path / "key.pem")}
        proc = batch(cls, out, *TOPIC, "--cluster", lc.scheduler_address, env=env)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert gradebook(out)["correct"]["total"] == "9"


def test_the_grading_server_grades_on_the_cluster(cluster, tmp_path):
    from grader.paths import solutions_dir
    from tests.grader.serve_helpers import Server, client, init, tokens, upload, wait_done

    conv = (solutions_dir() / "convolution.py").read_bytes()
    data = init(tmp_path, ["ann", "ben"])
    srv = Server(data, extra=("--cluster", cluster.scheduler_address)).start()
    try:
        keys = tokens(data)
        wrong = conv + b"\n\ndef conv2d_num_params(*args, **kwargs):\n    return -1\n"
        sids = {who: upload(client(srv, keys[who]), {"convolution.py": body}, "convolution").json()["id"]
                for who, body in (("ann", conv), ("ben", wrong))}
        docs = {who: wait_done(client(srv, keys[who]), sid) for who, sid in sids.items()}
    finally:
        srv.kill()
    assert {who: (d["status"], d["score"]) for who, d in docs.items()} == {"ann": ("done", 9), "ben": ("done", 8)}
    assert "graders on the Dask cluster at" in srv.output()
