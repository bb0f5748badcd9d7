# Helpers for the provisioning tests (tests/e2e/1NN-*.sh), sourced after
# tests/e2e/lib.sh.

# Debian's own python3 runs the test HTTP server; it is not measured.
SERVER_PYTHON=${SERVER_PYTHON:-/usr/bin/python3}
STANDIN_DIR=$FTMATRIX_ROOT/tests/stand-ins

# Waits until a file exists, for at most a minute (a safety net against a
# hung test, not a timing assertion).
wait_for_file() {
	n=0
	while [ ! -e "$1" ]; do
		n=$((n + 1))
		[ "$n" -le 600 ] || fail "waited a minute for $1"
		sleep 0.1
	done
}

# Waits until a file holds a line matching a pattern (grep -E).
wait_for_line() {
	n=0
	while ! grep -Eq "$2" "$1" 2>/dev/null; do
		n=$((n + 1))
		[ "$n" -le 600 ] || fail "waited a minute for \"$2\" in $1"
		sleep 0.1
	done
}

# Starts the test HTTP server on 127.0.0.1 serving a directory; sets
# HTTP_URL (no trailing slash), HTTP_LOG and HTTP_PID. Extra arguments go to
# the server (--cut-first N, --tls CERT KEY: then HTTP_URL is https).
http_start() {
	root=$1
	shift
	HTTP_LOG=$FTMATRIX_TEST_TMP/http.$$.$(date +%s%N).log
	portfile=$HTTP_LOG.port
	: >"$HTTP_LOG"
	"$SERVER_PYTHON" "$FTMATRIX_ROOT/tests/lib/http-server.py" "$root" \
		"$portfile" "$HTTP_LOG" "$@" &
	HTTP_PID=$!
	wait_for_file "$portfile"
	scheme=http
	case " $* " in *" --tls "*) scheme=https ;; esac
	HTTP_URL=$scheme://127.0.0.1:$(cat "$portfile")
}

http_stop() {
	[ -n "${HTTP_PID:-}" ] || return 0
	kill "$HTTP_PID" 2>/dev/null || true
	wait "$HTTP_PID" 2>/dev/null || true
	HTTP_PID=
}

# The interpreters built here: sets PY_GIL and PY_FT (3.13.15 with and
# without the GIL, from the source provider's cache) and PY_312 (pyenv's
# 3.12.1, empty when absent), each "EXECUTABLE PREFIX VERSION". Uses the
# real cache, whatever FTMATRIX_CACHE the test set.
local_pythons() {
	out=$FTMATRIX_TEST_TMP/local-pythons.json
	if [ ! -s "$out" ]; then
		env -u FTMATRIX_CACHE "$FTMATRIX" interpreters \
			tests/lib/local-pythons.yaml --json >"$out.tmp" \
			2>"$out.err" || { cat "$out.err" >&2; fail "no local interpreters"; }
		mv "$out.tmp" "$out"
	fi
	pick='.[] | select(.id == $id and .available) |
		"\(.identity.executable) \(.identity.prefix) \(.identity.version)"'
	PY_GIL=$(jq -r --arg id gil "$pick" "$out")
	PY_FT=$(jq -r --arg id ft "$pick" "$out")
	PY_312=$(jq -r --arg id pyenv-3.12 "$pick" "$out")
	[ -n "$PY_GIL" ] && [ -n "$PY_FT" ] || fail "3.13.15 builds missing"
}

# field N of "EXECUTABLE PREFIX VERSION"
py_field() {
	echo "$1" | cut -d' ' -f"$2"
}

# Puts the uv stand-in on PATH and lets it serve the local interpreters;
# installs go to a fresh UV_PYTHON_INSTALL_DIR.
standin_setup() {
	local_pythons
	UV_STANDIN_PYTHONS=$FTMATRIX_TEST_TMP/standin-pythons.$$
	{
		echo "$(py_field "$PY_GIL" 3) default $(py_field "$PY_GIL" 2)"
		echo "$(py_field "$PY_FT" 3) freethreaded $(py_field "$PY_FT" 2)"
		[ -z "$PY_312" ] ||
			echo "$(py_field "$PY_312" 3) default $(py_field "$PY_312" 2)"
	} >"$UV_STANDIN_PYTHONS"
	UV_PYTHON_INSTALL_DIR=$(mktemp -d "$FTMATRIX_TEST_TMP/uv-python.XXXXXX")
	PATH=$STANDIN_DIR:$PATH
	unset FTMATRIX_UV UV_STANDIN_MODE UV_PYTHON_INSTALL_MIRROR
	export UV_STANDIN_PYTHONS UV_PYTHON_INSTALL_DIR PATH
}

