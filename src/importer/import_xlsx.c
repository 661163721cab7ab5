/*
** import_xlsx.c: the first worksheet of an Office Open XML workbook (.xlsx)
** as rows of text, the same shape import_csv_parse gives (importer.h).
**
** A workbook is a ZIP archive (libzip) of XML parts (expat): the first
** <sheet> of xl/workbook.xml names its part through xl/_rels/workbook.xml.rels;
** text cells point into xl/sharedStrings.xml (or carry their text inline);
** a number formatted as a date (xl/styles.xml: built-in formats 14–22 and
** 45–47, or a custom format with d, m or y outside quotes and brackets) is
** turned into "YYYY-MM-DD" (1900 or 1904 date system); other numbers keep the
** text Excel stored; booleans are "1"/"0". Cells are placed by their
** reference (B3), so empty cells Excel leaves out become "". Formulas give
** their cached value.
**
** Limits, so a crafted file cannot exhaust memory: every part read is
** at most XLSX_PART_MAX bytes uncompressed, at most XLSX_COLS_MAX columns.
*/
#include "importer/importer.h"
#include "base/buf.h"

#include <expat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

#define XLSX_PART_MAX (64 << 20)
#define XLSX_COLS_MAX 512

/* ---- parts of the archive ----------------------------------------------------------------- */

/* The uncompressed part NAME into *out (malloc'd, NUL-terminated); missing
** parts are ERR_INVALID unless optional (then *out = NULL, 0). */
static int part_read(zip_t *z, const char *name, int optional, char **out, size_t *len, struct err *e)
{
	zip_stat_t zs;
	*out = NULL;
	*len = 0;
	if (zip_stat(z, name, ZIP_FL_NOCASE, &zs) != 0)
		return optional ? 0 : err_set(e, ERR_INVALID, "file", "XLSX 文件缺少 %s (not a workbook)", name);
	if (!(zs.valid & ZIP_STAT_SIZE) || zs.size > XLSX_PART_MAX)
		return err_set(e, ERR_INVALID, "file", "XLSX 文件的 %s 超过 %d MiB", name, XLSX_PART_MAX >> 20);
	zip_file_t *f = zip_fopen(z, name, ZIP_FL_NOCASE);
	char *data = f ? malloc(zs.size + 1) : NULL;
	zip_int64_t n = data ? zip_fread(f, data, zs.size) : -1;
	if (f)
		zip_fclose(f);
	if (n < 0 || (zip_uint64_t)n != zs.size) {
		free(data);
		return err_set(e, ERR_INVALID, "file", "XLSX 文件的 %s 无法解压 (damaged archive)", name);
	}
	data[n] = '\0';
	*out = data;
	*len = (size_t)n;
	return 0;
}

/* Parse text with the handlers; the parser's user data is ud. */
static int xml_run(const char *part, const char *text, size_t len, void *ud, XML_StartElementHandler start,
		   XML_EndElementHandler end, XML_CharacterDataHandler chars, struct err *e)
{
	XML_Parser p = XML_ParserCreate("UTF-8");
	if (!p)
		return err_set(e, ERR_INTERNAL, "", "out of memory");
	XML_SetUserData(p, ud);
	XML_SetElementHandler(p, start, end);
	if (chars)
		XML_SetCharacterDataHandler(p, chars);
	int rc = 0;
	if (XML_Parse(p, text, (int)len, 1) == XML_STATUS_ERROR)
		rc = err_set(e, ERR_INVALID, "file", "XLSX 文件的 %s 不是有效的 XML (line %lu: %s)", part,
			     (unsigned long)XML_GetCurrentLineNumber(p), XML_ErrorString(XML_GetErrorCode(p)));
	XML_ParserFree(p);
	return rc;
}

/* Read part name and run the handlers over it; an optional part that is
** missing is no error and no call. */
static int xml_part(zip_t *z, const char *name, int optional, void *ud, XML_StartElementHandler start,
		    XML_EndElementHandler end, XML_CharacterDataHandler chars, struct err *e)
{
	char *text;
	size_t len;
	int rc = part_read(z, name, optional, &text, &len, e);
	if (!rc && text)
		rc = xml_run(name, text, len, ud, start, end, chars, e);
	free(text);
	return rc;
}

/* The local name of a possibly prefixed element or attribute ("x:row" → "row"). */
static const char *local(const char *name)
{
	const char *c = strrchr(name, ':');
	return c ? c + 1 : name;
}

static const char *attr(const char **atts, const char *name)
{
	for (int i = 0; atts[i]; i += 2)
		if (strcmp(local(atts[i]), name) == 0)
			return atts[i + 1];
	return NULL;
}

