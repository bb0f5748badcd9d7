# The uv provider against the real uv (pinned in scripts/uv-pin, installed
# by `make deps`), which installs from the offline mirror of the
# interpreters built here (`ftmatrix uv-mirror`): installs into
# UV_PYTHON_INSTALL_DIR, identities and what uv says it installed, uv's
# output on a terminal only, and every failure an error before anything is
# measured. The one failure the real uv cannot be made to produce here, uv
# handing over a GIL build for 3.13t, is in 114-uv-standin.sh.
. tests/e2e/lib.sh
. tests/lib/prov.sh

real_uv_setup
t=$FTMATRIX_TEST_TMP/110
mkdir -p "$t"
arch=$(uname -m)
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
		printf 'repetitions: 1\nsamples: 1\niterations: 1000\n'
	} >"$f"
}

# --- installs and identities
matrix "$t/ok.yaml" 3.13 3.13t
"$FTMATRIX" interpreters "$t/ok.yaml" --json >"$t/ok.json" 2>"$t/ok.err" ||
	{ cat "$t/ok.err"; fail "uv interpreters"; }
j=$t/ok.json
gil_dir=$UV_PYTHON_INSTALL_DIR/cpython-3.13.15-linux-$arch-gnu
ft_dir=$UV_PYTHON_INSTALL_DIR/cpython-3.13.15+freethreaded-linux-$arch-gnu
[ -d "$gil_dir" ] && [ -d "$ft_dir" ] || fail "nothing installed in UV_PYTHON_INSTALL_DIR"
[ ! -e "$XDG_DATA_HOME/uv" ] || fail "uv's default directory was used"
[ -z "$(ls -A "$UV_PYTHON_BIN_DIR" 2>/dev/null)" ] || fail "uv put executables in its bin directory"
mirror="mirror file://$UV_MIRROR, downloads JSON file://$UV_MIRROR_JSON"
check_json "$j" '.[0] | .available and .provider == "uv" and .request == "3.13"
	and .identity.version == "3.13.15" and .identity.gil_disabled_build == false
	and (.python | startswith("'"$UV_PYTHON_INSTALL_DIR"'/cpython-3.13")) and (.python | endswith("/bin/python3.13"))
	and .identity.libpython == "'"$gil_dir"'/lib/libpython3.13.so"
	and .origin == "uv cpython-3.13.15-linux-'"$arch"'-gnu (variant default), '"$mirror"'"'
check_json "$j" '.[1] | .available and .request == "3.13t"
	and .identity.gil_disabled_build == true and .identity.gil_enabled == false
	and .identity.abiflags == "t" and (.python | endswith("/bin/python3.13t"))
	and .identity.libpython == "'"$ft_dir"'/lib/libpython3.13t.so"
	and (.identity.includepy | startswith("'"$ft_dir"'/include/"))
	and .origin == "uv cpython-3.13.15+freethreaded-linux-'"$arch"'-gnu (variant freethreaded), '"$mirror"'"'
# the probe was built against the relocated installation, and runs
ldd "$(jq -r '.[1].probe' "$j")" | grep -Fq "$ft_dir/lib/libpython3.13t.so" ||
	fail "the 3.13t probe is not linked against uv's installation"
# without a terminal, uv's own output is kept back; ftmatrix says what uv gave
grep -q "ftmatrix: 3.13t: uv python install 3.13t" "$t/ok.err" || fail "install not announced"
grep -q "ftmatrix: 3.13t: uv gave cpython-3.13.15+freethreaded-linux-$arch-gnu" "$t/ok.err" ||
	fail "the uv key is not shown"
if grep -q "Installed Python" "$t/ok.err"; then
	fail "uv's output shown without a terminal"
fi
"$FTMATRIX" interpreters "$t/ok.yaml" >"$t/ok.table" 2>/dev/null || fail "interpreters table"
grep -Fq "  from             uv cpython-3.13.15+freethreaded-linux-$arch-gnu (variant freethreaded), $mirror" "$t/ok.table" ||
	{ cat "$t/ok.table"; fail "the table does not say where 3.13t came from"; }
# again: already installed, same interpreters
"$FTMATRIX" interpreters "$t/ok.yaml" --json >"$t/again.json" 2>/dev/null || fail "second run"
[ "$(jq -c 'map(.python)' "$t/again.json")" = "$(jq -c 'map(.python)' "$j")" ] ||
	fail "a second run found other interpreters"

