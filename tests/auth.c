/*
 * Authentication against real peers (tests/peers/auth): apache2 with Basic,
 * Digest, Negotiate (Kerberos from a private MIT KDC, and NTLM through
 * gss-ntlmssp) and NTLM, an RFC 7616 Digest server, and squid asking for
 * proxy Basic authentication; the scripted server for hand-made challenges
 * and to see what reaches another origin.  Every mechanism works with the
 * right credentials and hands the 401/407 to the application with wrong
 * ones, as "Authentication in WinHTTP" describes the dance:
 * WinHttpQueryAuthSchemes, WinHttpSetCredentials, WinHttpSendRequest again.
 *
 * tests/scripts/http2_rerun runs it again over HTTP/2 (tests/h2mode.h): the
 * apache tests that hold there (Basic, Digest, Negotiate with Kerberos) talk
 * to apache's TLS listener with mod_http2, and apache's access log shows
 * every request of theirs came over HTTP/2.  NTLM's handshake is bound to
 * its connection, which HTTP/2 does not give a request (tests/http2.c has the
 * server's HTTP_1_1_REQUIRED answer to it); the proxies speak HTTP/1.1.
 */
#include "test.h"
#include <winhttp.h>
#include "client.h"
#include "peers.h"
#include "h2mode.h"

static int apache_port, digest_port, squid_port, squidneg_port, scripted_port, nginx_port, closed_port;
static WCHAR user[64], password[128], user8[64], password8[128], proxy_user[64], proxy_password[128];
static WCHAR ntlm_user[128];

static void env_wide(const char *name, WCHAR *buf, int size)
{
    char value[256];
    buf[0] = 0;
    if (peer_env(name, value, sizeof(value))) MultiByteToWideChar(CP_UTF8, 0, value, -1, buf, size);
}

/* A string given as the hex of its UTF-8 bytes. */
static void env_wide_hex(const char *name, WCHAR *buf, int size)
{
    char hex[512], bytes[256];
    unsigned int i, b;

    buf[0] = 0;
    if (!peer_env(name, hex, sizeof(hex))) return;
    for (i = 0; hex[2 * i] && hex[2 * i + 1] && i < sizeof(bytes) - 1; i++)
    {
        sscanf(hex + 2 * i, "%2x", &b);
        bytes[i] = (char)b;
    }
    bytes[i] = 0;
    MultiByteToWideChar(CP_UTF8, 0, bytes, -1, buf, size);
}

static HINTERNET open_session(void)
{
    HINTERNET s = WinHttpOpen(L"winhttp-auth-tests", WINHTTP_ACCESS_TYPE_NO_PROXY, NULL, NULL, 0);
    ok(s != NULL, "WinHttpOpen failed: %lu\n", GetLastError());
    return s;
}

static HINTERNET open_request(HINTERNET session, const WCHAR *host, int port, const WCHAR *path)
{
    HINTERNET connect = WinHttpConnect(session, host, (INTERNET_PORT)port, 0), request;
    ok(connect != NULL, "WinHttpConnect failed: %lu\n", GetLastError());
    request = WinHttpOpenRequest(connect, L"GET", path, NULL, NULL, NULL, 0);
    ok(request != NULL, "WinHttpOpenRequest failed: %lu\n", GetLastError());
    /* The request keeps its connect handle alive. */
    WinHttpCloseHandle(connect);
    return request;
}

/* A response header as a narrow string ("" if absent). */
static const char *header_of(HINTERNET request, const WCHAR *name)
{
    static char buf[1024];
    WCHAR wbuf[1024];
    DWORD size = sizeof(wbuf);

    buf[0] = 0;
    /* Header bytes come widened as ISO-8859-1: narrow them back. */
    if (WinHttpQueryHeaders(request, WINHTTP_QUERY_CUSTOM, name, wbuf, &size, WINHTTP_NO_HEADER_INDEX))
    {
        DWORD i;
        for (i = 0; i < size / sizeof(WCHAR) && i < sizeof(buf) - 1; i++) buf[i] = (char)wbuf[i];
        buf[i] = 0;
    }
    return buf;
}

/* Markers in the peers' logs carry this run's id, so a second run against the
 * same peers (tests/scripts/secret_traces runs this program again) does not
 * count the first run's requests. */
static char run_id[16];

static WCHAR *url_path(WCHAR *buf, size_t size, const WCHAR *path, const WCHAR *marker)
{
    swprintf(buf, size, L"%ls?m=%hs%ls", path, run_id, marker);
    return buf;
}

/* "m=name " -> "m=<run id>name " */
static const char *log_marker(const char *marker, char *buf, size_t size)
{
    if (strncmp(marker, "m=", 2)) return marker;
    snprintf(buf, size, "m=%s%s", run_id, marker + 2);
    return buf;
}

/* Lines with marker in apache's access log, and how many were 401s.  The
 * tests ask once their session is closed: over HTTP/2, apache (2.4.6x on
 * Debian 13) sometimes logs a finished stream only when its connection
 * moves again, which an idle session's connection does not. */
static int apache_requests(const char *marker, int expect, int *denied)
{
    char *text, *line, *next, search[128], unique[128];
    int n;

    marker = log_marker(marker, unique, sizeof(unique));
    n = peer_wait_log("WINHTTP_TEST_AUTH_APACHE_ACCESS_LOG", marker, expect, 10000);

    if (denied) *denied = 0;
    snprintf(search, sizeof(search), "%s", marker);
    if ((text = peer_read_env_file("WINHTTP_TEST_AUTH_APACHE_ACCESS_LOG")))
    {
        int other_protocol = 0;

        for (line = text; line && *line; line = next)
        {
            if ((next = strchr(line, '\n'))) *next++ = 0;
            if (!strstr(line, search)) continue;
            /* What apache logged, when it is not what the test expects. */
            if (n != expect) printf("apache_requests: %d of %d: %s\n", n, expect, line);
            if (denied && strstr(line, "\" 401 ")) (*denied)++;
            /* The HTTP/2 run: every leg of the dance came over h2. */
            if (h2mode && !strstr(line, " HTTP/2.0\" ")) other_protocol++;
        }
        if (h2mode) ok(!other_protocol, "%d requests of %s not over HTTP/2\n", other_protocol, marker);
        free(text);
    }
    return n;
}

static BOOL have(int port, const char *what)
{
    if (port) return TRUE;
    skip("no %s (run through tools/run-tests)\n", what);
    return FALSE;
}

/* ------------------------------------------------------------------ */
/* WinHttpQueryAuthSchemes                                             */

static void test_query_auth_schemes_errors(void)
{
    HINTERNET session, connect, request;
    DWORD supported, first, target;

    ok_err(WinHttpQueryAuthSchemes(NULL, &supported, &first, &target), ERROR_INVALID_HANDLE);
    session = open_session();
    ok_err(WinHttpQueryAuthSchemes(session, &supported, &first, &target), ERROR_WINHTTP_INCORRECT_HANDLE_TYPE);
    connect = WinHttpConnect(session, L"127.0.0.1", 80, 0);
    ok_err(WinHttpQueryAuthSchemes(connect, &supported, &first, &target), ERROR_WINHTTP_INCORRECT_HANDLE_TYPE);
    request = WinHttpOpenRequest(connect, L"GET", L"/", NULL, NULL, NULL, 0);
    /* No response yet: nothing to answer. */
    ok_err(WinHttpQueryAuthSchemes(request, &supported, &first, &target), ERROR_INVALID_OPERATION);
    ok_err(WinHttpQueryAuthSchemes(request, NULL, &first, &target), ERROR_INVALID_PARAMETER);
    ok_err(WinHttpQueryAuthSchemes(request, &supported, NULL, &target), ERROR_INVALID_PARAMETER);
    ok_err(WinHttpQueryAuthSchemes(request, &supported, &first, NULL), ERROR_INVALID_PARAMETER);
    WinHttpCloseHandle(request);
    WinHttpCloseHandle(connect);
    WinHttpCloseHandle(session);
}

