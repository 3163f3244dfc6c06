/*
 * Passport 1.4 ("Passport Authentication in WinHTTP"), against
 * tests/peers/passport: a nexus, a login server and a partner site.  The
 * tests point WinHTTP at the private nexus with the documented registry
 * overrides (HKLM\...\Internet Settings\WinHttp\Passport Test: NexusHost,
 * NexusObj), restored afterwards.
 */
#include <winsock2.h>
#include <windows.h>
#include <winhttp.h>
#include <stdio.h>
#include <stdlib.h>
#include <wchar.h>
#include "test.h"
#include "client.h"
#include "peers.h"

static const WCHAR test_keyW[] = L"SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Internet Settings\\WinHttp\\Passport Test";
static int nexus_port, login_port, partner_port;
static WCHAR user[128], password[128];
static char run_id[16];
static BOOL key_created;
static WCHAR nexus_host[64];     /* the peer's nexus, as NexusHost names it */

static void env_wide(const char *name, WCHAR *buf, int size)
{
    char value[256];
    buf[0] = 0;
    if (peer_env(name, value, sizeof(value))) MultiByteToWideChar(CP_UTF8, 0, value, -1, buf, size);
}

static BOOL set_reg_string(const WCHAR *name, const WCHAR *value)
{
    HKEY key;
    DWORD disp;
    LONG r;

    if (RegCreateKeyExW(HKEY_LOCAL_MACHINE, test_keyW, 0, NULL, 0, KEY_ALL_ACCESS, NULL, &key, &disp)) return FALSE;
    if (disp == REG_CREATED_NEW_KEY) key_created = TRUE;
    if (value) r = RegSetValueExW(key, name, 0, REG_SZ, (const BYTE *)value, (lstrlenW(value) + 1) * sizeof(WCHAR));
    else r = RegDeleteValueW(key, name);
    RegCloseKey(key);
    return !r || (!value && r == ERROR_FILE_NOT_FOUND);
}

static void restore_registry(void)
{
    set_reg_string(L"NexusHost", NULL);
    set_reg_string(L"NexusObj", NULL);
    set_reg_string(L"LoginServerUrl", NULL);
    set_reg_string(L"LoginServerRealm", NULL);
    if (key_created) RegDeleteKeyW(HKEY_LOCAL_MACHINE, test_keyW);
}

static HINTERNET open_session(BOOL passport)
{
    HINTERNET s = WinHttpOpen(L"winhttp-passport-tests", WINHTTP_ACCESS_TYPE_NO_PROXY, NULL, NULL, 0);
    DWORD flags = WINHTTP_ENABLE_PASSPORT_AUTH;

    ok(s != NULL, "WinHttpOpen failed: %lu\n", GetLastError());
    if (passport)
        ok(WinHttpSetOption(s, WINHTTP_OPTION_CONFIGURE_PASSPORT_AUTH, &flags, sizeof(flags)),
           "CONFIGURE_PASSPORT_AUTH failed: %lu\n", GetLastError());
    return s;
}

/* A request for /protected/<run id><name> on the partner site. */
static HINTERNET open_partner(HINTERNET session, const char *name)
{
    HINTERNET connect = WinHttpConnect(session, L"127.0.0.1", (INTERNET_PORT)partner_port, 0), request;
    WCHAR path[128];

    swprintf(path, ARRAYSIZE(path), L"/protected/%hs%hs", run_id, name);
    ok(connect != NULL, "WinHttpConnect failed: %lu\n", GetLastError());
    request = WinHttpOpenRequest(connect, L"GET", path, NULL, NULL, NULL, 0);
    ok(request != NULL, "WinHttpOpenRequest failed: %lu\n", GetLastError());
    WinHttpCloseHandle(connect);
    return request;
}

/* Lines of the peer's log that contain both a and b (b may be NULL). */
static int log_count(const char *a, const char *b)
{
    char *resp = NULL, *line, *next;
    const char *body;
    int n = 0;

    if (peer_http_get(partner_port, "/log", &resp) != 200 || !(body = peer_body(resp)))
    {
        free(resp);
        return -1;
    }
    for (line = (char *)body; line && *line; line = next)
    {
        if ((next = strchr(line, '\n'))) *next++ = 0;
        if (strstr(line, a) && (!b || strstr(line, b))) n++;
    }
    free(resp);
    return n;
}

