"""The ``quiz`` command: validate, import, list, export and serve question banks; back up and
restore the database."""

from __future__ import annotations

import argparse
import gc
import getpass
import os
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from quiz.banks.formats import DEFAULT_FORMAT, REGISTRY, format_for, format_named
from quiz.banks.formats.tabular_rows import TEMPLATE_BANK
from quiz.banks.loader import FileReport, UsageError, validate_paths
from quiz.engine.questions import QUESTION_TYPES
from quiz.entry import ASYNC_MODES, DEFAULT_ASYNC_MODE
from quiz.resources import bundled_banks_dir
from quiz.storage.backup import BackupError, BackupSummary, restore_backup, write_backup
from quiz.storage.bank_import import ImportResult, import_bank_in_steps, preview_import
from quiz.storage.bank_repo import bank_summaries, load_bank
from quiz.storage.db import database_url, make_engine, migrate, session_factory
from quiz.texts import LANGUAGES, Language, language_from_environment
from quiz.yamlsource import MAX_BYTES

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2
_LISTED_IDS = 10
# What validate and import say about the files, besides each problem: (Chinese, English).
_SAY: dict[str, tuple[str, str]] = {
    "unlisted": ("{path}: 另有 {count} 个问题未列出", "{path}: {count} more problem(s) not listed"),
    "summary": (
        "{files} 个文件，{questions} 道题：{errors} 个错误，{warnings} 个警告",
        "{files} file(s), {questions} question(s): {errors} error(s), {warnings} warning(s)",
    ),
    "summary_bad_files": ("（在 {bad} 个文件中）", " in {bad} file(s)"),
    "refused_errors": (
        "未导入 {path}：有 {errors} 个错误，什么都没有导入",
        "refused {path}: {errors} error(s); nothing imported",
    ),
    "refused_twice": (
        "未导入 {path}：题库 id“{bank}”出现在给出的多个文件里，什么都没有导入",
        "refused {path}: bank id '{bank}' is in more than one of the files given; nothing imported",
    ),
    "refused_database": (
        "未导入 {path}：数据库拒绝了它（{error}），什么都没有导入",
        "refused {path}: the database refused it ({error}); nothing imported",
    ),
    "dry_run": ("试运行，没有导入任何内容：", "dry run, nothing imported:"),
    "imported": (
        "{bank}（{path}）：新增 {added}，修改 {changed}，未变 {unchanged}，停用 {retired}",
        "{bank} ({path}): {added} added, {changed} changed, {unchanged} unchanged, "
        "{retired} retired",
    ),
    "header_changed": (
        "  题库本身的信息（标题、说明、版本号等）有改动",
        "  the bank's own details (title, description, version, ...) changed",
    ),
    "changed": ("修改", "changed"),
    "retired": ("停用", "retired"),
    "note": ("  注意：{note}", "  note: {note}"),
}


def _say(key: str, language: Language, **args: object) -> str:
    """One of the commands' own sentences in ``language``."""
    return _SAY[key][LANGUAGES.index(language)].format(**args)


def _open_database(url: str | None) -> sessionmaker[Session]:
    """Connect to the database (migrating it to the newest schema) and return sessions."""
    engine = make_engine(url or database_url())
    migrate(engine)
    return session_factory(engine)


def _print_problems(reports: Sequence[FileReport], language: Language) -> tuple[int, int]:
    errors = warnings = 0
    for report in reports:
        for problem in report.problems:
            print(problem.line_text(language))
        if report.unlisted:
            # Only the first MAX_PROBLEMS of a file are kept: a million faults help no one.
            print(_say("unlisted", language, path=report.path, count=report.unlisted))
        errors += len(report.errors)
        warnings += len(report.warnings)
    return errors, warnings


def _validate(args: argparse.Namespace) -> int:
    """Print every problem of every file, then a summary; exit 1 if any file has an error."""
    reports = validate_paths(args.paths, args.max_bytes, format_name=args.format)
    language = _language(args)
    errors, warnings = _print_problems(reports, language)
    questions = sum(len(report.bank.questions) for report in reports if report.bank)
    bad_files = sum(1 for report in reports if report.errors)
    counts = {"files": len(reports), "questions": questions, "errors": errors}
    print(
        _say("summary", language, **counts, warnings=warnings)
        + (_say("summary_bad_files", language, bad=bad_files) if bad_files else "")
    )
    return EXIT_PROBLEMS if errors else EXIT_OK


def _language(args: argparse.Namespace) -> Language:
    """``--lang``, else the terminal's locale."""
    language: Language = args.lang or language_from_environment()
    return language


def _ids(label: str, ids: list[str]) -> str:
    shown = ", ".join(ids[:_LISTED_IDS]) + (" ..." if len(ids) > _LISTED_IDS else "")
    return f"  {label}: {shown}"