/* A 401 from the scripted server with the given challenge header lines. */
static HINTERNET challenge_response(HINTERNET session, const WCHAR *query)
{
    WCHAR path[1024];
    HINTERNET request;

    swprintf(path, ARRAYSIZE(path), L"/status/%ls", query);
    request = open_request(session, L"127.0.0.1", scripted_port, path);
    send_request(request, NULL);
    return request;
}

static void check_schemes(HINTERNET session, const WCHAR *query, DWORD expect_supported, DWORD expect_first,
                          DWORD expect_target, int line)
{
    HINTERNET request = challenge_response(session, query);
    DWORD supported = 0xdead, first = 0xdead, target = 0xdead;
    BOOL ret;

    ret = WinHttpQueryAuthSchemes(request, &supported, &first, &target);
    test_report(ret && supported == expect_supported && first == expect_first && target == expect_target,
                __FILE__, line, "%ls: ret %d (%lu), supported %#lx first %#lx target %#lx\n", query, ret,
                ret ? 0 : GetLastError(), supported, first, target);
    WinHttpCloseHandle(request);
}

static void test_query_auth_schemes(void)
{
    HINTERNET session, request;
    DWORD supported, first, target;

    if (!have(scripted_port, "scripted server")) return;
    session = open_session();
    /* All challenges count; the first is the first the server listed. */
    check_schemes(session, L"401?header=WWW-Authenticate:%20Basic%20realm=%22x%22"
                  L"&header=WWW-Authenticate:%20NTLM&header=WWW-Authenticate:%20Negotiate"
                  L"&header=WWW-Authenticate:%20Digest%20realm=%22r%22,%20nonce=%22n%22",
                  WINHTTP_AUTH_SCHEME_BASIC | WINHTTP_AUTH_SCHEME_NTLM | WINHTTP_AUTH_SCHEME_NEGOTIATE |
                  WINHTTP_AUTH_SCHEME_DIGEST, WINHTTP_AUTH_SCHEME_BASIC, WINHTTP_AUTH_TARGET_SERVER, __LINE__);
    check_schemes(session, L"401?header=WWW-Authenticate:%20Digest%20realm=%22r%22,nonce=%22n%22"
                  L"&header=WWW-Authenticate:%20Basic%20realm=%22x%22",
                  WINHTTP_AUTH_SCHEME_DIGEST | WINHTTP_AUTH_SCHEME_BASIC, WINHTTP_AUTH_SCHEME_DIGEST,
                  WINHTTP_AUTH_TARGET_SERVER, __LINE__);
    /* Several challenges in one field (RFC 9110 section 11.6.1). */
    check_schemes(session, L"401?header=WWW-Authenticate:%20Basic%20realm=%22a,b%22,%20NTLM,%20Negotiate%20YWJj",
                  WINHTTP_AUTH_SCHEME_BASIC | WINHTTP_AUTH_SCHEME_NTLM | WINHTTP_AUTH_SCHEME_NEGOTIATE,
                  WINHTTP_AUTH_SCHEME_BASIC, WINHTTP_AUTH_TARGET_SERVER, __LINE__);
    /* Scheme names are case-insensitive; unknown ones are skipped. */
    check_schemes(session, L"401?header=WWW-Authenticate:%20Foo%20bar&header=WWW-Authenticate:%20basic%20realm=x",
                  WINHTTP_AUTH_SCHEME_BASIC, WINHTTP_AUTH_SCHEME_BASIC, WINHTTP_AUTH_TARGET_SERVER, __LINE__);
    check_schemes(session, L"401?header=WWW-Authenticate:%20Passport1.4%20x",
                  WINHTTP_AUTH_SCHEME_PASSPORT, WINHTTP_AUTH_SCHEME_PASSPORT, WINHTTP_AUTH_TARGET_SERVER, __LINE__);
    /* Only schemes we do not know: success, with nothing supported. */
    check_schemes(session, L"401?header=WWW-Authenticate:%20Foo", 0, 0, WINHTTP_AUTH_TARGET_SERVER, __LINE__);
    /* A 407 is the proxy's: Proxy-Authenticate, not WWW-Authenticate. */
    check_schemes(session, L"407?header=Proxy-Authenticate:%20Basic%20realm=x&header=WWW-Authenticate:%20NTLM",
                  WINHTTP_AUTH_SCHEME_BASIC, WINHTTP_AUTH_SCHEME_BASIC, WINHTTP_AUTH_TARGET_PROXY, __LINE__);

    /* A 401 without a challenge, and a 200 with one: nothing to answer. */
    request = challenge_response(session, L"401");
    ok_err(WinHttpQueryAuthSchemes(request, &supported, &first, &target), ERROR_INVALID_OPERATION);
    WinHttpCloseHandle(request);
    request = challenge_response(session, L"200?header=WWW-Authenticate:%20Basic%20realm=x");
    ok_err(WinHttpQueryAuthSchemes(request, &supported, &first, &target), ERROR_INVALID_OPERATION);
    WinHttpCloseHandle(request);
    WinHttpCloseHandle(session);
}

/* ------------------------------------------------------------------ */
/* WinHttpSetCredentials                                               */

static void test_set_credentials_errors(void)
{
    HINTERNET session, connect, request;

    ok_err(WinHttpSetCredentials(NULL, WINHTTP_AUTH_TARGET_SERVER, WINHTTP_AUTH_SCHEME_BASIC, L"u", L"p", NULL),
           ERROR_INVALID_HANDLE);
    session = open_session();
    connect = WinHttpConnect(session, L"127.0.0.1", 80, 0);
    ok_err(WinHttpSetCredentials(connect, WINHTTP_AUTH_TARGET_SERVER, WINHTTP_AUTH_SCHEME_BASIC, L"u", L"p", NULL),
           ERROR_WINHTTP_INCORRECT_HANDLE_TYPE);
    request = WinHttpOpenRequest(connect, L"GET", L"/", NULL, NULL, NULL, 0);

    /* One target, one scheme. */
    ok_err(WinHttpSetCredentials(request, 2, WINHTTP_AUTH_SCHEME_BASIC, L"u", L"p", NULL), ERROR_INVALID_PARAMETER);
    ok_err(WinHttpSetCredentials(request, WINHTTP_AUTH_TARGET_SERVER, 0, L"u", L"p", NULL), ERROR_INVALID_PARAMETER);
    ok_err(WinHttpSetCredentials(request, WINHTTP_AUTH_TARGET_SERVER, 0x20, L"u", L"p", NULL), ERROR_INVALID_PARAMETER);
    ok_err(WinHttpSetCredentials(request, WINHTTP_AUTH_TARGET_SERVER,
                                 WINHTTP_AUTH_SCHEME_BASIC | WINHTTP_AUTH_SCHEME_NTLM, L"u", L"p", NULL),
           ERROR_INVALID_PARAMETER);
    /* Basic and Digest need both strings. */
    ok_err(WinHttpSetCredentials(request, WINHTTP_AUTH_TARGET_SERVER, WINHTTP_AUTH_SCHEME_BASIC, NULL, L"p", NULL),
           ERROR_INVALID_PARAMETER);
    ok_err(WinHttpSetCredentials(request, WINHTTP_AUTH_TARGET_SERVER, WINHTTP_AUTH_SCHEME_BASIC, L"u", NULL, NULL),
           ERROR_INVALID_PARAMETER);
    ok_err(WinHttpSetCredentials(request, WINHTTP_AUTH_TARGET_SERVER, WINHTTP_AUTH_SCHEME_BASIC, NULL, NULL, NULL),
           ERROR_INVALID_PARAMETER);
    ok_err(WinHttpSetCredentials(request, WINHTTP_AUTH_TARGET_SERVER, WINHTTP_AUTH_SCHEME_DIGEST, NULL, NULL, NULL),
           ERROR_INVALID_PARAMETER);
    ok_err(WinHttpSetCredentials(request, WINHTTP_AUTH_TARGET_SERVER, WINHTTP_AUTH_SCHEME_DIGEST, NULL, L"p", NULL),
           ERROR_INVALID_PARAMETER);

    /* NTLM and Negotiate without a name: the logged-on user's credentials. */
    ok(WinHttpSetCredentials(request, WINHTTP_AUTH_TARGET_SERVER, WINHTTP_AUTH_SCHEME_NTLM, NULL, NULL, NULL),
       "NTLM with default credentials: %lu\n", GetLastError());
    ok(WinHttpSetCredentials(request, WINHTTP_AUTH_TARGET_SERVER, WINHTTP_AUTH_SCHEME_NEGOTIATE, NULL, NULL, NULL),
       "Negotiate with default credentials: %lu\n", GetLastError());
    /* Before any response, and with an empty password. */
    ok(WinHttpSetCredentials(request, WINHTTP_AUTH_TARGET_SERVER, WINHTTP_AUTH_SCHEME_BASIC, L"u", L"", NULL),
       "Basic before sending: %lu\n", GetLastError());
    ok(WinHttpSetCredentials(request, WINHTTP_AUTH_TARGET_PROXY, WINHTTP_AUTH_SCHEME_DIGEST, L"u", L"p", NULL),
       "proxy Digest: %lu\n", GetLastError());
    WinHttpCloseHandle(request);
    WinHttpCloseHandle(connect);
    WinHttpCloseHandle(session);
}

