"""asyncwork's asyncio runner: the same demo the Rust engine runs, under Python's asyncio.

Shipped inside the asyncwork binary and run as `python3 -I -c <this file>`. It reads one JSON plan
on stdin (tasks with their ops, strategies, durations already in real milliseconds) and writes
JSON lines on stdout:

    {"hello": {"python": "3.11.7", "costs": {...}}}        first, with the measured fixed costs
    {"strategy": I, "skipped": "why"}                       a strategy with no asyncio equivalent
    {"strategy": I, "wall_ms": ..., "error": ..., "tasks": [...]}   a strategy's spans
    {"exception": {"strategy": I, "task": NAME, "traceback": "..."}}  a bug here, not in the demo

Times are real milliseconds since the strategy started; the Rust side turns them into lesson
time. Standard library only: the learner's python3 needs nothing installed.
"""

import asyncio
import json
import os
import random
import sqlite3
import threading
import sys
import time
import traceback

if sys.version_info < (3, 11):
    print(json.dumps({"too_old": sys.version.split()[0]}), flush=True)
    sys.exit(3)


def emit(obj):
    sys.stdout.write(json.dumps(obj, separators=(",", ":")) + "\n")
    sys.stdout.flush()


class TaskFailed(Exception):
    """The failure a demo op is meant to produce (a `fail` op, an HTTP 503): a task outcome."""


