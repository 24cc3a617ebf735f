"""Webhooks cannot reach inside, are signed with time, and hold up no one's e-mail.

Against the real stack: PostgreSQL, live HTTP(S) servers on 127.0.0.1, a Celery worker.
Host names resolve from the test's table (`dns`, conftest.py); 127.0.0.1 is reached only
through a name (or address) the test allows, as an operator would.
"""

import datetime as dt
import shutil
import socket
import ssl
import subprocess
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import SimpleNamespace

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from reports.alerts import channels, dispatch, outbound
from reports.alerts import clock as alert_clock
from reports.alerts.models import AlertDelivery, Subscription, Webhook
from reports.alerts.services import webhook_create
from tests.reports.alerts.conftest import (
    PUBLIC_ADDRESS,
    RECEIVER_HOST,
    new_york,
    open_deadline,
    queued_messages,
)
from tests.reports.alerts.test_worker import celery_worker, sent_mails, wait_for
from tests.reports.alerts.webhook_receiver import TOLERANCE, verify

pytestmark = pytest.mark.django_db
LEAD_14 = new_york(2023, 7, 30, 9)


@pytest.fixture
def report(frozen_clock, manager, analyst):
    """A report due 13 August 2023, assigned to the analyst (who has an e-mail address)
    and followed by the manager (whose webhooks get its alerts). The manager is created
    first, so the manager's deliveries come first in id order."""
    frozen_clock.move_to(new_york(2023, 7, 14, 12))
    analyst.email = "ana@example.org"
    analyst.save(update_fields=["email"])
    deadline = open_deadline(dt.date(2023, 8, 13))
    obligation = deadline.schedule.obligation
    obligation.assigned_analyst = analyst
    obligation.save(update_fields=["assigned_analyst"])
    Subscription.objects.create(user=manager, actor=obligation.owner)
    return deadline


def alert(frozen_clock) -> None:
    """Raise the lead-14d alert and its deliveries; the tests send them themselves."""
    frozen_clock.move_to(LEAD_14)
    alert_clock.tick(now=timezone.now())


def webhook_deliveries() -> list[AlertDelivery]:
    return list(AlertDelivery.objects.filter(channel="webhook").order_by("id"))


def send_all() -> None:
    channels.send(list(AlertDelivery.objects.values_list("id", flat=True)))


@pytest.fixture
def no_connection(monkeypatch):
    """Every webhook connection attempted (none is made: the tests assert it stays empty)."""
    opened = []
    monkeypatch.setattr(outbound, "_connect", lambda target, timeout: opened.append(target))
    return opened


# At save: the URL, its host's addresses, duplicates.


@pytest.mark.parametrize(
    ("url", "host"),
    [
        ("http://127.0.0.1:{port}/", "127.0.0.1"),
        ("http://127.0.0.1:6379/", "127.0.0.1"),
        ("http://127.0.0.1:5432/", "127.0.0.1"),
        ("http://localhost/", "localhost"),
        ("http://localhost:{port}/hook", "localhost"),
        ("http://[::1]/", "::1"),
        ("http://0.0.0.0/", "0.0.0.0"),
        ("http://169.254.169.254/latest/meta-data/", "169.254.169.254"),
        ("http://10.0.0.1/", "10.0.0.1"),
        ("http://192.168.1.10/", "192.168.1.10"),
        ("http://172.16.0.1/", "172.16.0.1"),
        ("http://100.64.0.1/", "100.64.0.1"),
        ("http://224.0.0.1/", "224.0.0.1"),
        ("http://255.255.255.255/", "255.255.255.255"),
        ("http://192.0.2.1/", "192.0.2.1"),
        ("http://[::ffff:127.0.0.1]/", "::ffff:127.0.0.1"),
        ("http://[::ffff:7f00:1]:{port}/", "::ffff:7f00:1"),
        ("http://[::]/", "::"),
        ("http://[fe80::1]/", "fe80::1"),
        ("http://[fd00:ec2::254]/", "fd00:ec2::254"),
        ("https://[fc00::1]/", "fc00::1"),
    ],
)
def test_webhook_to_an_address_that_is_not_public_is_refused_at_save(
    client, manager, receiver, no_connection, url, host
):
    client.force_login(manager)

    response = client.post("/alerts/webhooks/", {"url": url.format(port=receiver.port)})

    page = response.content.decode()
    assert response.status_code == 400
    assert page.count(f"This address is not public: {host}.") == 1
    assert not Webhook.objects.exists()
    assert (no_connection, receiver.connections) == ([], [])


