"""The `tandem` command: the rule engines without the app, for people and for scripts.

Each sub-command lives in its own module and exposes `register(subparsers)`, which adds its
parser and sets `func(args) -> int` as the default.
"""

from __future__ import annotations

import argparse
import sys

from tandem import cli_check_goal, cli_deadline

# The sub-commands, in the order `--help` lists them; each stays importable without Django.
SUBCOMMANDS = (cli_deadline, cli_check_goal)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="tandem", description=__doc__.splitlines()[0])
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for module in SUBCOMMANDS:
        module.register(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    return int(args.func(args))


if __name__ == "__main__":
    sys.exit(main())