def _describe_import(path: str, result: ImportResult, language: Language) -> list[str]:
    lines = [
        _say(
            "imported",
            language,
            bank=result.bank_id,
            path=path,
            added=len(result.added),
            changed=len(result.changed),
            unchanged=len(result.unchanged),
            retired=len(result.retired),
        )
    ]
    if result.header_changed and not result.added:
        lines.append(_say("header_changed", language))
    for label, ids in (("changed", result.changed), ("retired", result.retired)):
        if ids:
            lines.append(_ids(_say(label, language), ids))
    lines.extend(_say("note", language, note=note.text(language)) for note in result.notes)
    return lines


def import_reports(
    sessions: sessionmaker[Session],
    reports: Sequence[FileReport],
    *,
    dry_run: bool = False,
    language: Language = "zh",
) -> int:
    """Import each valid bank in its own transaction; a bank with any error is refused whole.
    A dry run prints what each import would do and writes nothing."""
    files_of_bank = Counter(report.bank.id for report in reports if report.bank)
    refused = 0
    for report in reports:
        if report.bank is None:
            print(_say("refused_errors", language, path=report.path, errors=len(report.errors)))
            refused += 1
            continue
        if files_of_bank[report.bank.id] > 1:
            print(_say("refused_twice", language, path=report.path, bank=report.bank.id))
            refused += 1
            continue
        if dry_run:
            with sessions() as session:
                would = preview_import(session, report.bank)
            described = _describe_import(report.path, would, language)
            print("\n".join([_say("dry_run", language), *described]))
            continue
        try:
            # In short steps, so a live contest on the same database is never kept waiting.
            result = import_bank_in_steps(sessions, report.bank)
        except SQLAlchemyError as error:
            name = error.__class__.__name__
            print(_say("refused_database", language, path=report.path, error=name))
            refused += 1
            continue
        print("\n".join(_describe_import(report.path, result, language)))
    return EXIT_PROBLEMS if refused else EXIT_OK


def _import(args: argparse.Namespace) -> int:
    """Validate the files, print their problems, then import the banks that have no error."""
    reports = validate_paths(args.paths, args.max_bytes, format_name=args.format)
    language = _language(args)
    _print_problems(reports, language)
    return import_reports(
        _open_database(args.database), reports, dry_run=args.dry_run, language=language
    )


def _banks(args: argparse.Namespace) -> int:
    """List every bank with its question counts by type and difficulty."""
    with _open_database(args.database)() as session:
        summaries = bank_summaries(session)
    if not summaries:
        print("no banks yet: load one with 'quiz import FILE'")
        return EXIT_OK
    width = max(len(summary.id) for summary in summaries)
    print(
        f"{'bank':<{width}}  version  questions  reviewed  "
        + " ".join(f"{kind:>9}" for kind in QUESTION_TYPES)
        + "  difficulty 1/2/3/4/5   title"
    )
    for summary in summaries:
        types = " ".join(f"{summary.by_type.get(kind, 0):>9}" for kind in QUESTION_TYPES)
        levels = "/".join(str(summary.by_difficulty.get(level, 0)) for level in range(1, 6))
        print(
            f"{summary.id:<{width}}  {summary.version:>7}  {summary.questions:>9}  "
            f"{summary.reviewed:>8}  {types}  {levels:<21}  {summary.title}"
        )
    return EXIT_OK


def _export(args: argparse.Namespace) -> int:
    """Write a stored bank in the format --format names, else -o's extension picks, else YAML."""
    if args.output:
        bank_format = format_for(args.output, args.format)
    else:
        bank_format = format_named(args.format or DEFAULT_FORMAT)
    with _open_database(args.database)() as session:
        bank = load_bank(session, args.bank_id)
    if bank is None:
        print(f"quiz export: no bank '{args.bank_id}' ('quiz banks' lists them)", file=sys.stderr)
        return EXIT_PROBLEMS
    _write_out(
        bank_format.write(bank),
        args.output,
        f"wrote {len(bank.questions)} question(s) of {bank.id} to {args.output}",
    )
    return EXIT_OK


def _write_out(data: bytes, output: str | None, done: str) -> None:
    """Write a file's bytes to ``output`` and say ``done``, or to stdout when there is none."""
    if output:
        Path(output).write_bytes(data)
        print(done)
        return
    # Formats produce bytes; the text layer may hold earlier output, so it goes out first.
    sys.stdout.flush()
    sys.stdout.buffer.write(data)
    sys.stdout.buffer.flush()


def _template(args: argparse.Namespace) -> int:
    """Write a bank template in FORMAT: an example question of each type, ready to replace."""
    data = format_named(args.format_name).write(TEMPLATE_BANK)
    _write_out(data, args.output, f"wrote the {args.format_name} bank template to {args.output}")
    return EXIT_OK