/* ---- workbook: which part is the first sheet, which date system ----------------------------- */

struct book {
	char rid[64];
	char target[256];
	int date1904;
};

static void book_start(void *ud, const char *el, const char **atts)
{
	struct book *b = ud;
	const char *v;
	if (strcmp(local(el), "sheet") == 0 && !b->rid[0] && (v = attr(atts, "id")))
		snprintf(b->rid, sizeof b->rid, "%s", v);
	else if (strcmp(local(el), "workbookPr") == 0 && (v = attr(atts, "date1904")))
		b->date1904 = strcmp(v, "1") == 0 || strcmp(v, "true") == 0;
}

static void rels_start(void *ud, const char *el, const char **atts)
{
	struct book *b = ud;
	const char *id = attr(atts, "Id"), *t = attr(atts, "Target");
	if (strcmp(local(el), "Relationship") != 0 || !id || !t || strcmp(id, b->rid) != 0)
		return;
	if (t[0] == '/')
		snprintf(b->target, sizeof b->target, "%s", t + 1);
	else
		snprintf(b->target, sizeof b->target, "xl/%s", t);
}

static void no_end(void *ud, const char *el)
{
	(void)ud;
	(void)el;
}

static int first_sheet(zip_t *z, struct book *b, struct err *e)
{
	int rc = xml_part(z, "xl/workbook.xml", 0, b, book_start, no_end, NULL, e);
	if (!rc && !b->rid[0])
		rc = err_set(e, ERR_INVALID, "file", "XLSX 文件中没有工作表");
	if (!rc)
		rc = xml_part(z, "xl/_rels/workbook.xml.rels", 0, b, rels_start, no_end, NULL, e);
	if (!rc && !b->target[0])
		rc = err_set(e, ERR_INVALID, "file", "XLSX 文件的第一个工作表找不到 (relationship %s)", b->rid);
	return rc;
}

/* ---- shared strings ---------------------------------------------------------------------- */

struct sst {
	json_t *strings;  /* array of strings */
	struct buf cur;
	int in_si, in_t, skip;  /* skip: inside <rPh> (phonetic guide), not part of the text */
};

static void sst_start(void *ud, const char *el, const char **atts)
{
	struct sst *s = ud;
	const char *n = local(el);
	(void)atts;
	if (strcmp(n, "si") == 0) {
		s->in_si = 1;
		s->cur.len = 0;
	} else if (strcmp(n, "rPh") == 0) {
		s->skip++;
	} else if (strcmp(n, "t") == 0) {
		s->in_t = 1;
	}
}

static void sst_end(void *ud, const char *el)
{
	struct sst *s = ud;
	const char *n = local(el);
	if (strcmp(n, "si") == 0 && s->in_si) {
		json_array_append_new(s->strings, json_stringn(s->cur.data ? s->cur.data : "", s->cur.len));
		s->in_si = 0;
	} else if (strcmp(n, "rPh") == 0) {
		s->skip--;
	} else if (strcmp(n, "t") == 0) {
		s->in_t = 0;
	}
}

static void sst_chars(void *ud, const char *text, int len)
{
	struct sst *s = ud;
	if (s->in_si && s->in_t && !s->skip)
		buf_append(&s->cur, text, (size_t)len);
}

/* ---- styles: which cell formats are dates ------------------------------------------------- */

struct styles {
	unsigned char custom_date[512];  /* numFmtId (< 512) of a custom date format */
	json_t *xf_date;                 /* array of booleans, one per cellXfs <xf> */
	int in_xfs;
};

/* d, m or y outside "quoted text" and [brackets] (colours, elapsed time, locales). */
static int format_is_date(const char *code)
{
	int quoted = 0, bracket = 0;
	for (const char *c = code; *c; c++) {
		if (*c == '\\' && c[1]) {
			c++;
		} else if (*c == '"') {
			quoted = !quoted;
		} else if (!quoted && *c == '[') {
			bracket = 1;
		} else if (!quoted && *c == ']') {
			bracket = 0;
		} else if (!quoted && !bracket && strchr("dDmMyY", *c)) {
			return 1;
		}
	}
	return 0;
}

static int builtin_date(long id)
{
	return (id >= 14 && id <= 22) || (id >= 45 && id <= 47) || (id >= 27 && id <= 36) || (id >= 50 && id <= 58);
}

