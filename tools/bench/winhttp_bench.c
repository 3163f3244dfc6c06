/*
 * winhttp_bench: the benchmark client, a Windows program that uses
 * documented WinHTTP only, so the same .exe measures our DLL and Wine's
 * builtin (tools/bench/run runs both, and curl_bench natively).
 *
 *   winhttp_bench seq N URL          N sequential GETs on one session (keep-alive)
 *   winhttp_bench conc N C URL       N GETs, C at a time, asynchronous (WINHTTP_FLAG_ASYNC), reading
 *                                    from HEADERS_AVAILABLE / READ_COMPLETE straight away
 *   winhttp_bench concq N C URL      the same, the documented way (Microsoft's samples):
 *                                    WinHttpQueryDataAvailable before each WinHttpReadData, every
 *                                    notification and handle event registered
 *   winhttp_bench get URL [OUTFILE]  one GET, body read in 64 KiB pieces (optionally saved), timed
 *                                    after a HEAD of the URL on a session of its own (see warm_up)
 *   winhttp_bench hs N URL           N GETs, each on a new session: a full TLS handshake each
 *   winhttp_bench wsrt N URL         N WebSocket echo round trips of a 32-byte message (URL: http://...)
 *   winhttp_bench wsbulk MIB URL     MIB binary messages of 1 MiB echoed by a WebSocket server
 *
 * BENCH_HTTP2=1 enables HTTP/2 on the sessions (WINHTTP_OPTION_ENABLE_HTTP_PROTOCOL).
 *
 * Prints one line: "mode=... requests=N bytes=B seconds=S rate=R" (requests/s
 * or MB/s) then " cpu_ms_per_1k=C peak_rss_kib=K": the CPU time (user and
 * kernel) the process spent during the run per 1,000 requests, and the
 * process's peak resident set; exits non-zero if any request failed.
 */
#include <windows.h>
#include <winhttp.h>
#include <psapi.h>
#include <stdio.h>
#include <stdlib.h>

struct target
{
    WCHAR host[256];
    WCHAR path[2048];
    INTERNET_PORT port;
    DWORD flags;
};

static BOOL parse_url(const char *url, struct target *t)
{
    WCHAR wurl[2048];
    URL_COMPONENTS uc;

    MultiByteToWideChar(CP_ACP, 0, url, -1, wurl, ARRAYSIZE(wurl));
    memset(&uc, 0, sizeof(uc));
    uc.dwStructSize = sizeof(uc);
    uc.lpszHostName = t->host;
    uc.dwHostNameLength = ARRAYSIZE(t->host);
    uc.lpszUrlPath = t->path;
    uc.dwUrlPathLength = ARRAYSIZE(t->path);
    uc.dwExtraInfoLength = (DWORD)-1;
    if (!WinHttpCrackUrl(wurl, 0, 0, &uc)) return FALSE;
    if (uc.lpszExtraInfo) wcsncat(t->path, uc.lpszExtraInfo, uc.dwExtraInfoLength);
    t->port = uc.nPort;
    t->flags = uc.nScheme == INTERNET_SCHEME_HTTPS ? WINHTTP_FLAG_SECURE : 0;
    return TRUE;
}

static HINTERNET open_session(DWORD flags)
{
    HINTERNET session = WinHttpOpen(L"winhttp-bench", WINHTTP_ACCESS_TYPE_NO_PROXY, NULL, NULL, flags);
    char env[8];
    DWORD value = WINHTTP_PROTOCOL_FLAG_HTTP2;

    if (session && GetEnvironmentVariableA("BENCH_HTTP2", env, sizeof(env)) && !strcmp(env, "1"))
        WinHttpSetOption(session, WINHTTP_OPTION_ENABLE_HTTP_PROTOCOL, &value, sizeof(value));
    return session;
}

static double now(void)
{
    LARGE_INTEGER f, c;
    QueryPerformanceFrequency(&f);
    QueryPerformanceCounter(&c);
    return (double)c.QuadPart / f.QuadPart;
}

