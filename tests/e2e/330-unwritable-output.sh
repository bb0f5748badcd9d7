# An output directory that cannot be created or written, or that turns
# read-only or fills up in the middle of a run: a clear error, exit status
# 1, and results.json keeps every cell it held; once the cause is gone the
# same command resumes. The read-only and full file systems are real mounts
# in a private mount namespace, gone when the test ends.
. tests/e2e/lib.sh
. tests/e2e/method-lib.sh

if [ -z "${FTMATRIX_TEST_NS:-}" ]; then
	FTMATRIX_TEST_NS=1
	export FTMATRIX_TEST_NS
	# a non-root user gets mount rights in a user namespace of its own
	[ "$(id -u)" -eq 0 ] && ns=-m || ns=-rm
	exec unshare $ns --propagation private sh "$0"
fi

FTMATRIX_DATADIR=$(test_datadir)
export FTMATRIX_DATADIR
t=$FTMATRIX_TEST_TMP/330
mkdir -p "$t"
{
	matrix_head unwritable
	cat <<-YAML
	workloads: [cpu_loop, gate]
	threads: [1]
	repetitions: 1
	samples: 2
	warmup: 0
	iterations: 20000
	# probe processes are counted: one per cell, none replaced
	drift_threshold: 0
	YAML
} >"$t/m.yaml"

# cannot be created: a file is in the way
: >"$t/file"
if "$FTMATRIX" run "$t/m.yaml" -o "$t/file/out" >/dev/null 2>"$t/stderr"; then
	fail "ran with an output directory under a regular file"
fi
grep -q "^ftmatrix: $t/file/out: cannot create the output directory: Not a directory" "$t/stderr" ||
	fail "uncreatable: $(cat "$t/stderr")"

# read-only from the start (root included: it is the mount that refuses)
mkdir -p "$t/ro"
mount --bind "$t/ro" "$t/ro"
mount -o remount,bind,ro "$t/ro"
if "$FTMATRIX" run "$t/m.yaml" -o "$t/ro" >/dev/null 2>"$t/stderr"; then
	fail "ran with a read-only output directory"
fi
grep -q "^ftmatrix: $t/ro: cannot write to the output directory: Read-only file system" "$t/stderr" ||
	fail "read-only: $(cat "$t/stderr")"
umount "$t/ro"

# Runs until the second gate cell (the 4th and last cell) waits, lets the
# test break the directory ($1: a command), then releases it; the cell
# cannot be saved, the run stops with the three before it kept.
break_midway() {
	out=$1
	shift
	rm -rf "$t/gate"
	mkdir -p "$t/gate"
	FTMATRIX_TEST_GATE=$t/gate FTMATRIX_TEST_GATE_AT=2 \
		"$FTMATRIX" run "$t/m.yaml" -o "$out" >"$t/stdout" 2>"$t/stderr" &
	pid=$!
	wait_for "$t/gate/blocked"
	"$@"
	: >"$t/gate/release"
	rc=0
	wait $pid || rc=$?
	[ "$rc" -eq 1 ] || { cat "$t/stderr"; fail "exit status $rc, expected 1"; }
	grep -q "results could not be saved; what it already held is intact" "$t/stderr" ||
		fail "no clear error: $(cat "$t/stderr")"
	check_json "$out/results.json" '(.cells | length) == 3 and all(.cells[]; .status == "ok")'
	ls "$out" | grep -q '\.tmp\.' && fail "a temporary file was left in $out"
	:
}

# turns read-only in the middle
mkdir -p "$t/rw"
mount --bind "$t/rw" "$t/rw"
break_midway "$t/rw" mount -o remount,bind,ro "$t/rw"
grep -q "Read-only file system" "$t/stderr" || fail "the cause is not named"
mount -o remount,bind,rw "$t/rw"
"$FTMATRIX" run "$t/m.yaml" -o "$t/rw" >/dev/null 2>"$t/stderr" || { cat "$t/stderr"; fail "resume after read-only"; }
grep -q "resuming: 3 cells kept, 1 to run" "$t/stderr" || fail "resume: $(cat "$t/stderr")"
check_json "$t/rw/results.json" '.complete == true and (.cells | length) == 4'

# fills up in the middle
mkdir -p "$t/full"
mount -t tmpfs -o size=4m tmpfs "$t/full"
fill() {
	dd if=/dev/zero of="$t/full/filler" bs=4k >/dev/null 2>&1 || true
}
break_midway "$t/full" fill
grep -q "No space left on device" "$t/stderr" || fail "the cause is not named: $(cat "$t/stderr")"
rm "$t/full/filler"
"$FTMATRIX" run "$t/m.yaml" -o "$t/full" >/dev/null 2>"$t/stderr" || { cat "$t/stderr"; fail "resume after full"; }
check_json "$t/full/results.json" '.complete == true and (.cells | length) == 4'
[ -s "$t/full/report.html" ] || fail "no report after the resumed run"
umount "$t/full"
umount "$t/rw"
echo ok
