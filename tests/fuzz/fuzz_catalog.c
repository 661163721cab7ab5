/*
** fuzz_catalog.c: the approval catalogue import (approval/catalog_doc.h):
** any bytes parsed as JSON and validated as a catalogue document are either
** accepted or refused with ERR_INVALID naming the field, and an accepted
** document survives a dump and a second validation unchanged.
*/
#include "fuzz.h"
#include "approval/catalog.h"
#include "approval/catalog_doc.h"

static int department_exists(void *ctx, const char *code)
{
	return strncmp(code, "610200-", 7) == 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_t *doc = json_loadb((const char *)data, size, 0, NULL);
	if (!doc)
		return 0;
	struct catalog_hooks hooks = {department_exists, NULL};
	struct err e;
	if (catalog_validate(doc, &hooks, &e) != 0) {
		FUZZ_ASSERT(e.code == ERR_INVALID);
	} else {
		char *text = catalog_dump(doc);
		FUZZ_ASSERT(text);
		json_t *again = json_loads(text, 0, NULL);
		FUZZ_ASSERT(again && catalog_validate(again, &hooks, &e) == 0);
		json_decref(again);
		free(text);
	}
	json_decref(doc);
	return 0;
}
