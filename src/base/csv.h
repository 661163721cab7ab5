/*
** csv.h: one CSV cell as every CSV the program writes quotes it: RFC 4180
** (quoted when it holds a comma, quote, CR or LF; quotes doubled), and
** safe to open in a spreadsheet (OWASP "CSV injection"): a cell starting
** with =, +, -, @, tab or CR is prefixed with ' so it is never read as a
** formula, unless it is a plain number ("-3", "+1.5", "12%"). The web's
** own CSV export (web/js/table.js) applies the same rule.
*/
#ifndef GG_CSV_H
#define GG_CSV_H

#include "base/buf.h"

/* Append cell s to b. */
void csv_cell(struct buf *b, const char *s);

#endif