def test_webhook_whose_name_has_one_private_address_among_public_ones_is_refused(
    manager, dns, no_connection
):
    dns.answer("mixed.example.org", [PUBLIC_ADDRESS, "127.0.0.1"])

    with pytest.raises(ValidationError) as refused:
        webhook_create(owner=manager, url="https://mixed.example.org/hook")

    assert refused.value.messages == ["This address is not public: mixed.example.org."]
    assert dns.lookups == ["mixed.example.org"]
    assert (Webhook.objects.count(), no_connection) == (0, [])


def test_webhook_to_a_host_with_no_address_is_refused(manager):
    with pytest.raises(ValidationError) as refused:
        webhook_create(owner=manager, url="https://hooks.nowhere.invalid/")

    assert refused.value.messages == ["No address was found for hooks.nowhere.invalid."]
    assert not Webhook.objects.exists()


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "ftp://files.example.org/alerts",
        "hooks.example.org/alerts",
        "http://",
        "https://user:secret@hooks.example.org/",
        "http://hooks.example.org:99999/",
        "http://2130706433/",
    ],
)
def test_webhook_form_shows_one_readable_error_for_an_invalid_url(client, manager, url):
    client.force_login(manager)

    response = client.post("/alerts/webhooks/", {"url": url})

    page = response.content.decode()
    assert response.status_code == 400
    assert page.count("Enter a valid http or https URL.") == 1
    assert "Enter a valid URL." not in page
    assert "Constraint" not in page
    assert not Webhook.objects.exists()


def test_webhook_form_says_a_duplicate_is_one(client, manager):
    client.force_login(manager)
    client.post("/alerts/webhooks/", {"url": "https://hooks.example.org/mt"})

    response = client.post("/alerts/webhooks/", {"url": "https://hooks.example.org/mt"})

    page = response.content.decode()
    assert response.status_code == 400
    assert page.count("You already have this webhook.") == 1
    assert "Constraint" not in page and "already exists" not in page
    assert Webhook.objects.count() == 1


@pytest.mark.parametrize(
    ("address", "accepted"),
    [
        ("10.1.2.3", True),
        ("100.64.0.7", True),
        ("127.0.0.1", True),
        ("fd12:3456::1", True),
        ("169.254.169.254", False),
        ("100.100.100.200", False),
        ("fd00:ec2::254", False),
        ("fe80::1", False),
        ("0.0.0.0", False),
        ("224.0.0.1", False),
    ],
)
def test_an_allowed_host_may_be_private_but_never_link_local_or_metadata(
    manager, dns, settings, address, accepted
):
    settings.ALERT_WEBHOOK_ALLOWED_HOSTS = ["hooks.intranet.example.org"]
    dns.answer("hooks.intranet.example.org", [address])

    try:
        webhook_create(owner=manager, url="https://hooks.intranet.example.org/alerts")
    except ValidationError as error:
        outcome = error.messages
    else:
        outcome = []

    assert outcome == (
        [] if accepted else ["This address is not public: hooks.intranet.example.org."]
    )
    assert Webhook.objects.count() == int(accepted)


