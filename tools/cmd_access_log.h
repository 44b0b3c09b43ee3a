/* `showfloor access-log`: who read whose personal data (hub/PRIVACY.md, personal_access). */
#ifndef SHOWFLOOR_CMD_ACCESS_LOG_H
#define SHOWFLOOR_CMD_ACCESS_LOG_H

#include "cli.h"

/* `access-log [--customer ID] [--since YYYY-MM-DD] [--limit N] [--json]`: newest first, read
 * straight from the database (no hub needed). */
int cmd_access_log(struct cli *c, int argc, char **argv);

#endif
