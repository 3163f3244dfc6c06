/*
 * What the rest of the DLL asks of the auto-proxy (autoproxy.c).
 *
 * Copyright 2026 The winhttp-for-Wine authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Lesser General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */
#ifndef WINHTTP_AUTOPROXY_H
#define WINHTTP_AUTOPROXY_H

/* session_destroy: the session's cached PAC URL and script. */
void autoproxy_session_free(struct session *session);

/* proxy_config.c: the default proxy settings changed (for
 * WinHttpRegisterProxyChangeNotification's callbacks). */
void autoproxy_notify_change(void);

/* A request of a WINHTTP_ACCESS_TYPE_AUTOMATIC_PROXY session: the proxy
 * for http(s)://host:port/path as the user's settings say (the PAC script
 * of AutoConfigURL or auto-detection, else the fixed proxy), or *proxy_host
 * NULL for direct.  *state (NULL at first, freed with
 * autoproxy_choice_free) keeps the script's list for the target, so that
 * autoproxy_failover can move to its next entry (TRUE) when the current
 * proxy cannot be reached; choose again afterwards. */
struct autoproxy_choice;
void autoproxy_choose(struct session *session, const WCHAR *host, INTERNET_PORT port, BOOL secure,
                      const WCHAR *path, struct autoproxy_choice **state, WCHAR **proxy_host,
                      INTERNET_PORT *proxy_port);
BOOL autoproxy_failover(struct autoproxy_choice *state);
void autoproxy_choice_free(struct autoproxy_choice *state);

#endif