static double cpu_seconds(void)
{
    FILETIME create, exit, kernel, user;
    ULARGE_INTEGER k, u;

    GetProcessTimes(GetCurrentProcess(), &create, &exit, &kernel, &user);
    k.LowPart = kernel.dwLowDateTime;
    k.HighPart = kernel.dwHighDateTime;
    u.LowPart = user.dwLowDateTime;
    u.HighPart = user.dwHighDateTime;
    return (k.QuadPart + u.QuadPart) / 1e7;
}

/* The tail of the result line: CPU per 1,000 requests since cpu_start, and
 * the peak resident set (Wine reports Linux's VmHWM). */
static void print_costs(int requests, double cpu_start)
{
    PROCESS_MEMORY_COUNTERS pmc;

    memset(&pmc, 0, sizeof(pmc));
    pmc.cb = sizeof(pmc);
    K32GetProcessMemoryInfo(GetCurrentProcess(), &pmc, sizeof(pmc));
    printf(" cpu_ms_per_1k=%.1f peak_rss_kib=%lu\n", requests ? (cpu_seconds() - cpu_start) * 1e6 / requests : 0.0,
           (unsigned long)(pmc.PeakWorkingSetSize / 1024));
}

/* One synchronous request (GET or HEAD); returns body bytes or -1. */
static long long request_once(HINTERNET connect, const WCHAR *verb, const struct target *t, char *buf,
                              DWORD bufsize, FILE *out)
{
    HINTERNET req = WinHttpOpenRequest(connect, verb, t->path, NULL, WINHTTP_NO_REFERER,
                                       WINHTTP_DEFAULT_ACCEPT_TYPES, t->flags);
    long long total = 0;
    DWORD n;

    if (!req) return -1;
    if (!WinHttpSendRequest(req, WINHTTP_NO_ADDITIONAL_HEADERS, 0, NULL, 0, 0, 0) ||
        !WinHttpReceiveResponse(req, NULL))
    {
        fprintf(stderr, "request failed: %lu\n", GetLastError());
        WinHttpCloseHandle(req);
        return -1;
    }
    for (;;)
    {
        if (!WinHttpReadData(req, buf, bufsize, &n))
        {
            fprintf(stderr, "read failed: %lu\n", GetLastError());
            total = -1;
            break;
        }
        if (!n) break;
        if (out) fwrite(buf, 1, n, out);
        total += n;
    }
    WinHttpCloseHandle(req);
    return total;
}

static long long get_once(HINTERNET connect, const struct target *t, char *buf, DWORD bufsize, FILE *out)
{
    return request_once(connect, L"GET", t, buf, bufsize, out);
}

static void warm_up(const struct target *t, BOOL head);

static int run_seq(int n, const struct target *t)
{
    HINTERNET session = open_session(0);
    HINTERNET connect = WinHttpConnect(session, t->host, t->port, 0);
    static char buf[65536];
    long long bytes = 0, r;
    double start = now(), cpu = cpu_seconds(), secs;
    int i, failed = 0;

    for (i = 0; i < n; i++)
    {
        if ((r = get_once(connect, t, buf, sizeof(buf), NULL)) < 0) failed++;
        else bytes += r;
    }
    secs = now() - start;
    printf("mode=seq requests=%d failed=%d bytes=%lld seconds=%.3f rate=%.1f req/s", n, failed, bytes, secs, n / secs);
    print_costs(n, cpu);
    WinHttpCloseHandle(connect);
    WinHttpCloseHandle(session);
    return failed != 0;
}