/* ------------------------------------------------------------------ */
/* Basic (apache mod_auth_basic)                                       */

static void test_basic(void)
{
    HINTERNET session, request;
    DWORD supported, first, target;
    WCHAR path[128];
    char *body;
    int denied = 0;

    if (!have(apache_port, "apache")) return;
    session = open_session();
    request = open_request(session, L"localhost", apache_port, url_path(path, ARRAYSIZE(path), L"/basic/ok.txt", L"basic1"));
    ok_status(request, 401);
    ok(WinHttpQueryAuthSchemes(request, &supported, &first, &target), "QueryAuthSchemes: %lu\n", GetLastError());
    ok(supported == WINHTTP_AUTH_SCHEME_BASIC && first == WINHTTP_AUTH_SCHEME_BASIC &&
       target == WINHTTP_AUTH_TARGET_SERVER, "supported %#lx first %#lx target %#lx\n", supported, first, target);
    ok(WinHttpSetCredentials(request, target, first, user, password, NULL), "SetCredentials: %lu\n", GetLastError());
    ok_status(request, 200);
    ok(!strcmp(header_of(request, L"X-Remote-User"), "alice"), "authenticated as %s\n", header_of(request, L"X-Remote-User"));
    body = read_body(request);
    ok(!strcmp(body, "authenticated: basic\n"), "body %s\n", body);
    free(body);
    /* The same handle sends its credentials again, without a new 401. */
    ok_status(request, 200);
    WinHttpCloseHandle(request);
    WinHttpCloseHandle(session);
    ok(apache_requests("m=basic1 ", 3, &denied) == 3 && denied == 1, "3 requests with 1 denied expected, got %d\n", denied);
}

static void test_basic_wrong_password(void)
{
    HINTERNET session, request;
    WCHAR path[128];
    int denied = 0;

    if (!have(apache_port, "apache")) return;
    session = open_session();
    request = open_request(session, L"localhost", apache_port, url_path(path, ARRAYSIZE(path), L"/basic/ok.txt", L"basic-wrong"));
    ok_status(request, 401);
    ok(WinHttpSetCredentials(request, WINHTTP_AUTH_TARGET_SERVER, WINHTTP_AUTH_SCHEME_BASIC, user, L"wrong", NULL),
       "SetCredentials: %lu\n", GetLastError());
    /* The application sees the server's 401 itself, no error. */
    ok_status(request, 401);
    /* The right ones then work on the same handle. */
    ok(WinHttpSetCredentials(request, WINHTTP_AUTH_TARGET_SERVER, WINHTTP_AUTH_SCHEME_BASIC, user, password, NULL),
       "SetCredentials: %lu\n", GetLastError());
    ok_status(request, 200);
    WinHttpCloseHandle(request);
    /* What worked is what the session remembers. */
    request = open_request(session, L"localhost", apache_port, url_path(path, ARRAYSIZE(path), L"/basic/ok.txt", L"basic-wrong2"));
    ok_status(request, 200);
    WinHttpCloseHandle(request);
    WinHttpCloseHandle(session);
    ok(apache_requests("m=basic-wrong ", 3, &denied) == 3 && denied == 2, "denied %d\n", denied);
}

/* Credentials set before sending go with the first request. */
static void test_basic_preauthentication(void)
{
    HINTERNET session, request;
    WCHAR path[128];
    int denied = 0;

    if (!have(apache_port, "apache")) return;
    session = open_session();
    request = open_request(session, L"localhost", apache_port, url_path(path, ARRAYSIZE(path), L"/basic/ok.txt", L"basic-pre"));
    ok(WinHttpSetCredentials(request, WINHTTP_AUTH_TARGET_SERVER, WINHTTP_AUTH_SCHEME_BASIC, user, password, NULL),
       "SetCredentials: %lu\n", GetLastError());
    ok_status(request, 200);
    WinHttpCloseHandle(request);
    WinHttpCloseHandle(session);
    ok(apache_requests("m=basic-pre ", 1, &denied) == 1 && !denied, "denied %d\n", denied);
}

/* Credentials that worked go along with later requests of the session to
 * the same protection space, without a 401 first; not to other spaces,
 * not in another session. */
static void test_basic_session_cache(void)
{
    HINTERNET session, other, request;
    WCHAR path[128];
    int denied = 0;

    if (!have(apache_port, "apache")) return;
    session = open_session();
    request = open_request(session, L"localhost", apache_port, url_path(path, ARRAYSIZE(path), L"/basic/ok.txt", L"cache1"));
    ok_status(request, 401);
    WinHttpSetCredentials(request, WINHTTP_AUTH_TARGET_SERVER, WINHTTP_AUTH_SCHEME_BASIC, user, password, NULL);
    ok_status(request, 200);
    WinHttpCloseHandle(request);

    request = open_request(session, L"localhost", apache_port, url_path(path, ARRAYSIZE(path), L"/basic/ok.txt", L"cache2"));
    ok_status(request, 200);
    ok(!strcmp(header_of(request, L"X-Remote-User"), "alice"), "authenticated as %s\n", header_of(request, L"X-Remote-User"));
    WinHttpCloseHandle(request);

    /* Deeper paths are in the same space (RFC 7617 section 2.2). */
    request = open_request(session, L"localhost", apache_port, url_path(path, ARRAYSIZE(path), L"/basic/deeper/none.txt", L"cache3"));
    ok_status(request, 404);
    WinHttpCloseHandle(request);

    /* Another space of the same server: challenged first. */
    request = open_request(session, L"localhost", apache_port, url_path(path, ARRAYSIZE(path), L"/basic-utf8/ok.txt", L"cache4"));
    ok_status(request, 401);
    WinHttpCloseHandle(request);

    /* Another session is another identity. */
    other = open_session();
    request = open_request(other, L"localhost", apache_port, url_path(path, ARRAYSIZE(path), L"/basic/ok.txt", L"cache5"));
    ok_status(request, 401);
    WinHttpCloseHandle(request);
    WinHttpCloseHandle(other);

    /* Another origin (the same server by another name) does not get them. */
    request = open_request(session, L"127.0.0.1", apache_port, url_path(path, ARRAYSIZE(path), L"/basic/ok.txt", L"cache6"));
    ok_status(request, 401);
    WinHttpCloseHandle(request);

    /* WINHTTP_DISABLE_AUTHENTICATION keeps them home too. */
    request = open_request(session, L"localhost", apache_port, url_path(path, ARRAYSIZE(path), L"/basic/ok.txt", L"cache7"));
    {
        DWORD flags = WINHTTP_DISABLE_AUTHENTICATION;
        ok(WinHttpSetOption(request, WINHTTP_OPTION_DISABLE_FEATURE, &flags, sizeof(flags)), "disable: %lu\n", GetLastError());
    }
    ok_status(request, 401);
    WinHttpCloseHandle(request);
    WinHttpCloseHandle(session);
    ok(apache_requests("m=cache2 ", 1, &denied) == 1 && !denied, "second request: denied %d\n", denied);
}

