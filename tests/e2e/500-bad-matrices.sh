# Every matrix in tests/bad-matrices is refused by validate and run with
# the expected file:line:col messages, exit status 1, no crash, no hang and
# nothing written.
. tests/e2e/lib.sh

corpus=$FTMATRIX_ROOT/tests/bad-matrices
tmp=$FTMATRIX_TEST_TMP/500
mkdir -p "$tmp"
n=0

# refuse CMD FILE: runs ftmatrix CMD on FILE from the current directory and
# checks the exit status and that every message names FILE.
refuse() {
	cmd=$1
	file=$2
	shift 2
	rc=0
	timeout 60 "$FTMATRIX" "$cmd" "$file" "$@" >"$tmp/out" 2>"$tmp/err" || rc=$?
	[ "$rc" -ne 124 ] || fail "$cmd $file: hung (killed after 60 s)"
	[ "$rc" -eq 1 ] || { cat "$tmp/err" >&2; fail "$cmd $file: exit status $rc, expected 1"; }
	[ ! -s "$tmp/out" ] || fail "$cmd $file: printed on stdout: $(head -3 "$tmp/out")"
	if grep -q -e "Sanitizer" -e "runtime error" "$tmp/err"; then
		cat "$tmp/err" >&2
		fail "$cmd $file: sanitizer report"
	fi
}

# expect FILE.expected: every line of it is a whole line of the error output
expect() {
	while IFS= read -r line; do
		grep -Fxq -e "$line" "$tmp/err" || {
			cat "$tmp/err" >&2
			fail "missing line: $line"
		}
	done <"$1"
}

cd "$corpus"
for m in *.yaml; do
	name=${m%.yaml}
	[ -f "$name.expected" ] || fail "$m has no $name.expected"
	refuse validate "$m"
	expect "$name.expected"
	# every line is a problem with its position, or the count at the end
	bad=$(grep -v -e "^ftmatrix: $m:[0-9]*:[0-9]*: " -e "^ftmatrix: $m: [0-9]* problems\{0,1\}$" \
		-e "^ftmatrix: $m: [0-9]* more problems not shown$" "$tmp/err" || true)
	[ -z "$bad" ] || fail "$m: lines without a position: $bad"

	refuse run "$m" -o "$tmp/run-$name"
	head -1 "$name.expected" >"$tmp/first"
	expect "$tmp/first"
	[ ! -e "$tmp/run-$name" ] || fail "run $m created $tmp/run-$name"
	n=$((n + 1))
done
[ "$n" -ge 100 ] || fail "only $n bad matrices in $corpus"
[ ! -e pwned ] || fail "a matrix ran a shell command"
cd "$tmp"

# Inputs too big to keep as files.
head -c 2097152 /dev/zero | tr '\0' '#' >huge.yaml
refuse validate huge.yaml
grep -Fxq "ftmatrix: huge.yaml:1:1: file too large (a matrix is at most 1 MiB)" err ||
	fail "huge.yaml: $(cat err)"
refuse run huge.yaml -o "$tmp/run-huge"

# 1 MiB exactly of one flow sequence: too many values, not too many bytes
{
	printf 'threads: ['
	head -c 524280 /dev/zero | tr '\0' '1' | sed 's/1/1,/g'
	printf '1]\n'
} >many.yaml
refuse validate many.yaml
grep -q "^ftmatrix: many.yaml:1:[0-9]*: too many values (a matrix has at most 100000)$" err ||
	fail "many.yaml: $(cat err)"

# nesting far beyond the limit: stopped at the limit, not by the stack
{
	printf 'a: '
	head -c 500000 /dev/zero | tr '\0' '['
	echo
} >deep.yaml
refuse validate deep.yaml
grep -Fxq "ftmatrix: deep.yaml:1:35: nesting too deep (a matrix has at most 32 levels)" err ||
	fail "deep.yaml: $(cat err)"

# a key of 1 MiB less a little
{
	head -c 1000000 /dev/zero | tr '\0' 'k'
	echo ': 1'
} >longkey.yaml
refuse validate longkey.yaml
grep -q "^ftmatrix: longkey.yaml:1:" err || fail "longkey.yaml: $(cat err)"

