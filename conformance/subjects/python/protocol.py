"""The suite's JSON-lines subject protocol (conformance/PROTOCOL.md) for Python programs.

A program builds a ``Program`` with its ``hello`` answer, a ``create(env, proxy, ca)`` function
returning an instance (``get_token(call)``, ``fetch(request)``, optionally ``invalidate(call)``)
and a ``classify(exc)`` function, then calls ``run()``. Requests after ``create`` run on their
own threads, so many are in flight at once. Everything the libraries log goes to stderr, which
the suite reads as log lines. ``follow_clock()`` makes ``time.time()`` follow the suite's clock.
"""

import json
import logging
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

    def run(self):
        logging.basicConfig(level=logging.DEBUG, stream=sys.stderr, format="%(name)s %(levelname)s %(message)s")
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
                send({"id": rid, "ok": True, "result": self.hello})
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