@pytest.mark.parametrize(
    ("address", "verdict"),
    [
        ("93.184.215.14", "public"),
        ("2606:2800:21f:cb07:6820:80da:af6b:8b2c", "public"),
        ("8.8.8.8", "public"),
        ("127.0.0.1", "private"),
        ("127.255.255.254", "private"),
        ("10.0.0.1", "private"),
        ("172.31.255.255", "private"),
        ("192.168.1.10", "private"),
        ("100.64.0.1", "private"),
        ("::1", "private"),
        ("fc00::1", "private"),
        ("::ffff:127.0.0.1", "private"),
        ("::ffff:10.0.0.1", "private"),
        ("64:ff9b::a00:1", "private"),  # NAT64 of 10.0.0.1
        ("2002:7f00:1::", "private"),  # 6to4 of 127.0.0.1
        ("::ffff:8.8.8.8", "public"),
        ("0.0.0.0", "never"),
        ("0.1.2.3", "never"),
        ("169.254.169.254", "never"),
        ("::ffff:169.254.169.254", "never"),
        ("224.0.0.1", "never"),
        ("239.255.255.250", "never"),
        ("255.255.255.255", "never"),
        ("240.0.0.1", "never"),
        ("192.0.2.1", "never"),
        ("198.51.100.7", "never"),
        ("203.0.113.9", "never"),
        ("198.18.0.1", "never"),
        ("::", "never"),
        ("::7f00:1", "never"),  # IPv4-compatible 127.0.0.1
        ("fe80::1", "never"),
        ("ff02::1", "never"),
        ("2001:db8::1", "never"),
        ("2001::1", "never"),  # Teredo
        ("fd00:ec2::254", "never"),
        ("100.100.100.200", "never"),
    ],
)
def test_addresses_are_public_private_or_never(address, verdict):
    assert outbound.classify(address) == verdict


# At the call: checked again, pinned to the checked address.


def test_a_name_that_turns_to_loopback_after_save_is_refused_at_the_call(
    frozen_clock, report, manager, receiver, dns
):
    url = f"http://rebind.example.org:{receiver.port}/hook"
    dns.answer("rebind.example.org", [PUBLIC_ADDRESS], ["127.0.0.1"])
    webhook_create(owner=manager, url=url)  # public at save
    alert(frozen_clock)

    send_all()  # loopback at the call

    (delivery,) = webhook_deliveries()
    assert (delivery.status, delivery.attempts, delivery.last_error) == (
        "pending",
        1,
        "Could not deliver: its address is not public.",
    )
    assert (receiver.requests, receiver.connections) == ([], [])
    assert dns.lookups == ["rebind.example.org", "rebind.example.org"]


def test_the_call_connects_to_the_address_that_was_checked(
    frozen_clock, report, manager, receiver, dns
):
    # At save and at the call the name is 127.0.0.1 (allowed); any later lookup would
    # answer an address where nothing listens, and real DNS has no hooks.test at all.
    dns.answer(RECEIVER_HOST, ["127.0.0.1"], ["127.0.0.1"], ["127.0.0.2"])
    webhook = webhook_create(owner=manager, url=receiver.url)
    alert(frozen_clock)

    send_all()

    (delivery,) = webhook_deliveries()
    (request,) = receiver.requests
    assert (delivery.status, delivery.last_error) == ("sent", "")
    assert request.headers["Host"] == f"{RECEIVER_HOST}:{receiver.port}"
    assert request.path == "/hook"
    assert dns.lookups == [RECEIVER_HOST, RECEIVER_HOST]
    assert webhook.url == receiver.url


