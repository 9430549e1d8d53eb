"""The supervisor: the worker's parent (outside the worker's PID namespace, which the worker
is PID 1 of), which never runs student code. It alone holds the judge's two pipe ends and relays exactly one reply per
request: the worker's reply with the request's id put in by the supervisor, or a failure it
makes itself. The forbidden-call verdict comes from the guard channel (grader.worker.channel),
which the worker writes at the moment of the call: student code can neither take a report
back nor write to the judge's pipe. When the worker dies (and with it, by the kernel, every
process left in its namespace), the supervisor passes its exit status on and exits.
"""

from __future__ import annotations

import json
import os
import select
import signal
import struct

from grader import wire
from grader.worker import namespaces as ns

GUARD_LINE = 1000  # bytes a guard line may have
MAX_NAMES = 50


class WorkerDied(Exception):
    def __init__(self, status: int):
        super().__init__(status)
        self.status = status


class Inbox:
    """Bytes read from one pipe, cut into frames or lines."""

    def __init__(self, fd: int):
        self.fd, self.buf, self.eof = fd, bytearray(), False

    def fill(self) -> None:
        try:
            chunk = os.read(self.fd, 1 << 20)
        except BlockingIOError:
            return
        if not chunk:
            self.eof = True
        self.buf += chunk

    def frame(self) -> tuple[bytes, bytes] | None:
        """(the whole frame, its JSON header) once complete; ProtocolError when malformed."""
        buf = self.buf
        if len(buf) < 12:
            return None
        if buf[:4] != wire.MAGIC:
            raise wire.ProtocolError("bad frame magic")
        hlen, nbuf = struct.unpack_from("<II", buf, 4)
        if hlen > wire.MAX_HEADER or nbuf > wire.MAX_BUFFERS:
            raise wire.ProtocolError("frame too large")
        pos, total = 12 + hlen, 0
        for _ in range(nbuf):
            if len(buf) < pos + 8:
                return None
            (blen,) = struct.unpack_from("<Q", buf, pos)
            total += blen
            if total > wire.MAX_TOTAL:
                raise wire.ProtocolError("frame too large")
            pos += 8 + blen
        if len(buf) < pos:
            return None
        frame = bytes(buf[:pos])
        del buf[:pos]
        return frame, frame[12:12 + hlen]

    def lines(self) -> tuple[list[bytes], bool]:
        """The complete lines, and whether an overlong one (garbage) was dropped."""
        *done, rest = self.buf.split(b"\n")
        overlong = len(rest) > GUARD_LINE or any(len(line) > GUARD_LINE for line in done)
        self.buf = bytearray() if len(rest) > GUARD_LINE else bytearray(rest)
        return done, overlong


def _plain(v):
    """A JSON header value without the wire's tags (enough for ids, labels and names)."""
    if isinstance(v, dict) and v.get("$t") == "dict":
        return {str(_plain(k)): _plain(x) for k, x in v.get("items", [])}
    if isinstance(v, dict) and v.get("$t") == "tuple":
        return [_plain(x) for x in v.get("items", [])]
    if isinstance(v, list):
        return [_plain(x) for x in v]
    return v


def _header(raw: bytes) -> dict:
    try:
        obj = json.loads(raw)
    except (ValueError, RecursionError):
        raise wire.ProtocolError("malformed header") from None
    if not (isinstance(obj, dict) and obj.get("$t") == "dict" and isinstance(obj.get("items"), list)):
        raise wire.ProtocolError("a message must be an object")
    return obj


def _with(obj: dict, **fields) -> dict:
    """The tagged header `obj` with these top-level fields set (plain JSON values)."""
    items = [it for it in obj["items"] if not (isinstance(it, list) and it and it[0] in fields)]
    return {"$t": "dict", "items": items + [[k, v] for k, v in fields.items()]}


def _reframe(frame: bytes, header: dict) -> bytes:
    hlen, nbuf = struct.unpack_from("<II", frame, 4)
    raw = json.dumps(header, separators=(",", ":")).encode()
    return wire.MAGIC + struct.pack("<II", len(raw), nbuf) + raw + frame[12 + hlen:]


def _label(req: dict) -> str:
    target = req.get("target") if isinstance(req.get("target"), dict) else {}
    return str(req.get("label") or target.get("attr") or "the call")


