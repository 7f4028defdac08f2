"""Checks the course's Python snippets (driven by tests/python_snippets.rs).

Reads a JSON list of snippets on stdin, each {"origin", "kind", "code"}, and prints one JSON
object per line, {"origin", "problem"} for each snippet that fails a check (nothing for one
that passes), then a last line {"checked": N, "ran": M, "fragments": F}.

Every snippet is parsed (`ast.parse`, with top-level `await` allowed: the snippets are written
as the body of a coroutine, as in the asyncio REPL). Then, unless its first line is
`# fragment` (code that only makes sense inside something else, so it cannot run alone):

- every name it reads must be bound by the snippet itself, be a builtin, or be one of the
  stubs below (this catches `FIRST_COMPLETED` without `asyncio.`, or an exception class that
  is not httpx's);
- it runs under asyncio, as the body of a coroutine, with the stubs it names in scope, and
  must finish without an exception within a few seconds. The tasks it leaves behind are
  awaited, so a task that fails fails the snippet.

A `kind = "mistake"` snippet (the Python side of a lesson's `[[section.compile_fail]]`) shows
a mistake on purpose: when its comments name an exception or warning class (`SyntaxError`,
`AttributeError`, `RuntimeWarning`), running it must raise or warn exactly that; otherwise it
must run, since the point is usually that Python accepts what rustc refuses.

The stubs stand in for the application (`fetch_user`, `app`, `client`) and for libraries not
installed here (httpx, FastAPI, redis, pytest, uvicorn), with the names and call shapes the
snippets use. sqlite3, pathlib, contextlib, random and logging are the real modules.
"""

import ast
import asyncio
import builtins
import collections
import concurrent.futures
import contextlib
import io
import json
import logging
import os
import pathlib
import random
import re
import sqlite3
import sys
import tempfile
import time
import types
import typing
import warnings

TOP_LEVEL_AWAIT = ast.PyCF_ALLOW_TOP_LEVEL_AWAIT
TIMEOUT_S = 10


# --- the application's stand-ins --------------------------------------------------------------


class User:
    def __init__(self, id=1, name="ada", email="ada@example.com"):
        self.id, self.name, self.email = id, name, email


class Order:
    def __init__(self, total=10):
        self.total = total


class Item:
    def __init__(self, id=1, name="item"):
        self.id, self.name = id, name


class Page:
    """Three pages of items 10..15; the last one has no next page."""

    def __init__(self, n):
        self.items = [Item(10 + 2 * n + k, f"item{n}{k}") for k in range(2)]
        self.next = self.next_page = n + 1 if n < 2 else None


class DatabaseError(Exception):
    pass


class NotFoundError(Exception):
    pass


async def _later(value):
    await asyncio.sleep(0)
    return value


async def fetch_user(user_id=1):
    return await _later(User(user_id))


async def fetch_user_from(mirror, user_id):
    return await _later(User(user_id))


async def fetch_orders(user_id=1):
    return await _later([Order(5), Order(7)])


async def fetch_preferences(user_id=1):
    return await _later({"theme": "dark"})


async def fetch_report(i):
    if i == 2:
        raise DatabaseError(f"report {i} failed")
    return await _later({"report": i})


async def fetch_item(i):
    return await _later(Item(i))


async def fetch_page(n):
    return await _later(Page(n))


async def all_items():
    for n in range(3):
        for item in (await fetch_page(n)).items:
            yield item


async def noop(*args, **kwargs):
    await asyncio.sleep(0)


class Conn:
    async def query(self, sql):
        return await _later([User()])

    async def close(self):
        await asyncio.sleep(0)


class Pool:
    def acquire(self):
        return _async_cm(Conn())

    async def close(self):
        await asyncio.sleep(0)


@contextlib.asynccontextmanager
async def _async_cm(value):
    await asyncio.sleep(0)
    yield value


class BothLock:
    """Usable with `with` (threading.Lock) and `async with` (asyncio.Lock)."""

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    async def __aenter__(self):
        return self

    async def __aexit__(self, *exc):
        return False


class TaskGroupLike:
    """A `tg` used outside its `async with`: create_task still schedules the coroutine."""

    def create_task(self, coro):
        return asyncio.create_task(coro)


# --- stand-ins for libraries not installed here ----------------------------------------------


class Response:
    def __init__(self, status_code=200, text="ok"):
        self.status_code, self.text = status_code, text

    def raise_for_status(self):
        if self.status_code >= 400:
            raise HTTPStatusError(f"{self.status_code}", response=self)
        return self

    async def aiter_bytes(self):
        for chunk in (b"ab", b"cd"):
            yield chunk


class HTTPError(Exception):
    pass


class TransportError(HTTPError):
    pass


class TimeoutException(TransportError):
    pass


class HTTPStatusError(HTTPError):
    def __init__(self, message, *, response):
        super().__init__(message)
        self.response = response


class AsyncClient:
    def __init__(self, *args, **kwargs):
        pass

    async def get(self, url, **kwargs):
        return await _later(Response())

    def stream(self, method, url, **kwargs):
        return _async_cm(Response())

    async def aclose(self):
        await asyncio.sleep(0)

    async def __aenter__(self):
        return self

    async def __aexit__(self, *exc):
        await self.aclose()
        return False


