/*
 * The DLL's own fetches (dlls/winhttp/subrequest.c), seen from outside: the
 * revocation check of an https request fetches the CRL through the session's
 * proxy with the session's proxy credentials, whatever scheme the proxy asks
 * for (Digest, Negotiate; Basic is tls.c's revocation_through_auth_proxy);
 * a slow CRL server keeps no other request of the session waiting; closing
 * the request during the fetch ends it at once, with nothing after
 * HANDLE_CLOSING and nothing left holding the session.
 *
 * Peers: tests/peers/tls (REVOKED, VALID, SLOWCRL and its slow CRL point) and
 * tests/peers/auth (squids asking for proxy Digest and proxy Negotiate).
 */
#include "test.h"
#include <winhttp.h>
#include "peers.h"
#include "client.h"

static int port_valid, port_revoked, port_slowcrl, port_crl, squid_digest, squid_negotiate;

static BOOL have_tls(void)
{
    if (port_valid && port_revoked && port_crl) return TRUE;
    skip("no TLS peers (run through tools/run-tests)\n");
    return FALSE;
}

static void set_dword(HINTERNET handle, DWORD option, DWORD value)
{
    ok(WinHttpSetOption(handle, option, &value, sizeof(value)), "WinHttpSetOption(%lu) failed: %lu\n", option,
       GetLastError());
}

static void set_string(HINTERNET handle, DWORD option, const WCHAR *value)
{
    ok(WinHttpSetOption(handle, option, (void *)value, lstrlenW(value)), "WinHttpSetOption(%lu) failed: %lu\n",
       option, GetLastError());
}

/* ------------------------------------------------------------------ */
/* synchronous: revocation through an authenticating proxy              */

static LONG secure_failures;
static DWORD secure_flags;

static void CALLBACK secure_callback(HINTERNET handle, DWORD_PTR context, DWORD status, void *info, DWORD len)
{
    if (status != WINHTTP_CALLBACK_STATUS_SECURE_FAILURE) return;
    InterlockedIncrement(&secure_failures);
    secure_flags = info ? *(DWORD *)info : 0xdeadbeef;
}

/* A GET of "/" over https with the revocation check; the error of the send
 * or receive (0 on success), the status in *status. */
static DWORD revocation_checked_get(HINTERNET session, int port, DWORD *status)
{
    HINTERNET connect, request;
    DWORD error = 0, size = sizeof(*status);

    *status = 0;
    secure_failures = 0;
    secure_flags = 0;
    connect = WinHttpConnect(session, L"localhost", (INTERNET_PORT)port, 0);
    ok(connect != NULL, "WinHttpConnect: %lu\n", GetLastError());
    request = WinHttpOpenRequest(connect, L"GET", L"/", NULL, NULL, NULL, WINHTTP_FLAG_SECURE);
    ok(request != NULL, "WinHttpOpenRequest: %lu\n", GetLastError());
    WinHttpSetStatusCallback(request, secure_callback, WINHTTP_CALLBACK_FLAG_SECURE_FAILURE, 0);
    set_dword(request, WINHTTP_OPTION_ENABLE_FEATURE, WINHTTP_ENABLE_SSL_REVOCATION);
    if (!WinHttpSendRequest(request, NULL, 0, NULL, 0, 0, 0) || !WinHttpReceiveResponse(request, NULL))
        error = GetLastError();
    else
        WinHttpQueryHeaders(request, WINHTTP_QUERY_STATUS_CODE | WINHTTP_QUERY_FLAG_NUMBER, NULL, status, &size, NULL);
    WinHttpCloseHandle(request);
    WinHttpCloseHandle(connect);
    return error;
}

/* A session through proxy_port with user/password as its proxy credentials
 * (WINHTTP_OPTION_PROXY_USERNAME / _PASSWORD: what the DLL's own fetches
 * use), and no default credentials anywhere (autologon HIGH): what gets
 * through was authenticated with these credentials. */
