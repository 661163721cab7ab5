/*
** cli_demo.c: `gonggai demo` (being written).
*/
#include "cli/cli.h"

#include <stdio.h>

int cli_demo(int argc, char **argv)
{
	fputs("gonggai demo: not yet available\n", stderr);
	return 2;
}
