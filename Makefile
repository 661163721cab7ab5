# gonggai build. `make` builds the optimised binary ./gonggai and installs
# nothing; `make check` installs missing packages, checks the layering
# (scripts/check-layers.sh) and runs cppcheck (scripts/lint.sh), builds
# everything under ASan+UBSan in build/asan (-Wshadow -Werror) and runs every
# test; `make run` serves on
# 127.0.0.1:8080 with var/gonggai.db; `make bench` runs the benchmarks.
#
# Sources are discovered: every src/**/*.c is part of the program, every
# tests/unit/test_*.c and tests/api/test_*.c is one cmocka binary linked with
# the program's objects (minus main), tests/api/apitest.c is the HTTP helper.

PKGS     := libmicrohttpd jansson sqlite3 libsodium inih xlsxwriter libcurl liboath libqrencode libpq libzip expat
CC       ?= cc
WARN     := -Wall -Wextra -Wno-unused-parameter -Wno-sign-compare -Wno-format-truncation
VERSION  := 0.1.0
CSTD     := -std=gnu11 -D_GNU_SOURCE -DGG_VERSION=\"$(VERSION)\"
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lpthread -lm

SRCS     := $(shell find src -name '*.c' | sort)
LIBSRCS  := $(filter-out src/main.c,$(SRCS))
# the web application and the one npm file it loads are embedded too, so the
# binary serves its pages from any directory (serve --web DIR: from disk)
VENDOR   := node_modules/echarts/dist/echarts.esm.min.js
DATA     := $(shell find data src/store/migrations web -type f 2>/dev/null | LC_ALL=C sort) $(VENDOR)
UNIT     := $(wildcard tests/unit/test_*.c)
APITESTS := $(wildcard tests/api/test_*.c)
BENCHES  := $(wildcard bench/bench_*.c)
FUZZERS  := $(wildcard tests/fuzz/fuzz_*.c)

REL      ?= build/release
ASAN     ?= build/asan
FUZZ     ?= build/fuzz
REL_CFLAGS  := -O2 -g $(CSTD) $(WARN) -Isrc -I$(REL)/gen
# the check build also refuses shadowed names and any warning at all
ASAN_CFLAGS := -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined \
               -fno-sanitize-recover=undefined -DGG_TESTING $(CSTD) $(WARN) -Wshadow -Werror -Isrc -I$(ASAN)/gen

.PHONY: all run check test bench fuzz deps clean
all: gonggai

# ---- generated: embedded data files -------------------------------------
$(REL)/gen/embedded.c $(ASAN)/gen/embedded.c $(FUZZ)/gen/embedded.c: $(DATA) scripts/embed.sh
	@mkdir -p $(dir $@)
	scripts/embed.sh $@ $(DATA)

$(VENDOR):
	scripts/web-deps.sh

# ---- release -------------------------------------------------------------
REL_OBJS := $(LIBSRCS:%.c=$(REL)/%.o) $(REL)/gen/embedded.o
$(REL)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(REL_CFLAGS) $(PKG_CFLAGS) -MMD -MP -c $< -o $@
$(REL)/gen/embedded.o: $(REL)/gen/embedded.c
	$(CC) -O0 $(CSTD) -Isrc -c $< -o $@
$(REL)/libgg.a: $(REL_OBJS)
	rm -f $@ && ar rcs $@ $^
gonggai: $(REL)/src/main.o $(REL)/libgg.a
	$(CC) -o $@ $^ $(PKG_LIBS)

# ---- sanitizer build and tests ------------------------------------------
ASAN_OBJS := $(LIBSRCS:%.c=$(ASAN)/%.o) $(ASAN)/gen/embedded.o
$(ASAN)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ASAN_CFLAGS) $(PKG_CFLAGS) -MMD -MP -c $< -o $@
$(ASAN)/gen/embedded.o: $(ASAN)/gen/embedded.c
	$(CC) -O0 $(CSTD) -Isrc -c $< -o $@
$(ASAN)/libgg.a: $(ASAN_OBJS)
	rm -f $@ && ar rcs $@ $^
$(ASAN)/gonggai: $(ASAN)/src/main.o $(ASAN)/libgg.a
	$(CC) -fsanitize=address,undefined -o $@ $^ $(PKG_LIBS)

TEST_BINS := $(UNIT:tests/unit/%.c=$(ASAN)/tests/%) $(APITESTS:tests/api/%.c=$(ASAN)/tests/%) \
             $(FUZZERS:tests/fuzz/%.c=$(ASAN)/fuzz/%)
