/* The hub's scheduled backups ([backup] in the INI file): a thread of its own, with its own
 * store connection, copies the database into backup_dir when the newest backup there is
 * interval_seconds old (at once when there is none), then deletes all but the newest `keep`.
 * The copy is store_backup_to(): consistent while commands keep committing, and it never runs
 * on the event loop, so a big database cannot stall a kiosk. hub/README.md "Backups".
 *
 * File names: "<database file name>.<YYYYMMDDTHHMMSS.mmmZ>.backup" (the hub clock, UTC), so
 * their order by name is their order in time and two hubs sharing a directory never touch
 * each other's files. */
#ifndef SHOWFLOOR_SERVER_BACKUP_H
#define SHOWFLOOR_SERVER_BACKUP_H

#include <stddef.h>
#include <stdint.h>

#include "clock.h"
#include "config.h"

struct server_backup;

#define SERVER_BACKUP_SUFFIX    ".backup"
#define SERVER_BACKUP_STAMP_LEN 20    /* "20261122T150405.123Z" */
#define SERVER_BACKUP_RETRY_MS  60000 /* after a failed backup, at most this long to the next */

/* Starts the backup thread when cfg->backup_dir is set (creating the directory, mode 0700,
 * if missing); *out is NULL when backups are off. Called on the main thread before the
 * event loop runs; cfg and clk are borrowed until server_backup_stop. 0, or -1 after logging
 * why (the directory cannot be created or written). */
int server_backup_start(const struct config *cfg, const struct clock *clk,
                        struct server_backup **out);
/* Stops the thread: a copy in progress is abandoned between two steps (its temporary file
 * removed), then the thread is joined and everything freed. NULL-safe. Main thread. */
void server_backup_stop(struct server_backup *b);

/* The file name of a backup of `db_path` taken at `at_ms` (UTC ms), without the directory.
 * 0, or -1 if it does not fit. */
int server_backup_name(const char *db_path, int64_t at_ms, char *buf, size_t sz);
/* The time a backup file name of `db_path` carries, in UTC ms; -1 if `name` is not one. */
int64_t server_backup_name_time(const char *db_path, const char *name);

#endif
