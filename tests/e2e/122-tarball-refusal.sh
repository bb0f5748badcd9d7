# A source tarball with a member that would land outside the directory it
# is unpacked into ("../", an absolute path, a symlink pointing out, a file
# written through such a symlink, a hard link out) is refused before
# anything is unpacked, naming the member.
. tests/e2e/lib.sh
. tests/lib/prov.sh

t=$FTMATRIX_TEST_TMP/122
mkdir -p "$t/outside"
FTMATRIX_CACHE=$t/cache
export FTMATRIX_CACHE

# Debian's python3 writes the hostile archives (tar itself will not)
"$SERVER_PYTHON" - "$t" <<'EOF'
import io, sys, tarfile
t = sys.argv[1]
top = "Python-3.13.15/"

def make(name, members):
    with tarfile.open("%s/%s.tar.gz" % (t, name), "w:gz") as tf:
        for kind, path, extra in [("dir", top, None),
                                  ("file", top + "configure", b"#!/bin/sh\n")] + members:
            info = tarfile.TarInfo(path)
            if kind == "dir":
                info.type = tarfile.DIRTYPE
                tf.addfile(info)
            elif kind == "file":
                info.size = len(extra)
                tf.addfile(info, io.BytesIO(extra))
            elif kind == "sym":
                info.type, info.linkname = tarfile.SYMTYPE, extra
                tf.addfile(info)
            elif kind == "hard":
                info.type, info.linkname = tarfile.LNKTYPE, extra
                tf.addfile(info)

make("dotdot", [("file", top + "../../outside/dotdot", b"x")])
make("absolute", [("file", t + "/outside/absolute", b"x")])
make("symlink-abs", [("sym", top + "Lib/etc", t + "/outside")])
make("symlink-up", [("sym", top + "Lib/up", "../../outside")])
make("through", [("sym", top + "Lib/in", "."),
                 ("file", top + "Lib/in/x", b"x")])
make("hardlink", [("hard", top + "Lib/h", "../outside/hard")])
EOF

refuse() { # NAME MEMBER-TEXT REASON (or NAME "" TEXT)
	printf 'name: bad\ninterpreters:\n  - id: "%s"\n    provider: source\n    source: "%s"\n' \
		"$1" "$t/$1.tar.gz" >"$t/$1.yaml"
	printf 'workloads: [cpu_loop]\nengines: [threads]\nthreads: [1]\n' >>"$t/$1.yaml"
	if "$FTMATRIX" interpreters "$t/$1.yaml" >/dev/null 2>"$t/$1.err"; then
		fail "$1: unpacked and used"
	fi
	if [ -n "$2" ]; then
		said="member $2 is $3"
	else
		said=$3
	fi
	grep -Fq "$t/$1.tar.gz: refused before unpacking anything: $said" "$t/$1.err" ||
		{ cat "$t/$1.err"; fail "$1: not refused as expected"; }
	if grep -q "ftmatrix: $1: configure" "$t/$1.err"; then fail "$1: configured"; fi
	[ -z "$(ls -A "$t/outside")" ] || { ls -la "$t/outside"; fail "$1: wrote outside"; }
	# nothing of the attempt is left but the log and the lock
	[ -z "$(find "$FTMATRIX_CACHE/builds" -mindepth 1 -maxdepth 1 -not -name '*.log' -not -name '*.lock')" ] ||
		{ ls "$FTMATRIX_CACHE/builds"; fail "$1: left a build directory"; }
}

refuse dotdot '"Python-3.13.15/../../outside/dotdot"' 'a path with a ".." component'
refuse absolute "\"$t/outside/absolute\"" 'an absolute path'
refuse symlink-abs "\"Python-3.13.15/Lib/etc\" (-> \"$t/outside\")" 'a symlink to an absolute path'
refuse symlink-up '"Python-3.13.15/Lib/up" (-> "../../outside")' 'a symlink pointing outside the directory it is unpacked into'
refuse through '"Python-3.13.15/Lib/in/x"' "a path through one of the archive's symlinks"
# GNU tar lists hard link targets with "../" already removed, and says so
refuse hardlink "" "it has members or links leading outside the directory it is unpacked into (tar says: Removing leading \`../' from hard link targets)"
echo ok