/* RFC 7617 section 2.1: charset="UTF-8" asks for UTF-8; without it the
 * ANSI code page is used, as Windows does (the UTF-8 password file then
 * does not match a non-ASCII name). */
static void test_basic_charset(void)
{
    HINTERNET session, request;
    WCHAR path[128];

    if (!have(apache_port, "apache")) return;
    session = open_session();
    request = open_request(session, L"localhost", apache_port, url_path(path, ARRAYSIZE(path), L"/basic-utf8/ok.txt", L"utf8"));
    ok_status(request, 401);
    WinHttpSetCredentials(request, WINHTTP_AUTH_TARGET_SERVER, WINHTTP_AUTH_SCHEME_BASIC, user8, password8, NULL);
    ok_status(request, 200);
    ok(!strcmp(header_of(request, L"X-Remote-User"), "j\xc3\xbcrgen"), "authenticated as %s\n",
       header_of(request, L"X-Remote-User"));
    WinHttpCloseHandle(request);

    request = open_request(session, L"127.0.0.1", apache_port, url_path(path, ARRAYSIZE(path), L"/basic/ok.txt", L"acp"));
    ok_status(request, 401);
    WinHttpSetCredentials(request, WINHTTP_AUTH_TARGET_SERVER, WINHTTP_AUTH_SCHEME_BASIC, user8, password8, NULL);
    ok_status(request, GetACP() == CP_UTF8 ? 200 : 401);
    WinHttpCloseHandle(request);
    WinHttpCloseHandle(session);
}

/* WINHTTP_OPTION_USERNAME / PASSWORD answer the challenge without the
 * application; wrong ones end in the 401, once. */
static void test_option_credentials(void)
{
    HINTERNET session, request;
    WCHAR path[128];
    int denied = 0;

    if (!have(apache_port, "apache")) return;
    session = open_session();
    request = open_request(session, L"localhost", apache_port, url_path(path, ARRAYSIZE(path), L"/basic/ok.txt", L"opt1"));
    ok(WinHttpSetOption(request, WINHTTP_OPTION_USERNAME, user, lstrlenW(user)), "username: %lu\n", GetLastError());
    ok(WinHttpSetOption(request, WINHTTP_OPTION_PASSWORD, password, lstrlenW(password)), "password: %lu\n", GetLastError());
    ok_status(request, 200);
    WinHttpCloseHandle(request);
    WinHttpCloseHandle(session);

    session = open_session();
    request = open_request(session, L"localhost", apache_port, url_path(path, ARRAYSIZE(path), L"/basic/ok.txt", L"opt2"));
    WinHttpSetOption(request, WINHTTP_OPTION_USERNAME, user, lstrlenW(user));
    WinHttpSetOption(request, WINHTTP_OPTION_PASSWORD, L"wrong", 5);
    ok_status(request, 401);
    WinHttpCloseHandle(request);

    /* WINHTTP_DISABLE_AUTHENTICATION: no automatic answer at all. */
    request = open_request(session, L"localhost", apache_port, url_path(path, ARRAYSIZE(path), L"/basic/ok.txt", L"opt3"));
    WinHttpSetOption(request, WINHTTP_OPTION_USERNAME, user, lstrlenW(user));
    WinHttpSetOption(request, WINHTTP_OPTION_PASSWORD, password, lstrlenW(password));
    {
        DWORD flags = WINHTTP_DISABLE_AUTHENTICATION;
        WinHttpSetOption(request, WINHTTP_OPTION_DISABLE_FEATURE, &flags, sizeof(flags));
    }
    ok_status(request, 401);
    WinHttpCloseHandle(request);
    WinHttpCloseHandle(session);
    ok(apache_requests("m=opt1 ", 2, &denied) == 2 && denied == 1, "denied %d\n", denied);
    ok(apache_requests("m=opt2 ", 2, &denied) == 2 && denied == 2, "denied %d\n", denied);
}

/* Credentials never reach another origin: not after a redirect, not from
 * the session's cache. */
static void test_no_credentials_after_redirect(void)
{
    DWORD policy;
    HINTERNET session, request;
    WCHAR path[128];
    char *body;

    if (!have(apache_port, "apache") || !have(scripted_port, "scripted server")) return;
    session = open_session();
    /* The HTTP/2 run's apache is https, the scripted server http: a
     * downgrade, which the default policy does not follow. */
    policy = WINHTTP_OPTION_REDIRECT_POLICY_ALWAYS;
    ok(WinHttpSetOption(session, WINHTTP_OPTION_REDIRECT_POLICY, &policy, sizeof(policy)), "policy: %lu\n",
       GetLastError());
    request = open_request(session, L"localhost", apache_port, L"/basic/redirect-away");
    ok(WinHttpSetCredentials(request, WINHTTP_AUTH_TARGET_SERVER, WINHTTP_AUTH_SCHEME_BASIC, user, password, NULL),
       "SetCredentials: %lu\n", GetLastError());
    ok_status(request, 200);
    body = read_body(request);
    ok(strstr(body, "GET /echo/away") != NULL, "not redirected:\n%s\n", body);
    ok(!strstr(body, "Authorization"), "credentials followed the redirect:\n%s\n", body);
    free(body);
    WinHttpCloseHandle(request);

    /* The same with the option credentials, after a successful request
     * filled the session's cache. */
    request = open_request(session, L"localhost", apache_port, url_path(path, ARRAYSIZE(path), L"/basic/ok.txt", L"redir1"));
    WinHttpSetOption(request, WINHTTP_OPTION_USERNAME, user, lstrlenW(user));
    WinHttpSetOption(request, WINHTTP_OPTION_PASSWORD, password, lstrlenW(password));
    ok_status(request, 200);
    WinHttpCloseHandle(request);
    request = open_request(session, L"localhost", apache_port, L"/basic/redirect-away");
    WinHttpSetOption(request, WINHTTP_OPTION_USERNAME, user, lstrlenW(user));
    WinHttpSetOption(request, WINHTTP_OPTION_PASSWORD, password, lstrlenW(password));
    ok_status(request, 200);
    body = read_body(request);
    ok(!strstr(body, "Authorization"), "credentials followed the redirect:\n%s\n", body);
    free(body);
    WinHttpCloseHandle(request);
    request = open_request(session, L"127.0.0.1", scripted_port, L"/echo/other-origin");
    ok_status(request, 200);
    body = read_body(request);
    ok(!strstr(body, "Authorization"), "cached credentials went to another origin:\n%s\n", body);
    free(body);
    WinHttpCloseHandle(request);
    WinHttpCloseHandle(session);
}

/* ------------------------------------------------------------------ */
/* Digest                                                              */

