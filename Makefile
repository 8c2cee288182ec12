# Lorgnette: one non-recursive GNU Makefile for the three programs, the
# shared library, the test emulator, unit tests, fuzz targets and benches.
#
#   make                      build lgwebd, lgbrokerd, lgctl
#   make SANITIZE=address,undefined
#   make deps                 install build and test dependencies (apt-get)
#   make check                deps + sanitized build + every test suite
#   make deploy-test          the deployment test (tests/deploy), longer load
#   make fuzz [FUZZ_TIME=s]   libFuzzer targets, built with clang
#   make bench [QUICK=1]      benchmarks (tests/bench)
#   make install / uninstall  PREFIX, DESTDIR, SYSCONFDIR, LIBEXECDIR
#   make deb                  the Debian package, in build/deb (debian/)

PREFIX		?= /usr/local
SYSCONFDIR	?= /etc
LIBEXECDIR	?= $(PREFIX)/libexec/lorgnette
DESTDIR		?=

CC		?= cc
CSTD		 = -std=c11 -D_GNU_SOURCE
WARNINGS	 = -Wall -Wextra -Werror -Wshadow -Wformat=2 \
		   -Wstrict-prototypes -Wmissing-prototypes -Wconversion \
		   -Wno-sign-conversion -Wpointer-arith -Wcast-qual \
		   -Wwrite-strings -Wundef -Wmissing-declarations \
		   -Wold-style-definition -Wnull-dereference -Wvla
OPTIMIZE	?= -O2 -g
HARDEN		 = -fstack-protector-strong -D_FORTIFY_SOURCE=2 -fPIE
PKGS		 = libssh libtelnet libpcre2-8 libconfig libmicrohttpd jansson sqlite3 \
		   libseccomp libsystemd rtrlib nettle hiredis gnutls

SANITIZE	?=
ifneq ($(SANITIZE),)
BUILD		?= build/san
SANFLAGS	 = -fsanitize=$(SANITIZE) -fno-omit-frame-pointer \
		   -fno-sanitize-recover=all
HARDEN		 = -fPIE
else
BUILD		?= build/plain
SANFLAGS	 =
endif

PKG_CFLAGS	:= $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
CPPFLAGS	+= -Iinclude -DPCRE2_CODE_UNIT_WIDTH=8 \
		   -DLG_SYSCONFDIR='"$(SYSCONFDIR)"' -DLG_PREFIX='"$(PREFIX)"' \
		   -DLG_LIBEXECDIR='"$(LIBEXECDIR)"'
CFLAGS		+= $(CSTD) $(WARNINGS) $(OPTIMIZE) $(HARDEN) $(SANFLAGS) \
		   $(PKG_CFLAGS) -MMD -MP
LDFLAGS		+= $(SANFLAGS) -pie -Wl,-z,relro,-z,now -Wl,--as-needed

libs		 = $(shell pkg-config --libs $(1) 2>/dev/null)
LIB_LIBS	:= $(call libs,libpcre2-8 libconfig jansson libseccomp libsystemd)
WEBD_LIBS	:= $(call libs,libmicrohttpd jansson libconfig libpcre2-8 \
		   libseccomp libsystemd nettle sqlite3 hiredis gnutls) -lpthread
BROKER_LIBS	:= $(call libs,libssh libtelnet libpcre2-8 libconfig jansson \
		   libseccomp libsystemd rtrlib gnutls) -lm
# lgctl runs a query per process: it links only what its commands use.
# result and token, which reach the stores, are lgctl-store's.
LGCTL_LIBS	:= $(call libs,jansson libconfig libpcre2-8)
STORE_LIBS	:= $(call libs,jansson libconfig libpcre2-8 sqlite3 nettle \
		   hiredis) -lpthread
EMU_LIBS	:= $(call libs,libssh libtelnet libpcre2-8 libconfig) -lpthread
TEST_LIBS	:= $(call libs,cmocka $(PKGS)) -lpthread -lm

