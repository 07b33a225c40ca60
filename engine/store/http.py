"""HTTP for the endpoint store: one request at a time, every failure one line naming the URL.

The standard library only: TLS certificates are always verified (the system's trust store), redirects
are refused (a query or credentials never move to a URL the user did not give), credentials come from
an environment variable (never the command line or the URL), and the requests and bytes moved are
counted, so docs/scale.md can say what an assessment costs on a remote store.
"""
from __future__ import annotations

import base64
import http.client
import ipaddress
import logging
import os
import socket
import ssl
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from email.message import Message
from typing import IO, NoReturn

from ..errors import StoreError
from . import DEFAULT_TIMEOUT

log = logging.getLogger(__name__)

# How much of an error answer goes into the one-line message.
_DETAIL_CHARS = 200


def check_url(url: str, *, what: str = "endpoint") -> str:
    """The URL if it is http(s) with a host and no credentials in it; StoreError otherwise."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise StoreError(f"{url}: the {what} must be an http:// or https:// URL")
    if parts.username is not None or parts.password is not None:
        raise StoreError(f"{parts.scheme}://{parts.hostname}: put credentials in an environment variable named "
                         "with --auth-env, not in the URL")
    if parts.fragment:
        raise StoreError(f"{url}: the {what} URL may not have a #fragment")
    return url


def authorization(env_name: str) -> str:
    """The Authorization header held by an environment variable: 'user:password' (basic) or 'Bearer TOKEN'."""
    value = os.environ.get(env_name)
    if value is None or not value.strip():
        raise StoreError(f"environment variable {env_name} (--auth-env) is not set or empty")
    value = value.strip()
    scheme, _, token = value.partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        return f"Bearer {token.strip()}"
    if ":" in value and " " not in value.split(":", 1)[0]:
        return "Basic " + base64.b64encode(value.encode("utf-8")).decode("ascii")
    raise StoreError(f"environment variable {env_name} holds neither 'user:password' nor 'Bearer TOKEN'")


def is_loopback(url: str) -> bool:
    host = urllib.parse.urlsplit(url).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class _RefuseRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req: urllib.request.Request, fp: IO[bytes], code: int, msg: str,
                         headers: Message, newurl: str) -> NoReturn:
        raise StoreError(f"{req.full_url}: redirected (HTTP {code}) to {newurl}; give that URL instead")


@dataclass
class Answer:
    """An open response: read it (or iterate `chunks`) and close it."""

    url: str
    content_type: str
    body: IO[bytes]
    client: Client

    def read(self, size: int = -1) -> bytes:
        try:
            data = self.body.read(size)
        except (OSError, http.client.HTTPException) as err:
            raise StoreError(f"{self.url}: {describe(err, self.client.timeout)}") from None
        self.client.bytes_received += len(data)
        return data

    def readable(self) -> bool:
        return True

    def close(self) -> None:
        self.body.close()


class Client:
    """Sends requests to one endpoint's URLs with the same credentials and timeout, and counts them."""

    def __init__(self, *, auth: str | None = None, timeout: float = DEFAULT_TIMEOUT) -> None:
        self.timeout = timeout
        self._auth = auth
        self._opener = urllib.request.build_opener(
            _RefuseRedirects(), urllib.request.HTTPSHandler(context=ssl.create_default_context()))
        self.requests = 0
        self.bytes_sent = 0
        self.bytes_received = 0

    def post(self, url: str, body: bytes | Iterable[bytes], *, content_type: str, accept: str | None = None,
             length: int | None = None) -> Answer:
        """POST a body (bytes, or chunks streamed with chunked transfer encoding unless `length` is given)."""
        headers = {"Content-Type": content_type, "User-Agent": "mgraph"}
        if accept:
            headers["Accept"] = accept
        if self._auth:
            headers["Authorization"] = self._auth
        if isinstance(body, bytes):
            data: bytes | Iterable[bytes] = body
            self.bytes_sent += len(body)
        else:
            data = self._counted(body)
            if length is not None:
                headers["Content-Length"] = str(length)
        request = urllib.request.Request(url, data=data, headers=headers, method="POST")
        self.requests += 1
        try:
            response = self._opener.open(request, timeout=self.timeout)
        except urllib.error.HTTPError as err:
            raise StoreError(f"{url}: {_http_error(err)}") from None
        except urllib.error.URLError as err:
            reason = err.reason if isinstance(err.reason, BaseException) else OSError(str(err.reason))
            raise StoreError(f"{url}: {describe(reason, self.timeout)}") from None
        except (OSError, http.client.HTTPException) as err:
            raise StoreError(f"{url}: {describe(err, self.timeout)}") from None
        content_type = (response.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        return Answer(url=url, content_type=content_type, body=response, client=self)

    def _counted(self, chunks: Iterable[bytes]) -> Iterator[bytes]:
        for chunk in chunks:
            self.bytes_sent += len(chunk)
            yield chunk


def describe(err: BaseException, timeout: float) -> str:
    """What went wrong on the wire, in a few words."""
    if isinstance(err, ConnectionRefusedError):
        return "connection refused (is the server running?)"
    if isinstance(err, (TimeoutError, socket.timeout)):
        return f"no answer within {timeout:g} s (raise --endpoint-timeout)"
    if isinstance(err, ssl.SSLCertVerificationError):
        return f"TLS certificate not trusted: {_one_line(err.verify_message or str(err))}"
    if isinstance(err, ssl.SSLError):
        return f"TLS failed: {_one_line(str(err))}"
    if isinstance(err, socket.gaierror):
        return "host not found"
    if isinstance(err, (ConnectionResetError, http.client.RemoteDisconnected, http.client.IncompleteRead)):
        return "the server closed the connection before answering in full"
    if isinstance(err, http.client.HTTPException):
        return f"not an HTTP answer ({type(err).__name__})"
    if isinstance(err, OSError) and err.strerror:
        return _one_line(err.strerror)
    return _one_line(str(err)) or type(err).__name__


def _http_error(err: urllib.error.HTTPError) -> str:
    try:
        detail = err.read(4096).decode("utf-8", "replace")
    except (OSError, http.client.HTTPException):
        detail = ""
    finally:
        err.close()
    content_type = (err.headers.get("Content-Type") or "") if err.headers else ""
    if "html" in content_type.lower():
        detail = ""  # an error page says nothing one line can carry
    detail = _one_line(detail)
    if len(detail) > _DETAIL_CHARS:
        detail = detail[:_DETAIL_CHARS] + "..."
    reason = f"HTTP {err.code} {err.reason}".rstrip()
    return f"{reason}: {detail}" if detail else reason


def _one_line(text: str) -> str:
    return " ".join(text.split())
