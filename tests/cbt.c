/*
 * Extended Protection (seed 004, "Integrated Windows Authentication with
 * Extended Protection") against a real acceptor that enforces it:
 * tests/peers/cbt/cbt_server.py, MIT krb5 and gss-ntlmssp through
 * python3-gssapi, with the auth plugin's KDC (HTTP/localhost keytab) and
 * NTLM users.
 *
 * Over https the client puts a channel binding (RFC 5056; RFC 5929 section
 * 4 "tls-server-end-point:" followed by the hash of the server certificate,
 * the hash of its signature algorithm) in the Kerberos authenticator and the
 * NTLMv2 response (MsvAvChannelBindings).  What the acceptor tells us, in
 * X-Cbt-Result:
 *   bound            the client's binding was there and matched its own
 *   unbound          the client sent no binding (both MIT krb5 and
 *                    gss-ntlmssp accept that when the acceptor passes one;
 *                    they set GSS_C_CHANNEL_BOUND_FLAG only when it matched)
 *   unbound-refused  no binding where the path requires one
 *   bad-bindings     the client sent a binding that is not the acceptor's
 *                    (MIT: GSS_S_BAD_BINDINGS; gss-ntlmssp:
 *                    GSS_S_DEFECTIVE_TOKEN with EACCES)
 * /cbt/ok requires the channel's binding, /cbt/mismatch requires a wrong
 * one (what a server behind a relay sees: a correct client is rejected),
 * /cbt/none requires nothing (over plain http it passes a canary binding, so
 * a client that sent any binding would get bad-bindings).  The ntlm-* paths
 * do the same with "WWW-Authenticate: NTLM".
 *
 * The service binding: the acceptor reports the principal of the Kerberos
 * ticket (X-Cbt-Target), which is what the client asked for; gss-ntlmssp
 * 1.2 does not say which target an NTLM client named (MsvAvTargetName), so
 * for NTLM only WINHTTP_OPTION_SERVER_SPN_USED shows it.
 *
 * The acceptor's certificates come from a CA of its own (the TLS plugin
 * starts after it), so the requests ignore the unknown CA; the binding is
 * the hash of the certificate either way.  One listener's certificate is
 * signed with SHA-256, the other's with SHA-384: the binding hash follows
 * the signature (RFC 5929 4.1), not a fixed SHA-256.
 */
#include "test.h"
#include <winhttp.h>
#include "client.h"
#include "peers.h"

static int tls_port, tls384_port, plain_port;
static WCHAR user[64], password[128], ntlm_user[128];

static void env_wide(const char *name, WCHAR *buf, int size)
{
    char value[256];
    buf[0] = 0;
    if (peer_env(name, value, sizeof(value))) MultiByteToWideChar(CP_UTF8, 0, value, -1, buf, size);
}

static HINTERNET open_request(HINTERNET *session, int port, BOOL secure, const WCHAR *path, DWORD autologon)
{
    HINTERNET connect, request;

    *session = WinHttpOpen(L"winhttp-cbt-tests", WINHTTP_ACCESS_TYPE_NO_PROXY, NULL, NULL, 0);
    ok(*session != NULL, "WinHttpOpen failed: %lu\n", GetLastError());
    connect = WinHttpConnect(*session, L"localhost", (INTERNET_PORT)port, 0);
    ok(connect != NULL, "WinHttpConnect failed: %lu\n", GetLastError());
    request = WinHttpOpenRequest(connect, L"GET", path, NULL, NULL, NULL, secure ? WINHTTP_FLAG_SECURE : 0);
    ok(request != NULL, "WinHttpOpenRequest failed: %lu\n", GetLastError());
    WinHttpCloseHandle(connect);
    if (secure)
    {
        DWORD flags = SECURITY_FLAG_IGNORE_UNKNOWN_CA;
        ok(WinHttpSetOption(request, WINHTTP_OPTION_SECURITY_FLAGS, &flags, sizeof(flags)), "security flags: %lu\n",
           GetLastError());
    }
    ok(WinHttpSetOption(request, WINHTTP_OPTION_AUTOLOGON_POLICY, &autologon, sizeof(autologon)),
       "autologon %lu: %lu\n", autologon, GetLastError());
    return request;
}

