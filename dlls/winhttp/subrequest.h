/*
 * The DLL's own fetches: CRL and OCSP answers during a TLS handshake, PAC
 * scripts for the auto-proxy.
 *
 * A sub-request is a GET the engine drives for itself, on the same event
 * loop as the application's requests, never through the exported WinHttp*
 * functions.  It inherits from the session it is started for: the proxy
 * configuration, the timeouts, the TLS settings (with no revocation check of
 * its own, as Windows' CAPI fetches), the user agent and the session's proxy
 * credentials, which answer a 407 with any scheme the proxy offers that the
 * authentication layer supports.  Its body is capped.
 *
 * Copyright 2026 The winhttp-for-Wine authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Lesser General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

#ifndef __WINE_WINHTTP_SUBREQUEST_H
#define __WINE_WINHTTP_SUBREQUEST_H

struct session;
struct subrequest;

/* flags */
#define SUBREQUEST_DIRECT     0x1   /* ignore the session's proxy (a PAC script is fetched directly) */
#define SUBREQUEST_AUTOLOGON  0x2   /* answer a server's 401 with the logged-on user's credentials
                                       (WINHTTP_AUTOPROXY_OPTIONS.fAutoLogonIfChallenged) */

/* Called exactly once for every sub-request that started, on an event-loop
 * thread (never inside subrequest_start).  error is ERROR_SUCCESS or the
 * WinHTTP error of the fetch (ERROR_WINHTTP_OPERATION_CANCELLED after
 * subrequest_cancel); status is the HTTP status of the final response (0
 * without one).  body is malloc'ed and belongs to the hook (NULL when empty);
 * it is never larger than the cap.  The sub-request is freed when the hook
 * returns. */
typedef void (*subrequest_done_fn)(void *ctx, DWORD error, DWORD status, BYTE *body, SIZE_T size);

/* Starts fetching url (http or https) for session.  Returns ERROR_SUCCESS and
 * *out, after which done will be called exactly once; or an error, and done
 * is never called. */
DWORD subrequest_start(struct session *session, const WCHAR *url, DWORD flags, SIZE_T max_size,
                       subrequest_done_fn done, void *ctx, struct subrequest **out);

/* Makes a sub-request give up soon: its done is called (if it has not been
 * yet) with ERROR_WINHTTP_OPERATION_CANCELLED.  Never waits.  The caller must
 * know the sub-request is still alive, i.e. that done has not returned yet:
 * keep the pointer under a lock that done takes to clear it. */
void subrequest_cancel(struct subrequest *sub);

/* For a caller on an application thread (WinHttpGetProxyForUrl): starts the
 * fetch and waits for it.  On success *body (malloc'ed, may be NULL when
 * empty) and *size hold the body of a 200 answer; any other status fails with
 * ERROR_WINHTTP_UNABLE_TO_DOWNLOAD_SCRIPT-style handling left to the caller
 * through *status. */
DWORD subrequest_fetch(struct session *session, const WCHAR *url, DWORD flags, SIZE_T max_size,
                       DWORD *status, BYTE **body, SIZE_T *size);

#endif
