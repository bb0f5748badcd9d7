# ftmatrix interpreters: the identity table and --json for path, variant
# and pyenv entries, an optional interpreter that is missing, a required
# one that is, and a relocated build whose sysconfig names directories
# that do not exist.
. tests/e2e/lib.sh
. tests/lib/prov.sh

local_pythons
t=$FTMATRIX_TEST_TMP/100
mkdir -p "$t"
gil=$(py_field "$PY_GIL" 1)
ft=$(py_field "$PY_FT" 1)

cat >"$t/m.yaml" <<EOF
name: identities
interpreters:
  - id: "gil"
    provider: path
    path: "$gil"
  - id: "ft"
    provider: path
    path: "$ft"
    free_threaded: true
  - id: "ft-gil"
    provider: variant
    variant_of: "ft"
    env: {PYTHON_GIL: "1"}
  - id: "gone"
    provider: pyenv
    version: "3.99.0"
    optional: true
workloads: [cpu_loop]
engines: [threads]
threads: [1]
EOF

"$FTMATRIX" interpreters "$t/m.yaml" >"$t/out" 2>"$t/err" ||
	{ cat "$t/err"; fail "interpreters exited $? with only an optional one missing"; }
cat "$t/out"
grep -Eq '^id +version +ft-build +gil +abi +provider +request +executable$' "$t/out" ||
	fail "no table header"
grep -Eq "^gil +3\.13\.15 +no +on +- +path +$gil +$gil$" "$t/out" || fail "gil row"
grep -Eq "^ft +3\.13\.15 +yes +off +t +path +$ft +$ft$" "$t/out" || fail "ft row"
grep -Eq "^ft-gil +3\.13\.15 +yes +on +t +variant +ft +$ft$" "$t/out" || fail "variant row"
grep -Eq '^gone +- +- +- +- +pyenv +3\.99\.0 +\(unavailable\)$' "$t/out" || fail "missing row"
# the details hold what the table has no room for
grep -Eq '^ft \(3\.13\.15t\)$' "$t/out" || fail "ft details"
grep -Eq '^  libpython +/.*/libpython3\.13t\.so' "$t/out" || fail "libpython"
grep -Eq "^  configure +.*'--disable-gil'" "$t/out" || fail "configure args"
grep -Eq '^  compiler +GCC ' "$t/out" || fail "compiler"
grep -Eq '^  environment +PYTHON_GIL=1$' "$t/out" || fail "variant env"
grep -Eq '^gone: unavailable \(optional\)$' "$t/out" || fail "optional block"
grep -q "pyenv has no 3.99.0" "$t/out" || fail "why gone is gone"
grep -q "gone: skipped (optional interpreter)" "$t/err" || fail "skip warning"

"$FTMATRIX" interpreters "$t/m.yaml" --json >"$t/json" 2>/dev/null || fail "--json"
j=$t/json
check_json "$j" 'length == 4 and (map(.id) == ["gil", "ft", "ft-gil", "gone"])'
check_json "$j" '.[0] | .available and .provider == "path" and .request == "'"$gil"'"'
check_json "$j" '.[0].identity | .version == "3.13.15" and .implementation == "cpython"
	and .gil_disabled_build == false and .gil_enabled == true and .abiflags == ""
	and (.compiler | startswith("GCC")) and .executable == "'"$gil"'"
	and (.config_args | test("--enable-shared")) and .relocated == false'
check_json "$j" '.[1].identity | .gil_disabled_build == true and .gil_enabled == false
	and .abiflags == "t" and (.libpython | endswith("libpython3.13t.so"))'
check_json "$j" '.[2] | .provider == "variant" and .request == "ft" and .env == {"PYTHON_GIL": "1"}
	and .identity.gil_disabled_build == true and .identity.gil_enabled == true'
check_json "$j" '.[3] | .available == false and .optional and (.error | test("pyenv has no 3.99.0"))'
for lib in $(jq -r '.[0:3][].identity.libpython' "$j"); do
	[ -f "$lib" ] || fail "libpython $lib does not exist"
done
for p in $(jq -r '.[0:3][].probe' "$j"); do
	[ -x "$p" ] || fail "probe $p was not built"
done

# a required interpreter that is missing: the table still shows all, exit 1
sed 's/    optional: true//' "$t/m.yaml" >"$t/required.yaml"
if "$FTMATRIX" interpreters "$t/required.yaml" >"$t/out2" 2>"$t/err2"; then
	fail "a missing required interpreter exited 0"
fi
grep -Eq '^gil +3\.13\.15' "$t/out2" || fail "the others are not shown"
grep -Eq '^gone: unavailable$' "$t/out2" || fail "required block"

# a relocated build: its sysconfig data names /install (as
# python-build-standalone's do), yet the probe builds from the prefix it
# runs from
prefix=$(py_field "$PY_GIL" 2)
data=$(ls "$prefix"/lib/python3.13/_sysconfigdata_*.py | head -1)
mkdir -p "$t/reloc"
sed "s|$prefix|/install|g" "$data" >"$t/reloc/_sysconfigdata_reloc.py"
cat >"$t/reloc.yaml" <<EOF
name: relocated
interpreters:
  - id: "moved"
    provider: path
    path: "$gil"
    env: {_PYTHON_SYSCONFIGDATA_NAME: "_sysconfigdata_reloc", PYTHONPATH: "$t/reloc"}
workloads: [cpu_loop]
engines: [threads]
threads: [1]
EOF
FTMATRIX_CACHE=$t/cache "$FTMATRIX" interpreters "$t/reloc.yaml" --json >"$t/reloc.json" 2>"$t/reloc.err" ||
	{ cat "$t/reloc.err"; fail "the relocated build cannot be provisioned"; }
check_json "$t/reloc.json" '.[0] | .available and .identity.relocated == true
	and (.identity.config_args | test("--prefix=/install"))
	and .identity.includepy == "'"$prefix"'/include/python3.13"
	and .identity.libdir == "'"$prefix"'/lib"'
echo ok