static const char *header_of(HINTERNET request, const WCHAR *name)
{
    static char buf[4][512];
    static int next;
    char *out = buf[next++ % 4];
    WCHAR wbuf[512];
    DWORD size = sizeof(wbuf), i;

    out[0] = 0;
    if (WinHttpQueryHeaders(request, WINHTTP_QUERY_CUSTOM, name, wbuf, &size, WINHTTP_NO_HEADER_INDEX))
    {
        for (i = 0; i < size / sizeof(WCHAR) && i < 511; i++) out[i] = (char)wbuf[i];
        out[i] = 0;
    }
    return out;
}

#define ok_header(request, name, expect) do { const char *h_ = header_of(request, name); \
    ok(!strcmp(h_, expect), "%ls: expected \"%s\", got \"%s\"\n", name, expect, h_); } while (0)

static void ok_spn_used(HINTERNET request, const WCHAR *expect)
{
    WCHAR spn[128];
    DWORD size = sizeof(spn);

    ok(WinHttpQueryOption(request, WINHTTP_OPTION_SERVER_SPN_USED, spn, &size), "SERVER_SPN_USED: %lu\n",
       GetLastError());
    ok(!wcscmp(spn, expect), "SPN used: expected %ls, got %ls\n", expect, spn);
    ok(size == wcslen(expect) * sizeof(WCHAR), "SPN size %lu\n", size);
}

/* Lines of the acceptor's log with both strings: one per request. */
static int log_lines(const char *a, const char *b)
{
    char *text = peer_read_env_file("WINHTTP_TEST_CBT_LOG"), *line, *next;
    int n = 0;

    for (line = text; line && *line; line = next)
    {
        if ((next = strchr(line, '\n'))) *next++ = 0;
        if (strstr(line, a) && strstr(line, b)) n++;
    }
    free(text);
    return n;
}

/* A marker for the query string and the log, unique to this process (the
 * secret-trace check runs the tests again against the same peers). */
static const WCHAR *marked(const WCHAR *path, const char *marker)
{
    static WCHAR buf[4][128];
    static int next;
    WCHAR *out = buf[next++ % 4];
    swprintf(out, 128, L"%ls?m=%lx-%hs", path, GetCurrentProcessId(), marker);
    return out;
}

static const char *log_marker(const char *marker)
{
    static char buf[64];
    snprintf(buf, sizeof(buf), "?m=%lx-%s ", GetCurrentProcessId(), marker);
    return buf;
}

static BOOL have(int port, const char *what)
{
    if (port && user[0] && password[0]) return TRUE;
    skip("no %s (run through tools/run-tests)\n", what);
    return FALSE;
}

/* The bound, successful case: the acceptor says the binding matched, the
 * ticket was for HTTP/localhost, and mutual authentication completed. */
static void kerberos_bound(int port, const char *what)
{
    HINTERNET session, request;
    char *body;

    /* The test user's ticket (KRB5CCNAME) as the default credentials. */
    request = open_request(&session, port, TRUE, L"/cbt/ok?m=krb-default", WINHTTP_AUTOLOGON_SECURITY_LEVEL_LOW);
    ok_status(request, 200);
    ok_header(request, L"X-Cbt-Result", "bound");
    ok_header(request, L"X-Cbt-Mech", "krb5");
    ok_header(request, L"X-Cbt-Target", "HTTP/localhost@WINHTTP.TEST");
    ok_header(request, L"X-Cbt-User", "alice@WINHTTP.TEST");
    ok_spn_used(request, L"HTTP/localhost");
    body = read_body(request);
    ok(!strcmp(body, "bound\n"), "%s: body %s\n", what, body);
    free(body);
    WinHttpCloseHandle(request);
    WinHttpCloseHandle(session);
}

static void test_kerberos_bound(void)
{
    if (!have(tls_port, "channel-binding acceptor")) return;
    kerberos_bound(tls_port, "SHA-256 certificate");
}

static void test_kerberos_bound_sha384(void)
{
    if (!have(tls384_port, "channel-binding acceptor")) return;
    kerberos_bound(tls384_port, "SHA-384 certificate");
}

/* Explicit credentials (gss_acquire_cred_with_password) carry the binding
 * as well: the 401, WinHttpSetCredentials, the resend. */
