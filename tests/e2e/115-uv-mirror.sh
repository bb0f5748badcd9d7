# ftmatrix uv-mirror packs the interpreters built here (3.13.15 with and
# without the GIL, pyenv's 3.12.1 when present) as python-build-standalone
# install_only archives with
# uv's downloads JSON; the real uv (scripts/uv-pin) installs them from it,
# finds them and lists them as its own, and what it installed runs from
# where uv put it: nothing in the archives or the installations names the
# directory the interpreters were built in.
. tests/e2e/lib.sh
. tests/lib/prov.sh

real_uv_setup
t=$FTMATRIX_TEST_TMP/113
mkdir -p "$t"
arch=$(uname -m)
j=$UV_MIRROR_JSON
gil_prefix=$(py_field "$PY_GIL" 2)
ft_prefix=$(py_field "$PY_FT" 2)

# --- the mirror: names, layout and checksums as python-build-standalone's
keys='"cpython-3.13.15+freethreaded-linux-'"$arch"'-gnu", "cpython-3.13.15-linux-'"$arch"'-gnu"'
n=2
if [ -n "$PY_312" ]; then
	keys='"cpython-3.12.1-linux-'"$arch"'-gnu", '"$keys"
	n=3
fi
grep -Fq "$n interpreters packed" "$UV_MIRROR.err" || { cat "$UV_MIRROR.err"; fail "not packed"; }
check_json "$j" "keys == [$keys]"
check_json "$j" '.["cpython-3.13.15-linux-'"$arch"'-gnu"] | .name == "cpython" and .os == "linux"
	and .libc == "gnu" and .arch.family == "'"$arch"'" and .major == 3 and .minor == 13
	and .patch == 15 and .prerelease == "" and (.variant == null)
	and (.url | test("^https://github.com/astral-sh/python-build-standalone/releases/download/[0-9]{8}/cpython-3.13.15%2B[0-9]{8}-'"$arch"'-unknown-linux-gnu-install_only_stripped.tar.gz$"))'
check_json "$j" '.["cpython-3.13.15+freethreaded-linux-'"$arch"'-gnu"] | .variant == "freethreaded"
	and (.url | endswith("-'"$arch"'-unknown-linux-gnu-freethreaded-install_only_stripped.tar.gz"))'
for key in $(jq -r 'keys[]' "$j"); do
	url=$(jq -r --arg k "$key" '.[$k].url' "$j")
	file=$UV_MIRROR/$(echo "${url#https://github.com/astral-sh/python-build-standalone/releases/download/}" | sed 's/%2B/+/g')
	[ -f "$file" ] || fail "$key: no archive $file"
	[ "$(sha256sum "$file" | cut -d' ' -f1)" = "$(jq -r --arg k "$key" '.[$k].sha256' "$j")" ] ||
		fail "$key: the JSON's sha256 is not the archive's"
	tar -tzf "$file" >"$t/members"
	grep -qv '^python/' "$t/members" && fail "$key: members outside python/"
	grep -q '/__pycache__/' "$t/members" && fail "$key: bytecode caches packed"
	grep -q '^python/lib/python3.13t\{0,1\}/test/' "$t/members" && fail "$key: the test suite packed"
	mkdir -p "$t/unpacked/$key"
	tar -xzf "$file" -C "$t/unpacked/$key"
done
pyenv_prefix=$ft_prefix
[ -z "$PY_312" ] || pyenv_prefix=$(py_field "$PY_312" 2)
if grep -rlF -e "$gil_prefix" -e "$ft_prefix" -e "$pyenv_prefix" "$t/unpacked" >"$t/leaks"; then
	head "$t/leaks"
	fail "an archive names the build directory"
fi
ft_root=$t/unpacked/cpython-3.13.15+freethreaded-linux-$arch-gnu/python
readelf -d "$ft_root/bin/python3.13t" | grep -Fq 'Library runpath: [$ORIGIN/../lib]' ||
	fail "python3.13t's run path is not \$ORIGIN/../lib"
grep -q "'prefix': '/install'" "$ft_root/lib/python3.13t/_sysconfigdata_t_linux_$arch-linux-gnu.py" ||
	fail "sysconfig's prefix is not /install"
head -1 "$ft_root/bin/pip3" | grep -qx '#!/bin/sh' || fail "pip3 still runs a fixed interpreter"

