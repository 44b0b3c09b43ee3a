/* Backups and restore of the hub's database (issue 6 "Backups"): an online copy with SQLite's
 * backup API that the hub and the CLI can take while commands keep committing, the checks a
 * copy must pass before anyone relies on it, and the restore that puts one back in place.
 * hub/README.md "Backups" is the operator's view; RELIABILITY.md lists the tests.
 *
 * Threading: each call uses its own connections (or the caller's struct store, which stays
 * the caller's thread's), so the hub's backup thread can run them next to the event loop. */
#ifndef SHOWFLOOR_STORE_BACKUP_H
#define SHOWFLOOR_STORE_BACKUP_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "store.h"

/* Pages copied per sqlite3_backup_step (4 MiB at the default 4 KiB page), and the pause
 * between steps that leaves the disk to the hub's commits. */
#define STORE_BACKUP_STEP_PAGES 1024
#define STORE_BACKUP_SLEEP_MS   5
/* Longest path of a database or backup plus the suffixes added to it (".tmp",
 * ".before-restore-YYYYMMDDTHHMMSSZ", "-wal"). */
#define STORE_BACKUP_PATH_MAX 1100

/* Why a file was refused, as a stable code the CLI prints (`refused [code]: message`). */
#define STORE_BACKUP_REFUSAL_MAP(X)                                                        \
    X(NONE, "none")                     /* not refused */                                  \
    X(MISSING, "missing")               /* no such file, or not a regular file */          \
    X(NOT_A_DATABASE, "not_a_database") /* not an SQLite file at all */                    \
    X(DAMAGED, "damaged")               /* PRAGMA integrity_check is not ok */             \
    X(FOREIGN, "foreign")               /* SQLite, but not Showfloor's (application_id) */ \
    X(NEWER_SCHEMA, "newer_schema")     /* written by a newer program */                   \
    X(AUDIT_BROKEN, "audit_broken")     /* the audit chain does not verify (--force) */    \
    X(OTHER_HUB, "other_hub")           /* another installation's hub_id (--force) */      \
    X(IN_USE, "in_use")                 /* a hub or a CLI has the database open */         \
    X(EXISTS, "exists")                 /* the output file exists (--force) */             \
    X(SAME_FILE, "same_file")           /* source and destination are one file */

enum store_backup_refusal {
#define STORE_BACKUP_X_ENUM(name, code) STORE_BACKUP_##name,
    STORE_BACKUP_REFUSAL_MAP(STORE_BACKUP_X_ENUM)
#undef STORE_BACKUP_X_ENUM
        STORE_BACKUP__REFUSALS
};

/* "in_use", ...; "none" for an out-of-range value. */
const char *store_backup_refusal_code(enum store_backup_refusal r);

/* What a backup (or a file checked as one) holds. */
struct store_backup_info {
    int schema_version;                  /* PRAGMA user_version of the copy */
    char hub_id[STORE_HASH_HEX_LEN + 1]; /* meta.hub_id: which installation it came from */
    int64_t last_seq;                    /* newest event in it (0 none) */
    int64_t audit_records;               /* rows of the audit trail */
    int64_t pages, page_size;            /* the copy's size: pages * page_size bytes */
    int64_t steps;                       /* backup steps taken (store_backup_to) */
    int64_t ms;                          /* wall time of the whole call, copy and checks */
};

struct store_backup_opts {
    int step_pages;           /* 0: STORE_BACKUP_STEP_PAGES */
    int sleep_ms;             /* pause between steps; < 0: STORE_BACKUP_SLEEP_MS */
    bool replace;             /* an existing `path` may be replaced */
    const atomic_int *cancel; /* optional: nonzero stops the copy between two steps */
};

