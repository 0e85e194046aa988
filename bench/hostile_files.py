"""Read every file of the hostile corpus (``tests/plans/hostile_files.py``) in a process of its own and
print its peak memory and time next to a normal appendix read in the same run.

Target: every file under 300 MB of peak RSS and 10 s, refused with a message or read correctly.

    .venv/bin/python bench/hostile_files.py [--only NAME ...] [--reference PATH]

Each file is written to a temporary folder and read by ``python bench/hostile_files.py --read PATH``,
which builds the import preview as the upload does, with the demo's Đồng Tháp catalogue instead of the
database (``hostile_files.preview``), and prints its peak RSS (Linux's ``VmHWM``) and the time the
reading took (wall clock and CPU, the interpreter's start excluded). Exits with status 1 when a file
misses the target or is not treated as the corpus says.
"""

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

REFERENCE = ROOT / "plans" / "demo_data" / "appendix" / "dongnai-53-2024.xlsx"
MAX_RSS_MB, MAX_SECONDS = 300, 10


def peak_rss_mb():
    """The process's peak RSS since it started this program (``VmHWM``; ``ru_maxrss`` would include
    the parent's, inherited through fork and exec)."""
    status = Path("/proc/self/status").read_text()
    return int(next(line for line in status.splitlines() if line.startswith("VmHWM:")).split()[1]) / 1024


def read(path):
    """The child: read one file, print what came of it as JSON."""
    from plans.appendix import AppendixError
    from tests.plans.hostile_files import preview

    imported = peak_rss_mb()
    started, cpu = time.perf_counter(), time.process_time()
    try:
        outcome = {"tasks": len(preview(path, path.name)["tasks"])}
    except AppendixError as error:
        outcome = {"refused": error.message}
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    outcome.update(seconds=seconds, cpu=cpu, imported_mb=imported, rss_mb=peak_rss_mb())
    print(json.dumps(outcome, ensure_ascii=False))


def measure(path):
    """What came of reading ``path`` in a child process, with its peak RSS and times."""
    child = subprocess.run([sys.executable, __file__, "--read", str(path)], capture_output=True, check=False)
    if child.returncode:
        return {"crashed": f"exit status {child.returncode}: {child.stderr.decode()[-300:]}"}
    return json.loads(child.stdout)


def verdict(item, outcome):
    """Whether the file was treated as the corpus says (``Hostile.refused`` or ``Hostile.tasks``)."""
    if item is None:
        return "tasks" in outcome
    if item.refused:
        return item.refused in outcome.get("refused", "")
    return outcome.get("tasks") == item.tasks


def line(name, size, outcome, ok):
    rss, seconds = outcome.get("rss_mb", 0), outcome.get("seconds", 0)
    within = "crashed" not in outcome and rss < MAX_RSS_MB and seconds < MAX_SECONDS
    said = outcome.get("refused") or outcome.get("crashed") or f"read: {outcome['tasks']} tasks"
    mark = "ok" if ok and within else "MISSED"
    figures = f"{size / 1024:>8.0f} {rss:>7.0f} {seconds:>6.2f} {outcome.get('cpu', 0):>6.2f}"
    print(f"{name:<36} {figures}  {mark:<6} {said[:100]}")
    return ok and within


def bench(args):
    from tests.plans.hostile_files import corpus

    started = time.perf_counter()
    files = corpus()
    print(f"corpus of {len(files)} files generated in {time.perf_counter() - started:.1f} s; "
          f"target: under {MAX_RSS_MB} MB and {MAX_SECONDS} s each\n")
    print(f"{'file':<36} {'KB':>8} {'RSS MB':>7} {'s':>6} {'cpu s':>6}  {'':<6} outcome")
    reference = Path(args.reference)
    outcome = measure(reference)
    passed = line(f"(reference) {reference.name}", reference.stat().st_size, outcome, verdict(None, outcome))
    with tempfile.TemporaryDirectory() as folder:
        for name in args.only or files:
            item = files[name]
            path = Path(folder) / name
            path.write_bytes(item.data)
            outcome = measure(path)
            passed &= line(name, len(item.data), outcome, verdict(item, outcome))
            path.unlink()
    print(f"\n(a reading process holds {outcome.get('imported_mb', 0):.0f} MB once its modules are imported)")
    print("\nevery file within the target" if passed else "\nSOME FILES MISSED THE TARGET")
    return 0 if passed else 1


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--read", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--only", nargs="*", help="names of corpus files to read (default: all)")
    parser.add_argument("--reference", default=str(REFERENCE), help="a normal appendix to compare with")
    args = parser.parse_args()
    if args.read:
        read(args.read)
        return 0
    return bench(args)


if __name__ == "__main__":
    sys.exit(main())