static void test_kerberos_explicit_bound(void)
{
    HINTERNET session, request;

    if (!have(tls_port, "channel-binding acceptor")) return;
    request = open_request(&session, tls_port, TRUE, L"/cbt/ok?m=krb-explicit", WINHTTP_AUTOLOGON_SECURITY_LEVEL_HIGH);
    ok_status(request, 401);
    ok_header(request, L"X-Cbt-Result", "");   /* a bare challenge: nothing was sent */
    ok(WinHttpSetCredentials(request, WINHTTP_AUTH_TARGET_SERVER, WINHTTP_AUTH_SCHEME_NEGOTIATE, user, password, NULL),
       "SetCredentials: %lu\n", GetLastError());
    ok_status(request, 200);
    ok_header(request, L"X-Cbt-Result", "bound");
    ok_header(request, L"X-Cbt-Target", "HTTP/localhost@WINHTTP.TEST");
    ok_spn_used(request, L"HTTP/localhost");
    WinHttpCloseHandle(request);
    WinHttpCloseHandle(session);
}

/* The acceptor expects another channel's binding (a relayed connection):
 * our correct one must be refused, and because it does not match, not
 * because none was sent. */
static void test_kerberos_mismatch(void)
{
    HINTERNET session, request;

    if (!have(tls_port, "channel-binding acceptor")) return;
    request = open_request(&session, tls_port, TRUE, marked(L"/cbt/mismatch", "krb-mismatch"),
                           WINHTTP_AUTOLOGON_SECURITY_LEVEL_LOW);
    ok_status(request, 401);
    ok_header(request, L"X-Cbt-Result", "bad-bindings");
    WinHttpCloseHandle(request);
    WinHttpCloseHandle(session);
    ok(log_lines(log_marker("krb-mismatch"), " bad-bindings") == 1, "refused %d times\n",
       log_lines(log_marker("krb-mismatch"), " bad-bindings"));

    /* The same with explicit credentials: the application gets the 401. */
    request = open_request(&session, tls384_port, TRUE, L"/cbt/mismatch?m=krb-mismatch2",
                           WINHTTP_AUTOLOGON_SECURITY_LEVEL_HIGH);
    ok_status(request, 401);
    WinHttpSetCredentials(request, WINHTTP_AUTH_TARGET_SERVER, WINHTTP_AUTH_SCHEME_NEGOTIATE, user, password, NULL);
    ok_status(request, 401);
    ok_header(request, L"X-Cbt-Result", "bad-bindings");
    WinHttpCloseHandle(request);
    WinHttpCloseHandle(session);
}

/* A server that does not require bindings still sees ours over https. */
static void test_kerberos_not_required(void)
{
    HINTERNET session, request;

    if (!have(tls_port, "channel-binding acceptor")) return;
    request = open_request(&session, tls_port, TRUE, L"/cbt/none?m=krb-none", WINHTTP_AUTOLOGON_SECURITY_LEVEL_LOW);
    ok_status(request, 200);
    ok_header(request, L"X-Cbt-Result", "bound");
    WinHttpCloseHandle(request);
    WinHttpCloseHandle(session);
}

/* Plain http has no channel: no binding goes out (the acceptor's canary
 * binding would turn any into bad-bindings), the service binding does, and
 * a server that requires a channel binding refuses. */
static void test_kerberos_plain_http(void)
{
    HINTERNET session, request;
    char *body;

    if (!have(plain_port, "channel-binding acceptor")) return;
    request = open_request(&session, plain_port, FALSE, L"/cbt/none?m=krb-plain", WINHTTP_AUTOLOGON_SECURITY_LEVEL_LOW);
    ok_status(request, 200);
    ok_header(request, L"X-Cbt-Result", "unbound");
    ok_header(request, L"X-Cbt-Target", "HTTP/localhost@WINHTTP.TEST");
    ok_header(request, L"X-Cbt-User", "alice@WINHTTP.TEST");
    ok_spn_used(request, L"HTTP/localhost");
    body = read_body(request);
    ok(!strcmp(body, "unbound\n"), "body %s\n", body);
    free(body);
    WinHttpCloseHandle(request);
    WinHttpCloseHandle(session);

    request = open_request(&session, plain_port, FALSE, L"/cbt/ok?m=krb-plain-required",
                           WINHTTP_AUTOLOGON_SECURITY_LEVEL_LOW);
    ok_status(request, 401);
    ok_header(request, L"X-Cbt-Result", "unbound-refused");
    WinHttpCloseHandle(request);
    WinHttpCloseHandle(session);
}

/* NTLM (gss-ntlmssp on both sides): the binding is the NTLMv2 response's
 * MsvAvChannelBindings, the MD5 of the gss_channel_bindings_struct. */
