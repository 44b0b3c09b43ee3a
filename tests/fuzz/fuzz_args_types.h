/* The client request types in table order, shared by the argument fuzz target (whose first
 * input byte picks one) and the seed generator (which writes that byte). */
#ifndef SHOWFLOOR_FUZZ_ARGS_TYPES_H
#define SHOWFLOOR_FUZZ_ARGS_TYPES_H

#include <stddef.h>

#include "proto.h"

/* Fills out[] (PROTO_T__COUNT entries) with every client -> hub type; returns how many. */
size_t fuzz_args_types(enum proto_type *out);

#endif
