# ftmatrix merge: the cells of one results file cut into shards by
# workload merge back into the same cells and the same analysis as the
# whole file; every refusal names what is wrong; a missing shard is said;
# shards from two machines keep one machine table each.
. tests/e2e/lib.sh

full=tests/fixtures/results-full.json
t=$FTMATRIX_TEST_TMP/600
mkdir -p "$t"

# shard K of N: the workloads at positions K-1, K-1+N, ... of the file's
shard() { # K N [file] -> stdout
	jq --argjson k "$1" --argjson n "$2" '
		([.cells[].workload] | unique) as $all
		| [$all | to_entries[] | select(.key % $n == $k - 1) | .value] as $mine
		| .shard = {index: $k, count: $n, workloads: $mine, estimated_s: 1}
		| .cells |= map(select(.workload as $w | $mine | index($w)))' \
		"${3:-$full}"
}
for k in 1 2 3; do
	shard $k 3 >"$t/s$k.json"
done
shard 1 1 >"$t/whole.json"

# the whole file as one shard: the same code path, so the same order and
# the analysis of an unsharded run of these cells
"$FTMATRIX" merge "$t/whole.json" -o "$t/ref" >/dev/null 2>"$t/ref.err" ||
	{ cat "$t/ref.err" >&2; fail "merge of one whole shard"; }
"$FTMATRIX" merge "$t/s3.json" "$t/s1.json" "$t/s2.json" -o "$t/m" \
	>"$t/m.out" 2>"$t/m.err" || { cat "$t/m.err" >&2; fail "merge of 3 shards"; }
grep -qx "$t/m/report.html" "$t/m.out" || fail "merge did not print the report"
for what in .cells .analysis .interpreters .calibration .machine .complete; do
	[ "$(jq -cS "$what" "$t/m/results.json")" = "$(jq -cS "$what" "$t/ref/results.json")" ] ||
		fail "merged $what differ from the unsharded file's"
done
check_json "$t/m/results.json" '.analysis | length > 0'
check_json "$t/m/results.json" '.shard == {index: 0, count: 3, merged: [1, 2, 3], missing: []}'
check_json "$t/m/results.json" '(.cells | length) == 76 and .complete and (has("hosts") | not)'
cmp -s "$t/m/results.csv" "$t/ref/results.csv" || fail "results.csv differ"
# the same summary, but for the command that made it
[ "$(grep -v '^ftmatrix merge' "$t/m/summary.md")" = "$(grep -v '^ftmatrix merge' "$t/ref/summary.md")" ] ||
	fail "summary.md differ"
# the report of the merge has the sections of the unsharded one
sections() { grep -o '<section id="[^"]*"' "$1" | sort; }
[ "$(sections "$t/m/report.html")" = "$(sections "$t/ref/report.html")" ] ||
	fail "the merged report's sections differ"

refused() { # name expected-text files... : merge must fail saying it
	name=$1 want=$2
	shift 2
	if "$FTMATRIX" merge "$@" -o "$t/$name" >"$t/$name.out" 2>"$t/$name.err"; then
		fail "$name: merged"
	fi
	grep -qF -- "$want" "$t/$name.err" ||
		{ cat "$t/$name.err" >&2; fail "$name: no \"$want\""; }
	grep -q "refusing to merge: nothing was written" "$t/$name.err" ||
		fail "$name: no refusal line"
	[ ! -e "$t/$name/results.json" ] || fail "$name: wrote results"
}

# another matrix: the cells it holds are named
jq '.matrix.text += "# edited\n"' "$t/s2.json" >"$t/other.json"
refused matrix "$t/other.json: another matrix than $t/s1.json" \
	"$t/s1.json" "$t/other.json"
grep -q "its cells 3.13/[a-z_0-9]*/threads/1/0" "$t/matrix.err" ||
	fail "matrix: cells not named"
