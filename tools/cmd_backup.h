/* `showfloor backup` and `showfloor restore` (issue 6 "Backups"; hub/README.md "Backups").
 * Both open the database themselves (main opens none for them): backup refuses to create a
 * missing database, and restore must not hold the database it replaces. */
#ifndef SHOWFLOOR_CMD_BACKUP_H
#define SHOWFLOOR_CMD_BACKUP_H

#include "cli.h"

/* `backup --out FILE [--force] [--step-pages N] [--sleep-ms MS]` | `backup --check FILE` */
int cmd_backup(struct cli *c, int argc, char **argv);
/* `restore FILE [--force]` */
int cmd_restore(struct cli *c, int argc, char **argv);

#endif
