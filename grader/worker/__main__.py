"""The worker's main loop: read a request frame, run it, write a reply frame; forever.

Started by the judge as `python -m grader.worker CONFIG_JSON` with keys req_fd, rep_fd,
root (the submission folder), home (the worker's own folder), memory_mb, forbidden (dotted
names) and hide (folders the student's code must not see).
The protocol uses its own pipe (REQ_FD/REP_FD), never stdout: a student's prints cannot
forge a message. Python-level output of student code is captured per call.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path


def _reply(worker, req: dict) -> dict:
    from grader.worker.loader import LoadError
    from grader.worker.ops import OPS, OpFailure

    op = OPS.get(req.get("op"))
    if op is None:
        return {"ok": False, "kind": "protocol", "message": f"unknown operation {req.get('op')!r}"}
    worker.last_output = ""
    try:
        value = op(worker, req)
    except (OpFailure, LoadError) as exc:
        return {"ok": False, **exc.reply}
    return {"ok": True, "value": value, "output": worker.last_output}


def _encode(worker, req: dict, reply: dict) -> bytes:
    from grader import wire

    strict = req.get("op") == "fetch"
    try:
        return wire.encode(reply, store_handle=None if strict else worker.store)
    except BaseException as exc:  # noqa: BLE001 - student objects may misbehave while encoded
        msg = f"the result could not be sent back as data: {type(exc).__name__}: {exc}"[:500]
        return wire.encode({"ok": False, "kind": "protocol", "message": msg})


def main(argv: list[str]) -> int:
    config = json.loads(argv[0])
    from grader.worker import sandbox

    sandbox.apply_limits(int(config["memory_mb"]))
    import numpy  # noqa: F401 - loaded before student code, like torch and matplotlib
    import torch  # noqa: F401

    sandbox.one_thread_torch()
    sandbox.preload_matplotlib()
    from grader import wire
    from grader.worker import grad_ops, guards, ops, plot_ops  # noqa: F401 - registers operations
    from grader.worker.isolation import isolate

    root, _ = isolate(Path(config["root"]), Path(config["home"]), config.get("hide", []))
    os.chdir(config["home"])
    guards.install(config.get("forbidden", []))
    worker = ops.Worker(root)
    reader, rep_fd = wire.FrameReader(int(config["req_fd"])), int(config["rep_fd"])
    while True:
        try:
            req = reader.read(as_tensor=True)
        except EOFError:
            return 0
        reply = _reply(worker, req)
        reply["id"] = req.get("id")
        wire.write_frame(rep_fd, _encode(worker, req, reply))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