@pytest.fixture
def tls_receiver(tmp_path, dns, settings):
    """An HTTPS server on 127.0.0.1 with a certificate for hooks.test from a test CA.

    Records the server names (SNI) clients asked for and the requests that got through;
    `trust` is a client context that trusts the test CA.
    """
    openssl = shutil.which("openssl") or pytest.skip("needs the openssl command")

    def run(command: str):
        subprocess.run([openssl, *command.split()], cwd=tmp_path, check=True, capture_output=True)

    run(
        "req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=Test-CA -keyout ca.key -out ca.pem"
        " -addext keyUsage=critical,keyCertSign,cRLSign"
    )
    run(f"req -newkey rsa:2048 -nodes -subj /CN={RECEIVER_HOST} -keyout hook.key -out hook.csr")
    (tmp_path / "ext").write_text(
        f"subjectAltName=DNS:{RECEIVER_HOST}\nbasicConstraints=CA:FALSE\n"
        "keyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n"
        "authorityKeyIdentifier=keyid\n"
    )
    run(
        "x509 -req -in hook.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 2"
        " -extfile ext -out hook.pem"
    )
    names, requests = [], []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            requests.append(SimpleNamespace(headers=self.headers, body=body))
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args):
            pass

    server_tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server_tls.load_cert_chain(tmp_path / "hook.pem", tmp_path / "hook.key")
    server_tls.sni_callback = lambda sock, name, context: names.append(name)
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.socket = server_tls.wrap_socket(server.socket, server_side=True)
    port = server.server_address[1]
    dns.answer(RECEIVER_HOST, ["127.0.0.1"])
    dns.answer("other.test", ["127.0.0.1"])
    settings.ALERT_WEBHOOK_ALLOWED_HOSTS = [RECEIVER_HOST, "other.test"]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield SimpleNamespace(
        url=f"https://{RECEIVER_HOST}:{port}/hook",
        port=port,
        names=names,
        requests=requests,
        trust=ssl.create_default_context(cafile=str(tmp_path / "ca.pem")),
    )
    server.shutdown()
    server.server_close()


def test_https_call_to_a_checked_address_uses_the_host_name_for_sni_and_certificate(
    tls_receiver,
):
    target = outbound.resolve_public(tls_receiver.url)

    status = outbound.post(
        target, b"{}", {}, connect_timeout=2, read_timeout=2, tls=tls_receiver.trust
    )

    assert (status, target.addresses) == (204, ("127.0.0.1",))
    assert tls_receiver.names == [RECEIVER_HOST]
    (request,) = tls_receiver.requests
    assert request.headers["Host"] == f"{RECEIVER_HOST}:{tls_receiver.port}"


def test_https_certificate_for_another_name_is_refused(tls_receiver):
    target = outbound.resolve_public(f"https://other.test:{tls_receiver.port}/hook")

    with pytest.raises(ssl.SSLCertVerificationError, match="Hostname mismatch"):
        outbound.post(target, b"{}", {}, connect_timeout=2, read_timeout=2, tls=tls_receiver.trust)

    assert (tls_receiver.names, tls_receiver.requests) == (["other.test"], [])


def test_https_receiver_whose_certificate_is_not_trusted_is_a_recorded_failure(
    frozen_clock, report, manager, tls_receiver
):
    webhook_create(owner=manager, url=tls_receiver.url)
    alert(frozen_clock)

    send_all()

    (delivery,) = webhook_deliveries()
    assert delivery.last_error == (
        "Could not deliver: the receiver's certificate could not be verified."
    )
    assert (tls_receiver.names, tls_receiver.requests) == ([RECEIVER_HOST], [])


# Signed with time.


