/* Private to hub/privacy*.c: the key store (hub/privacy_keystore.c), an SQLite file of
 * wrapped customer keys kept apart from the database so that backups never hold them.
 * The key store only stores and hands back opaque wrapped blobs; the wrapping itself and
 * every secret stay in hub/privacy.c. Nothing outside privacy*.c includes this. */
#ifndef SHOWFLOOR_PRIVACY_INTERNAL_H
#define SHOWFLOOR_PRIVACY_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "privacy.h"

/* A wrapped customer key: the sealed-field layout of privacy.h around a 32-byte key. */
#define PRIVACY_WRAPPED_BYTES   (PRIVACY_KEY_BYTES + PRIVACY_SEAL_OVERHEAD)
#define PRIVACY_KEYSTORE_MEMORY ":memory:"

struct privacy_keystore;

/* Opens (creating, mode 0600) the key store at path (PRIVACY_KEYSTORE_MEMORY: in memory),
 * in WAL mode with synchronous=FULL and secure_delete=ON. key_check (64 hex digits) names
 * the data key: a new key store records it, an existing one made under another data key is
 * refused. PROTO_E_UNAVAILABLE naming the file on any failure. */
int privacy_keystore_open(struct privacy_keystore **out, const char *path, const char *key_check,
                          struct proto_error *err);
void privacy_keystore_close(struct privacy_keystore *ks); /* NULL is fine */

/* The wrapped key of id into wrapped[PRIVACY_WRAPPED_BYTES]. 0; -1 with PROTO_E_NOT_FOUND
 * (not logged) when there is none; -1 with PROTO_E_INTERNAL (logged) on a fault or a row
 * of the wrong size. */
int privacy_keystore_get(struct privacy_keystore *ks, int64_t id,
                         uint8_t wrapped[PRIVACY_WRAPPED_BYTES], struct proto_error *err);
/* Is there a row for id? 1 yes, 0 no, -1 fault (err filled, logged). */
int privacy_keystore_has(struct privacy_keystore *ks, int64_t id, struct proto_error *err);

/* Fills one wrapped key for the new id; 0, or -1 to abandon the batch. */
typedef int (*privacy_keystore_wrap_fn)(void *ctx, int64_t id,
                                        uint8_t wrapped[PRIVACY_WRAPPED_BYTES]);
/* Commits n new keys with ids *first .. *first + n - 1 in one IMMEDIATE transaction, ids
 * above every id this key store ever issued (meta 'issued_through' moves to the end of the
 * batch in the same transaction, so another process, or this one after a restart, never gets
 * them again). Nothing is kept when it fails. */
int privacy_keystore_fill(struct privacy_keystore *ks, int n, privacy_keystore_wrap_fn wrap,
                          void *ctx, int64_t *first, struct proto_error *err);

/* Deletes id's row (committed, FULL; secure_delete zeroes it) and checkpoints the WAL with
 * TRUNCATE so no frame holding it stays on disk. A missing id is fine. PROTO_E_UNAVAILABLE
 * when a reader kept the checkpoint from completing (the row is gone; call again). */
int privacy_keystore_delete(struct privacy_keystore *ks, int64_t id, struct proto_error *err);

/* Deletes the never-issued ids first..last of a process's pool at close (one commit, no
 * checkpoint: nothing was ever sealed under them). */
int privacy_keystore_discard(struct privacy_keystore *ks, int64_t first, int64_t last,
                             struct proto_error *err);

/* Every id present, ascending, into *ids (malloc'd, caller frees; NULL when *n is 0). */
/* The highest key id ever handed out by this key store (its meta row, or its largest id). */
int privacy_keystore_issued(struct privacy_keystore *ks, int64_t *out, struct proto_error *err);
int privacy_keystore_ids(struct privacy_keystore *ks, int64_t **ids, size_t *n,
                         struct proto_error *err);

/* Did another connection (another process) commit to the key store since the last call?
 * Lets a cache of opened keys notice a key destroyed elsewhere. A fault counts as a change. */
bool privacy_keystore_changed(struct privacy_keystore *ks);

#endif