/* The log marker of a request opened with open_partner(name). */
static const char *marker(const char *name)
{
    static char buf[64];
    snprintf(buf, sizeof(buf), "/protected/%s%s", run_id, name);
    return buf;
}

static int nexus_fetches(void)
{
    return log_count("nexus GET /rdr/pprdr.asp", NULL);
}

static void check_passport_challenge(HINTERNET request)
{
    DWORD supported = 0, first = 0, target = 0;

    ok(WinHttpQueryAuthSchemes(request, &supported, &first, &target), "QueryAuthSchemes failed: %lu\n",
       GetLastError());
    ok_u(supported, WINHTTP_AUTH_SCHEME_PASSPORT);
    ok_u(first, WINHTTP_AUTH_SCHEME_PASSPORT);
    ok_u(target, WINHTTP_AUTH_TARGET_SERVER);
}

static void set_passport_credentials(HINTERNET request, const WCHAR *pass)
{
    ok(WinHttpSetCredentials(request, WINHTTP_AUTH_TARGET_SERVER, WINHTTP_AUTH_SCHEME_PASSPORT, user, pass, NULL),
       "SetCredentials failed: %lu\n", GetLastError());
}

/* ------------------------------------------------------------------ */

static void test_disabled_by_default(void)
{
    HINTERNET session = open_session(FALSE), request;
    DWORD flags = 0xdeadbeef, size = sizeof(flags), policy = WINHTTP_OPTION_REDIRECT_POLICY_NEVER;
    WCHAR value[256];
    int nexus = nexus_fetches();

    ok(WinHttpQueryOption(session, WINHTTP_OPTION_CONFIGURE_PASSPORT_AUTH, &flags, &size),
       "query failed: %lu\n", GetLastError());
    ok_u(flags, WINHTTP_DISABLE_PASSPORT_AUTH);

    /* The application sees the partner's 302 and its challenge. */
    request = open_partner(session, "disabled");
    ok(WinHttpSetOption(request, WINHTTP_OPTION_REDIRECT_POLICY, &policy, sizeof(policy)), "policy: %lu\n",
       GetLastError());
    ok_status(request, 302);
    size = sizeof(value);
    ok(WinHttpQueryHeaders(request, WINHTTP_QUERY_WWW_AUTHENTICATE, NULL, value, &size, NULL),
       "no WWW-Authenticate: %lu\n", GetLastError());
    ok(!wcsncmp(value, L"Passport1.4 ", 12), "got %ls\n", value);
    WinHttpCloseHandle(request);

    /* Followed like any redirect: the login server's page, nothing hidden. */
    request = open_partner(session, "disabled-follow");
    ok_status(request, 401);
    WinHttpCloseHandle(request);
    ok_u(nexus_fetches(), nexus);
    ok_u(log_count("partner GET", marker("disabled")), 2);
    WinHttpCloseHandle(session);
}