def _serve(args: argparse.Namespace) -> int:
    """Run the server; on the first start import the bundled banks and set a host password."""
    # Imported here so that validate/import/export do not pay for loading the web stack.
    from quiz.app.host_auth import ensure_host_password  # noqa: PLC0415
    from quiz.web import create_app, start_background  # noqa: PLC0415
    from quiz.web.serving import serve  # noqa: PLC0415

    url = args.database or database_url()
    sessions = _open_database(url)
    with sessions() as session:
        first_start = not bank_summaries(session)
    if first_start:
        print(f"first start: importing the bundled banks from {bundled_banks_dir()}")
        try:
            import_reports(sessions, validate_paths([str(bundled_banks_dir())]))
        except UsageError as error:
            print(f"warning: no bundled banks imported: {error.text(language_from_environment())}")
    password = ensure_host_password(sessions)
    if password is not None:
        print(f"host password (shown once; change it with 'quiz admin set-password'): {password}")
    public_url = args.public_url or os.environ.get("QUIZ_PUBLIC_URL")
    message_queue = args.message_queue or os.environ.get("QUIZ_MESSAGE_QUEUE")
    app = create_app(
        {
            "DATABASE_URL": url,
            "ASYNC_MODE": args.async_mode,
            "PUBLIC_URL": public_url,
            "MESSAGE_QUEUE": message_queue,
        }
    )
    recovered = start_background(app)
    # Everything loaded so far lives as long as the server: keep it out of the collector's
    # full passes, whose pauses otherwise show up as the slowest fan-outs.
    gc.collect()
    gc.freeze()
    if recovered:
        print(f"resumed after a restart: {', '.join(recovered)}")
    print(f"Leitai is serving on http://{args.host}:{args.port} (database: {url})", flush=True)
    serve(app, args.host, args.port)
    return EXIT_OK


def _set_password(args: argparse.Namespace) -> int:
    """Set the host password (read from stdin when not given, so it stays out of the history);
    every host login, on every server process, ends with the old password."""
    from quiz.app.host_auth import set_host_password  # noqa: PLC0415

    password = args.password
    if password is None:
        password = (
            sys.stdin.readline().rstrip("\n")
            if not sys.stdin.isatty()
            else (getpass.getpass("new host password: "))
        )
    try:
        set_host_password(_open_database(args.database), password)
    except ValueError as error:
        print(f"quiz admin set-password: {error}", file=sys.stderr)
        return EXIT_USAGE
    print("host password set; every host login was ended")
    return EXIT_OK


def _describe_backup(verb: str, path: str, summary: BackupSummary) -> str:
    tables = ", ".join(f"{name} {count}" for name, count in summary.rows.items() if count)
    return f"{verb} {path} (schema {summary.revision}; rows: {tables or 'none'})"


def _backup(args: argparse.Namespace) -> int:
    """Write the whole database to a file that ``quiz restore`` loads into an empty one."""
    engine = make_engine(args.database or database_url())
    migrate(engine)
    try:
        summary = write_backup(engine, Path(args.file))
    except OSError as error:
        raise UsageError("file_unwritable", path=args.file, reason=error.strerror or "") from error
    print(_describe_backup("wrote", args.file, summary))
    return EXIT_OK


def _restore(args: argparse.Namespace) -> int:
    """Load a backup into an empty database (created and migrated when it does not exist)."""
    engine = make_engine(args.database or database_url())
    migrate(engine)
    summary = restore_backup(engine, Path(args.file))
    print(_describe_backup("restored", args.file, summary))
    return EXIT_OK