# A PATH without any uv on it (the stand-in's directory left out).
path_without_uv() {
	p=
	old_ifs=$IFS
	IFS=:
	for d in $PATH; do
		[ "$d" = "$STANDIN_DIR" ] && continue
		[ -x "$d/uv" ] && continue
		p=${p:+$p:}$d
	done
	IFS=$old_ifs
	echo "$p"
}

# Runs a command under a pseudo-terminal (script(1)), output to a file.
on_tty() {
	out=$1
	shift
	cmd=
	for a in "$@"; do
		cmd="$cmd '$(printf '%s' "$a" | sed "s/'/'\\\\''/g")'"
	done
	script -qec "$cmd" /dev/null >"$out" 2>&1
}

# A tiny stand-in for a CPython source tarball (see fake-cpython.sh).
fake_cpython() {
	sh "$FTMATRIX_ROOT/tests/lib/fake-cpython.sh" "$@"
}

# The real uv, pinned in scripts/uv-pin and installed by `make deps` into
# the real cache (whatever FTMATRIX_CACHE the test set); sets REAL_UV.
real_uv() {
	v=$(sed -n 's/^version //p' "$FTMATRIX_ROOT/scripts/uv-pin")
	c=${XDG_CACHE_HOME:-$HOME/.cache}/ftmatrix
	[ -z "${FTMATRIX_REAL_CACHE:-}" ] || c=$FTMATRIX_REAL_CACHE
	REAL_UV=$c/tools/uv-$v/uv
	[ -x "$REAL_UV" ] || fail "no uv $v at $REAL_UV: run make deps"
	"$REAL_UV" --version | grep -q "^uv $v " || fail "$REAL_UV is not uv $v"
}

# The offline mirror of the interpreters built here, packed once per test
# session by `ftmatrix uv-mirror` (3.13.15 with and without the GIL, and
# pyenv's 3.12.1 when present); sets UV_MIRROR (a directory) and
# UV_MIRROR_JSON (its downloads JSON).
uv_mirror() {
	UV_MIRROR=$FTMATRIX_TEST_TMP/uv-mirror
	UV_MIRROR_JSON=$UV_MIRROR/download-metadata.json
	if [ ! -s "$UV_MIRROR_JSON" ]; then
		env -u FTMATRIX_CACHE "$FTMATRIX" uv-mirror "$UV_MIRROR" \
			tests/lib/local-pythons.yaml >"$UV_MIRROR.out" 2>"$UV_MIRROR.err" ||
			{ cat "$UV_MIRROR.err" >&2; fail "ftmatrix uv-mirror"; }
	fi
}

# The real uv as FTMATRIX_UV, installing into a fresh UV_PYTHON_INSTALL_DIR,
# with its cache and bin directory private too.
real_uv_env() {
	real_uv
	UV_PYTHON_INSTALL_DIR=$(mktemp -d "$FTMATRIX_TEST_TMP/uv-python.XXXXXX")
	UV_CACHE_DIR=$FTMATRIX_TEST_TMP/uv-cache
	UV_PYTHON_BIN_DIR=$UV_PYTHON_INSTALL_DIR.bin
	UV_NO_CONFIG=1
	FTMATRIX_UV=$REAL_UV
	unset UV_STANDIN_MODE UV_STANDIN_PYTHONS UV_PYTHON_INSTALL_MIRROR \
		UV_PYTHON_DOWNLOADS_JSON_URL
	export UV_PYTHON_INSTALL_DIR UV_CACHE_DIR UV_PYTHON_BIN_DIR UV_NO_CONFIG \
		FTMATRIX_UV
}

# real_uv_env, installing from the mirror of the interpreters built here.
real_uv_setup() {
	local_pythons
	real_uv_env
	uv_mirror
	UV_PYTHON_INSTALL_MIRROR=file://$UV_MIRROR
	UV_PYTHON_DOWNLOADS_JSON_URL=file://$UV_MIRROR_JSON
	export UV_PYTHON_INSTALL_MIRROR UV_PYTHON_DOWNLOADS_JSON_URL
}