def test_a_real_call_verifies_and_a_replay_or_a_tampered_call_does_not(
    frozen_clock, report, manager, receiver, settings
):
    webhook = webhook_create(owner=manager, url=receiver.url)
    alert(frozen_clock)

    send_all()

    (request,) = receiver.requests
    (delivery,) = webhook_deliveries()
    sent_at = LEAD_14.timestamp()
    headers = dict(request.headers)
    assert headers["X-Mandate-Timestamp"] == str(int(sent_at))
    assert headers["X-Mandate-Delivery"] == str(delivery.pk)
    assert verify(webhook.secret, headers, request.body, now=sent_at)
    assert verify(webhook.secret, headers, request.body, now=sent_at + TOLERANCE)
    assert TOLERANCE == settings.ALERT_WEBHOOK_TOLERANCE_SECONDS
    # The same call replayed after the tolerance:
    assert not verify(webhook.secret, headers, request.body, now=sent_at + TOLERANCE + 1)
    # A fresher timestamp, another delivery, another body, another secret, no signature:
    later = {**headers, "X-Mandate-Timestamp": str(int(sent_at) + 60)}
    assert not verify(webhook.secret, later, request.body, now=sent_at + 60)
    moved = {**headers, "X-Mandate-Delivery": str(delivery.pk + 1)}
    assert not verify(webhook.secret, moved, request.body, now=sent_at)
    assert not verify(webhook.secret, headers, request.body + b" ", now=sent_at)
    assert not verify("another secret", headers, request.body, now=sent_at)
    unsigned = {k: v for k, v in headers.items() if k != "X-Mandate-Signature"}
    assert not verify(webhook.secret, unsigned, request.body, now=sent_at)


# What users read about failures.


