/*
** import_csv.c: a small RFC 4180 reader (importer.h): quoted fields with
** commas, doubled quotes and line breaks; CRLF or LF; a UTF-8 BOM skipped;
** blank lines dropped.
*/
#include "importer/importer.h"
#include "base/buf.h"

#include <string.h>

static void end_field(json_t *row, struct buf *f)
{
	json_array_append_new(row, json_stringn(f->data ? f->data : "", f->len));
	f->len = 0;
}

/* The row goes to rows (unless blank); *row starts afresh. */
static void end_row(json_t *rows, json_t *lines, json_t **row, int line)
{
	int blank = json_array_size(*row) == 1 && !json_string_length(json_array_get(*row, 0));
	if (!blank) {
		json_array_append_new(rows, *row);
		if (lines)
			json_array_append_new(lines, json_integer(line));
		*row = json_array();
	} else {
		json_array_clear(*row);
	}
}

int import_csv_parse(const char *text, size_t len, json_t **rows, json_t **lines, struct err *e)
{
	struct buf f = {0};
	json_t *row = json_array();
	size_t i = len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
	int quoted = 0, line = 1, start = 1, qline = 0;
	*rows = json_array();
	if (lines)
		*lines = json_array();
	for (; i < len; i++) {
		char c = text[i];
		if (quoted) {
			if (c == '"' && i + 1 < len && text[i + 1] == '"') {
				buf_append(&f, "\"", 1);
				i++;
			} else if (c == '"') {
				quoted = 0;
			} else {
				buf_append(&f, &c, 1);
			}
			line += c == '\n';
			continue;
		}
		if (c == '"' && f.len == 0) {
			quoted = 1;
			qline = line;
		} else if (c == ',') {
			end_field(row, &f);
		} else if (c == '\n' || c == '\r') {
			if (c == '\r' && i + 1 < len && text[i + 1] == '\n')
				i++;
			end_field(row, &f);
			end_row(*rows, lines ? *lines : NULL, &row, start);
			start = ++line;
		} else {
			buf_append(&f, &c, 1);
		}
	}
	if (!quoted && (f.len || json_array_size(row))) {
		end_field(row, &f);
		end_row(*rows, lines ? *lines : NULL, &row, start);
	}
	buf_free(&f);
	json_decref(row);
	if (!quoted)
		return 0;
	json_decref(*rows);
	if (lines)
		json_decref(*lines);
	return err_set(e, ERR_INVALID, "file", "第 %d 行的引号没有结束 (unterminated quote)", qline);
}
