/* What `showfloor order ...` prints for people: an order as a short block of fields (money
 * in yuan, times in UTC+8), a page of orders as a table, anything else as its fields.
 * Shapes are read generically, so fields the hub adds later are shown too. */
#include "cmd_api.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#define CMD_API_PRINT_OFFSET_S (8 * 3600) /* times shown in China Standard Time */

static bool cmd_api_print_ends(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

static void cmd_api_print_time(double ms, char *out, size_t n)
{
    time_t t = (time_t)(ms / 1000) + CMD_API_PRINT_OFFSET_S;
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, n, "%Y-%m-%d %H:%M", &tm);
}

/* One value as text: *_fen as yuan, *_at / eta as local time, objects by their name. */
static void cmd_api_print_value(const char *key, const cJSON *v, char *out, size_t n)
{
    if (cJSON_IsString(v)) {
        snprintf(out, n, "%s", v->valuestring);
    } else if (cJSON_IsBool(v)) {
        snprintf(out, n, "%s", cJSON_IsTrue(v) ? "yes" : "no");
    } else if (cJSON_IsNull(v)) {
        snprintf(out, n, "-");
    } else if (cJSON_IsNumber(v)) {
        long long x = (long long)v->valuedouble;
        if (cmd_api_print_ends(key, "_fen"))
            snprintf(out, n, "¥%lld.%02lld", x / 100, (x < 0 ? -x : x) % 100);
        else if ((cmd_api_print_ends(key, "_at") || strcmp(key, "eta") == 0 ||
                  cmd_api_print_ends(key, "_eta")) &&
                 x > 0)
            cmd_api_print_time(v->valuedouble, out, n);
        else
            snprintf(out, n, "%lld", x);
    } else if (cJSON_IsArray(v)) {
        snprintf(out, n, "%d item%s", cJSON_GetArraySize(v), cJSON_GetArraySize(v) == 1 ? "" : "s");
    } else if (cJSON_IsObject(v)) {
        const char *name = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(v, "name"));
        const char *phone = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(v, "phone"));
        if (name || phone) {
            snprintf(out, n, "%s%s%s", name ? name : "", name && phone ? " " : "",
                     phone ? phone : "");
        } else {
            char *text = cJSON_PrintUnformatted(v);
            snprintf(out, n, "%s", text ? text : "{}");
            cJSON_free(text);
        }
    } else {
        snprintf(out, n, "?");
    }
}

static void cmd_api_print_fields(const cJSON *o, const char *indent, const char *skip1,
                                 const char *skip2)
{
    for (const cJSON *f = o ? o->child : NULL; f; f = f->next) {
        if ((skip1 && strcmp(f->string, skip1) == 0) || (skip2 && strcmp(f->string, skip2) == 0))
            continue;
        /* what has not happened yet is left out: a short block is what people read */
        if (cJSON_IsNull(f) || (cJSON_IsArray(f) && cJSON_GetArraySize(f) == 0))
            continue;
        char text[512];
        cmd_api_print_value(f->string, f, text, sizeof text);
        printf("%s%-18s %s\n", indent, f->string, text);
    }
}

static const char *cmd_api_print_str(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    if (cJSON_IsObject(v))
        v = cJSON_GetObjectItemCaseSensitive(v, "name");
    const char *s = cJSON_GetStringValue(v);
    return s ? s : "-";
}

static void cmd_api_print_order(const cJSON *order)
{
    printf("%s  %s\n", cmd_api_print_str(order, "order_no"), cmd_api_print_str(order, "stage"));
    cmd_api_print_fields(order, "  ", "order_no", "stage");
}

static void cmd_api_print_list(const cJSON *orders)
{
    printf("%-14s %-10s %-14s %-14s %s\n", "order", "stage", "customer", "model", "total");
    for (const cJSON *o = orders->child; o; o = o->next) {
        char total[64] = "-";
        const cJSON *t = cJSON_GetObjectItemCaseSensitive(o, "total_fen");
        if (t)
            cmd_api_print_value("total_fen", t, total, sizeof total);
        printf("%-14s %-10s %-14s %-14s %s\n", cmd_api_print_str(o, "order_no"),
               cmd_api_print_str(o, "stage"), cmd_api_print_str(o, "customer"),
               cmd_api_print_str(o, "model"), total);
    }
}

void cmd_api_print_data(const cJSON *data)
{
    const cJSON *order = cJSON_GetObjectItemCaseSensitive(data, "order");
    const cJSON *orders = cJSON_GetObjectItemCaseSensitive(data, "orders");
    if (cJSON_IsObject(order)) {
        cmd_api_print_order(order);
        cmd_api_print_fields(data, "", "order", NULL);
    } else if (cJSON_IsArray(orders)) {
        cmd_api_print_list(orders);
        cmd_api_print_fields(data, "", "orders", NULL);
    } else if (data && data->child) {
        cmd_api_print_fields(data, "", NULL, NULL);
    } else {
        printf("ok\n");
    }
}