$(ASAN)/tests/%: tests/unit/%.c $(ASAN)/libgg.a
	@mkdir -p $(dir $@)
	$(CC) $(ASAN_CFLAGS) $(PKG_CFLAGS) -o $@ $< $(ASAN)/libgg.a $(PKG_LIBS) -lcmocka
$(ASAN)/tests/%: tests/api/%.c tests/api/apitest.c tests/api/apitest.h $(ASAN)/libgg.a
	@mkdir -p $(dir $@)
	$(CC) $(ASAN_CFLAGS) $(PKG_CFLAGS) -Itests/api -o $@ $< tests/api/apitest.c $(ASAN)/libgg.a $(PKG_LIBS) -lcmocka

# a fuzz target with replay.c's main(): runs the committed corpus (make check)
$(ASAN)/fuzz/%: tests/fuzz/%.c tests/fuzz/replay.c tests/fuzz/fuzz.h $(ASAN)/libgg.a
	@mkdir -p $(dir $@)
	$(CC) $(ASAN_CFLAGS) $(PKG_CFLAGS) -Itests/fuzz -o $@ $< tests/fuzz/replay.c $(ASAN)/libgg.a $(PKG_LIBS)

# ---- fuzzing (clang + libFuzzer; every object built again in build/fuzz) --
FUZZ_CC     ?= clang
FUZZ_SAN    := -fsanitize=address,undefined -fno-sanitize-recover=undefined
FUZZ_CFLAGS := -O1 -g -fno-omit-frame-pointer $(FUZZ_SAN) -fsanitize=fuzzer-no-link -Wno-unknown-warning-option \
               -Wno-missing-field-initializers \
               -DGG_TESTING $(CSTD) $(WARN) -Isrc -I$(FUZZ)/gen
FUZZ_OBJS   := $(LIBSRCS:%.c=$(FUZZ)/%.o) $(FUZZ)/gen/embedded.o
FUZZ_BINS   := $(FUZZERS:tests/fuzz/%.c=$(FUZZ)/%)
FUZZ_SECONDS ?= 60
$(FUZZ)/%.o: %.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) $(PKG_CFLAGS) -MMD -MP -c $< -o $@
$(FUZZ)/gen/embedded.o: $(FUZZ)/gen/embedded.c
	$(FUZZ_CC) -O0 $(CSTD) -Isrc -c $< -o $@
$(FUZZ)/libgg.a: $(FUZZ_OBJS)
	rm -f $@ && ar rcs $@ $^
$(FUZZ)/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz.h $(FUZZ)/libgg.a
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer $(PKG_CFLAGS) -Itests/fuzz -o $@ $< $(FUZZ)/libgg.a $(PKG_LIBS)
fuzz: $(FUZZ_BINS)
	FUZZ_SECONDS=$(FUZZ_SECONDS) tests/fuzz/run.sh $(FUZZ)

deps:
	scripts/deps.sh --test
	scripts/web-deps.sh

NPROC := $(shell nproc 2>/dev/null || echo 2)
check: deps
	scripts/check-layers.sh
	scripts/lint.sh
	$(MAKE) -j$(NPROC) gonggai $(ASAN)/gonggai $(TEST_BINS) $(BENCH_BINS) $(BENCH_TOOLS)
	tests/run.sh $(ASAN)

test: gonggai $(ASAN)/gonggai $(TEST_BINS)
	tests/run.sh $(ASAN)

# ---- benchmarks (release build) -----------------------------------------
BENCH_BINS := $(BENCHES:bench/%.c=$(REL)/bench/%)
$(REL)/bench/%: bench/%.c $(REL)/libgg.a
	@mkdir -p $(dir $@)
	$(CC) $(REL_CFLAGS) $(PKG_CFLAGS) -o $@ $< $(REL)/libgg.a $(PKG_LIBS)
BENCH_TOOLS := $(REL)/bench/bare_mhd
$(REL)/bench/bare_mhd: bench/bare_mhd.c
	@mkdir -p $(dir $@)
	$(CC) $(REL_CFLAGS) $(PKG_CFLAGS) -o $@ $< $(PKG_LIBS)
bench: gonggai $(BENCH_BINS) $(BENCH_TOOLS)
	bench/run.sh $(REL)

# ---- run -----------------------------------------------------------------
run:
	scripts/deps.sh
	$(MAKE) gonggai
	scripts/run.sh

clean:
	rm -rf build gonggai

-include $(shell find build -name '*.d' 2>/dev/null)
