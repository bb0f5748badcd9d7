#!/bin/sh
# Makes a tiny tarball laid out like a CPython release, for testing the
# source provider without spending minutes compiling CPython:
#
#   fake-cpython.sh OUT.tar.gz NAME PYTHON [ok|configure-fails|make-fails]
#                   [PAD_KIB]
#
# NAME/configure records its arguments and writes a Makefile; "make"
# records the flags make ran with (to see -jN) and, when the environment
# says so, appends a line to $FAKE_BUILD_COUNTER (how many builds ran) and
# waits for the file $FAKE_BUILD_GATE (to hold a build open while another
# run contends for its lock); "make install" installs bin/python3, a
# script that runs PYTHON (a real interpreter built here, so identity and
# probe work), plus what configure and make recorded under
# share/fake-cpython. The failing modes fail in configure or in make after
# plenty of output, as real builds do. PAD_KIB adds that much random data,
# so downloads take more than one read.
set -eu
[ $# -ge 3 ] || { echo "usage: fake-cpython.sh OUT NAME PYTHON [MODE]" >&2; exit 2; }
out=$1 name=$2 python=$3 mode=${4:-ok} pad_kib=${5:-0}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
top=$work/$name
mkdir -p "$top/Include"
echo "/* not CPython: a test stand-in */" >"$top/Include/Python.h"
echo "$mode" >"$top/MODE"
[ "$pad_kib" -eq 0 ] ||
	head -c "$((pad_kib * 1024))" /dev/urandom >"$top/Lib-padding.bin"

cat >"$top/configure" <<'EOF'
#!/bin/sh
# Not CPython's configure: a stand-in for ftmatrix's tests.
prefix=/usr/local
for a in "$@"; do
	case $a in --prefix=*) prefix=${a#--prefix=} ;; esac
done
printf '%s\n' "$@" >config.args
echo "checking build system type... $(uname -m)-pc-linux-gnu"
echo "checking for --disable-gil... $(grep -qx -- --disable-gil config.args && echo yes || echo no)"
if [ "$(cat MODE)" = configure-fails ]; then
	echo "checking for the impossible... no"
	echo "configure: error: FAKE-CONFIGURE-FAILURE: this fake CPython cannot be configured"
	exit 1
fi
sed "s|@prefix@|$prefix|" Makefile.in >Makefile
echo "configure: creating Makefile"
EOF
chmod +x "$top/configure"

{
	echo "prefix = @prefix@"
	echo "python = $python"
	cat <<'EOF'

all:
	@echo "$(MAKEFLAGS)" >make.flags
	@i=1; while [ $$i -le 60 ]; do echo "gcc -c Modules/fake$$i.c"; i=$$((i + 1)); done
	@if [ "$$(cat MODE)" = make-fails ]; then \
		echo "Modules/fake61.c:1:1: error: FAKE-MAKE-FAILURE: this fake CPython does not build"; \
		exit 2; fi
	@if [ -n "$$FAKE_BUILD_COUNTER" ]; then echo built >>"$$FAKE_BUILD_COUNTER"; fi
	@if [ -n "$$FAKE_BUILD_GATE" ]; then \
		n=0; while [ ! -e "$$FAKE_BUILD_GATE" ] && [ $$n -lt 1200 ]; do \
			sleep 0.1; n=$$((n + 1)); done; fi

install:
	mkdir -p $(DESTDIR)$(prefix)/bin $(DESTDIR)$(prefix)/share/fake-cpython
	cp config.args make.flags $(DESTDIR)$(prefix)/share/fake-cpython/
	printf '#!/bin/sh\nexec %s "$$@"\n' '$(python)' >$(DESTDIR)$(prefix)/bin/python3
	chmod +x $(DESTDIR)$(prefix)/bin/python3
EOF
} >"$top/Makefile.in"

tar -czf "$out" -C "$work" "$name"
