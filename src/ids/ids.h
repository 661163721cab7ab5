/*
** ids.h: validation of the identifiers the approval system receives
** (domain.md §5): the unified social credit code (统一社会信用代码, GB
** 32100-2015), the resident ID card number (GB 11643-1999), the investment
** project code (投资项目代码) and the administrative division code (GB/T 2260).
**
** Every check takes the text as typed: surrounding blanks are ignored and
** lower-case letters are taken as upper case (ids_normalize gives the form to
** store). A check returns 0 when the value is valid, else ERR_INVALID with
** e->field the kind ("uscc", "idcard", "project-code", "division") and
** e->msg one line naming the rule broken, e.g. `length: expected 18
** characters, got 17`, `character 'I' at 9 not allowed`, `check digit:
** expected H got 7`, `unknown division 610299`. Positions are 1-based.
**
** Known divisions are data: every CSV file under data/divisions/ compiled into the
** binary (`code,name,parent`; 陕西省 with all its cities and counties, and the
** national province-level codes). The credit code checks only the shape of
** its division segment (a company of any city in China is valid); the
** project code and the division check need a known code.
**
** Ownership and threads: the module has no mutable state visible to callers.
** The division table is parsed from the embedded files once, on first use,
** under pthread_once, and never written afterwards; the pointers returned by
** the lookups point into it and live as long as the process. All functions
** may be called from any thread.
*/
#ifndef GG_IDS_H
#define GG_IDS_H

#include <stddef.h>

#include "base/err.h"

enum ids_kind {
	IDS_USCC = 0,
	IDS_IDCARD = 1,
	IDS_PROJECT_CODE = 2,
	IDS_DIVISION = 3,
};

#define IDS_MAX 64               /* longest input a check looks at, NUL included */

struct ids_division {
	char code[7];            /* "610202"                               */
	char parent[7];          /* "610200", "" for a top-level division  */
	const char *name;        /* "王益区"                               */
};

/* Trim blanks (space, tab, CR, LF) around `in` and upper-case ASCII letters
** into out (outsz bytes). Returns the length, or -1 when it does not fit
** (out then holds a truncated copy). */
int ids_normalize(const char *in, char *out, size_t outsz);

/* "uscc", "idcard", "project-code", "division" -> enum ids_kind, -1 when
** unknown; and back (NULL for an unknown kind). */
int ids_kind_parse(const char *name);
const char *ids_kind_name(int kind);

/* Check s as `kind`; the same as the functions below. */
int ids_check(int kind, const char *s, struct err *e);

int ids_check_uscc(const char *s, struct err *e);
/* The birth date must be a real date in 1800..2099; whether it lies in the
** future is the caller's question (this module has no clock). */
int ids_check_idcard(const char *s, struct err *e);
int ids_check_project_code(const char *s, struct err *e);
int ids_check_division(const char *s, struct err *e);

/* Check characters, for generating test data and for messages. The inputs
** must already be valid in length and character set (asserted).
**   ids_uscc_check_char:    first 17 characters of a credit code
**   ids_orgcode_check_char: 8 characters of an organisation code (GB 11714)
**   ids_idcard_check_char:  first 17 digits of an ID card number */
char ids_uscc_check_char(const char *first17);
char ids_orgcode_check_char(const char *first8);
char ids_idcard_check_char(const char *first17);

/* The known division with this 6-digit code (blanks trimmed), or NULL. */
const struct ids_division *ids_division_find(const char *code);

/* Its name ("王益区"), or NULL when the code is unknown. */
const char *ids_division_name(const char *code);

/* Number of known divisions, and the i-th in code order (NULL past the end). */
size_t ids_division_count(void);
const struct ids_division *ids_division_at(size_t i);

#endif
