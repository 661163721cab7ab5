/*
** ids.c: identifier checks (see ids.h).
**
** Sections: normalising and reporting, the credit code (GB 32100-2015 with
** the organisation code of GB 11714), the ID card number (GB 11643-1999), the
** project code, and the division table read from the embedded
** CSV files under data/divisions/.
**
** Each check runs its rules in a fixed order and stops at the first broken
** one, so the message names exactly one rule: length, character set, then
** the structure-specific rules, and the check character last.
*/
#include "ids/ids.h"

#include "base/embed.h"
#include "calendar/cal.h"

#include <assert.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

static const char *const kind_names[] = {"uscc", "idcard", "project-code", "division"};

/* ==== normalising and reporting ========================================= */

static int blank(char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n';
}

int ids_normalize(const char *in, char *out, size_t outsz)
{
	assert(outsz > 0);
	while (blank(*in))
		in++;
	size_t n = strlen(in);
	while (n > 0 && blank(in[n - 1]))
		n--;
	size_t k = n < outsz ? n : outsz - 1;
	for (size_t i = 0; i < k; i++)
		out[i] = (in[i] >= 'a' && in[i] <= 'z') ? (char)(in[i] - 'a' + 'A') : in[i];
	out[k] = 0;
	return n < outsz ? (int)n : -1;
}

int ids_kind_parse(const char *name)
{
	for (int k = 0; k < 4; k++)
		if (strcmp(name, kind_names[k]) == 0)
			return k;
	return -1;
}

const char *ids_kind_name(int kind)
{
	return kind >= 0 && kind < 4 ? kind_names[kind] : NULL;
}

/* Characters (UTF-8 code points) of s, for the length message. */
static size_t chars(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		n += ((unsigned char)*s & 0xc0) != 0x80;
	return n;
}

/* Normalise s into buf and check its length: the first rule of every kind. */
static int prepare(int kind, const char *s, size_t want, char buf[IDS_MAX], struct err *e)
{
	if (!s)
		s = "";
	int n = ids_normalize(s, buf, IDS_MAX);
	if (n >= 0 && (size_t)n == want)
		return 0;
	while (blank(*s))
		s++;
	size_t got = n >= 0 ? chars(buf) : chars(s);
	return err_set(e, ERR_INVALID, kind_names[kind],
		       "length: expected %zu characters, got %zu", want, got);
}

/* "character 'I' at 9 not allowed", position 1-based in characters. */
static int bad_char(int kind, const char *buf, size_t i, struct err *e)
{
	unsigned char ch = (unsigned char)buf[i];
	size_t pos = 1;
	for (size_t k = 0; k < i; k++)
		pos += ((unsigned char)buf[k] & 0xc0) != 0x80;
	if (ch >= 0x20 && ch < 0x7f)
		return err_set(e, ERR_INVALID, kind_names[kind], "character '%c' at %zu not allowed",
			       ch, pos);
	return err_set(e, ERR_INVALID, kind_names[kind],
		       "character 0x%02X at %zu not allowed", ch, pos);
}

static int is_digit(char ch)
{
	return ch >= '0' && ch <= '9';
}

/* ==== credit code (GB 32100-2015) ======================================= */

