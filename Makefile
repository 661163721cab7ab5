# gonggai build. `make` builds the optimised binary ./gonggai and installs
# nothing; `make check` installs missing packages, builds everything under
# ASan+UBSan in build/asan and runs every test; `make run` serves on
# 127.0.0.1:8080 with var/gonggai.db; `make bench` runs the benchmarks.
#
# Sources are discovered: every src/**/*.c is part of the program, every
# tests/unit/test_*.c and tests/api/test_*.c is one cmocka binary linked with
# the program's objects (minus main), tests/api/apitest.c is the HTTP helper.

PKGS     := libmicrohttpd jansson sqlite3 libsodium inih xlsxwriter libcurl liboath libqrencode libpq
CC       ?= cc
WARN     := -Wall -Wextra -Wno-unused-parameter -Wno-sign-compare -Wno-format-truncation
VERSION  := 0.1.0
CSTD     := -std=gnu11 -D_GNU_SOURCE -DGG_VERSION=\"$(VERSION)\"
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lpthread -lm

SRCS     := $(shell find src -name '*.c' | sort)
LIBSRCS  := $(filter-out src/main.c,$(SRCS))
DATA     := $(shell find data src/store/migrations -type f 2>/dev/null | LC_ALL=C sort)
UNIT     := $(wildcard tests/unit/test_*.c)
APITESTS := $(wildcard tests/api/test_*.c)
BENCHES  := $(wildcard bench/bench_*.c)

REL      ?= build/release
ASAN     ?= build/asan
REL_CFLAGS  := -O2 -g $(CSTD) $(WARN) -Isrc -I$(REL)/gen
ASAN_CFLAGS := -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined \
               -fno-sanitize-recover=undefined -DGG_TESTING $(CSTD) $(WARN) -Isrc -I$(ASAN)/gen

.PHONY: all run check test bench deps clean
all: gonggai

# ---- generated: embedded data files -------------------------------------
$(REL)/gen/embedded.c $(ASAN)/gen/embedded.c: $(DATA) scripts/embed.sh
	@mkdir -p $(dir $@)
	scripts/embed.sh $@ $(DATA)

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

TEST_BINS := $(UNIT:tests/unit/%.c=$(ASAN)/tests/%) $(APITESTS:tests/api/%.c=$(ASAN)/tests/%)
$(ASAN)/tests/%: tests/unit/%.c $(ASAN)/libgg.a
	@mkdir -p $(dir $@)
	$(CC) $(ASAN_CFLAGS) $(PKG_CFLAGS) -o $@ $< $(ASAN)/libgg.a $(PKG_LIBS) -lcmocka
$(ASAN)/tests/%: tests/api/%.c tests/api/apitest.c tests/api/apitest.h $(ASAN)/libgg.a
	@mkdir -p $(dir $@)
	$(CC) $(ASAN_CFLAGS) $(PKG_CFLAGS) -Itests/api -o $@ $< tests/api/apitest.c $(ASAN)/libgg.a $(PKG_LIBS) -lcmocka

deps:
	scripts/deps.sh --test
	scripts/web-deps.sh

NPROC := $(shell nproc 2>/dev/null || echo 2)
check: deps
	$(MAKE) -j$(NPROC) gonggai $(ASAN)/gonggai $(TEST_BINS)
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
