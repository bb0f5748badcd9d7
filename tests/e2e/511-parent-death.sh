# Children die with us: ftmatrix killed with SIGKILL (no handler runs)
# leaves neither the child it waits for nor what that child started. The
# child asks the kernel for SIGKILL when its parent dies (checking after
# fork that the parent is still there), and a guard process takes the
# child's process group along.
. tests/e2e/lib.sh

tmp=$FTMATRIX_TEST_TMP/511
marks=$tmp/marks
rm -rf "$tmp"
mkdir -p "$marks"

# alive PID: the process exists and is not a zombie
alive() {
	[ -e "/proc/$1" ] && ! grep -q '^[0-9]* (.*) Z ' "/proc/$1/stat" 2>/dev/null
}
# gone PID: waits up to 10 s for PID to end (a safety net, not a timing)
gone() {
	i=0
	while alive "$1" && [ "$i" -lt 100 ]; do
		i=$((i + 1))
		sleep 0.1
	done
	! alive "$1"
}
cleanup() {
	for f in "$marks"/*; do
		[ -s "$f" ] && kill -9 "$(cat "$f")" 2>/dev/null || true
	done
}
trap cleanup EXIT

# an "interpreter" that starts a process of its own, then sleeps
cat >"$tmp/slow" <<SH
#!/bin/sh
sleep 3004 &
echo \$! >"$marks/grandchild.tmp"
mv "$marks/grandchild.tmp" "$marks/grandchild"
echo \$\$ >"$marks/child.tmp"
mv "$marks/child.tmp" "$marks/child"
exec sleep 3005
SH
chmod +x "$tmp/slow"
printf 'interpreters:\n  - {id: slow, provider: path, path: "%s"}\nworkloads: [cpu_loop]\n' "$tmp/slow" >"$tmp/m.yaml"

"$FTMATRIX" interpreters "$tmp/m.yaml" >"$tmp/out" 2>&1 &
pid=$!
i=0
while [ ! -e "$marks/child" ]; do
	i=$((i + 1))
	[ "$i" -le 600 ] || fail "the child did not start"
	sleep 0.1
done
kill -KILL "$pid"
wait "$pid" 2>/dev/null || true
child=$(cat "$marks/child")
grandchild=$(cat "$marks/grandchild")
gone "$child" || fail "the child $child outlived ftmatrix killed with SIGKILL"
gone "$grandchild" || fail "the child's own child $grandchild outlived ftmatrix killed with SIGKILL"
echo ok
