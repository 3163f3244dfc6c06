/*
 * The test peers for conformance tests: include after test.h.
 *
 * tools/run-tests starts them (tools/testenv start) and exports where they
 * are; Wine passes the environment through, so a test reads it with these
 * helpers.  A test whose peer is missing skips with a message:
 *
 *     int port = peer_port("WINHTTP_TEST_NGINX_PORT");
 *     if (!port) { skip("no nginx (run through tools/run-tests)\n"); return; }
 *
 * Variables (all set by tools/testenv start):
 *   WINHTTP_TESTENV_STARTED       1
 *   WINHTTP_TEST_NGINX_PORT       nginx on 127.0.0.1
 *   WINHTTP_TEST_NGINX_PORT6      the same nginx on [::1] (unset without IPv6)
 *   WINHTTP_TEST_NGINX_ACCESS_LOG "$connection $connection_requests addr:port
 *                                 \"request line\" status bytes request_length"
 *   WINHTTP_TEST_SCRIPTED_PORT    tests/peers/scripted.py on 127.0.0.1
 *   WINHTTP_TEST_SCRIPTED_LOG     its log
 *   WINHTTP_TEST_SQUID_PORT       squid forward proxy on 127.0.0.1 (CONNECT to
 *                                 any loopback port)
 *   WINHTTP_TEST_SQUID_ACCESS_LOG squid's access log, full URLs with queries
 *   WINHTTP_TEST_CLOSED_PORT      a port on 127.0.0.1 nothing listens on
 *   WINHTTP_TEST_H2_PORT, _H2_ACCESS_LOG, _H2_HOSTILE_PORT, _H2_NOWINDOW_PORT,
 *   _H2_HOSTILE_LOG, _H2_NGHTTPD_* the HTTP/2 peers (tests/peers/tls_h2/peer-start)
 *   WINHTTP_TEST_PEERS_DIR, WINHTTP_TEST_WWW_DIR  runtime dir, document root
 *                                 (unix paths: see peer_read_file)
 *
 * Counting connections: put a unique marker in the query string of every
 * request of one test (e.g. "?m=keepalive1"), then
 *   nginx:    peer_nginx_connections("m=keepalive1", 3) waits until the access
 *             log has 3 such requests and returns on how many connections
 *   scripted: requests with "ctag=TAG" in the query; peer_scripted_count("TAG")
 *             returns on how many connections they came; or compare the
 *             X-Connection-Id response headers of two requests.
 *
 * The raw helpers (peer_connect, peer_http...) use Winsock only, for setting
 * up and checking peers without going through the WinHTTP under test.
 */
#ifndef WINHTTP_TEST_PEERS_H
#define WINHTTP_TEST_PEERS_H

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wcpp"   /* "include winsock2.h before windows.h" */
#include <winsock2.h>
#include <ws2tcpip.h>
#pragma GCC diagnostic pop
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Known content of the document root (tests/peers/mkcontent.py). */
#define PEER_SMALL_TEXT     "hello, winhttp\n"        /* /static/small.txt */
#define PEER_SMALL_LEN      15
#define PEER_TEXT_REPEAT    64                        /* /static/text.txt: PEER_SMALL_TEXT x 64 */
#define PEER_TEXT_LEN       (PEER_SMALL_LEN * PEER_TEXT_REPEAT)
#define PEER_PATTERN_LEN    (1024 * 1024)             /* /static/pattern-1m.bin */
#define PEER_PATTERN_BYTE(i) ((unsigned char)((i) % 251))

/* The value of an environment variable into BUF; FALSE if unset or too long. */
static inline BOOL peer_env(const char *name, char *buf, DWORD size)
{
    DWORD n = GetEnvironmentVariableA(name, buf, size);
    if (!n || n >= size)
    {
        if (size) buf[0] = 0;
        return FALSE;
    }
    return TRUE;
}

/* A port from the environment, 0 if unset or invalid. */
static inline int peer_port(const char *env_name)
{
    char buf[32], *end;
    long v;
    if (!peer_env(env_name, buf, sizeof(buf))) return 0;
    v = strtol(buf, &end, 10);
    if (*end || v <= 0 || v > 65535) return 0;
    return (int)v;
}

/* Whether tools/testenv started the peers for this run. */
static inline int peers_available(void)
{
    char buf[8];
    return peer_env("WINHTTP_TESTENV_STARTED", buf, sizeof(buf)) && !strcmp(buf, "1");
}

/* A unix path as a Windows one (malloc'd): Wine's own mapping when there is
 * one (kernel32.wine_get_dos_file_name), else Z: with backslashes. */
