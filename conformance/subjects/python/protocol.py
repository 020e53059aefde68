"""The suite's JSON-lines subject protocol (conformance/PROTOCOL.md) for Python programs.

A program builds a ``Program`` with its ``hello`` answer, a ``create(env, proxy, ca)`` function
returning an instance (``get_token(call)``, ``fetch(request)``, optionally ``invalidate(call)``)
and a ``classify(exc)`` function, then calls ``run()``. Requests after ``create`` run on their
own threads, so many are in flight at once. Everything the libraries log goes to stderr, which
the suite reads as log lines. ``follow_clock()`` makes ``time.time()`` follow the suite's clock.

The process that answers ``hello`` offers to fork (PROTOCOL.md, "Forking"): asked to ``fork``,
it forks one child per client instance, with the libraries already imported, which saves most of
what starting an instance costs. The child connects back to the suite and carries on exactly
like a program the suite started.
"""

import gc
import io
import json
import logging
import os
import signal
import socket
import sys
import threading
import time
import traceback

_write_lock = threading.Lock()
_real_time = time.time
_clock_ms = None


def _fake_time():
    return _clock_ms / 1000.0 if _clock_ms is not None else _real_time()


def follow_clock():
    """Makes ``time.time()`` return the scenario clock the suite sends (capability ``clock``).

    For a library that reads ``time.time()`` itself: the process is one client instance, so
    replacing the process clock is what the suite's fake-timers mode does for JavaScript.
    """
    time.time = _fake_time


def _set_clock(message):
    global _clock_ms
    now = message.get("now")
    if isinstance(now, (int, float)):
        _clock_ms = now


def send(message):
    """Writes one protocol line on stdout."""
    line = json.dumps(message, separators=(",", ":"))
    with _write_lock:
        sys.stdout.write(line + "\n")
        sys.stdout.flush()


def _write_line(message):
    """Writes one protocol line on stdout in a single write, for the fork server's waiters."""
    os.write(1, (json.dumps(message, separators=(",", ":")) + "\n").encode())


def _connect(path, token, stream, fds):
    """Connects to the suite's socket as ``stream`` of the fork ``token``, on the file descriptors ``fds``."""
    conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    conn.connect(path)
    conn.sendall((json.dumps({"fork": token, "stream": stream}) + "\n").encode())
    for fd in fds:
        os.dup2(conn.fileno(), fd)
    conn.close()


def log(text):
    """Reports one log line to the suite (checked for leaked secrets)."""
    send({"log": text})


class Program:
    """Reads requests from stdin and answers them on stdout."""

    def __init__(self, hello, create, classify):
        self.hello = hello
        self.create = create
        self.classify = classify
        self.instance = None

    def _answer(self, rid, work):
        try:
            result = work()
            send({"id": rid, "ok": True, "result": result if result is not None else {}})
        except Exception as exc:  # every library error is an answer, never a crash
            try:
                info = self.classify(exc)
            except Exception:
                info = {"kind": "other", "message": "classify failed: " + traceback.format_exc(limit=2)}
            send({"id": rid, "ok": False, "error": info})

    def _dispatch(self, message):
        op = message.get("op")
        inst = self.instance
        if op == "getToken":
            return inst.get_token(message)
        if op == "fetch":
            return inst.fetch(message)
        if op == "invalidate" and hasattr(inst, "invalidate"):
            return inst.invalidate(message)
        raise NotImplementedError("unsupported operation " + str(op))

    def _fork(self, message):
        """Forks a child for one instance; returns True in the child, once it is connected.

        The fork server forks a waiter, which forks the child, answers with the child's pid, waits
        for it to exit and says how it ended. The server ignores SIGCHLD, so the kernel reaps the
        waiters, and it runs no thread, so forking it is safe.
        """
        signal.signal(signal.SIGCHLD, signal.SIG_IGN)
        gc.freeze()  # what the server made stays put, so the children keep sharing its pages
        sys.stdout.flush()
        sys.stderr.flush()
        if os.fork():
            return False
        try:
            signal.signal(signal.SIGCHLD, signal.SIG_DFL)
            pid = os.fork()
        except BaseException:
            traceback.print_exc()
            os._exit(1)
        if pid == 0:
            try:
                os.environ.update(message["env"])
                _connect(message["socket"], message["token"], "stdio", (0, 1))
                _connect(message["socket"], message["token"], "stderr", (2,))
                # A reader of its own: the server's may hold lines it read ahead.
                sys.stdin = io.TextIOWrapper(io.FileIO(0, "r", closefd=False), encoding="utf-8")
                return True
            except BaseException:
                traceback.print_exc()
                os._exit(1)
        try:
            _write_line({"id": message["id"], "ok": True, "result": {"pid": pid}})
            _, status = os.waitpid(pid, 0)
            if os.WIFSIGNALED(status):
                _write_line({"exited": pid, "signal": os.WTERMSIG(status)})
            else:
                _write_line({"exited": pid, "code": os.WEXITSTATUS(status)})
        finally:
            os._exit(0)

    def run(self):
        logging.basicConfig(level=logging.DEBUG, stream=sys.stderr, format="%(name)s %(levelname)s %(message)s")
        self._serve()

    def _serve(self):
        for line in sys.stdin:
            if not line.strip():
                continue
            message = json.loads(line)
            _set_clock(message)
            rid = message.get("id")
            op = message.get("op")
            if rid is None:
                continue  # {"op": "clock"}: taken by _set_clock
            if op == "hello":
                send({"id": rid, "ok": True, "result": {**self.hello, "fork": hasattr(os, "fork")}})
            elif op == "fork" and self.instance is None:
                if self._fork(message):
                    return self._serve()  # the forked child: an instance from here on
            elif op == "create":
                def make(m=message):
                    self.instance = self.create(m["env"], m["proxy"], m["ca"])
                self._answer(rid, make)
            elif op == "close":
                send({"id": rid, "ok": True, "result": {}})
                return
            elif self.instance is None:
                send({"id": rid, "ok": False, "error": {"kind": "other", "message": str(op) + " before create"}})
            else:
                threading.Thread(target=self._answer, args=(rid, lambda m=message: self._dispatch(m)), daemon=True).start()
