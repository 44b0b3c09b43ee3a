/* The CLI's direct-database commands of the order life cycle: inventory, site settings and
 * the audit trail, plus the helper every CLI write uses to leave its audit record. */
#ifndef SHOWFLOOR_CMD_DIRECT_H
#define SHOWFLOOR_CMD_DIRECT_H

#include <cjson/cJSON.h>

#include "cli.h"

#define CMD_AUDIT_ACTOR "cli"

/* `vehicle add --site C --vin V --model M [--colour C]` | `vehicle list [...]` */
int cmd_vehicle(struct cli *c, int argc, char **argv);
/* `site set --site C --key K --value V` | `site settings --site C`; any other verb goes to
 * cmd_site (cmd_org.c). */
int cmd_site_admin(struct cli *c, int argc, char **argv);
/* `audit verify` | `audit list --entity E --id X` */
int cmd_audit(struct cli *c, int argc, char **argv);
/* `delivery verify ORDER_NO [--key FILE]` | `delivery pubkey [--key FILE]` (cmd_delivery.c) */
int cmd_delivery(struct cli *c, int argc, char **argv);

/* Appends the audit record of a CLI write (actor "cli", at c->now unless at != 0), inside
 * the caller's transaction. Prints its own error; 0 or -1. */
int cmd_audit_record(struct cli *c, int64_t site_id, const char *entity, const char *entity_id,
                     const char *action, const cJSON *before, const cJSON *after, int64_t at);

/* cmd_audit_record with `after` made of string pairs: kv is {"key", "value", ..., NULL}.
 * For the CLI's simple writes (site, staff, duty, model, device). 0 or -1. */
int cmd_audit_kv(struct cli *c, int64_t site_id, const char *entity, const char *entity_id,
                 const char *action, const char *const *kv);

#endif
