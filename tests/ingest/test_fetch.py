"""URL reading: pages and feeds by content type, failures named, and no request forgery.

The forgery cases run against a real HTTP server on loopback (what an attacker would aim at) and
through the real transport; the content cases use a mock transport with a resolver that answers
a public address.
"""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator

import httpx
import pytest

from biodeals.errors import FetchFailed, InputTooLarge
from biodeals.ingest import ReadOptions
from biodeals.ingest.fetch import fetch, refused_address
from tests.conftest import read_all

ARTICLE = "Acme Therapeutics and Beta Pharma signed a license for $20 million upfront."
RSS = f"""<?xml version="1.0"?><rss version="2.0"><channel><title>News</title>
<item><title>Acme deal</title><link>https://x.test/1</link><description>{ARTICLE}</description></item>
</channel></rss>"""
PUBLIC = "93.184.216.34"


def public_resolver(host: str, port: int) -> list[str]:
    return [PUBLIC]


def mocked(handler) -> httpx.Client:
    return httpx.Client(transport=httpx.MockTransport(handler))


def test_fetch_html_page_goes_to_the_checked_address_named_as_the_host():
    page = f"<html><head><title>Acme</title></head><body><article><p>{ARTICLE} More words here.</p></article></body></html>"
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, text=page, headers={"content-type": "text/html"})

    docs, errors = read_all("https://news.test/acme", client=mocked(handler), resolver=public_resolver)
    assert not errors and docs[0].url == "https://news.test/acme" and "Acme Therapeutics" in docs[0].text
    (request,) = seen
    assert request.url.host == PUBLIC and request.headers["host"] == "news.test"
    assert request.extensions["sni_hostname"] == "news.test"


def test_fetch_feed_by_content_type():
    client = mocked(lambda request: httpx.Response(200, text=RSS, headers={"content-type": "application/rss+xml"}))
    docs, _ = read_all("https://news.test/feed", client=client, resolver=public_resolver)
    assert docs[0].title == "Acme deal"


@pytest.mark.parametrize(
    ("handler", "message"),
    [
        (lambda request: httpx.Response(404), "https://news.test/x: HTTP 404 Not Found"),
        (
            lambda request: (_ for _ in ()).throw(httpx.ConnectTimeout("slow")),
            "https://news.test/x: timed out after 20 s",
        ),
        (
            lambda request: (_ for _ in ()).throw(httpx.ConnectError("refused")),
            "https://news.test/x: could not be fetched (ConnectError: refused)",
        ),
        (
            lambda request: httpx.Response(200, content=iter([b"x" * 60, b"x" * 60])),  # no length declared
            "https://news.test/x: response exceeds the 100-byte limit",
        ),
        (
            lambda request: httpx.Response(200, content=b"x" * 50, headers={"content-length": "5000"}),
            "https://news.test/x: response of 5000 bytes exceeds the 100-byte limit",
        ),
        (
            lambda request: httpx.Response(302, headers={"location": "/x"}),
            "https://news.test/x: more than 5 redirects",
        ),
    ],
    ids=["404", "timeout", "unreachable", "too-large", "declared-too-large", "redirect-loop"],
)
def test_fetch_failures_are_named(handler, message):
    docs, (error,) = read_all("https://news.test/x", client=mocked(handler), resolver=public_resolver, max_bytes=100)
    assert not docs and isinstance(error, (FetchFailed, InputTooLarge)) and str(error) == message


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "127.8.9.10",
        "::1",
        "10.1.2.3",
        "172.16.0.1",
        "192.168.1.1",
        "169.254.169.254",  # cloud metadata
        "100.64.0.1",  # carrier-grade NAT
        "0.0.0.0",
        "224.0.0.1",
        "240.0.0.1",
        "fe80::1",
        "fc00::1",
        "::ffff:127.0.0.1",
        "ff02::1",
        "2002:7f00:1::",  # 6to4 around 127.0.0.1
        "2002:a00:1::",  # 6to4 around 10.0.0.1
        "64:ff9b::a00:1",  # NAT64 around 10.0.0.1
        "fec0::1",  # site-local
    ],
)
def test_non_public_addresses_are_refused(address):
    assert refused_address(address)