class Runner:
    """One strategy run: the spans of every task copy, measured with perf_counter."""

    def __init__(self, plan, index, ids):
        self.plan = plan
        self.index = index
        self.ids = ids  # [(name, group, op)] per task id
        # The strategies run the top-level copies (ids 0..roots); a nested resource runs inside
        # its outer one's body: `nested` maps an outer copy to the copies inside it.
        self.roots = plan.get("roots", len(ids))
        self.nested = {outer: inner for outer, inner in plan.get("nested", [])}
        self.offload = False
        self.t0 = time.perf_counter()
        n = len(ids)
        self.start = [None] * n
        self.end = [None] * n
        self.outcome = ["cancelled"] * n
        self.error = [None] * n
        self.phases = [None] * n
        self.items = [None] * n
        self.item_ms = [None] * n
        self.cut = [None] * n
        self.blocked = [None] * n
        self.conns = [None] * n
        self.keep_items = n <= 100
        self.bugs = []
        self.pool = []  # idle keep-alive connections of the shared HTTP client

    def now(self):
        return (time.perf_counter() - self.t0) * 1000.0

    # -- the span around one task: what the Rust recorder's begin/finish/cancelled do --------

    async def call(self, tid):
        self.start[tid] = self.now()
        try:
            await self.op(tid)
        except asyncio.CancelledError:
            self.finish(tid, "cancelled")
            raise
        except TaskFailed as e:
            self.finish(tid, "failed", str(e))
            raise
        except Exception as e:  # a bug in this runner: report it with the task's name
            self.finish(tid, "failed", f"{type(e).__name__}: {e}")
            self.bugs.append((self.ids[tid][0], traceback.format_exc()))
            raise TaskFailed(f"{type(e).__name__}: {e}") from e
        else:
            self.finish(tid, "ok")

    def finish(self, tid, outcome, error=None):
        self.end[tid] = self.now()
        self.outcome[tid] = outcome
        self.error[tid] = error

    def timed_out(self, tid):
        if self.outcome[tid] == "cancelled":
            self.outcome[tid] = "timed_out"
        for inner in self.nested.get(tid, []):
            self.timed_out(inner)

    def cut_at(self, tid, name):
        """The phase in which the failure or cancellation first reached the task."""
        if self.cut[tid] is None:
            self.cut[tid] = name

    def phase(self, tid, name):
        ph = [name, self.now(), None]
        if self.phases[tid] is None:
            self.phases[tid] = []
        self.phases[tid].append(ph)
        return ph

    # -- ops -----------------------------------------------------------------------------------

    async def op(self, tid):
        op = self.ids[tid][2]
        kind = op["kind"]
        if kind == "sleep":
            await asyncio.sleep(op["ms"] / 1000)
        elif kind in ("block", "cpu"):
            work = block if kind == "block" else crunch
            if self.offload:
                held = await asyncio.to_thread(work, op["ms"])
            else:
                held = work(op["ms"])  # holds the event loop's only thread
            self.blocked[tid] = held
        elif kind == "fail":
            await asyncio.sleep(op["ms"] / 1000)
            raise TaskFailed(op["message"])
        elif kind == "resource":
            await self.resource(tid, op)
        elif kind == "pages":
            self.items[tid] = 0
            async for _ in pages(op["items"], op["ms"]):
                self.items[tid] += 1
                if self.keep_items:
                    self.item_ms[tid] = (self.item_ms[tid] or []) + [self.now()]
        elif kind == "http":
            await self.http(tid, op)
        elif kind == "http_retry":
            await self.http_retry(tid, op)
        elif kind == "http_pages":
            self.items[tid] = 0
            async for _ in self.page_items(tid, op):
                self.items[tid] += 1
                if self.keep_items:
                    self.item_ms[tid] = (self.item_ms[tid] or []) + [self.now()]
        elif kind == "sqlite_bulk":
            await self.sqlite_bulk(tid, op)
        elif kind == "sqlite":
            if op["offload"] or self.offload:
                held = await asyncio.to_thread(query_for, self.plan["db"], op["ms"])
            else:
                held = query_for(self.plan["db"], op["ms"])
            self.blocked[tid] = held
        else:
            raise TaskFailed(f"op `{kind}` is not in the Python runner")

    async def resource(self, tid, op):
        fails = op.get("fails")  # [phase, message] or None
        runner = self

        class Resource:
            """`async with`: setup in __aenter__, teardown in __aexit__ (even on cancellation)."""

            async def __aenter__(self):
                ph = runner.phase(tid, "setup")
                try:
                    await asyncio.sleep(op["setup_ms"] / 1000)
                    if fails and fails[0] == "setup":
                        raise TaskFailed(fails[1])
                except BaseException:
                    runner.cut_at(tid, "setup")
                    raise
                finally:
                    ph[2] = runner.now()
                return self

            async def __aexit__(self, *exc):
                ph = runner.phase(tid, "teardown")
                # Unlike a dropped Rust future, a cancelled coroutine runs this: the teardown
                # awaits even after CancelledError was raised inside the body.
                try:
                    await asyncio.sleep(op["teardown_ms"] / 1000)
                except BaseException:
                    runner.cut_at(tid, "teardown")
                    raise
                ph[2] = runner.now()
                if fails and fails[0] == "teardown":
                    runner.cut_at(tid, "teardown")
                    raise TaskFailed(fails[1])
                return False

        try:
            async with Resource():
                ph = self.phase(tid, "body")
                try:
                    # `async with outer: async with inner:` - each nested resource runs in this
                    # body, one after another; its error leaves this `async with` too.
                    for inner in self.nested.get(tid, []):
                        try:
                            await self.call(inner)
                        except TaskFailed as e:
                            raise TaskFailed(f"{self.ids[inner][0]}: {e}") from e
                    await asyncio.sleep(op["ms"] / 1000)
                    if fails and fails[0] == "body":
                        raise TaskFailed(fails[1])
                except BaseException:
                    # Cut here: the error or CancelledError was raised in the body, whatever
                    # __aexit__ does after it.
                    self.cut_at(tid, "body")
                    raise
                finally:
                    ph[2] = self.now()
        except BaseException:
            if self.phases[tid] and self.cut[tid] is None:
                # The phase the failure or cancellation reached first (the one left unfinished,
                # or the last one that ran).
                open_ = [p for p in self.phases[tid] if p[2] is None]
                self.cut[tid] = (open_ or [self.phases[tid][-1]])[0][0]
            raise

    async def http(self, tid, op):
        path = op["path"].replace("{key}", f"py{self.index}-t{tid}")
        try:
            if op.get("timeout_ms") is not None:
                async with asyncio.timeout(op["timeout_ms"] / 1000):
                    status, conn = await self.get(path, op["new_client"], tid)
            else:
                status, conn = await self.get(path, op["new_client"], tid)
        except TimeoutError:
            raise TaskFailed(f"GET {path}: no answer within {op['timeout_lesson_ms']} ms")
        except (OSError, EOFError, ValueError, IndexError) as e:
            # Refused, reset, cut short (IncompleteReadError is an EOFError), or a reply that is
            # not HTTP: the request failed, as a reqwest error fails the Rust task.
            raise TaskFailed(f"GET {path}: {type(e).__name__}: {e}")
        if conn is not None:
            self.conns[tid] = [conn]
        # `status` is the status line after the version: `429 Too Many Requests`.
        if int(status.split()[0]) >= 400:
            raise TaskFailed(f"GET {path}: {status}")

    async def http_retry(self, tid, op):
        """Retries with exponential backoff and equal jitter (half the doubling delay, plus a
        random half), each attempt cut off by a timeout, as the Rust op does; 429 and 5xx are
        retried, other errors are not (asking again will not change them)."""
        path = op["path"].replace("{key}", f"py{self.index}-t{tid}")
        attempts = max(1, min(op["attempts"], 10))
        for n in range(1, attempts + 1):
            ph = self.phase(tid, f"attempt {n}")
            error = None
            try:
                async with asyncio.timeout(op["timeout_ms"] / 1000):
                    status, _ = await self.get(path, False, tid)
            except TimeoutError:
                error = f"no answer within {op['timeout_lesson_ms']} ms"
            except (OSError, EOFError, ValueError, IndexError) as e:
                error = f"{type(e).__name__}: {e}"
            ph[2] = self.now()  # not on CancelledError: a cut attempt stays open, as in Rust
            if error is None:
                code = int(status.split()[0])
                if code < 400:
                    return
                if not (code == 429 or code >= 500):
                    raise TaskFailed(
                        f"GET {path}: {status} (not retried: asking again will not change it)")
                error = status
            if n == attempts:
                raise TaskFailed(f"GET {path}: gave up after {attempts} attempts; the last: {error}")
            base = op["backoff_ms"] / 1000 * 2 ** (n - 1)
            await asyncio.sleep(base * (0.5 + 0.5 * random.random()))

    async def page_items(self, tid, op):
        """An async generator over `/pages`: one GET per page, items yielded as each page
        arrives, until an empty page ends the listing (`async for item in listing():`)."""
        query = f"size={op['page_size']}&delay={op['delay']}&total={op['items']}"
        page = 0
        while True:
            path = f"/pages?page={page}&{query}"
            try:
                status, _ = await self.get(path, False, tid)
                ids = [item["id"] for item in json.loads(self.body)["items"]]
            except (OSError, EOFError, ValueError, IndexError, KeyError, TypeError) as e:
                raise TaskFailed(f"GET {path}: {type(e).__name__}: {e}")
            if int(status.split()[0]) >= 400:
                raise TaskFailed(f"GET {path}: {status}")
            if not ids:
                return
            for item in ids:
                yield item
            page += 1

    async def sqlite_bulk(self, tid, op):
        """`rows` inserts into a database file of this task's own, each committed on its own
        (autocommit) or all in one transaction; inline or in `asyncio.to_thread`. A thread
        cannot be cancelled from outside, so a cancelled task sets an event it checks."""
        path = os.path.join(os.path.dirname(self.plan["db"]), f"py-bulk-{self.index}-t{tid}.db")
        stop = threading.Event()
        args = (path, op["rows"], op["transaction"], stop)
        t = time.perf_counter()
        try:
            if op["offload"] or self.offload:
                written = await asyncio.to_thread(bulk_insert, *args)
            else:
                written = bulk_insert(*args)  # holds the event loop's only thread
        except asyncio.CancelledError:
            stop.set()
            raise
        except sqlite3.Error as e:
            raise TaskFailed(f"insert failed: {e}")
        finally:
            self.blocked[tid] = (time.perf_counter() - t) * 1000
        if written != op["rows"]:
            raise TaskFailed(f"stopped after {written} of {op['rows']} rows")

    async def get(self, path, new_client, tid):
        """A minimal HTTP/1.1 GET over asyncio streams; keep-alive connections are reused from
        `self.pool` (one shared client), or a new connection serves one request (a client per
        request, like `httpx.get`)."""
        host, port = self.plan["server"]
        conn = None if new_client or not self.pool else self.pool.pop()
        if conn is None:
            conn = await asyncio.open_connection(host, port)
        reader, writer = conn
        keep = False
        try:
            writer.write(
                f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\n"
                f"Connection: {'close' if new_client else 'keep-alive'}\r\n\r\n".encode()
            )
            await writer.drain()
            line = await reader.readline()
            if not line:
                raise OSError("connection closed before a response")
            # `HTTP/1.1 429 Too Many Requests`: the code, and the code with its reason.
            status_line = line.decode("latin-1").split(" ", 1)[1].strip()
            status = int(status_line.split()[0])
            headers = {}
            while True:
                h = await reader.readline()
                if h in (b"\r\n", b"\n", b""):
                    break
                k, _, v = h.decode("latin-1").partition(":")
                headers[k.strip().lower()] = v.strip()
            lines = path.startswith("/stream")
            body = b""
            if headers.get("transfer-encoding", "").lower() == "chunked":
                while True:
                    size = int((await reader.readline()).split(b";")[0], 16)
                    if size == 0:
                        await reader.readline()
                        break
                    chunk = await reader.readexactly(size)
                    body += chunk
                    await reader.readexactly(2)
                    if lines:
                        self.items[tid] = (self.items[tid] or 0) + chunk.count(b"\n")
            elif "content-length" in headers:
                body = await reader.readexactly(int(headers["content-length"]))
            else:
                body = await reader.read()
            keep = not new_client and headers.get("connection", "").lower() != "close"
            conn_no = headers.get("x-connection")
            self.body = body  # the last response's body, for the paged listing
            return status_line, (int(conn_no) if conn_no and conn_no.isdigit() else None)
        finally:
            if keep:
                self.pool.append(conn)
            else:
                writer.close()

    # -- the report ----------------------------------------------------------------------------

    def tasks(self):
        out = []
        for tid in range(len(self.ids)):
            t = {"s": self.start[tid], "e": self.end[tid], "o": self.outcome[tid]}
            for key, val in (
                ("err", self.error[tid]),
                ("ph", self.phases[tid]),
                ("items", self.items[tid]),
                ("it", self.item_ms[tid]),
                ("cut", self.cut[tid]),
                ("blk", self.blocked[tid]),
                ("conn", self.conns[tid]),
            ):
                if val is not None:
                    t[key] = val
            out.append(t)
        return out