static void test_sign_in(void)
{
    HINTERNET session = open_session(TRUE), request, session2;
    WCHAR value[256], expect[256];
    DWORD size;
    int nexus = nexus_fetches();
    char *body;

    request = open_partner(session, "signin");
    /* The 302 is hidden: the login server's 401 comes as the request's answer. */
    ok_status(request, 401);
    check_passport_challenge(request);
    ok_u(nexus_fetches(), nexus + 1);
    ok_u(log_count("login GET /login2.srf", marker("signin")), 1);
    ok_u(log_count(marker("signin"), "pwd=none"), 1);

    /* Cobranding from the login server's challenge. */
    size = sizeof(value);
    ok(WinHttpQueryOption(request, WINHTTP_OPTION_PASSPORT_COBRANDING_TEXT, value, &size), "text: %lu\n",
       GetLastError());
    ok_wstr(value, L"Welcome to the WinHTTP test partner");
    ok_u(size, lstrlenW(L"Welcome to the WinHTTP test partner") * sizeof(WCHAR));
    size = sizeof(value);
    swprintf(expect, ARRAYSIZE(expect), L"http://127.0.0.1:%d/cobrand.png", partner_port);
    ok(WinHttpQueryOption(request, WINHTTP_OPTION_PASSPORT_COBRANDING_URL, value, &size), "url: %lu\n",
       GetLastError());
    ok_wstr(value, expect);
    size = 2;
    ok_err(WinHttpQueryOption(request, WINHTTP_OPTION_PASSPORT_COBRANDING_URL, value, &size),
           ERROR_INSUFFICIENT_BUFFER);
    ok_u(size, (lstrlenW(expect) + 1) * sizeof(WCHAR));
    size = sizeof(value);
    swprintf(expect, ARRAYSIZE(expect), L"http://127.0.0.1:%d/protected/%hssignin", partner_port, run_id);
    ok(WinHttpQueryOption(request, WINHTTP_OPTION_PASSPORT_RETURN_URL, value, &size), "return url: %lu\n",
       GetLastError());
    ok_wstr(value, expect);

    set_passport_credentials(request, password);
    ok_status(request, 200);
    body = read_body(request);
    ok(!strcmp(body, "partner: welcome\n"), "got body %s\n", body);
    free(body);
    WinHttpCloseHandle(request);

    /* The credentials went to the login server, and only there. */
    ok_u(log_count(marker("signin"), "pwd=ok"), 1);
    ok_u(log_count("partner GET", marker("signin")), 2);
    ok_u(log_count(marker("signin"), "auth=ticket"), 1);
    ok_u(log_count(marker("signin"), "password-seen"), 1);      /* the login server's line */
    ok_u(log_count("partner GET", "password-seen"), 0);
    ok_u(log_count("partner GET", "sign-in"), 0);
    ok_u(log_count("nexus GET", "password-seen"), 0);

    /* The session keeps the tickets and the configuration. */
    request = open_partner(session, "again");
    ok_status(request, 200);
    WinHttpCloseHandle(request);
    ok_u(log_count(marker("again"), "auth=ticket"), 1);
    ok_u(log_count("login GET", marker("again")), 0);
    ok_u(nexus_fetches(), nexus + 1);

    /* Signing out forgets the tickets: sign in again (the configuration stays). */
    ok(WinHttpSetOption(session, WINHTTP_OPTION_PASSPORT_SIGN_OUT, NULL, 0), "sign out: %lu\n", GetLastError());
    request = open_partner(session, "signedout");
    ok_status(request, 401);
    check_passport_challenge(request);
    WinHttpCloseHandle(request);
    ok_u(log_count(marker("signedout"), "auth=none"), 1);
    ok_u(nexus_fetches(), nexus + 1);

    /* Another session asks the nexus again. */
    session2 = open_session(TRUE);
    request = open_partner(session2, "session2");
    ok_status(request, 401);
    WinHttpCloseHandle(request);
    ok_u(nexus_fetches(), nexus + 2);
    WinHttpCloseHandle(session2);
    WinHttpCloseHandle(session);
}

static void test_wrong_password(void)
{
    HINTERNET session = open_session(TRUE), request;

    request = open_partner(session, "wrong");
    ok_status(request, 401);
    set_passport_credentials(request, L"not-the-password");
    ok_status(request, 401);
    check_passport_challenge(request);
    ok_u(log_count(marker("wrong"), "pwd=bad"), 1);
    ok_u(log_count("partner GET", marker("wrong")), 1);

    /* And right afterwards, the right one. */
    set_passport_credentials(request, password);
    ok_status(request, 200);
    ok_u(log_count(marker("wrong"), "pwd=ok"), 1);
    WinHttpCloseHandle(request);
    WinHttpCloseHandle(session);
}