static HINTERNET proxy_session(int proxy_port, const WCHAR *user, const WCHAR *password)
{
    HINTERNET session;
    WCHAR proxy[64];

    swprintf(proxy, ARRAYSIZE(proxy), L"127.0.0.1:%d", proxy_port);
    session = WinHttpOpen(L"winhttp-tests", WINHTTP_ACCESS_TYPE_NAMED_PROXY, proxy, WINHTTP_NO_PROXY_BYPASS, 0);
    ok(session != NULL, "WinHttpOpen: %lu\n", GetLastError());
    set_string(session, WINHTTP_OPTION_PROXY_USERNAME, user);
    set_string(session, WINHTTP_OPTION_PROXY_PASSWORD, password);
    set_dword(session, WINHTTP_OPTION_AUTOLOGON_POLICY, WINHTTP_AUTOLOGON_SECURITY_LEVEL_HIGH);
    return session;
}

/* The revoked server is caught (the CRL came), the valid one passes, and the
 * proxy's log shows the CRL fetched as user_a. */
static void check_revocation_through(int proxy_port, const char *log_env, const WCHAR *user, const WCHAR *password,
                                     const char *user_a)
{
    HINTERNET session;
    DWORD error, status;
    char marker[128];
    int before;
    char *log;

    snprintf(marker, sizeof(marker), "127.0.0.1:%d/ca.crl %s", port_crl, user_a);
    log = peer_read_env_file(log_env);
    before = peer_count_lines(log, marker);
    free(log);

    session = proxy_session(proxy_port, user, password);
    error = revocation_checked_get(session, port_revoked, &status);
    ok(error == ERROR_WINHTTP_SECURE_FAILURE, "revoked: error %lu status %lu\n", error, status);
    ok(secure_failures == 1 && secure_flags == WINHTTP_CALLBACK_STATUS_FLAG_CERT_REVOKED,
       "revoked: %ld secure failures, flags %#lx\n", secure_failures, secure_flags);
    ok(peer_wait_log(log_env, marker, before + 1, 3000) >= before + 1,
       "the proxy did not log the CRL fetched as %s\n", user_a);
    WinHttpCloseHandle(session);

    /* A new session: a session verifies a server once, and keeps its CRLs. */
    session = proxy_session(proxy_port, user, password);
    error = revocation_checked_get(session, port_valid, &status);
    ok(!error && status == 200 && !secure_failures, "valid: error %lu status %lu, %ld secure failures (%#lx)\n",
       error, status, secure_failures, secure_flags);
    WinHttpCloseHandle(session);
}

static void test_revocation_through_digest_proxy(void)
{
    WCHAR user[64], password[128];
    char user_a[64];

    if (!have_tls()) return;
    if (!squid_digest || !GetEnvironmentVariableW(L"WINHTTP_TEST_AUTH_PROXY_USER", user, ARRAYSIZE(user)) ||
        !GetEnvironmentVariableW(L"WINHTTP_TEST_AUTH_PROXY_PASSWORD", password, ARRAYSIZE(password)))
    {
        skip("no squid asking for proxy Digest\n");
        return;
    }
    WideCharToMultiByte(CP_UTF8, 0, user, -1, user_a, sizeof(user_a), NULL, NULL);
    check_revocation_through(squid_digest, "WINHTTP_TEST_AUTH_SQUID_DIGEST_ACCESS_LOG", user, password, user_a);

    /* Wrong credentials: the CRL cannot be had, which is a revocation
     * failure, not a revoked certificate. */
    {
        HINTERNET session = proxy_session(squid_digest, user, L"wrong");
        DWORD error, status;
        error = revocation_checked_get(session, port_revoked, &status);
        ok(error == ERROR_WINHTTP_SECURE_FAILURE || error == ERROR_WINHTTP_CANNOT_CONNECT ||
           status == HTTP_STATUS_PROXY_AUTH_REQ, "wrong password: error %lu status %lu\n", error, status);
        ok(!(secure_flags & WINHTTP_CALLBACK_STATUS_FLAG_CERT_REVOKED), "wrong password: flags %#lx\n", secure_flags);
        WinHttpCloseHandle(session);
    }
}