def block(ms):
    t = time.perf_counter()
    time.sleep(ms / 1000)
    return (time.perf_counter() - t) * 1000


def crunch(ms):
    t = time.perf_counter()
    end = t + ms / 1000
    x = 0
    while time.perf_counter() < end:
        x += 1
    return (time.perf_counter() - t) * 1000


def bulk_insert(path, rows, transaction, stop):
    # isolation_level=None: sqlite3 leaves transactions to us, so each INSERT outside BEGIN is
    # its own commit (a journal written and synced), as rusqlite's autocommit is.
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("DROP TABLE IF EXISTS items")
        conn.execute("CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT NOT NULL)")
        written = 0
        if transaction:
            conn.execute("BEGIN")
        for i in range(rows):
            if stop.is_set():
                break
            conn.execute("INSERT INTO items (name) VALUES (?)", (f"item {i}",))
            written += 1
        if transaction:
            conn.execute("COMMIT")
        return written
    finally:
        conn.close()


def query_for(db, ms):
    """`ms` of real SQLite work: the counting query sized to about 5 ms, run again until the
    time is up (as the Rust op does), so a calibration on a busy moment cannot make it short."""
    t = time.perf_counter()
    rows = max(1, int(min(ms, 5.0) * rows_per_ms()))
    conn = sqlite3.connect(db)
    try:
        while True:
            conn.execute(
                "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < ?) "
                "SELECT sum(x) FROM n",
                (rows,),
            ).fetchone()
            if (time.perf_counter() - t) * 1000 >= ms:
                break
    finally:
        conn.close()
    return (time.perf_counter() - t) * 1000


