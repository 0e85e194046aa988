"""Read whole plan documents as the import does and print speed, peak memory and field accuracy.

For each document of ``tests/plans/documents/`` (Word, text PDF, scan), in a process of its own: the
pages (or paragraphs) read per second, peak RSS (``VmHWM``, with Tesseract's processes: their peak
is in ``ru_maxrss`` of the children) and the share of the golden's fields read right — code, section,
title, each agency mention and the agency it resolves to, deliverable, deadline as printed and as
read (kind, due date, recurrence). The reference is the spreadsheet appendix of the same plan, read
in the same run.

    .venv/bin/python bench/documents.py [--only NAME ...]
"""

import argparse
import datetime
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DOCUMENTS = ROOT / "tests" / "plans" / "documents"
DEMO = ROOT / "plans" / "demo_data"
# (file, province catalogue, golden, reference date)
CASES = [
    ("dongthap-115-2024.xlsx", "dong-thap", "dongthap-115-2024", "2024-04-08"),
    ("dongthap-115-2024.docx", "dong-thap", "dongthap-115-2024", "2024-04-08"),
    ("dongthap-115-2024.pdf", "dong-thap", "dongthap-115-2024", "2024-04-08"),
    ("dongthap-115-2024.scanned.pdf", "dong-thap", "dongthap-115-2024", "2024-04-08"),
    ("quangnam-2024.docx", "quang-nam", "quangnam-2024", "2024-06-13"),
    ("quangnam-2024.pdf", "quang-nam", "quangnam-2024", "2024-06-13"),
    ("dongnai-53-2024.docx", "dong-nai", "dongnai-53-2024", "2024-02-15"),
    ("dongnai-53-2024.pdf", "dong-nai", "dongnai-53-2024", "2024-02-15"),
]


def peak_rss_mb():
    status = Path("/proc/self/status").read_text()
    own = int(next(line for line in status.splitlines() if line.startswith("VmHWM:")).split()[1]) / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return own, children


def fields(task):
    """The fields a clerk checks, each (name, value)."""
    found = [(name, task[name]) for name in ("code", "section", "section_title", "title", "deliverable")]
    for role in ("lead", "coordinators"):
        mentions = task[role]
        found.append((f"{role} mentions", [item["mention"] for item in mentions]))
        found.append((f"{role} agencies", [item["agency"] for item in mentions]))
    found += [(f"deadline {name}", task["deadline"][name]) for name in ("text", "kind", "due", "every")]
    return found


def accuracy(tasks, golden):
    """(right, total): fields of the golden's tasks read the same, tasks paired by position; a task
    missing or extra counts all its fields wrong."""
    right = total = 0
    for index in range(max(len(tasks), len(golden))):
        expected = fields(golden[index]) if index < len(golden) else fields(tasks[index])
        got = dict(fields(tasks[index])) if index < len(tasks) else {}
        total += len(expected)
        right += sum(1 for name, value in expected if index < len(golden) and got.get(name) == value)
    return right, total


def read(name, province, reference):
    """The child: read one file, print its figures as JSON."""
    import django

    django.setup()
    from agencies.catalog import read_catalog_csv
    from agencies.matching import AgencyMatcher
    from plans.appendix import read_sheets
    from plans.appendix.parsing import find_task_sheet, parse_appendix
    from plans.appendix.preview import build_preview
    from plans.appendix.sheet import Budget, Limits
    from plans.documents.reading import read_plan_document
    from tasks.deadlines import parse_deadline

    path = next(p for p in (DOCUMENTS / name, DEMO / "appendix" / name) if p.exists())
    data = path.read_bytes()
    started = time.perf_counter()
    pages = 0
    if path.suffix == ".xlsx":
        parsed = parse_appendix(find_task_sheet(read_sheets(data, name)))
        source = "appendix"
    else:
        limits = Limits()
        found = read_plan_document(data, path.suffix, limits, Budget(limits))
        parsed, source, pages = found.chosen.parsed, found.chosen.kind, found.document.pages
    matcher = AgencyMatcher(read_catalog_csv(DEMO / "agencies" / f"{province}.csv"))
    preview = build_preview(parsed, matcher, datetime.date.fromisoformat(reference), parse_deadline)
    seconds = time.perf_counter() - started
    own, children = peak_rss_mb()
    print(json.dumps({"tasks": preview["tasks"], "seconds": seconds, "pages": pages, "source": source,
                      "rss_mb": own, "children_rss_mb": children}, ensure_ascii=False))


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--only", nargs="*", help="file names to read")
    parser.add_argument("--read", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.read:
        read(*args.read)
        return
    env = {"DJANGO_SETTINGS_MODULE": "config.settings", "DEBUG": "true", "PATH": "/usr/bin:/bin"}
    print(f"{'file':34} {'source':9} {'tasks':>5} {'pages':>5} {'s':>7} {'pages/s':>8} {'RSS MB':>7} "
          f"{'OCR MB':>7} {'fields right':>14}")
    for name, province, golden_name, reference in CASES:
        if args.only and name not in args.only:
            continue
        run = subprocess.run(
            [sys.executable, __file__, "--read", name, province, reference],
            capture_output=True, text=True, cwd=ROOT, env=env, check=False,
        )
        if run.returncode:
            reason = run.stderr.strip().splitlines()[-1] if run.stderr.strip() else run.returncode
            print(f"{name:34} failed: {reason}")
            continue
        outcome = json.loads(run.stdout.strip().splitlines()[-1])
        golden = json.loads((DEMO / "appendix" / f"{golden_name}.expected.json").read_text("utf-8"))["tasks"]
        right, total = accuracy(outcome["tasks"], golden)
        rate = f"{outcome['pages'] / outcome['seconds']:.1f}" if outcome["pages"] else "-"
        print(f"{name:34} {outcome['source']:9} {len(outcome['tasks']):>5} {outcome['pages']:>5} "
              f"{outcome['seconds']:>7.2f} {rate:>8} {outcome['rss_mb']:>7.0f} "
              f"{outcome['children_rss_mb']:>7.0f} {right:>5}/{total:<5} {100 * right / total:5.1f} %")


if __name__ == "__main__":
    main()
