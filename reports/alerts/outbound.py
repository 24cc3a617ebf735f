"""Outbound HTTP to URLs users choose (webhooks): public addresses only, pinned, bounded.

A manager types the URL, so it must not reach inside: not the loopback, the cloud
metadata service, the private network, the database or Redis. Two steps, used at save
and again at every call:

    resolve_public(url) -> Target   parse, resolve the host once, check EVERY address
    post(target, ...)               connect to a checked address, never to the name again

The connection goes to the address that was checked (the Host header, the TLS server name
and the certificate check keep the host name), so a DNS answer that changes between the
check and the connection (DNS rebinding) changes nothing. Redirects are never followed:
`post` returns the status and the caller decides.

Addresses fall in three groups:
- public: called;
- private (RFC 1918, carrier-grade NAT 100.64/10, unique-local fc00::/7, loopback):
  called only when the URL's host is listed in ALERT_WEBHOOK_ALLOWED_HOSTS (exactly, a
  name or an address), an operator's choice for a receiver on the intranet or on the
  same machine. Every port of such a host is open to managers, so list only names whose
  DNS the operator controls;
- never: link-local (169.254/16 and fe80::/10, where cloud metadata services hand out
  credentials, and the other metadata addresses below), unspecified (0.0.0.0, ::),
  multicast, reserved and broadcast, documentation and benchmarking ranges, and IPv6
  outside global unicast (2000::/3). Refused whatever the settings.
IPv6 forms that carry an IPv4 address (IPv4-mapped ::ffff:a.b.c.d, NAT64 64:ff9b::/96,
6to4 2002::/16) are judged by that IPv4 address. Any port is allowed: the address, not
the port, is what keeps a call outside.
"""

import http.client
import io
import ipaddress
import socket
import ssl
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

SCHEMES = ("http", "https")

_NEVER = [
    ipaddress.ip_network(network)
    for network in (
        "0.0.0.0/8",  # "this network": 0.0.0.0 reaches the local host
        "169.254.0.0/16",  # link-local, 169.254.169.254 the metadata service of most clouds
        "100.100.100.200/32",  # Alibaba Cloud's metadata service (inside 100.64/10)
        "192.0.0.0/24",  # IETF protocol assignments
        "192.0.2.0/24",  # documentation (TEST-NET-1, -2, -3)
        "198.51.100.0/24",
        "203.0.113.0/24",
        "198.18.0.0/15",  # benchmarking
        "192.88.99.0/24",  # retired 6to4 relays
        "224.0.0.0/4",  # multicast
        "240.0.0.0/4",  # reserved, with the broadcast address 255.255.255.255
        "::/128",  # unspecified
        "fd00:ec2::254/128",  # AWS's IPv6 metadata service (inside fc00::/7)
        "fe80::/10",  # link-local
        "ff00::/8",  # multicast
        "100::/64",  # discard only
        "2001::/23",  # IETF protocol assignments, Teredo included
        "2001:db8::/32",  # documentation
        "3fff::/20",
    )
]
_PRIVATE = [
    ipaddress.ip_network(network)
    for network in (
        "10.0.0.0/8",
        "172.16.0.0/12",
        "192.168.0.0/16",
        "100.64.0.0/10",  # carrier-grade NAT, also what some VPNs number hosts in
        "127.0.0.0/8",
        "::1/128",
        "fc00::/7",
    )
]
_GLOBAL_UNICAST = ipaddress.ip_network("2000::/3")
_NAT64 = ipaddress.ip_network("64:ff9b::/96")


class OutboundError(Exception):
    """A URL that is not called; the message is technical, for the server log."""


class InvalidURL(OutboundError):
    """Not an http or https URL with a host (credentials in it are refused too)."""


class HostNotFound(OutboundError):
    """The host name has no address."""


class NotPublic(OutboundError):
    """The host has an address that is not public (and the host is not allowed anyway)."""


@dataclass(frozen=True)
class Target:
    """Where a call goes: the URL's parts, and every address its host had when checked."""

    scheme: str
    host: str  # lower case, IDNA-encoded, without brackets: for Host, SNI and the certificate
    port: int
    path: str  # path and query, as the request line asks for them
    addresses: tuple[str, ...]


def resolve_public(url: str) -> Target:
    """Parse `url`, resolve its host once and check every address it has.

    Raises InvalidURL, HostNotFound or NotPublic; no connection is made.
    """
    scheme, host, port, path = _parse(url)
    addresses = [host] if _is_address(host) else lookup(host, port)
    if not addresses:
        raise HostNotFound(f"{host} has no address")
    allowed = {name.lower().rstrip(".") for name in settings.ALERT_WEBHOOK_ALLOWED_HOSTS}
    allow_private = host.rstrip(".") in allowed
    for address in addresses:
        verdict = classify(address)
        if verdict == "never" or (verdict == "private" and not allow_private):
            raise NotPublic(f"{host} resolves to {address} ({verdict})")
    return Target(scheme=scheme, host=host, port=port, path=path, addresses=tuple(addresses))