RATE = []


def rows_per_ms():
    """Rows of the counting query per ms with this Python's sqlite3 (its SQLite is not the one
    the Rust side bundles): the fastest of five timed runs, measured once."""
    if not RATE:
        conn = sqlite3.connect(":memory:")
        sample = 100_000
        best = float("inf")
        for _ in range(5):
            t = time.perf_counter()
            conn.execute(
                "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < ?) "
                "SELECT sum(x) FROM n",
                (sample,),
            ).fetchone()
            best = min(best, time.perf_counter() - t)
        conn.close()
        RATE.append(sample / max(best * 1000, 0.001))
    return RATE[0]


async def pages(items, ms):
    """An async generator: one item every `ms`."""
    for i in range(items):
        await asyncio.sleep(ms / 1000)
        yield i


# -- strategies: each is the asyncio idiom the Rust strategy mirrors ----------------------------


async def sequential(r, s):
    calls = [r.call(t) for t in range(r.roots)]  # coroutines: nothing runs yet
    await caller_work(s)
    for c in calls:
        try:
            await c
        except TaskFailed:
            pass  # kept, and the loop goes on
    return None


async def gather(r, s):
    calls = [r.call(t) for t in range(r.roots)]
    await caller_work(s)
    # gather wraps each coroutine in a Task now; every outcome is kept.
    await asyncio.gather(*calls, return_exceptions=True)
    return None


