#!/usr/bin/env python3
"""Writes NAB's per-file CSVs (../shared/data/nab/real*/*.csv) as one long-format file for
`forecaster backtest --input`: a `series,timestamp,value` row per point, ISO-8601 UTC timestamps,
series named by file. `--five-minute` keeps only the files whose median spacing is 300 s.

    python3 tests/tools/nab_to_long.py ../shared/data/nab out/nab24.csv
    python3 tests/tools/nab_to_long.py ../shared/data/nab out/nab5min.csv --five-minute
"""
import csv
import datetime
import glob
import os
import statistics
import sys


def main(root: str, out: str, five_minute: bool) -> None:
    files = rows = 0
    with open(out, "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["series", "timestamp", "value"])
        for path in sorted(glob.glob(os.path.join(root, "real*", "*.csv"))):
            with open(path, newline="") as source:
                points = [(datetime.datetime.strptime(r["timestamp"], "%Y-%m-%d %H:%M:%S"), r["value"])
                          for r in csv.DictReader(source)]
            spacing = statistics.median((b[0] - a[0]).total_seconds() for a, b in zip(points, points[1:]))
            if five_minute and spacing != 300:
                continue
            name = os.path.splitext(os.path.basename(path))[0]
            writer.writerows((name, t.strftime("%Y-%m-%dT%H:%M:%SZ"), v) for t, v in points)
            files += 1
            rows += len(points)
    print(f"{files} files, {rows} rows -> {out}")


if __name__ == "__main__":
    if len(sys.argv) < 3:
        sys.exit("usage: nab_to_long.py <nab root> <out.csv> [--five-minute]")
    main(sys.argv[1], sys.argv[2], "--five-minute" in sys.argv[3:])