def _is_address(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def _parse(url: str) -> tuple[str, str, int, str]:
    try:
        URLValidator(schemes=list(SCHEMES))(url)
        parts = urlsplit(url)
        port = parts.port if parts.port is not None else (443 if parts.scheme == "https" else 80)
        host = (parts.hostname or "").encode("idna").decode("ascii")
    except (ValidationError, ValueError, UnicodeError) as error:
        raise InvalidURL(f"{url!r}: {error}") from None
    if parts.scheme not in SCHEMES or not host or not 0 < port < 65536:
        raise InvalidURL(f"{url!r} is not an http or https URL with a host")
    if parts.username is not None or parts.password is not None:
        raise InvalidURL(f"{url!r} carries credentials")
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return parts.scheme, host, port, path


def lookup(host: str, port: int) -> list[str]:
    """Every address of the host name, in the resolver's order.

    The one place host names are resolved; tests replace it with a table.
    """
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise HostNotFound(f"{host}: {error}") from None
    return list(dict.fromkeys(info[4][0] for info in infos))


def classify(address: str) -> str:
    """The address's group: "public", "private" (allowed hosts only) or "never"."""
    ip = ipaddress.ip_address(address)
    if ip.version == 6:
        embedded = ip.ipv4_mapped or ip.sixtofour
        if embedded is None and ip in _NAT64:
            embedded = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
        if embedded is not None:
            return classify(str(embedded))
    if any(ip in network for network in _NEVER if network.version == ip.version):
        return "never"
    if any(ip in network for network in _PRIVATE if network.version == ip.version):
        return "private"
    if ip.version == 6 and ip not in _GLOBAL_UNICAST:
        return "never"
    return "public"


def post(
    target: Target,
    body: bytes,
    headers: dict[str, str],
    *,
    connect_timeout: float,
    read_timeout: float,
    tls: ssl.SSLContext | None = None,
) -> int:
    """POST `body` to `target`'s checked address and return the answer's status.

    `connect_timeout` bounds opening the connection (across the target's addresses);
    `read_timeout` bounds everything after it together (TLS handshake, sending, the
    status and headers), so a receiver that trickles its answer byte by byte cannot hold
    the worker for longer than connect_timeout + read_timeout. The body of the answer is
    not read. Network failures raise OSError (TimeoutError, ConnectionRefusedError,
    ssl.SSLError...) or http.client.HTTPException.
    """
    if target.scheme == "https":
        connection = _PinnedHTTPS(
            target, connect_timeout, read_timeout, tls or ssl.create_default_context()
        )
    else:
        connection = _PinnedHTTP(target, connect_timeout, read_timeout)
    try:
        connection.request("POST", target.path, body=body, headers=headers)
        return connection.getresponse().status
    finally:
        connection.close()


class _PinnedHTTP(http.client.HTTPConnection):
    """An HTTP connection to the target's checked addresses, under one time budget."""

    def __init__(self, target: Target, connect_timeout: float, read_timeout: float):
        super().__init__(target.host, target.port, timeout=read_timeout)
        self._target = target
        self._connect_timeout = connect_timeout
        self._read_timeout = read_timeout
        self._deadline = None

    def connect(self):
        self.sock = _connect(self._target, self._connect_timeout)
        self._deadline = time.monotonic() + self._read_timeout

    def send(self, data):
        if self.sock is None:
            self.connect()
        self.sock.settimeout(_time_left(self._deadline))
        super().send(data)

    def response_class(self, sock, **kwargs):
        return http.client.HTTPResponse(_Budgeted(sock, self._deadline), **kwargs)


class _PinnedHTTPS(_PinnedHTTP):
    """The same over TLS: the server name and the certificate are the URL's host."""

    default_port = http.client.HTTPS_PORT

    def __init__(self, target, connect_timeout, read_timeout, tls: ssl.SSLContext):
        super().__init__(target, connect_timeout, read_timeout)
        self._tls = tls

    def connect(self):
        super().connect()
        self.sock.settimeout(_time_left(self._deadline))
        self.sock = self._tls.wrap_socket(self.sock, server_hostname=self.host)


def _connect(target: Target, timeout: float) -> socket.socket:
    """A TCP connection to the first of the checked addresses that accepts one in time."""
    deadline = time.monotonic() + timeout
    error: OSError = TimeoutError("timed out")
    for address in target.addresses:
        left = deadline - time.monotonic()
        if left <= 0:
            break
        sock = socket.socket(socket.AF_INET6 if ":" in address else socket.AF_INET)
        try:
            sock.settimeout(left)
            sock.connect((address, target.port))
        except OSError as failure:
            sock.close()
            error = failure
        else:
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            return sock
    raise error


def _time_left(deadline: float) -> float:
    left = deadline - time.monotonic()
    if left <= 0:
        raise TimeoutError("timed out")
    return left


class _Budgeted:
    """What HTTPResponse reads the answer through: each read gets only the time left."""

    def __init__(self, sock: socket.socket, deadline: float):
        self._sock = sock
        self._deadline = deadline

    def makefile(self, mode: str):
        return io.BufferedReader(_BudgetedReader(self._sock, self._deadline))


class _BudgetedReader(io.RawIOBase):
    def __init__(self, sock: socket.socket, deadline: float):
        self._sock = sock
        self._deadline = deadline

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        self._sock.settimeout(_time_left(self._deadline))
        return self._sock.recv_into(buffer)