async def try_gather(r, s):
    tasks = [asyncio.ensure_future(r.call(t)) for t in range(r.roots)]
    r.leftovers = tasks
    try:
        await asyncio.gather(*tasks)
    except TaskFailed as e:
        # The first error reaches the caller; the other tasks are NOT cancelled: they run on.
        return str(e)
    return None


async def taskgroup(r, s):
    error = None
    try:
        async with asyncio.TaskGroup() as tg:
            for t in range(r.roots):
                tg.create_task(r.call(t))
    except* TaskFailed as eg:
        # The first failure cancelled the siblings; the group raises an ExceptionGroup.
        error = str(eg.exceptions[0])
    return error


async def spawn(r, s):
    tasks = [asyncio.create_task(r.call(t)) for t in range(r.roots)]
    if s.get("detach"):
        # Keep a reference, as the asyncio docs ask: a task nothing refers to may be garbage
        # collected before it finishes. The runner waits for them after the caller returns.
        r.leftovers = tasks
        return None
    await caller_work(s)
    first = None
    for task in tasks:
        try:
            await task
        except TaskFailed as e:
            first = first or str(e)
    return first


async def bounded(r, s):
    sem = asyncio.Semaphore(max(1, s["limit"]))

    async def one(t):
        async with sem:
            await r.call(t)

    await asyncio.gather(*(one(t) for t in range(r.roots)), return_exceptions=True)
    return None


async def race(r, s):
    tasks = [asyncio.create_task(r.call(t)) for t in range(r.roots)]
    done, pending = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
    # asyncio.wait leaves the losers running; they stop only when cancelled, at their next await.
    for task in pending:
        task.cancel()
    r.leftovers = list(pending)
    winner = next(iter(done))
    return str(winner.exception()) if winner.exception() else None


async def timeout(r, s):
    deadline = s["ms"] / 1000
    if s["scope"] == "task":

        async def one(t):
            try:
                async with asyncio.timeout(deadline):
                    await r.call(t)
            except TimeoutError:
                r.timed_out(t)

        await asyncio.gather(*(one(t) for t in range(r.roots)), return_exceptions=True)
        return None
    try:
        async with asyncio.timeout(deadline):
            # CancelledError is raised inside every unfinished task; each runs its own cleanup
            # (a resource's __aexit__) before the deadline's TimeoutError reaches us.
            await asyncio.gather(*(r.call(t) for t in range(r.roots)), return_exceptions=True)
    except TimeoutError:
        for t in range(r.roots):
            r.timed_out(t)
        return f"deadline of {s['lesson_ms']} ms passed"
    return None


async def offload(r, s):
    r.offload = True  # blocking and cpu ops go to asyncio.to_thread
    return await gather(r, s)


async def stream(r, s):
    limit = s.get("limit")
    if limit is None:
        # An async iterator: each result awaited as it comes, one at a time.
        async def results():
            for t in range(r.roots):
                try:
                    yield await r.call(t)
                except TaskFailed:
                    yield None

        async for _ in results():
            pass
        return None
    sem = asyncio.Semaphore(max(1, limit))

    async def one(t):
        async with sem:
            await r.call(t)

    for fut in asyncio.as_completed([one(t) for t in range(r.roots)]):
        try:
            await fut
        except TaskFailed:
            pass
    return None


async def caller_work(s):
    if s.get("delay_ms"):
        await asyncio.sleep(s["delay_ms"] / 1000)


STRATEGIES = {
    "sequential": sequential,
    "gather": gather,
    "try_gather": try_gather,
    "taskgroup": taskgroup,
    "spawn": spawn,
    "bounded": bounded,
    "race": race,
    "timeout": timeout,
    "offload": offload,
    "stream": stream,
}

SKIPPED = {
    "join_all": "asyncio has no join_all: futures::join_all polls every future inside ONE task "
    "under tokio's budget, while asyncio.gather makes each coroutine its own Task",
}