def _add_format_option(parser: argparse.ArgumentParser, help_text: str) -> None:
    names = ", ".join(bank_format.name for bank_format in REGISTRY.formats)
    parser.add_argument("--format", metavar="NAME", help=f"{help_text}; one of: {names}")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of every subcommand."""
    parser = argparse.ArgumentParser(
        prog="quiz", description="Leitai (擂台): question banks and knowledge contests."
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def add(
        name: str,
        handler: object,
        help_text: str,
        *,
        database: bool = True,
        max_bytes: bool = False,
    ) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=help_text, description=help_text)
        sub.set_defaults(handler=handler)
        if database:
            sub.add_argument(
                "--database",
                metavar="URL",
                help="database URL (default: QUIZ_DATABASE_URL, else a SQLite file)",
            )
        if max_bytes:
            sub.add_argument(
                "--max-bytes",
                type=int,
                default=MAX_BYTES,
                help=f"refuse bank files larger than this (default {MAX_BYTES // 2**20} MB)",
            )
        return sub

    validate = add(
        "validate",
        _validate,
        "check bank files and folders for problems",
        database=False,
        max_bytes=True,
    )
    validate.add_argument("paths", nargs="+", metavar="PATH")
    _add_format_option(validate, "read files as this format (default: by their extension)")
    _add_language_option(validate)
    importer = add(
        "import", _import, "validate banks and load them into the database", max_bytes=True
    )
    importer.add_argument("paths", nargs="+", metavar="PATH")
    importer.add_argument(
        "--dry-run",
        action="store_true",
        help="say what would be added, changed and retired, and import nothing",
    )
    _add_format_option(importer, "read files as this format (default: by their extension)")
    _add_language_option(importer)
    add("banks", _banks, "list the banks in the database with question counts")
    exporter = add("export", _export, "write a stored bank out, as YAML by default")
    exporter.add_argument("bank_id", metavar="BANK_ID")
    exporter.add_argument("-o", "--output", metavar="FILE", help="write here, not to stdout")
    _add_format_option(
        exporter, f"write this format (default: by -o's extension, else {DEFAULT_FORMAT})"
    )
    template = add(
        "template",
        _template,
        "write a bank template to fill in (quiz template xlsx -o 题库模板.xlsx)",
        database=False,
    )
    template.add_argument(
        "format_name",
        metavar="FORMAT",
        choices=[bank_format.name for bank_format in REGISTRY.formats],
        help="the template's format: " + ", ".join(f.name for f in REGISTRY.formats),
    )
    template.add_argument("-o", "--output", metavar="FILE", help="write here, not to stdout")
    server = add("serve", _serve, "run the server (imports the bundled banks on first start)")
    server.add_argument("--host", default="127.0.0.1", help="address to listen on")
    server.add_argument("--port", type=int, default=5000, help="port to listen on")
    server.add_argument(
        "--public-url",
        metavar="URL",
        help="the address phones use to reach this laptop, e.g. http://192.168.1.20:5000 "
        "(for the join link and QR code; default: QUIZ_PUBLIC_URL, else the address the "
        "host's browser used)",
    )
    server.add_argument(
        "--message-queue",
        metavar="URL",
        help="scale out: a Redis URL (redis://127.0.0.1:6379/0) shared by several server "
        "processes on one PostgreSQL database (default: QUIZ_MESSAGE_QUEUE, else none)",
    )
    server.add_argument(
        "--async-mode",
        default=os.environ.get("QUIZ_ASYNC_MODE") or DEFAULT_ASYNC_MODE,
        choices=ASYNC_MODES,
        help="how the server handles many connections (see docs/performance.md)",
    )
    backup = add("backup", _backup, "write the whole database to a backup file (gzip'd JSON)")
    backup.add_argument("file", metavar="FILE")
    restore = add(
        "restore", _restore, "load a backup file into an empty database at the same version"
    )
    restore.add_argument("file", metavar="FILE")
    admin = commands.add_parser("admin", help="server administration")
    admin_commands = admin.add_subparsers(dest="admin_command", required=True, metavar="ACTION")
    setter = admin_commands.add_parser(
        "set-password", help="set the host password (ends every host login)"
    )
    setter.set_defaults(handler=_set_password)
    setter.add_argument("--password", help="the new password (else read from stdin)")
    setter.add_argument("--database", metavar="URL", help="database URL")
    return parser


def _add_language_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--lang",
        choices=LANGUAGES,
        help="language of the problems and the summary: zh (中文) or en (default: English "
        "when LC_ALL, LC_MESSAGES or LANG starts with en, else Chinese)",
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Run one subcommand; usage errors exit 2 with a message, never a traceback."""
    args = build_parser().parse_args(argv)
    try:
        code: int = args.handler(args)
    except UsageError as error:
        language = getattr(args, "lang", None) or language_from_environment()
        print(f"quiz {args.command}: {error.text(language)}", file=sys.stderr)
        return EXIT_USAGE
    except BackupError as error:
        # Its text is Chinese only, after its code (quiz/storage/backup.py).
        print(f"quiz {args.command}: {error}", file=sys.stderr)
        return EXIT_USAGE
    except SQLAlchemyError as error:
        print(
            f"quiz {args.command}: cannot use the database: {error.__class__.__name__}: "
            f"{error.args[0] if error.args else error}",
            file=sys.stderr,
        )
        return EXIT_PROBLEMS
    except Exception as error:
        if os.environ.get("QUIZ_DEBUG"):
            raise
        print(
            f"quiz {args.command}: internal error, please report it (set QUIZ_DEBUG=1 for "
            f"details): {error.__class__.__name__}: {error}",
            file=sys.stderr,
        )
        return EXIT_PROBLEMS
    return code


if __name__ == "__main__":
    sys.exit(main())