class ASGITransport:
    def __init__(self, app):
        self.app = app


class AsyncHTTPTransport:
    def __init__(self, retries=0, **kwargs):
        self.retries = retries


httpx = types.SimpleNamespace(
    AsyncClient=AsyncClient,
    ASGITransport=ASGITransport,
    AsyncHTTPTransport=AsyncHTTPTransport,
    HTTPError=HTTPError,
    TransportError=TransportError,
    TimeoutException=TimeoutException,
    HTTPStatusError=HTTPStatusError,
    Response=Response,
)


class App:
    """FastAPI's route decorators, which register and return the handler."""

    def __init__(self):
        self.routes = {}

    def _route(self, path):
        def register(handler):
            self.routes[path] = handler
            return handler

        return register

    get = post = _route


class BackgroundTasks:
    def __init__(self):
        self.tasks = []

    def add_task(self, fn, *args):
        self.tasks.append((fn, args))


class StreamingResponse:
    def __init__(self, content):
        self.content = content


class _Redis:
    def get(self, key):
        return b"value"


class _AsyncRedis:
    async def get(self, key):
        return await _later(b"value")


redis = types.SimpleNamespace(
    Redis=_Redis, asyncio=types.SimpleNamespace(Redis=_AsyncRedis)
)
pytest = types.SimpleNamespace(
    mark=types.SimpleNamespace(asyncio=lambda fn: fn)
)
uvicorn = types.SimpleNamespace(run=lambda app, **kwargs: None)


def _items_db():
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE items(name TEXT)")
    return conn


def stubs():
    """Name -> a factory for its value, made fresh for each snippet that reads the name."""
    same = lambda value: lambda: value  # noqa: E731
    return {
        # the application
        "User": same(User),
        "Order": same(Order),
        "Item": same(Item),
        "Room": same(lambda price_per_night: types.SimpleNamespace(price=price_per_night)),
        "DatabaseError": same(DatabaseError),
        "NotFoundError": same(NotFoundError),
        "fetch_user": same(fetch_user),
        "fetch_user_from": same(fetch_user_from),
        "find_user": same(lambda name: fetch_user(1)),
        "fetch_orders": same(fetch_orders),
        "fetch_preferences": same(fetch_preferences),
        "fetch_report": same(fetch_report),
        "fetch_item": same(fetch_item),
        "get_item": same(fetch_item),
        "api_get": same(fetch_item),
        "fetch_page": same(fetch_page),
        "fetch_a": same(lambda: _later("a")),
        "fetch_b": same(lambda: _later("b")),
        "fetch_c": same(lambda: _later("c")),
        "crunch_async": same(lambda data: _later(len(data))),
        "all_items": same(all_items),
        "create_table": same(noop),
        "create_booking": same(noop),
        "audit": same(noop),
        "do_other_work": same(noop),
        "process": same(noop),
        "send_email": same(noop),
        "send_welcome_email": same(noop),
        "blocking_handler": same(noop),
        "ping": same(noop),
        "ping_worker": same(noop),
        "handle": same(lambda x: None),
        "open_conn": same(lambda name: _async_cm(Conn())),
        "open_connection": same(lambda name: _async_cm(Conn())),
        "open_pool": same(lambda: _async_cm(Pool())),
        "connect": same(lambda url: _later(Pool())),
        "legacy_checksum": same(lambda data: sum(data) % 65536),
        "build_report": same(lambda rows: len(rows)),
        "crunch": same(lambda data: len(data)),
        "blocking_io": same(lambda: None),
        "sync_db": same(types.SimpleNamespace(get=lambda i: User(i))),
        "sync_conn": same(types.SimpleNamespace(get_user=lambda i: User(i))),
        "log": same(logging.getLogger("snippet")),
        "app": App,
        "lock": BothLock,
        "totals": lambda: collections.defaultdict(int),
        "tg": TaskGroupLike,
        "background": set,
        "background_tasks": set,
        "calls": lambda: [fetch_item(i) for i in (1, 2, 3)],
        "ids": lambda: [1, 2, 3],
        "urls": lambda: ["http://127.0.0.1:8000/a", "http://127.0.0.1:8000/b"],
        "url": same("http://127.0.0.1:8000/a"),
        "names": lambda: ["users", "orders"],
        "lines": lambda: ["a", "b"],
        "line": same("a"),
        "rows": lambda: [(1, "ada")],
        "data": same(b"\x01\x02\x03"),
        "a": same(b"a"),
        "b": same(b"b"),
        "c": same(b"c"),
        "i": same(1),
        "user_id": same(1),
        "client": AsyncClient,
        "httpx_client": AsyncClient,
        "conn": _items_db,
        "db": same(":memory:"),
        "db_path": same(":memory:"),
        "q": same("SELECT 1"),
        "SLOW_SQL": same("SELECT 1"),
        "loop": asyncio.get_running_loop,
        "executor": lambda: concurrent.futures.ThreadPoolExecutor(2),
        "pool": lambda: concurrent.futures.ThreadPoolExecutor(2),
        # libraries, real or stand-ins
        "asyncio": same(asyncio),
        "time": same(time),
        "random": same(random),
        "sqlite3": same(sqlite3),
        "logging": same(logging),
        "Path": same(pathlib.Path),
        "Protocol": same(typing.Protocol),
        "contextmanager": same(contextlib.contextmanager),
        "asynccontextmanager": same(contextlib.asynccontextmanager),
        "AsyncExitStack": same(contextlib.AsyncExitStack),
        "closing": same(contextlib.closing),
        "httpx": same(httpx),
        "AsyncClient": same(AsyncClient),
        "ASGITransport": same(ASGITransport),
        "BackgroundTasks": same(BackgroundTasks),
        "StreamingResponse": same(StreamingResponse),
        "AsyncSession": same(object),
        "redis": same(redis),
        "pytest": same(pytest),
        "uvicorn": same(uvicorn),
        "requests": same(types.SimpleNamespace(get=lambda url: Response())),
    }