static void styles_start(void *ud, const char *el, const char **atts)
{
	struct styles *s = ud;
	const char *n = local(el), *id = attr(atts, "numFmtId"), *code;
	if (strcmp(n, "numFmt") == 0 && id && (code = attr(atts, "formatCode"))) {
		long v = strtol(id, NULL, 10);
		if (v >= 0 && v < (long)sizeof s->custom_date)
			s->custom_date[v] = (unsigned char)format_is_date(code);
	} else if (strcmp(n, "cellXfs") == 0) {
		s->in_xfs = 1;
	} else if (strcmp(n, "xf") == 0 && s->in_xfs) {
		long v = id ? strtol(id, NULL, 10) : 0;
		int date = builtin_date(v) || (v >= 0 && v < (long)sizeof s->custom_date && s->custom_date[v]);
		json_array_append_new(s->xf_date, json_boolean(date));
	}
}

static void styles_end(void *ud, const char *el)
{
	struct styles *s = ud;
	if (strcmp(local(el), "cellXfs") == 0)
		s->in_xfs = 0;
}

/* ---- the worksheet ------------------------------------------------------------------------ */

struct sheet {
	const json_t *strings;
	const json_t *xf_date;
	int date1904;
	json_t *rows, *lines;
	json_t *row;        /* the row being read */
	int rownum;         /* its r="" (1-based) */
	int col;            /* the cell's column (0-based) */
	char type[16];      /* the cell's t="" */
	int style;          /* the cell's s="" */
	int in_v, in_t;
	struct buf val;
	struct err *e;
	int failed;
};

/* "BC12" → column index 54; -1 when the reference has no letters. */
static int ref_col(const char *ref)
{
	int c = 0, n = 0;
	for (; *ref >= 'A' && *ref <= 'Z'; ref++, n++)
		c = c * 26 + (*ref - 'A' + 1);
	return n ? c - 1 : -1;
}

/* Days since the epoch of the workbook's date system to "YYYY-MM-DD". */
static void serial_date(double serial, int date1904, char out[16])
{
	/* 1900 system: serial 1 = 1900-01-01, with Lotus's phantom 1900-02-29 (serial 60),
	** so from March 1900 on day 0 is 1899-12-30. 1904 system: day 0 is 1904-01-01. */
	long days = (long)serial + (date1904 ? 1462 : 0);
	long z = days - 25569 + 719468;  /* days since 0000-03-01 (civil-from-days) */
	long era = (z >= 0 ? z : z - 146096) / 146097;
	long doe = z - era * 146097;
	long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	long y = yoe + era * 400, doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	long mp = (5 * doy + 2) / 153, d = doy - (153 * mp + 2) / 5 + 1, m = mp < 10 ? mp + 3 : mp - 9;
	snprintf(out, 16, "%04ld-%02ld-%02ld", y + (m <= 2), m, d);
}

static int cell_text(struct sheet *s, char *date, const char **text)
{
	const char *v = s->val.data ? s->val.data : "";
	*text = v;
	if (strcmp(s->type, "s") == 0) {
		char *end;
		long i = strtol(v, &end, 10);
		if (end == v || *end || i < 0 || (size_t)i >= json_array_size(s->strings))
			return err_set(s->e, ERR_INVALID, "file", "XLSX 第 %d 行：共享字符串序号 %s 不存在", s->rownum, v);
		*text = json_string_value(json_array_get(s->strings, (size_t)i));
	} else if (strcmp(s->type, "b") == 0) {
		*text = strcmp(v, "1") == 0 ? "1" : "0";
	} else if (!s->type[0] || strcmp(s->type, "n") == 0) {
		char *end;
		double d = strtod(v, &end);
		if (*v && !*end && s->style >= 0 && json_is_true(json_array_get(s->xf_date, (size_t)s->style)) &&
		    d >= 1 && d < 2958466) {
			serial_date(d, s->date1904, date);
			*text = date;
		}
	}
	return 0;
}

static void sheet_start(void *ud, const char *el, const char **atts)
{
	struct sheet *s = ud;
	const char *n = local(el), *v;
	if (strcmp(n, "row") == 0) {
		s->rownum = (v = attr(atts, "r")) ? atoi(v) : s->rownum + 1;
		s->row = json_array();
		s->col = -1;
	} else if (strcmp(n, "c") == 0 && s->row) {
		int c = (v = attr(atts, "r")) ? ref_col(v) : -1;
		s->col = c >= 0 ? c : s->col + 1;
		snprintf(s->type, sizeof s->type, "%s", (v = attr(atts, "t")) ? v : "");
		s->style = (v = attr(atts, "s")) ? atoi(v) : -1;
		s->val.len = 0;
	} else if (strcmp(n, "v") == 0) {
		s->in_v = 1;
	} else if (strcmp(n, "t") == 0) {
		s->in_t = 1;
	}
}

