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

/* Called once, on an event-loop thread or (for an immediate failure) on the
 * thread that called subrequest_start, unless the sub-request was cancelled
 * first.  error is ERROR_SUCCESS or the WinHTTP error of the fetch; status is
 * the HTTP status of the final response (0 without one).  body is malloc'ed
 * and belongs to the hook (NULL when empty); it is never larger than the cap. */
typedef void (*subrequest_done_fn)(void *ctx, DWORD error, DWORD status, BYTE *body, SIZE_T size);

/* Starts fetching url (http or https) for session.  Returns ERROR_SUCCESS and
 * *out, after which done will be called exactly once unless subrequest_cancel
 * is called first; or an error, and done is never called. */
DWORD subrequest_start(struct session *session, const WCHAR *url, DWORD flags, SIZE_T max_size,
                       subrequest_done_fn done, void *ctx, struct subrequest **out);

/* Stops a sub-request and frees it.  When it returns, done is not running
 * and will never be called.  Must not be called from inside done; a
 * sub-request whose done has been called is already freed. */
void subrequest_cancel(struct subrequest *sub);

/* For a caller on an application thread (WinHttpGetProxyForUrl): starts the
 * fetch and waits for it.  On success *body (malloc'ed, may be NULL when
 * empty) and *size hold the body of a 200 answer; any other status fails with
 * ERROR_WINHTTP_UNABLE_TO_DOWNLOAD_SCRIPT-style handling left to the caller
 * through *status. */
DWORD subrequest_fetch(struct session *session, const WCHAR *url, DWORD flags, SIZE_T max_size,
                       DWORD *status, BYTE **body, SIZE_T *size);

#endif
