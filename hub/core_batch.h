/* Private to hub/core*.c: how a command's transaction is opened and closed, so the same
 * command code runs alone (its own BEGIN IMMEDIATE ... COMMIT) or inside a group commit
 * (a SAVEPOINT in the batch's transaction; see core.h "group commit"). */
#ifndef SHOWFLOOR_CORE_BATCH_H
#define SHOWFLOOR_CORE_BATCH_H

#include "core_internal.h"

/* Opens the transaction of one command of type `t`: a savepoint inside an open batch, else
 * a write transaction. Also records that `t` is a command (core_batch_is_command). */
int core_batch_cmd_begin(struct core *c, enum proto_type t, struct proto_error *err);
/* Keeps the command's writes: releases its savepoint, or commits its own transaction. */
int core_batch_cmd_commit(struct core *c, struct proto_error *err);
/* Undoes the command's writes: back to its savepoint, or rolls its own transaction back. */
void core_batch_cmd_rollback(struct core *c);

#endif
