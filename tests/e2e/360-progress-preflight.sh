# What a run says while it works: a bar on a terminal, one line per cell in
# a log, nothing with -q, more with -v; the noise pre-flight recorded in
# results.json and --strict refusing what it found; CPU pinning from the
# matrix and from --affinity.
. tests/e2e/lib.sh
. tests/e2e/method-lib.sh

FTMATRIX_DATADIR=$(test_datadir)
export FTMATRIX_DATADIR
t=$FTMATRIX_TEST_TMP/360
mkdir -p "$t"
cpus=$(python3 -c 'import os; print(len(os.sched_getaffinity(0)))')
allowed=$(python3 -c 'import os; print(",".join(map(str, sorted(os.sched_getaffinity(0)))))')
first=${allowed%%,*}
# the kernel's cpulist form of the allowed CPUs, "0-3,6"
canonical=$(python3 -c '
import os
c, out, i = sorted(os.sched_getaffinity(0)), [], 0
while i < len(c):
    j = i
    while j + 1 < len(c) and c[j + 1] == c[j] + 1:
        j += 1
    out.append(str(c[i]) if i == j else "%d-%d" % (c[i], c[j]))
    i = j + 1
print(",".join(out))')
matrix() { # threads, then extra lines
	matrix_head progress
	cat <<-YAML
	workloads: [gate]
	threads: [$1]
	repetitions: 1
	samples: 2
	warmup: 0
	iterations: 2000
	YAML
	shift
	for line in "$@"; do echo "$line"; done
}

# a log: one line per cell, with elapsed time and an estimate of what is left
matrix 1 >"$t/m.yaml"
"$FTMATRIX" run "$t/m.yaml" -o "$t/log" >"$t/stdout" 2>"$t/stderr" || { cat "$t/stderr"; fail "log run"; }
grep -q '^\[1/2\] 3.13.15 gate threads x1 rep 1/1: median [0-9.]* ms, CV [0-9.]*% ([0-9]*:[0-9][0-9] elapsed, ~[0-9]*:[0-9][0-9] left)$' "$t/stderr" ||
	fail "no log line for cell 1: $(cat "$t/stderr")"
grep -q '^\[2/2\] 3.13.15t gate threads x1 rep 1/1: ' "$t/stderr" || fail "no log line for cell 2"
grep -q "$(printf '\r')" "$t/stderr" && fail "a log got terminal control characters"
[ "$(cat "$t/stdout")" = "$t/log/report.html" ] || fail "stdout is not the report's path"

# the pre-flight, recorded
r=$t/log/results.json
check_json "$r" ".preflight | .cores == $(jq .machine.cores "$r") and .loadavg1 >= 0 and .spread_n == 21 and .spread_cv >= 0 and (.governor | type) == \"string\""
# what other processes did with the CPUs while ftmatrix paused: a share
check_json "$r" '.preflight.others_busy | type == "number" and . >= 0 and . <= 1'
# the load average alone does not make a noise warning: it also counts
# tasks asleep on I/O, and the last minute; the measured share does
if [ "$(jq '.preflight.others_busy <= 0.10' "$r")" = true ]; then
	jq -r '.preflight.warnings[]' "$r" | grep -q "load average" &&
		fail "a load warning while others used $(jq .preflight.others_busy "$r") of the CPUs"
fi
jq -r '.preflight.warnings[]' "$r" | while read -r w; do
	grep -qF "ftmatrix: warning: $w" "$t/stderr" || fail "pre-flight warning not shown: $w"
done

# -q: only the report's path
"$FTMATRIX" run "$t/m.yaml" -o "$t/quiet" -q >"$t/stdout" 2>"$t/stderr" || fail "quiet run"
[ -s "$t/stderr" ] && fail "-q printed: $(cat "$t/stderr")"
[ "$(cat "$t/stdout")" = "$t/quiet/report.html" ] || fail "-q: stdout is not the report's path"

# a terminal: the bar, redrawn in place, cleared at the end; -v adds the
# pre-flight's measurements and a line per cell above the bar
script -qec "TERM=xterm $FTMATRIX run $t/m.yaml -o $t/tty -v" /dev/null >"$t/tty.out" 2>&1 ||
	{ cat "$t/tty.out"; fail "terminal run"; }
grep -q "$(printf '\r\033\\[K')\\[[=> ]*\\] 1/2 3.13.15 gate threads x1 rep 1/1  [0-9]*:[0-9][0-9]" "$t/tty.out" ||
	fail "no progress bar: $(cat -v "$t/tty.out")"
grep -q "ftmatrix: pre-flight: load [0-9.]* on [0-9]* cores, governor .*, CPU loop CV [0-9.]*%, other processes' CPU use [0-9]*%" "$t/tty.out" ||
	fail "-v: no pre-flight line"
grep -q "\\[2/2\\] 3.13.15t gate threads x1 rep 1/1: median" "$t/tty.out" || fail "-v: no cell line"

# more threads than CPUs is noted (it measures contention)
matrix "1, $((cpus + 1))" >"$t/over.yaml"
"$FTMATRIX" run "$t/over.yaml" -o "$t/over" >/dev/null 2>"$t/stderr" || fail "oversubscribed run"
grep -q "the matrix asks for $((cpus + 1)) threads on $cpus CPU" "$t/stderr" ||
	fail "oversubscription not noted: $(cat "$t/stderr")"

# --strict refuses exactly when the pre-flight found noise (this matrix
# does not oversubscribe, so every warning is about noise)
rc=0
"$FTMATRIX" run "$t/m.yaml" -o "$t/strict" --strict >/dev/null 2>"$t/stderr" || rc=$?
r=$t/strict/results.json
n=$(jq '.preflight.warnings | length' "$r")
if [ "$n" -gt 0 ]; then
	[ $rc -eq 1 ] || fail "--strict with $n pre-flight warnings: exit status $rc"
	grep -q "refusing to measure on a noisy machine (--strict): $n problem" "$t/stderr" ||
		fail "--strict: $(cat "$t/stderr")"
	check_json "$r" '(.cells | length) == 0'
else
	[ $rc -eq 0 ] || fail "--strict on a quiet machine: exit status $rc"
	check_json "$r" '(.cells | length) == 2'
fi

# a neighbour spinning on every CPU: the pre-flight measures it, says so
# with the share it took, and --strict refuses to measure
spinners=
for _ in $(seq "$cpus"); do
	sh -c 'while :; do :; done' &
	spinners="$spinners $!"
done
rc=0
"$FTMATRIX" run "$t/m.yaml" -o "$t/busy" --strict >/dev/null 2>"$t/stderr" || rc=$?
kill $spinners
wait $spinners 2>/dev/null || true
[ $rc -eq 1 ] || fail "--strict beside a busy neighbour: exit status $rc"
grep -q "ftmatrix: warning: other processes kept [0-9]*% of the CPUs busy during a 0.5 s pause (load average [0-9.]* on [0-9]* cores)" "$t/stderr" ||
	fail "no warning about the busy neighbour: $(cat "$t/stderr")"
check_json "$t/busy/results.json" '.preflight.others_busy > 0.5 and (.cells | length) == 0'

# pinning: the matrix's CPU list, then --affinity over it; the gate
# workload records what each probe may run on
pinned() { # out dir, expected CPU list as "0,1"
	for f in "$t/gate"/started/*; do
		[ "$(cat "$f")" = "$2" ] || fail "$1: a probe ran on $(cat "$f"), expected $2"
	done
}
matrix 1 "affinity: \"$first\"" >"$t/pin.yaml"
rm -rf "$t/gate"
FTMATRIX_TEST_GATE=$t/gate "$FTMATRIX" run "$t/pin.yaml" -o "$t/pin" -q >/dev/null 2>&1 || fail "pinned run"
pinned pin "$first"
check_json "$t/pin/results.json" ".settings.affinity == \"$first\""
rm -rf "$t/gate"
FTMATRIX_TEST_GATE=$t/gate "$FTMATRIX" run "$t/pin.yaml" -o "$t/pin-all" -q --affinity all >/dev/null 2>&1 ||
	fail "--affinity all"
pinned pin-all "$allowed"
check_json "$t/pin-all/results.json" ".settings.affinity == \"$canonical\""

# CPU lists that cannot be used
rc=0
"$FTMATRIX" run "$t/m.yaml" -o "$t/bad" --affinity 5000 >/dev/null 2>"$t/stderr" || rc=$?
[ $rc -eq 2 ] || fail "--affinity 5000: exit status $rc"
grep -q "ftmatrix: --affinity 5000: expected a CPU number (0 to 1023)" "$t/stderr" || fail "$(cat "$t/stderr")"
rc=0
"$FTMATRIX" run "$t/m.yaml" -o "$t/bad" --affinity 1000 >/dev/null 2>"$t/stderr" || rc=$?
[ $rc -eq 1 ] || fail "--affinity 1000: exit status $rc"
grep -q "affinity 1000: CPU 1000 is not available (this process may use " "$t/stderr" || fail "$(cat "$t/stderr")"
echo ok
