/*
 * The text side of WPAD discovery: which "wpad" names to try, and the PAC
 * URL a DHCP lease file carries (option 252).  Plain C, no Win32.
 *
 * Copyright 2026 The winhttp-for-Wine authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Lesser General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */
#ifndef WINHTTP_WPAD_PARSE_H
#define WINHTTP_WPAD_PARSE_H

#include <stddef.h>

#define WPAD_MAX_URL    2048
#define WPAD_MAX_LEASE  (1024 * 1024)

/* The host names to look up for the DNS suffix suffix ("corp.example.com"):
 * "wpad.corp.example.com", "wpad.example.com", devolved one label at a time
 * and never below two labels after "wpad." (no "wpad.com").  A suffix that
 * is not a plain DNS name gives none.  Fills names[0..max) with malloc'ed
 * strings and returns how many. */
size_t wpad_candidates(const char *suffix, char **names, size_t max);

/* The http(s) URL of DHCP option 252 in a lease file's text: dhclient's
 * "option wpad \"...\";" (or the option's unnamed hex form), systemd-networkd's
 * "OPTION_252=<hex>", NetworkManager's "wpad=...".  The last one wins (dhclient
 * appends leases).  malloc'ed, or NULL. */
char *wpad_lease_url(const char *text, size_t len);

#endif