# `clock = "paused"` in a strategy entry: tokio's paused clock, which asyncio does not have.
PAUSED_CLOCK = ("asyncio has no paused clock: the event loop's time() is the machine's monotonic "
                "clock, so its sleeps would really wait; tokio's paused clock jumps from timer to timer")


async def run_strategy(plan, index, ids):
    s = plan["strategies"][index]
    r = Runner(plan, index, ids)
    r.leftovers = []
    error = await STRATEGIES[s["kind"]](r, s)
    wall = r.now()
    # Tasks that outlive the caller (detached, left running by gather or asyncio.wait): let them
    # end, as the Rust runner waits for detached tasks.
    pending = [t for t in r.leftovers if not t.done()]
    if pending:
        await asyncio.wait(pending, timeout=plan["cleanup_s"])
    for t in r.leftovers:
        if t.done() and not t.cancelled():
            t.exception()  # retrieved: no "exception was never retrieved" warning
    for w in r.pool:
        w[1].close()
    return {"strategy": index, "wall_ms": wall, "error": error, "tasks": r.tasks()}, r.bugs


def expand(plan):
    ids = []
    for g, task in enumerate(plan["tasks"]):
        for k in range(task["count"]):
            name = task["name"] if task["count"] == 1 else f"{task['name']}#{k + 1}"
            ids.append((name, g, task["op"]))
    return ids


def calibrate():
    """What every strategy run pays in real ms (the Rust runner's FixedCosts, for asyncio): getting
    a few tasks going, each task of a 1,000-task gather, how late a timer fires, a to_thread's
    thread. The worst of three, doubled, as the Rust side does."""

    async def measure():
        t = time.perf_counter()
        await asyncio.gather(*(asyncio.sleep(0) for _ in range(4)))
        start = (time.perf_counter() - t) * 1000
        n = 1000
        t = time.perf_counter()
        await asyncio.gather(*(asyncio.sleep(0) for _ in range(n)))
        task = (time.perf_counter() - t) * 1000 / n
        waits = 5
        t = time.perf_counter()
        for _ in range(waits):
            await asyncio.sleep(0.002)
        late = ((time.perf_counter() - t) * 1000 - 2 * waits) / waits
        t = time.perf_counter()
        await asyncio.gather(*(asyncio.to_thread(time.sleep, 0.0002) for _ in range(4)))
        thread = max(0.0, ((time.perf_counter() - t) * 1000 - 0.2) / 4)
        return start, task, late, thread

    # A strategy's wall time is measured inside its event loop, so the loop's own start is not
    # part of it (as the Rust runtime's build is not).
    runs = [asyncio.run(measure()) for _ in range(3)]

    def worst(i):
        return max(r[i] for r in runs)

    return {
        "runtime_ms": 1.0 + 2.0 * worst(0),
        "task_ms": 2.0 * worst(1),
        "tick_ms": max(2.0 * worst(2), 1.0) + 1.0,
        "thread_ms": 2.0 * worst(3),
    }


def main():
    plan = json.loads(sys.stdin.read())
    emit({"hello": {"python": sys.version.split()[0], "costs": calibrate()}})
    ids = expand(plan)
    if any(op["kind"] == "sqlite" for _, _, op in ids):
        rows_per_ms()  # calibrated now, not inside the first timed query
    unsupported = sorted({op["kind"] for _, _, op in ids} - {
        "sleep", "block", "cpu", "fail", "resource", "pages", "http", "sqlite",
        "http_retry", "http_pages", "sqlite_bulk"})
    for index, s in enumerate(plan["strategies"]):
        if s["kind"] in SKIPPED:
            emit({"strategy": index, "skipped": SKIPPED[s["kind"]]})
            continue
        if s.get("clock") == "paused":
            emit({"strategy": index, "skipped": PAUSED_CLOCK})
            continue
        if unsupported:
            emit({"strategy": index,
                  "skipped": f"the Python runner does not implement op {', '.join(unsupported)}"})
            continue
        try:
            line, bugs = asyncio.run(run_strategy(plan, index, ids))
        except BaseException:
            emit({"exception": {"strategy": index, "task": None,
                                "traceback": traceback.format_exc()}})
            return
        for task, tb in bugs:
            emit({"exception": {"strategy": index, "task": task, "traceback": tb}})
        emit(line)


main()
