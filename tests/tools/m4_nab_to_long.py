#!/usr/bin/env python3
"""Writes M4 Hourly (train + test, wide) and NAB's per-file CSVs as one long-format file for
`forecaster backtest --input ... --profiles tests/tools/m4_nab_profiles.json`: a `series,timestamp,value` row per point,
ISO-8601 UTC timestamps. M4 series are `m4_hourly{series="H1"}` with hourly timestamps from 2020-01-01T00:00:00Z (M4 gives
no dates); NAB series are `nab{file="<file name>"}` with their own timestamps, as tests/tools/nab_to_long.py writes them.
Values are copied as written. Nothing is written into the repository.

    python3 tests/tools/m4_nab_to_long.py ../shared/data out/m4nab.csv
"""
import csv
import datetime
import glob
import os
import sys

START = datetime.datetime(2020, 1, 1, tzinfo=datetime.timezone.utc)


def m4_rows(root: str):
    train_path = os.path.join(root, "m4-hourly", "train.csv")
    test_path = os.path.join(root, "m4-hourly", "test.csv")
    with open(train_path, newline="") as train, open(test_path, newline="") as test:
        tests = {row[0]: [v for v in row[1:] if v != ""] for row in list(csv.reader(test))[1:]}
        for row in list(csv.reader(train))[1:]:
            values = [v for v in row[1:] if v != ""] + tests[row[0]]
            name = f'm4_hourly{{series="{row[0]}"}}'
            for i, value in enumerate(values):
                yield name, (START + datetime.timedelta(hours=i)).strftime("%Y-%m-%dT%H:%M:%SZ"), value


def nab_rows(root: str):
    for path in sorted(glob.glob(os.path.join(root, "nab", "real*", "*.csv"))):
        name = f'nab{{file="{os.path.splitext(os.path.basename(path))[0]}"}}'
        with open(path, newline="") as source:
            for r in csv.DictReader(source):
                t = datetime.datetime.strptime(r["timestamp"], "%Y-%m-%d %H:%M:%S")
                yield name, t.strftime("%Y-%m-%dT%H:%M:%SZ"), r["value"]


def main(root: str, out: str) -> None:
    rows = 0
    series = set()
    with open(out, "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["series", "timestamp", "value"])
        for row in list(m4_rows(root)) + list(nab_rows(root)):
            writer.writerow(row)
            series.add(row[0])
            rows += 1
    print(f"{len(series)} series, {rows} rows -> {out}")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: m4_nab_to_long.py <shared data root> <out.csv>")
    main(sys.argv[1], sys.argv[2])