static inline char *peer_unix_to_windows(const char *unix_path)
{
    typedef WCHAR *(CDECL *dos_name_fn)(const char *);
    dos_name_fn fn = (dos_name_fn)(void *)GetProcAddress(GetModuleHandleA("kernel32.dll"), "wine_get_dos_file_name");
    char *out, *p;

    if (!unix_path) return NULL;
    if (fn && unix_path[0] == '/')
    {
        WCHAR *w = fn(unix_path);
        if (w)
        {
            int n = WideCharToMultiByte(CP_ACP, 0, w, -1, NULL, 0, NULL, NULL);
            out = n > 0 ? malloc(n) : NULL;
            if (out) WideCharToMultiByte(CP_ACP, 0, w, -1, out, n, NULL, NULL);
            HeapFree(GetProcessHeap(), 0, w);
            if (out) return out;
        }
    }
    out = malloc(strlen(unix_path) + 3);
    if (!out) return NULL;
    if (unix_path[0] == '/') { strcpy(out, "Z:"); strcat(out, unix_path); }
    else strcpy(out, unix_path);
    for (p = out; *p; p++) if (*p == '/') *p = '\\';
    return out;
}

/* A whole file given its unix path (or a Windows one), malloc'd and
 * NUL-terminated; its size in *len if LEN.  NULL if it cannot be read. */
static inline char *peer_read_file_len(const char *path, size_t *len)
{
    char *win = peer_unix_to_windows(path), *data = NULL;
    HANDLE h;
    DWORD size, got;

    if (len) *len = 0;
    if (!win) return NULL;
    h = CreateFileA(win, GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, NULL,
                    OPEN_EXISTING, 0, NULL);
    free(win);
    if (h == INVALID_HANDLE_VALUE) return NULL;
    size = GetFileSize(h, NULL);
    if (size != INVALID_FILE_SIZE && (data = malloc(size + 1)))
    {
        if (ReadFile(h, data, size, &got, NULL))
        {
            data[got] = 0;
            if (len) *len = got;
        }
        else
        {
            free(data);
            data = NULL;
        }
    }
    CloseHandle(h);
    return data;
}

static inline char *peer_read_file(const char *path)
{
    return peer_read_file_len(path, NULL);
}

/* The file an environment variable names (e.g. WINHTTP_TEST_NGINX_ACCESS_LOG). */
static inline char *peer_read_env_file(const char *env_name)
{
    char path[MAX_PATH * 2];
    if (!peer_env(env_name, path, sizeof(path))) return NULL;
    return peer_read_file(path);
}

/* Lines of TEXT containing MARKER. */
static inline int peer_count_lines(const char *text, const char *marker)
{
    int n = 0;
    const char *line = text, *end;
    if (!text) return 0;
    while (*line)
    {
        size_t mlen = strlen(marker);
        const char *p;
        end = strchr(line, '\n');
        if (!end) end = line + strlen(line);
        for (p = line; p + mlen <= end; p++)
            if (!memcmp(p, marker, mlen)) { n++; break; }
        line = *end ? end + 1 : end;
    }
    return n;
}

/* Wait up to TIMEOUT_MS until the log ENV_NAME names has at least EXPECT
 * lines with MARKER (servers log a request just after answering it); the
 * number of such lines, -1 if the log cannot be read. */
static inline int peer_wait_log(const char *env_name, const char *marker, int expect, DWORD timeout_ms)
{
    DWORD start = GetTickCount();
    int n;
    for (;;)
    {
        char *text = peer_read_env_file(env_name);
        if (!text) return -1;
        n = peer_count_lines(text, marker);
        free(text);
        if (n >= expect || GetTickCount() - start >= timeout_ms) return n;
        Sleep(20);
    }
}

/* Distinct nginx connections ($connection, the first field) among the access
 * log lines with MARKER, once EXPECT_REQUESTS such lines are there (waits up
 * to 3 s).  -1 if the log cannot be read. */
static inline int peer_nginx_connections(const char *marker, int expect_requests)
{
    char *text, *line, *next;
    unsigned long seen[256];
    int nseen = 0, i;

    if (peer_wait_log("WINHTTP_TEST_NGINX_ACCESS_LOG", marker, expect_requests, 3000) < 0) return -1;
    if (!(text = peer_read_env_file("WINHTTP_TEST_NGINX_ACCESS_LOG"))) return -1;
    for (line = text; line && *line; line = next)
    {
        unsigned long conn;
        if ((next = strchr(line, '\n'))) *next++ = 0;
        if (!strstr(line, marker)) continue;
        conn = strtoul(line, NULL, 10);
        for (i = 0; i < nseen; i++) if (seen[i] == conn) break;
        if (i == nseen && nseen < (int)(sizeof(seen) / sizeof(seen[0]))) seen[nseen++] = conn;
    }
    free(text);
    return nseen;
}

/* ---- raw Winsock ---- */

static inline void peer_wsa_init(void)
{
    static LONG done;
    WSADATA data;
    if (InterlockedExchange(&done, 1)) return;
    WSAStartup(MAKEWORD(2, 2), &data);
}

/* A TCP connection to HOST ("127.0.0.1", "::1") PORT; INVALID_SOCKET with
 * the Winsock error in *ERR (if ERR) on failure.  Receives time out after
 * 10 s. */
