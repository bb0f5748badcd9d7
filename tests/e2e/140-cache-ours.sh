# The cache holds programs ftmatrix runs (uv, probes, builds): it is ours
# alone. No shared /tmp fallback when $HOME is unset, new directories are
# 0700, a cache others own or can write to is refused with the reason, and
# a lock file is never opened through a symlink.
. tests/e2e/lib.sh

t=$FTMATRIX_TEST_TMP/140
rm -rf "$t"
mkdir -p "$t"
printf 'interpreters:\n  - {id: a, provider: uv, request: "3.13"}\nworkloads: [cpu_loop]\n' >"$t/m.yaml"

# refused CACHE-ENV... -- MESSAGE: interpreters fails with MESSAGE, before
# looking for uv
refused() {
	msg=$1
	shift
	rc=0
	env "$@" PATH=/usr/bin:/bin "$FTMATRIX" interpreters "$t/m.yaml" >"$t/out" 2>"$t/err" || rc=$?
	[ "$rc" -eq 1 ] || { cat "$t/err"; fail "$*: exit status $rc, expected 1"; }
	grep -Fq -- "$msg" "$t/err" || { cat "$t/err"; fail "$*: no \"$msg\""; }
	if grep -q "uv is not on PATH" "$t/err"; then fail "$*: went on with a refused cache"; fi
}

# no $HOME: no cache in /tmp, and the way out named
before=$(ls -d /tmp/ftmatrix-cache 2>/dev/null || true)
refused 'no cache directory: $HOME is not set; set FTMATRIX_CACHE (or HOME) to a directory of your own' \
	-u HOME -u XDG_CACHE_HOME -u FTMATRIX_CACHE
rc=0
env -u HOME -u XDG_CACHE_HOME -u FTMATRIX_CACHE "$FTMATRIX" doctor >"$t/out" 2>"$t/err" || rc=$?
[ "$rc" -ne 0 ] || fail "doctor without HOME passed"
grep -Fq 'set FTMATRIX_CACHE (or HOME)' "$t/err" || { cat "$t/err"; fail "doctor without HOME: no way out"; }
[ -n "$before" ] || [ ! -e /tmp/ftmatrix-cache ] || fail "/tmp/ftmatrix-cache was made"

# a new cache and the parents it needs are 0700
env FTMATRIX_CACHE="$t/new/a/b" PATH=/usr/bin:/bin "$FTMATRIX" interpreters "$t/m.yaml" >"$t/out" 2>"$t/err" || true
grep -q "uv is not on PATH" "$t/err" || { cat "$t/err"; fail "a new cache was refused"; }
for d in "$t/new" "$t/new/a" "$t/new/a/b"; do
	[ "$(stat -c %a "$d")" = 700 ] || fail "$d: mode $(stat -c %a "$d"), expected 700"
done

# writable by others, as /tmp is; owned by someone else
mkdir -m 777 "$t/open"
refused "cannot use $t/open for the cache: other users can write to it (mode 0777)" FTMATRIX_CACHE="$t/open"
mkdir -m 770 "$t/group"
refused "cannot use $t/group for the cache: other users can write to it (mode 0770)" FTMATRIX_CACHE="$t/group"
refused "cannot use $t/open for the cache" FTMATRIX_CACHE="$t/open/sub"
[ ! -e "$t/open/sub" ] || fail "a cache was made inside a refused directory"
if [ "$(id -u)" -eq 0 ]; then
	mkdir -m 755 "$t/theirs"
	chown 65534 "$t/theirs"
	refused "cannot use $t/theirs for the cache: it is owned by uid 65534, not you (uid 0)" \
		FTMATRIX_CACHE="$t/theirs"
fi

# a lock file planted as a symlink is not followed
mkdir -p "$t/out-dir"
ln -s "$t/victim" "$t/out-dir/.ftmatrix.lock"
rc=0
"$FTMATRIX" run matrices/quick.yaml -o "$t/out-dir" >"$t/out" 2>"$t/err" || rc=$?
[ "$rc" -eq 1 ] || { cat "$t/err"; fail "run with a symlinked lock: exit status $rc"; }
grep -Fq "$t/out-dir/.ftmatrix.lock: the lock file is a symlink; remove it" "$t/err" ||
	{ cat "$t/err"; fail "the symlinked lock not said"; }
[ ! -e "$t/victim" ] || fail "the lock was created through the symlink"
echo ok
