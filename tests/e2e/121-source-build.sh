# The source provider's build: configure flags from the matrix, parallel
# make, the build log kept and its tail shown on failure, a cache keyed by
# fingerprint, --rebuild, and a lock so two runs do not build the same
# thing. The tarballs are tiny fake CPythons (tests/lib/fake-cpython.sh)
# whose configure and Makefile record how they were run and install a
# python3 that runs a real interpreter built here.
. tests/e2e/lib.sh
. tests/lib/prov.sh

local_pythons
t=$FTMATRIX_TEST_TMP/121
mkdir -p "$t"
FTMATRIX_CACHE=$t/cache
export FTMATRIX_CACHE
ncpu=$(getconf _NPROCESSORS_ONLN)
fake_cpython "$t/gil.tar.gz" Python-3.13.15 "$(py_field "$PY_GIL" 1)"
fake_cpython "$t/ft.tar.gz" Python-3.13.15 "$(py_field "$PY_FT" 1)"
fake_cpython "$t/noconf.tar.gz" Python-3.13.15 "$(py_field "$PY_GIL" 1)" configure-fails
fake_cpython "$t/nomake.tar.gz" Python-3.13.15 "$(py_field "$PY_GIL" 1)" make-fails

cat >"$t/m.yaml" <<EOF
name: build
interpreters:
  - id: "plain"
    provider: source
    source: "$t/gil.tar.gz"
  - id: "tuned"
    provider: source
    source: "$t/ft.tar.gz"
    free_threaded: true
    optimizations: true
    lto: true
    jit: true
    configure: ["--with-pydebug", "CFLAGS=-O1 -g"]
workloads: [cpu_loop]
engines: [threads]
threads: [1]
EOF
FAKE_BUILD_COUNTER=$t/builds "$FTMATRIX" interpreters "$t/m.yaml" --json >"$t/m.json" 2>"$t/m.err" ||
	{ cat "$t/m.err"; fail "source builds"; }
check_json "$t/m.json" 'all(.[]; .available)'
plain=$(jq -r '.[0].python' "$t/m.json")
plain=${plain%/bin/python3}
tuned=$(jq -r '.[1].python' "$t/m.json")
tuned=${tuned%/bin/python3}
case $plain in "$FTMATRIX_CACHE"/builds/????????????????) ;; *) fail "plain built into $plain" ;; esac
[ "$plain" != "$tuned" ] || fail "different flags, same cache entry"
check_json "$t/m.json" '.[1].identity.gil_disabled_build == true'

# configure got the matrix's flags, and nothing else changed them
printf '%s\n' "--prefix=$plain" --enable-shared "LDFLAGS=-Wl,-rpath,$plain/lib" >"$t/want-plain"
diff "$t/want-plain" "$plain/share/fake-cpython/config.args" || fail "plain configure flags"
printf '%s\n' "--prefix=$tuned" --enable-shared --disable-gil --enable-optimizations \
	--with-lto --enable-experimental-jit --with-pydebug "CFLAGS=-O1 -g" \
	"LDFLAGS=-Wl,-rpath,$tuned/lib" >"$t/want-tuned"
diff "$t/want-tuned" "$tuned/share/fake-cpython/config.args" || fail "tuned configure flags"
# make ran with one job per CPU
grep -Eq "(^| )-j$ncpu( |$)" "$plain/share/fake-cpython/make.flags" || fail "make was not run with -j$ncpu"
# the steps were said, and the whole build log kept
for step in "unpacking $t/gil.tar.gz" configure "make -j$ncpu" "make install"; do
	grep -Fq "ftmatrix: plain: $step" "$t/m.err" || fail "step not said: $step"
done
grep -q "configure: creating Makefile" "$plain.log" || fail "no configure output in the log"
grep -q "gcc -c Modules/fake1.c" "$plain.log" || fail "no make output in the log"
[ "$(wc -l <"$t/builds")" -eq 2 ] || fail "not two builds"

# cached: nothing is built again
FAKE_BUILD_COUNTER=$t/builds "$FTMATRIX" interpreters "$t/m.yaml" >/dev/null 2>"$t/again.err" || fail "second run"
[ "$(wc -l <"$t/builds")" -eq 2 ] || fail "rebuilt without --rebuild"
if grep -q "building CPython" "$t/again.err"; then fail "said it builds again"; fi

# --rebuild builds again into the same place; a dead build's scratch
# directory is cleaned up
mkdir -p "$plain.tmp.99999/src"
FAKE_BUILD_COUNTER=$t/builds "$FTMATRIX" interpreters --rebuild "$t/m.yaml" --json >"$t/re.json" 2>"$t/re.err" ||
	{ cat "$t/re.err"; fail "--rebuild"; }
