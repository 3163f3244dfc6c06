/*
 * The session's cookie jar seen from the wire: Set-Cookie in a response,
 * Cookie in the following requests (RFC 6265 §5.3, §5.4), and
 * WINHTTP_DISABLE_COOKIES.
 *
 * A loopback server in this process answers each request with the next
 * response of a script and records what it received (the socket calls come
 * from the winsock.h that windows.h includes).
 */
#include "test.h"
#include <winhttp.h>

#define MAX_EXCHANGES 16

struct server
{
    SOCKET listener;
    INTERNET_PORT port;
    const char *const *responses;   /* NULL-terminated script */
    LONG next;                      /* next response / request slot */
    char requests[MAX_EXCHANGES][2048];
    HANDLE thread;
};

struct connection
{
    struct server *server;
    SOCKET s;
};

/* Serve requests on one connection until the client closes it. */
static DWORD WINAPI connection_thread(void *arg)
{
    struct connection *conn = arg;
    struct server *server = conn->server;
    char buf[2048];
    int len = 0, n;

    for (;;)
    {
        char *end;
        LONG slot;

        buf[len] = 0;
        while (!(end = strstr(buf, "\r\n\r\n")))
        {
            if (len >= (int)sizeof(buf) - 1 || (n = recv(conn->s, buf + len, sizeof(buf) - 1 - len, 0)) <= 0) goto done;
            len += n;
            buf[len] = 0;
        }
        end += 4;
        slot = InterlockedIncrement(&server->next) - 1;
        if (slot >= MAX_EXCHANGES || !server->responses[slot]) break;
        memcpy(server->requests[slot], buf, end - buf);
        server->requests[slot][end - buf] = 0;
        send(conn->s, server->responses[slot], (int)strlen(server->responses[slot]), 0);
        len -= (int)(end - buf);
        memmove(buf, end, len);
    }
done:
    closesocket(conn->s);
    free(conn);
    return 0;
}

static DWORD WINAPI accept_thread(void *arg)
{
    struct server *server = arg;
    SOCKET s;

    while ((s = accept(server->listener, NULL, NULL)) != INVALID_SOCKET)
    {
        struct connection *conn = malloc(sizeof(*conn));
        HANDLE thread;
        conn->server = server;
        conn->s = s;
        if ((thread = CreateThread(NULL, 0, connection_thread, conn, 0, NULL))) CloseHandle(thread);
    }
    return 0;
}

static BOOL server_start(struct server *server, const char *const *responses)
{
    struct sockaddr_in addr = { 0 };
    int len = sizeof(addr);

    memset(server, 0, sizeof(*server));
    server->responses = responses;
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if ((server->listener = socket(AF_INET, SOCK_STREAM, 0)) == INVALID_SOCKET) return FALSE;
    if (bind(server->listener, (struct sockaddr *)&addr, sizeof(addr)) || listen(server->listener, 8) ||
        getsockname(server->listener, (struct sockaddr *)&addr, &len))
        return FALSE;
    server->port = ntohs(addr.sin_port);
    return (server->thread = CreateThread(NULL, 0, accept_thread, server, 0, NULL)) != NULL;
}

static void server_stop(struct server *server)
{
    closesocket(server->listener);
    WaitForSingleObject(server->thread, 5000);
    CloseHandle(server->thread);
}

/* One GET through session; FALSE when the request failed. */
static BOOL fetch(HINTERNET session, struct server *server, const WCHAR *path, DWORD disable, const WCHAR *headers)
{
    HINTERNET con = WinHttpConnect(session, L"127.0.0.1", server->port, 0), req;
    char body[64];
    DWORD read;
    BOOL ret;

    req = WinHttpOpenRequest(con, L"GET", path, NULL, NULL, NULL, 0);
    if (disable) ok(WinHttpSetOption(req, WINHTTP_OPTION_DISABLE_FEATURE, &disable, sizeof(disable)),
                    "disabling %#lx failed: %lu\n", disable, GetLastError());
    if (headers) ok(WinHttpAddRequestHeaders(req, headers, (DWORD)-1, WINHTTP_ADDREQ_FLAG_ADD), "add failed\n");
    ret = WinHttpSendRequest(req, NULL, 0, NULL, 0, 0, 0) && WinHttpReceiveResponse(req, NULL);
    while (ret && WinHttpReadData(req, body, sizeof(body), &read) && read) ;
    WinHttpCloseHandle(req);
    WinHttpCloseHandle(con);
    return ret;
}

