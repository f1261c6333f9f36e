"""Plan-document import: a Chinese government notice + plan → the plan interchange format.

Pure Python (no Django). Entry points::

    parse_text(text, *, register=None, source_name=None) -> dict
    parse_file(path, *, register=None) -> dict
    read_document(path) -> str            # raw text of a .txt/.docx file
    normalize_text(raw) -> str            # the text every span points into
    UnitRegister.from_yaml(path) / UnitRegister(data) / default_register()

Every extracted item carries ``span: [start, end]``, character offsets into
``result["source"]["text"]`` (the normalised text).
"""

from qualityplan.plandoc.errors import PlanDocError
from qualityplan.plandoc.normalize import normalize_text, read_document
from qualityplan.plandoc.parser import FORMAT, parse_file, parse_text
from qualityplan.plandoc.units import UnitRegister, default_register

__all__ = [
    "FORMAT",
    "PlanDocError",
    "UnitRegister",
    "default_register",
    "normalize_text",
    "parse_file",
    "parse_text",
    "read_document",
]
