"""Fetching a URL without letting it reach what the fetching machine can reach.

A URL typed by a user of the CLI, or posted to the API by anyone with a token, must not make the
server read its own loopback services, the private network, the cloud metadata address or a
``file:`` URL. So every hop (the URL and each redirect) is checked before it is requested:

- only ``http`` and ``https``;
- the host is resolved here, every address it resolves to must be a public unicast address, and
  the request goes to the checked address (the Host header and TLS name stay the host's), so a DNS
  answer that changes between the check and the connection cannot send it elsewhere;
- redirects are followed by hand, at most ``max_redirects`` of them;
- the body is read up to the size limit, and every hop's connection, headers and body share one
  deadline (the host name's resolution is the system resolver's and keeps its own timeout);
- a user name and password in the URL are sent but never kept in the document's url.

Hosts an operator lists (``ReadOptions.allow_hosts``, or ``$BIODEALS_ALLOW_HOSTS``, comma
separated) are fetched whatever they resolve to: an intranet news server, a test server.
"""

from __future__ import annotations

import ipaddress
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass

import httpx

from biodeals.errors import FetchFailed, InputTooLarge

Resolver = Callable[[str, int], list[str]]
"""(host, port) -> the IP addresses the host resolves to."""

_USER_AGENT = "biodeals/0.1"
_REDIRECTS = {301, 302, 303, 307, 308}


@dataclass(frozen=True, slots=True)
class Fetched:
    """A fetched response: its body, content type and the URL it finally came from."""

    data: bytes
    content_type: str
    url: str


def resolve_host(host: str, port: int) -> list[str]:
    """Every address ``host`` resolves to (IPv4 and IPv6), by the system resolver."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


_NAT64 = ipaddress.ip_network("64:ff9b::/96")


def _embedded_ipv4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 one carries to (IPv4-mapped, 6to4, NAT64), if any."""
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip.sixtofour is not None:
        return ip.sixtofour
    if ip in _NAT64:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


def refused_address(address: str) -> str | None:
    """Why ``address`` may not be fetched (loopback, private ...), or None for a public one.
    An IPv6 address that carries an IPv4 one is judged by the IPv4 address as well."""
    ip: ipaddress.IPv4Address | ipaddress.IPv6Address = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address):
        embedded = _embedded_ipv4(ip)
        if ip.is_site_local:
            return f"site-local address {ip}"
        if embedded is not None and (why := refused_address(str(embedded))):
            return f"{why} (inside {ip})"
    for kind, refused in (
        ("unspecified", ip.is_unspecified),
        ("loopback", ip.is_loopback),
        ("link-local", ip.is_link_local),
        ("multicast", ip.is_multicast),
        ("private", ip.is_private),
        ("reserved", ip.is_reserved),
        ("not globally routable", not ip.is_global),
    ):
        if refused:
            return f"{kind} address {ip}"
    return None


def fetch(
    url: str,
    client: httpx.Client,
    *,
    max_bytes: int,
    timeout: float,
    max_redirects: int = 5,
    allow_hosts: frozenset[str] = frozenset(),
    resolver: Resolver = resolve_host,
) -> Fetched:
    """GET ``url`` under the rules of the module docstring. Raises FetchFailed (or
    InputTooLarge) naming the URL the user gave and the hop that failed."""
    deadline = time.monotonic() + timeout
    current = httpx.URL(url)
    for hop in range(max_redirects + 1):
        target, headers, extensions = _checked_target(url, current, allow_hosts, resolver)
        left = deadline - time.monotonic()
        if left <= 0:
            raise FetchFailed(url, f"timed out after {timeout:g} s")
        # each hop's connection and reads get only what is left of the whole fetch's time
        request = client.build_request("GET", target, headers=headers, extensions=extensions, timeout=left)
        try:
            response = client.send(request, stream=True, follow_redirects=False)
        except httpx.TimeoutException as error:
            raise FetchFailed(url, f"timed out after {timeout:g} s") from error
        except httpx.HTTPError as error:
            raise FetchFailed(url, f"could not be fetched ({type(error).__name__}: {error})") from error
        try:
            if response.status_code in _REDIRECTS and "location" in response.headers:
                if hop == max_redirects:
                    raise FetchFailed(url, f"more than {max_redirects} redirects")
                current = current.join(response.headers["location"])
                continue
            if response.status_code >= 400:
                raise FetchFailed(url, f"HTTP {response.status_code} {response.reason_phrase}")
            data = _read_body(url, response, max_bytes, deadline, timeout)
            public = current.copy_with(username=None, password=None)  # a user name and password stay here
            return Fetched(data, response.headers.get("content-type", "").lower(), str(public))
        finally:
            response.close()
    raise AssertionError("unreachable: the loop returns or raises")


def _checked_target(
    url: str, current: httpx.URL, allow_hosts: frozenset[str], resolver: Resolver
) -> tuple[httpx.URL, dict[str, str], dict[str, str]]:
    """The URL to request for ``current`` (its host replaced by a checked address), the headers
    and the TLS name that keep the request addressed to the host."""
    hop = "" if str(current) == url else f" (redirected to {current})"
    if current.scheme not in ("http", "https"):
        raise FetchFailed(url, f"only http and https URLs are fetched, not {current.scheme or 'a relative'} URL{hop}")
    host = current.host
    if not host:
        raise FetchFailed(url, f"the URL names no host{hop}")
    headers = {"User-Agent": _USER_AGENT}
    if host.lower() in allow_hosts:
        return current, headers, {}
    port = current.port or (443 if current.scheme == "https" else 80)
    try:
        addresses = resolver(host, port)
    except (OSError, UnicodeError) as error:
        raise FetchFailed(url, f"host {host} could not be resolved ({error}){hop}") from error
    if not addresses:
        raise FetchFailed(url, f"host {host} resolves to no address{hop}")
    for address in addresses:
        why = refused_address(address)
        if why:
            raise FetchFailed(
                url, f"refused: host {host} resolves to a {why}{hop} (an operator can allow it: $BIODEALS_ALLOW_HOSTS)"
            )
    headers["Host"] = current.netloc.decode("ascii")
    extensions = {"sni_hostname": host} if current.scheme == "https" else {}
    return current.copy_with(host=addresses[0]), headers, extensions


def _read_body(url: str, response: httpx.Response, max_bytes: int, deadline: float, timeout: float) -> bytes:
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise InputTooLarge(url, f"response of {declared} bytes exceeds the {max_bytes}-byte limit")
    chunks: list[bytes] = []
    size = 0
    try:
        for chunk in response.iter_bytes():
            size += len(chunk)
            if size > max_bytes:
                raise InputTooLarge(url, f"response exceeds the {max_bytes}-byte limit")
            if time.monotonic() > deadline:
                raise FetchFailed(url, f"timed out after {timeout:g} s")
            chunks.append(chunk)
    except httpx.TimeoutException as error:
        raise FetchFailed(url, f"timed out after {timeout:g} s") from error
    except httpx.HTTPError as error:
        raise FetchFailed(url, f"could not be fetched ({type(error).__name__}: {error})") from error
    return b"".join(chunks)
