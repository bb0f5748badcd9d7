# ftmatrix: `make` builds, `make demo` measures, `make check` tests.
PREFIX ?= /usr/local
DESTDIR ?=
DATADIR = $(PREFIX)/share/ftmatrix
CC ?= cc
PKGS = yaml-0.1 jansson libcurl

CFLAGS ?= -O2 -g
CFLAGS += -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -Wno-unused-parameter
# parallel.c: a comparison's files and rows on every CPU
CFLAGS += -pthread
LDFLAGS += -pthread
CPPFLAGS += -Iorchestrator -DFTMATRIX_DATADIR='"$(DATADIR)"'
# SANITIZE=1: ASan and UBSan, any report fatal (probes are not built here,
# so they stay plain: they load libpython, which is not instrumented).
ifeq ($(SANITIZE),1)
CFLAGS += -fsanitize=address,undefined -fno-sanitize-recover=all \
    -fno-omit-frame-pointer
LDFLAGS += -fsanitize=address,undefined
endif

# Goals that install or remove things must work before the libraries exist.
LIBLESS_GOALS = deps check demo bench crosscheck clean help fuzz
ifneq ($(filter-out $(LIBLESS_GOALS),$(or $(MAKECMDGOALS),all)),)
pkg_missing = $(shell for p in $(PKGS); do pkg-config --exists $$p || echo $$p; done)
ifneq ($(pkg_missing),)
$(error missing libraries: $(pkg_missing); run `make deps` (Debian packages libyaml-dev libjansson-dev libcurl4-openssl-dev))
endif
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS))
PKG_LIBS := $(shell pkg-config --libs $(PKGS))
endif

SRCS = $(wildcard orchestrator/*.c)
OBJS = $(SRCS:.c=.o)
LIB_OBJS = $(filter-out orchestrator/main.o,$(OBJS))
UNIT_SRCS = $(wildcard tests/unit/test-*.c)
UNIT_BINS = $(UNIT_SRCS:.c=)

all: ftmatrix

ftmatrix: $(OBJS)
	$(CC) $(LDFLAGS) -o $@ $(OBJS) $(PKG_LIBS) -lm

# Objects remember the flags they were built with, so switching SANITIZE
# (or CC, CFLAGS) rebuilds everything instead of mixing the two.
BUILD_FLAGS = $(CC) $(CPPFLAGS) $(CFLAGS) $(LDFLAGS)
.build-flags: FORCE
	@echo '$(BUILD_FLAGS)' | cmp -s - $@ || echo '$(BUILD_FLAGS)' >$@

orchestrator/%.o: orchestrator/%.c orchestrator/ftmatrix.h .build-flags
	$(CC) $(CPPFLAGS) $(CFLAGS) $(PKG_CFLAGS) -c -o $@ $<

orchestrator/matrix%.o: orchestrator/matrix%.c orchestrator/ftmatrix.h \
    orchestrator/matrix-tree.h .build-flags
	$(CC) $(CPPFLAGS) $(CFLAGS) $(PKG_CFLAGS) -c -o $@ $<

orchestrator/fetch.o orchestrator/publish.o: orchestrator/fetch.h

orchestrator/results%.o: orchestrator/results%.c orchestrator/ftmatrix.h \
    orchestrator/results-json.h .build-flags
	$(CC) $(CPPFLAGS) $(CFLAGS) $(PKG_CFLAGS) -c -o $@ $<

tests/unit/test-%: tests/unit/test-%.c tests/unit/fixtures.h $(LIB_OBJS) .build-flags
	$(CC) $(CPPFLAGS) $(CFLAGS) $(PKG_CFLAGS) -o $@ $< $(LIB_OBJS) \
	    $(LDFLAGS) $(PKG_LIBS) $$(pkg-config --libs cmocka) -lm

unit: $(UNIT_BINS)

# libFuzzer build: clang, every orchestrator file but main.c instrumented,
# ASan and UBSan aborting on the first report.
FUZZ_CC = clang
FUZZ_CFLAGS = -std=c11 -D_GNU_SOURCE -g -O1 -Wall -Wextra -Werror \
    -Wno-unused-parameter -fno-omit-frame-pointer \
    -fsanitize=address,undefined -fno-sanitize-recover=all -pthread
FUZZ_OBJS = $(patsubst orchestrator/%.c,fuzz/obj/%.o,$(filter-out \
    orchestrator/main.c,$(SRCS)))

fuzz/obj/%.o: orchestrator/%.c $(wildcard orchestrator/*.h)
	@mkdir -p fuzz/obj
	$(FUZZ_CC) $(CPPFLAGS) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link \
	    $(PKG_CFLAGS) -c -o $@ $<

FUZZ_TARGETS = fuzz/fuzz-matrix fuzz/fuzz-results fuzz/fuzz-url fuzz/fuzz-text

$(FUZZ_TARGETS): fuzz/%: fuzz/%.c $(FUZZ_OBJS)
	$(FUZZ_CC) $(CPPFLAGS) $(FUZZ_CFLAGS) -fsanitize=fuzzer $(PKG_CFLAGS) \
	    -o $@ $< $(FUZZ_OBJS) $(PKG_LIBS) -lm

deps:
	@scripts/install-deps

# Runs every test; the last line is "N passed, N failed".
check: deps
	@$(MAKE) --no-print-directory ftmatrix unit
	@tests/run

demo: deps
	@$(MAKE) --no-print-directory ftmatrix
	@scripts/demo

bench: deps
	@$(MAKE) --no-print-directory ftmatrix
	@scripts/bench

# pyperf's single-thread overheads beside ftmatrix's (pyperf from PyPI).
crosscheck: deps
	@$(MAKE) --no-print-directory ftmatrix
	@scripts/crosscheck

# Fuzzes the matrix parser, results.json reading, then what is decided
# from a URL, for FUZZ_SECONDS each (default 60).
fuzz: deps
	@$(MAKE) --no-print-directory $(FUZZ_TARGETS)
	@scripts/fuzz matrix && scripts/fuzz results && scripts/fuzz url && \
	    scripts/fuzz text

MANDIR = $(PREFIX)/share/man/man1
COMPLETIONDIR = $(PREFIX)/share/bash-completion/completions

install: ftmatrix
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(DATADIR) \
	    $(DESTDIR)$(MANDIR) $(DESTDIR)$(COMPLETIONDIR)
	install -m 755 ftmatrix $(DESTDIR)$(PREFIX)/bin/ftmatrix
	install -m 644 docs/ftmatrix.1 $(DESTDIR)$(MANDIR)/ftmatrix.1
	install -m 644 completion/ftmatrix.bash \
	    $(DESTDIR)$(COMPLETIONDIR)/ftmatrix
	cp -R probes reports scripts matrices $(DESTDIR)$(DATADIR)/

clean:
	rm -f ftmatrix $(OBJS) $(UNIT_BINS) $(FUZZ_TARGETS) .build-flags
	rm -rf fuzz/obj

FORCE:

.PHONY: all unit deps check demo bench crosscheck fuzz install clean FORCE
