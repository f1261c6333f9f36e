"""Reading documents and normalising their text.

All spans in the parse output are offsets into the string returned by :func:`normalize_text`,
so normalisation happens once, up front, and nothing later changes the text.
"""

from __future__ import annotations

import re
from pathlib import Path

from qualityplan.plandoc.errors import PlanDocError
from qualityplan.plandoc.tables import table_lines

# Full-width forms we keep (they carry meaning in Chinese official text and appear in the readings).
_KEEP_FULLWIDTH = set("（），：；！？")
_CJK = r"\u3000-\u303f\u3400-\u9fff\uff00-\uffef“”‘’《》〈〉〔〕【】—…·"
_MARKER_RE = re.compile(
    r"^(?:[一二三四五六七八九十百]+、|（[一二三四五六七八九十百]+）|\d{1,2}[.、](?!\d)|（\d{1,2}）|[①-⑳]"
    r"|第[一二三四五六七八九十百零〇\d]+(?:部分|章|节|条))"
)
_TERMINAL = tuple("。；！？：:）)")
_TITLE_END_RE = re.compile(
    r"(计划|方案|要点|通知|意见|纲要|规划|办法|若干措施|细则|政府|办公厅|办公室|[0-9〇零一二三四五六七八九十]日)$"
)


def _fullwidth_to_ascii(ch: str) -> str:
    code = ord(ch)
    if 0xFF01 <= code <= 0xFF5E and ch not in _KEEP_FULLWIDTH:
        return chr(code - 0xFEE0)
    return ch


def _normalize_line(line: str) -> str:
    line = "".join(_fullwidth_to_ascii(c) for c in line)
    # half-width brackets and separators to the full-width forms used in official text
    line = line.replace("(", "（").replace(")", "）")
    line = re.sub(r"(?<!\d):|:(?!\d)", "：", line)
    line = line.replace(";", "；")
    line = re.sub(r"(?<=[\u4e00-\u9fff])\.(?=[\u4e00-\u9fff“]|$)", "。", line)
    line = re.sub(r"(?<!\d),|,(?!\d)", "，", line)  # a comma between digits is a number separator
    line = line.strip(" \t\u3000")
    # spaces next to CJK characters or punctuation are layout noise; spaces between Latin words are kept
    line = re.sub(rf"[ \t\u3000]+(?=[{_CJK}（）])", "", line)
    line = re.sub(rf"(?<=[{_CJK}（）])[ \t\u3000]+", "", line)
    line = re.sub(r"(?<=\d)[ \t]+(?=[%.])|(?<=[.])[ \t]+(?=\d)", "", line)
    return line


# a signature line (issuer or date) is never the continuation of the line above
_SIGNATURE_RE = re.compile(
    r"[^，。；：、]{2,30}(?:人民政府|政府|办公厅|办公室|委员会|领导小组|局|厅|委)"
    r"|(?:\d{4}|[〇○零一二三四五六七八九]{4})年[0-9一二三四五六七八九十]{1,2}月[0-9一二三四五六七八九十]{1,3}日"
)


def _is_heading(line: str) -> bool:
    return bool(_MARKER_RE.match(line)) and "。" not in line and len(line) <= 40


def normalize_text(raw: str) -> str:
    """Return the canonical text of a document: unified line ends and punctuation, no stray spaces or breaks.

    A line break inside a sentence (hard-wrapped or copied from PDF) is removed when the line does not end
    with sentence punctuation, is not a heading and the next line does not start a numbered item.
    """
    text = raw.replace("\r\n", "\n").replace("\r", "\n")
    text = re.sub("[\u200b\u200c\u200d\ufeff]", "", text).replace("\xa0", " ")
    lines = [_normalize_line(line) for line in text.split("\n")]
    out: list[str] = []
    for line in lines:
        if not line:
            if out and out[-1] != "":
                out.append("")
            continue
        prev = out[-1] if out else ""
        if (
            prev
            and len(prev) >= 20
            and not prev.endswith(_TERMINAL)
            and not _is_heading(prev)
            and not _TITLE_END_RE.search(prev)
            and not _MARKER_RE.match(line)
            and not _SIGNATURE_RE.fullmatch(line)
        ):
            out[-1] = prev + line
        else:
            out.append(line)
    while out and out[-1] == "":
        out.pop()
    while out and out[0] == "":
        out.pop(0)
    return "\n".join(out)


def _decode(data: bytes) -> str:
    if not data.strip():
        raise PlanDocError("empty document")
    if b"\x00" in data[:4096]:
        raise PlanDocError("binary file: not a text or .docx document")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        controls = sum(1 for c in text if ord(c) < 32 and c not in "\n\r\t\f")
        if controls > len(text) // 100 + 1:
            raise PlanDocError("binary file: too many control characters")
        return text
    raise PlanDocError("cannot decode the document as UTF-8 or GB18030")


def _read_docx(path: Path) -> str:
    try:
        import docx  # python-docx
    except ImportError as exc:  # pragma: no cover - python-docx is a dependency
        raise PlanDocError("python-docx is needed to read .docx files") from exc
    try:
        document = docx.Document(str(path))
    except Exception as exc:  # python-docx raises several unrelated types for corrupt files
        raise PlanDocError(f"cannot read {path.name} as .docx: {exc}") from exc
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    # paragraphs become lines (a paragraph broken mid-sentence is joined like a broken line of text);
    # task-division tables become numbered items with labelled unit lines (tables.py), in document order
    lines: list[str] = []
    for child in document.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            lines.append(Paragraph(child, document).text)
        elif tag == "tbl":
            table = Table(child, document)
            lines += table_lines([[cell.text for cell in row.cells] for row in table.rows])
    return "\n".join(lines)


def read_document(path: str | Path) -> str:
    """Return the raw text of a ``.txt`` (UTF-8 or GB18030) or ``.docx`` file; raise :class:`PlanDocError`."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise PlanDocError(f"cannot read {path}: {exc.strerror or exc}") from exc
    if data[:2] == b"PK" and path.suffix.lower() in (".docx", ".docm", ""):
        text = _read_docx(path)
    elif data[:2] == b"PK":
        raise PlanDocError(f"{path.name}: a zip archive; only .docx is supported")
    else:
        text = _decode(data)
    if not text.strip():
        raise PlanDocError("empty document")
    return text
