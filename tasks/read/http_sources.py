"""Fetching report files over HTTP: direct file URLs, and index pages whose links are followed.

Fetched bodies are data: written to disk and read like inbox files, never executed or evaluated.
Only http(s) URLs on a source's configured hosts are requested (redirects included), each with
timeouts and a size limit; the content type must fit what is expected. Only what is new is
downloaded: the last ETag / Last-Modified of every URL is sent back (a 304 downloads nothing) and a
body whose sha256 did not change is not written again. Timeouts, connection failures and 5xx
answers are retried with exponential backoff; 4xx answers are not.
"""

from __future__ import annotations

import hashlib
import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import httpx
import yaml

from tasks.seeds import SEEDS_DIR

DEFAULT_SOURCES = SEEDS_DIR / "sources.yaml"
REPORT_TYPES = (
    "text/plain",
    "text/html",
    "application/xhtml+xml",
    "application/pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/octet-stream",
)
INDEX_TYPES = ("text/html", "application/xhtml+xml")
DEFAULT_LINK_PATTERN = r"\.(txt|md|html?|shtml|docx|pdf)$"
MAX_REDIRECTS = 5


@dataclass(frozen=True)
class Source:
    name: str
    urls: tuple[str, ...] = ()  # report files
    index_pages: tuple[str, ...] = ()  # pages whose links to report files are followed
    allowed_hosts: tuple[str, ...] = ()  # default: the hosts of urls and index_pages
    link_pattern: str = DEFAULT_LINK_PATTERN  # which links of an index page are reports
    max_bytes: int = 20_000_000
    timeout_seconds: float = 20.0
    retries: int = 3
    backoff_seconds: float = 1.0
    max_links: int = 200
    enabled: bool = True

    @property
    def hosts(self) -> set[str]:
        return {h.lower() for h in self.allowed_hosts} or {
            (urlsplit(u).hostname or "").lower() for u in (*self.urls, *self.index_pages)
        }


@dataclass(frozen=True)
class Validator:
    """What the server said about a URL last time (sent back to ask for changes only)."""

    etag: str | None = None
    last_modified: str | None = None
    sha256: str | None = None
    found_on: str | None = None  # the index page that linked to it


@dataclass
class FetchResult:
    source: str
    url: str
    kind: str  # report or index
    status: str  # fetched, not_modified, unchanged, failed
    found_on: str | None = None  # the index page that linked to it
    http_status: int | None = None
    file_name: str | None = None  # where a report was written, relative to the fetch folder
    sha256: str | None = None
    size_bytes: int | None = None
    etag: str | None = None
    last_modified: str | None = None
    attempts: int = 0
    reason: str | None = None
    links: list[str] = field(default_factory=list)  # index pages: the report links found


class FetchError(Exception):
    def __init__(self, reason: str, http_status: int | None = None, transient: bool = False):
        super().__init__(reason)
        self.reason, self.http_status, self.transient = reason, http_status, transient


def load_sources(path: Path = DEFAULT_SOURCES) -> list[Source]:
    """The enabled sources of a sources.yaml file."""
    spec = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    sources = []
    for item in spec.get("sources") or []:
        item = dict(item)
        for key in ("urls", "index_pages", "allowed_hosts"):
            item[key] = tuple(item.get(key) or ())
        source = Source(**item)
        for url in (*source.urls, *source.index_pages):
            if urlsplit(url).scheme not in ("http", "https"):
                raise ValueError(f"source {source.name}: only http(s) URLs are fetched, not {url}")
        if source.enabled:
            sources.append(source)
    return sources


def allowed(url: str, source: Source) -> bool:
    """An http(s) URL on one of the source's hosts.

    >>> allowed("https://www.acftu.org/a.html", Source("s", urls=("https://www.acftu.org/",)))
    True
    >>> allowed("file:///etc/passwd", Source("s", urls=("https://www.acftu.org/",)))
    False
    """
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and (parts.hostname or "").lower() in source.hosts