[ "$(wc -l <"$t/builds")" -eq 4 ] || fail "--rebuild did not rebuild both"
grep -Fq "ftmatrix: plain: --rebuild: removing $plain" "$t/re.err" || fail "--rebuild not said"
[ "$(jq -r '.[0].python' "$t/re.json")" = "$plain/bin/python3" ] || fail "rebuilt elsewhere"
[ ! -e "$plain.tmp.99999" ] || fail "a dead build's scratch directory was left"

# a configure that fails: its error is shown from the log, which is kept,
# and nothing lands in the cache
fails() { # ID TARBALL
	printf 'name: fails\ninterpreters:\n  - id: "%s"\n    provider: source\n    source: "%s"\n' "$1" "$2"
	printf 'workloads: [cpu_loop]\nengines: [threads]\nthreads: [1]\n'
}
fails noconf "$t/noconf.tar.gz" >"$t/noconf.yaml"
if "$FTMATRIX" interpreters "$t/noconf.yaml" >/dev/null 2>"$t/noconf.err"; then
	fail "a failed configure was provided"
fi
log=$(sed -n 's/.*configure failed (exit status 1); the whole log is \(.*\); its last lines:$/\1/p' "$t/noconf.err")
[ -n "$log" ] && [ -f "$log" ] || { cat "$t/noconf.err"; fail "no log named, or not kept"; }
grep -Fq "configure: error: FAKE-CONFIGURE-FAILURE: this fake CPython cannot be configured" "$t/noconf.err" ||
	fail "configure's error not shown"
[ ! -e "${log%.log}" ] || fail "a failed build is in the cache"

# a tarball on disk that is not the one the matrix pins
fails pinned "$t/gil.tar.gz" >"$t/pinned.yaml"
printf '    sha256: "%s"\n' "$(printf '1%.0s' $(seq 64))" >"$t/pin"
sed -i "/source: /r $t/pin" "$t/pinned.yaml"
if "$FTMATRIX" interpreters "$t/pinned.yaml" >/dev/null 2>"$t/pinned.err"; then
	fail "a tarball with another sha256 was built"
fi
grep -Fq "pinned: $t/gil.tar.gz has sha256 $(sha256sum "$t/gil.tar.gz" | cut -d' ' -f1), the matrix expects 1111" "$t/pinned.err" ||
	{ cat "$t/pinned.err"; fail "pinned sha256 mismatch not said"; }

# make failing after much output: the tail is shown, the whole log kept
fails nomake "$t/nomake.tar.gz" >"$t/nomake.yaml"
if "$FTMATRIX" interpreters "$t/nomake.yaml" >/dev/null 2>"$t/nomake.err"; then
	fail "a failed make was provided"
fi
grep -Fq "nomake: make -j$ncpu failed (exit status 2)" "$t/nomake.err" || { cat "$t/nomake.err"; fail "make failure"; }
grep -Fq "FAKE-MAKE-FAILURE: this fake CPython does not build" "$t/nomake.err" || fail "make's error not shown"
grep -Fq "gcc -c Modules/fake60.c" "$t/nomake.err" || fail "the lines before it not shown"
if grep -Fq "gcc -c Modules/fake1.c" "$t/nomake.err"; then fail "the whole log shown, not its tail"; fi
log=$(sed -n 's/.*failed (exit status 2); the whole log is \(.*\); its last lines:$/\1/p' "$t/nomake.err")
grep -Fq "gcc -c Modules/fake1.c" "$log" || fail "the log does not hold everything"

# two runs at once build one interpreter once: the second waits for the
# first's lock, then uses what it built
fake_cpython "$t/lock.tar.gz" Python-3.13.15 "$(py_field "$PY_GIL" 1)"
fails locked "$t/lock.tar.gz" >"$t/lock.yaml"
FAKE_BUILD_COUNTER=$t/lock-builds FAKE_BUILD_GATE=$t/gate \
	"$FTMATRIX" interpreters "$t/lock.yaml" --json >"$t/a.json" 2>"$t/a.err" &
a=$!
wait_for_file "$t/lock-builds" # the first is in make, holding the lock
FAKE_BUILD_COUNTER=$t/lock-builds FAKE_BUILD_GATE=$t/gate \
	"$FTMATRIX" interpreters "$t/lock.yaml" --json >"$t/b.json" 2>"$t/b.err" &
b=$!
wait_for_line "$t/b.err" "locked: waiting for another ftmatrix that is building the same interpreter"
touch "$t/gate"
wait "$a" || { cat "$t/a.err"; fail "the first run failed"; }
wait "$b" || { cat "$t/b.err"; fail "the waiting run failed"; }
[ "$(wc -l <"$t/lock-builds")" -eq 1 ] || fail "built twice"
[ "$(jq -r '.[0].python' "$t/a.json")" = "$(jq -r '.[0].python' "$t/b.json")" ] || fail "two different builds"
if grep -q "building CPython" "$t/b.err"; then fail "the waiting run built too"; fi
echo ok