@pytest.mark.parametrize("address", ["93.184.216.34", "8.8.8.8", "2606:4700:4700::1111"])
def test_public_addresses_are_fetched(address):
    assert refused_address(address) is None


class _Secret(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        if self.path.startswith("/hop"):
            self.send_response(302)
            self.send_header("Location", self.path.split("=", 1)[1])
            self.end_headers()
            return
        body = b"the secret: Acme Therapeutics licensed its antibody to Beta Pharma for $20 million upfront."
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def loopback_server() -> Iterator[int]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Secret)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1]
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize(
    "url", ["http://127.0.0.1:{port}/secret", "http://localhost:{port}/secret", "http://2130706433:{port}/secret"]
)
def test_loopback_is_refused_before_any_request(loopback_server, url):
    url = url.format(port=loopback_server)
    docs, (error,) = read_all(url)
    assert not docs and isinstance(error, FetchFailed)
    assert "refused" in str(error) and "loopback address 127.0.0.1" in str(error)


def test_an_operator_can_allow_a_host(loopback_server):
    docs, errors = read_all(f"http://127.0.0.1:{loopback_server}/secret", allow_hosts=frozenset({"127.0.0.1"}))
    assert not errors and "the secret" in docs[0].text


def test_allowed_hosts_default_to_the_environment(monkeypatch, loopback_server):
    monkeypatch.setenv("BIODEALS_ALLOW_HOSTS", " Example.test , 127.0.0.1")
    assert ReadOptions().allow_hosts == frozenset({"example.test", "127.0.0.1"})
    docs, errors = read_all(f"http://127.0.0.1:{loopback_server}/secret")
    assert not errors and docs


@pytest.mark.parametrize(
    ("location", "problem"),
    [
        ("http://localhost:{port}/secret", "loopback address"),
        ("file:///etc/passwd", "only http and https URLs are fetched, not file URL"),
        ("gopher://127.0.0.1:{port}/", "not gopher URL"),
    ],
)
def test_every_redirect_is_checked_again(loopback_server, location, problem):
    """An allowed host that redirects elsewhere: the next hop gets no pass."""
    hop = f"http://127.0.0.1:{loopback_server}/hop?to=" + location.format(port=loopback_server)
    docs, (error,) = read_all(hop, allow_hosts=frozenset({"127.0.0.1"}))
    assert not docs and problem in str(error) and "redirected to" in str(error)


def test_a_name_that_resolves_to_a_private_address_is_refused():
    """What a DNS rebinding or an internal name looks like from here."""
    client = mocked(lambda request: pytest.fail("no request may be sent"))
    _, (error,) = read_all("https://intranet.example/", client=client, resolver=lambda host, port: [PUBLIC, "10.0.0.5"])
    assert "private address 10.0.0.5" in str(error)


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("ftp://example.com/x", "only http and https URLs are fetched, not ftp URL"),
        ("http:///nohost", "the URL names no host"),
    ],
)
def test_other_schemes_and_hostless_urls_are_refused(url, problem):
    client = mocked(lambda request: pytest.fail("no request may be sent"))
    with pytest.raises(FetchFailed, match=problem):
        fetch(url, client, max_bytes=100, timeout=5, resolver=public_resolver)


def test_the_whole_fetch_shares_one_deadline(monkeypatch):
    """Each hop is sent with what is left of the time; none is sent once it is up."""
    import biodeals.ingest.fetch as fetching

    clock = iter([0.0, 3.0, 8.0, 11.0])
    monkeypatch.setattr(fetching.time, "monotonic", lambda: next(clock))
    timeouts: list[float] = []

    def redirect(request: httpx.Request) -> httpx.Response:
        timeouts.append(request.extensions["timeout"]["read"])
        return httpx.Response(302, headers={"location": "/next"})

    with pytest.raises(FetchFailed, match="timed out after 10 s"):
        fetch("https://news.test/a", mocked(redirect), max_bytes=100, timeout=10, resolver=public_resolver)
    assert timeouts == [7.0, 2.0]


def test_a_user_name_and_password_are_not_kept():
    client = mocked(lambda request: httpx.Response(200, text=ARTICLE, headers={"content-type": "text/plain"}))
    docs, _ = read_all("https://reader:secret@news.test/feed/acme", client=client, resolver=public_resolver)
    assert docs[0].url == "https://news.test/feed/acme" and "secret" not in docs[0].name