def report_links(page: bytes, base_url: str, source: Source) -> list[str]:
    """Links of an index page to report files on the source's hosts, in page order, without repeats."""
    import lxml.html

    try:
        root = lxml.html.fromstring(page)
    except (ValueError, lxml.etree.ParserError):
        return []
    pattern = re.compile(source.link_pattern, re.IGNORECASE)
    links: list[str] = []
    for href in root.xpath("//a/@href"):
        url = urljoin(base_url, str(href).strip()).split("#", 1)[0]
        if allowed(url, source) and pattern.search(urlsplit(url).path) and url not in links:
            links.append(url)
    return links[: source.max_links]


def local_name(url: str) -> str:
    """Where a fetched URL is kept, relative to the fetch folder: host/path, made safe.

    >>> local_name("https://www.acftu.org/news/2024/工会驿站.html?id=3")
    'www.acftu.org/news/2024/工会驿站_id=3.html'
    >>> local_name("http://127.0.0.1:8080/../../etc/passwd")
    '127.0.0.1_8080/etc/passwd'
    """
    parts = urlsplit(url)
    host = (parts.netloc.rsplit("@", 1)[-1] or "unknown").replace(":", "_")
    segments = [s for s in (_safe(unquote(seg)) for seg in parts.path.split("/")) if s not in ("", ".", "..")]
    if not segments:
        segments = ["index.html"]
    if parts.query:
        stem, dot, ext = segments[-1].rpartition(".")
        query = _safe(unquote(parts.query))
        segments[-1] = f"{stem}_{query}.{ext}" if dot else f"{segments[-1]}_{query}"
    return "/".join([_safe(host), *segments])


def _safe(segment: str) -> str:
    return re.sub(r"[^\w.\-\u4e00-\u9fff=]+", "_", segment).strip("._") if segment not in (".", "..") else segment


def get(
    client: httpx.Client, url: str, source: Source, validator: Validator | None, accept: tuple[str, ...]
) -> tuple[httpx.Response | None, bytes, str, int]:
    """GET with validators, retries on transient failures, redirects checked against the hosts.
    Returns (response, body, final url, attempts); response is None when not modified (304)."""
    attempt = 0
    while True:
        attempt += 1
        try:
            response, body, final_url = _get_once(client, url, source, validator, accept)
            return response, body, final_url, attempt
        except FetchError as exc:
            if not exc.transient or attempt > source.retries:
                exc.attempts = attempt
                raise
            time.sleep(source.backoff_seconds * 2 ** (attempt - 1))


def _get_once(
    client: httpx.Client, url: str, source: Source, validator: Validator | None, accept: tuple[str, ...]
) -> tuple[httpx.Response | None, bytes, str]:
    headers = {}
    if validator and validator.etag:
        headers["If-None-Match"] = validator.etag
    if validator and validator.last_modified:
        headers["If-Modified-Since"] = validator.last_modified
    deadline = time.monotonic() + source.timeout_seconds
    for _ in range(MAX_REDIRECTS + 1):
        if not allowed(url, source):
            raise FetchError(f"not fetched: {url} is not on the source's hosts ({', '.join(sorted(source.hosts))})")
        try:
            with client.stream("GET", url, headers=headers, timeout=source.timeout_seconds) as response:
                if response.status_code == 304:
                    return None, b"", url
                if response.status_code in (301, 302, 303, 307, 308) and "location" in response.headers:
                    url = urljoin(url, response.headers["location"])
                    continue
                if response.status_code >= 500:
                    raise FetchError(f"HTTP {response.status_code}", response.status_code, transient=True)
                if response.status_code >= 400:
                    raise FetchError(f"HTTP {response.status_code}", response.status_code)
                content_type = response.headers.get("content-type", "").split(";")[0].strip().lower()
                if content_type and content_type not in accept:
                    raise FetchError(f"unexpected content type {content_type}", response.status_code)
                length = response.headers.get("content-length")
                if length and length.isdigit() and int(length) > source.max_bytes:
                    raise FetchError(f"too large: {length} bytes > limit {source.max_bytes}", response.status_code)
                body = bytearray()
                for chunk in response.iter_bytes():
                    body += chunk
                    if len(body) > source.max_bytes:
                        raise FetchError(f"too large: more than {source.max_bytes} bytes", response.status_code)
                    if time.monotonic() > deadline:
                        raise FetchError(f"timed out after {source.timeout_seconds:g} s", transient=True)
                return response, bytes(body), url
        except httpx.TimeoutException as exc:
            raise FetchError(f"timed out: {type(exc).__name__}", transient=True) from None
        except httpx.TransportError as exc:
            raise FetchError(f"connection failed: {exc}", transient=True) from None
    raise FetchError(f"more than {MAX_REDIRECTS} redirects")