static void test_revocation_through_negotiate_proxy(void)
{
    WCHAR user[64], password[128], realm[64];
    char user_a[64];

    if (!have_tls()) return;
    if (!squid_negotiate || !GetEnvironmentVariableW(L"WINHTTP_TEST_AUTH_USER", user, ARRAYSIZE(user)) ||
        !GetEnvironmentVariableW(L"WINHTTP_TEST_AUTH_PASSWORD", password, ARRAYSIZE(password)) ||
        !GetEnvironmentVariableW(L"WINHTTP_TEST_AUTH_REALM", realm, ARRAYSIZE(realm)))
    {
        skip("no squid asking for proxy Negotiate\n");
        return;
    }
    /* squid's negotiate_kerberos_auth logs the principal. */
    snprintf(user_a, sizeof(user_a), "%ls@%ls", user, realm);
    check_revocation_through(squid_negotiate, "WINHTTP_TEST_AUTH_SQUID_NEGOTIATE_ACCESS_LOG", user, password, user_a);
}

/* ------------------------------------------------------------------ */
/* asynchronous: a slow CRL server                                      */

struct tracked
{
    HANDLE event;               /* set on every completion and on HANDLE_CLOSING */
    LONG completions;           /* SENDREQUEST_COMPLETE, HEADERS_AVAILABLE, REQUEST_ERROR */
    DWORD last;                 /* the last of them */
    DWORD error;
    LONG closing;               /* HANDLE_CLOSING seen */
    LONG after_closing;         /* notifications after it: must stay 0 */
};

static void CALLBACK tracked_callback(HINTERNET handle, DWORD_PTR context, DWORD status, void *info, DWORD len)
{
    struct tracked *t = (struct tracked *)context;

    if (!t) return;
    if (t->closing) InterlockedIncrement(&t->after_closing);
    switch (status)
    {
    case WINHTTP_CALLBACK_STATUS_HANDLE_CLOSING:
        t->closing = 1;
        SetEvent(t->event);
        break;
    case WINHTTP_CALLBACK_STATUS_REQUEST_ERROR:
        t->error = ((WINHTTP_ASYNC_RESULT *)info)->dwError;
        /* fall through */
    case WINHTTP_CALLBACK_STATUS_SENDREQUEST_COMPLETE:
    case WINHTTP_CALLBACK_STATUS_HEADERS_AVAILABLE:
        t->last = status;
        InterlockedIncrement(&t->completions);
        SetEvent(t->event);
        break;
    }
}

static HINTERNET async_session(void)
{
    HINTERNET session = WinHttpOpen(L"winhttp-tests", WINHTTP_ACCESS_TYPE_NO_PROXY, NULL, NULL, WINHTTP_FLAG_ASYNC);
    ok(session != NULL, "WinHttpOpen: %lu\n", GetLastError());
    return session;
}

/* An asynchronous GET of "/" over https from a request of its own connect
 * handle, sent; t follows it. */
static HINTERNET start_tracked(HINTERNET session, int port, BOOL revocation, struct tracked *t, HINTERNET *connect)
{
    HINTERNET request;

    memset(t, 0, sizeof(*t));
    t->event = CreateEventW(NULL, FALSE, FALSE, NULL);
    *connect = WinHttpConnect(session, L"localhost", (INTERNET_PORT)port, 0);
    request = WinHttpOpenRequest(*connect, L"GET", L"/", NULL, NULL, NULL, WINHTTP_FLAG_SECURE);
    ok(request != NULL, "WinHttpOpenRequest: %lu\n", GetLastError());
    WinHttpSetStatusCallback(request, tracked_callback, WINHTTP_CALLBACK_FLAG_ALL_NOTIFICATIONS, 0);
    if (revocation) set_dword(request, WINHTTP_OPTION_ENABLE_FEATURE, WINHTTP_ENABLE_SSL_REVOCATION);
    ok(WinHttpSendRequest(request, NULL, 0, NULL, 0, 0, (DWORD_PTR)t), "WinHttpSendRequest: %lu\n", GetLastError());
    return request;
}