class Supervisor:
    def __init__(self, judge_in: int, judge_out: int, worker: int, to_worker: int, from_worker: int, guard: int):
        self.judge, self.judge_out, self.worker = Inbox(judge_in), judge_out, worker
        self.to_worker, self.reply, self.guard = to_worker, Inbox(from_worker), Inbox(guard)
        self.isolation: list[str] = []  # from the worker's report, sent before any student code runs
        self.isolated, self.refusal = False, ""
        self.names: list[str] = []
        self.done_ids: list[str] = []
        self.tampered = ""
        self.got_ready = False
        self.fatal = False
        self.wake_r, wake_w = os.pipe()
        for fd in (from_worker, guard, self.wake_r, wake_w):
            os.set_blocking(fd, False)
        signal.set_wakeup_fd(wake_w)
        signal.signal(signal.SIGCHLD, lambda *_: None)

    # ------------------------------------------------------------ waiting
    def _reap(self) -> None:
        for pid, status in ns.reaped():
            if pid == self.worker:
                raise WorkerDied(status)

    def _wait(self, inboxes: list[Inbox]) -> None:
        """Block until one of the inboxes (or the wake-up pipe) has data; reap children."""
        fds = [i.fd for i in inboxes if not i.eof] + [self.wake_r]
        try:
            ready, _, _ = select.select(fds, [], [])
        except InterruptedError:
            ready = []
        if self.wake_r in ready:
            try:
                os.read(self.wake_r, 4096)
            except BlockingIOError:
                pass
        self._reap()
        for inbox in inboxes:
            if inbox.fd in ready:
                inbox.fill()

    def _guard_lines(self) -> None:
        self.guard.fill()
        lines, overlong = self.guard.lines()
        if overlong:
            self.tampered = "the worker's guard channel carried garbage"
        for line in lines:
            kind, _, rest = line.decode("utf-8", "replace").partition(" ")
            if kind == "F" and len(self.names) < MAX_NAMES:
                self.names.append(rest)
            elif kind == "D":
                self.done_ids = self.done_ids[-99:] + [rest]
            elif kind == "R" and not self.got_ready:
                self.got_ready = True
                self._ready(rest)
            else:
                self.tampered = "the worker's guard channel carried garbage"
        if self.guard.eof and not self.tampered:
            self.tampered = "the worker's guard channel was closed"

    def _ready(self, text: str) -> None:
        try:
            report = json.loads(text)
            self.isolation = [str(x) for x in report.get("holds", [])][:20]
        except (ValueError, AttributeError):
            self.tampered = "the worker's guard channel carried garbage"
            return
        self.isolated = report.get("isolated") is True
        if not self.isolated and report.get("home"):
            self.isolation.append(f"home {report['home']}")
        if report.get("refuse"):
            self.refusal = ("student code is not run without the sandbox, and it could not be set up here: "
                            + str(report["refuse"]))

    # ------------------------------------------------------------ one request
    def next_request(self) -> tuple[bytes, dict] | None:
        while True:
            got = self.judge.frame()
            if got is not None:
                return got[0], _plain(_header(got[1]))
            if self.judge.eof:
                return None
            self._wait([self.judge, self.guard])
            self._guard_lines()

    def ask_worker(self, frame: bytes, req: dict) -> bytes:
        """Forward one request; return the one reply for the judge."""
        self.names, self.done_ids = [], []
        try:
            wire.write_frame(self.to_worker, frame)
        except OSError:
            self._await_death()
        while True:
            try:
                got = self.reply.frame()
            except wire.ProtocolError as exc:
                return self._fail(req, "protocol", f"the worker's reply was malformed ({exc})", fatal=True)
            if got is not None:
                break
            if self.reply.eof:
                self._await_death()
            self._wait([self.reply, self.guard, self.judge])
            if self.judge.eof:  # the judge is gone: so is the reason to wait
                raise WorkerDied(0)
            self._guard_lines()
        self._guard_lines()
        return self._verdict(req, *got)

    def _verdict(self, req: dict, frame: bytes, raw: bytes) -> bytes:
        try:
            header = _header(raw)
        except wire.ProtocolError as exc:
            return self._fail(req, "protocol", f"the worker's reply was malformed ({exc})", fatal=True)
        if str(req.get("id")) not in self.done_ids and not self.tampered:
            self.tampered = "the worker's guard channel was redirected or its replies forged"
        allowed = set(req.get("forbidden") or ())
        # "F name" or "F name (reached as ...)": the verdict uses the name, the message the whole line
        used = [n for n in dict.fromkeys(self.names) if n.split(" (reached as ", 1)[0] in allowed]
        output = _plain(header).get("output")
        output = output if isinstance(output, str) else ""
        if used:
            also = f" (and {self.tampered}: tampering with the grader)" if self.tampered else ""
            return self._fail(req, "forbidden", f"{_label(req)} used {', '.join(used)}, which this exercise forbids"
                              + also, fatal=bool(self.tampered), output=output)
        if self.tampered:
            return self._fail(req, "forbidden", f"{_label(req)}: {self.tampered}, so forbidden calls cannot be "
                              "checked (tampering with the grader)", fatal=True, output=output)
        extra = {"isolation": self.isolation, "isolated": self.isolated} if req.get("op") == "ping" else {}
        return _reframe(frame, _with(header, id=req.get("id"), **extra))

    def _fail(self, req: dict, kind: str, message: str, fatal: bool = False, output: str = "") -> bytes:
        self.fatal = fatal
        reply = {"ok": False, "kind": kind, "message": message, "output": output[:20000], "id": req.get("id")}
        if fatal:
            reply["fatal"] = True
        return wire.encode(reply)

    def _await_death(self):
        """The worker's pipe ended: wait (a second at most) for the worker to exit, then pass
        its status on; a worker that closed its pipe but lives on is killed."""
        for _ in range(20):
            self._reap()
            select.select([self.wake_r], [], [], 0.05)
        os.kill(self.worker, signal.SIGKILL)
        while True:
            self._reap()
            select.select([self.wake_r], [], [], 0.05)

    def run(self) -> int | None:
        """Relay until the judge closes its pipe; the worker's wait status if it died first."""
        try:
            while True:
                got = self.next_request()
                if got is None:
                    return None
                self.fatal = False
                try:
                    reply = self.ask_worker(*got)
                except WorkerDied:
                    self._guard_lines()
                    if not self.refusal:
                        raise
                    reply = self._fail(got[1], "crash", self.refusal, fatal=True)
                wire.write_frame(self.judge_out, reply)
                if self.fatal:
                    return None
        except WorkerDied as died:
            return died.status
        except (wire.ProtocolError, OSError):
            return None
