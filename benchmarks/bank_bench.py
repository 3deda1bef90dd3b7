"""Validate and import generated banks of growing size; print a Markdown table.

Usage: python benchmarks/bank_bench.py [--sizes 1000 10000 100000] [--repeats 3]

Each measurement runs in a fresh subprocess so its peak memory (ru_maxrss) is its own. The
baseline is PyYAML's C loader reading the same file with no checks: the floor for any
validator built on PyYAML. Figures are medians of the repeats.
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
    from quiz.storage.bank_repo import import_bank
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
    args = parser.parse_args()
    print(
        f"{platform.processor() or platform.machine()}, Python {platform.python_version()}, "
        f"{time.strftime('%Y-%m-%d')}, medians of {args.repeats}"
    )
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
