"""Validate and import generated banks of growing size; print a Markdown table.

Usage: python benchmarks/bank_bench.py [--sizes 1000 10000 100000] [--repeats 3]
       python benchmarks/bank_bench.py --similar 100000 [--repeats 3]
       python benchmarks/bank_bench.py --tables 10000 [--repeats 3]
       python benchmarks/bank_bench.py --documents 10000 [--repeats 3]
       python benchmarks/bank_bench.py --exchange 10000 [--repeats 3]

Each measurement runs in a fresh subprocess so its peak memory (ru_maxrss) is its own. The
baseline is PyYAML's C loader reading the same file with no checks: the floor for any
validator built on PyYAML. Figures are medians of the repeats.

``--similar N`` times only the near-duplicate check on N similar short texts (10 to 20
characters drawn from 20 common ones, as a bank built from one pattern is): every bigram is
shared by thousands of texts, the case that made the check quadratic.
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

TYPES = ["single"] * 5 + ["multiple", "truefalse", "truefalse", "fill", "order"]
CJK = [chr(code) for code in range(0x4E00, 0x9FA5)]


def words(rng: random.Random, length: int) -> str:
    return "".join(rng.choices(CJK, k=length))


def generated_question(rng: random.Random, index: int) -> dict[str, object]:
    question_type = TYPES[index % len(TYPES)]
    data: dict[str, object] = {
        "id": f"g{index:06d}",
        "type": question_type,
        "text": words(rng, 24) + "？",
    }
    if question_type in ("single", "multiple", "order"):
        options = [words(rng, 6) for _ in range(4)]
        data["options"] = options
        data["answer"] = {"single": "B", "multiple": ["A", "C"], "order": ["D", "B", "A", "C"]}[
            question_type
        ]
    elif question_type == "truefalse":
        data["answer"] = bool(index % 3)
    else:
        year = 1900 + index % 120
        data["answer"] = [f"{year}年", str(year)]
    data.update(
        explanation=words(rng, 40) + "。",
        source="《生成的题库》",
        difficulty=1 + index % 5,
        tags=[words(rng, 2), str(1900 + index % 120)],
        status="reviewed",
    )
    return data


def write_bank(path: Path, size: int) -> None:
    rng = random.Random(size)
    document = {
        "bank": {
            "id": f"generated-{size}",
            "title": "生成的题库",
            "language": "zh-CN",
            "version": 1,
            "authors": ["benchmark"],
            "reviewed_by": ["benchmark"],
        },
        "questions": [generated_question(rng, index) for index in range(size)],
    }
    path.write_text(yaml.safe_dump(document, allow_unicode=True, sort_keys=False), encoding="utf-8")


SIMILAR = r"""
import json, random, resource, sys, time
from quiz.banks.similarity import near_duplicates
size = int(sys.argv[1])
rng = random.Random(size)
alphabet = "党史西藏消防一二三年月日救援火灾条例规定"
texts = ["".join(rng.choices(alphabet, k=rng.randint(10, 20))) + "？" for _ in range(size)]
texts += texts[: size // 100]  # a few exact repeats, so there is something to find
started = time.perf_counter()
pairs = near_duplicates(texts)
elapsed = time.perf_counter() - started
peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"seconds": elapsed, "peak_mb": peak_mb, "pairs": len(pairs)}))
"""


def similar(size: int, repeats: int) -> None:
    """Time the near-duplicate check alone on ``size`` similar short texts."""
    runs = [
        json.loads(
            subprocess.run(
                [sys.executable, "-c", SIMILAR, str(size)],
                check=True,
                capture_output=True,
                text=True,
            ).stdout
        )
        for _ in range(repeats)
    ]
    print("| similar short texts | near-duplicate check s | peak MB | pairs found |")
    print("|---:|---:|---:|---:|")
    print(
        f"| {size + size // 100:,} | {statistics.median(r['seconds'] for r in runs):.2f} | "
        f"{statistics.median(r['peak_mb'] for r in runs):.0f} | {runs[0]['pairs']:,} |"
    )


TABLE = r"""
import json, resource, sys, time
from quiz.banks.formats import read_bank
from quiz.storage.bank_import import import_bank_in_steps
from quiz.storage.db import make_engine, migrate, session_factory
path, database = sys.argv[1:3]
data = open(path, "rb").read()
engine = make_engine(database)
migrate(engine)
started = time.perf_counter()
report = read_bank(data, path)
elapsed = time.perf_counter() - started
assert report.bank is not None and not report.errors, report.problems[:3]
import_bank_in_steps(session_factory(engine), report.bank)
total = time.perf_counter() - started
peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"seconds": elapsed, "total": total, "peak_mb": peak_mb}))
"""


def tables(size: int, repeats: int, names: tuple[str, ...] = ("xlsx", "csv")) -> None:
    """Time reading (and validating) a bank of ``size`` rows as a workbook and as CSV (or as
    the formats named: ``--documents`` reads Word and text files in the 题库 dialect), then
    that and importing it into a fresh SQLite file in steps, as the web upload does."""
    from quiz.banks.formats import format_named, read_bank  # noqa: PLC0415

    print(
        "| format | rows | file MB | read and validate s | read, validate and import s | peak MB |"
    )
    print("|---|---:|---:|---:|---:|---:|")
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "bank.yaml"
        write_bank(source, size)
        bank = read_bank(source.read_bytes(), source.name).bank
        assert bank is not None
        for name in names:
            path = Path(folder) / f"bank{format_named(name).extensions[0]}"
            path.write_bytes(format_named(name).write(bank))
            runs = [
                json.loads(
                    subprocess.run(
                        [
                            sys.executable,
                            "-c",
                            TABLE,
                            str(path),
                            f"sqlite:///{folder}/{name}{run}.db",
                        ],
                        check=True,
                        capture_output=True,
                        text=True,
                    ).stdout
                )
                for run in range(repeats)
            ]
            print(
                f"| {name} | {size:,} | {path.stat().st_size / 1e6:.1f} | "
                f"{statistics.median(r['seconds'] for r in runs):.2f} | "
                f"{statistics.median(r['total'] for r in runs):.2f} | "
                f"{statistics.median(r['peak_mb'] for r in runs):.0f} |"
            )


MEASURE = r"""
import json, resource, sys, time
operation, path, database = sys.argv[1:4]
started = time.perf_counter()
if operation == "baseline":
    import yaml
    with open(path, encoding="utf-8") as handle:
        yaml.load(handle.read(), Loader=yaml.CSafeLoader)
