/*
 * Running a PAC script: in the winhttp-pac helper process by default, in
 * this process on request or when the helper cannot run (see pac_runner.c).
 *
 * Copyright 2026 The winhttp-for-Wine authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Lesser General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */
#ifndef WINHTTP_PAC_RUNNER_H
#define WINHTTP_PAC_RUNNER_H

/* The JavaScript heap of one evaluation, in and out of process. */
#define PAC_RUN_MEMORY_MIB  64

/* Evaluates FindProxyForURL(Ex)(url, host) of script[0..len).  flags are
 * WINHTTP_AUTOPROXY_OPTIONS.dwFlags (RUN_INPROCESS, RUN_OUTPROCESS_ONLY).
 * timeout_ms bounds the helper's wall time (and, rounded up, its CPU time),
 * and how long an in-process run is waited for (it cannot be stopped: a
 * script that never returns keeps a thread of ours busy).
 * ERROR_SUCCESS with *result a malloc'ed UTF-8 string, or:
 *   ERROR_WINHTTP_BAD_AUTO_PROXY_SCRIPT   the script does not compile, has no
 *       FindProxyForURL, throws, returns a non-string, or exceeds a limit
 *   ERROR_WINHTTP_AUTO_PROXY_SERVICE_ERROR  no evaluator could run it
 *   ERROR_OUTOFMEMORY */
DWORD pac_run(const char *script, size_t len, const char *url, const char *host, DWORD flags, DWORD timeout_ms,
              char **result);

#endif
