/*
 * The HTTP/2 run of the HTTP tests: include after test.h and winhttp.h.
 *
 * With WINHTTP_TEST_HTTP2=1 in the environment (tests/scripts/http2_rerun
 * sets it), the same program runs again over HTTP/2, unchanged: every session
 * it opens enables HTTP/2 (WINHTTP_OPTION_ENABLE_HTTP_PROTOCOL, as a program
 * that wants it does), "the nginx peer" is the h2 nginx of tests/peers/tls_h2
 * (same locations, TLS with ALPN h2; WINHTTP_TEST_NGINX_PORT and
 * _ACCESS_LOG point at it for the run), "the apache of the auth peer" is its
 * TLS listener with mod_http2 (WINHTTP_TEST_AUTH_APACHE_PORT), and requests
 * to them go out with WINHTTP_FLAG_SECURE, since h2 is only ever negotiated
 * over TLS.
 *
 * Tests register with run_test_h2() when what they check holds over h2 as
 * well; plain run_test() ones (HTTP/1.1 wire details, the HTTP/1.1-only
 * scripted server, proxies) are left out of the h2 run.
 */
#ifndef WINHTTP_TEST_H2MODE_H
#define WINHTTP_TEST_H2MODE_H

static BOOL h2mode;
static INTERNET_PORT h2mode_ports[4];
static int h2mode_port_count;
static CRITICAL_SECTION h2mode_cs;
/* Whether each connect handle the program got names an h2 peer (handle
 * values come back after a close: every WinHttpConnect updates its entry). */
static struct { HINTERNET connect; BOOL h2; } h2mode_connects[4096];
static LONG h2mode_connect_count;

/* The peers with an h2 twin: their variables point at the twin in the h2 run. */
static const struct
{
    const char *port, *h2_port;    /* environment variables */
    const char *log, *h2_log;      /* access logs, when the twin has its own */
} h2mode_peers[] =
{
    /* the main nginx and tests/peers/tls_h2's nginx (same locations) */
    { "WINHTTP_TEST_NGINX_PORT", "WINHTTP_TEST_H2_PORT", "WINHTTP_TEST_NGINX_ACCESS_LOG", "WINHTTP_TEST_H2_ACCESS_LOG" },
    /* tests/peers/auth's apache and its own TLS listener (one access log) */
    { "WINHTTP_TEST_AUTH_APACHE_PORT", "WINHTTP_TEST_AUTH_APACHE_H2_PORT", NULL, NULL },
};

static BOOL h2mode_env(const char *name, char *buf, DWORD size)
{
    DWORD n = GetEnvironmentVariableA(name, buf, size);
    return n && n < size;
}

/* Call first in main(): FALSE when the h2 run was asked for and a peer the
 * program uses has no h2 twin. */
static BOOL h2mode_init(void)
{
    char buf[MAX_PATH];
    size_t i;

    InitializeCriticalSection(&h2mode_cs);
    if (!h2mode_env("WINHTTP_TEST_HTTP2", buf, sizeof(buf)) || strcmp(buf, "1")) return TRUE;
    for (i = 0; i < ARRAYSIZE(h2mode_peers); i++)
    {
        INTERNET_PORT port;

        if (!h2mode_env(h2mode_peers[i].port, buf, sizeof(buf))) continue;
        if (!h2mode_env(h2mode_peers[i].h2_port, buf, sizeof(buf)) || !(port = (INTERNET_PORT)atoi(buf)))
            return FALSE;
        SetEnvironmentVariableA(h2mode_peers[i].port, buf);
        h2mode_ports[h2mode_port_count++] = port;
        if (h2mode_peers[i].log && h2mode_env(h2mode_peers[i].h2_log, buf, sizeof(buf)))
            SetEnvironmentVariableA(h2mode_peers[i].log, buf);
        printf("HTTP/2 run: %s is the h2 peer on port %u\n", h2mode_peers[i].port, port);
    }
    /* Only where the main peers listen on ::1 too do their twins. */
    h2mode = TRUE;
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
    BOOL h2 = FALSE;
    LONG i, n;
    int p;

    if (!connect || !h2mode) return connect;
    for (p = 0; p < h2mode_port_count; p++) h2 |= port == h2mode_ports[p];
    EnterCriticalSection(&h2mode_cs);
    n = min(h2mode_connect_count, (LONG)ARRAYSIZE(h2mode_connects));
    for (i = 0; i < n && h2mode_connects[i].connect != connect; i++);
    if (i == n) i = h2mode_connect_count++ % ARRAYSIZE(h2mode_connects);
    h2mode_connects[i].connect = connect;
    h2mode_connects[i].h2 = h2;
    LeaveCriticalSection(&h2mode_cs);
    return connect;
}

static BOOL h2mode_is_h2_connect(HINTERNET connect)
{
    LONG i, n;
    BOOL h2 = FALSE;

    EnterCriticalSection(&h2mode_cs);
    n = min(h2mode_connect_count, (LONG)ARRAYSIZE(h2mode_connects));
    for (i = 0; i < n; i++) if (h2mode_connects[i].connect == connect) h2 = h2mode_connects[i].h2;
    LeaveCriticalSection(&h2mode_cs);
    return h2;
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