static void test_redirects_disabled(void)
{
    HINTERNET session = open_session(TRUE), request;
    DWORD feature = WINHTTP_DISABLE_REDIRECTS, err, st;

    /* The hidden steps go on with redirects disabled... */
    request = open_partner(session, "noredir");
    ok(WinHttpSetOption(request, WINHTTP_OPTION_DISABLE_FEATURE, &feature, sizeof(feature)), "feature: %lu\n",
       GetLastError());
    ok_status(request, 401);
    check_passport_challenge(request);
    /* ...but the way back needs a status callback's permission. */
    set_passport_credentials(request, password);
    st = send_request(request, &err);
    ok(!st && err == ERROR_WINHTTP_LOGIN_FAILURE, "expected ERROR_WINHTTP_LOGIN_FAILURE, got status %lu error %lu\n",
       st, err);
    ok_u(log_count(marker("noredir"), "pwd=ok"), 1);
    ok_u(log_count("partner GET", marker("noredir")), 1);
    WinHttpCloseHandle(request);
    WinHttpCloseHandle(session);
}

static LONG redirect_callbacks;
static WCHAR redirect_url[256];

static void CALLBACK callback(HINTERNET handle, DWORD_PTR context, DWORD status, void *info, DWORD len)
{
    if (status != WINHTTP_CALLBACK_STATUS_REDIRECT) return;
    InterlockedIncrement(&redirect_callbacks);
    lstrcpynW(redirect_url, info, ARRAYSIZE(redirect_url));
}

static void test_redirects_disabled_callback(void)
{
    HINTERNET session = open_session(TRUE), request;
    DWORD feature = WINHTTP_DISABLE_REDIRECTS;
    WCHAR expect[256];

    request = open_partner(session, "cbredir");
    ok(WinHttpSetOption(request, WINHTTP_OPTION_DISABLE_FEATURE, &feature, sizeof(feature)), "feature: %lu\n",
       GetLastError());
    ok(WinHttpSetStatusCallback(request, callback, WINHTTP_CALLBACK_FLAG_REDIRECT, 0) != WINHTTP_INVALID_STATUS_CALLBACK,
       "SetStatusCallback failed: %lu\n", GetLastError());
    ok_status(request, 401);
    ok_u(redirect_callbacks, 0);
    set_passport_credentials(request, password);
    ok_status(request, 200);
    ok_u(redirect_callbacks, 1);
    swprintf(expect, ARRAYSIZE(expect), L"http://127.0.0.1:%d/protected/%hscbredir", partner_port, run_id);
    ok_wstr(redirect_url, expect);
    ok_u(log_count(marker("cbredir"), "auth=ticket"), 1);
    WinHttpCloseHandle(request);
    WinHttpCloseHandle(session);
}

static void test_login_server_override(void)
{
    HINTERNET session = open_session(TRUE), request;
    WCHAR url[128];
    int nexus = nexus_fetches();

    /* With LoginServerUrl, the nexus is not asked at all. */
    swprintf(url, ARRAYSIZE(url), L"http://127.0.0.1:%d/login2.srf", login_port);
    ok(set_reg_string(L"LoginServerUrl", url) && set_reg_string(L"LoginServerRealm", L"WinHTTPTest"),
       "cannot set the registry\n");
    request = open_partner(session, "override");
    ok_status(request, 401);
    check_passport_challenge(request);
    set_passport_credentials(request, password);
    ok_status(request, 200);
    WinHttpCloseHandle(request);
    ok_u(nexus_fetches(), nexus);
    ok_u(log_count(marker("override"), "pwd=ok"), 1);
    set_reg_string(L"LoginServerUrl", NULL);
    set_reg_string(L"LoginServerRealm", NULL);
    WinHttpCloseHandle(session);
}

static void test_options_without_sign_in(void)
{
    HINTERNET session = open_session(TRUE), request = open_partner(session, "noopt");
    WCHAR value[64];
    DWORD size = sizeof(value);

    /* Nothing to tell before a sign-in. */
    ok_err(WinHttpQueryOption(request, WINHTTP_OPTION_PASSPORT_COBRANDING_TEXT, value, &size),
           ERROR_WINHTTP_INCORRECT_HANDLE_STATE);
    ok_err(WinHttpQueryOption(request, WINHTTP_OPTION_PASSPORT_COBRANDING_URL, value, &size),
           ERROR_WINHTTP_INCORRECT_HANDLE_STATE);
    ok_err(WinHttpQueryOption(request, WINHTTP_OPTION_PASSPORT_RETURN_URL, value, &size),
           ERROR_WINHTTP_INCORRECT_HANDLE_STATE);
    ok_err(WinHttpSetOption(request, WINHTTP_OPTION_PASSPORT_SIGN_OUT, NULL, 0), ERROR_WINHTTP_INCORRECT_HANDLE_TYPE);
    WinHttpCloseHandle(request);
    WinHttpCloseHandle(session);
}

