/* Wording shared by the domain's rule tables (see domain_rule.h). */
#include "domain_rule.h"

#include <stdio.h>

#include "domain.h"

int domain_rule_bad_field(struct proto_error *err, const char *field, const char *why)
{
    return proto_error_set(err, PROTO_E_BAD_FIELD, field, "%s: %s", field, why);
}

void domain_rule_roles_text(unsigned roles, char *out, size_t outsz)
{
    size_t len = 0;
    int n = 0, total = __builtin_popcount(roles);
    out[0] = '\0';
    for (int r = 0; r < DOMAIN_ROLE__COUNT && len < outsz; r++) {
        if (!(roles & DOMAIN_RULE_ROLE(r)))
            continue;
        const char *sep = n == 0 ? "" : n == total - 1 ? " or " : ", ";
        int w = snprintf(out + len, outsz - len, "%s%s", sep, domain_role_name(r));
        if (w < 0)
            break;
        len += (size_t)w;
        n++;
    }
}
