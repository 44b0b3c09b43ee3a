/* Which requests each kiosk mode may send: the table of PROTOCOL.md "Who may send what".
 * One row per request type; a type without a row (auth, every hub-to-client type, any type
 * added later) is forbidden for every mode until someone writes its row. */
#include "domain.h"

#define MODE_BIT(m) (1u << (m))
#define MODES_ALL                                                     \
    (MODE_BIT(DOMAIN_MODE_RECEPTION) | MODE_BIT(DOMAIN_MODE_STATUS) | \
     MODE_BIT(DOMAIN_MODE_DELIVERY) | MODE_BIT(DOMAIN_MODE_BOARD))

static const struct mode_rule {
    enum proto_type type;
    unsigned modes; /* MODE_BIT of each mode allowed to send it */
} mode_rules[] = {
    {PROTO_T_PING, MODES_ALL},
    {PROTO_T_SUBSCRIBE, MODES_ALL},
    {PROTO_T_STAFF_LOGIN, MODE_BIT(DOMAIN_MODE_DELIVERY) | MODE_BIT(DOMAIN_MODE_BOARD)},
    {PROTO_T_STAFF_LOGOUT, MODE_BIT(DOMAIN_MODE_DELIVERY) | MODE_BIT(DOMAIN_MODE_BOARD)},
    {PROTO_T_CHECKIN, MODE_BIT(DOMAIN_MODE_RECEPTION)},
    {PROTO_T_ORDER_LOOKUP, MODE_BIT(DOMAIN_MODE_STATUS)},
};

int domain_mode_allows(enum domain_mode m, enum proto_type t)
{
    if ((int)m < 0 || m >= DOMAIN_MODE__COUNT)
        return 0;
    for (size_t i = 0; i < sizeof(mode_rules) / sizeof(mode_rules[0]); i++) {
        if (mode_rules[i].type == t)
            return (mode_rules[i].modes & MODE_BIT(m)) != 0;
    }
    return 0;
}
