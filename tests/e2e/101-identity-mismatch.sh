# What the matrix asked for and what was found disagree: each is an error
# naming both, and `ftmatrix run` stops before measuring anything.
. tests/e2e/lib.sh
. tests/lib/prov.sh

local_pythons
t=$FTMATRIX_TEST_TMP/101
mkdir -p "$t"
gil=$(py_field "$PY_GIL" 1)

matrix() { # FILE, then interpreter lines on stdin
	{
		echo "name: mismatch"
		echo "interpreters:"
		cat
		echo "workloads: [cpu_loop]"
		echo "engines: [threads]"
		echo "threads: [1]"
		echo "repetitions: 1"
		echo "samples: 1"
		echo "iterations: 1000"
	} >"$1"
}

# expects `ftmatrix interpreters` to fail, saying $2
refused() {
	if "$FTMATRIX" interpreters "$1" >"$1.out" 2>"$1.err"; then
		fail "$1: accepted"
	fi
	grep -Fq -- "$2" "$1.err" || { cat "$1.err"; fail "$1: does not say: $2"; }
}

# a GIL build where a free-threaded one was asked for
matrix "$t/ft.yaml" <<EOF
  - id: "want-ft"
    provider: path
    path: "$gil"
    free_threaded: true
EOF
refused "$t/ft.yaml" "want-ft: asked for a free-threaded build, but $gil is a GIL build (Py_GIL_DISABLED=0)"
grep -Fq "  found: cpython 3.13.15 ($gil), GIL at run time on" "$t/ft.yaml.out" ||
	{ cat "$t/ft.yaml.out"; fail "what was found is not shown"; }

# pyenv's directory holds another version than its name says
mkdir -p "$t/pyenv/versions/3.12.9/bin"
ln -s "$gil" "$t/pyenv/versions/3.12.9/bin/python3"
matrix "$t/pyenv.yaml" <<EOF
  - id: "old"
    provider: pyenv
    version: "3.12.9"
EOF
PYENV_ROOT=$t/pyenv refused "$t/pyenv.yaml" "old: asked pyenv for 3.12.9, but found"
grep -q "3.13.15" "$t/pyenv.yaml.err" || fail "the found version is not named"

# PYTHON_GIL=0 on a GIL build: CPython itself refuses to start
matrix "$t/gil0.yaml" <<EOF
  - id: "gil"
    provider: path
    path: "$gil"
  - id: "no-gil"
    provider: variant
    variant_of: "gil"
    env: {PYTHON_GIL: "0"}
EOF
refused "$t/gil0.yaml" "Disabling the GIL is not supported by this build"
grep -q "no-gil: cannot read the identity of $gil with PYTHON_GIL=0 (exit status 1)" "$t/gil0.yaml.err" ||
	fail "no-gil: not named"

# run stops before measuring: no cells, and it says how to go on
if "$FTMATRIX" run "$t/ft.yaml" -o "$t/run" >"$t/run.out" 2>"$t/run.err"; then
	fail "run measured a mismatched interpreter"
fi
grep -q "want-ft cannot be provisioned: stopping before anything is measured (--keep-going" "$t/run.err" ||
	{ cat "$t/run.err"; fail "run does not say it stopped"; }
if [ -f "$t/run/results.json" ]; then
	check_json "$t/run/results.json" '(.cells | length) == 0'
fi
echo ok
