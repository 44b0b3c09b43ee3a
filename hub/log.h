/* Structured log lines to stderr: "2026-11-22T15:04:05.123Z level=info mod=hub msg=..." */
#ifndef SHOWFLOOR_LOG_H
#define SHOWFLOOR_LOG_H

enum log_level { LOG_DEBUG, LOG_INFO, LOG_WARN, LOG_ERROR };

/* Process-wide minimum level, set once at start-up before any thread exists. */
void log_set_level(enum log_level lvl);
int log_level_from_name(const char *name); /* -1 if unknown */
void log_msg(enum log_level lvl, const char *mod, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#define log_debug(mod, ...) log_msg(LOG_DEBUG, mod, __VA_ARGS__)
#define log_info(mod, ...)  log_msg(LOG_INFO, mod, __VA_ARGS__)
#define log_warn(mod, ...)  log_msg(LOG_WARN, mod, __VA_ARGS__)
#define log_error(mod, ...) log_msg(LOG_ERROR, mod, __VA_ARGS__)

#endif
