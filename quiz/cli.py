"""The ``quiz`` command: validate, import, list, export and serve question banks."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from quiz.banks.loader import UsageError, validate_paths

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2


def _validate(args: argparse.Namespace) -> int:
    """Print every problem of every file, then a summary; exit 1 if any file has an error."""
    reports = validate_paths(args.paths, args.max_bytes)
    errors = warnings = questions = 0
    for report in reports:
        for problem in report.problems:
            print(problem)
        errors += len(report.errors)
        warnings += len(report.warnings)
        questions += len(report.bank.questions) if report.bank else 0
    bad_files = sum(1 for report in reports if report.errors)
    print(f"{len(reports)} file(s), {questions} question(s): {errors} error(s), "
          f"{warnings} warning(s)" + (f" in {bad_files} file(s)" if bad_files else ""))
    return EXIT_PROBLEMS if errors else EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of every subcommand."""
    parser = argparse.ArgumentParser(prog="quiz", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    validate = commands.add_parser("validate", help="check bank files and folders")
    validate.add_argument("paths", nargs="+", metavar="PATH")
    validate.add_argument("--max-bytes", type=int, default=50 * 1024 * 1024,
                          help="refuse files larger than this (default 50 MB)")
    validate.set_defaults(handler=_validate)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one subcommand; usage errors exit 2 with a message, never a traceback."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        code: int = args.handler(args)
    except UsageError as error:
        print(f"quiz {args.command}: {error}", file=sys.stderr)
        return EXIT_USAGE
    return code


if __name__ == "__main__":
    sys.exit(main())