/* The Cookie header of the index-th request the server received, "" if none. */
static const char *cookie_sent(struct server *server, int index)
{
    static char value[1024];
    const char *p = server->requests[index], *end;

    value[0] = 0;
    while ((p = strstr(p, "\r\n")))
    {
        p += 2;
        if (_strnicmp(p, "Cookie:", 7)) continue;
        p += 7;
        while (*p == ' ') p++;
        end = strstr(p, "\r\n");
        memcpy(value, p, end - p);
        value[end - p] = 0;
        break;
    }
    return value;
}

#define ok_cookie(server, index, expect) do { const char *c_ = cookie_sent(server, index); \
    ok(!strcmp(c_, expect), "request %d: expected Cookie \"%s\", got \"%s\"\n", index, expect, c_); } while (0)

static HINTERNET open_session(void)
{
    HINTERNET session = WinHttpOpen(L"cookie-test", WINHTTP_ACCESS_TYPE_NO_PROXY, NULL, NULL, 0);
    ok(session != NULL, "WinHttpOpen failed: %lu\n", GetLastError());
    return session;
}

#define EMPTY_200 "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n"

static void test_cookies_sent_back(void)
{
    static const char *const script[] =
    {
        EMPTY_200 "Set-Cookie: a=1; Path=/\r\nSet-Cookie: deep=2; Path=/dir/sub\r\nSet-Cookie: other=3; Path=/other\r\n"
        "Set-Cookie: s=4; Secure\r\nSet-Cookie: h=5; HttpOnly\r\n\r\n",
        EMPTY_200 "\r\n",
        EMPTY_200 "\r\n",
        EMPTY_200 "\r\n",
        NULL,
    };
    HINTERNET session = open_session();
    struct server server;

    if (!server_start(&server, script)) { skip("no loopback server\n"); return; }
    if (!fetch(session, &server, L"/dir/page", 0, NULL))
    {
        skip("the request failed (%lu)\n", GetLastError());
        server_stop(&server);
        WinHttpCloseHandle(session);
        return;
    }
    ok_cookie(&server, 0, "");
    ok(fetch(session, &server, L"/dir/sub/x?q=1", 0, NULL), "second request failed: %lu\n", GetLastError());
    /* Longer paths first (h has the default path /dir); Secure cookies only
     * over https (builtin sends them anyway); HttpOnly ones are sent, HTTP
     * being an HTTP API. */
    ok_cookie(&server, 1, "deep=2; h=5; a=1");
    ok(fetch(session, &server, L"/other", 0, NULL), "third request failed: %lu\n", GetLastError());
    ok_cookie(&server, 2, "other=3; a=1");
    ok(fetch(session, &server, L"/dir", 0, NULL), "fourth request failed: %lu\n", GetLastError());
    ok_cookie(&server, 3, "h=5; a=1");
    server_stop(&server);
    WinHttpCloseHandle(session);
}

/* Same name, domain and path: replaced in place (creation order kept);
 * expired: deleted.  (Builtin keeps expired cookies.) */
static void test_cookie_replaced_and_deleted(void)
{
    static const char *const script[] =
    {
        EMPTY_200 "Set-Cookie: a=1\r\nSet-Cookie: b=1\r\n\r\n",
        EMPTY_200 "Set-Cookie: a=2\r\nSet-Cookie: b=; Max-Age=0\r\n\r\n",
        EMPTY_200 "Set-Cookie: a=gone; Expires=Thu, 01 Jan 1970 00:00:00 GMT\r\n\r\n",
        EMPTY_200 "\r\n",
        NULL,
    };
    HINTERNET session = open_session();
    struct server server;

    if (!server_start(&server, script)) { skip("no loopback server\n"); return; }
    if (!fetch(session, &server, L"/", 0, NULL))
    {
        skip("the request failed (%lu)\n", GetLastError());
        server_stop(&server);
        WinHttpCloseHandle(session);
        return;
    }
    ok(fetch(session, &server, L"/", 0, NULL), "second request failed\n");
    ok_cookie(&server, 1, "a=1; b=1");
    ok(fetch(session, &server, L"/", 0, NULL), "third request failed\n");
    ok_cookie(&server, 2, "a=2");
    ok(fetch(session, &server, L"/", 0, NULL), "fourth request failed\n");
    ok_cookie(&server, 3, "");
    server_stop(&server);
    WinHttpCloseHandle(session);
}