# a cell in two files
jq '.shard.index = 2' "$t/s1.json" >"$t/s1-again.json"
refused overlap "cell 3.13/" "$t/s1.json" "$t/s1-again.json" "$t/s3.json"
grep -q "is in both $t/s1.json and $t/s1-again.json" "$t/overlap.err" ||
	fail "overlap: files not named"
# an interpreter that is another build in one shard
jq '(.interpreters[] | select(.id == "3.13t") | .identity.build_date) = "Dec 1 2026 10:00:00"' \
	"$t/s2.json" >"$t/rebuilt.json"
refused identity "interpreter 3.13t is another build in $t/rebuilt.json than in $t/s1.json (build date differs" \
	"$t/s1.json" "$t/rebuilt.json" "$t/s3.json"
grep -q "build date differs: \"Dec 1 2026 10:00:00\" against \"Nov 20 2025 14:02:11\"); its cells in $t/rebuilt.json: 3.13t/" "$t/identity.err" ||
	fail "identity: values or cells not named"
[ "$(grep -c "is another build" "$t/identity.err")" = 1 ] || fail "identity: said more than once"
jq '(.interpreters[] | select(.id == "3.13") | .identity.prefix) = "/root/.local/share/uv/python/cpython-3.13.15-linux-x86_64-gnu"' \
	"$t/s2.json" >"$t/uvkey.json"
refused uvkey "(installation (uv key or build fingerprint) differs: \"cpython-3.13.15-linux-x86_64-gnu\" against \"3.13.15-4f1c2a\")" "$t/s1.json" "$t/uvkey.json"
# not shards of one cut
refused whole "$full: not a shard (the whole plan)" "$t/s1.json" "$full"
shard 2 4 >"$t/s2of4.json"
refused cut "shard 2/4, but $t/s1.json is shard 1/3" "$t/s1.json" "$t/s2of4.json"
jq '.shard.index = 1' "$t/s2.json" >"$t/dup.json"
refused duplicate "$t/s1.json and $t/dup.json: both are shard 1/3" "$t/s1.json" "$t/dup.json"

# a missing shard is said, in the terminal, the file and the report
"$FTMATRIX" merge "$t/s1.json" "$t/s3.json" -o "$t/missing" >/dev/null 2>"$t/missing.err" ||
	{ cat "$t/missing.err" >&2; fail "merge with a shard missing"; }
grep -q "shard 2 of 3 missing" "$t/missing.err" || fail "missing shard not said"
check_json "$t/missing/results.json" '.shard.missing == [2] and (.complete | not)'
grep -q "shard 2 of 3 missing: its workloads were not measured" "$t/missing/report.html" ||
	fail "the report does not say a shard is missing"

# shards from two machines: one table each, ratios within each
jq '.machine.cpu_model = "Other CPU" | .machine.cores = 64 | .machine.hostname = "other-host"' \
	"$t/s2.json" >"$t/elsewhere.json"
"$FTMATRIX" merge "$t/s1.json" "$t/elsewhere.json" "$t/s3.json" -o "$t/hosts" \
	>/dev/null 2>"$t/hosts.err" || { cat "$t/hosts.err" >&2; fail "merge across machines"; }
check_json "$t/hosts/results.json" '(.hosts | length) == 2'
check_json "$t/hosts/results.json" '.hosts[1].machine.cpu_model == "Other CPU" and .hosts[1].shards == [2]'
check_json "$t/hosts/results.json" --slurpfile s "$t/s2.json" '.hosts[1].workloads == $s[0].shard.workloads'
grep -q "Machine 2: other-host" "$t/hosts/report.html" || fail "no table for the second machine"
grep -q "2 machines (see Machines)" "$t/hosts/report.html" || fail "the header names one machine"
grep -q "ratio within one machine" "$t/hosts/report.html" || fail "machines not explained"
# the ratios are those of the one-machine merge: each is within a shard
[ "$(jq -cS '.analysis' "$t/hosts/results.json")" = "$(jq -cS '.analysis' "$t/m/results.json")" ] ||
	fail "ratios changed when machines differ"
echo ok