/* ------------------------------------------------------------------ */
/* asynchronous mode: the same exchange, driven by the event loop         */

/* An asynchronous session with Passport on; completions and redirects go
 * to async_wait_callback (client.h). */
static HINTERNET open_async_passport_session(void)
{
    DWORD flags = WINHTTP_ENABLE_PASSPORT_AUTH;
    HINTERNET session = WinHttpOpen(L"winhttp-passport-tests", WINHTTP_ACCESS_TYPE_NO_PROXY, NULL, NULL,
                                    WINHTTP_FLAG_ASYNC);

    ok(WinHttpSetOption(session, WINHTTP_OPTION_CONFIGURE_PASSPORT_AUTH, &flags, sizeof(flags)), "passport: %lu\n",
       GetLastError());
    ok(WinHttpSetStatusCallback(session, async_wait_callback, WINHTTP_CALLBACK_FLAG_ALL_COMPLETIONS |
                                WINHTTP_CALLBACK_FLAG_REDIRECT, 0) != WINHTTP_INVALID_STATUS_CALLBACK,
       "callback: %lu\n", GetLastError());
    return session;
}

static void test_async(void)
{
    HINTERNET session, request;
    DWORD feature = WINHTTP_DISABLE_REDIRECTS, status;
    struct async_wait w = {0};

    w.event = CreateEventW(NULL, TRUE, FALSE, NULL);
    session = open_async_passport_session();

    request = open_partner(session, "async");
    ok(WinHttpSetOption(request, WINHTTP_OPTION_DISABLE_FEATURE, &feature, sizeof(feature)), "feature: %lu\n",
       GetLastError());
    status = async_send(request, &w);
    ok(status == 401, "status %lu (completion %#lx, error %lu)\n", status, w.status, w.error);
    check_passport_challenge(request);
    ok_u(w.redirects, 0);
    set_passport_credentials(request, password);
    status = async_send(request, &w);
    ok(status == 200, "status %lu (completion %#lx, error %lu)\n", status, w.status, w.error);
    ok_u(w.redirects, 1);
    WinHttpCloseHandle(request);
    ok_u(log_count(marker("async"), "pwd=ok"), 1);
    ok_u(log_count(marker("async"), "auth=ticket"), 1);

    WinHttpSetStatusCallback(session, NULL, 0, 0);
    WinHttpCloseHandle(session);
    Sleep(100);
    CloseHandle(w.event);
}

/* ------------------------------------------------------------------ */
/* no configuration: the nexus cannot be asked                           */

/* A loopback port nobody listens on: bound, then let go. */
static int closed_port(void)
{
    struct sockaddr_in addr = {0};
    int len = sizeof(addr), port = 0;
    WSADATA wsa;
    SOCKET s;

    WSAStartup(MAKEWORD(2, 2), &wsa);
    if ((s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP)) == INVALID_SOCKET) return 0;
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (!bind(s, (struct sockaddr *)&addr, sizeof(addr)) && !getsockname(s, (struct sockaddr *)&addr, &len))
        port = ntohs(addr.sin_port);
    closesocket(s);
    return port;
}

/* WINHTTP_QUERY_RAW_HEADERS_CRLF (caller frees); *size gets the size the query reported. */
static WCHAR *raw_headers(HINTERNET request, DWORD *size)
{
    WCHAR *buf;

    *size = 0;
    WinHttpQueryHeaders(request, WINHTTP_QUERY_RAW_HEADERS_CRLF, NULL, NULL, size, NULL);
    if (!*size || !(buf = calloc(1, *size + sizeof(WCHAR)))) return NULL;
    if (!WinHttpQueryHeaders(request, WINHTTP_QUERY_RAW_HEADERS_CRLF, NULL, buf, size, NULL))
    {
        free(buf);
        return NULL;
    }
    return buf;
}