static void test_digest_apache(void)
{
    HINTERNET session, request;
    DWORD supported, first, target;
    WCHAR path[128];
    int denied = 0;

    if (!have(apache_port, "apache")) return;
    session = open_session();
    request = open_request(session, L"localhost", apache_port, url_path(path, ARRAYSIZE(path), L"/digest/ok.txt", L"digest1"));
    ok_status(request, 401);
    ok(WinHttpQueryAuthSchemes(request, &supported, &first, &target) && supported == WINHTTP_AUTH_SCHEME_DIGEST,
       "supported %#lx\n", supported);
    ok(WinHttpSetCredentials(request, WINHTTP_AUTH_TARGET_SERVER, WINHTTP_AUTH_SCHEME_DIGEST, user, password, NULL),
       "SetCredentials: %lu\n", GetLastError());
    ok_status(request, 200);
    ok(!strcmp(header_of(request, L"X-Remote-User"), "alice"), "authenticated as %s\n", header_of(request, L"X-Remote-User"));
    /* Again on the same handle: the next nonce count, no new challenge. */
    ok_status(request, 200);
    WinHttpCloseHandle(request);

    request = open_request(session, L"localhost", apache_port, url_path(path, ARRAYSIZE(path), L"/digest/ok.txt", L"digest2"));
    ok_status(request, 401);
    WinHttpSetCredentials(request, WINHTTP_AUTH_TARGET_SERVER, WINHTTP_AUTH_SCHEME_DIGEST, user, L"wrong", NULL);
    ok_status(request, 401);
    WinHttpCloseHandle(request);

    /* Set before sending: Digest cannot pre-authenticate, the challenge is
     * answered without the application. */
    request = open_request(session, L"localhost", apache_port, url_path(path, ARRAYSIZE(path), L"/digest/ok.txt", L"digest3"));
    WinHttpSetCredentials(request, WINHTTP_AUTH_TARGET_SERVER, WINHTTP_AUTH_SCHEME_DIGEST, user, password, NULL);
    ok_status(request, 200);
    WinHttpCloseHandle(request);
    WinHttpCloseHandle(session);
    ok(apache_requests("m=digest1 ", 3, &denied) == 3 && denied == 1, "denied %d\n", denied);
    ok(apache_requests("m=digest3 ", 2, &denied) == 2 && denied == 1, "denied %d\n", denied);
}

static void digest_path(HINTERNET session, const WCHAR *path, const char *algorithm, const WCHAR *pass,
                        DWORD expect, int line)
{
    HINTERNET request = open_request(session, L"127.0.0.1", digest_port, path);
    DWORD err, status = send_request(request, &err);

    test_report(status == 401, __FILE__, line, "%ls: first status %lu (%lu)\n", path, status, err);
    WinHttpSetCredentials(request, WINHTTP_AUTH_TARGET_SERVER, WINHTTP_AUTH_SCHEME_DIGEST, user, pass, NULL);
    status = send_request(request, &err);
    test_report(status == expect, __FILE__, line, "%ls: status %lu (%lu), expected %lu\n", path, status, err, expect);
    if (expect == 200)
        test_report(!strcmp(header_of(request, L"X-Digest-Algorithm"), algorithm), __FILE__, line,
                    "%ls: algorithm %s\n", path, header_of(request, L"X-Digest-Algorithm"));
    WinHttpCloseHandle(request);
}

/* RFC 7616 against a server that checks it exactly. */
static void test_digest_rfc7616(void)
{
    HINTERNET session, request;
    char *log;

    if (!have(digest_port, "Digest server")) return;
    session = open_session();
    digest_path(session, L"/md5", "MD5", password, 200, __LINE__);
    digest_path(session, L"/sha256", "SHA-256", password, 200, __LINE__);
    digest_path(session, L"/md5-sess", "MD5-sess", password, 200, __LINE__);
    digest_path(session, L"/sha256-sess", "SHA-256-sess", password, 200, __LINE__);
    digest_path(session, L"/userhash", "SHA-256", password, 200, __LINE__);
    digest_path(session, L"/noqop", "MD5", password, 200, __LINE__);
    digest_path(session, L"/utf8", "SHA-256", password, 200, __LINE__);
    /* Of two challenges, the stronger algorithm. */
    digest_path(session, L"/both", "SHA-256", password, 200, __LINE__);
    digest_path(session, L"/sha256", NULL, L"wrong", 401, __LINE__);
    digest_path(session, L"/userhash", NULL, L"wrong", 401, __LINE__);

    /* stale=true: the same credentials answer the new nonce by themselves. */
    digest_path(session, L"/stale", "MD5", password, 200, __LINE__);
    log = peer_read_env_file("WINHTTP_TEST_AUTH_DIGEST_LOG");
    ok(log && strstr(log, "/stale 401 user=alice nc=00000001 algorithm=MD5 reason=stale"), "no stale round:\n%s\n", log);
    free(log);

    /* The nonce count grows with each request answering one nonce. */
    request = open_request(session, L"127.0.0.1", digest_port, L"/sha256");
    ok_status(request, 401);
    WinHttpSetCredentials(request, WINHTTP_AUTH_TARGET_SERVER, WINHTTP_AUTH_SCHEME_DIGEST, user, password, NULL);
    ok_status(request, 200);
    ok(!strcmp(header_of(request, L"X-Digest-Nc"), "00000001"), "nc %s\n", header_of(request, L"X-Digest-Nc"));
    ok_status(request, 200);
    ok(!strcmp(header_of(request, L"X-Digest-Nc"), "00000002"), "nc %s\n", header_of(request, L"X-Digest-Nc"));
    ok_status(request, 200);
    ok(!strcmp(header_of(request, L"X-Digest-Nc"), "00000003"), "nc %s\n", header_of(request, L"X-Digest-Nc"));
    WinHttpCloseHandle(request);
    WinHttpCloseHandle(session);
}

/* ------------------------------------------------------------------ */
/* Negotiate / Kerberos (apache mod_auth_gssapi, the test KDC)          */

static void set_autologon(HINTERNET request, DWORD level)
{
    ok(WinHttpSetOption(request, WINHTTP_OPTION_AUTOLOGON_POLICY, &level, sizeof(level)), "autologon %lu: %lu\n",
       level, GetLastError());
}

/* The default credentials (the test user's Kerberos ticket) go to an
 * intranet host by themselves. */
static void test_negotiate_default_credentials(void)
{
    HINTERNET session, request;
    WCHAR path[128];
    char *body;

    if (!have(apache_port, "apache")) return;
    session = open_session();
    request = open_request(session, L"localhost", apache_port, url_path(path, ARRAYSIZE(path), L"/negotiate/ok.txt", L"neg1"));
    ok_status(request, 200);
    ok(!strcmp(header_of(request, L"X-Remote-User"), "alice@WINHTTP.TEST"), "authenticated as %s\n",
       header_of(request, L"X-Remote-User"));
    body = read_body(request);
    ok(!strcmp(body, "authenticated: negotiate\n"), "body %s\n", body);
    free(body);
    WinHttpCloseHandle(request);
    WinHttpCloseHandle(session);
}

/* WINHTTP_OPTION_AUTOLOGON_POLICY: HIGH never, MEDIUM only to the intranet
 * (names without a dot, hosts the proxy bypass list names), LOW always. */
