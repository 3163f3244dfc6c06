/*
 * The text side of WPAD discovery (wpad_parse.h): DNS devolution of the
 * machine's suffix, and DHCP option 252 out of Linux lease files.  Plain C,
 * no Win32, so it is unit-tested and fuzzed natively.
 *
 * Copyright 2026 The winhttp-for-Wine authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Lesser General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wpad_parse.h"

static int label_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
}

/* A DNS name we are willing to put "wpad." in front of: labels of letters,
 * digits, '-', '_', no empty label, at most 253 characters. */
static int valid_suffix(const char *s, size_t len)
{
    size_t i, label = 0;

    if (!len || len > 253) return 0;
    for (i = 0; i < len; i++)
    {
        if (s[i] == '.')
        {
            if (!label) return 0;
            label = 0;
        }
        else if (!label_char(s[i]) || ++label > 63) return 0;
    }
    return label != 0;
}

size_t wpad_candidates(const char *suffix, char **names, size_t max)
{
    size_t len, count = 0, dots, i;
    const char *p;

    if (!suffix) return 0;
    len = strlen(suffix);
    while (len && suffix[len - 1] == '.') len--;    /* an absolute name's root */
    if (!valid_suffix(suffix, len)) return 0;

    /* wpad.a.b.example.com, wpad.b.example.com, wpad.example.com: one label
     * less each time, and never a name with fewer than two labels after
     * "wpad." (that would be a top-level domain, where anyone may answer). */
    p = suffix;
    for (;;)
    {
        for (dots = 0, i = 0; i < len - (p - suffix); i++) if (p[i] == '.') dots++;
        if (!dots || count == max) break;
        if (!(names[count] = malloc(5 + (len - (p - suffix)) + 1))) break;
        sprintf(names[count], "wpad.%.*s", (int)(len - (p - suffix)), p);
        count++;
        p = memchr(p, '.', len - (p - suffix)) + 1;
    }
    return count;
}

/* ------------------------------------------------------------------ */
/* Lease files                                                         */

static int hexval(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* An option 252 value must be a URL: printable ASCII, http or https. */
static char *check_url(char *url, size_t len)
{
    size_t i;

    /* Servers often count the terminating NUL in the option. */
    while (len && (url[len - 1] == 0 || url[len - 1] == '\n' || url[len - 1] == ' ')) len--;
    url[len] = 0;
    for (i = 0; i < len; i++)
        if (url[i] <= ' ' || url[i] >= 0x7f || strchr("\"<>\\^`{|}", url[i])) goto bad;
    if (len > WPAD_MAX_URL || (strncmp(url, "http://", 7) && strncmp(url, "https://", 8)) ||
        len == 7 || (len == 8 && url[4] == 's'))
        goto bad;
    return url;
bad:
    free(url);
    return NULL;
}

/* "68:74:74:70" (dhclient's form for options it has no name for) or
 * "68747470" (systemd-networkd's). */
static char *decode_hex(const char *s, size_t len)
{
    char *out = malloc(len + 1);     /* "8:a" holds more bytes than len / 2 */
    size_t i, n = 0;

    if (!out) return NULL;
    for (i = 0; i < len; )
    {
        int hi, lo;
        if (s[i] == ':' && n) { i++; continue; }
        /* dhclient drops a leading zero: "8:a", "...:70:0" */
        if (i + 1 == len || s[i + 1] == ':')
        {
            if ((lo = hexval(s[i])) < 0) goto bad;
            out[n++] = lo;
            i++;
            continue;
        }
        if ((hi = hexval(s[i])) < 0 || (lo = hexval(s[i + 1])) < 0) goto bad;
        out[n++] = hi << 4 | lo;
        i += 2;
    }
    return check_url(out, n);
bad:
    free(out);
    return NULL;
}

/* A dhclient quoted string ("..." with \" and \\ and \ooo escapes). */
static char *decode_quoted(const char *s, size_t len)
{
    char *out = malloc(len + 1);
    size_t i, n = 0;

    if (!out) return NULL;
    for (i = 0; i < len; i++)
    {
        if (s[i] == '\\' && i + 3 < len && s[i + 1] >= '0' && s[i + 1] <= '3' && s[i + 2] >= '0' && s[i + 2] <= '7' &&
            s[i + 3] >= '0' && s[i + 3] <= '7')
        {
            out[n++] = (s[i + 1] - '0') << 6 | (s[i + 2] - '0') << 3 | (s[i + 3] - '0');
            i += 3;
        }
        else if (s[i] == '\\' && i + 1 < len) out[n++] = s[++i];
        else out[n++] = s[i];
    }
    return check_url(out, n);
}

static int starts_with(const char *line, size_t len, const char *prefix)
{
    size_t n = strlen(prefix);
    return len >= n && !memcmp(line, prefix, n);
}

/* One line of a lease file: the URL it carries, or NULL. */
static char *parse_line(const char *line, size_t len)
{
    static const char *const dhclient_names[] = { "option wpad ", "option wpad-url ", "option unknown-252 ",
                                                  "option option-252 ", "option code-252 " };
    size_t i;

    while (len && (*line == ' ' || *line == '\t')) { line++; len--; }
    while (len && (line[len - 1] == ' ' || line[len - 1] == '\t' || line[len - 1] == '\r')) len--;

    /* systemd-networkd: OPTION_252=<hex>; NetworkManager's device state: wpad=<url> */
    if (starts_with(line, len, "OPTION_252=")) return decode_hex(line + 11, len - 11);
    if (starts_with(line, len, "wpad="))
    {
        char *url = malloc(len - 5 + 1);
        if (!url) return NULL;
        memcpy(url, line + 5, len - 5);
        return check_url(url, len - 5);
    }
    for (i = 0; i < sizeof(dhclient_names) / sizeof(dhclient_names[0]); i++)
    {
        size_t n = strlen(dhclient_names[i]);
        if (!starts_with(line, len, dhclient_names[i])) continue;
        line += n;
        len -= n;
        if (!len || line[len - 1] != ';') return NULL;
        len--;
        if (len >= 2 && line[0] == '"' && line[len - 1] == '"') return decode_quoted(line + 1, len - 2);
        return decode_hex(line, len);
    }
    return NULL;
}

char *wpad_lease_url(const char *text, size_t len)
{
    const char *end = text + len, *line, *eol;
    char *found = NULL, *url;

    if (len > WPAD_MAX_LEASE) return NULL;
    /* dhclient appends leases: the last one is the current one. */
    for (line = text; line < end; line = eol + 1)
    {
        if (!(eol = memchr(line, '\n', end - line))) eol = end;
        if ((url = parse_line(line, eol - line)))
        {
            free(found);
            found = url;
        }
        if (eol == end) break;
    }
    return found;
}
