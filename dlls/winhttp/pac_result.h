/*
 * The value FindProxyForURL(Ex) returns, parsed: "PROXY a:1; SOCKS b; DIRECT".
 * Plain C, no Win32, so it can be fuzzed natively.
 *
 * Copyright 2026 The winhttp-for-Wine authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Lesser General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */
#ifndef WINHTTP_PAC_RESULT_H
#define WINHTTP_PAC_RESULT_H

#include <stddef.h>

enum pac_entry_type
{
    PAC_ENTRY_DIRECT,
    PAC_ENTRY_PROXY,        /* "PROXY" and "HTTP": an HTTP proxy */
    PAC_ENTRY_HTTPS,        /* "HTTPS": an HTTP proxy reached over TLS */
    PAC_ENTRY_SOCKS,        /* "SOCKS", "SOCKS4", "SOCKS5" */
};

struct pac_entry
{
    enum pac_entry_type type;
    char *host;             /* NULL for DIRECT; an IPv6 literal keeps its brackets */
    unsigned short port;    /* 0: not given */
};

struct pac_result
{
    struct pac_entry *entries;
    size_t count;
};

/* A result longer than this, or with more entries, is refused as a whole
 * (a hostile script should not make us allocate without bound). */
#define PAC_RESULT_MAX_LEN      65536
#define PAC_RESULT_MAX_ENTRIES  64

#define PAC_RESULT_OK       0
#define PAC_RESULT_EMPTY   (-1)   /* no usable entry */
#define PAC_RESULT_TOOBIG  (-2)
#define PAC_RESULT_NOMEM   (-3)

/* Parses s[0..len): entries separated by ';', each a case-insensitive
 * keyword and, except for DIRECT, one "host[:port]" argument.  Entries that
 * are malformed (an unknown keyword, a missing or invalid host or port, an
 * argument after DIRECT, a second argument) are skipped, as browsers do, so
 * one bad entry does not cost the others.  On PAC_RESULT_OK *out holds at
 * least one entry; otherwise it is empty. */
int pac_result_parse(const char *s, size_t len, struct pac_result *out);
void pac_result_free(struct pac_result *res);

#endif
