/* Vehicles: the inventory a stock order reserves by VIN. A car moves in_stock -> reserved
 * (allocated to an order) -> delivered, or back to in_stock when its order is cancelled. */
#include "store_internal.h"

#include <string.h>

#define VEHICLE_COLS "id, site_id, vin, model_code, colour, state, order_id, created_at, updated_at"

static const char *const sql[] = {
    "INSERT INTO vehicles (site_id, vin, model_code, colour, state, order_id, created_at,"
    " updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)",
    "SELECT " VEHICLE_COLS " FROM vehicles WHERE vin = ?1",
    /* ?2 new state, ?3 order (NULL clears), ?4 time, ?5 the state it must be in now */
    "UPDATE vehicles SET state = ?2, order_id = ?3, updated_at = ?4 WHERE vin = ?1 AND state = ?5",
    "SELECT " VEHICLE_COLS " FROM vehicles WHERE (?1 = 0 OR site_id = ?1)"
    " AND (?2 IS NULL OR state = ?2) AND (?3 IS NULL OR model_code = ?3) ORDER BY vin",
};
enum { VEH_ADD, VEH_FIND, VEH_MOVE, VEH_LIST };
const struct store_sql_table store_vehicles_sql = {"vehicles", sql, sizeof sql / sizeof sql[0]};

static const char *const state_names[] = {"in_stock", "reserved", "delivered"};

const char *store_vehicle_state_name(enum store_vehicle_state st)
{
    return (unsigned)st < sizeof state_names / sizeof state_names[0] ? state_names[st] : NULL;
}

int store_vehicle_state_from_name(const char *name)
{
    for (size_t i = 0; name && i < sizeof state_names / sizeof state_names[0]; i++)
        if (strcmp(name, state_names[i]) == 0)
            return (int)i;
    return -1;
}

int store_vin_valid(const char *vin)
{
    if (!vin || strlen(vin) != STORE_VIN_LEN)
        return 0;
    for (const char *c = vin; *c; c++) {
        /* ISO 3779: digits and capitals except I, O and Q (confusable with 1 and 0) */
        bool ok = (*c >= '0' && *c <= '9') ||
                  (*c >= 'A' && *c <= 'Z' && *c != 'I' && *c != 'O' && *c != 'Q');
        if (!ok)
            return 0;
    }
    return 1;
}

static void read_vehicle(sqlite3_stmt *st, void *out)
{
    struct store_vehicle *v = out;
    char state[PROTO_MAX_SHORT + 1];
    v->id = store_col_int(st, 0);
    v->site_id = store_col_int(st, 1);
    store_col_text(st, 2, v->vin, sizeof v->vin);
    store_col_text(st, 3, v->model_code, sizeof v->model_code);
    store_col_text(st, 4, v->colour, sizeof v->colour);
    store_col_text(st, 5, state, sizeof state);
    int k = store_vehicle_state_from_name(state);
    v->state = k < 0 ? STORE_VEHICLE_IN_STOCK : (enum store_vehicle_state)k;
    v->order_id = store_col_int(st, 6);
    v->created_at = store_col_int(st, 7);
    v->updated_at = store_col_int(st, 8);
}

int store_vehicles_add(struct store *s, const struct store_vehicle *v, int64_t *id,
                       struct proto_error *err)
{
    const char *sn = store_vehicle_state_name(v->state);
    if (!store_vin_valid(v->vin))
        return proto_error_set(err, PROTO_E_BAD_FIELD, "vin",
                               "a VIN is 17 characters: digits and capitals except I, O, Q");
    if (!sn)
        return proto_error_set(err, PROTO_E_BAD_FIELD, "state", "unknown vehicle state");
    if ((v->state == STORE_VEHICLE_IN_STOCK) != (v->order_id == 0))
        return proto_error_set(err, PROTO_E_BAD_FIELD, "order_id",
                               "a vehicle has an order exactly when it is not in stock");
    sqlite3_stmt *st = store_stmt(s, STORE_AGG_VEHICLES, VEH_ADD);
    if (store_bind(s, st, err, "ittttIi", v->site_id, v->vin, v->model_code, v->colour, sn,
                   v->order_id, v->created_at) ||
        store_exec(s, st, err))
        return -1;
    if (id)
        *id = store_last_id(s);
    return 0;
}

int store_vehicles_find(struct store *s, const char *vin, struct store_vehicle *out,
                        struct proto_error *err)
{
    sqlite3_stmt *st = store_stmt(s, STORE_AGG_VEHICLES, VEH_FIND);
    if (store_bind(s, st, err, "t", vin))
        return -1;
    return store_one(s, st, read_vehicle, out, "vehicle", err);
}

/* Moves the vehicle from `from` to `to`; names the state it is really in otherwise. */
static int move(struct store *s, const char *vin, enum store_vehicle_state from,
                enum store_vehicle_state to, int64_t order_id, int64_t at, struct proto_error *err)
{
    sqlite3_stmt *st = store_stmt(s, STORE_AGG_VEHICLES, VEH_MOVE);
    if (store_bind(s, st, err, "ttIit", vin, store_vehicle_state_name(to), order_id, at,
                   store_vehicle_state_name(from)) ||
        store_exec(s, st, err))
        return -1;
    if (store_changes(s) == 1)
        return 0;
    struct store_vehicle v;
    if (store_vehicles_find(s, vin, &v, err))
        return -1;
    return proto_error_set(err, PROTO_E_INVALID_STATE, "vin", "vehicle %s is %s, not %s", vin,
                           store_vehicle_state_name(v.state), store_vehicle_state_name(from));
}

int store_vehicles_reserve(struct store *s, const char *vin, int64_t order_id, int64_t at,
                           struct proto_error *err)
{
    if (!order_id)
        return proto_error_set(err, PROTO_E_BAD_FIELD, "order_id", "no order to reserve for");
    return move(s, vin, STORE_VEHICLE_IN_STOCK, STORE_VEHICLE_RESERVED, order_id, at, err);
}

int store_vehicles_release(struct store *s, const char *vin, int64_t at, struct proto_error *err)
{
    return move(s, vin, STORE_VEHICLE_RESERVED, STORE_VEHICLE_IN_STOCK, 0, at, err);
}

int store_vehicles_deliver(struct store *s, const char *vin, int64_t at, struct proto_error *err)
{
    struct store_vehicle v;
    if (store_vehicles_find(s, vin, &v, err))
        return -1;
    return move(s, vin, STORE_VEHICLE_RESERVED, STORE_VEHICLE_DELIVERED, v.order_id, at, err);
}

int store_vehicles_list(struct store *s, int64_t site_id, int state, const char *model_code,
                        int (*cb)(void *ctx, const struct store_vehicle *v), void *ctx,
                        struct proto_error *err)
{
    const char *sn = NULL;
    if (state >= 0 && !(sn = store_vehicle_state_name((enum store_vehicle_state)state)))
        return proto_error_set(err, PROTO_E_BAD_FIELD, "state", "unknown vehicle state");
    sqlite3_stmt *st = store_stmt(s, STORE_AGG_VEHICLES, VEH_LIST);
    if (store_bind(s, st, err, "itT", site_id, sn, model_code))
        return -1;
    struct store_vehicle v;
    int rc;
    while ((rc = store_step(s, st, err)) == 1) {
        read_vehicle(st, &v);
        if (cb(ctx, &v) != 0) {
            rc = store_aborted(err);
            break;
        }
    }
    store_done(st);
    return rc < 0 ? -1 : 0;
}