static inline SOCKET peer_connect_err(const char *host, int port, int *err)
{
    struct addrinfo hints, *res = NULL;
    char service[16];
    SOCKET s = INVALID_SOCKET;
    DWORD timeout = 10000;

    peer_wsa_init();
    if (err) *err = 0;
    memset(&hints, 0, sizeof(hints));
    hints.ai_family = strchr(host, ':') ? AF_INET6 : AF_INET;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_NUMERICHOST;
    sprintf(service, "%d", port);
    if (getaddrinfo(host, service, &hints, &res) || !res)
    {
        if (err) *err = WSAGetLastError();
        return INVALID_SOCKET;
    }
    s = socket(res->ai_family, SOCK_STREAM, IPPROTO_TCP);
    if (s != INVALID_SOCKET && connect(s, res->ai_addr, (int)res->ai_addrlen))
    {
        if (err) *err = WSAGetLastError();
        closesocket(s);
        s = INVALID_SOCKET;
    }
    else if (s == INVALID_SOCKET && err) *err = WSAGetLastError();
    freeaddrinfo(res);
    if (s != INVALID_SOCKET) setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, (const char *)&timeout, sizeof(timeout));
    return s;
}

static inline SOCKET peer_connect(const char *host, int port)
{
    return peer_connect_err(host, port, NULL);
}

static inline BOOL peer_send_all(SOCKET s, const char *data, int len)
{
    while (len > 0)
    {
        int n = send(s, data, len, 0);
        if (n <= 0) return FALSE;
        data += n;
        len -= n;
    }
    return TRUE;
}

/* Everything until the peer closes (or a receive times out): malloc'd,
 * NUL-terminated, its length in *LEN. */
static inline char *peer_recv_all(SOCKET s, int *len)
{
    int size = 65536, got = 0, n;
    char *buf = malloc(size + 1), *tmp;
    if (!buf) return NULL;
    for (;;)
    {
        if (size - got < 4096)
        {
            if (!(tmp = realloc(buf, size * 2 + 1))) break;
            buf = tmp;
            size *= 2;
        }
        n = recv(s, buf + got, size - got, 0);
        if (n <= 0) break;
        got += n;
    }
    buf[got] = 0;
    if (len) *len = got;
    return buf;
}

/* The status code of an HTTP response's first line, -1 if not "HTTP/x.y NNN". */
static inline int peer_status_code(const char *response)
{
    const char *p;
    if (!response || strncmp(response, "HTTP/", 5)) return -1;
    p = strchr(response, ' ');
    if (!p || p[1] < '0' || p[1] > '9') return -1;
    return atoi(p + 1);
}

/* The body of a complete response as returned by peer_http (after the blank line). */
static inline const char *peer_body(const char *response)
{
    const char *p = response ? strstr(response, "\r\n\r\n") : NULL;
    return p ? p + 4 : NULL;
}

/* Send REQUEST (bytes, exactly) to HOST:PORT, read until the server closes;
 * the status code of the response, -1 on failure.  The response is kept in
 * *RESPONSE (malloc'd, NUL-terminated) if RESPONSE, its length in *LEN.
 * Ask for "Connection: close" or the read waits for the keep-alive timeout. */
static inline int peer_http(const char *host, int port, const char *request, int request_len,
                     char **response, int *len)
{
    SOCKET s = peer_connect(host, port);
    char *buf;
    int status;

    if (response) *response = NULL;
    if (len) *len = 0;
    if (s == INVALID_SOCKET) return -1;
    if (request_len < 0) request_len = (int)strlen(request);
    if (!peer_send_all(s, request, request_len))
    {
        closesocket(s);
        return -1;
    }
    buf = peer_recv_all(s, len);
    closesocket(s);
    status = peer_status_code(buf);
    if (response) *response = buf;
    else free(buf);
    return status;
}

/* GET PATH from 127.0.0.1:PORT with Connection: close; the status code, the
 * whole response in *RESPONSE if RESPONSE (free it). */
static inline int peer_http_get(int port, const char *path, char **response)
{
    char req[2048];
    snprintf(req, sizeof(req), "GET %s HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nConnection: close\r\n\r\n", path, port);
    return peer_http("127.0.0.1", port, req, -1, response, NULL);
}

/* The scripted server's connection count: with CTAG, connections that carried
 * a request with ctag=CTAG; without, every connection with a request since the
 * last reset.  -1 on failure. */
static inline int peer_scripted_count(const char *ctag)
{
    char path[256], *resp;
    int port = peer_port("WINHTTP_TEST_SCRIPTED_PORT"), n = -1;
    if (!port) return -1;
    if (ctag) snprintf(path, sizeof(path), "/count?ctag=%s", ctag);
    else strcpy(path, "/count");
    if (peer_http_get(port, path, &resp) == 200 && peer_body(resp)) n = atoi(peer_body(resp));
    free(resp);
    return n;
}

static inline BOOL peer_scripted_count_reset(void)
{
    int port = peer_port("WINHTTP_TEST_SCRIPTED_PORT");
    return port && peer_http_get(port, "/count/reset", NULL) == 200;
}

#endif /* WINHTTP_TEST_PEERS_H */