/* Waits for the next completion; its status, 0 after timeout_ms. */
static DWORD wait_completion(struct tracked *t, LONG count, DWORD timeout_ms)
{
    DWORD start = GetTickCount();

    while (t->completions < count)
    {
        DWORD spent = GetTickCount() - start;
        if (spent >= timeout_ms || WaitForSingleObject(t->event, timeout_ms - spent)) break;
    }
    return t->completions >= count ? t->last : 0;
}

static int slow_crl_count(const char *what)
{
    char *log = peer_read_env_file("WINHTTP_TEST_TLS_SLOWCRL_LOG");
    int n = peer_count_lines(log, what);
    free(log);
    return n;
}

#define OTHERS 8

static void test_slow_crl_keeps_nobody_waiting(void)
{
    HINTERNET session, slow, slow_connect, other[OTHERS], other_connect[OTHERS];
    struct tracked t_slow, t_other[OTHERS];
    int started, sent, i;
    DWORD status;

    if (!port_slowcrl) { skip("no slow CRL server\n"); return; }
    started = slow_crl_count("start /ca.crl");
    sent = slow_crl_count("sent /ca.crl");
    session = async_session();
    slow = start_tracked(session, port_slowcrl, TRUE, &t_slow, &slow_connect);
    ok(peer_wait_log("WINHTTP_TEST_TLS_SLOWCRL_LOG", "start /ca.crl", started + 1, 5000) == started + 1,
       "the CRL fetch did not start\n");

    /* While the CRL server thinks, the session's other requests go on. */
    for (i = 0; i < OTHERS; i++) other[i] = start_tracked(session, port_valid, FALSE, &t_other[i], &other_connect[i]);
    for (i = 0; i < OTHERS; i++)
    {
        status = wait_completion(&t_other[i], 1, 10000);
        ok(status == WINHTTP_CALLBACK_STATUS_SENDREQUEST_COMPLETE, "other %d: send ended with %#lx (error %lu)\n", i,
           status, t_other[i].error);
        ok(WinHttpReceiveResponse(other[i], NULL), "other %d: WinHttpReceiveResponse: %lu\n", i, GetLastError());
        status = wait_completion(&t_other[i], 2, 10000);
        ok(status == WINHTTP_CALLBACK_STATUS_HEADERS_AVAILABLE, "other %d: receive ended with %#lx (error %lu)\n", i,
           status, t_other[i].error);
        ok(status_of(other[i]) == 200, "other %d: status %lu\n", i, status_of(other[i]));
    }
    ok(slow_crl_count("sent /ca.crl") == sent, "the CRL server answered before the others were done\n");
    ok(!t_slow.completions, "the slow request completed (%#lx) before its CRL came\n", t_slow.last);

    /* Then the CRL comes, and the slow request goes on. */
    status = wait_completion(&t_slow, 1, 15000);
    ok(status == WINHTTP_CALLBACK_STATUS_SENDREQUEST_COMPLETE, "slow: send ended with %#lx (error %lu)\n", status,
       t_slow.error);
    ok(WinHttpReceiveResponse(slow, NULL), "slow: WinHttpReceiveResponse: %lu\n", GetLastError());
    status = wait_completion(&t_slow, 2, 10000);
    ok(status == WINHTTP_CALLBACK_STATUS_HEADERS_AVAILABLE, "slow: receive ended with %#lx (error %lu)\n", status,
       t_slow.error);
    ok(status_of(slow) == 200, "slow: status %lu\n", status_of(slow));
    ok(slow_crl_count("sent /ca.crl") == sent + 1, "the CRL was not sent\n");

    for (i = 0; i < OTHERS; i++)
    {
        WinHttpCloseHandle(other[i]);
        WinHttpCloseHandle(other_connect[i]);
    }
    WinHttpCloseHandle(slow);
    WinHttpCloseHandle(slow_connect);
    WinHttpCloseHandle(session);
    for (i = 0; i < OTHERS; i++) CloseHandle(t_other[i].event);
    CloseHandle(t_slow.event);
}

