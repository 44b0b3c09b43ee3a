/* Private to store_backup.c and store_restore.c: the file and refusal helpers both sides of a
 * backup need. */
#ifndef SHOWFLOOR_STORE_BACKUP_INTERNAL_H
#define SHOWFLOOR_STORE_BACKUP_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

#include "store_backup.h"

/* Sets *why (may be NULL) and *err together; returns -1. */
int store_backup_refuse(enum store_backup_refusal *why, enum store_backup_refusal r,
                        struct proto_error *err, enum proto_err code, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
/* fsync of a file or a directory by path; errno kept on failure. */
int store_backup_sync(const char *path, bool dir);
/* The directory part of path ("." when it has none). */
void store_backup_dir_of(const char *path, char *buf, size_t sz);
/* Removes path and the -wal, -shm and -journal files SQLite may have left beside it. */
void store_backup_remove(const char *path);
/* 1 if a and b name one file (both exist and share device and inode). */
int store_backup_same_file(const char *a, const char *b);

#endif