static void test_autologon_policy(void)
{
    HINTERNET session, request;
    WCHAR path[128], proxy[64];

    if (!have(apache_port, "apache")) return;
    session = open_session();
    request = open_request(session, L"localhost", apache_port, url_path(path, ARRAYSIZE(path), L"/negotiate/ok.txt", L"policy-high"));
    set_autologon(request, WINHTTP_AUTOLOGON_SECURITY_LEVEL_HIGH);
    ok_status(request, 401);
    WinHttpCloseHandle(request);

    /* 127.0.0.1 has dots: not intranet for MEDIUM (the default). */
    request = open_request(session, L"127.0.0.1", apache_port, url_path(path, ARRAYSIZE(path), L"/negotiate/ok.txt", L"policy-medium"));
    ok_status(request, 401);
    WinHttpCloseHandle(request);

    request = open_request(session, L"127.0.0.1", apache_port, url_path(path, ARRAYSIZE(path), L"/negotiate/ok.txt", L"policy-low"));
    set_autologon(request, WINHTTP_AUTOLOGON_SECURITY_LEVEL_LOW);
    ok_status(request, 200);
    ok(!strcmp(header_of(request, L"X-Remote-User"), "alice@WINHTTP.TEST"), "authenticated as %s\n",
       header_of(request, L"X-Remote-User"));
    WinHttpCloseHandle(request);
    WinHttpCloseHandle(session);

    /* A host the proxy bypass list names is intranet for MEDIUM. */
    swprintf(proxy, ARRAYSIZE(proxy), L"127.0.0.1:%d", closed_port ? closed_port : 9);
    session = WinHttpOpen(L"winhttp-auth-tests", WINHTTP_ACCESS_TYPE_NAMED_PROXY, proxy, L"127.0.0.1", 0);
    request = open_request(session, L"127.0.0.1", apache_port, url_path(path, ARRAYSIZE(path), L"/negotiate/ok.txt", L"policy-bypass"));
    ok_status(request, 200);
    WinHttpCloseHandle(request);
    WinHttpCloseHandle(session);
}

static void test_negotiate_explicit_credentials(void)
{
    HINTERNET session, request;
    DWORD supported, first, target;
    WCHAR path[128];
    int denied = 0;

    if (!have(apache_port, "apache")) return;
    session = open_session();
    request = open_request(session, L"localhost", apache_port, url_path(path, ARRAYSIZE(path), L"/negotiate/ok.txt", L"negx1"));
    set_autologon(request, WINHTTP_AUTOLOGON_SECURITY_LEVEL_HIGH);
    ok_status(request, 401);
    /* mod_auth_gssapi offers NTLM too when gss-ntlmssp is installed. */
    ok(WinHttpQueryAuthSchemes(request, &supported, &first, &target) && (supported & WINHTTP_AUTH_SCHEME_NEGOTIATE) &&
       first == WINHTTP_AUTH_SCHEME_NEGOTIATE, "supported %#lx first %#lx\n", supported, first);
    ok(WinHttpSetCredentials(request, WINHTTP_AUTH_TARGET_SERVER, WINHTTP_AUTH_SCHEME_NEGOTIATE, user, password, NULL),
       "SetCredentials: %lu\n", GetLastError());
    ok_status(request, 200);
    ok(!strcmp(header_of(request, L"X-Remote-User"), "alice@WINHTTP.TEST"), "authenticated as %s\n",
       header_of(request, L"X-Remote-User"));
    WinHttpCloseHandle(request);

    /* A wrong password: the application gets the 401. */
    request = open_request(session, L"localhost", apache_port, url_path(path, ARRAYSIZE(path), L"/negotiate/ok.txt", L"negx2"));
    set_autologon(request, WINHTTP_AUTOLOGON_SECURITY_LEVEL_HIGH);
    ok_status(request, 401);
    WinHttpSetCredentials(request, WINHTTP_AUTH_TARGET_SERVER, WINHTTP_AUTH_SCHEME_NEGOTIATE, user, L"wrong", NULL);
    ok_status(request, 401);
    WinHttpCloseHandle(request);

    /* Set before sending: Kerberos pre-authenticates, one request. */
    request = open_request(session, L"localhost", apache_port, url_path(path, ARRAYSIZE(path), L"/negotiate/ok.txt", L"negx3"));
    set_autologon(request, WINHTTP_AUTOLOGON_SECURITY_LEVEL_HIGH);
    WinHttpSetCredentials(request, WINHTTP_AUTH_TARGET_SERVER, WINHTTP_AUTH_SCHEME_NEGOTIATE, user, password, NULL);
    ok_status(request, 200);
    WinHttpCloseHandle(request);

    /* WINHTTP_OPTION_SPN with the port: the SPN HTTP/localhost:port. */
    request = open_request(session, L"localhost", apache_port, url_path(path, ARRAYSIZE(path), L"/negotiate/ok.txt", L"negx4"));
    {
        DWORD spn = WINHTTP_ENABLE_SPN_SERVER_PORT;
        ok(WinHttpSetOption(request, WINHTTP_OPTION_SPN, &spn, sizeof(spn)), "SPN option: %lu\n", GetLastError());
    }
    ok_status(request, 200);
    WinHttpCloseHandle(request);
    WinHttpCloseHandle(session);
    ok(apache_requests("m=negx3 ", 1, &denied) == 1 && !denied, "denied %d\n", denied);
}

/* ------------------------------------------------------------------ */
/* NTLM (gss-ntlmssp on both sides)                                    */

static void test_ntlm(void)
{
    HINTERNET session, request;
    DWORD supported, first, target;
    WCHAR path[128];

    if (!have(apache_port, "apache")) return;
    session = open_session();
    request = open_request(session, L"localhost", apache_port, url_path(path, ARRAYSIZE(path), L"/ntlm/ok.txt", L"ntlm1"));
    set_autologon(request, WINHTTP_AUTOLOGON_SECURITY_LEVEL_HIGH);
    ok_status(request, 401);
    ok(WinHttpQueryAuthSchemes(request, &supported, &first, &target), "QueryAuthSchemes: %lu\n", GetLastError());
    ok(supported == (WINHTTP_AUTH_SCHEME_NTLM | WINHTTP_AUTH_SCHEME_NEGOTIATE), "supported %#lx\n", supported);
    ok(WinHttpSetCredentials(request, WINHTTP_AUTH_TARGET_SERVER, WINHTTP_AUTH_SCHEME_NTLM, ntlm_user, password, NULL),
       "SetCredentials: %lu\n", GetLastError());
    ok_status(request, 200);
    ok(strstr(header_of(request, L"X-Remote-User"), "alice") != NULL, "authenticated as %s\n",
       header_of(request, L"X-Remote-User"));
    WinHttpCloseHandle(request);

    request = open_request(session, L"localhost", apache_port, url_path(path, ARRAYSIZE(path), L"/ntlm/ok.txt", L"ntlm2"));
    set_autologon(request, WINHTTP_AUTOLOGON_SECURITY_LEVEL_HIGH);
    ok_status(request, 401);
    WinHttpSetCredentials(request, WINHTTP_AUTH_TARGET_SERVER, WINHTTP_AUTH_SCHEME_NTLM, ntlm_user, L"wrong", NULL);
    ok_status(request, 401);
    WinHttpCloseHandle(request);
    WinHttpCloseHandle(session);
}

/* Negotiate falls back to NTLM inside SPNEGO when Kerberos cannot be had
 * (a domain the KDC does not know). */
static void test_negotiate_ntlm_fallback(void)
{
    HINTERNET session, request;
    WCHAR path[128];

    if (!have(apache_port, "apache")) return;
    session = open_session();
    request = open_request(session, L"localhost", apache_port, url_path(path, ARRAYSIZE(path), L"/negotiate-ntlm/ok.txt", L"fallback"));
    set_autologon(request, WINHTTP_AUTOLOGON_SECURITY_LEVEL_HIGH);
    ok_status(request, 401);
    WinHttpSetCredentials(request, WINHTTP_AUTH_TARGET_SERVER, WINHTTP_AUTH_SCHEME_NEGOTIATE, ntlm_user, password, NULL);
    ok_status(request, 200);
    ok(strstr(header_of(request, L"X-Remote-User"), "alice") != NULL, "authenticated as %s\n",
       header_of(request, L"X-Remote-User"));
    WinHttpCloseHandle(request);
    WinHttpCloseHandle(session);
}