static HINTERNET ntlm_request(HINTERNET *session, int port, BOOL secure, const WCHAR *path, DWORD expect)
{
    HINTERNET request = open_request(session, port, secure, path, WINHTTP_AUTOLOGON_SECURITY_LEVEL_HIGH);
    DWORD supported = 0, first = 0, target = 0;

    ok_status(request, 401);
    ok(WinHttpQueryAuthSchemes(request, &supported, &first, &target) && supported == WINHTTP_AUTH_SCHEME_NTLM,
       "supported %#lx\n", supported);
    ok(WinHttpSetCredentials(request, WINHTTP_AUTH_TARGET_SERVER, WINHTTP_AUTH_SCHEME_NTLM, ntlm_user, password, NULL),
       "SetCredentials: %lu\n", GetLastError());
    ok_status(request, expect);
    return request;
}

static void test_ntlm_bound(void)
{
    HINTERNET session, request;
    int ports[2] = { tls_port, tls384_port }, i;

    if (!have(tls_port, "channel-binding acceptor")) return;
    for (i = 0; i < 2; i++)
    {
        request = ntlm_request(&session, ports[i], TRUE, L"/cbt/ntlm-ok?m=ntlm-ok", 200);
        ok_header(request, L"X-Cbt-Result", "bound");
        ok_header(request, L"X-Cbt-Mech", "ntlmssp");
        ok_header(request, L"X-Cbt-User", "WINHTTP\\alice");
        ok_spn_used(request, L"HTTP/localhost");
        WinHttpCloseHandle(request);
        WinHttpCloseHandle(session);
    }
}

static void test_ntlm_mismatch(void)
{
    HINTERNET session, request;

    if (!have(tls_port, "channel-binding acceptor")) return;
    request = ntlm_request(&session, tls_port, TRUE, marked(L"/cbt/ntlm-mismatch", "ntlm-mismatch"), 401);
    ok_header(request, L"X-Cbt-Result", "bad-bindings");
    WinHttpCloseHandle(request);
    WinHttpCloseHandle(session);
    /* Refused once, not tried again with the same credentials (each try
     * counts against an account's lockout threshold): the bare challenge,
     * the negotiate leg, the refused authenticate leg. */
    ok(log_lines(log_marker("ntlm-mismatch"), " bad-bindings") == 1, "refused %d times\n",
       log_lines(log_marker("ntlm-mismatch"), " bad-bindings"));
    ok(log_lines(log_marker("ntlm-mismatch"), " conn=") == 3, "%d requests\n",
       log_lines(log_marker("ntlm-mismatch"), " conn="));
}

static void test_ntlm_plain_http(void)
{
    HINTERNET session, request;

    if (!have(plain_port, "channel-binding acceptor")) return;
    request = ntlm_request(&session, plain_port, FALSE, L"/cbt/ntlm-none?m=ntlm-plain", 200);
    ok_header(request, L"X-Cbt-Result", "unbound");
    WinHttpCloseHandle(request);
    WinHttpCloseHandle(session);
}

int main(void)
{
    tls_port = peer_port("WINHTTP_TEST_CBT_PORT");
    tls384_port = peer_port("WINHTTP_TEST_CBT_SHA384_PORT");
    plain_port = peer_port("WINHTTP_TEST_CBT_PLAIN_PORT");
    env_wide("WINHTTP_TEST_AUTH_USER", user, ARRAYSIZE(user));
    env_wide("WINHTTP_TEST_AUTH_PASSWORD", password, ARRAYSIZE(password));
    {
        WCHAR domain[64];
        env_wide("WINHTTP_TEST_AUTH_NTLM_DOMAIN", domain, ARRAYSIZE(domain));
        swprintf(ntlm_user, ARRAYSIZE(ntlm_user), L"%ls\\%ls", domain, user);
    }

    run_test("kerberos_bound", test_kerberos_bound);
    run_test("kerberos_bound_sha384", test_kerberos_bound_sha384);
    run_test("kerberos_explicit_bound", test_kerberos_explicit_bound);
    run_test("kerberos_mismatch", test_kerberos_mismatch);
    run_test("kerberos_not_required", test_kerberos_not_required);
    run_test("kerberos_plain_http", test_kerberos_plain_http);
    run_test("ntlm_bound", test_ntlm_bound);
    run_test("ntlm_mismatch", test_ntlm_mismatch);
    run_test("ntlm_plain_http", test_ntlm_plain_http);
    return test_summary();
}