def _request(
    client: httpx.Client, result: FetchResult, source: Source, known: Validator | None, accept: tuple[str, ...]
) -> tuple[bytes, str] | None:
    """GET result.url and record the answer in `result`; (body, final url) when a body came."""
    try:
        response, body, final_url, result.attempts = get(client, result.url, source, known, accept)
    except FetchError as exc:
        result.reason, result.http_status, result.attempts = exc.reason, exc.http_status, getattr(exc, "attempts", 1)
        return None
    if response is None:  # 304: what we have is current
        result.status, result.http_status = "not_modified", 304
        result.etag, result.last_modified, result.sha256 = known.etag, known.last_modified, known.sha256
        return None
    result.http_status = response.status_code
    result.etag, result.last_modified = response.headers.get("etag"), response.headers.get("last-modified")
    result.sha256, result.size_bytes = hashlib.sha256(body).hexdigest(), len(body)
    result.status = "unchanged" if known and known.sha256 == result.sha256 else "fetched"
    return body, final_url


def fetch_report(
    client: httpx.Client, url: str, source: Source, known: Validator | None, folder: Path, found_on: str | None = None
) -> FetchResult:
    """Download one report file if it changed; write it under `folder`."""
    result = FetchResult(source.name, url, "report", "failed", found_on=found_on)
    answer = _request(client, result, source, known, REPORT_TYPES)
    if result.status == "failed":
        return result
    result.file_name = local_name(url)
    target = folder / result.file_name
    if answer is None or (result.status == "unchanged" and target.exists()):
        return result
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.part")
    tmp.write_bytes(answer[0])
    tmp.replace(target)
    result.status = "fetched"
    return result


def fetch_index(client: httpx.Client, url: str, source: Source, known: Validator | None) -> FetchResult:
    """Read an index page (if it changed) and list its report links."""
    result = FetchResult(source.name, url, "index", "failed")
    answer = _request(client, result, source, known, INDEX_TYPES)
    if answer is not None:
        result.links = report_links(answer[0], answer[1], source)
    return result


def fetch_sources(
    sources: list[Source], known: dict[str, Validator], folder: Path, client: httpx.Client | None = None
) -> list[FetchResult]:
    """Fetch every source: index pages first, then the source's files and the links found on them.
    The links of an index page that did not change are the ones it had; every file already known is
    asked only for changes (a 304 downloads nothing)."""
    own_client = client is None
    client = client or httpx.Client(follow_redirects=False, headers={"User-Agent": "unionfacts"})
    results: list[FetchResult] = []
    try:
        for source in sources:
            found_on: dict[str, str | None] = dict.fromkeys(source.urls)
            for page in source.index_pages:
                index = fetch_index(client, page, source, known.get(page))
                results.append(index)
                links = (
                    index.links
                    if index.status in ("fetched", "unchanged")
                    else [u for u, v in known.items() if v.found_on == page]
                )
                for link in links:
                    found_on.setdefault(link, page)
            for url, page in found_on.items():
                results.append(fetch_report(client, url, source, known.get(url), folder, page))
    finally:
        if own_client:
            client.close()
    return results
