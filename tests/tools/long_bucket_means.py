#!/usr/bin/env python3
"""Pre-aggregates a long-format file (`series,timestamp,value`, ISO-8601 UTC timestamps such as
tests/tools/m4_nab_to_long.py writes) to a coarser step, independently of the worker: for every series whose id matches
`--match` (an fnmatch pattern, default every series), the mean of its points in each UTC-aligned step of STEP seconds
(epoch seconds // STEP), one row per step that holds a point, stamped with the step's start. A step without points is left
out. A row whose timestamp is not after the series' previous kept row is dropped, as the backtest's reader drops it.
Means are summed left to right and written with repr(), so a value reads back as the same double.

The output is the "dedicated" input for `forecaster backtest --input OUT --season S --horizon H`, to compare with a
profile run whose rule sets `"Step"` on the raw file (README, "Profiles: per-metric rules").

    python3 tests/tools/long_bucket_means.py /tmp/m4nab.csv 3600 /tmp/nab-1h.csv --match 'nab{*'
"""
import csv
import datetime
import fnmatch
import sys


def epoch_seconds(text: str) -> int:
    t = datetime.datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=datetime.timezone.utc)
    return int(t.timestamp())


def main(source: str, step: int, out: str, match: str) -> None:
    # series id -> [last kept timestamp, open bucket, sum, count, [(bucket, mean), ...]]
    state: dict[str, list] = {}
    dropped = 0
    with open(source, newline="") as handle:
        for row in csv.DictReader(handle):
            sid = row["series"]
            if not fnmatch.fnmatchcase(sid, match):
                continue
            t = epoch_seconds(row["timestamp"])
            value = float(row["value"])
            s = state.setdefault(sid, [None, None, 0.0, 0, []])
            if s[0] is not None and t <= s[0]:
                dropped += 1
                continue
            s[0] = t
            bucket = t // step
            if bucket != s[1]:
                if s[3] > 0:
                    s[4].append((s[1], s[2] / s[3]))
                s[1], s[2], s[3] = bucket, value, 1
            else:
                s[2] += value
                s[3] += 1

    rows = 0
    with open(out, "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["series", "timestamp", "value"])
        for sid, s in state.items():
            if s[3] > 0:
                s[4].append((s[1], s[2] / s[3]))
            for bucket, mean in s[4]:
                start = datetime.datetime.fromtimestamp(bucket * step, tz=datetime.timezone.utc)
                writer.writerow([sid, start.strftime("%Y-%m-%dT%H:%M:%SZ"), repr(mean)])
                rows += 1
    print(f"{len(state)} series, {rows} buckets of {step} s, {dropped} rows not after their previous dropped -> {out}")


if __name__ == "__main__":
    args = sys.argv[1:]
    pattern = "*"
    if "--match" in args:
        i = args.index("--match")
        pattern = args[i + 1]
        del args[i:i + 2]
    if len(args) != 3:
        sys.exit("usage: long_bucket_means.py <in.csv> <step seconds> <out.csv> [--match PATTERN]")
    main(args[0], int(args[1]), args[2], pattern)
