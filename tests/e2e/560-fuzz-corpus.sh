# The libFuzzer target builds, and every matrix we keep (the shipped ones,
# the bad ones, the inputs fuzzing once broke the parser with) goes
# through it once: ASan, UBSan and the target's own checks of what a valid
# matrix must be. `make fuzz` is the long search; this is its regression.
. tests/e2e/lib.sh

t=$FTMATRIX_TEST_TMP/560
rm -rf "$t"
mkdir -p "$t"
make --no-print-directory -s fuzz/fuzz-matrix >"$t/build.log" 2>&1 ||
	{ tail -20 "$t/build.log"; fail "cannot build fuzz/fuzz-matrix"; }
n=0
for f in matrices/*.yaml tests/bad-matrices/*.yaml; do
	fuzz/fuzz-matrix -close_fd_mask=3 "$f" >"$t/out" 2>&1 ||
		{ tail -30 "$t/out"; fail "the fuzz target broke on $f"; }
	n=$((n + 1))
done
[ "$n" -ge 100 ] || fail "only $n inputs"
echo "ok: $n inputs"
