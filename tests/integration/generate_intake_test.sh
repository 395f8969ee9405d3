#!/usr/bin/env bash
# End to end: `das generate` (sealed deliveries) -> `das intake`. Checks that every delivery is accepted,
# rows read = accepted + quarantined for each delivery and in total, every quarantined row is a defect the
# generator put in on purpose (_truth/defects.csv: no false rejections), the store is sound, and a second
# intake of the same folder stores nothing twice. Usage: generate_intake_test.sh path/to/das
set -euo pipefail
das="$1"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

"$das" generate --out "$work/d" --from 2022 --to 2023 --scale 0.05 --seed 3 >/dev/null
"$das" intake --store "$work/s.db" --receipts "$work/receipts" "$work/d" >"$work/intake.log"
tail -1 "$work/intake.log"
grep -q "(balanced)$" "$work/intake.log" || { echo "intake total does not balance"; exit 1; }
if grep -q "^REJECTED" "$work/intake.log"; then echo "a generated delivery was rejected:"; grep "^REJECTED" "$work/intake.log"; exit 1; fi
"$das" store check --store "$work/s.db"
files=$(tail -n +2 "$work/d/manifest.csv" | wc -l)
stored=$(sqlite3 "$work/s.db" "SELECT count(*) FROM deliveries WHERE status = 'accepted' AND rows_read = rows_accepted + rows_quarantined")
[ "$files" -eq "$stored" ] || { echo "$files deliveries in the manifest, $stored stored and balanced"; exit 1; }
# Rows per delivery equal the manifest's counts.
sqlite3 -separator , "$work/s.db" "SELECT file, rows_read FROM deliveries ORDER BY file" >"$work/stored_rows.csv"
tail -n +2 "$work/d/manifest.csv" | cut -d, -f1,8 | sort >"$work/manifest_rows.csv"
diff "$work/manifest_rows.csv" "$work/stored_rows.csv" || { echo "rows read differ from the manifest"; exit 1; }
# Every quarantined row is an injected defect.
sqlite3 -separator '|' "$work/s.db" \
  "SELECT d.file, q.line, q.findings FROM quarantine q JOIN deliveries d ON d.id = q.delivery_id" >"$work/q.txt"
python3 - "$work/q.txt" "$work/d/_truth/defects.csv" <<'PY'
import csv, sys
defects = {(r["file"], int(r["line"])) for r in csv.DictReader(open(sys.argv[2]))}
n = bad = 0
for line in open(sys.argv[1]):
    f, l, findings = line.rstrip("\n").split("|", 2)
    n += 1
    if (f, int(l)) not in defects:
        bad += 1
        if bad <= 5:
            print(f"false rejection: {f} line {l}: {findings[:200]}")
print(f"{n} quarantined rows, {n - bad} of them injected defects")
sys.exit(1 if bad or n == 0 else 0)
PY
# Receipts exist for every delivery, in three forms.
[ "$(ls "$work/receipts"/*.receipt.json | wc -l)" -eq "$files" ]
[ "$(ls "$work/receipts"/*.receipt.html | wc -l)" -eq "$files" ]
# Idempotent: the same folder again stores nothing.
"$das" intake --store "$work/s.db" "$work/d" >"$work/again.log"
[ "$(grep -c '^already stored' "$work/again.log")" -eq "$files" ] || { echo "second intake stored again"; exit 1; }
echo "generate -> intake: $files deliveries, balanced, no false rejections, idempotent"
