/* `showfloor delivery`: checks a delivery record against the hub's Ed25519 key (any changed
 * byte of the sign-off, its hash or its signature fails) and prints that key's public half. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd_direct.h"
#include "core_sign.h"

static int delivery_usage(void)
{
    fprintf(stderr, "usage: showfloor delivery verify ORDER_NO [--key FILE] | "
                    "delivery pubkey [--key FILE]\n");
    return CLI_USAGE;
}

/* The key the hub signs with: --key, else "<db>.signing-key". Never created here: a
 * missing key is an error, not a reason to make a new one. */
static int load_key(struct cli *c, const char *key_opt, struct core_sign_key *key)
{
    size_t n =
        strlen(c->db_path) + strlen(CORE_SIGN_KEY_SUFFIX) + (key_opt ? strlen(key_opt) : 0) + 1;
    char *path = malloc(n);
    struct proto_error err;
    int rc = -1;
    if (!path || core_sign_key_path(c->db_path, key_opt, path, n))
        fprintf(stderr, "showfloor delivery: out of memory\n");
    else if (core_sign_key_load(path, false, key, &err))
        cli_fail("delivery", &err);
    else
        rc = 0;
    free(path);
    return rc;
}

static int verify(struct cli *c, const char *order_no, const char *key_opt)
{
    struct core_sign_key key;
    struct core_sign_check r;
    struct proto_error err;
    if (load_key(c, key_opt, &key))
        return CLI_FAIL;
    int rc = core_sign_verify_delivery(c->store, key.pk, order_no, &r, &err);
    core_sign_key_wipe(&key);
    if (rc)
        return cli_fail("delivery verify", &err);
    if (!r.ok) {
        printf("mismatch %s: %s\n", order_no, r.reason);
        fprintf(stderr,
                "showfloor delivery verify: the delivery record of %s does not hold up: %s\n",
                order_no, r.reason);
        return CLI_FAIL;
    }
    printf("ok %s %s\n", order_no, r.hash);
    return CLI_OK;
}

int cmd_delivery(struct cli *c, int argc, char **argv)
{
    const char *key_opt = NULL;
    struct cli_opt opts[] = {{"key", 0, 0, &key_opt}, {0}};
    if (argc >= 2 && strcmp(argv[0], "verify") == 0) {
        if (cli_parse("delivery verify", argc - 2, argv + 2, opts) != 0)
            return CLI_USAGE;
        return verify(c, argv[1], key_opt);
    }
    if (argc >= 1 && strcmp(argv[0], "pubkey") == 0) {
        if (cli_parse("delivery pubkey", argc - 1, argv + 1, opts) != 0)
            return CLI_USAGE;
        struct core_sign_key key;
        char hex[CORE_SIGN_PK_HEX_LEN + 1];
        if (load_key(c, key_opt, &key))
            return CLI_FAIL;
        sodium_bin2hex(hex, sizeof hex, key.pk, sizeof key.pk);
        core_sign_key_wipe(&key);
        printf("%s\n", hex);
        return CLI_OK;
    }
    return delivery_usage();
}