elif operation == "validate":
    from quiz.banks.loader import validate_paths
    [report] = validate_paths([path])
    assert report.bank is not None and not report.problems, report.problems[:3]
else:
    from quiz.banks.loader import validate_paths
    from quiz.storage.bank_import import import_bank
    from quiz.storage.db import make_engine, migrate, session_factory
    engine = make_engine(database)
    migrate(engine)
    [report] = validate_paths([path])
    started = time.perf_counter()
    with session_factory(engine).begin() as session:
        result = import_bank(session, report.bank)
    assert len(result.added) == len(report.bank.questions)
elapsed = time.perf_counter() - started
peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"seconds": elapsed, "peak_mb": peak_mb}))
"""


def measure(operation: str, path: Path, workdir: Path, run: int) -> dict[str, float]:
    database = f"sqlite:///{workdir / f'{path.stem}-{run}.sqlite3'}"
    output = subprocess.run(
        [sys.executable, "-c", MEASURE, operation, str(path), database],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    result: dict[str, float] = json.loads(output)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 100_000])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--similar", type=int, metavar="N", help="only the near-duplicate check")
    parser.add_argument(
        "--tables", type=int, metavar="N", help="only reading N rows as .xlsx and .csv"
    )
    parser.add_argument(
        "--documents", type=int, metavar="N", help="only reading N questions as .docx and .txt"
    )
    parser.add_argument(
        "--exchange", type=int, metavar="N", help="only reading N questions as GIFT and Moodle XML"
    )
    args = parser.parse_args()
    print(
        f"{platform.processor() or platform.machine()}, Python {platform.python_version()}, "
        f"{time.strftime('%Y-%m-%d')}, medians of {args.repeats}"
    )
    if args.similar:
        similar(args.similar, args.repeats)
        return
    if args.tables:
        tables(args.tables, args.repeats)
        return
    if args.documents:
        tables(args.documents, args.repeats, ("docx", "txt"))
        return
    if args.exchange:
        tables(args.exchange, args.repeats, ("gift", "moodle-xml"))
        return
    print(
        "| questions | file MB | YAML C load s (baseline) | validate s | validate / baseline "
        "| validate peak MB | import s (into SQLite) | import peak MB |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|")
    with tempfile.TemporaryDirectory() as folder:
        workdir = Path(folder)
        for size in args.sizes:
            path = workdir / f"bank-{size}.yaml"
            write_bank(path, size)
            rows = {
                operation: [measure(operation, path, workdir, run) for run in range(args.repeats)]
                for operation in ("baseline", "validate", "import")
            }
            median = {
                op: statistics.median(r["seconds"] for r in runs) for op, runs in rows.items()
            }
            peak = {op: statistics.median(r["peak_mb"] for r in runs) for op, runs in rows.items()}
            print(
                f"| {size:,} | {path.stat().st_size / 1e6:.1f} | {median['baseline']:.2f} | "
                f"{median['validate']:.2f} | {median['validate'] / median['baseline']:.1f}x | "
                f"{peak['validate']:.0f} | {median['import']:.2f} | {peak['import']:.0f} |"
            )


if __name__ == "__main__":
    main()
