#!/usr/bin/env python3
"""Cross-check of the statistics benchmark: compares the non-zero cell values of das (stats_bench --checks) and
DuckDB (duckdb_flows.mjs CHECKS). Lines: kind, stage, period, coords, measure, value (tab-separated); a key
missing on one side means 0 there. Prints the number of keys compared, equal and different per table kind,
with examples of differences. Usage: compare.py DAS.tsv DUCKDB.tsv. Exit 0 always (the report is the result)."""
import collections
import sys


def load(path):
    values, conflicts = {}, 0
    with open(path, encoding="utf-8") as f:
        for line in f:
            kind, stage, period, coords, measure, value = line.rstrip("\n").split("\t")
            key = (kind, stage, period, coords, measure)
            v = int(value)
            if key in values and values[key] != v:
                conflicts += 1
            values[key] = v
    return values, conflicts


das, c1 = load(sys.argv[1])
duck, c2 = load(sys.argv[2])
stats = collections.defaultdict(lambda: [0, 0, 0])  # keys, equal, different
diffs = collections.defaultdict(list)
for key in set(das) | set(duck):
    a, b = das.get(key, 0), duck.get(key, 0)
    s = stats[key[0]]
    s[0] += 1
    if a == b:
        s[1] += 1
    else:
        s[2] += 1
        diffs[key[0]].append((key, a, b))
total = [0, 0]
for kind in sorted(stats):
    keys, equal, different = stats[kind]
    total[0] += keys
    total[1] += different
    print(f"compare {kind:10} {keys:8} cell values, {equal:8} equal, {different:6} different")
    for key, a, b in sorted(diffs[kind])[:5]:
        print(f"  e.g. {' '.join(key)}: das {a}, duckdb {b}")
if c1 or c2:
    print(f"compare: conflicting duplicate keys: das {c1}, duckdb {c2}")
print(f"compare total: {total[0]} cell values, {total[1]} different")