/* Each session has its own jar. */
static void test_sessions_do_not_share(void)
{
    static const char *const script[] =
    {
        EMPTY_200 "Set-Cookie: mine=1\r\n\r\n",
        EMPTY_200 "\r\n",
        EMPTY_200 "\r\n",
        NULL,
    };
    HINTERNET first = open_session(), second = open_session();
    struct server server;

    if (!server_start(&server, script)) { skip("no loopback server\n"); return; }
    if (fetch(first, &server, L"/", 0, NULL))
    {
        ok(fetch(second, &server, L"/", 0, NULL), "second request failed\n");
        ok_cookie(&server, 1, "");
        ok(fetch(first, &server, L"/", 0, NULL), "third request failed\n");
        ok_cookie(&server, 2, "mine=1");
    }
    else skip("the request failed (%lu)\n", GetLastError());
    server_stop(&server);
    WinHttpCloseHandle(first);
    WinHttpCloseHandle(second);
}

/* WINHTTP_DISABLE_COOKIES: nothing stored from the response, nothing sent. */
static void test_disable_cookies(void)
{
    static const char *const script[] =
    {
        EMPTY_200 "Set-Cookie: kept=1\r\n\r\n",
        EMPTY_200 "Set-Cookie: dropped=1\r\n\r\n",
        EMPTY_200 "\r\n",
        EMPTY_200 "\r\n",
        NULL,
    };
    HINTERNET session = open_session();
    struct server server;

    if (!server_start(&server, script)) { skip("no loopback server\n"); return; }
    if (fetch(session, &server, L"/", 0, NULL))
    {
        ok(fetch(session, &server, L"/", WINHTTP_DISABLE_COOKIES, NULL), "second request failed\n");
        ok_cookie(&server, 1, "");
        ok(fetch(session, &server, L"/", 0, NULL), "third request failed\n");
        ok_cookie(&server, 2, "kept=1");
        /* The application's own Cookie header goes out as given. */
        ok(fetch(session, &server, L"/", WINHTTP_DISABLE_COOKIES, L"Cookie: app=1"), "fourth request failed\n");
        ok_cookie(&server, 3, "app=1");
    }
    else skip("the request failed (%lu)\n", GetLastError());
    server_stop(&server);
    WinHttpCloseHandle(session);
}

/* A cookie for a domain the server does not belong to is refused. */
static void test_foreign_domain_refused(void)
{
    static const char *const script[] =
    {
        EMPTY_200 "Set-Cookie: foreign=1; Domain=example.com\r\nSet-Cookie: ok=1\r\n\r\n",
        EMPTY_200 "\r\n",
        NULL,
    };
    HINTERNET session = open_session();
    struct server server;

    if (!server_start(&server, script)) { skip("no loopback server\n"); return; }
    if (fetch(session, &server, L"/", 0, NULL))
    {
        ok(fetch(session, &server, L"/", 0, NULL), "second request failed\n");
        ok_cookie(&server, 1, "ok=1");
    }
    else skip("the request failed (%lu)\n", GetLastError());
    server_stop(&server);
    WinHttpCloseHandle(session);
}

int main(void)
{
    WSADATA wsa;

    WSAStartup(MAKEWORD(2, 2), &wsa);
    run_test("cookies_sent_back", test_cookies_sent_back);
    run_test("cookie_replaced_and_deleted", test_cookie_replaced_and_deleted);
    run_test("sessions_do_not_share", test_sessions_do_not_share);
    run_test("disable_cookies", test_disable_cookies);
    run_test("foreign_domain_refused", test_foreign_domain_refused);
    WSACleanup();
    return test_summary();
}
