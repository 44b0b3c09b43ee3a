/* The hub's settings: defaults, the INI file ([hub], [backup], [privacy], [tls]) and validation.
 * main.c applies command-line flags on top of what config_load() read. */
#ifndef SHOWFLOOR_CONFIG_H
#define SHOWFLOOR_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "log.h"

#define CONFIG_PATH_MAX 1024

struct config {
    char listen[256]; /* address (or interface) to listen on */
    int port;         /* 0 = ephemeral */
    char database[CONFIG_PATH_MAX];
    char signing_key[CONFIG_PATH_MAX]; /* Ed25519 key file; "" = "<database>.signing-key" */
    enum log_level log_level;
    int64_t staff_idle_seconds;       /* staff login idle expiry */
    int replay_max;                   /* most events replayed before a snapshot */
    int max_pending_events;           /* slow-subscriber limit, frames */
    int64_t max_pending_bytes;        /* slow-subscriber limit, bytes */
    int64_t api_session_idle_seconds; /* HTTP API staff session idle expiry */
    int64_t sla_check_seconds;        /* period of the order time-limit check (core_tick) */
    char tls_cert[CONFIG_PATH_MAX];
    char tls_key[CONFIG_PATH_MAX];
    bool allow_plain_remote;         /* allow ws:// on a non-loopback address */
    char port_file[CONFIG_PATH_MAX]; /* command line only */
    /* scheduled backups (server_backup.c): off while backup_dir is "" */
    char backup_dir[CONFIG_PATH_MAX];
    int64_t backup_interval_seconds; /* a backup is due this long after the newest one */
    int backup_keep;                 /* the newest N scheduled backups are kept */
    /* personal data at rest (privacy.h): "" = "<database>.data-key" / "<database>.keystore" */
    char privacy_key_file[CONFIG_PATH_MAX];
    char privacy_keystore[CONFIG_PATH_MAX];
    /* limits (server_guard.c, session.c, server.c) */
    int max_connections_per_address; /* 0 = no cap */
    bool guard_loopback;             /* per-address and per-connection limits on loopback too */
    int auth_fail_max;               /* bad tokens from one address that block it; 0 = never */
    int64_t auth_fail_window_seconds;
    int64_t auth_block_seconds;
    int request_rate;           /* requests per second per connection (token bucket); 0 = off */
    int request_burst;          /* the bucket's size */
    int ping_interval_seconds;  /* a connection silent this long is pinged */
    int ping_timeout_seconds;   /* ... and closed if no pong follows within this */
    int header_timeout_seconds; /* the HTTP headers (and the upgrade) must arrive within this */
};

/* Fills *cfg with the documented defaults. */
void config_defaults(struct config *cfg);
/* Reads an INI file over *cfg. 0, or -1 with a message naming file:line in err. */
int config_load(struct config *cfg, const char *path, char *err, size_t errsz);
/* Sets one setting by its INI section and key from text (also used for flags).
 * 0, or -1 with a message in err. */
int config_set(struct config *cfg, const char *section, const char *key, const char *value,
               char *err, size_t errsz);
/* Checks the combination of settings (TLS pair, plain listening off loopback).
 * 0, or -1 with a message in err. */
int config_validate(const struct config *cfg, char *err, size_t errsz);
/* 1 if the listen address is a loopback address. */
int config_is_loopback(const char *listen);
/* 1 if both a certificate and a key are configured. */
int config_tls_enabled(const struct config *cfg);

#endif
