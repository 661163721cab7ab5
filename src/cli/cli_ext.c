/*
** cli_ext.c: register the modules above ops (see cli_ext.h). Each module
** adds one block to cli_ext_setup and, when it allocates, to cli_ext_free.
*/
#include "cli/cli_ext.h"

#include <string.h>

int cli_ext_setup(const struct conf *c, struct cli_ext *x, struct err *e)
{
	memset(x, 0, sizeof *x);
	if (cli_ext_exchange(c, x, e))
		return e->code;
	return 0;
}

void cli_ext_free(struct cli_ext *x)
{
	(void)x;
}
