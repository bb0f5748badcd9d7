# matrices/default.yaml (3.12, 3.13, 3.13t, 3.14, 3.14t via uv), sizes
# shrunk, end to end with the real uv (scripts/uv-pin) installing from the
# offline mirror of what was built here (`ftmatrix uv-mirror`: 3.13.15 with
# and without the GIL, pyenv's 3.12.1 when present). The mirror's downloads
# JSON is all uv offers, so 3.14 and 3.14t cannot be provisioned: without
# --keep-going the run stops before measuring; with it, they and what
# derives from them are recorded as unavailable with uv's own error, 3.12,
# 3.13 and 3.13t are installed by uv, identified and measured, and the
# report says where they came from.
. tests/e2e/lib.sh
. tests/lib/prov.sh

real_uv_setup
t=$FTMATRIX_TEST_TMP/111
arch=$(uname -m)
mkdir -p "$t"
m=$t/default.yaml
sed -e 's/^threads: \[1, 2, 4, 8\]$/threads: [1, 2]/' \
	-e 's/^repetitions: 5$/repetitions: 1/' \
	-e 's/^samples: 5$/samples: 2/' \
	-e 's/^iterations: 1000000$/iterations: 20000/' \
	-e 's/^timeout: 600$/timeout: 120/' \
	-e 's/^min_time: 0.1$/min_time: 0/' matrices/default.yaml >"$m"
for want in 'threads: \[1, 2\]' 'repetitions: 1' 'samples: 2' 'iterations: 20000' 'min_time: 0'; do
	grep -qx "$want" "$m" || fail "matrices/default.yaml changed shape: no $want after shrinking"
done
# the interpreters are default.yaml's own
[ "$(sed -n '/^interpreters:/,/^workloads:/p' "$m")" = \
	"$(sed -n '/^interpreters:/,/^workloads:/p' matrices/default.yaml)" ] ||
	fail "the interpreters were changed"
jq_ids='[.interpreters[].id] == ["3.12", "3.13", "3.13t", "3.14", "3.14t", "3.14t-gil"]'

first_missing=3.14
[ -n "$PY_312" ] || first_missing=3.12

# without --keep-going: nothing measured
if "$FTMATRIX" run "$m" -o "$t/strict" >"$t/strict.out" 2>"$t/strict.err"; then
	fail "default.yaml ran although $first_missing cannot be provisioned"
fi
grep -Fq "$first_missing: uv has no download for request \"$first_missing\"" "$t/strict.err" ||
	{ cat "$t/strict.err"; fail "uv's error not shown"; }
grep -Fq "$first_missing cannot be provisioned: stopping before anything is measured (--keep-going measures the others" "$t/strict.err" ||
	fail "no word of --keep-going"
[ ! -f "$t/strict/results.json" ] || check_json "$t/strict/results.json" '(.cells | length) == 0'

# with --keep-going: the rest is measured
"$FTMATRIX" run --keep-going "$m" -o "$t/run" >"$t/run.out" 2>"$t/run.err" ||
	{ cat "$t/run.err"; fail "run --keep-going"; }
r=$t/run/results.json
check_json "$r" '.complete == true'
check_json "$r" "$jq_ids"
check_json "$r" '.interpreters[] | select(.id == "3.13") | .available and .provider == "uv"
	and .request == "3.13" and .identity.version == "3.13.15" and .identity.gil_disabled_build == false'
check_json "$r" '.interpreters[] | select(.id == "3.13t") | .available
	and .identity.gil_disabled_build == true and .identity.gil_enabled == false
	and .identity.abiflags == "t" and (.identity.libpython | endswith("/libpython3.13t.so"))
	and (.identity.executable | startswith("'"$UV_PYTHON_INSTALL_DIR"'/"))
	and (.identity.libpython | startswith("'"$UV_PYTHON_INSTALL_DIR"'/cpython-3.13.15+freethreaded-linux-'"$arch"'-gnu/lib/"))
	and (.identity.config_args | test("--disable-gil")) and (.identity.compiler | length > 0)'
for id in 3.13 3.13t; do
	check_json "$r" '.interpreters[] | select(.id == "'$id'") | .origin | startswith("uv cpython-3.13.15")
		and endswith(", mirror file://'"$UV_MIRROR"', downloads JSON file://'"$UV_MIRROR_JSON"'")'
done
check_json "$r" '.interpreters[] | select(.id == "3.13t") | .origin | test("[+]freethreaded-linux-.* [(]variant freethreaded[)]")'
missing="3.14 3.14t"
if [ -n "$PY_312" ]; then
	check_json "$r" '.interpreters[] | select(.id == "3.12") | .available and .identity.version == "3.12.1"
		and (.origin | startswith("uv cpython-3.12.1-linux-'"$arch"'-gnu (variant default), mirror file://"))'
else
	missing="3.12 $missing"
fi
for id in $missing; do
	check_json "$r" '.interpreters[] | select(.id == "'$id'") | .available == false
		and (.error | test("uv has no download for request \"'$id'\" [(]uv says: error: No download found for request: cpython-"))'
done
check_json "$r" '.interpreters[] | select(.id == "3.14t-gil") | .available == false
	and (.error | test("3.14t, which it is a variant of, is not available"))'
avail=$(jq '[.interpreters[] | select(.available)] | length' "$r")
check_json "$r" "(.cells | length) == $avail * 2 * 2"
check_json "$r" '[.cells[].interpreter] | unique | all(. != "3.14" and . != "3.14t" and . != "3.14t-gil")'
check_json "$r" 'all(.cells[]; .status == "ok")'
grep -q "3.14: recorded as unavailable" "$t/run.err" || fail "not said while running"
# the report says which interpreters are missing and why
grep -q "3.14t: .*uv has no download for request" "$t/run/report.html" ||
	fail "the report does not say why 3.14t is missing"
# and where the measured ones came from
grep -Fq "uv: 3.13t; from uv cpython-3.13.15+freethreaded-linux-$arch-gnu (variant freethreaded), mirror file://$UV_MIRROR" "$t/run/report.html" ||
	fail "the report does not say 3.13t came from uv and the mirror"
echo ok