static int run_handshakes(int n, const struct target *t)
{
    static char buf[65536];
    double start = now(), cpu = cpu_seconds(), secs;
    int i, failed = 0;

    for (i = 0; i < n; i++)
    {
        HINTERNET session = open_session(0);
        HINTERNET connect = WinHttpConnect(session, t->host, t->port, 0);
        if (get_once(connect, t, buf, sizeof(buf), NULL) < 0) failed++;
        WinHttpCloseHandle(connect);
        WinHttpCloseHandle(session);
    }
    secs = now() - start;
    printf("mode=hs requests=%d failed=%d seconds=%.3f rate=%.1f handshakes/s", n, failed, secs, n / secs);
    print_costs(n, cpu);
    return failed != 0;
}

static int run_get(const struct target *t, const char *outfile)
{
    HINTERNET session, connect;
    static char buf[65536];
    FILE *out = NULL;
    double start, cpu, secs;
    long long r;

    warm_up(t, TRUE);
    session = open_session(0);
    connect = WinHttpConnect(session, t->host, t->port, 0);
    start = now();
    cpu = cpu_seconds();

    if (outfile && !(out = fopen(outfile, "wb")))
    {
        fprintf(stderr, "cannot write %s\n", outfile);
        return 1;
    }
    r = get_once(connect, t, buf, sizeof(buf), out);
    secs = now() - start;
    if (out) fclose(out);
    printf("mode=get requests=1 failed=%d bytes=%lld seconds=%.3f rate=%.1f MB/s", r < 0, r, secs,
           r > 0 ? r / secs / 1e6 : 0.0);
    print_costs(1, cpu);
    WinHttpCloseHandle(connect);
    WinHttpCloseHandle(session);
    return r < 0;
}

/* ------------------------------------------------------------------ */
/* asynchronous: C requests in flight, each re-armed from the callbacks */

struct slot
{
    HINTERNET request;
    char buf[16384];
};

static struct
{
    HINTERNET connect;
    const struct target *t;
    BOOL query;                 /* the documented pattern: WinHttpQueryDataAvailable first */
    LONG started, completed, failed, total;
    LONGLONG bytes;
    HANDLE done;
} conc;

static void CALLBACK conc_callback(HINTERNET h, DWORD_PTR ctx, DWORD status, void *info, DWORD len);

static void start_one(struct slot *s)
{
    if (InterlockedIncrement(&conc.started) > conc.total) return;
    s->request = WinHttpOpenRequest(conc.connect, L"GET", conc.t->path, NULL, WINHTTP_NO_REFERER,
                                    WINHTTP_DEFAULT_ACCEPT_TYPES, conc.t->flags);
    if (!s->request || !WinHttpSendRequest(s->request, NULL, 0, NULL, 0, 0, (DWORD_PTR)s))
    {
        InterlockedIncrement(&conc.failed);
        if (InterlockedIncrement(&conc.completed) == conc.total) SetEvent(conc.done);
    }
}

static void finish_one(struct slot *s, BOOL ok)
{
    HINTERNET old = s->request;
    if (!ok) InterlockedIncrement(&conc.failed);
    s->request = NULL;
    WinHttpCloseHandle(old);
    if (InterlockedIncrement(&conc.completed) == conc.total) SetEvent(conc.done);
    else start_one(s);
}

static void CALLBACK conc_callback(HINTERNET h, DWORD_PTR ctx, DWORD status, void *info, DWORD len)
{
    struct slot *s = (struct slot *)ctx;

    if (!s || h != s->request) return;
    switch (status)
    {
    case WINHTTP_CALLBACK_STATUS_SENDREQUEST_COMPLETE:
        if (!WinHttpReceiveResponse(h, NULL)) finish_one(s, FALSE);
        break;
    case WINHTTP_CALLBACK_STATUS_HEADERS_AVAILABLE:
        if (conc.query ? !WinHttpQueryDataAvailable(h, NULL) : !WinHttpReadData(h, s->buf, sizeof(s->buf), NULL))
            finish_one(s, FALSE);
        break;
    case WINHTTP_CALLBACK_STATUS_DATA_AVAILABLE:
    {
        DWORD avail = *(DWORD *)info;
        if (!avail) finish_one(s, TRUE);
        else if (!WinHttpReadData(h, s->buf, min(avail, sizeof(s->buf)), NULL)) finish_one(s, FALSE);
        break;
    }
    case WINHTTP_CALLBACK_STATUS_READ_COMPLETE:
        if (!len && !conc.query) finish_one(s, TRUE);
        else if (!len) finish_one(s, FALSE);
        else
        {
            InterlockedAdd64(&conc.bytes, len);
            if (conc.query ? !WinHttpQueryDataAvailable(h, NULL) : !WinHttpReadData(h, s->buf, sizeof(s->buf), NULL))
                finish_one(s, FALSE);
        }
        break;
    case WINHTTP_CALLBACK_STATUS_REQUEST_ERROR:
        finish_one(s, FALSE);
        break;
    }
}