# Sources are found, not listed: a new module is a new file.
LIB_SRCS	:= $(sort $(wildcard src/lib/*.c))
WEBD_SRCS	:= $(sort $(wildcard src/lgwebd/*.c))
BROKER_SRCS	:= $(sort $(wildcard src/lgbrokerd/*.c))
# lgctl-store's own files; usage.c is in both programs.
STORE_SRCS	:= src/lgctl/store_main.c src/lgctl/result_cmd.c \
		   src/lgctl/token_cmd.c
LGCTL_SRCS	:= $(filter-out $(STORE_SRCS),$(sort $(wildcard src/lgctl/*.c)))
EMU_SRCS	:= $(sort $(wildcard tests/emulator/*.c))
UNIT_SRCS	:= $(sort $(wildcard tests/unit/test_*.c))
FUZZ_SRCS	:= $(sort $(wildcard tests/fuzz/fuzz_*.c))

obj		 = $(patsubst %.c,$(BUILD)/%.o,$(1))
LIB_OBJS	:= $(call obj,$(LIB_SRCS))
WEBD_OBJS	:= $(call obj,$(WEBD_SRCS))
BROKER_OBJS	:= $(call obj,$(BROKER_SRCS))
LGCTL_OBJS	:= $(call obj,$(LGCTL_SRCS))
STORE_OBJS	:= $(call obj,$(STORE_SRCS) src/lgctl/usage.c)
EMU_OBJS	:= $(call obj,$(EMU_SRCS))
UNIT_BINS	:= $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(UNIT_SRCS))

LIBLG		 = $(BUILD)/liblg.a
LIBWEBD		 = $(BUILD)/libwebd.a
LIBBROKER	 = $(BUILD)/libbroker.a
LIBLGCTL	 = $(BUILD)/liblgctl.a
PROGS		 = $(BUILD)/lgwebd $(BUILD)/lgbrokerd $(BUILD)/lgctl \
		   $(BUILD)/lgctl-store

.PHONY: all progs emulator unit deps check check-build fuzz fuzz-smoke \
	bench bench-parse bench-rpki bench-pow bench-spawn bench-client golden-update demo install \
	deploy-test \
	uninstall clean flags deb soak

all: progs emulator

progs: $(PROGS)

flags:
	@echo "CC=$(CC)"
	@echo "CPPFLAGS=$(CPPFLAGS)"
	@echo "CFLAGS=$(CFLAGS)"
	@echo "LDFLAGS=$(LDFLAGS)"
	@echo "LIBEXECDIR=$(LIBEXECDIR)"

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

# Each program's objects, less main.c, also go into an archive so unit
# tests can link the modules they test.
archive_objs	 = $(filter-out %/main.o %/store_main.o,$(1))

$(LIBLG): $(LIB_OBJS)
	@rm -f $@
	ar rcs $@ $^
$(LIBWEBD): $(call archive_objs,$(WEBD_OBJS))
	@rm -f $@
	ar rcs $@ $^
$(LIBBROKER): $(call archive_objs,$(BROKER_OBJS))
	@rm -f $@
	ar rcs $@ $^
$(LIBLGCTL): $(call archive_objs,$(sort $(LGCTL_OBJS) $(STORE_OBJS)))
	@rm -f $@
	ar rcs $@ $^

$(BUILD)/lgwebd: $(WEBD_OBJS) $(LIBLG)
	$(CC) $(LDFLAGS) -o $@ $(WEBD_OBJS) $(LIBLG) $(WEBD_LIBS)
$(BUILD)/lgbrokerd: $(BROKER_OBJS) $(LIBLG)
	$(CC) $(LDFLAGS) -o $@ $(BROKER_OBJS) $(LIBLG) $(BROKER_LIBS)
$(BUILD)/lgctl: $(LGCTL_OBJS) $(LIBLG)
	$(CC) $(LDFLAGS) -o $@ $(LGCTL_OBJS) $(LIBLG) $(LGCTL_LIBS)
# lgctl result reaches web.store through lgwebd's own store modules.
STORE_WEBD	 = $(call obj,src/lgwebd/store.c src/lgwebd/store_results.c)
$(BUILD)/lgctl-store: $(STORE_OBJS) $(STORE_WEBD) $(LIBLG)
	$(CC) $(LDFLAGS) -o $@ $(STORE_OBJS) $(STORE_WEBD) $(LIBLG) \
	    $(STORE_LIBS)

emulator: $(BUILD)/lgemu
$(BUILD)/lgemu: $(EMU_OBJS) $(LIBLG)
	$(CC) $(LDFLAGS) -o $@ $(EMU_OBJS) $(LIBLG) $(EMU_LIBS)

unit: $(UNIT_BINS)
# test_control makes the next calloc fail through a wrapper.
$(BUILD)/tests/test_control: LDFLAGS += -Wl,--wrap=calloc
$(BUILD)/tests/%: tests/unit/%.c $(LIBBROKER) $(LIBWEBD) $(LIBLGCTL) $(LIBLG)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -Wno-missing-prototypes \
	    -Wno-missing-declarations -Isrc -o $@ $< $(LDFLAGS) \
	    $(LIBBROKER) $(LIBWEBD) $(LIBLGCTL) $(LIBLG) $(TEST_LIBS)

# ---------------------------------------------------------------------------
# Dependencies, installed with apt-get; quiet and quick when present.

deps:
	@sh tests/deps.sh

# ---------------------------------------------------------------------------
# The test suites.  tests/run.sh runs each suite, counts TAP results and
# prints the final "N passed, N failed, N skipped" line.

CHECK_SANITIZE	?= address,undefined

check: deps
	@$(MAKE) --no-print-directory flags SANITIZE=$(CHECK_SANITIZE)
	@$(MAKE) --no-print-directory -j2 SANITIZE=$(CHECK_SANITIZE) check-build
	@# The release flags (_FORTIFY_SOURCE) warn where sanitizers do not.
	@$(MAKE) --no-print-directory -j2 progs emulator bench-parse bench-rpki \
	    bench-spawn bench-client
	@LG_BUILD=build/san sh tests/run.sh $(SUITES)

check-build: all unit bench-parse bench-rpki bench-pow bench-spawn \
	    bench-client

# The deployment of docs/deploy.md (nginx, three fronts, Redis, two
# regional brokers in network namespaces) under longer load than the
# short form make check runs.  Root; shares the lab lock with the suites.
deploy-test: check-build
	@DP_FULL=1 LG_BUILD=build/san sh tests/run.sh deploy

golden-update: unit
	@LG_GOLDEN_UPDATE=1 LG_BUILD=$(BUILD) sh tests/run.sh unit

# ---------------------------------------------------------------------------
# Fuzzing: libFuzzer needs clang; every source is rebuilt for it.

FUZZ_TIME	?= 60
FUZZ_BUILD	 = build/fuzz
FUZZ_CFLAGS	 = $(CSTD) -g -O1 -Iinclude -Isrc -DPCRE2_CODE_UNIT_WIDTH=8 \
		   -DLG_FUZZING $(PKG_CFLAGS) \
		   -fsanitize=fuzzer-no-link,address,undefined
FUZZ_BINS	:= $(patsubst tests/fuzz/%.c,$(FUZZ_BUILD)/%,$(FUZZ_SRCS))
FUZZ_LIB_SRCS	 = $(LIB_SRCS) $(filter-out %/main.c,$(BROKER_SRCS) \
		   $(WEBD_SRCS) $(LGCTL_SRCS))
FUZZ_LIB_OBJS	 = $(patsubst %.c,$(FUZZ_BUILD)/%.o,$(FUZZ_LIB_SRCS))

$(FUZZ_BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	clang $(FUZZ_CFLAGS) -MMD -MP -c -o $@ $<
# Through an archive, as for the unit tests: a target links only the
# modules it uses, not every object that needs a program's main.c.
FUZZ_LIB	 = $(FUZZ_BUILD)/libfuzz.a
$(FUZZ_LIB): $(FUZZ_LIB_OBJS)
	@rm -f $@
	ar rcs $@ $^
$(FUZZ_BUILD)/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_LIB)
	clang $(FUZZ_CFLAGS) -fsanitize=fuzzer -o $@ $^ \
	    $(call libs,$(PKGS)) -lpthread -lm

fuzz: $(FUZZ_BINS)
	@FUZZ_TIME=$(FUZZ_TIME) FUZZ_BUILD=$(FUZZ_BUILD) sh tests/fuzz/run.sh $(FUZZ_BINS)

fuzz-build: $(FUZZ_BINS)

# ---------------------------------------------------------------------------

bench:
	@sh tests/bench/bench.sh $(if $(QUICK),--quick)

# The parse engine's throughput (tests/bench/bench.py, measurement parse).
bench-parse: $(BUILD)/bench_parse
$(BUILD)/bench_parse: tests/bench/bench_parse.c $(LIBLG)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $< $(LIBLG) $(LGCTL_LIBS)

# A command's wall time as a process, spawned from C (bench.py, warm).
bench-spawn: $(BUILD)/bench_spawn
$(BUILD)/bench_spawn: tests/bench/bench_spawn.c
	@mkdir -p $(BUILD)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $<

# The least client process of a query, beside lgctl (bench.py, warm).
bench-client: $(BUILD)/bench_client
$(BUILD)/bench_client: tests/bench/bench_client.c $(LIBLG)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $< $(LIBLG)

# The soak (tests/soak/soak.sh): SOAK_MIN minutes of mixed traffic,
# faults and reloads on the release build; the report and soak.png land in
# build/soak.  make check runs it for a minute (tests/ops/test_soak.sh).
SOAK_MIN	?= 30
soak: deps progs emulator
	@SOAK_MIN=$(SOAK_MIN) LG_BUILD=build/plain sh tests/soak/soak.sh

# RPKI validation's cost and the VRP table's memory (bench.py, rpki).
bench-rpki: $(BUILD)/bench_rpki
$(BUILD)/bench_rpki: tests/bench/bench_rpki.c $(LIBBROKER) $(LIBLG)
	$(CC) $(CPPFLAGS) $(CFLAGS) -Isrc $(LDFLAGS) -o $@ $< $(LIBBROKER) \
	    $(LIBLG) $(BROKER_LIBS)

# The proof-of-work difficulty against the time to solve it (bench_pow.c).
bench-pow: $(BUILD)/bench_pow
$(BUILD)/bench_pow: tests/bench/bench_pow.c $(LIBWEBD) $(LIBLG)
	$(CC) $(CPPFLAGS) $(CFLAGS) -Isrc $(LDFLAGS) -o $@ $< $(LIBWEBD) \
	    $(LIBLG) $(WEBD_LIBS)

demo:
	@sh conf/demo.sh

# The installed tree is listed in README.md; conf/install.sh does the work.
INSTALL_ENV	 = DESTDIR="$(DESTDIR)" PREFIX="$(PREFIX)" \
		   SYSCONFDIR="$(SYSCONFDIR)" LIBEXECDIR="$(LIBEXECDIR)" \
		   BUILD="build/plain"

install: progs
	@$(INSTALL_ENV) sh conf/install.sh install

uninstall:
	@$(INSTALL_ENV) sh conf/install.sh uninstall

# The Debian package (debian/), built in a copy of the tree so that
# dpkg-buildpackage's files land in build/deb, not beside the checkout.
LG_VERSION	:= $(shell awk -F'"' '/^.define LG_VERSION[ \t]/ { print $$2 }' \
		   include/lg.h)
DEB_TREE	 = build/deb/lorgnette-$(LG_VERSION)

deb:
	@rm -rf build/deb
	@mkdir -p $(DEB_TREE)
	@tar --exclude=./build --exclude-vcs --exclude-vcs-ignores -cf - . | tar -C $(DEB_TREE) -xf -
	cd $(DEB_TREE) && dpkg-buildpackage -us -uc -b
	@ls build/deb/*.deb

clean:
	rm -rf build

-include $(shell find build -name '*.d' -type f 2>/dev/null)
