/* Helpers shared by the rule tables of domain_order_fsm.c, domain_lead.c and
 * domain_complaint.c: the wording of refusals is the same whichever record they are about. */
#ifndef SHOWFLOOR_DOMAIN_RULE_H
#define SHOWFLOOR_DOMAIN_RULE_H

#include <stddef.h>

#include "proto_error.h"

/* A rule table's set of roles: bit (1u << role) for each enum domain_role. */
#define DOMAIN_RULE_ROLE(r) (1u << (r))

/* PROTO_E_BAD_FIELD naming `field`: "field: why". Returns -1. */
int domain_rule_bad_field(struct proto_error *err, const char *field, const char *why);
/* "supervisor or manager", "consultant, supervisor or manager" for a set of role bits. */
void domain_rule_roles_text(unsigned roles, char *out, size_t outsz);

#endif
