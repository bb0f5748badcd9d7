# The one uv failure the real uv cannot be made to produce here, played by
# tests/stand-ins/uv: uv itself handing over a GIL build for 3.13t (a uv
# bug, or an older uv without its own check). The real uv refuses a
# mislabelled build when it finds it (110-uv-provider.sh), so only a
# stand-in can get one past uv; ftmatrix's identity check must refuse it,
# and run must measure nothing.
. tests/e2e/lib.sh
. tests/lib/prov.sh

standin_setup
t=$FTMATRIX_TEST_TMP/114
mkdir -p "$t"
XDG_DATA_HOME=$t/xdg-data
export XDG_DATA_HOME

printf 'name: uv\ninterpreters:\n  - id: "3.13t"\n    provider: uv\n    request: "3.13t"\n' >"$t/t.yaml"
printf 'workloads: [cpu_loop]\nengines: [threads]\nthreads: [1]\n' >>"$t/t.yaml"
if UV_PYTHON_INSTALL_DIR=$t/liar UV_STANDIN_MODE=gil-for-t \
	"$FTMATRIX" interpreters "$t/t.yaml" >/dev/null 2>"$t/liar.err"; then
	fail "a GIL build was accepted for 3.13t"
fi
grep -Fq "3.13t: asked for a free-threaded build, but $t/liar/cpython-3.13.15+freethreaded-linux-$(uname -m)-gnu/bin/python3 is a GIL build (Py_GIL_DISABLED=0)" "$t/liar.err" ||
	{ cat "$t/liar.err"; fail "GIL build for 3.13t"; }
if UV_PYTHON_INSTALL_DIR=$t/liar UV_STANDIN_MODE=gil-for-t \
	"$FTMATRIX" run "$t/t.yaml" -o "$t/liar-run" >/dev/null 2>"$t/liar-run.err"; then
	fail "run measured a GIL build for 3.13t"
fi
grep -q "stopping before anything is measured" "$t/liar-run.err" || fail "run did not stop"
[ ! -f "$t/liar-run/results.json" ] || check_json "$t/liar-run/results.json" '(.cells | length) == 0'
echo ok