static const char uscc_chars[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";

/* Registration department (char 1) and the organisation types (char 2) it
** may issue, per GB 32100-2015 and its amendments. */
static const char *uscc_types(char dept)
{
	switch (dept) {
	case '1': return "1239";     /* 机构编制: 机关 事业单位 中央编办管理的群众团体 其他 */
	case '2': return "19";       /* 外交: 外国常驻新闻机构 其他                        */
	case '3': return "123459";   /* 司法行政: 律师 公证 基层法律服务 司法鉴定 仲裁 其他 */
	case '4': return "19";       /* 文化: 外国在华文化中心 其他                        */
	case '5': return "1239";     /* 民政: 社会团体 民办非企业单位 基金会 其他          */
	case '6': return "129";      /* 旅游: 外国/港澳台旅游部门常驻代表机构 其他         */
	case '7': return "129";      /* 宗教: 宗教活动场所 宗教院校 其他                   */
	case '8': return "19";       /* 工会: 基层工会 其他                                */
	case '9': return "123";      /* 工商: 企业 个体工商户 农民专业合作社               */
	case 'A': return "19";       /* 中央军委改革和编制办公室: 军队事业单位 其他         */
	case 'N': return "1239";     /* 农业: 组级 村级 乡镇级集体经济组织 其他            */
	case 'Y': return "1";        /* 其他                                               */
	default: return "";
	}
}

/* uscc_chars index + 1 per byte, 0 for a character outside the set. */
static const unsigned char uscc_index[256] = {
	['0'] = 1, ['1'] = 2, ['2'] = 3, ['3'] = 4, ['4'] = 5, ['5'] = 6, ['6'] = 7,
	['7'] = 8, ['8'] = 9, ['9'] = 10, ['A'] = 11, ['B'] = 12, ['C'] = 13, ['D'] = 14,
	['E'] = 15, ['F'] = 16, ['G'] = 17, ['H'] = 18, ['J'] = 19, ['K'] = 20, ['L'] = 21,
	['M'] = 22, ['N'] = 23, ['P'] = 24, ['Q'] = 25, ['R'] = 26, ['T'] = 27, ['U'] = 28,
	['W'] = 29, ['X'] = 30, ['Y'] = 31,
};

static int uscc_value(char ch)
{
	return uscc_index[(unsigned char)ch] - 1;
}

static int orgcode_value(char ch)
{
	if (is_digit(ch))
		return ch - '0';
	if (ch >= 'A' && ch <= 'Z')
		return ch - 'A' + 10;
	return -1;
}

char ids_uscc_check_char(const char *s)
{
	static const int w[17] = {1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28};
	int sum = 0;
	for (int i = 0; i < 17; i++) {
		int v = uscc_value(s[i]);
		assert(v >= 0);
		sum += v * w[i];
	}
	return uscc_chars[(31 - sum % 31) % 31];
}

char ids_orgcode_check_char(const char *s)
{
	static const int w[8] = {3, 7, 9, 10, 5, 8, 4, 2};
	int sum = 0;
	for (int i = 0; i < 8; i++) {
		int v = orgcode_value(s[i]);
		assert(v >= 0);
		sum += v * w[i];
	}
	int c = 11 - sum % 11;
	return c == 10 ? 'X' : c == 11 ? '0' : (char)('0' + c);
}

int ids_check_uscc(const char *s, struct err *e)
{
	char b[IDS_MAX];
	if (prepare(IDS_USCC, s, 18, b, e))
		return ERR_INVALID;
	for (size_t i = 0; i < 18; i++)
		if (uscc_value(b[i]) < 0)
			return bad_char(IDS_USCC, b, i, e);
	if (!strchr(uscc_types(b[0]), b[1]))
		return err_set(e, ERR_INVALID, "uscc",
			       "registration type '%.2s' unknown (chars 1-2)", b);
	for (int i = 2; i < 8; i++)
		if (!is_digit(b[i]))
			return err_set(e, ERR_INVALID, "uscc",
				       "division segment '%.6s' not 6 digits (chars 3-8)", b + 2);
	char oc = ids_orgcode_check_char(b + 8);
	if (b[16] != oc)
		return err_set(e, ERR_INVALID, "uscc",
			       "organisation code check: expected %c got %c (char 17)", oc, b[16]);
	char cc = ids_uscc_check_char(b);
	if (b[17] != cc)
		return err_set(e, ERR_INVALID, "uscc", "check digit: expected %c got %c", cc, b[17]);
	return 0;
}

/* ==== ID card number (GB 11643-1999) ==================================== */

char ids_idcard_check_char(const char *s)
{
	static const int w[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
	int sum = 0;
	for (int i = 0; i < 17; i++) {
		assert(is_digit(s[i]));
		sum += (s[i] - '0') * w[i];
	}
	return "10X98765432"[sum % 11];
}

/* Province-level prefixes of GB/T 2260 that ID numbers carry. */
static int known_province(int p)
{
	static const unsigned char prov[] = {11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34,
		35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52, 53, 54, 61, 62, 63, 64, 65, 71,
		81, 82};
	for (size_t i = 0; i < sizeof prov; i++)
		if (prov[i] == p)
			return 1;
	return 0;
}

int ids_check_idcard(const char *s, struct err *e)
{
	char b[IDS_MAX];
	if (prepare(IDS_IDCARD, s, 18, b, e))
		return ERR_INVALID;
	for (size_t i = 0; i < 18; i++)
		if (!is_digit(b[i]) && !(i == 17 && b[i] == 'X'))
			return bad_char(IDS_IDCARD, b, i, e);
	int prov = (b[0] - '0') * 10 + (b[1] - '0');
	if (!known_province(prov))
		return err_set(e, ERR_INVALID, "idcard",
			       "address code: province %02d unknown (chars 1-2)", prov);
	int y = 0, m, d;
	for (int i = 6; i < 10; i++)
		y = y * 10 + (b[i] - '0');
	m = (b[10] - '0') * 10 + (b[11] - '0');
	d = (b[12] - '0') * 10 + (b[13] - '0');
	if (y < 1800 || y > 2099 || !cal_date_valid(y, m, d))
		return err_set(e, ERR_INVALID, "idcard", "birth date %.8s invalid (chars 7-14)",
			       b + 6);
	char cc = ids_idcard_check_char(b);
	if (b[17] != cc)
		return err_set(e, ERR_INVALID, "idcard", "check digit: expected %c got %c", cc,
			       b[17]);
	return 0;
}

/* ==== project code and division ========================================= */

int ids_check_project_code(const char *s, struct err *e)
{
	static const char shape[] = "NNNN-NNNNNN-NN-NN-NNNNNN";
	char b[IDS_MAX];
	if (prepare(IDS_PROJECT_CODE, s, 24, b, e))
		return ERR_INVALID;
	for (size_t i = 0; i < 24; i++) {
		int ok = shape[i] == 'N' ? is_digit(b[i]) : b[i] == '-';
		if (!ok) {
			struct err ce;
			bad_char(IDS_PROJECT_CODE, b, i, &ce);
			return err_set(e, ERR_INVALID, "project-code", "shape: expected %s, %s",
				       shape, ce.msg);
		}
	}
	char div[7];
	memcpy(div, b + 5, 6);
	div[6] = 0;
	if (!ids_division_find(div))
		return err_set(e, ERR_INVALID, "project-code",
			       "unknown division %s (chars 6-11)", div);
	return 0;
}

int ids_check_division(const char *s, struct err *e)
{
	char b[IDS_MAX];
	if (prepare(IDS_DIVISION, s, 6, b, e))
		return ERR_INVALID;
	for (size_t i = 0; i < 6; i++)
		if (!is_digit(b[i]))
			return bad_char(IDS_DIVISION, b, i, e);
	if (!ids_division_find(b))
		return err_set(e, ERR_INVALID, "division", "unknown division %s", b);
	return 0;
}

int ids_check(int kind, const char *s, struct err *e)
{
	switch (kind) {
	case IDS_USCC: return ids_check_uscc(s, e);
	case IDS_IDCARD: return ids_check_idcard(s, e);
	case IDS_PROJECT_CODE: return ids_check_project_code(s, e);
	case IDS_DIVISION: return ids_check_division(s, e);
	default: return err_set(e, ERR_INVALID, "kind", "unknown identifier kind %d", kind);
	}
}

/* ==== the division table ================================================ */

/* Written once by load_divisions (under pthread_once), then only read. */
static struct ids_division *divs;
static size_t ndivs;
static pthread_once_t divs_once = PTHREAD_ONCE_INIT;

static int div_cmp(const void *a, const void *b)
{
	return strcmp(((const struct ids_division *)a)->code,
		      ((const struct ids_division *)b)->code);
}

static int six_digits(const char *p, size_t n)
{
	if (n != 6)
		return 0;
	for (size_t i = 0; i < 6; i++)
		if (!is_digit(p[i]))
			return 0;
	return 1;
}

/* Parse one `code,name,parent` line into d; 0 when it is not one (the
** header, blank or malformed lines; tests check the table's size). */
static int div_line(const char *b, const char *end, struct ids_division *d, char **pool)
{
	const char *c1 = memchr(b, ',', (size_t)(end - b));
	const char *c2 = c1 ? memchr(c1 + 1, ',', (size_t)(end - c1 - 1)) : NULL;
	if (!c2 || !six_digits(b, (size_t)(c1 - b)) || c2 == c1 + 1)
		return 0;
	if (end > c2 + 1 && !six_digits(c2 + 1, (size_t)(end - c2 - 1)))
		return 0;
	memcpy(d->code, b, 6);
	d->code[6] = 0;
	d->parent[0] = 0;
	if (end > c2 + 1) {
		memcpy(d->parent, c2 + 1, 6);
		d->parent[6] = 0;
	}
	size_t nl = (size_t)(c2 - c1 - 1);
	memcpy(*pool, c1 + 1, nl);
	(*pool)[nl] = 0;
	d->name = *pool;
	*pool += nl + 1;
	return 1;
}

static void load_divisions(void)
{
	size_t bytes = 0, lines = 0;
	for (const struct embed_file *f = embed_files; f->path; f++) {
		if (strncmp(f->path, "data/divisions/", 15) != 0)
			continue;
		bytes += f->len;
		for (size_t i = 0; i < f->len; i++)
			lines += f->data[i] == '\n';
		lines++;
	}
	/* one allocation: the entries, then the names */
	char *mem = malloc(lines * sizeof *divs + bytes + lines);
	if (!mem)
		return;            /* no table: every division is unknown */
	struct ids_division *t = (struct ids_division *)mem;
	char *pool = mem + lines * sizeof *divs;
	size_t n = 0;
	for (const struct embed_file *f = embed_files; f->path; f++) {
		if (strncmp(f->path, "data/divisions/", 15) != 0)
			continue;
		const char *p = (const char *)f->data, *end = p + f->len;
		while (p < end) {
			const char *nl = memchr(p, '\n', (size_t)(end - p));
			const char *le = nl ? nl : end;
			const char *b = p;
			p = nl ? nl + 1 : end;
			if (le > b && le[-1] == '\r')
				le--;
			n += div_line(b, le, &t[n], &pool);
		}
	}
	qsort(t, n, sizeof *t, div_cmp);
	divs = t;
	ndivs = n;
}

const struct ids_division *ids_division_find(const char *code)
{
	pthread_once(&divs_once, load_divisions);
	char b[8];
	if (ids_normalize(code, b, sizeof b) != 6)
		return NULL;
	struct ids_division key;
	memcpy(key.code, b, 7);
	return ndivs ? bsearch(&key, divs, ndivs, sizeof *divs, div_cmp) : NULL;
}

const char *ids_division_name(const char *code)
{
	const struct ids_division *d = ids_division_find(code);
	return d ? d->name : NULL;
}

size_t ids_division_count(void)
{
	pthread_once(&divs_once, load_divisions);
	return ndivs;
}

const struct ids_division *ids_division_at(size_t i)
{
	pthread_once(&divs_once, load_divisions);
	return i < ndivs ? &divs[i] : NULL;
}
