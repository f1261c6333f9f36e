"""The numbered hierarchy of a plan: 一、 （一） 1. （1） ①, in whatever nesting the document uses."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from qualityplan.plandoc.textutil import CLOSE, OPEN

_CN = "一二三四五六七八九十百"
_CNZ = "一二三四五六七八九十百零〇"
MARKERS: list[tuple[str, re.Pattern[str]]] = [
    # 第一部分 / 第一章 / 第一节 / 第一条 (regulations, outlines, long plans), besides 一、 （一） 1. （1） ①
    ("part", re.compile(rf"^第([{_CNZ}]+|\d{{1,2}})部分[\s：:、]*")),
    ("chap", re.compile(rf"^第([{_CNZ}]+|\d{{1,2}})章[\s：:、]*")),
    ("sect", re.compile(rf"^第([{_CNZ}]+|\d{{1,2}})节[\s：:、]*")),
    ("art", re.compile(rf"^第([{_CNZ}]+|\d{{1,3}})条[\s：:、]*")),
    ("cn", re.compile(rf"^([{_CN}]+)、")),
    ("pcn", re.compile(rf"^（([{_CN}]+)）")),
    ("num", re.compile(r"^(\d{1,2})(?:[.、](?!\d)|\.(?=\D))")),
    ("pnum", re.compile(r"^（(\d{1,2})）")),
    ("circ", re.compile(r"^([①-⑳])")),
]
_FORMAT = {
    "part": "第{}部分",
    "chap": "第{}章",
    "sect": "第{}节",
    "art": "第{}条",
    "cn": "{}",
    "pcn": "({})",
    "num": "{}",
    "pnum": "({})",
    "circ": "{}",
}
_HEADING_KINDS = {"part", "chap", "sect"}  # may stand alone on a line, the title on the same line or none


@dataclass
class Node:
    kind: str
    label: str  # this level's part of the number: 三, (二), 4, (1), ①
    number: str  # full path: 三.(二).4
    start: int  # offset of the marker
    text_start: int  # offset just after the marker
    own_end: int = 0  # end of this node's own text (start of the next marker of any level)
    end: int = 0  # end of the subtree
    title: str = ""
    title_span: tuple[int, int] = (0, 0)
    body_start: int = 0  # first offset after the title sentence
    parent: Node | None = None
    children: list[Node] = field(default_factory=list)

    @property
    def depth(self) -> int:
        return 0 if self.parent is None else self.parent.depth + 1

    def walk(self):
        yield self
        for child in self.children:
            yield from child.walk()

    def ancestors(self):
        node = self.parent
        while node is not None:
            yield node
            node = node.parent


def sentence_end(text: str, start: int, end: int, stops: str = "。；！？") -> int:
    """Offset of the first stop character at bracket depth 0 in ``text[start:end]`` (or the line end)."""
    depth: list[str] = []
    for i in range(start, end):
        ch = text[i]
        if ch == "\n" and not depth:
            return i
        if ch in OPEN and not (ch in "“‘" and depth and depth[-1] == CLOSE[OPEN.index(ch)]):
            depth.append(CLOSE[OPEN.index(ch)])
        elif depth and ch == depth[-1]:
            depth.pop()
        elif not depth and ch in stops:
            return i
    return end


def match_marker(line: str) -> tuple[str, str, int] | None:
    for kind, rx in MARKERS:
        m = rx.match(line)
        if m and (len(line) > m.end() or kind in _HEADING_KINDS):
            return kind, m.group(1), m.end()
    return None


def build_tree(text: str, start: int = 0) -> list[Node]:
    """Return the root nodes of the numbered hierarchy found in ``text[start:]`` (markers at line starts)."""
    roots: list[Node] = []
    stack: list[Node] = []
    flat: list[Node] = []
    offset = start
    for line in text[start:].split("\n"):
        found = match_marker(line)
        if found:
            kind, value, length = found
            while stack and kind in {n.kind for n in stack}:
                if stack.pop().kind == kind:
                    break
            parent = stack[-1] if stack else None
            label = _FORMAT[kind].format(value)
            number = f"{parent.number}.{label}" if parent else label
            node = Node(kind, label, number, offset, offset + length, parent=parent)
            (parent.children if parent else roots).append(node)
            stack.append(node)
            flat.append(node)
        offset += len(line) + 1
    text_end = len(text)
    for i, node in enumerate(flat):
        node.own_end = flat[i + 1].start if i + 1 < len(flat) else text_end
        node.own_end = _rstrip(text, node.text_start, node.own_end)
    for node in reversed(flat):
        node.end = max([node.own_end] + [c.end for c in node.children])
    for node in flat:
        _set_title(text, node)
    return roots


def _rstrip(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1] in " \n\t":
        end -= 1
    return end


def _set_title(text: str, node: Node) -> None:
    start = node.text_start
    stop = sentence_end(text, start, node.own_end, "。；！？：")
    title = text[start:stop].strip()
    if len(title) > 80:  # no sentence end for a long way: cut at the first comma
        comma = sentence_end(text, start, stop, "，")
        stop = comma
        title = text[start:stop].strip()
    node.title = title.rstrip("，、")
    node.title_span = (start, start + len(node.title))
    body = stop + 1 if stop < node.own_end else stop
    while body < node.own_end and text[body] in " \n":
        body += 1
    node.body_start = body