static void cell_end(struct sheet *s)
{
	char date[16];
	const char *text;
	if (s->failed)
		return;
	if (s->col >= XLSX_COLS_MAX) {
		s->failed = err_set(s->e, ERR_INVALID, "file", "XLSX 第 %d 行超过 %d 列", s->rownum, XLSX_COLS_MAX);
		return;
	}
	buf_append(&s->val, "", 1);  /* NUL-terminate */
	s->val.len--;
	if (cell_text(s, date, &text)) {
		s->failed = 1;
		return;
	}
	while ((int)json_array_size(s->row) < s->col)
		json_array_append_new(s->row, json_string(""));
	if ((int)json_array_size(s->row) == s->col)
		json_array_append_new(s->row, json_string(text));
	else
		json_array_set_new(s->row, (size_t)s->col, json_string(text));
}

static void sheet_end(void *ud, const char *el)
{
	struct sheet *s = ud;
	const char *n = local(el);
	if (strcmp(n, "v") == 0) {
		s->in_v = 0;
	} else if (strcmp(n, "t") == 0) {
		s->in_t = 0;
	} else if (strcmp(n, "c") == 0 && s->row) {
		cell_end(s);
	} else if (strcmp(n, "row") == 0 && s->row) {
		int blank = 1;
		for (size_t i = 0; i < json_array_size(s->row); i++)
			blank &= json_string_length(json_array_get(s->row, i)) == 0;
		if (!blank) {
			json_array_append(s->rows, s->row);
			json_array_append_new(s->lines, json_integer(s->rownum));
		}
		json_decref(s->row);
		s->row = NULL;
	}
}

static void sheet_chars(void *ud, const char *text, int len)
{
	struct sheet *s = ud;
	if (s->row && (s->in_v || s->in_t))
		buf_append(&s->val, text, (size_t)len);
}

/* ---- the whole workbook ------------------------------------------------------------------- */

static int read_strings(zip_t *z, json_t *strings, struct err *e)
{
	struct sst s = {.strings = strings};
	int rc = xml_part(z, "xl/sharedStrings.xml", 1, &s, sst_start, sst_end, sst_chars, e);
	buf_free(&s.cur);
	return rc;
}

static int read_styles(zip_t *z, json_t *xf_date, struct err *e)
{
	struct styles *s = calloc(1, sizeof *s);
	if (!s)
		return err_set(e, ERR_INTERNAL, "", "out of memory");
	s->xf_date = xf_date;
	int rc = xml_part(z, "xl/styles.xml", 1, s, styles_start, styles_end, NULL, e);
	free(s);
	return rc;
}

static int read_sheet(zip_t *z, const struct book *b, struct sheet *s, struct err *e)
{
	int rc = xml_part(z, b->target, 0, s, sheet_start, sheet_end, sheet_chars, e);
	json_decref(s->row);
	s->row = NULL;
	buf_free(&s->val);
	return rc ? rc : s->failed ? e->code : 0;
}

int import_xlsx_parse(const void *data, size_t len, json_t **rows, json_t **lines, struct err *e)
{
	zip_error_t ze;
	zip_error_init(&ze);
	zip_source_t *src = zip_source_buffer_create(data, len, 0, &ze);
	zip_t *z = src ? zip_open_from_source(src, ZIP_RDONLY, &ze) : NULL;
	*rows = NULL;
	if (lines)
		*lines = NULL;
	if (!z) {
		zip_source_free(src);
		zip_error_fini(&ze);
		return err_set(e, ERR_INVALID, "file", "不是有效的 XLSX 文件 (%s)", zip_error_strerror(&ze));
	}
	zip_error_fini(&ze);
	struct book b = {0};
	json_t *strings = json_array(), *xf_date = json_array();
	struct sheet s = {.strings = strings, .xf_date = xf_date, .rows = json_array(), .lines = json_array(), .e = e};
	int rc = first_sheet(z, &b, e);
	if (!rc)
		rc = read_strings(z, strings, e);
	if (!rc)
		rc = read_styles(z, xf_date, e);
	s.date1904 = b.date1904;
	if (!rc)
		rc = read_sheet(z, &b, &s, e);
	zip_discard(z);
	json_decref(strings);
	json_decref(xf_date);
	if (rc) {
		json_decref(s.rows);
		json_decref(s.lines);
		return rc;
	}
	*rows = s.rows;
	if (lines)
		*lines = s.lines;
	else
		json_decref(s.lines);
	return 0;
}