# a matrix with nothing built from source: nothing to pack
if "$FTMATRIX" uv-mirror "$t/none" matrices/default.yaml >/dev/null 2>"$t/none.err"; then
	fail "packed a matrix without source builds"
fi
grep -Fq "no interpreter with provider source or pyenv: nothing to pack" "$t/none.err" || fail "empty matrix not said"
if "$FTMATRIX" uv-mirror "$t/x" >/dev/null 2>&1; then fail "uv-mirror without a matrix"; fi

# --- the real uv installs from it
"$REAL_UV" python install --no-bin 3.13 3.13t >"$t/install.out" 2>"$t/install.err" ||
	{ cat "$t/install.err"; fail "uv python install 3.13 3.13t"; }
grep -q "Installed 2 versions" "$t/install.err" || fail "uv did not install both"
for req in 3.13 3.13t; do
	"$REAL_UV" python find --managed-python --no-project "$req" >"$t/find.$req" ||
		fail "uv python find $req"
done
case $(cat "$t/find.3.13t") in
"$UV_PYTHON_INSTALL_DIR"/cpython-3.13*freethreaded*/bin/python3.13t) ;;
*) fail "uv python find 3.13t: $(cat "$t/find.3.13t")" ;;
esac
"$REAL_UV" python list --managed-python --only-installed --output-format json >"$t/list.json" ||
	fail "uv python list"
check_json "$t/list.json" '[.[] | select(.implementation == "cpython") | [.key, .variant]] | sort ==
	[["cpython-3.13.15+freethreaded-linux-'"$arch"'-gnu", "freethreaded"], ["cpython-3.13.15-linux-'"$arch"'-gnu", "default"]]'
[ -z "$(ls -A "$UV_PYTHON_BIN_DIR" 2>/dev/null)" ] || fail "--no-bin put executables in the bin directory"

# what uv installed runs from there, with sysconfig pointing there
ft=$(cat "$t/find.3.13t")
"$ft" -c 'import sys, sysconfig
v = sysconfig.get_config_vars()
print(sys._is_gil_enabled(), v["Py_GIL_DISABLED"], v["LIBDIR"], v["INCLUDEPY"], v["LDLIBRARY"], sys.prefix)' >"$t/ft.txt" ||
	fail "the installed 3.13t does not run"
read -r gil_on gil_disabled libdir includepy ldlibrary prefix <"$t/ft.txt"
[ "$gil_on" = False ] && [ "$gil_disabled" = 1 ] && [ "$ldlibrary" = libpython3.13t.so ] ||
	fail "3.13t: $(cat "$t/ft.txt")"
case $libdir:$includepy:$prefix in
"$UV_PYTHON_INSTALL_DIR"/*:"$UV_PYTHON_INSTALL_DIR"/*:"$UV_PYTHON_INSTALL_DIR"/*) ;;
*) fail "3.13t's sysconfig does not point into the uv installation: $(cat "$t/ft.txt")" ;;
esac
[ -f "$libdir/$ldlibrary" ] || fail "no $libdir/$ldlibrary"
"$(dirname "$ft")/pip3" --version >/dev/null || fail "pip3 does not run from the uv installation"
if [ -n "$PY_312" ]; then
	# pyenv's 3.12.1, relocated: its version (a string the linker may
	# share with the end of its prefix) intact
	"$REAL_UV" python install --no-bin 3.12 2>"$t/312.err" || { cat "$t/312.err"; fail "uv python install 3.12"; }
	"$("$REAL_UV" python find --managed-python --no-project 3.12)" -c 'import sys, ssl; print(sys.version)' >"$t/312.out" ||
		fail "the installed 3.12 does not run"
	grep -q '^3\.12\.1 ' "$t/312.out" || fail "3.12's sys.version: $(cat "$t/312.out")"
fi
if grep -rlF -e "$gil_prefix" -e "$ft_prefix" -e "$pyenv_prefix" "$UV_PYTHON_INSTALL_DIR" >"$t/leaks2"; then
	head "$t/leaks2"
	fail "an installation names the build directory"
fi
# not in the mirror: uv's own error
if "$REAL_UV" python install --no-bin 3.14 2>"$t/314.err"; then fail "3.14 installed from the mirror"; fi
grep -Fq "No download found for request: cpython-3.14-linux-$arch-gnu" "$t/314.err" ||
	{ cat "$t/314.err"; fail "uv's error for 3.14"; }
echo ok
