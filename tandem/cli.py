"""The `tandem` command: the rule engines without the app, for people and for scripts.

Each sub-command lives in its own module and exposes `register(subparsers)`, which adds its
parser and sets `func(args) -> int` as the default.
"""

from __future__ import annotations

import argparse
import importlib
import sys

# Modules that provide a sub-command; each must stay importable without Django.
SUBCOMMANDS = ("tandem.cli_deadline", "tandem.cli_check_goal")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="tandem", description=__doc__.splitlines()[0])
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name in SUBCOMMANDS:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as error:
            if error.name != name:
                raise
            continue
        module.register(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    return int(args.func(args))


if __name__ == "__main__":
    sys.exit(main())
