"""Runs every benchmark script in this folder (each in its own process, so memory figures are its
own) and prints one table of their `name: value` lines.

    .ci/with-keyring .venv/bin/python -m tests.bench [--only NAME] [--quick]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--only", help="run only bench_<ONLY>.py")
    parser.add_argument("--quick", action="store_true", help="smaller workloads (for a smoke run)")
    args = parser.parse_args()
    scripts = sorted(HERE.glob("bench_*.py"))
    if args.only:
        scripts = [s for s in scripts if s.stem == f"bench_{args.only}"]
    rows: list[tuple[str, str, str]] = []
    failed = 0
    env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"))
    if args.quick:
        env["CROCOQB_BENCH_QUICK"] = "1"
    for script in scripts:
        module = f"tests.bench.{script.stem}"
        started = time.monotonic()
        print(f"running {script.stem} ...", file=sys.stderr, flush=True)
        proc = subprocess.run([sys.executable, "-m", module], capture_output=True, text=True, env=env,
                              cwd=HERE.parents[1], timeout=1800)
        took = time.monotonic() - started
        if proc.returncode != 0:
            failed += 1
            rows.append((script.stem, "FAILED", proc.stderr.strip().splitlines()[-1] if proc.stderr else ""))
            continue
        for line in proc.stdout.splitlines():
            if ":" in line:
                name, value = line.split(":", 1)
                rows.append((script.stem.removeprefix("bench_"), name.strip(), value.strip()))
        rows.append((script.stem.removeprefix("bench_"), "wall time of the benchmark", f"{took:.1f} s"))
    width_a = max((len(r[0]) for r in rows), default=5)
    width_b = max((len(r[1]) for r in rows), default=5)
    print(f"{'bench':<{width_a}}  {'figure':<{width_b}}  value")
    print(f"{'-' * width_a}  {'-' * width_b}  {'-' * 20}")
    for a, b, c in rows:
        print(f"{a:<{width_a}}  {b:<{width_b}}  {c}")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