def _closed_port() -> int:
    """A loopback port where nothing listens (bound for a moment, then let go)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.parametrize(
    ("setup", "expected"),
    [
        ("refused", "Could not deliver: the receiver refused the connection."),
        ("hang up", "Could not deliver: the connection failed."),
        ("slow", "Could not deliver: the receiver timed out."),
        (500, "Could not deliver: the receiver answered HTTP 500."),
        (404, "Could not deliver: the receiver answered HTTP 404."),
        (307, "Could not deliver: the receiver answered HTTP 307; redirects are not followed."),
        ("not public", "Could not deliver: its address is not public."),
        ("not found", "Could not deliver: its host name was not found."),
    ],
)
def test_a_failed_call_records_a_fixed_phrase_and_logs_the_details(
    frozen_clock, report, manager, receiver, dns, settings, caplog, setup, expected
):
    settings.ALERT_WEBHOOK_TIMEOUT = 0.3
    webhook = webhook_create(owner=manager, url=receiver.url)
    alert(frozen_clock)
    if setup == "refused":
        Webhook.objects.filter(pk=webhook.pk).update(
            url=f"http://{RECEIVER_HOST}:{_closed_port()}/hook"
        )
    elif setup == "not public":
        settings.ALERT_WEBHOOK_ALLOWED_HOSTS = []
    elif setup == "not found":
        del dns.answers[RECEIVER_HOST]
    else:
        receiver.script.append(setup)

    send_all()

    (delivery,) = webhook_deliveries()
    assert (delivery.status, delivery.attempts, delivery.last_error) == ("pending", 1, expected)
    for internal in ("127.0.0.1", "Errno", "Remote end", "closed connection", "Error:"):
        assert internal not in delivery.last_error
    (logged,) = [r.getMessage() for r in caplog.records if r.name == channels.logger.name]
    assert f"Alert delivery {delivery.pk} (webhook) failed, attempt 1: http://" in logged


# No transaction, no lock, no e-mail waiting while a webhook call runs.


def _rows_are_free(pks: list[int]) -> bool:
    """From another connection: can the rows be locked at once (nobody holds them)?"""
    outcome = []

    def probe():
        try:
            with transaction.atomic():
                list(AlertDelivery.objects.select_for_update(nowait=True).filter(pk__in=pks))
            outcome.append(True)
        except DatabaseError:
            outcome.append(False)
        finally:
            connection.close()

    thread = threading.Thread(target=probe)
    thread.start()
    thread.join(timeout=10)
    return outcome == [True]


@pytest.mark.parametrize("silent", ["tarpit", "black_hole"])
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("role_groups", "broker")
def test_a_silent_receiver_delays_no_email_and_holds_no_lock(
    request, frozen_clock, report, manager, settings, mailoutbox, monkeypatch, silent
):
    settings.ALERT_WEBHOOK_CONNECT_TIMEOUT = settings.ALERT_WEBHOOK_TIMEOUT = 0.5
    settings.ALERT_WEBHOOK_ALLOWED_HOSTS = ["127.0.0.1"]
    server = request.getfixturevalue(silent)
    for n in range(3):
        webhook_create(owner=manager, url=f"http://127.0.0.1:{server.port}/{n}")
    alert(frozen_clock)
    hooks = [d.pk for d in webhook_deliveries()]
    (mail,) = AlertDelivery.objects.filter(channel="email").values_list("pk", flat=True)
    assert max(hooks) < mail  # in id order the webhooks come first
    during = []
    post = outbound.post

    def watched_post(*args, **kwargs):
        during.append((connection.in_atomic_block, len(mailoutbox), _rows_are_free(hooks)))
        return post(*args, **kwargs)

    monkeypatch.setattr(outbound, "post", watched_post)
    if silent == "tarpit":  # while the receiver holds the call
        server.on_accept.append(lambda: during.append(("accepted", _rows_are_free(hooks))))
    started = time.monotonic()

    send_all()

    took = time.monotonic() - started
    assert during[0] == (False, 1, True)  # the e-mail went out before any call
    assert set(during) == {(False, 1, True)} | (
        {("accepted", True)} if silent == "tarpit" else set()
    )
    assert len(during) == (6 if silent == "tarpit" else 3)
    assert [d.last_error for d in webhook_deliveries()] == [
        "Could not deliver: the receiver timed out."
    ] * 3
    assert took < 3 * (0.5 + 0.5) + 2  # each call within its connect and read timeouts


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("role_groups", "broker")
def test_a_second_copy_of_the_message_during_the_call_sends_nothing(
    frozen_clock, report, manager, receiver
):
    webhook_create(owner=manager, url=receiver.url)
    alert(frozen_clock)
    (delivery,) = webhook_deliveries()

    def second_copy(_request):
        channels.send([delivery.pk])  # another worker, with its own connection
        connection.close()

    receiver.script.append(second_copy)

    channels.send([delivery.pk])

    delivery.refresh_from_db()
    assert len(receiver.requests) == 1
    assert (delivery.status, delivery.attempts) == ("sent", 1)


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("role_groups", "broker")
def test_a_webhook_removed_during_its_call_leaves_nothing_to_record(
    frozen_clock, report, manager, receiver, caplog
):
    webhook = webhook_create(owner=manager, url=receiver.url)
    alert(frozen_clock)

    def remove(_request):
        Webhook.objects.filter(pk=webhook.pk).delete()
        connection.close()

    receiver.script.append(remove)

    send_all()

    assert len(receiver.requests) == 1
    assert webhook_deliveries() == []
    assert "changed during its call; outcome dropped" in caplog.text


def test_a_call_in_flight_is_offered_again_only_after_its_lease(frozen_clock, report, manager):
    webhook_create(owner=manager, url="https://hooks.example.org/alerts")
    alert(frozen_clock)
    (delivery,) = webhook_deliveries()
    claimed = channels._claim_webhook(delivery.pk)  # and the worker dies mid-call
    in_flight = claimed.next_attempt_at

    again_meanwhile = channels._claim_webhook(delivery.pk)
    dispatch.dispatch(now=in_flight - dt.timedelta(seconds=1))
    leased_before = AlertDelivery.objects.get(pk=delivery.pk).next_attempt_at
    dispatch.dispatch(now=in_flight)
    leased_after = AlertDelivery.objects.get(pk=delivery.pk).next_attempt_at

    assert in_flight == LEAD_14 + dispatch.LEASE + dt.timedelta(seconds=3 + 10, minutes=1)
    assert again_meanwhile is None
    assert (leased_before, leased_after) == (in_flight, in_flight + dispatch.LEASE)


def test_dispatch_publishes_mail_before_webhooks_in_messages_that_fit_the_lease(
    frozen_clock, report, manager, broker, django_capture_on_commit_callbacks, settings
):
    settings.ALERT_WEBHOOK_CONNECT_TIMEOUT, settings.ALERT_WEBHOOK_TIMEOUT = 20, 80
    for n in range(7):
        webhook_create(owner=manager, url=f"https://hooks.example.org/{n}")
    frozen_clock.move_to(LEAD_14)

    with django_capture_on_commit_callbacks(execute=True):
        alert_clock.tick(now=timezone.now())

    published = [ids for _task, (ids,) in reversed(queued_messages(broker))]
    channels_in_order = [
        sorted(set(AlertDelivery.objects.filter(pk__in=ids).values_list("channel", flat=True)))
        for ids in published
    ]
    assert channels_in_order == [["email"], ["webhook"], ["webhook"], ["webhook"]]
    assert [len(ids) for ids in published] == [1, 3, 3, 1]  # 300 s lease / 100 s a call


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("role_groups", "broker")
def test_a_worker_mails_at_once_while_its_webhook_calls_hang(
    manager, analyst, tarpit, broker, tmp_path, settings, monkeypatch
):
    settings.ALERT_WEBHOOK_ALLOWED_HOSTS = ["127.0.0.1"]
    monkeypatch.setenv("ALERT_WEBHOOK_ALLOWED_HOSTS", "127.0.0.1")
    monkeypatch.setenv("ALERT_WEBHOOK_TIMEOUT", "2")
    monkeypatch.setenv("ALERT_WEBHOOK_CONNECT_TIMEOUT", "1")
    due = timezone.localdate() + dt.timedelta(days=10)
    with time_machine.travel(timezone.now() - dt.timedelta(days=30), tick=False):
        deadline = open_deadline(due)
    analyst.email = "ana@example.org"
    analyst.save(update_fields=["email"])
    obligation = deadline.schedule.obligation
    obligation.assigned_analyst = analyst
    obligation.save(update_fields=["assigned_analyst"])
    Subscription.objects.create(user=manager, actor=obligation.owner)
    for n in range(5):
        webhook_create(owner=manager, url=f"http://127.0.0.1:{tarpit.port}/{n}")
    alert_clock.tick(now=timezone.now())  # publishes; no worker runs yet
    webhooks = AlertDelivery.objects.filter(channel="webhook")

    with celery_worker(tmp_path):
        started = time.monotonic()
        wait_for(lambda: sent_mails(tmp_path))
        mailed_after = time.monotonic() - started
        attempted_by_then = sorted(webhooks.values_list("attempts", flat=True))
        wait_for(lambda: not webhooks.filter(attempts=0).exists())  # before stopping it

    assert attempted_by_then[-1] == 0  # no webhook call had ended: the mail did not wait
    assert mailed_after < 2
    assert len(tarpit.held) == 5
    assert set(webhooks.values_list("last_error", flat=True)) == {
        "Could not deliver: the receiver timed out."
    }


def test_an_answer_is_read_within_the_read_timeout_however_slowly_it_trickles(dns, settings):
    settings.ALERT_WEBHOOK_ALLOWED_HOSTS = [RECEIVER_HOST]
    dns.answer(RECEIVER_HOST, ["127.0.0.1"])
    server = socket.create_server(("127.0.0.1", 0))

    def trickle():  # a byte every 50 ms: no single read ever waits 0.5 s
        connection, _address = server.accept()
        connection.recv(65536)
        for byte in b"HTTP/1.1 204 No Content\r\nX-Slow: " + b"x" * 1000:
            try:
                connection.sendall(bytes([byte]))
            except OSError:
                break
            time.sleep(0.05)
        connection.close()

    thread = threading.Thread(target=trickle, daemon=True)
    thread.start()
    target = outbound.resolve_public(f"http://{RECEIVER_HOST}:{server.getsockname()[1]}/")
    started = time.monotonic()

    with pytest.raises(TimeoutError):
        outbound.post(target, b"{}", {}, connect_timeout=1, read_timeout=0.5)

    assert time.monotonic() - started < 1
    server.close()
    thread.join(timeout=5)
