# valgrind on the orchestrator (not the probes it starts) for a quick run
# (from a matrix and into a directory named with spaces and shell
# metacharacters),
# its report, compare, validate and publish: no invalid access, no
# definite or indirect leak, no descriptor left open at exit. Under
# SANITIZE=1 ftmatrix is built with ASan, which valgrind cannot run, so
# this test builds its own plain copy then.
. tests/e2e/lib.sh
. tests/lib/api.sh

t=$FTMATRIX_TEST_TMP/550
rm -rf "$t"
mkdir -p "$t/www"
trap 'api_stop' EXIT
export FTMATRIX_DATADIR=$FTMATRIX_ROOT

ft=$FTMATRIX
if ldd "$FTMATRIX" | grep -q libasan; then
	ft=$t/ftmatrix
	# shellcheck disable=SC2046
	cc -std=c11 -D_GNU_SOURCE -O1 -g -Iorchestrator \
		-DFTMATRIX_DATADIR="\"$FTMATRIX_ROOT\"" -o "$ft" orchestrator/*.c \
		$(pkg-config --cflags --libs yaml-0.1 jansson libcurl) -lm ||
		fail "cannot build a plain ftmatrix for valgrind"
fi

# vg NAME ARGS...: ftmatrix ARGS under valgrind; fails on any error, leak
# or descriptor it opened and left open
vg() {
	name=$1
	shift
	rc=0
	valgrind -q --error-exitcode=99 --leak-check=full \
		--errors-for-leak-kinds=definite,indirect \
		--show-leak-kinds=definite,indirect --track-fds=yes \
		--log-file="$t/$name.vg" "$ft" "$@" >"$t/$name.out" 2>"$t/$name.err" || rc=$?
	[ "$rc" -ne 99 ] || { cat "$t/$name.vg"; fail "valgrind: $name"; }
	# a descriptor block without "inherited from parent" was opened by us
	leaked=$(awk '/Open (file|AF_[A-Z0-9]*) (descriptor|socket)/ { blk = $0; inh = 0; open = 1; next }
		open && /inherited from parent/ { inh = 1 }
		open && /^==[0-9]*== *$/ { if (!inh) print blk; open = 0 }
		END { if (open && !inh) print blk }' "$t/$name.vg")
	[ -z "$leaked" ] || { cat "$t/$name.vg"; fail "$name left descriptors open: $leaked"; }
	return "$rc"
}

# paths with spaces and shell metacharacters, to show they are only names
m="$t/m \$(touch pwned) 'q'.yaml"
out="$t/out dir; \$(touch pwned) \`touch pwned\` \"q\""
cat >"$m" <<'YAML'
name: vg
baseline: "3.13"
interpreters:
  - {id: "3.13", provider: source, source: "debian:3.13.15"}
  - {id: "3.13t", provider: source, source: "debian:3.13.15", free_threaded: true}
workloads:
  - {name: cpu_loop, iterations: 20000}
threads: [1, 2]
repetitions: 1
samples: 2
warmup: 0
YAML
vg run run "$m" -o "$out" || { cat "$t/run.err"; fail "run under valgrind"; }
check_json "$out/results.json" '.complete == true and all(.cells[]; .status == "ok")'
vg report report "$out/results.json" -o "$t/report" || { cat "$t/report.err"; fail "report"; }
[ -s "$t/report/report.html" ] || fail "no report.html"
vg compare compare "$out/results.json" "$out/results.json" -o "$t/compare" ||
	{ cat "$t/compare.err"; fail "compare"; }
vg validate validate matrices/quick.yaml || { cat "$t/validate.err"; fail "validate"; }
vg bad validate tests/bad-matrices/many-problems.yaml tests/bad-matrices/billion-laughs.yaml || true
grep -q "many-problems.yaml: 11 problems" "$t/bad.err" || fail "validate of bad matrices: $(cat "$t/bad.err")"
api_start "$t/www"
cp "$m" "$t/www/m.yaml"
vg remote validate "$API_URL/files/m.yaml" || { cat "$t/remote.err"; fail "remote validate"; }
FTMATRIX_TOKEN=vg-token vg publish publish "$out/results.json" "$API_URL/results" ||
	{ cat "$t/publish.err"; fail "publish"; }
[ -s "$out/charts/overhead.svg" ] || fail "no charts in $out"
[ ! -e pwned ] && [ ! -e "$t/pwned" ] || fail "a path ran a shell command"
echo ok
