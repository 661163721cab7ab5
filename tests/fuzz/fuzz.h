/*
** fuzz.h: what every fuzz target of tests/fuzz shares. Each fuzz_<name>.c
** defines LLVMFuzzerTestOneInput (libFuzzer's entry point); `make fuzz`
** links it with libFuzzer (clang, build/fuzz), `make check` links it with
** replay.c (the sanitizer build) and runs it over tests/fuzz/corpus/<name>/.
** A target must never fail on any input: a crash, a sanitizer report or a
** FUZZ_ASSERT is a bug of the code under test.
*/
#ifndef GG_FUZZ_H
#define GG_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* An invariant of the code under test; aborts (a finding) when false. */
#define FUZZ_ASSERT(x) \
	do { \
		if (!(x)) { \
			fprintf(stderr, "%s:%d: invariant failed: %s\n", __FILE__, __LINE__, #x); \
			abort(); \
		} \
	} while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The input as a NUL-terminated string (caller frees); NULs inside stay. */
static inline char *fuzz_text(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);
	FUZZ_ASSERT(s);
	memcpy(s, data, size);
	s[size] = 0;
	return s;
}

#endif
