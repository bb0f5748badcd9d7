# Big results stay usable: 100,000 cells load (a key given twice is found
# by a hash set, not by comparing every pair), and 2,000 cells report and
# compare. No timing is asserted; a pairwise check takes minutes here.
. tests/e2e/lib.sh

t=$FTMATRIX_TEST_TMP/590
rm -rf "$t"
mkdir -p "$t"
cd "$t"
gen=$FTMATRIX_ROOT/tests/fixtures/make-results-big.py
python3 "$gen" --lean 100000 >big.json
# the last cell repeats the first: found only after reading every cell
python3 - <<'PY'
import json
d = json.load(open("big.json"))
d["cells"][-1] = d["cells"][0]
json.dump(d, open("dup.json", "w"))
PY
key=$(jq -r '.cells[0].key' big.json)
if "$FTMATRIX" report dup.json -o dup --format csv >dup.out 2>dup.err; then
	fail "a repeated key was accepted"
fi
grep -q "cell 99999 ($key): the same key as cell 0" dup.err || { cat dup.err; fail "the repeated key is not named"; }

python3 "$gen" --lean 2000 >ten.json
"$FTMATRIX" report ten.json -o ten --format csv,md >ten.out 2>ten.err || { cat ten.err; fail "report of 2,000 cells"; }
[ "$(tail -n +2 ten/cells.csv | wc -l)" -eq 2000 ] || fail "cells.csv has not 2,000 cells"
grep -q w00049 ten/results.csv || fail "results.csv misses the last workload"
"$FTMATRIX" compare ten.json ten.json >cmp.out 2>cmp.err || { cat cmp.err; fail "compare of 2,000 cells"; }
grep -q "within noise" cmp.out || fail "compare says nothing"
# a file that carries its analysis, as a finished run's does: read, not
# computed (the fixture's figures are not a bootstrap's, so they show)
python3 "$gen" --lean --analysis 2000 >stored.json
"$FTMATRIX" report stored.json -o stored --format csv,md >stored.out 2>stored.err || { cat stored.err; fail "report of 2,000 cells with their analysis"; }
jq 'del(.analysis)' stored.json >computed.json
"$FTMATRIX" report computed.json -o computed --format csv,md >computed.out 2>computed.err || { cat computed.err; fail "report of 2,000 cells without their analysis"; }
cmp -s stored/results.csv computed/results.csv && fail "the stored analysis was not used"
cmp stored/cells.csv computed/cells.csv || fail "cells.csv depends on the analysis"
"$FTMATRIX" compare stored.json stored.json >scmp.out 2>scmp.err || { cat scmp.err; fail "compare of 2,000 cells with their analysis"; }
echo ok