/* The header lines after the status line, without Date (the peer's clock
 * may tick between two answers). */
static const WCHAR *dateless_fields(WCHAR *raw)
{
    WCHAR *fields = raw ? wcsstr(raw, L"\r\n") : NULL, *date, *end;

    if (!fields) return L"(none)";
    if ((date = wcsstr(fields, L"\r\nDate: ")) && (end = wcsstr(date + 2, L"\r\n")))
        memmove(date, end, (wcslen(end) + 1) * sizeof(WCHAR));
    return fields;
}

/* The partner's 302 as the application sees it without Passport. */
static WCHAR *plain_challenge(const char *name)
{
    HINTERNET session = open_session(FALSE), request = open_partner(session, name);
    DWORD policy = WINHTTP_OPTION_REDIRECT_POLICY_NEVER, size;
    WCHAR *raw;

    WinHttpSetOption(request, WINHTTP_OPTION_REDIRECT_POLICY, &policy, sizeof(policy));
    ok_status(request, 302);
    raw = raw_headers(request, &size);
    ok(raw && !wcsncmp(raw, L"HTTP/1.1 302 Found\r\n", 20), "got %ls\n", raw ? raw : L"(null)");
    WinHttpCloseHandle(request);
    WinHttpCloseHandle(session);
    return raw;
}

/* Without a configuration, the partner's challenge is the answer, as a 401
 * with its reason phrase and headers (what Windows does when the nexus
 * cannot be reached, as Wine's conformance test test_passport_auth records). */
static void check_partner_401(HINTERNET request, const char *name, WCHAR *plain)
{
    WCHAR text[64], *raw, url[256], expect[256];
    DWORD size = sizeof(text);

    ok_u(status_of(request), 401);
    ok(WinHttpQueryHeaders(request, WINHTTP_QUERY_STATUS_TEXT, NULL, text, &size, NULL), "status text: %lu\n",
       GetLastError());
    ok_wstr(text, L"Found");
    raw = raw_headers(request, &size);
    ok(raw != NULL, "no raw headers: %lu\n", GetLastError());
    if (raw)
    {
        ok_u(size, wcslen(raw) * sizeof(WCHAR));
        ok(!wcsncmp(raw, L"HTTP/1.1 401 Found\r\n", 20), "got %ls\n", raw);
        ok(wcsstr(raw, L"\r\nWWW-Authenticate: Passport1.4 ") != NULL, "got %ls\n", raw);
        ok_wstr(dateless_fields(raw), dateless_fields(plain));
    }
    free(raw);
    check_passport_challenge(request);
    /* The request's URL is the partner's again. */
    size = sizeof(url);
    ok(WinHttpQueryOption(request, WINHTTP_OPTION_URL, url, &size), "url: %lu\n", GetLastError());
    swprintf(expect, ARRAYSIZE(expect), L"http://127.0.0.1:%d/protected/%hs%hs", partner_port, run_id, name);
    ok_wstr(url, expect);
}

static void set_nexus(const WCHAR *host, const WCHAR *obj)
{
    ok(set_reg_string(L"NexusHost", host) && set_reg_string(L"NexusObj", obj), "cannot set the registry\n");
}

