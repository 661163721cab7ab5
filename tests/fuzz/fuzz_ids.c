/*
** fuzz_ids.c: the identifier parsers (ids/ids.h): normalisation and the
** check of every kind (统一社会信用代码, 组织机构代码, 身份证号, 投资项目代码,
** 行政区划代码) on any bytes; a code that passes is its own normal form.
*/
#include "fuzz.h"
#include "ids/ids.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_text(data, size);
	char norm[128];
	struct err e;
	int n = ids_normalize(s, norm, sizeof norm);
	FUZZ_ASSERT(n < (int)sizeof norm);
	for (int kind = IDS_USCC; kind <= IDS_DIVISION; kind++) {
		const char *name = ids_kind_name(kind);
		if (!name)
			continue;
		FUZZ_ASSERT(ids_kind_parse(name) == kind);
		if (ids_check(kind, s, &e) == 0 && n >= 0)
			FUZZ_ASSERT(ids_check(kind, norm, &e) == 0);
	}
	ids_kind_parse(s);
	ids_division_name(s);
	free(s);
	return 0;
}