/* Copies the database behind `s` to `path` while other connections keep writing: one read
 * transaction on `s` pins the state of the moment the call began (the copy holds every
 * commit made before it and none made after; WAL readers never block writers), and
 * sqlite3_backup_step copies it in steps of opt->step_pages with a pause between them.
 * The copy goes to "<path>.tmp", is checked (store_backup_check: integrity_check ok,
 * application_id, the same schema version, converted to a single file without -wal), made
 * mode 0600, fsynced and renamed to `path`, and the directory is fsynced: `path` is either
 * absent or a whole, checked backup. `s` must have no transaction open. opt may be NULL.
 * 0 with *out filled (out may be NULL), or -1 with *err and *why (why may be NULL):
 * EXISTS (path exists and !opt->replace), SAME_FILE, DAMAGED (the copy failed its checks);
 * PROTO_E_UNAVAILABLE "cancelled" when opt->cancel was raised; I/O faults as
 * PROTO_E_UNAVAILABLE naming the file. No "<path>.tmp" is left behind on failure. */
int store_backup_to(struct store *s, const char *path, const struct store_backup_opts *opt,
                    struct store_backup_info *out, enum store_backup_refusal *why,
                    struct proto_error *err);

/* Checks that `path` is a whole Showfloor database this program can open: an SQLite file
 * (NOT_A_DATABASE), whose PRAGMA integrity_check says ok (DAMAGED), whose application_id is
 * Showfloor's (FOREIGN), whose schema is not newer than store_schema_version()
 * (NEWER_SCHEMA). Reads hub_id, last_seq, audit_records, pages. standalone: also switch the
 * file to journal_mode=DELETE (the copy then needs no -wal or -shm beside it; the hub puts
 * it back into WAL when it opens it); otherwise the file is opened read-only and unchanged.
 * 0 with *out filled, or -1 with *err and *why (both may be NULL). */
int store_backup_check(const char *path, bool standalone, struct store_backup_info *out,
                       enum store_backup_refusal *why, struct proto_error *err);

/* ---- restore (store_restore.c) ---- */

struct store_restore_opts {
    bool force;  /* accept AUDIT_BROKEN and OTHER_HUB (never the other refusals) */
    int64_t now; /* UTC ms: names the kept copy "<db>.before-restore-YYYYMMDDTHHMMSSZ" */
};

struct store_restore_result {
    struct store_backup_info backup;             /* as checked, before any migration */
    int schema_version;                          /* of the restored database (after migrations) */
    struct store_audit_result audit;             /* the restored database's audit chain */
    bool replaced;                               /* a database was there and is kept below */
    char kept[STORE_BACKUP_PATH_MAX];            /* path of the kept copy ("" if none) */
    char current_hub_id[STORE_HASH_HEX_LEN + 1]; /* of the replaced database ("" unknown) */
};

/* Replaces the database at `db_path` with the backup `backup`:
 * 1. copies the backup's bytes to "<db_path>.restore-tmp" (the backup file itself is never
 *    opened by SQLite, so it stays byte-for-byte as it was);
 * 2. checks the copy (store_backup_check), opens it with store_open (applying the pending
 *    migrations of an older backup) and verifies its audit chain (AUDIT_BROKEN unless
 *    force);
 * 3. if a database is at db_path: opens it with locking_mode=EXCLUSIVE and takes an
 *    exclusive lock without waiting. Every process with an SQLite connection to the file
 *    (the hub, its webhook, a CLI command) holds a shared lock, so the lock fails exactly
 *    while one is open: IN_USE. Holding the lock, it compares hub_id (OTHER_HUB unless
 *    force), switches the file to journal_mode=DELETE (folding its -wal in, so no -wal of
 *    the old database can be replayed onto the new one) and copies it to
 *    "<db_path>.before-restore-<time>";
 * 4. renames the checked copy over db_path (atomic) and fsyncs the directory.
 * A refusal changes nothing at db_path and leaves no temporary file. 0 with *out filled, or
 * -1 with *err and *why (why may be NULL). */
int store_restore(const char *backup, const char *db_path, const struct store_restore_opts *opt,
                  struct store_restore_result *out, enum store_backup_refusal *why,
                  struct proto_error *err);

#endif
