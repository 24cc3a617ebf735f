import base64
import datetime as dt
import json
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
import redis
from django.conf import settings

from paragraphs.history import system_user
from reports.alerts import outbound
from reports.enums import ScheduleKind
from reports.services import schedule_sync_deadlines
from tests.factories import ScheduleFactory

NEW_YORK = ZoneInfo("America/New_York")
SECOND = dt.timedelta(seconds=1)


def new_york(*args) -> dt.datetime:
    """A New York wall-clock time (EDT or EST as the date says)."""
    return dt.datetime(*args, tzinfo=NEW_YORK)


def open_deadline(scheduled_on: dt.date, **schedule_fields):
    """A one-off deadline on `scheduled_on`, created through the service (cursor included),
    in a resolution whose mandate has no end (so reminders never stop for it)."""
    schedule_fields.setdefault("obligation__paragraph__resolution__mandate_expires_on", None)
    schedule = ScheduleFactory(kind=ScheduleKind.ON_DATE, on_date=scheduled_on, **schedule_fields)
    (deadline,) = schedule_sync_deadlines(schedule=schedule, by=system_user())
    return deadline


@pytest.fixture
def broker():
    """The test Redis database (REDIS_URL), emptied around the test; it is the Celery broker."""
    client = redis.Redis.from_url(settings.REDIS_URL)
    client.flushdb()
    yield client
    client.flushdb()


def queued_messages(client) -> list[tuple[str, list]]:
    """(task name, args) of every message waiting in Celery's default queue."""
    messages = []
    for raw in client.lrange("celery", 0, -1):
        envelope = json.loads(raw)
        args, _kwargs, _embed = json.loads(base64.b64decode(envelope["body"]))
        messages.append((envelope["headers"]["task"], args))
    return messages


# Webhook receivers. Names resolve from a table, never from the network: `outbound.lookup`
# is the one place webhook hosts are resolved, and every test here replaces it.

PUBLIC_ADDRESS = "93.184.215.14"  # a public address; no test connects to it
RECEIVER_HOST = "hooks.test"  # resolves to 127.0.0.1 here, and nowhere in real DNS


class FakeDNS:
    """Webhook host lookups from a table.

    `answer(host, *answers)`: each lookup of `host` takes the next answer (a list of
    addresses), the last one repeating. Without one, localhost is the loopback, names
    under example.org have PUBLIC_ADDRESS, and anything else is not found.
    """

    def __init__(self):
        self.answers: dict[str, list[list[str]]] = {}
        self.lookups: list[str] = []

    def answer(self, host: str, *answers: list[str]) -> None:
        self.answers[host] = list(answers)

    def __call__(self, host: str, port: int) -> list[str]:
        self.lookups.append(host)
        answers = self.answers.get(host)
        if answers:
            return list(answers.pop(0) if len(answers) > 1 else answers[0])
        if host == "localhost":
            return ["127.0.0.1", "::1"]
        if host == "example.org" or host.endswith(".example.org"):
            return [PUBLIC_ADDRESS]
        raise outbound.HostNotFound(f"{host}: not in the test's table")


@pytest.fixture(autouse=True)
def dns(monkeypatch) -> FakeDNS:
    fake = FakeDNS()
    monkeypatch.setattr(outbound, "lookup", fake)
    return fake


@pytest.fixture
def receiver(dns, settings):
    """An HTTP server on 127.0.0.1 that records requests and answers from a script.

    Reached as http://hooks.test:<port>/hook: the name resolves to 127.0.0.1 and the
    operator allows it (ALERT_WEBHOOK_ALLOWED_HOSTS). A script entry is a status, "slow"
    (204 after a second), "hang up" (close without answering), or a function called with
    the request before the 204.
    """
    requests, script, connections = [], [], []

    class Handler(BaseHTTPRequestHandler):
        def setup(self):
            connections.append(self.client_address)
            super().setup()

        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            request = SimpleNamespace(path=self.path, headers=self.headers, body=body)
            requests.append(request)
            answer = script.pop(0) if script else 204
            if answer == "hang up":
                self.close_connection = True
                return
            if answer == "slow":
                time.sleep(1)
                answer = 204
            if callable(answer):
                answer(request)
                answer = 204
            self.send_response(answer)
            if answer in (301, 302, 307, 308):
                self.send_header("Location", f"{url}/elsewhere")
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    port = server.server_address[1]
    url = f"http://{RECEIVER_HOST}:{port}/hook"
    dns.answer(RECEIVER_HOST, ["127.0.0.1"])
    settings.ALERT_WEBHOOK_ALLOWED_HOSTS = [RECEIVER_HOST]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield SimpleNamespace(
        url=url, port=port, requests=requests, script=script, connections=connections
    )
    server.shutdown()
    server.server_close()


@pytest.fixture
def tarpit():
    """A server on 127.0.0.1 that accepts connections and never answers; `on_accept`
    functions run in its thread for each connection."""
    server = socket.create_server(("127.0.0.1", 0))
    server.settimeout(0.1)
    held, on_accept, stop = [], [], threading.Event()

    def serve():
        while not stop.is_set():
            try:
                connection, _address = server.accept()
            except TimeoutError:
                continue
            held.append(connection)
            for function in on_accept:
                function()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield SimpleNamespace(port=server.getsockname()[1], held=held, on_accept=on_accept)
    stop.set()
    thread.join(timeout=5)
    for connection in held:
        connection.close()
    server.close()


@pytest.fixture
def black_hole():
    """A port on 127.0.0.1 that never accepts: its only backlog slot is taken, so further
    connection attempts wait (as with an address that swallows packets)."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(0)
    port = server.getsockname()[1]
    filler = socket.create_connection(("127.0.0.1", port), timeout=1)
    yield SimpleNamespace(port=port)
    filler.close()
    server.close()
