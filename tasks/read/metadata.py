"""Document metadata found in a report's text: its publisher and publication date.

Newspaper pages say who published them in a source line ("来源：工人日报"), a masthead
("《青岛日报》") or a byline ("本报讯"), and when in a date line near the top
("发布时间：2024-10-12", "2024年10月12日"). Only the head of a text is read, so that dates of the
events a report describes are not taken for its publication date.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

HEAD_CHARS = 600
SOURCE_RE = re.compile(
    r"(?:来源|稿源|出处|来自)[:：]\s*([\u4e00-\u9fffA-Za-z]{2,20}?)"
    r"(?=\s|$|[,，。|｜/]|发布|时间|日期|作者|记者|编辑|责任)"
)
MASTHEAD_RE = re.compile(r"[\u4e00-\u9fff]{2,8}?(?:工人日报|日报|晚报|工人报|时报|商报|早报|都市报|周报|新闻网|工会网)")
DATE_RE = re.compile(r"((?:19|20)\d{2})\s*[-年/.]\s*(\d{1,2})\s*[-月/.]\s*(\d{1,2})(?!\d)\s*日?")
DATE_LABEL_RE = re.compile(r"(?:发布|发表|刊发|出版|更新)?(?:时间|日期)[:：]")


@dataclass(frozen=True)
class Metadata:
    publisher: str | None = None
    published_on: date | None = None
    published_on_source: str | None = (
        None  # hints (page meta), date_label (发布时间：…), date_line, url_path, file_properties
    )


# how a web page is dated (its markup, a 发布时间 line, its address): it speaks as of its publication
PAGE_DATE_SOURCES = ("hints", "date_label", "url_path")


def _valid_date(m: re.Match) -> date | None:
    try:
        return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


def publication_date(head: str) -> date | None:
    """A labelled date ("发布时间：2024-10-12") first, else a date on a line of its own.

    >>> publication_date("标题\\n来源：工人日报 发布时间：2024-10-12\\n正文")
    datetime.date(2024, 10, 12)
    >>> publication_date("2023年5月1日,全市召开大会。") is None
    True
    """
    return dated(head)[0]


def dated(head: str) -> tuple[date | None, str | None]:
    """The publication date and how it was written: `date_label` (发布时间：…) or `date_line` (a date
    on a line of its own, as under a speech's title: （2025年1月15日）)."""
    for label in DATE_LABEL_RE.finditer(head):
        m = DATE_RE.match(head, label.end()) or DATE_RE.match(head, label.end() + 1)
        if m and (d := _valid_date(m)):
            return d, "date_label"
    for line in head.split("\n"):
        m = DATE_RE.search(line)
        if m and len(line.strip()) <= len(m.group()) + 24 and not re.search(r"[,，。;；]", line):
            if d := _valid_date(m):
                return d, "date_line"
    return None, None


def publisher(head: str) -> str | None:
    """The source line, else a masthead in the head.

    >>> publisher("来源：浙江工人日报  发布时间：2024-10-12"), publisher("《青岛日报》2024年1月2日")
    ('浙江工人日报', '青岛日报')
    """
    m = SOURCE_RE.search(head)
    if m:
        return m.group(1)
    m = MASTHEAD_RE.search(head)
    return m.group() if m else None


# a date in a fetched file's path: /2018-04/12/, /2018/04/12/, /20250423/, _20250423
PATH_DATE_RE = re.compile(r"(?<![0-9])((?:19|20)[0-9]{2})[-/_]?(0[1-9]|1[0-2])[-/_]?(0[1-9]|[12][0-9]|3[01])(?![0-9])")


def path_date(path: str) -> date | None:
    """The date a web address or file path holds (news sites file pages by day).

    >>> path_date("http/www.example.cn/content/2018-04/12/content_1.htm"), path_date("news/20250423/a.html")
    (datetime.date(2018, 4, 12), datetime.date(2025, 4, 23))
    >>> path_date("reports/000_90a44285579183c2.txt") is None
    True
    """
    for m in PATH_DATE_RE.finditer(path.replace("\\", "/")):
        if d := _valid_date(m):
            return d
    return None


def document_metadata(text: str, hints: str = "", path: str = "", file_date: date | None = None) -> Metadata:
    """Metadata from format hints (a page's header lines, meta tags) and the head of the text, with
    how the publication date was found; a fetched file's path, then the file's own properties (when a
    Word or PDF file was saved) when the text states no date.

    >>> document_metadata("讲话\\n（2025年1月15日）\\n同志们：").published_on_source
    'date_line'
    >>> document_metadata("正文", hints="发布时间：2024-03-05").published_on_source
    'hints'
    """
    head = (hints + "\n" + text[:HEAD_CHARS]) if hints else text[:HEAD_CHARS]
    found, how = dated(head)
    if found is not None and hints and dated(hints)[0] == found:
        how = "hints"  # the page's header lines or meta tags, the file's properties
    if found is None and path and (found := path_date(path)):
        how = "url_path"  # a fetched page filed by day: /2018-04/12/
    if found is None and file_date is not None:
        found, how = file_date, "file_properties"
    return Metadata(publisher(head), found, how)
