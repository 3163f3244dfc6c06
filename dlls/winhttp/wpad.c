/*
 * WPAD: finding the PAC file of the network we are on, for
 * WinHttpDetectAutoProxyConfigUrl and WINHTTP_AUTOPROXY_AUTO_DETECT.
 *
 * DHCP (WINHTTP_AUTO_DETECT_TYPE_DHCP): option 252 of the current lease.  A
 * Linux host keeps its leases in files (dhclient, systemd-networkd,
 * NetworkManager); we read them where they are.  WINHTTP_DHCP_LEASES (a
 * ':'-separated list of files) replaces the usual places, for tests.
 *
 * DNS (WINHTTP_AUTO_DETECT_TYPE_DNS_A): "wpad" in the machine's DNS
 * suffixes, devolved one label at a time down to two labels (wpad_parse.c);
 * the first name that resolves gives http://<name>/wpad.dat.  The suffixes
 * are the ones Windows keeps under Tcpip\Parameters (SearchList, Domain,
 * NV Domain, DhcpDomain), then the host's resolv.conf (search, domain).
 *
 * Copyright 2026 The winhttp-for-Wine authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Lesser General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */
#define _GNU_SOURCE
#include <glob.h>
#include <stdio.h>

#include "winhttp_private.h"
#include "unix_private.h"
#include "wpad_parse.h"
#include "wpad.h"

WINE_DEFAULT_DEBUG_CHANNEL(winhttp);

#define MAX_SUFFIXES    8
#define MAX_CANDIDATES  32
#define RESOLVE_TIMEOUT 2000    /* ms per name: a network without WPAD should not cost long */

/* ------------------------------------------------------------------ */
/* DHCP                                                                */

static char *read_small_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "re");
    char *buf = NULL;

    if (!f) return NULL;
    if ((buf = malloc(WPAD_MAX_LEASE + 1)))
    {
        *len = fread(buf, 1, WPAD_MAX_LEASE + 1, f);
        if (*len > WPAD_MAX_LEASE)
        {
            WARN("%s is too large for a lease file\n", debugstr_a(path));
            free(buf);
            buf = NULL;
        }
    }
    fclose(f);
    return buf;
}

static char *url_from_lease_file(const char *path)
{
    size_t len;
    char *text = read_small_file(path, &len), *url;

    if (!text) return NULL;
    url = wpad_lease_url(text, len);
    free(text);
    if (url) TRACE("%s names %s\n", debugstr_a(path), debugstr_a(url));
    return url;
}

static char *detect_dhcp(void)
{
    static const char *const patterns[] =
    {
        "/var/lib/dhcp/dhclient*.leases", "/var/lib/dhclient/*.lease*", "/var/lib/NetworkManager/*.lease",
        "/run/systemd/netif/leases/*", "/run/NetworkManager/devices/*",
    };
    const char *env = getenv("WINHTTP_DHCP_LEASES");
    char *url = NULL;
    size_t i, j;

    if (env)
    {
        char *copy = strdup(env), *path, *save = NULL;
        for (path = copy ? strtok_r(copy, ":", &save) : NULL; path && !url; path = strtok_r(NULL, ":", &save))
            url = url_from_lease_file(path);
        free(copy);
    }
    else
    {
        for (i = 0; i < ARRAY_SIZE(patterns) && !url; i++)
        {
            glob_t g;
            if (glob(patterns[i], 0, NULL, &g)) continue;
            for (j = 0; j < g.gl_pathc && !url; j++) url = url_from_lease_file(g.gl_pathv[j]);
            globfree(&g);
        }
    }
    if (!url) TRACE("no DHCP lease with option 252 (WPAD) found\n");
    return url;
}

/* ------------------------------------------------------------------ */
/* DNS                                                                 */

static void add_suffix(char **suffixes, size_t *count, const char *s, size_t len)
{
    size_t i;

    while (len && (*s == ' ' || *s == '\t')) { s++; len--; }
    while (len && (s[len - 1] == ' ' || s[len - 1] == '\t' || s[len - 1] == '\r' || s[len - 1] == '\n')) len--;
    if (!len || *count == MAX_SUFFIXES) return;
    for (i = 0; i < *count; i++)
        if (strlen(suffixes[i]) == len && !strncasecmp(suffixes[i], s, len)) return;
    if ((suffixes[*count] = malloc(len + 1)))
    {
        memcpy(suffixes[*count], s, len);
        suffixes[*count][len] = 0;
        (*count)++;
    }
}