static void test_close_during_crl_fetch(void)
{
    HINTERNET session, request, connect;
    struct tracked t, t_session;
    int started, answered;
    DWORD start;

    if (!port_slowcrl) { skip("no slow CRL server\n"); return; }
    started = slow_crl_count("start /ca.crl");
    answered = slow_crl_count("sent /ca.crl") + slow_crl_count("gone /ca.crl");
    memset(&t_session, 0, sizeof(t_session));
    t_session.event = CreateEventW(NULL, FALSE, FALSE, NULL);
    session = async_session();
    WinHttpSetStatusCallback(session, tracked_callback, WINHTTP_CALLBACK_FLAG_HANDLES, 0);
    {
        DWORD_PTR ctx = (DWORD_PTR)&t_session;
        ok(WinHttpSetOption(session, WINHTTP_OPTION_CONTEXT_VALUE, &ctx, sizeof(ctx)), "context: %lu\n", GetLastError());
    }
    request = start_tracked(session, port_slowcrl, TRUE, &t, &connect);
    ok(peer_wait_log("WINHTTP_TEST_TLS_SLOWCRL_LOG", "start /ca.crl", started + 1, 5000) == started + 1,
       "the CRL fetch did not start\n");

    /* The close does not wait for the CRL server (which answers after 4 s). */
    start = GetTickCount();
    ok(WinHttpCloseHandle(request), "WinHttpCloseHandle: %lu\n", GetLastError());
    while (!t.closing && GetTickCount() - start < 10000) WaitForSingleObject(t.event, 100);
    ok(t.closing, "no HANDLE_CLOSING\n");
    ok(slow_crl_count("sent /ca.crl") + slow_crl_count("gone /ca.crl") == answered,
       "HANDLE_CLOSING came after the CRL server answered: the close waited for it\n");
    ok(!t.completions || t.last == WINHTTP_CALLBACK_STATUS_REQUEST_ERROR,
       "the closed request completed with %#lx\n", t.last);

    /* Past the time the CRL server answers: still nothing after HANDLE_CLOSING. */
    Sleep(4500);
    ok(!t.after_closing, "%ld notifications after HANDLE_CLOSING\n", t.after_closing);

    /* Nothing holds the session any more: it goes at once. */
    WinHttpCloseHandle(connect);
    start = GetTickCount();
    WinHttpCloseHandle(session);
    while (!t_session.closing && GetTickCount() - start < 5000) WaitForSingleObject(t_session.event, 100);
    ok(t_session.closing, "the session was not freed: something still holds it\n");
    CloseHandle(t.event);
    CloseHandle(t_session.event);
}

/* The same close in synchronous mode, from another thread while the
 * caller's thread waits for the CRL: WinHttpSendRequest gives up at once. */
struct sync_send
{
    HINTERNET request;
    DWORD error;
    BOOL ret;
};

static DWORD WINAPI sync_send_thread(void *arg)
{
    struct sync_send *s = arg;
    s->ret = WinHttpSendRequest(s->request, NULL, 0, NULL, 0, 0, 0);
    s->error = s->ret ? 0 : GetLastError();
    return 0;
}

static void test_close_during_crl_fetch_sync(void)
{
    HINTERNET session, connect;
    struct sync_send s;
    HANDLE thread;
    int started, answered;
    DWORD wait;

    if (!port_slowcrl) { skip("no slow CRL server\n"); return; }
    started = slow_crl_count("start /ca.crl");
    answered = slow_crl_count("sent /ca.crl") + slow_crl_count("gone /ca.crl");
    session = WinHttpOpen(L"winhttp-tests", WINHTTP_ACCESS_TYPE_NO_PROXY, NULL, NULL, 0);
    connect = WinHttpConnect(session, L"localhost", (INTERNET_PORT)port_slowcrl, 0);
    memset(&s, 0, sizeof(s));
    s.request = WinHttpOpenRequest(connect, L"GET", L"/", NULL, NULL, NULL, WINHTTP_FLAG_SECURE);
    set_dword(s.request, WINHTTP_OPTION_ENABLE_FEATURE, WINHTTP_ENABLE_SSL_REVOCATION);
    thread = CreateThread(NULL, 0, sync_send_thread, &s, 0, NULL);
    ok(peer_wait_log("WINHTTP_TEST_TLS_SLOWCRL_LOG", "start /ca.crl", started + 1, 5000) == started + 1,
       "the CRL fetch did not start\n");
    WinHttpCloseHandle(s.request);
    wait = WaitForSingleObject(thread, 10000);
    ok(!wait, "WinHttpSendRequest did not return\n");
    ok(slow_crl_count("sent /ca.crl") + slow_crl_count("gone /ca.crl") == answered,
       "WinHttpSendRequest returned after the CRL server answered: the close waited for it\n");
    ok(!s.ret && s.error == ERROR_WINHTTP_OPERATION_CANCELLED, "WinHttpSendRequest: %d, error %lu\n", s.ret, s.error);
    CloseHandle(thread);
    WinHttpCloseHandle(connect);
    WinHttpCloseHandle(session);
}

