# The libFuzzer targets build, and every matrix and results file we keep
# (shipped, fixtures, the bad ones, whatever fuzzing once broke something
# with) goes through its target once: ASan, UBSan and the targets' own
# checks. `make fuzz` is the long search; this is its regression test.
. tests/e2e/lib.sh

t=$FTMATRIX_TEST_TMP/560
rm -rf "$t"
mkdir -p "$t"
make --no-print-directory -s fuzz/fuzz-matrix fuzz/fuzz-results fuzz/fuzz-url fuzz/fuzz-text \
	>"$t/build.log" 2>&1 || { tail -20 "$t/build.log"; fail "cannot build the fuzz targets"; }
n=0
for f in matrices/*.yaml tests/bad-matrices/*.yaml; do
	fuzz/fuzz-matrix -close_fd_mask=3 "$f" >"$t/out" 2>&1 ||
		{ tail -30 "$t/out"; fail "fuzz-matrix broke on $f"; }
	n=$((n + 1))
done
for f in tests/fixtures/*.json tests/bad-results/*.json; do
	fuzz/fuzz-results -close_fd_mask=3 "$f" >"$t/out" 2>&1 ||
		{ tail -30 "$t/out"; fail "fuzz-results broke on $f"; }
	n=$((n + 1))
done
for f in fuzz/urls/*.txt; do
	fuzz/fuzz-url -close_fd_mask=3 "$f" >"$t/out" 2>&1 ||
		{ tail -30 "$t/out"; fail "fuzz-url broke on $f"; }
	n=$((n + 1))
done
for f in tests/fixtures/*.json tests/e2e/630-output-folders.sh tests/e2e/640-untrusted-text.sh; do
	fuzz/fuzz-text -close_fd_mask=3 "$f" >"$t/out" 2>&1 ||
		{ tail -30 "$t/out"; fail "fuzz-text broke on $f"; }
	n=$((n + 1))
done
[ "$n" -ge 130 ] || fail "only $n inputs"
echo "ok: $n inputs"