/* ------------------------------------------------------------------ */
/* proxy authentication (squid, basic_ncsa_auth)                        */

static HINTERNET proxy_session_port(int port)
{
    WCHAR proxy[64];
    HINTERNET session;

    swprintf(proxy, ARRAYSIZE(proxy), L"127.0.0.1:%d", port);
    session = WinHttpOpen(L"winhttp-auth-tests", WINHTTP_ACCESS_TYPE_NAMED_PROXY, proxy, WINHTTP_NO_PROXY_BYPASS, 0);
    ok(session != NULL, "WinHttpOpen: %lu\n", GetLastError());
    return session;
}

static HINTERNET proxy_session(void)
{
    return proxy_session_port(squid_port);
}

static int squid_requests(const char *marker, int expect, int *denied)
{
    char *text, *line, *next, unique[128];
    int n;

    marker = log_marker(marker, unique, sizeof(unique));
    n = peer_wait_log("WINHTTP_TEST_AUTH_SQUID_ACCESS_LOG", marker, expect, 3000);

    *denied = 0;
    if ((text = peer_read_env_file("WINHTTP_TEST_AUTH_SQUID_ACCESS_LOG")))
    {
        for (line = text; line && *line; line = next)
        {
            if ((next = strchr(line, '\n'))) *next++ = 0;
            if (strstr(line, marker) && strstr(line, "/407 ")) (*denied)++;
        }
        free(text);
    }
    return n;
}

static void test_proxy_basic(void)
{
    HINTERNET session, request;
    DWORD supported, first, target;
    WCHAR path[128];
    int denied = 0;

    if (!have(squid_port, "squid with proxy authentication") || !have(nginx_port, "nginx")) return;
    session = proxy_session();
    request = open_request(session, L"127.0.0.1", nginx_port, url_path(path, ARRAYSIZE(path), L"/static/small.txt", L"proxy1"));
    ok_status(request, 407);
    ok(WinHttpQueryAuthSchemes(request, &supported, &first, &target), "QueryAuthSchemes: %lu\n", GetLastError());
    ok(supported == WINHTTP_AUTH_SCHEME_BASIC && target == WINHTTP_AUTH_TARGET_PROXY, "supported %#lx target %#lx\n",
       supported, target);
    ok(WinHttpSetCredentials(request, WINHTTP_AUTH_TARGET_PROXY, WINHTTP_AUTH_SCHEME_BASIC, proxy_user, proxy_password,
                             NULL), "SetCredentials: %lu\n", GetLastError());
    ok_status(request, 200);
    WinHttpCloseHandle(request);

    /* Later requests through the same proxy: no 407 first. */
    request = open_request(session, L"127.0.0.1", nginx_port, url_path(path, ARRAYSIZE(path), L"/static/small.txt", L"proxy2"));
    ok_status(request, 200);
    WinHttpCloseHandle(request);
    ok(squid_requests("m=proxy2", 1, &denied) == 1 && !denied, "denied %d\n", denied);

    /* The proxy's credentials never reach the server. */
    if (scripted_port)
    {
        char *body;
        request = open_request(session, L"127.0.0.1", scripted_port, L"/echo/through-proxy");
        ok_status(request, 200);
        body = read_body(request);
        ok(!strstr(body, "Proxy-Authorization") && !strstr(body, "Authorization:"), "credentials leaked:\n%s\n", body);
        free(body);
        WinHttpCloseHandle(request);
    }
    WinHttpCloseHandle(session);

    /* Wrong ones: the application sees the 407. */
    session = proxy_session();
    request = open_request(session, L"127.0.0.1", nginx_port, url_path(path, ARRAYSIZE(path), L"/static/small.txt", L"proxy3"));
    ok_status(request, 407);
    WinHttpSetCredentials(request, WINHTTP_AUTH_TARGET_PROXY, WINHTTP_AUTH_SCHEME_BASIC, proxy_user, L"wrong", NULL);
    ok_status(request, 407);
    WinHttpCloseHandle(request);
    WinHttpCloseHandle(session);
}

/* The session's WINHTTP_OPTION_PROXY_USERNAME / PASSWORD answer the 407. */
static void test_proxy_option_credentials(void)
{
    HINTERNET session, request;
    WCHAR path[128];

    if (!have(squid_port, "squid with proxy authentication") || !have(nginx_port, "nginx")) return;
    session = proxy_session();
    ok(WinHttpSetOption(session, WINHTTP_OPTION_PROXY_USERNAME, proxy_user, lstrlenW(proxy_user)), "%lu\n", GetLastError());
    ok(WinHttpSetOption(session, WINHTTP_OPTION_PROXY_PASSWORD, proxy_password, lstrlenW(proxy_password)), "%lu\n",
       GetLastError());
    request = open_request(session, L"127.0.0.1", nginx_port, url_path(path, ARRAYSIZE(path), L"/static/small.txt", L"proxyopt"));
    ok_status(request, 200);
    WinHttpCloseHandle(request);
    WinHttpCloseHandle(session);

    session = proxy_session();
    request = open_request(session, L"127.0.0.1", nginx_port, url_path(path, ARRAYSIZE(path), L"/static/small.txt", L"proxyopt2"));
    WinHttpSetOption(request, WINHTTP_OPTION_PROXY_USERNAME, proxy_user, lstrlenW(proxy_user));
    WinHttpSetOption(request, WINHTTP_OPTION_PROXY_PASSWORD, L"wrong", 5);
    ok_status(request, 407);
    WinHttpCloseHandle(request);
    WinHttpCloseHandle(session);
}

/* Proxy and server credentials together: 407, then 401, then 200. */
static void test_proxy_and_server(void)
{
    HINTERNET session, request;
    WCHAR path[128];

    if (!have(squid_port, "squid with proxy authentication") || !have(apache_port, "apache")) return;
    session = proxy_session();
    request = open_request(session, L"127.0.0.1", apache_port, url_path(path, ARRAYSIZE(path), L"/basic/ok.txt", L"both"));
    ok_status(request, 407);
    WinHttpSetCredentials(request, WINHTTP_AUTH_TARGET_PROXY, WINHTTP_AUTH_SCHEME_BASIC, proxy_user, proxy_password, NULL);
    ok_status(request, 401);
    WinHttpSetCredentials(request, WINHTTP_AUTH_TARGET_SERVER, WINHTTP_AUTH_SCHEME_BASIC, user, password, NULL);
    ok_status(request, 200);
    ok(!strcmp(header_of(request, L"X-Remote-User"), "alice"), "authenticated as %s\n", header_of(request, L"X-Remote-User"));
    WinHttpCloseHandle(request);
    WinHttpCloseHandle(session);
}

/* Negotiate with a proxy (squid, negotiate_kerberos_auth): the default
 * credentials go to the proxy by themselves (it is the configuration's
 * own), explicit ones after the application's 407 dance; the SPN is
 * HTTP/<proxy host>. */
