/*
** csv.h: one CSV cell as every CSV the program writes quotes it: RFC 4180
** (quoted when it holds a comma, quote, CR or LF; quotes doubled), and
** safe to open in a spreadsheet (OWASP "CSV injection"): a text cell
** starting with =, +, -, @, tab or CR is prefixed with ' so it is never read
** as a formula; numbers the program formatted itself (text 0) are written as
** they are. The web's own CSV export (web/js/table.js) applies the same rule
** (there: a cell that is a plain number counts as a number).
*/
#ifndef GG_CSV_H
#define GG_CSV_H

#include "base/buf.h"

/* Append cell s (NULL: empty) to b; text 0 for a number we formatted. */
void csv_cell(struct buf *b, const char *s, int text);

#endif
