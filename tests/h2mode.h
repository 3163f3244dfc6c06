/*
 * The HTTP/2 run of the HTTP tests: include after test.h and winhttp.h.
 *
 * With WINHTTP_TEST_HTTP2=1 in the environment (tests/scripts/http2_rerun
 * sets it), the same program runs again over HTTP/2, unchanged: every session
 * it opens enables HTTP/2 (WINHTTP_OPTION_ENABLE_HTTP_PROTOCOL, as a program
 * that wants it does), "the nginx peer" is the h2 nginx of tests/peers/tls_h2
 * (same locations, TLS with ALPN h2; WINHTTP_TEST_NGINX_PORT and
 * _ACCESS_LOG point at it for the run), and requests to it go out with
 * WINHTTP_FLAG_SECURE, since h2 is only ever negotiated over TLS.
 *
 * Tests register with run_test_h2() when what they check holds over h2 as
 * well; plain run_test() ones (HTTP/1.1 wire details, the HTTP/1.1-only
 * scripted server, proxies) are left out of the h2 run.
 */
#ifndef WINHTTP_TEST_H2MODE_H
#define WINHTTP_TEST_H2MODE_H

static BOOL h2mode;
static INTERNET_PORT h2mode_port;
static HINTERNET h2mode_connects[4096];
static LONG h2mode_connect_count;
static CRITICAL_SECTION h2mode_cs;

/* Call first in main(): FALSE when the h2 run was asked for without its peer. */
static BOOL h2mode_init(void)
{
    char buf[MAX_PATH];
    DWORD n;

    InitializeCriticalSection(&h2mode_cs);
    n = GetEnvironmentVariableA("WINHTTP_TEST_HTTP2", buf, sizeof(buf));
    if (!n || n >= sizeof(buf) || strcmp(buf, "1")) return TRUE;
    n = GetEnvironmentVariableA("WINHTTP_TEST_H2_PORT", buf, sizeof(buf));
    if (!n || n >= sizeof(buf) || !(h2mode_port = (INTERNET_PORT)atoi(buf))) return FALSE;
    SetEnvironmentVariableA("WINHTTP_TEST_NGINX_PORT", buf);
    n = GetEnvironmentVariableA("WINHTTP_TEST_H2_ACCESS_LOG", buf, sizeof(buf));
    if (n && n < sizeof(buf)) SetEnvironmentVariableA("WINHTTP_TEST_NGINX_ACCESS_LOG", buf);
    /* nginx listens on ::1 as well; the h2 one only where the main one does. */
    h2mode = TRUE;
    printf("HTTP/2 run: nginx is the h2 peer on port %u\n", h2mode_port);
    return TRUE;
}

static HINTERNET h2mode_WinHttpOpen(const WCHAR *agent, DWORD access, const WCHAR *proxy, const WCHAR *bypass,
                                    DWORD flags)
{
    HINTERNET session = WinHttpOpen(agent, access, proxy, bypass, flags);
    DWORD value = WINHTTP_PROTOCOL_FLAG_HTTP2;

    if (session && h2mode && !WinHttpSetOption(session, WINHTTP_OPTION_ENABLE_HTTP_PROTOCOL, &value, sizeof(value)))
        printf("h2mode: cannot enable HTTP/2: %lu\n", GetLastError());
    return session;
}

static HINTERNET h2mode_WinHttpConnect(HINTERNET session, const WCHAR *host, INTERNET_PORT port, DWORD reserved)
{
    HINTERNET connect = WinHttpConnect(session, host, port, reserved);

    if (connect && h2mode && port == h2mode_port)
    {
        EnterCriticalSection(&h2mode_cs);
        h2mode_connects[h2mode_connect_count++ % ARRAYSIZE(h2mode_connects)] = connect;
        LeaveCriticalSection(&h2mode_cs);
    }
    return connect;
}

static BOOL h2mode_is_h2_connect(HINTERNET connect)
{
    LONG i, n;
    BOOL found = FALSE;

    EnterCriticalSection(&h2mode_cs);
    n = min(h2mode_connect_count, (LONG)ARRAYSIZE(h2mode_connects));
    for (i = 0; i < n && !found; i++) found = h2mode_connects[i] == connect;
    LeaveCriticalSection(&h2mode_cs);
    return found;
}

static HINTERNET h2mode_WinHttpOpenRequest(HINTERNET connect, const WCHAR *verb, const WCHAR *path,
                                           const WCHAR *version, const WCHAR *referrer, const WCHAR **types,
                                           DWORD flags)
{
    if (h2mode && h2mode_is_h2_connect(connect)) flags |= WINHTTP_FLAG_SECURE;
    return WinHttpOpenRequest(connect, verb, path, version, referrer, types, flags);
}

#define WinHttpOpen h2mode_WinHttpOpen
#define WinHttpConnect h2mode_WinHttpConnect
#define WinHttpOpenRequest h2mode_WinHttpOpenRequest

/* A test that holds over HTTP/2 too. */
static void run_test_h2(const char *name, void (*func)(void))
{
    run_test(name, func);
}
/* One that does not: HTTP/1.1 runs only. */
static void run_test_h1(const char *name, void (*func)(void))
{
    if (!h2mode) run_test(name, func);
}

#endif /* WINHTTP_TEST_H2MODE_H */
