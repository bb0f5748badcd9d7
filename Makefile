# ftmatrix: `make` builds, `make demo` measures, `make check` tests.
PREFIX ?= /usr/local
DESTDIR ?=
DATADIR = $(PREFIX)/share/ftmatrix
CC ?= cc
PKGS = yaml-0.1 jansson libcurl

CFLAGS ?= -O2 -g
CFLAGS += -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -Wno-unused-parameter
CPPFLAGS += -Iorchestrator -DFTMATRIX_DATADIR='"$(DATADIR)"'
ifeq ($(SANITIZE),1)
CFLAGS += -fsanitize=address,undefined -fno-omit-frame-pointer
LDFLAGS += -fsanitize=address,undefined
endif

# Goals that install or remove things must work before the libraries exist.
LIBLESS_GOALS = deps check demo bench clean help fuzz
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

orchestrator/%.o: orchestrator/%.c orchestrator/ftmatrix.h
	$(CC) $(CPPFLAGS) $(CFLAGS) $(PKG_CFLAGS) -c -o $@ $<

orchestrator/matrix%.o: orchestrator/matrix%.c orchestrator/ftmatrix.h \
    orchestrator/matrix-tree.h
	$(CC) $(CPPFLAGS) $(CFLAGS) $(PKG_CFLAGS) -c -o $@ $<

orchestrator/results%.o: orchestrator/results%.c orchestrator/ftmatrix.h \
    orchestrator/results-json.h
	$(CC) $(CPPFLAGS) $(CFLAGS) $(PKG_CFLAGS) -c -o $@ $<

tests/unit/test-%: tests/unit/test-%.c $(LIB_OBJS)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(PKG_CFLAGS) -o $@ $< $(LIB_OBJS) \
	    $(LDFLAGS) $(PKG_LIBS) $$(pkg-config --libs cmocka) -lm

unit: $(UNIT_BINS)

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

install: ftmatrix
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(DATADIR)
	install -m 755 ftmatrix $(DESTDIR)$(PREFIX)/bin/ftmatrix
	cp -R probes reports scripts matrices $(DESTDIR)$(DATADIR)/

clean:
	rm -f ftmatrix $(OBJS) $(UNIT_BINS)

.PHONY: all unit deps check demo bench install clean
