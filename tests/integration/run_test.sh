#!/usr/bin/env bash
# End to end: `das run` from deliveries to a release, incrementally and deterministically.
#  1. a first run on the deliveries of 2022 only: every stage runs, a release is written, rows balance;
#  2. the same folder again: intake recognises everything, every later stage is skipped, same release;
#  3. the 2023 deliveries arrive (full manifest): every stage after intake reruns, a NEW release whose diff
#     names the new deliveries;
#  4. a changed disclosure-control config reruns publish only;
#  5. determinism: fresh stores fed the same deliveries give the same release id and byte-identical exports;
#  6. `_truth` and `_keys` are never read (they are made unreadable during the runs).
# Usage: run_test.sh path/to/das path/to/config
set -euo pipefail
das="$1"
config="$2"
work=$(mktemp -d)
trap 'chmod -R u+rwx "$work" 2>/dev/null; rm -rf "$work"' EXIT

"$das" generate --out "$work/d" --from 2022 --to 2023 --scale 0.01 --seed 5 >/dev/null
chmod 000 "$work/d/_truth" "$work/d/_keys"
cp "$work/d/manifest.csv" "$work/full_manifest.csv"
{ head -1 "$work/full_manifest.csv"; tail -n +2 "$work/full_manifest.csv" | awk -F, '$5 ~ /^2022/'; } >"$work/d/manifest.csv"
n2022=$(($(wc -l <"$work/d/manifest.csv") - 1))

stage_ran() {  # stage_ran REPORT STAGE -> prints true/false
  python3 -c "import json,sys; r=json.load(open(sys.argv[1])); print(str([s['ran'] for s in r['stages'] if s['stage']==sys.argv[2]][0]).lower())" "$1" "$2"
}
field() { python3 -c "import json,sys; r=json.load(open(sys.argv[1])); v=r; [v:=v[k] for k in sys.argv[2].split('.')]; print(str(v).lower() if isinstance(v,bool) else v)" "$1" "$2"; }

# 1. First run.
"$das" run --store "$work/s.db" --deliveries "$work/d" --config "$config" --report "$work/r1.json" >"$work/run1.log" 2>"$work/run1.err"
cat "$work/run1.log"
[ "$(field "$work/r1.json" deliveries.new)" -eq "$n2022" ] || { echo "first run: expected $n2022 new deliveries"; exit 1; }
[ "$(field "$work/r1.json" rows.balanced)" = true ] || { echo "first run: rows do not balance"; exit 1; }
for st in harmonise link chain publish; do
  [ "$(stage_ran "$work/r1.json" $st)" = true ] || { echo "first run: $st did not run"; exit 1; }
done
rel1=$(field "$work/r1.json" release_id)
[ "$(field "$work/r1.json" release_new)" = true ] || { echo "first run: no new release"; exit 1; }

# 2. Same folder again: nothing to do.
"$das" run --store "$work/s.db" --deliveries "$work/d" --config "$config" --report "$work/r2.json" >/dev/null 2>&1
[ "$(field "$work/r2.json" deliveries.new)" -eq 0 ] || { echo "second run stored deliveries again"; exit 1; }
for st in harmonise link chain publish; do
  [ "$(stage_ran "$work/r2.json" $st)" = false ] || { echo "second run: $st ran although nothing changed"; exit 1; }
done
[ "$(field "$work/r2.json" release_id)" = "$rel1" ] || { echo "second run: the release changed"; exit 1; }

# 3. The 2023 deliveries arrive.
cp "$work/full_manifest.csv" "$work/d/manifest.csv"
"$das" run --store "$work/s.db" --deliveries "$work/d" --config "$config" --report "$work/r3.json" >/dev/null 2>&1
[ "$(field "$work/r3.json" deliveries.new)" -gt 0 ] || { echo "third run: no new deliveries"; exit 1; }
for st in harmonise link chain publish; do
  [ "$(stage_ran "$work/r3.json" $st)" = true ] || { echo "third run: $st did not rerun after new deliveries"; exit 1; }
done
rel3=$(field "$work/r3.json" release_id)
[ "$rel3" != "$rel1" ] || { echo "third run: new deliveries gave the same release"; exit 1; }
"$das" releases --store "$work/s.db" >"$work/list.txt"
grep -q "$rel1" "$work/list.txt" && grep -q "$rel3" "$work/list.txt" || { echo "das releases does not list both"; cat "$work/list.txt"; exit 1; }
"$das" releases diff "$rel1" "$rel3" --store "$work/s.db" >"$work/diff.txt"
grep -q "2023" "$work/diff.txt" || { echo "the diff does not name the 2023 deliveries"; head -40 "$work/diff.txt"; exit 1; }

# 4. A changed protection config reruns publish only.
cp -r "$config" "$work/config"
sed -i 's/^round_base = 10 /round_base = 5 /' "$work/config/protect/rules.toml"
cmp -s "$config/protect/rules.toml" "$work/config/protect/rules.toml" && { echo "test setup: rules.toml unchanged"; exit 1; }
"$das" run --store "$work/s.db" --deliveries "$work/d" --config "$work/config" --report "$work/r4.json" >/dev/null 2>&1
for st in harmonise link chain; do
  [ "$(stage_ran "$work/r4.json" $st)" = false ] || { echo "fourth run: $st ran after a protect-only change"; exit 1; }
done
[ "$(stage_ran "$work/r4.json" publish)" = true ] || { echo "fourth run: publish did not rerun"; exit 1; }

# 5. Determinism: two fresh stores, all deliveries at once, the original config: the same release as the
#    incremental store (the id is a hash of the content), and byte-identical exports.
for t in t1 t2; do
  "$das" run --store "$work/$t.db" --deliveries "$work/d" --config "$config" --report "$work/$t.json" >/dev/null 2>&1
  [ "$(field "$work/$t.json" release_id)" = "$rel3" ] || { echo "fresh store $t: release $(field "$work/$t.json" release_id) != $rel3"; exit 1; }
  "$das" releases export "$rel3" --store "$work/$t.db" --out "$work/e_$t" >/dev/null
done
diff -r "$work/e_t1" "$work/e_t2" >/dev/null || { echo "exports of the same release from two stores differ"; exit 1; }
[ "$(ls "$work/e_t1" | wc -l)" -gt 10 ] || { echo "export has too few files"; exit 1; }
echo "das run: incremental (skip, new deliveries, protect-only), deterministic ($rel3)"