# on a terminal, uv's own output (its progress) is shown as it runs
UV_PYTHON_INSTALL_DIR=$t/tty-install on_tty "$t/tty.out" "$FTMATRIX" interpreters "$t/ok.yaml" ||
	{ cat "$t/tty.out"; fail "interpreters on a terminal"; }
# (uv styles it: the escape sequences go before looking)
sed 's/\x1b\[[0-9;]*[A-Za-z]//g' "$t/tty.out" | grep -q "Installed Python 3.13.15 in" ||
	{ cat "$t/tty.out"; fail "uv's output not shown on a terminal"; }

# --- uv missing (nor in an empty cache)
matrix "$t/one.yaml" 3.13
if env -u FTMATRIX_UV FTMATRIX_CACHE="$t/empty-cache" PATH="$(path_without_uv)" \
	"$FTMATRIX" interpreters "$t/one.yaml" >/dev/null 2>"$t/nouv.err"; then
	fail "no uv, yet it worked"
fi
grep -Fq "3.13: uv is not on PATH; install it (curl -LsSf https://astral.sh/uv/install.sh | sh" "$t/nouv.err" ||
	{ cat "$t/nouv.err"; fail "uv missing: no way to get it"; }
grep -Fq 'or run `ftmatrix uv-bootstrap` (the pinned uv from PyPI)' "$t/nouv.err" || fail "uv missing: no uv-bootstrap hint"
if FTMATRIX_UV=$t/nowhere/uv "$FTMATRIX" interpreters "$t/one.yaml" >/dev/null 2>"$t/nouv2.err"; then
	fail "FTMATRIX_UV to nothing, yet it worked"
fi
grep -Fq "FTMATRIX_UV=$t/nowhere/uv is not an executable" "$t/nouv2.err" || fail "bad FTMATRIX_UV not named"
# no FTMATRIX_UV, no uv on PATH: the pinned uv in the cache's tools directory
v=$(sed -n 's/^version //p' scripts/uv-pin)
mkdir -p "$t/cache/tools/uv-$v"
ln -s "$REAL_UV" "$t/cache/tools/uv-$v/uv"
env -u FTMATRIX_UV FTMATRIX_CACHE="$t/cache" PATH="$(path_without_uv)" \
	"$FTMATRIX" interpreters "$t/one.yaml" --json >"$t/tools.json" 2>"$t/tools.err" ||
	{ cat "$t/tools.err"; fail "the cache's pinned uv is not used"; }

# --- requests the mirror has no download for: uv's own words
matrix "$t/unknown.yaml" 3.99 3.11
if "$FTMATRIX" interpreters "$t/unknown.yaml" >/dev/null 2>"$t/unknown.err"; then
	fail "3.99 was provided"
fi
for r in 3.99 3.11; do
	grep -Fq "$r: uv has no download for request \"$r\" (uv says: error: No download found for request: cpython-$r-linux-$arch-gnu); uv offers what UV_PYTHON_DOWNLOADS_JSON_URL=file://$UV_MIRROR_JSON lists" "$t/unknown.err" ||
		{ cat "$t/unknown.err"; fail "no download for $r"; }
done

# --- a mirror whose archive is not what its JSON says: uv refuses it
mkdir -p "$t/bad-mirror"
jq '.[].sha256 = "'"$(printf '0%.0s' $(seq 64))"'"' "$UV_MIRROR_JSON" >"$t/bad-mirror/d.json"
if UV_PYTHON_INSTALL_DIR=$t/bad UV_PYTHON_DOWNLOADS_JSON_URL=file://$t/bad-mirror/d.json \
	"$FTMATRIX" interpreters "$t/one.yaml" >/dev/null 2>"$t/bad.err"; then
	fail "an archive with the wrong sha256 was used"
fi
grep -Fq "3.13: uv python install 3.13 failed (exit status" "$t/bad.err" || { cat "$t/bad.err"; fail "failed install"; }
grep -Fq "Hash mismatch for \`cpython-3.13.15-linux-$arch-gnu\`" "$t/bad.err" || fail "uv's reason not shown"
grep -Fq "3.13: uv downloads from UV_PYTHON_INSTALL_MIRROR=file://$UV_MIRROR" "$t/bad.err" || fail "mirror not named"
[ -z "$(ls -A "$t/bad" 2>/dev/null | grep -v '^\.')" ] || fail "a half install was left behind"