# --- the checks --------------------------------------------------------------------------------


def bound_and_read(tree):
    """Every name the snippet binds anywhere, and every name it reads (scopes ignored)."""
    bound, read = set(), set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            (read if isinstance(node.ctx, ast.Load) else bound).add(node.id)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            bound.add(node.name)
        elif isinstance(node, ast.arg):
            bound.add(node.arg)
        elif isinstance(node, ast.alias):
            bound.add((node.asname or node.name).split(".")[0])
        elif isinstance(node, ast.ExceptHandler) and node.name:
            bound.add(node.name)
    return bound, read


def named_exception(code):
    """The exception or warning class a mistake's comments name, if any."""
    comments = " ".join(line.split("#", 1)[1] for line in code.splitlines() if "#" in line)
    found = re.findall(r"\b([A-Z]\w*(?:Error|Warning))\b", comments)
    return found[0] if found else None


async def run(code, namespace):
    """The snippet as the body of a coroutine, then every task it left behind."""
    before = asyncio.all_tasks()
    compiled = compile(code, "<snippet>", "exec", flags=TOP_LEVEL_AWAIT)
    result = eval(compiled, namespace)
    if asyncio.iscoroutine(result):
        await result
    left = asyncio.all_tasks() - before - {asyncio.current_task()}
    if left:
        # A task that fails fails the snippet; one cancelled by the snippet is fine.
        for outcome in await asyncio.gather(*left, return_exceptions=True):
            if isinstance(outcome, Exception):
                raise outcome


async def check(snippet, known):
    code, kind = snippet["code"], snippet["kind"]
    try:
        tree = compile(code, "<snippet>", "exec", flags=TOP_LEVEL_AWAIT | ast.PyCF_ONLY_AST)
    except SyntaxError as e:
        return f"python3 cannot parse it: {e}", False
    if code.lstrip().startswith("# fragment"):
        return None, False
    expected = named_exception(code) if kind == "mistake" else None
    bound, read = bound_and_read(tree)
    unknown = sorted(read - bound - set(dir(builtins)) - set(known))
    if unknown:
        return (
            "reads names it never defines and no stub provides: "
            + ", ".join(unknown)
            + " (define them in the snippet, add a stub to tests/python_snippets/harness.py,"
            " or start the snippet with `# fragment`)",
            False,
        )
    namespace = {"__name__": "__snippet__", "__builtins__": builtins}
    for name in read - bound:
        if name in known:
            namespace[name] = known[name]()
    with warnings.catch_warnings(record=True) as heard:
        warnings.simplefilter("always")
        try:
            # What a snippet prints is not this program's output.
            with contextlib.redirect_stdout(io.StringIO()):
                async with asyncio.timeout(TIMEOUT_S):
                    await run(code, namespace)
            raised = None
        except Exception as e:  # noqa: BLE001: any failure of a snippet is a finding
            raised = e
    said = [type(w.message).__name__ for w in heard]
    if expected:
        got = type(raised).__name__ if raised else None
        if got != expected and expected not in said:
            return (
                f"its comment says {expected}, but running it "
                + (f"raised {got}: {raised}" if raised else "raised nothing")
                + (f" (warnings: {', '.join(said)})" if said else ""),
                True,
            )
        return None, True
    if raised is not None:
        return f"running it raised {type(raised).__name__}: {raised}", True
    return None, True


async def main():
    snippets = json.load(sys.stdin)
    known = stubs()
    ran = fragments = 0
    # Relative paths in snippets (`Path("big.csv")`) land in a scratch directory.
    with tempfile.TemporaryDirectory() as scratch:
        os.chdir(scratch)
        pathlib.Path("big.csv").write_text("id,name\n1,ada\n")
        logging.disable(logging.CRITICAL)
        for snippet in snippets:
            problem, did_run = await check(snippet, known)
            ran += did_run
            fragments += snippet["code"].lstrip().startswith("# fragment")
            if problem:
                print(json.dumps({"origin": snippet["origin"], "problem": problem}))
    print(json.dumps({"checked": len(snippets), "ran": ran, "fragments": fragments}))


if __name__ == "__main__":
    asyncio.run(main())
