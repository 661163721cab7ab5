/*
** cli_id.c: `gonggai id check KIND VALUE [--json]`, the command-line face of
** ids.h. Prints `valid` and exits 0, or prints the one rule broken and exits
** 1; usage mistakes exit 2. Owns nothing beyond one call.
*/
#include "cli/cli.h"
#include "ids/ids.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/json.h"

static const char usage[] =
	"usage: gonggai id check KIND VALUE [--json]\n"
	"\n"
	"Check an identifier; prints `valid` (exit 0) or the rule it breaks (exit 1).\n"
	"KIND is one of:\n"
	"  uscc          统一社会信用代码 (GB 32100-2015): length 18, character set, registration\n"
	"                type, 6-digit division segment, organisation-code check (GB 11714),\n"
	"                check character\n"
	"  idcard        身份证号 (GB 11643-1999): 18 characters, province, birth date, check\n"
	"  project-code  投资项目代码: NNNN-NNNNNN-NN-NN-NNNNNN with a known division\n"
	"  division      行政区划代码 (GB/T 2260) known to the system\n"
	"Lower-case letters and surrounding blanks are accepted.\n"
	"  --json        print {\"kind\",\"value\",\"valid\",\"message\"} instead\n";

static int print_json(int kind, const char *norm, int valid, const struct err *e)
{
	json_t *o = json_object();
	json_object_set_new(o, "kind", json_string(ids_kind_name(kind)));
	json_object_set_new(o, "value", json_string(norm));
	json_object_set_new(o, "valid", json_boolean(valid));
	if (!valid)
		json_object_set_new(o, "message", json_string(e->msg));
	const char *name = NULL;
	char seg[7] = {0};
	if (valid && kind == IDS_DIVISION)
		name = ids_division_name(norm);
	else if (valid && kind == IDS_PROJECT_CODE)
		name = ids_division_name(memcpy(seg, norm + 5, 6));
	if (name)
		json_object_set_new(o, "division_name", json_string(name));
	char *text = json_text(o);
	json_decref(o);
	if (!text)
		return 1;
	puts(text);
	free(text);
	return valid ? 0 : 1;
}

int cli_id(int argc, char **argv)
{
	if (cli_wants_help(argc, argv)) {
		fputs(usage, stdout);
		return 0;
	}
	int json = 0, npos = 0;
	char *pos[3] = {0};
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--json") == 0)
			json = 1;
		else if (argv[i][0] == '-' && argv[i][1] == '-' && npos < 2)
			return cli_usage(usage, "id: unknown option '%s'", argv[i]);
		else if (npos < 3)
			pos[npos++] = argv[i];
		else
			return cli_usage(usage, "id: too many arguments");
	}
	if (npos == 0)
		return cli_usage(usage, "id: missing subcommand");
	if (strcmp(pos[0], "check") != 0)
		return cli_usage(usage, "id: unknown subcommand '%s'", pos[0]);
	if (npos != 3)
		return cli_usage(usage, "id check: expected KIND VALUE");
	int kind = ids_kind_parse(pos[1]);
	if (kind < 0)
		return cli_usage(usage, "id check: unknown kind '%s'", pos[1]);
	struct err e;
	err_clear(&e);
	int valid = ids_check(kind, pos[2], &e) == 0;
	if (json) {
		char norm[IDS_MAX];
		ids_normalize(pos[2], norm, sizeof norm);
		return print_json(kind, norm, valid, &e);
	}
	puts(valid ? "valid" : e.msg);
	return valid ? 0 : 1;
}
