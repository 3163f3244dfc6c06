/*
 * WPAD discovery (wpad.c).
 *
 * Copyright 2026 The winhttp-for-Wine authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Lesser General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */
#ifndef WINHTTP_WPAD_H
#define WINHTTP_WPAD_H

/* The PAC URL of this network (flags: WINHTTP_AUTO_DETECT_TYPE_DHCP, _DNS_A;
 * DHCP is tried first).  ERROR_SUCCESS and a malloc'ed *url, or
 * ERROR_WINHTTP_AUTODETECTION_FAILED.  Blocks (name lookups). */
DWORD wpad_detect(DWORD flags, WCHAR **url);

#endif
