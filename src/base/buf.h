/*
** buf.h: a growable byte buffer for building text (metrics, CSV, HTML).
** The caller owns b->data after use (free) or calls buf_free.
*/
#ifndef GG_BUF_H
#define GG_BUF_H

#include <stddef.h>

struct buf {
	char *data;    /* NUL-terminated when len > 0 */
	size_t len, cap;
};

void buf_append(struct buf *b, const char *s, size_t n);
void buf_puts(struct buf *b, const char *s);
void buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Append the decimal digits of v (no printf: hot JSON paths). */
void buf_int(struct buf *b, long long v);
/* Append s with HTML special characters escaped. */
void buf_html(struct buf *b, const char *s);
void buf_free(struct buf *b);

#endif
