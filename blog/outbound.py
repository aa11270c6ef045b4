"""
HTTP requests to addresses that editors typed or an export named (`manage.py check_links`,
`import_wordpress --download-images`): public web servers only.

A link in an article may name any host, in any spelling (127.1, 0x7f000001, [::ffff:127.0.0.1],
a name whose DNS answer is 169.254.169.254), and any redirect may lead anywhere. So every hop is
checked after DNS resolution, and the connection goes to the very address that was checked: a
second lookup could answer differently (DNS rebinding). Only http and https on their default
ports: those are what readers' browsers reach, and refusing other ports keeps the checker from
talking to Redis, SMTP or a control port even on a public host. No proxy from the environment is
used, as it would resolve the name itself.
"""

import http.client
import ipaddress
import socket
import ssl
from urllib.parse import quote, urljoin, urlsplit

DEFAULT_PORTS = {"http": 80, "https": 443}
MAX_REDIRECTS = 5
REDIRECT_STATUSES = {301, 302, 303, 307, 308}
# IPv6 forms that carry an IPv4 address the packet may end up at (NAT64, RFC 6052).
NAT64 = ipaddress.ip_network("64:ff9b::/96")


class Refused(Exception):
    """The address is not a public web server's; nothing was sent to it."""


def resolve(host, port):
    """Every address `host` resolves to (a test replaces this to fake DNS)."""
    return [info[4][0] for info in socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)]


def open_socket(address, port, timeout):
    """A TCP connection to an address already checked (a test replaces this to reach its server)."""
    return socket.create_connection((address, port), timeout)


def is_public(address):
    """Whether `address` is a unicast address on the public internet."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])  # Without an IPv6 zone ("%eth0").
    if ip.version == 6:
        if ip in NAT64:
            embedded = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
        else:
            embedded = ip.ipv4_mapped or ip.sixtofour or (ip.teredo and ip.teredo[1])
        if embedded and not is_public(str(embedded)):
            return False
    return ip.is_global and not (ip.is_multicast or ip.is_reserved or ip.is_link_local)


def checked_target(url):
    """(scheme, host, port, path, address) for a URL that may be fetched, else Refused."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS:
        raise Refused(f"{scheme or 'no'}: is not a web address")
    try:
        port = parts.port or DEFAULT_PORTS[scheme]
        host = (parts.hostname or "").encode("idna").decode("ascii")
    except (ValueError, UnicodeError) as error:
        raise Refused("the host or port is not valid") from error
    if not host:
        raise Refused("there is no host")
    if port != DEFAULT_PORTS[scheme]:
        raise Refused(f"port {port}: only {scheme}'s usual port {DEFAULT_PORTS[scheme]} is tried")
    try:
        addresses = resolve(host, port)
    except (OSError, UnicodeError) as error:
        raise OSError(f"{host} not found") from error
    private = [address for address in addresses if not is_public(address)]
    if private or not addresses:
        raise Refused(f"{host} is not a public address ({', '.join(private) or 'none'})")
    path = quote(parts.path or "/", safe="/%!$&'()*+,;=:@~") + (
        "?" + quote(parts.query, safe="/%!$&'()*+,;=:@~?") if parts.query else ""
    )
    return scheme, host, port, path, addresses[0]


class PinnedConnection(http.client.HTTPConnection):
    """Talks to `host` at `address`, the one checked, whatever the name resolves to by now."""

    def __init__(self, scheme, host, port, address, timeout):
        super().__init__(host, port, timeout=timeout)
        self.scheme, self.address = scheme, address
        self.default_port = DEFAULT_PORTS[scheme]  # So Host: carries no ":443".

    def connect(self):
        sock = open_socket(self.address, self.port, self.timeout)
        if self.scheme == "https":
            sock = ssl.create_default_context().wrap_socket(sock, server_hostname=self.host)
        self.sock = sock


def final_status(url, method, timeout, headers):
    """
    The status `url` answers `method` with, after following redirects (each one checked like
    the first). Refused for an address that is not a public web server's; OSError,
    http.client.HTTPException or ValueError when the server cannot be reached or talks nonsense.
    """
    return _request(url, method, timeout, headers)[0]


def fetch(url, timeout, headers, max_bytes):
    """
    The body of a GET of `url` that answers 200 after redirects, checked like final_status().
    OSError for any other status or a body over max_bytes (nothing more is read).
    """
    status, body = _request(url, "GET", timeout, headers, max_bytes)
    if status != 200:
        raise OSError(f"HTTP {status}")
    return body


def _request(url, method, timeout, headers, max_bytes=0):
    """(status, body) after redirects; the body only when max_bytes is given."""
    for hop in range(MAX_REDIRECTS + 1):
        try:
            scheme, host, port, path, address = checked_target(url)
        except Refused as refusal:
            if hop:
                raise Refused(f"a redirect leads to {url}: {refusal}") from refusal
            raise
        connection = PinnedConnection(scheme, host, port, address, timeout)
        try:
            connection.request(method, path, headers=headers)
            response = connection.getresponse()
            location = response.getheader("Location")
            body = b""
            if max_bytes and response.status == 200:
                body = response.read(max_bytes + 1)
                if len(body) > max_bytes:
                    raise OSError(f"larger than {max_bytes // (1024 * 1024)} MB")
        finally:
            connection.close()
        if response.status not in REDIRECT_STATUSES or not location:
            return response.status, body
        url = urljoin(url, location.strip())
    raise Refused(f"more than {MAX_REDIRECTS} redirects")
