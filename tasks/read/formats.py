"""A report file's bytes → its text, whatever the format: plain text, web page, Word, PDF.

`read_document` dispatches on the file suffix and returns a `Document` with the text the rest of
the pipeline reads (the *original* that provenance offsets point into), the encoding that decoded it,
the format, and a title when the format names one. A file that cannot become text raises
`UnreadableFile` with the reason recorded in etl_file; nothing here executes or evaluates content.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from datetime import date, datetime

from tasks.operations import limits
from tasks.read.decode import DEFAULT_MAX_BYTES, UnreadableFile, decode

TEXT_SUFFIXES = (".txt", ".md", ".text")
HTML_SUFFIXES = (".html", ".htm", ".xhtml", ".shtml")
SUPPORTED_SUFFIXES = TEXT_SUFFIXES + HTML_SUFFIXES + (".docx", ".pdf")

# elements that are never the article
HTML_DROP_TAGS = (
    "script",
    "style",
    "noscript",
    "nav",
    "header",
    "footer",
    "aside",
    "form",
    "iframe",
    "svg",
    "button",
    "select",
    "textarea",
    "template",
    "object",
    "embed",
    "canvas",
    "menu",
)
BOILERPLATE_RE = re.compile(
    r"nav|menu|sidebar|side-bar|footer|header|breadcrumb|crumb|share|comment|"
    r"copyright|related|advert|banner|login|toolbar|topbar|tabs?\b|links?\b|"
    r"recommend|\bhot\b|\brank|subscribe|qrcode|weixin|wechat",
    re.IGNORECASE,
)
HTML_BLOCK_TAGS = frozenset(
    (
        "p",
        "div",
        "section",
        "article",
        "main",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "li",
        "tr",
        "table",
        "blockquote",
        "pre",
        "dd",
        "dt",
        "figcaption",
        "center",
    )
)
TITLE_SITE_SUFFIX_RE = re.compile(r"\s*(?:[-_|｜—–]+\s*[^-_|｜—–]{1,30})+$")
META_CHARSET_RE = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.IGNORECASE)
CJK_RE = re.compile(r"[\u4e00-\u9fff]")


@dataclass(frozen=True)
class Document:
    text: str
    encoding: str | None
    format: str
    title: str = ""
    hints: str = ""  # lines outside the text that tell publisher and date (a page header, meta tags)
    damaged_bytes: int = 0  # bytes that decoded to replacement characters (tasks.decode)
    file_date: date | None = None  # when a Word or PDF file says it was last saved (its properties)


def file_format(file_name: str) -> str | None:
    """'report.HTM' → 'html', 'a.docx' → 'docx'; None when unsupported."""
    name = file_name.lower()
    if name.endswith(TEXT_SUFFIXES):
        return "text"
    if name.endswith(HTML_SUFFIXES):
        return "html"
    for suffix in (".docx", ".pdf"):
        if name.endswith(suffix):
            return suffix[1:]
    return None


def read_document(data: bytes, file_name: str, max_bytes: int = DEFAULT_MAX_BYTES) -> Document:
    """The text of a report file; UnreadableFile with a reason when there is none."""
    fmt = file_format(file_name)
    if fmt is None:
        suffix = file_name.rsplit(".", 1)[-1] if "." in file_name.rsplit("/", 1)[-1] else "no extension"
        raise UnreadableFile(f"unsupported format: {suffix}")
    if len(data) == 0:
        raise UnreadableFile("empty file")
    if len(data) > max_bytes:
        raise UnreadableFile(f"file too large: {len(data)} bytes > limit {max_bytes}")
    if fmt == "text":
        decoded = decode(data)
        return Document(decoded.text, decoded.encoding, "text", damaged_bytes=decoded.damaged_bytes)
    if fmt == "html":
        return read_html(data)
    if fmt == "docx":
        return read_docx(data)
    return read_pdf(data)


def _decode_html(data: bytes) -> tuple[str, str, int]:
    m = META_CHARSET_RE.search(data[:4096])
    if m:
        declared = m.group(1).decode("ascii", "replace").lower()
        declared = {"gb2312": "gb18030", "gbk": "gb18030", "utf8": "utf-8"}.get(declared, declared)
        try:
            return data.decode(declared), declared, 0
        except (LookupError, UnicodeDecodeError):
            pass  # a wrong declaration or a damaged page: detect instead
    decoded = decode(data)
    return decoded.text, decoded.encoding, decoded.damaged_bytes


# container and inline tags, dropped from a page nested deeper than the parser follows (their text stays)
NESTING_TAGS_RE = re.compile(
    r"</?(?:div|span|section|font|center|table|tbody|thead|tfoot|tr|td|th|b|i|u|em|strong|"
    r"small|big|article|main|ul|ol|dl|blockquote)\b[^<>]*>",
    re.IGNORECASE,
)


def _parse_html(source: str):  # lxml is imported on first use: plain-text runs do not pay for it
    """The page's tree. libxml2 stops at a nesting depth of 2048 (and drops what is deeper, which may
    be the whole article): such a page is parsed again without its container and inline tags."""
    root, too_deep = _lxml_tree(source)
    if too_deep:
        root, _ = _lxml_tree(NESTING_TAGS_RE.sub(" ", source))
    return root


def _lxml_tree(source: str):
    """(tree, whether libxml2 gave up on its depth)."""
    import lxml.html

    parser = lxml.html.HTMLParser(encoding="utf-8", remove_comments=True, huge_tree=True)
    try:
        root = lxml.html.document_fromstring(source.encode("utf-8"), parser=parser)
    except Exception as exc:  # lxml raises several types on broken input
        raise UnreadableFile(f"unreadable HTML: {exc}") from None
    return root, any("Excessive depth" in e.message for e in parser.error_log)


def read_html(data: bytes) -> Document:
    """The article of a saved web page: navigation, menus, sidebars, footers, scripts dropped;
    paragraph breaks kept; the headline (or the page title without the site name) as title."""
    source, encoding, damaged_bytes = _decode_html(data)
    root = _parse_html(source)
    page_title = " ".join(" ".join(root.xpath("//title//text()")).split())
    headline = _headline(root)  # before the boilerplate goes: headlines often sit in a header block
    hints = _metadata_hints(root)
    for el in root.xpath("|".join(f"//{tag}" for tag in HTML_DROP_TAGS)):
        el.drop_tree()
    for el in root.xpath("//*[@class or @id or @role]"):
        marker = " ".join(filter(None, (el.get("class"), el.get("id"), el.get("role"))))
        if (
            el.getparent() is not None
            and el.tag not in ("body", "html", "article", "main")
            and BOILERPLATE_RE.search(marker)
            and not _is_article_like(el)
            and not el.xpath(".//h1")
        ):
            el.drop_tree()
    body = _main_container(root)
    paragraphs = _paragraphs(body)
    if headline and paragraphs and paragraphs[0].strip() == headline:
        paragraphs = paragraphs[1:]
    title = headline or TITLE_SITE_SUFFIX_RE.sub("", page_title) or page_title
    text = "\n\n".join(([headline] if headline else []) + paragraphs)
    if not text.strip():
        raise UnreadableFile("no text: the page holds no article text")
    return Document(text, encoding, "html", title[:200], hints, damaged_bytes)


META_HINT_NAMES = (
    "publishdate",
    "pubdate",
    "publish_date",
    "article:published_time",
    "og:release_date",
    "source",
    "contentsource",
    "author",
    "og:site_name",
    "site_name",
)


def _metadata_hints(root) -> str:
    """Meta tags and the lines around the headline that say who published the page and when."""
    lines = []
    for meta in root.xpath("//meta[@content]"):
        name = (meta.get("name") or meta.get("property") or "").lower()
        if name in META_HINT_NAMES:
            label = (
                "来源：" if name in ("source", "contentsource", "og:site_name", "site_name", "author") else "发布时间："
            )
            lines.append(label + meta.get("content").strip())
    for h1 in root.xpath("//h1")[:1]:
        parent = h1.getparent()
        if parent is not None:
            lines.append(" ".join(parent.text_content().split())[:300])
    for el in root.xpath(
        "//*[contains(@class,'info') or contains(@class,'source') or contains(@class,'time')"
        " or contains(@class,'date')]"
    )[:5]:
        lines.append(" ".join(el.text_content().split())[:200])
    published = _marked_up_date(root)
    if published:
        lines.append("发布时间：" + published)
    return "\n".join(lines)


def _marked_up_date(root) -> str | None:
    """The publication date the page's markup states (meta tags, <time>, JSON-LD datePublished, the
    address in <link rel=canonical>), read by htmldate without guessing from the text."""
    from htmldate import find_date  # imported on the first HTML page only

    try:
        return find_date(root, extensive_search=False, original_date=True, deferred_url_extractor=True)
    except Exception:  # a date library's failure on a hostile page is no reason to lose the page
        return None


def _is_article_like(el) -> bool:
    """A container that holds a long run of prose is kept even if its class says 'content-share'."""
    return len(CJK_RE.findall(el.text_content())) > 400 and len(el.xpath(".//p")) >= 3


def _main_container(root):
    """The element whose own paragraphs hold the most Chinese text (a readability-style choice)."""
    scores: dict = {}
    for p in root.xpath("//p | //br/.."):
        parent = p.getparent() if p.tag == "p" else p
        if parent is None:
            continue
        n = len(CJK_RE.findall(p.text_content()))
        scores[parent] = scores.get(parent, 0) + n
    for art in root.xpath("//article | //main"):
        scores[art] = scores.get(art, 0) + len(CJK_RE.findall(art.text_content())) // 2
    if scores:
        best = max(scores, key=scores.get)
        if scores[best] >= 20:
            return best
    body = root.find("body")
    return body if body is not None else root


def _headline(root) -> str:
    for xpath in ("//h1", "//*[contains(@class,'title') and not(self::title) and not(ancestor::nav)]", "//h2"):
        for el in root.xpath(xpath):
            text = " ".join(el.text_content().split())
            if 4 <= len(text) <= 80 and CJK_RE.search(text):
                return text
    return ""


def _paragraphs(container) -> list[str]:
    """Text of a container with block elements and <br> as paragraph breaks (walked with a stack of
    its own: a page may nest deeper than Python's recursion limit)."""
    parts: list[str] = []
    if container.text:
        parts.append(container.text)
    stack = [(child, False) for child in reversed(container)]
    while stack:
        el, closing = stack.pop()
        if closing:  # after the element's children: its end, then the text that follows it
            if el.tag in HTML_BLOCK_TAGS:
                parts.append("\n\n")
            if el.tail:
                parts.append(el.tail)
            continue
        if el.tag in HTML_BLOCK_TAGS:
            parts.append("\n\n")
        elif el.tag == "br":
            parts.append("\n")
        if el.text and isinstance(el.tag, str):
            parts.append(el.text)
        stack.append((el, True))
        stack.extend((child, False) for child in reversed(el))
    raw = "".join(parts).replace("\xa0", " ")
    out = []
    for block in re.split(r"\n[ \t\r\f\v]*\n", raw):
        lines = [" ".join(line.split()) for line in block.split("\n")]
        text = "\n".join(line for line in lines if line)
        if text:
            out.append(text)
    return out


MAX_EXPANDED_BYTES = 256 * 1024 * 1024  # what a Word file's parts may unpack to (a zip bomb expands to GBs)


def _check_expanded_size(data: bytes) -> None:
    """A Word file is a ZIP archive: refuse one whose parts would unpack to more than
    MAX_EXPANDED_BYTES before anything unpacks them."""
    import zipfile

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            expanded = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise UnreadableFile(f"unreadable DOCX: {type(exc).__name__}") from None
    if expanded > MAX_EXPANDED_BYTES:
        raise UnreadableFile(
            f"unreadable DOCX: its parts unpack to {expanded:,} bytes (more than {MAX_EXPANDED_BYTES:,}: a zip bomb?)"
        )


def read_docx(data: bytes) -> Document:
    """Paragraph text of a Word document (tables row by row), paragraphs separated by blank lines."""
    import docx  # python-docx

    _check_expanded_size(data)
    try:
        doc = docx.Document(io.BytesIO(data))
    except Exception as exc:  # zipfile, KeyError or XML errors on a damaged file
        raise UnreadableFile(f"unreadable DOCX: {type(exc).__name__}") from None
    paragraphs = [p.text.strip() for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            cells = [c.text.strip() for c in row.cells]
            paragraphs.append(" ".join(dict.fromkeys(c for c in cells if c)))
    text = "\n\n".join(p for p in paragraphs if p)
    if not text.strip():
        raise UnreadableFile("no text: the document holds no paragraphs")
    title = (doc.core_properties.title or "").strip()
    saved = _property_date(doc.core_properties.modified) or _property_date(doc.core_properties.created)
    return Document(text, None, "docx", title[:200], file_date=saved)


def read_pdf(data: bytes) -> Document:
    """The text layer of a PDF, pages separated by form feeds (no OCR)."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise UnreadableFile("unreadable PDF: encrypted")
        pages = []
        for page in reader.pages:
            limits.check()  # a page at a time: the file's budget can stop a PDF of thousands of pages
            pages.append(page.extract_text() or "")
        title = (reader.metadata.title if reader.metadata and reader.metadata.title else "") or ""
        saved = _pdf_date(reader.metadata)
    except UnreadableFile:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as exc:
        raise UnreadableFile(f"unreadable PDF: {type(exc).__name__}") from None
    text = "\f".join(pages)
    if not CJK_RE.search(text) and not re.search(r"[A-Za-z0-9]", text):
        raise UnreadableFile("no text layer: a scanned PDF (OCR is not done)")
    return Document(text, None, "pdf", str(title).strip()[:200], file_date=saved)


FIRST_PLAUSIBLE_YEAR = 2000  # older property dates are a template's or a clock's, not the report's


def _property_date(value) -> date | None:
    if not isinstance(value, datetime | date):
        return None
    day = value.date() if isinstance(value, datetime) else value
    return day if FIRST_PLAUSIBLE_YEAR <= day.year <= date.today().year else None


def _pdf_date(metadata) -> date | None:
    """The PDF's modification date, else its creation date (a damaged date string is none)."""
    if not metadata:
        return None
    for read in (lambda: metadata.modification_date, lambda: metadata.creation_date):
        try:
            if day := _property_date(read()):
                return day
        except (ValueError, TypeError, KeyError):
            continue
    return None
