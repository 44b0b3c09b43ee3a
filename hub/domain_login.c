/* Staff login lockout: DOMAIN_LOGIN_MAX_FAILURES failed PINs within the window lock the
 * staff number until DOMAIN_LOGIN_LOCK_MS after the latest failure, so trying every 4-digit
 * PIN at a kiosk takes two weeks instead of minutes. */
#include "domain.h"

int domain_login_allowed(int recent_failures, int64_t last_failure_at, int64_t now)
{
    if (recent_failures < DOMAIN_LOGIN_MAX_FAILURES)
        return 1;
    return now - last_failure_at >= (int64_t)DOMAIN_LOGIN_LOCK_MS;
}