static void test_proxy_negotiate(void)
{
    HINTERNET session, request;
    DWORD supported, first, target;
    WCHAR path[128];
    char *body;

    if (!have(squidneg_port, "squid with proxy Negotiate") || !have(scripted_port, "scripted server")) return;
    session = proxy_session_port(squidneg_port);
    request = open_request(session, L"127.0.0.1", scripted_port, url_path(path, ARRAYSIZE(path), L"/echo/negproxy", L"negproxy1"));
    ok_status(request, 200);
    body = read_body(request);
    ok(!strstr(body, "Proxy-Authorization") && !strstr(body, "Negotiate"), "proxy credentials reached the server:\n%s\n", body);
    free(body);
    WinHttpCloseHandle(request);
    /* squid's Negotiate authenticates the connection: start afresh. */
    WinHttpCloseHandle(session);
    session = proxy_session_port(squidneg_port);

    request = open_request(session, L"127.0.0.1", scripted_port, url_path(path, ARRAYSIZE(path), L"/echo/negproxy", L"negproxy2"));
    set_autologon(request, WINHTTP_AUTOLOGON_SECURITY_LEVEL_HIGH);
    ok_status(request, 407);
    ok(WinHttpQueryAuthSchemes(request, &supported, &first, &target), "QueryAuthSchemes: %lu\n", GetLastError());
    ok(supported == WINHTTP_AUTH_SCHEME_NEGOTIATE && target == WINHTTP_AUTH_TARGET_PROXY, "supported %#lx target %#lx\n",
       supported, target);
    ok(WinHttpSetCredentials(request, WINHTTP_AUTH_TARGET_PROXY, WINHTTP_AUTH_SCHEME_NEGOTIATE, user, password, NULL),
       "SetCredentials: %lu\n", GetLastError());
    ok_status(request, 200);
    WinHttpCloseHandle(request);
    WinHttpCloseHandle(session);
    session = proxy_session_port(squidneg_port);

    request = open_request(session, L"127.0.0.1", scripted_port, url_path(path, ARRAYSIZE(path), L"/echo/negproxy", L"negproxy3"));
    set_autologon(request, WINHTTP_AUTOLOGON_SECURITY_LEVEL_HIGH);
    ok_status(request, 407);
    WinHttpSetCredentials(request, WINHTTP_AUTH_TARGET_PROXY, WINHTTP_AUTH_SCHEME_NEGOTIATE, user, L"wrong", NULL);
    ok_status(request, 407);
    WinHttpCloseHandle(request);
    WinHttpCloseHandle(session);
}

/* ------------------------------------------------------------------ */
/* asynchronous mode: the same exchanges, driven by the event loop       */

static void test_async(void)
{
    struct async_wait w = {0};
    HINTERNET session, request;
    WCHAR path[128];
    DWORD status;

    if (!have(apache_port, "apache") || !have(digest_port, "Digest server")) return;
    w.event = CreateEventW(NULL, TRUE, FALSE, NULL);
    session = WinHttpOpen(L"winhttp-auth-tests", WINHTTP_ACCESS_TYPE_NO_PROXY, NULL, NULL, WINHTTP_FLAG_ASYNC);
    ok(WinHttpSetStatusCallback(session, async_wait_callback, WINHTTP_CALLBACK_FLAG_ALL_COMPLETIONS, 0) !=
       WINHTTP_INVALID_STATUS_CALLBACK, "callback: %lu\n", GetLastError());

    /* Negotiate's legs with the default credentials. */
    request = open_request(session, L"localhost", apache_port, url_path(path, ARRAYSIZE(path), L"/negotiate/ok.txt", L"async1"));
    status = async_send(request, &w);
    ok(status == 200, "Negotiate: status %lu (completion %#lx, error %lu)\n", status, w.status, w.error);
    ok(!strcmp(header_of(request, L"X-Remote-User"), "alice@WINHTTP.TEST"), "authenticated as %s\n",
       header_of(request, L"X-Remote-User"));
    WinHttpCloseHandle(request);

    /* The application's dance: 401, credentials, 200. */
    request = open_request(session, L"127.0.0.1", digest_port, L"/sha256");
    status = async_send(request, &w);
    ok(status == 401, "Digest: status %lu (completion %#lx, error %lu)\n", status, w.status, w.error);
    ok(WinHttpSetCredentials(request, WINHTTP_AUTH_TARGET_SERVER, WINHTTP_AUTH_SCHEME_DIGEST, user, password, NULL),
       "SetCredentials: %lu\n", GetLastError());
    status = async_send(request, &w);
    ok(status == 200, "Digest: status %lu (completion %#lx, error %lu)\n", status, w.status, w.error);
    WinHttpCloseHandle(request);

    WinHttpSetStatusCallback(session, NULL, 0, 0);
    WinHttpCloseHandle(session);
    /* Callbacks may still run on the closed handles for a moment. */
    Sleep(100);
    CloseHandle(w.event);
}

int main(void)
{
    if (!h2mode_init())
    {
        ok(0, "the HTTP/2 run needs the h2 peers (apache's TLS listener)\n");
        return test_summary();
    }
    snprintf(run_id, sizeof(run_id), "%lx-", GetCurrentProcessId());
    apache_port = peer_port("WINHTTP_TEST_AUTH_APACHE_PORT");
    digest_port = peer_port("WINHTTP_TEST_AUTH_DIGEST_PORT");
    squid_port = peer_port("WINHTTP_TEST_AUTH_SQUID_PORT");
    squidneg_port = peer_port("WINHTTP_TEST_AUTH_SQUID_NEGOTIATE_PORT");
    scripted_port = peer_port("WINHTTP_TEST_SCRIPTED_PORT");
    nginx_port = peer_port("WINHTTP_TEST_NGINX_PORT");
    closed_port = peer_port("WINHTTP_TEST_CLOSED_PORT");
    env_wide("WINHTTP_TEST_AUTH_USER", user, ARRAYSIZE(user));
    env_wide("WINHTTP_TEST_AUTH_PASSWORD", password, ARRAYSIZE(password));
    env_wide_hex("WINHTTP_TEST_AUTH_USER8_HEX", user8, ARRAYSIZE(user8));
    env_wide_hex("WINHTTP_TEST_AUTH_PASSWORD8_HEX", password8, ARRAYSIZE(password8));
    env_wide("WINHTTP_TEST_AUTH_PROXY_USER", proxy_user, ARRAYSIZE(proxy_user));
    env_wide("WINHTTP_TEST_AUTH_PROXY_PASSWORD", proxy_password, ARRAYSIZE(proxy_password));
    {
        WCHAR domain[64];
        env_wide("WINHTTP_TEST_AUTH_NTLM_DOMAIN", domain, ARRAYSIZE(domain));
        swprintf(ntlm_user, ARRAYSIZE(ntlm_user), L"%ls\\%ls", domain, user);
    }

    run_test_h1("query_auth_schemes_errors", test_query_auth_schemes_errors);
    run_test_h1("query_auth_schemes", test_query_auth_schemes);
    run_test_h1("set_credentials_errors", test_set_credentials_errors);
    run_test_h2("basic", test_basic);
    run_test_h2("basic_wrong_password", test_basic_wrong_password);
    run_test_h2("basic_preauthentication", test_basic_preauthentication);
    run_test_h2("basic_session_cache", test_basic_session_cache);
    run_test_h2("basic_charset", test_basic_charset);
    run_test_h2("option_credentials", test_option_credentials);
    run_test_h2("no_credentials_after_redirect", test_no_credentials_after_redirect);
    run_test_h2("digest_apache", test_digest_apache);
    run_test_h1("digest_rfc7616", test_digest_rfc7616);
    run_test_h2("negotiate_default_credentials", test_negotiate_default_credentials);
    run_test_h2("autologon_policy", test_autologon_policy);
    run_test_h2("negotiate_explicit_credentials", test_negotiate_explicit_credentials);
    run_test_h1("ntlm", test_ntlm);
    run_test_h1("negotiate_ntlm_fallback", test_negotiate_ntlm_fallback);
    run_test_h1("proxy_basic", test_proxy_basic);
    run_test_h1("proxy_option_credentials", test_proxy_option_credentials);
    run_test_h1("proxy_and_server", test_proxy_and_server);
    run_test_h1("proxy_negotiate", test_proxy_negotiate);
    run_test_h2("async", test_async);
    return test_summary();
}