# --- a mirror that labels a GIL build free-threaded (its layout made to
# fit): uv installs it, but its own check refuses it, and run measures
# nothing
mkdir -p "$t/liar/x" "$t/liar/m/b"
gil_url=$(jq -r '.["cpython-3.13.15-linux-'"$arch"'-gnu"].url' "$UV_MIRROR_JSON")
tar -xzf "$UV_MIRROR/$(echo "${gil_url#https://github.com/astral-sh/python-build-standalone/releases/download/}" | sed 's/%2B/+/g')" -C "$t/liar/x"
ln -s python3.13 "$t/liar/x/python/lib/python3.13t"
ln -s python3.13 "$t/liar/x/python/bin/python3.13t"
tar -czf "$t/liar/m/b/lie.tar.gz" -C "$t/liar/x" python
jq --arg sha "$(sha256sum "$t/liar/m/b/lie.tar.gz" | cut -d' ' -f1)" \
	'{"cpython-3.13.15+freethreaded-linux-'"$arch"'-gnu": (.["cpython-3.13.15+freethreaded-linux-'"$arch"'-gnu"]
	+ {sha256: $sha, url: "https://github.com/astral-sh/python-build-standalone/releases/download/b/lie.tar.gz"})}' \
	"$UV_MIRROR_JSON" >"$t/liar/m/d.json"
matrix "$t/t.yaml" 3.13t
liar() {
	UV_PYTHON_INSTALL_DIR=$t/liar/install UV_PYTHON_INSTALL_MIRROR=file://$t/liar/m \
		UV_PYTHON_DOWNLOADS_JSON_URL=file://$t/liar/m/d.json "$FTMATRIX" "$@"
}
if liar run "$t/t.yaml" -o "$t/liar-run" >/dev/null 2>"$t/liar.err"; then
	fail "run measured a GIL build labelled free-threaded"
fi
[ -d "$t/liar/install/cpython-3.13.15+freethreaded-linux-$arch-gnu" ] || fail "uv did not install the mislabelled build"
grep -Fq "3.13t: uv python find 3.13t failed" "$t/liar.err" || { cat "$t/liar.err"; fail "uv's refusal not shown"; }
grep -Fq "No interpreter found for Python 3.13+freethreaded" "$t/liar.err" || fail "uv's reason not shown"
grep -q "stopping before anything is measured" "$t/liar.err" || fail "run did not stop"
[ ! -f "$t/liar-run/results.json" ] || check_json "$t/liar-run/results.json" '(.cells | length) == 0'

# --- what uv resolved is not what the matrix means (a plain "3.13" with
# free_threaded: true): uv gives a GIL build, the identity check refuses
# it, and run measures nothing
{
	printf 'name: uv\ninterpreters:\n  - id: "ft"\n    provider: uv\n    request: "3.13"\n'
	printf '    free_threaded: true\nworkloads: [cpu_loop]\nengines: [threads]\nthreads: [1]\n'
} >"$t/mean.yaml"
if "$FTMATRIX" run "$t/mean.yaml" -o "$t/mean-run" >/dev/null 2>"$t/mean.err"; then
	fail "run measured a GIL build for a free-threaded entry"
fi
grep -Fq "ft: uv gave cpython-3.13.15-linux-$arch-gnu" "$t/mean.err" || { cat "$t/mean.err"; fail "uv's answer not shown"; }
grep -Fq "ft: asked for a free-threaded build, but $UV_PYTHON_INSTALL_DIR/cpython-3.13" "$t/mean.err" ||
	{ cat "$t/mean.err"; fail "the identity check did not refuse it"; }
grep -Fq "is a GIL build (Py_GIL_DISABLED=0)" "$t/mean.err" || fail "Py_GIL_DISABLED not named"
grep -q "stopping before anything is measured" "$t/mean.err" || fail "run did not stop"
[ ! -f "$t/mean-run/results.json" ] || check_json "$t/mean-run/results.json" '(.cells | length) == 0'
echo ok