/* A list separated by any of seps. */
static void add_suffix_list(char **suffixes, size_t *count, const char *list, const char *seps)
{
    const char *p = list, *start;

    while (*p)
    {
        while (*p && strchr(seps, *p)) p++;
        start = p;
        while (*p && !strchr(seps, *p)) p++;
        if (p > start) add_suffix(suffixes, count, start, p - start);
    }
}

static void registry_suffixes(char **suffixes, size_t *count)
{
    static const WCHAR *const names[] = { L"SearchList", L"Domain", L"NV Domain", L"DhcpDomain" };
    WCHAR value[1024];
    char *a;
    DWORD size, type, i;
    HKEY key;

    if (RegOpenKeyExW(HKEY_LOCAL_MACHINE, L"System\\CurrentControlSet\\Services\\Tcpip\\Parameters", 0,
                      KEY_READ, &key))
        return;
    for (i = 0; i < ARRAY_SIZE(names); i++)
    {
        size = sizeof(value) - sizeof(WCHAR);
        if (RegQueryValueExW(key, names[i], NULL, &type, (BYTE *)value, &size) || type != REG_SZ) continue;
        value[size / sizeof(WCHAR)] = 0;
        if ((a = strdupWA(value, -1, CP_UTF8)))
        {
            add_suffix_list(suffixes, count, a, ", ");
            free(a);
        }
    }
    RegCloseKey(key);
}

static void resolv_conf_suffixes(char **suffixes, size_t *count)
{
    char line[1024];
    FILE *f = fopen("/etc/resolv.conf", "re");

    if (!f) return;
    while (fgets(line, sizeof(line), f))
    {
        if (!strncmp(line, "search", 6) && (line[6] == ' ' || line[6] == '\t'))
            add_suffix_list(suffixes, count, line + 7, " \t\r\n");
        else if (!strncmp(line, "domain", 6) && (line[6] == ' ' || line[6] == '\t'))
            add_suffix_list(suffixes, count, line + 7, " \t\r\n");
    }
    fclose(f);
}

static char *detect_dns(void)
{
    char *suffixes[MAX_SUFFIXES], *names[MAX_CANDIDATES], *url = NULL;
    size_t nsuffixes = 0, nnames = 0, i;

    registry_suffixes(suffixes, &nsuffixes);
    resolv_conf_suffixes(suffixes, &nsuffixes);
    for (i = 0; i < nsuffixes; i++)
    {
        nnames += wpad_candidates(suffixes[i], names + nnames, MAX_CANDIDATES - nnames);
        free(suffixes[i]);
    }
    if (!nnames) TRACE("no DNS suffix to look for wpad in\n");
    for (i = 0; i < nnames; i++)
    {
        struct net_addrs *addrs;
        if (!url && !net_resolve(names[i], 80, RESOLVE_TIMEOUT, &addrs))
        {
            net_addrs_free(addrs);
            if ((url = malloc(strlen(names[i]) + sizeof("http:///wpad.dat"))))
                sprintf(url, "http://%s/wpad.dat", names[i]);
        }
        else if (!url) TRACE("%s does not resolve\n", debugstr_a(names[i]));
        free(names[i]);
    }
    return url;
}

DWORD wpad_detect(DWORD flags, WCHAR **url)
{
    char *found = NULL;

    *url = NULL;
    if (flags & WINHTTP_AUTO_DETECT_TYPE_DHCP) found = detect_dhcp();
    if (!found && (flags & WINHTTP_AUTO_DETECT_TYPE_DNS_A)) found = detect_dns();
    if (!found) return ERROR_WINHTTP_AUTODETECTION_FAILED;
    TRACE("found %s\n", debugstr_a(found));
    *url = strdupAW(found, -1);
    free(found);
    return *url ? ERROR_SUCCESS : ERROR_OUTOFMEMORY;
}