/* One GET before the clock starts, in a session of its own, as curl_bench
 * does: the process loads its TLS and certificate machinery (DLLs, the chain
 * engine) once, so a rate measures the workload rather than the start-up.
 * The timed requests still open their own connection.  Before a download a
 * HEAD (head): the start-up without reading the file twice. */
static void warm_up(const struct target *t, BOOL head)
{
    static char buf[65536];
    HINTERNET session = open_session(0);
    HINTERNET connect = WinHttpConnect(session, t->host, t->port, 0);

    if (request_once(connect, head ? L"HEAD" : L"GET", t, buf, sizeof(buf), NULL) < 0)
        fprintf(stderr, "warm-up request failed\n");
    WinHttpCloseHandle(connect);
    WinHttpCloseHandle(session);
}

static int run_conc(int n, int c, const struct target *t, BOOL query)
{
    HINTERNET session = open_session(WINHTTP_FLAG_ASYNC);
    struct slot *slots = calloc(c, sizeof(*slots));
    DWORD flags = query ? WINHTTP_CALLBACK_FLAG_ALL_NOTIFICATIONS : WINHTTP_CALLBACK_FLAG_ALL_COMPLETIONS;
    double start, cpu, secs;
    int i;

    warm_up(t, FALSE);
    conc.connect = WinHttpConnect(session, t->host, t->port, 0);
    conc.t = t;
    conc.total = n;
    conc.query = query;
    conc.done = CreateEventW(NULL, TRUE, FALSE, NULL);
    WinHttpSetStatusCallback(session, conc_callback, flags, 0);
    WinHttpSetStatusCallback(conc.connect, conc_callback, flags, 0);
    start = now();
    cpu = cpu_seconds();
    for (i = 0; i < c && i < n; i++) start_one(&slots[i]);
    if (WaitForSingleObject(conc.done, 300000) != WAIT_OBJECT_0) fprintf(stderr, "timed out\n");
    secs = now() - start;
    printf("mode=%s requests=%d concurrency=%d failed=%ld bytes=%lld seconds=%.3f rate=%.1f req/s", query ? "concq" : "conc",
           n, c, conc.failed, conc.bytes, secs, n / secs);
    print_costs(n, cpu);
    WinHttpCloseHandle(conc.connect);
    WinHttpCloseHandle(session);
    return conc.failed != 0;
}

/* Upgrade a GET of t to a WebSocket (the echo server's path). */
static HINTERNET ws_open(HINTERNET session, const struct target *t)
{
    HINTERNET connect = WinHttpConnect(session, t->host, t->port, 0), request, socket = NULL;

    request = WinHttpOpenRequest(connect, L"GET", t->path, NULL, NULL, NULL, t->flags);
    if (request && WinHttpSetOption(request, WINHTTP_OPTION_UPGRADE_TO_WEB_SOCKET, NULL, 0) &&
        WinHttpSendRequest(request, NULL, 0, NULL, 0, 0, 0) && WinHttpReceiveResponse(request, NULL))
        socket = WinHttpWebSocketCompleteUpgrade(request, 0);
    if (request) WinHttpCloseHandle(request);
    if (connect) WinHttpCloseHandle(connect);
    return socket;
}

