# The uv provider against tests/stand-ins/uv (uv itself cannot be
# installed where these tests run; the stand-in honours the uv commands
# and JSON ftmatrix uses and serves the interpreters built here):
# installs into UV_PYTHON_INSTALL_DIR, identities, uv's output on a
# terminal only, and every failure an error before anything is measured.
. tests/e2e/lib.sh
. tests/lib/prov.sh

standin_setup
t=$FTMATRIX_TEST_TMP/110
mkdir -p "$t"
# uv's default install directory must stay untouched
XDG_DATA_HOME=$t/xdg-data
export XDG_DATA_HOME

matrix() { # FILE REQUEST...
	f=$1
	shift
	{
		echo "name: uv"
		echo "interpreters:"
		for r in "$@"; do
			printf '  - id: "%s"\n    provider: uv\n    request: "%s"\n' "$r" "$r"
		done
		printf 'workloads: [cpu_loop]\nengines: [threads]\nthreads: [1]\n'
	} >"$f"
}

# --- installs and identities
reqs="3.13 3.13t"
[ -z "$PY_312" ] || reqs="$reqs 3.12"
# shellcheck disable=SC2086
matrix "$t/ok.yaml" $reqs
"$FTMATRIX" interpreters "$t/ok.yaml" --json >"$t/ok.json" 2>"$t/ok.err" ||
	{ cat "$t/ok.err"; fail "uv interpreters"; }
j=$t/ok.json
gil_dir=$UV_PYTHON_INSTALL_DIR/cpython-3.13.15-linux-$(uname -m)-gnu
ft_dir=$UV_PYTHON_INSTALL_DIR/cpython-3.13.15+freethreaded-linux-$(uname -m)-gnu
[ -d "$gil_dir" ] && [ -d "$ft_dir" ] || fail "nothing installed in UV_PYTHON_INSTALL_DIR"
[ ! -e "$XDG_DATA_HOME/uv" ] || fail "uv's default directory was used"
check_json "$j" '.[0] | .available and .provider == "uv" and .request == "3.13"
	and .identity.version == "3.13.15" and .identity.gil_disabled_build == false
	and .python == "'"$gil_dir"'/bin/python3.13"'
check_json "$j" '.[1] | .available and .request == "3.13t"
	and .identity.gil_disabled_build == true and .identity.gil_enabled == false
	and .identity.abiflags == "t" and .python == "'"$ft_dir"'/bin/python3.13t"'
if [ -n "$PY_312" ]; then
	check_json "$j" '.[2] | .available and .identity.version == "3.12.1"'
fi
# without a terminal, uv's own output is kept back; ftmatrix says what uv gave
grep -q "ftmatrix: 3.13t: uv python install 3.13t" "$t/ok.err" || fail "install not announced"
grep -q "ftmatrix: 3.13t: uv gave cpython-3.13.15+freethreaded-linux-$(uname -m)-gnu" "$t/ok.err" ||
	fail "the uv key is not shown"
if grep -q "Installed Python" "$t/ok.err"; then
	fail "uv's output shown without a terminal"
fi
# again: already installed, same interpreters
"$FTMATRIX" interpreters "$t/ok.yaml" --json >"$t/again.json" 2>/dev/null || fail "second run"
[ "$(jq -c 'map(.python)' "$t/again.json")" = "$(jq -c 'map(.python)' "$j")" ] ||
	fail "a second run found other interpreters"

# on a terminal, uv's own output (its progress) is shown as it runs
UV_PYTHON_INSTALL_DIR=$t/tty-install on_tty "$t/tty.out" "$FTMATRIX" interpreters "$t/ok.yaml" ||
	{ cat "$t/tty.out"; fail "interpreters on a terminal"; }
grep -q "Installed Python 3.13.15 in" "$t/tty.out" || { cat "$t/tty.out"; fail "uv's output not shown on a terminal"; }

# --- uv missing
matrix "$t/one.yaml" 3.13
if PATH=$(path_without_uv) "$FTMATRIX" interpreters "$t/one.yaml" >/dev/null 2>"$t/nouv.err"; then
	fail "no uv, yet it worked"
fi
grep -Fq "3.13: uv is not on PATH; install it (curl -LsSf https://astral.sh/uv/install.sh | sh" "$t/nouv.err" ||
	{ cat "$t/nouv.err"; fail "uv missing: no way to get it"; }
grep -Fq 'or run `ftmatrix uv-bootstrap`' "$t/nouv.err" || fail "uv missing: no uv-bootstrap hint"
if FTMATRIX_UV=$t/nowhere/uv "$FTMATRIX" interpreters "$t/one.yaml" >/dev/null 2>"$t/nouv2.err"; then
	fail "FTMATRIX_UV to nothing, yet it worked"
fi
grep -Fq "FTMATRIX_UV=$t/nowhere/uv is not an executable" "$t/nouv2.err" || fail "bad FTMATRIX_UV not named"

# --- a request uv has no download for
matrix "$t/unknown.yaml" 3.99
if "$FTMATRIX" interpreters "$t/unknown.yaml" >/dev/null 2>"$t/unknown.err"; then
	fail "3.99 was provided"
fi
grep -Fq '3.99: uv has no download for request "3.99" (uv says: error: No download found for request: cpython-3.99-linux-' "$t/unknown.err" ||
	{ cat "$t/unknown.err"; fail "unknown request"; }
grep -Fq "uv python list --only-downloads" "$t/unknown.err" || fail "no hint at what uv offers"

# --- uv failing half-way through an install, from a mirror
mirror=http://127.0.0.1:9/python-build-standalone
if UV_PYTHON_INSTALL_DIR=$t/cut UV_STANDIN_MODE=fail-install UV_PYTHON_INSTALL_MIRROR=$mirror \
	"$FTMATRIX" interpreters "$t/one.yaml" >/dev/null 2>"$t/cut.err"; then
	fail "a failed install was used"
fi
grep -Fq "3.13: uv python install 3.13 failed (exit status 1); last lines of its output:" "$t/cut.err" ||
	{ cat "$t/cut.err"; fail "failed install"; }
grep -Fq "connection closed before message completed" "$t/cut.err" || fail "uv's reason not shown"
grep -Fq "Failed to download $mirror/" "$t/cut.err" || fail "the mirror was not used"
grep -Fq "3.13: uv downloads from UV_PYTHON_INSTALL_MIRROR=$mirror" "$t/cut.err" || fail "mirror not named"
[ -z "$(ls -A "$t/cut" 2>/dev/null | grep -v '^\.')" ] || fail "a half install was left behind"

# --- uv hands over a GIL build for 3.13t: refused, and run measures nothing
matrix "$t/t.yaml" 3.13t
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