/* The fetch has the request's timeouts: a CRL server slower than the
 * request's receive timeout makes the revocation check fail (offline, not
 * revoked) when the request would have timed out, not when the server answers. */
static void test_crl_fetch_times_out_with_request(void)
{
    HINTERNET session, connect, request;
    int started, answered;
    DWORD error = 0;

    if (!port_slowcrl) { skip("no slow CRL server\n"); return; }
    started = slow_crl_count("start /ca.crl");
    answered = slow_crl_count("sent /ca.crl") + slow_crl_count("gone /ca.crl");
    session = WinHttpOpen(L"winhttp-tests", WINHTTP_ACCESS_TYPE_NO_PROXY, NULL, NULL, 0);
    connect = WinHttpConnect(session, L"localhost", (INTERNET_PORT)port_slowcrl, 0);
    request = WinHttpOpenRequest(connect, L"GET", L"/", NULL, NULL, NULL, WINHTTP_FLAG_SECURE);
    secure_failures = 0;
    secure_flags = 0;
    WinHttpSetStatusCallback(request, secure_callback, WINHTTP_CALLBACK_FLAG_SECURE_FAILURE, 0);
    set_dword(request, WINHTTP_OPTION_ENABLE_FEATURE, WINHTTP_ENABLE_SSL_REVOCATION);
    set_dword(request, WINHTTP_OPTION_RECEIVE_TIMEOUT, 1000);
    if (!WinHttpSendRequest(request, NULL, 0, NULL, 0, 0, 0)) error = GetLastError();
    ok(error == ERROR_WINHTTP_SECURE_FAILURE, "error %lu\n", error);
    ok(secure_failures == 1 && secure_flags == WINHTTP_CALLBACK_STATUS_FLAG_CERT_REV_FAILED,
       "%ld secure failures, flags %#lx\n", secure_failures, secure_flags);
    ok(slow_crl_count("start /ca.crl") == started + 1, "the CRL fetch did not start\n");
    ok(slow_crl_count("sent /ca.crl") + slow_crl_count("gone /ca.crl") == answered,
       "the request waited for the CRL server beyond its receive timeout\n");
    WinHttpCloseHandle(request);
    WinHttpCloseHandle(connect);
    WinHttpCloseHandle(session);
}

int main(void)
{
    port_valid = peer_port("WINHTTP_TEST_TLS_VALID_PORT");
    port_revoked = peer_port("WINHTTP_TEST_TLS_REVOKED_PORT");
    port_crl = peer_port("WINHTTP_TEST_TLS_CRL_PORT");
    port_slowcrl = peer_port("WINHTTP_TEST_TLS_SLOWCRL_PORT");
    squid_digest = peer_port("WINHTTP_TEST_AUTH_SQUID_DIGEST_PORT");
    squid_negotiate = peer_port("WINHTTP_TEST_AUTH_SQUID_NEGOTIATE_PORT");

    run_test("revocation_through_digest_proxy", test_revocation_through_digest_proxy);
    run_test("revocation_through_negotiate_proxy", test_revocation_through_negotiate_proxy);
    run_test("slow_crl_keeps_nobody_waiting", test_slow_crl_keeps_nobody_waiting);
    run_test("close_during_crl_fetch", test_close_during_crl_fetch);
    run_test("close_during_crl_fetch_sync", test_close_during_crl_fetch_sync);
    run_test("crl_fetch_times_out_with_request", test_crl_fetch_times_out_with_request);
    return test_summary();
}