static void test_nexus_unreachable(void)
{
    HINTERNET session, request;
    WCHAR host[64], obj[64], *plain = plain_challenge("nonexus");
    char line[64];
    int nexus = nexus_fetches(), port = closed_port();
    char *body;

    ok(port != 0, "no closed port\n");
    swprintf(host, ARRAYSIZE(host), L"http://127.0.0.1:%d", port);
    set_nexus(host, L"rdr/pprdr.asp");

    session = open_session(TRUE);
    request = open_partner(session, "nonexus");
    ok_status(request, 401);
    check_partner_401(request, "nonexus", plain);
    body = read_body(request);
    ok(!strcmp(body, ""), "got body %s\n", body);
    free(body);
    WinHttpCloseHandle(request);
    ok_u(log_count("partner GET", marker("nonexus")), 2);    /* ours and the plain one */
    ok_u(log_count("login GET", marker("nonexus")), 0);

    /* A nexus that answers without PassportURLs is no better. */
    swprintf(host, ARRAYSIZE(host), L"http://127.0.0.1:%d", partner_port);
    swprintf(obj, ARRAYSIZE(obj), L"open/%hsnexus", run_id);
    set_nexus(host, obj);
    request = open_partner(session, "nonexus");
    ok_status(request, 401);
    check_partner_401(request, "nonexus", plain);
    WinHttpCloseHandle(request);
    snprintf(line, sizeof(line), "partner GET /open/%snexus", run_id);
    ok_u(log_count(line, NULL), 1);
    ok_u(log_count("login GET", marker("nonexus")), 0);
    ok_u(nexus_fetches(), nexus);
    WinHttpCloseHandle(session);
    free(plain);
    set_nexus(nexus_host, L"rdr/pprdr.asp");
}

static void test_nexus_unreachable_async(void)
{
    HINTERNET session, request;
    DWORD status;
    WCHAR host[64], *plain = plain_challenge("nonexus-async");
    struct async_wait w = {0};
    int port = closed_port();

    swprintf(host, ARRAYSIZE(host), L"http://127.0.0.1:%d", port);
    set_nexus(host, L"rdr/pprdr.asp");
    w.event = CreateEventW(NULL, TRUE, FALSE, NULL);
    session = open_async_passport_session();

    request = open_partner(session, "nonexus-async");
    status = async_send(request, &w);
    ok(status == 401, "status %lu (completion %#lx, error %lu)\n", status, w.status, w.error);
    check_partner_401(request, "nonexus-async", plain);
    ok_u(w.redirects, 0);
    WinHttpCloseHandle(request);
    ok_u(log_count("login GET", marker("nonexus-async")), 0);

    WinHttpSetStatusCallback(session, NULL, 0, 0);
    WinHttpCloseHandle(session);
    Sleep(100);
    CloseHandle(w.event);
    free(plain);
    set_nexus(nexus_host, L"rdr/pprdr.asp");
}

int main(void)
{
    snprintf(run_id, sizeof(run_id), "%lx-", GetCurrentProcessId());
    nexus_port = peer_port("WINHTTP_TEST_PASSPORT_NEXUS_PORT");
    login_port = peer_port("WINHTTP_TEST_PASSPORT_LOGIN_PORT");
    partner_port = peer_port("WINHTTP_TEST_PASSPORT_PARTNER_PORT");
    env_wide("WINHTTP_TEST_PASSPORT_USER", user, ARRAYSIZE(user));
    env_wide("WINHTTP_TEST_PASSPORT_PASSWORD", password, ARRAYSIZE(password));
    if (!nexus_port || !login_port || !partner_port)
    {
        skip("no passport peer (run through tools/run-tests)\n");
        return test_summary();
    }
    /* The private nexus: plain http on loopback. */
    swprintf(nexus_host, ARRAYSIZE(nexus_host), L"http://127.0.0.1:%d", nexus_port);
    ok(set_reg_string(L"NexusHost", nexus_host) && set_reg_string(L"NexusObj", L"rdr/pprdr.asp"),
       "cannot set the Passport Test registry values\n");

    run_test("disabled_by_default", test_disabled_by_default);
    run_test("options_without_sign_in", test_options_without_sign_in);
    run_test("sign_in", test_sign_in);
    run_test("wrong_password", test_wrong_password);
    run_test("redirects_disabled", test_redirects_disabled);
    run_test("redirects_disabled_callback", test_redirects_disabled_callback);
    run_test("login_server_override", test_login_server_override);
    run_test("async", test_async);
    run_test("nexus_unreachable", test_nexus_unreachable);
    run_test("nexus_unreachable_async", test_nexus_unreachable_async);

    restore_registry();
    return test_summary();
}
