/*
** replay.c: main() for running a fuzz target without libFuzzer: every file
** named on the command line, or every file in a directory named there, is
** passed once to LLVMFuzzerTestOneInput. Used by tests/cli/fuzz-corpus.sh
** (make check) so a regression is caught without fuzzing time. Exit 0 when
** every input went through (a crash ends the process).
*/
#include "fuzz.h"

#include <dirent.h>
#include <sys/stat.h>

int LLVMFuzzerInitialize(int *argc, char ***argv) __attribute__((weak));

static int run_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		fprintf(stderr, "replay: cannot open %s\n", path);
		return -1;
	}
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	uint8_t *buf = malloc(n > 0 ? (size_t)n : 1);
	size_t got = buf ? fread(buf, 1, (size_t)n, f) : 0;
	fclose(f);
	if (!buf || got != (size_t)n) {
		free(buf);
		fprintf(stderr, "replay: cannot read %s\n", path);
		return -1;
	}
	LLVMFuzzerTestOneInput(buf, got);
	free(buf);
	return 0;
}

int main(int argc, char **argv)
{
	int runs = 0, bad = 0;
	if (LLVMFuzzerInitialize)
		LLVMFuzzerInitialize(&argc, &argv);
	for (int i = 1; i < argc; i++) {
		struct stat sb;
		if (stat(argv[i], &sb) == 0 && S_ISDIR(sb.st_mode)) {
			DIR *d = opendir(argv[i]);
			for (struct dirent *de; d && (de = readdir(d));) {
				char path[4096];
				if (de->d_name[0] == '.')
					continue;
				snprintf(path, sizeof path, "%s/%s", argv[i], de->d_name);
				bad |= run_file(path) != 0;
				runs++;
			}
			if (d)
				closedir(d);
		} else {
			bad |= run_file(argv[i]) != 0;
			runs++;
		}
	}
	printf("replay: %d inputs\n", runs);
	return bad || runs == 0;
}