# A matrix path with spaces and shell metacharacters is only a name.
weird="bad matrix; \$(touch pwned) \`touch pwned\` 'q' & | > x.yaml"
printf 'interpreters:\n  - {id: a, provider: path, path: /x}\nworkloads: [cpu_loop]\ncolour: red\n' >"$weird"
refuse validate "$weird"
grep -Fxq "ftmatrix: $weird:4:1: unknown key \"colour\" (expected name, description, baseline, interpreters, workloads, engines, threads, repetitions, samples, warmup, iterations, scaling, timeout, min_time, affinity, memory_interval_ms, drift_threshold, extra_samples, target_ci, max_time, workloads_dir)" err ||
	fail "weird name: $(cat err)"
refuse run "$weird" -o "$tmp/run weird"
[ ! -e "$tmp/run weird" ] || fail "run created its output directory"
[ ! -e pwned ] || fail "a file name ran a shell command"

# An interpreter path with shell metacharacters is run as a path or not at
# all: run fails before measuring, with the path in the message.
printf 'interpreters:\n  - {id: a, provider: path, path: "/nonexistent/py; touch pwned"}\nworkloads: [cpu_loop]\nthreads: [1]\nrepetitions: 1\n' >shell-path.yaml
"$FTMATRIX" validate shell-path.yaml >/dev/null || fail "shell-path.yaml should be a valid matrix"
refuse run shell-path.yaml -o "$tmp/run-shell"
grep -q "/nonexistent/py; touch pwned" err || fail "run did not name the path: $(cat err)"
[ ! -e "$tmp/run-shell/results.json" ] || fail "run wrote results for a matrix it cannot run"
[ ! -e pwned ] && [ ! -e "$FTMATRIX_ROOT/pwned" ] || fail "an interpreter path ran a shell command"

# Not a matrix at all.
mkdir -p adir
refuse validate adir
grep -Fxq "ftmatrix: cannot read adir: it is a directory" err || fail "directory: $(cat err)"
refuse run adir -o "$tmp/run-dir"
[ ! -e "$tmp/run-dir" ] || fail "run created its output directory"

refuse validate no-such.yaml
grep -Fxq "ftmatrix: cannot read no-such.yaml: No such file or directory" err ||
	fail "missing file: $(cat err)"

refuse validate /dev/null
grep -Fxq "ftmatrix: /dev/null:1:1: the matrix is empty (it needs \"interpreters\" and \"workloads\")" err ||
	fail "/dev/null: $(cat err)"

refuse validate /dev/zero
grep -Fxq "ftmatrix: /dev/zero:1:1: file too large (a matrix is at most 1 MiB)" err ||
	fail "/dev/zero: $(cat err)"

# a FIFO nobody writes to must not hang
mkfifo fifo.yaml
refuse validate fifo.yaml
grep -Fxq "ftmatrix: fifo.yaml:1:1: the matrix is empty (it needs \"interpreters\" and \"workloads\")" err ||
	fail "fifo: $(cat err)"

# unreadable: as root, only without the capabilities that bypass modes
cp "$FTMATRIX_ROOT/matrices/quick.yaml" unreadable.yaml
chmod 000 unreadable.yaml
if [ "$(id -u)" -eq 0 ]; then
	drop="setpriv --inh-caps=-all --bounding-set=-dac_override,-dac_read_search --"
else
	drop=
fi
rc=0
$drop "$FTMATRIX" validate unreadable.yaml >out 2>err || rc=$?
[ "$rc" -eq 1 ] || fail "unreadable: exit status $rc: $(cat err)"
grep -Fxq "ftmatrix: cannot read unreadable.yaml: Permission denied" err ||
	fail "unreadable: $(cat err)"

# usage errors are 2
rc=0
"$FTMATRIX" validate >out 2>err || rc=$?
[ "$rc" -eq 2 ] || fail "validate without a matrix: exit status $rc"
rc=0
"$FTMATRIX" run >out 2>err || rc=$?
[ "$rc" -eq 2 ] || fail "run without a matrix: exit status $rc"

echo "ok: $n corpus files and 14 made here"
