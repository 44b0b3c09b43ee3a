/* Table-driven argument cases shared by the protocol's per-area tests (orders, leads): each
 * case goes through proto_validate_args and, framed as a request, through proto_decode. */
#ifndef SHOWFLOOR_TEST_ARGS_CASES_H
#define SHOWFLOOR_TEST_ARGS_CASES_H

#include <stddef.h>

#include "proto.h"

struct args_case { // NOLINT(clang-analyzer-optin.performance.Padding): reads as a table
    enum proto_type type;
    const char *args;    /* the args object as JSON text */
    enum proto_err code; /* PROTO_E_OK: valid */
    const char *field;   /* the field an error names */
};

/* Runs every case; both paths must agree with the expected code and field, and a valid case
 * must come back with its args unchanged. Prints each mismatch; returns how many failed. */
int args_cases_run(const struct args_case *cases, size_t n);

#endif
