"""The one ``qualityplan`` command.

Sub-commands of the pure packages (``standards``, ``plandoc``) run without configuring Django;
everything else is handed to Django's management commands, so ``qualityplan migrate``,
``qualityplan plan load FILE`` and ``qualityplan evaluate`` all work from the same entry point.
"""

from __future__ import annotations

import os
import sys
from importlib import import_module

# Sub-commands implemented by pure packages: name -> module with ``main(argv) -> int``.
PURE_COMMANDS = {
    "standards": "qualityplan.standards.cli",
    "plandoc": "qualityplan.plandoc.cli",
}


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] in PURE_COMMANDS:
        module = import_module(PURE_COMMANDS[argv[0]])
        return int(module.main(argv[1:]) or 0)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qualityplan.config.django.local")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["qualityplan", *argv])
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
