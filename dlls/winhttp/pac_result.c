/*
 * Parser of FindProxyForURL's return value (see pac_result.h).
 *
 * The format is Netscape's: a list of "DIRECT", "PROXY host:port" and
 * "SOCKS host:port" separated by semicolons, whitespace around every token.
 * Microsoft's FindProxyForURLEx adds "HTTP", "HTTPS", "SOCKS4", "SOCKS5".
 * The string comes from an untrusted script, so every byte is checked: a
 * host is letters, digits, '-', '.', '_' or a bracketed IPv6 literal.
 *
 * Copyright 2026 The winhttp-for-Wine authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Lesser General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */
#include <stdlib.h>
#include <string.h>

#include "pac_result.h"

static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v';
}

static int lower(char c)
{
    return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

static int keyword_is(const char *s, size_t len, const char *word)
{
    size_t i;

    if (len != strlen(word)) return 0;
    for (i = 0; i < len; i++) if (lower(s[i]) != word[i]) return 0;
    return 1;
}

static int host_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '-' || c == '.' || c == '_';
}

static int ipv6_char(char c)
{
    return (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') || (c >= '0' && c <= '9') || c == ':' || c == '.' ||
           c == '%';
}

/* "host[:port]" -> host (malloc'ed) and port.  0 when malformed, -1 out of memory. */
static int parse_hostport(const char *s, size_t len, char **host, unsigned short *port)
{
    size_t hostlen, i;
    unsigned long value = 0;
    const char *colon = NULL;

    if (!len) return 0;
    if (s[0] == '[')
    {
        for (i = 1; i < len && s[i] != ']'; i++) if (!ipv6_char(s[i])) return 0;
        if (i == len || i == 1) return 0;
        hostlen = i + 1;
        if (hostlen < len)
        {
            if (s[hostlen] != ':') return 0;
            colon = s + hostlen;
        }
    }
    else
    {
        for (i = 0; i < len && s[i] != ':'; i++) if (!host_char(s[i])) return 0;
        hostlen = i;
        if (!hostlen) return 0;
        if (i < len) colon = s + i;
    }
    *port = 0;
    if (colon)
    {
        const char *p = colon + 1, *end = s + len;
        if (p == end || end - p > 5) return 0;
        for (; p < end; p++)
        {
            if (*p < '0' || *p > '9') return 0;
            value = value * 10 + (*p - '0');
        }
        if (!value || value > 65535) return 0;
        *port = (unsigned short)value;
    }
    if (!(*host = malloc(hostlen + 1))) return -1;
    memcpy(*host, s, hostlen);
    (*host)[hostlen] = 0;
    return 1;
}

/* One entry s[0..len) (without the ';').  1: *entry filled, 0: skip it, -1: out of memory. */
static int parse_entry(const char *s, size_t len, struct pac_entry *entry)
{
    const char *end = s + len, *kw, *arg;
    size_t kwlen, arglen;

    while (s < end && is_space(*s)) s++;
    while (end > s && is_space(end[-1])) end--;
    if (s == end) return 0;
    kw = s;
    while (s < end && !is_space(*s)) s++;
    kwlen = s - kw;
    while (s < end && is_space(*s)) s++;
    arg = s;
    while (s < end && !is_space(*s)) s++;
    arglen = s - arg;
    if (s != end) return 0;     /* a second argument */

    entry->host = NULL;
    entry->port = 0;
    if (keyword_is(kw, kwlen, "direct"))
    {
        if (arglen) return 0;
        entry->type = PAC_ENTRY_DIRECT;
        return 1;
    }
    if (keyword_is(kw, kwlen, "proxy") || keyword_is(kw, kwlen, "http")) entry->type = PAC_ENTRY_PROXY;
    else if (keyword_is(kw, kwlen, "https")) entry->type = PAC_ENTRY_HTTPS;
    else if (keyword_is(kw, kwlen, "socks") || keyword_is(kw, kwlen, "socks4") || keyword_is(kw, kwlen, "socks5"))
        entry->type = PAC_ENTRY_SOCKS;
    else return 0;
    return parse_hostport(arg, arglen, &entry->host, &entry->port);
}

int pac_result_parse(const char *s, size_t len, struct pac_result *out)
{
    const char *end = s + len, *start;
    struct pac_entry entry;
    int ret;

    out->entries = NULL;
    out->count = 0;
    if (len > PAC_RESULT_MAX_LEN) return PAC_RESULT_TOOBIG;
    while (s < end)
    {
        start = s;
        while (s < end && *s != ';') s++;
        ret = parse_entry(start, s - start, &entry);
        if (s < end) s++;
        if (ret < 0) goto nomem;
        if (!ret) continue;
        if (out->count == PAC_RESULT_MAX_ENTRIES)
        {
            free(entry.host);
            pac_result_free(out);
            return PAC_RESULT_TOOBIG;
        }
        if (!out->entries && !(out->entries = malloc(PAC_RESULT_MAX_ENTRIES * sizeof(*out->entries))))
        {
            free(entry.host);
            goto nomem;
        }
        out->entries[out->count++] = entry;
    }
    return out->count ? PAC_RESULT_OK : PAC_RESULT_EMPTY;

nomem:
    pac_result_free(out);
    return PAC_RESULT_NOMEM;
}

void pac_result_free(struct pac_result *res)
{
    size_t i;

    for (i = 0; i < res->count; i++) free(res->entries[i].host);
    free(res->entries);
    res->entries = NULL;
    res->count = 0;
}