/* One whole message into buf; its length, or -1. */
static long long ws_receive_message(HINTERNET socket, BYTE *buf, DWORD size)
{
    WINHTTP_WEB_SOCKET_BUFFER_TYPE type;
    long long total = 0;
    DWORD len;

    do
    {
        if (WinHttpWebSocketReceive(socket, buf + (total % size), size - (DWORD)(total % size), &len, &type)) return -1;
        total += len;
    } while (type == WINHTTP_WEB_SOCKET_BINARY_FRAGMENT_BUFFER_TYPE || type == WINHTTP_WEB_SOCKET_UTF8_FRAGMENT_BUFFER_TYPE);
    return type == WINHTTP_WEB_SOCKET_CLOSE_BUFFER_TYPE ? -1 : total;
}

static int run_ws(const char *mode, int n, const struct target *t)
{
    HINTERNET session = WinHttpOpen(L"winhttp_bench", WINHTTP_ACCESS_TYPE_NO_PROXY, NULL, NULL, 0), socket;
    DWORD msg_len = strcmp(mode, "wsrt") ? 1 << 20 : 32;
    BYTE *out = malloc(msg_len), *in = malloc(1 << 20);
    long long bytes = 0, got;
    int i, failed = 0;
    double start, secs;

    memset(out, 'w', msg_len);
    if (!(socket = ws_open(session, t)))
    {
        printf("mode=%s requests=%d failed=%d seconds=0 rate=0\n", mode, n, n);
        return 1;
    }
    start = now();
    for (i = 0; i < n; i++)
    {
        if (WinHttpWebSocketSend(socket, WINHTTP_WEB_SOCKET_BINARY_MESSAGE_BUFFER_TYPE, out, msg_len) ||
            (got = ws_receive_message(socket, in, 1 << 20)) != msg_len)
        {
            failed = n - i;
            break;
        }
        bytes += 2 * (long long)msg_len;
    }
    secs = now() - start;
    WinHttpWebSocketClose(socket, WINHTTP_WEB_SOCKET_SUCCESS_CLOSE_STATUS, NULL, 0);
    WinHttpCloseHandle(socket);
    WinHttpCloseHandle(session);
    if (msg_len == 32)
        printf("mode=wsrt requests=%d failed=%d bytes=%lld seconds=%.3f rate=%.1f round-trips/s\n", n, failed, bytes,
               secs, n / secs);
    else
        printf("mode=wsbulk requests=%d failed=%d bytes=%lld seconds=%.3f rate=%.1f MB/s\n", n, failed, bytes, secs,
               bytes / secs / 1e6);
    free(out);
    free(in);
    return failed != 0;
}

int main(int argc, char **argv)
{
    struct target t;

    if (argc >= 4 && !strcmp(argv[1], "seq") && parse_url(argv[3], &t)) return run_seq(atoi(argv[2]), &t);
    if (argc >= 5 && !strcmp(argv[1], "conc") && parse_url(argv[4], &t)) return run_conc(atoi(argv[2]), atoi(argv[3]), &t, FALSE);
    if (argc >= 5 && !strcmp(argv[1], "concq") && parse_url(argv[4], &t)) return run_conc(atoi(argv[2]), atoi(argv[3]), &t, TRUE);
    if (argc >= 3 && !strcmp(argv[1], "get") && parse_url(argv[2], &t)) return run_get(&t, argc > 3 ? argv[3] : NULL);
    if (argc >= 4 && !strcmp(argv[1], "hs") && parse_url(argv[3], &t)) return run_handshakes(atoi(argv[2]), &t);
    if (argc >= 4 && (!strcmp(argv[1], "wsrt") || !strcmp(argv[1], "wsbulk")) && parse_url(argv[3], &t))
        return run_ws(argv[1], atoi(argv[2]), &t);
    fprintf(stderr, "usage: winhttp_bench seq N URL | conc N C URL | concq N C URL | get URL [OUTFILE] | hs N URL\n");
    return 2;
}
