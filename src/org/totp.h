/*
** totp.h: the TOTP second factor (RFC 6238: HMAC-SHA1, 6 digits, 30-second
** steps, what every authenticator app speaks) through liboath, and the QR
** code of its enrolment URI through libqrencode. libsodium, our crypto
** library, has no SHA-1; liboath is Debian's implementation of the RFCs.
**
** Secrets are 20 random bytes (libsodium) written in base32 (32 characters).
** A code is accepted for the previous, current and next step (clock drift
** of phones) and only for a step after the last one accepted, so a code
** seen by someone else cannot be used again. Pure functions apart from the
** random secret; no global state but liboath's one-time initialisation.
*/
#ifndef GG_TOTP_H
#define GG_TOTP_H

#include <stdint.h>

#include "base/buf.h"
#include "base/err.h"

#define TOTP_SECRET_LEN 32         /* base32 characters */
#define TOTP_STEP 30

/* A new random secret into out (TOTP_SECRET_LEN + 1). */
int totp_new_secret(char *out, struct err *e);
/* The code of secret for instant t into out (7 bytes); 0 or ERR_INVALID. */
int totp_code(const char *secret, int64_t t, char *out, struct err *e);
/* Check code against secret at now. 0 with *step the step it matched, which
** is after last_step; ERR_AUTH when it does not match or was used already;
** ERR_INVALID when the secret is unreadable. */
int totp_verify(const char *secret, int64_t now, const char *code, int64_t last_step, int64_t *step,
		struct err *e);
/* otpauth://totp/ISSUER:USER?secret=...&issuer=...&algorithm=SHA1&digits=6&period=30 */
void totp_uri(const char *issuer, const char *user, const char *secret, char *out, size_t n);
/* The QR code of text as an SVG document appended to out (the caller frees
** out->data). */
int totp_qr_svg(const char *text, struct buf *out, struct err *e);

#endif
