/*
** log.h: the application log. One line per event on stderr (or the file
** set with log_open), "2026-11-25T08:00:00+08:00 LEVEL module: message".
** Personal data must be masked by the caller (see str_mask_*). The log file
** is rotated by size by the ops cleanup job, never by this module.
*/
#ifndef GG_LOG_H
#define GG_LOG_H

enum log_level { LOG_DEBUG, LOG_INFO, LOG_WARN, LOG_ERROR };

/* Process-wide sink set up once in main/serve before threads start. */
void log_setup(const char *path, enum log_level min);
void log_msg(enum log_level lvl, const char *module, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#define log_info(m, ...) log_msg(LOG_INFO, m, __VA_ARGS__)
#define log_warn(m, ...) log_msg(LOG_WARN, m, __VA_ARGS__)
#define log_error(m, ...) log_msg(LOG_ERROR, m, __VA_ARGS__)

#endif
