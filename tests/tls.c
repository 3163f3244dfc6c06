/*
 * https through WinHTTP against the TLS peers of tests/peers/tls (nginx with
 * a private test CA, which tools/run-tests puts in the test prefix's machine
 * ROOT store for the run): trust from the certificate stores, Windows'
 * validation rules with the exact WINHTTP_CALLBACK_STATUS_SECURE_FAILURE
 * flags, SECURITY_FLAG_IGNORE_*, the certificate options, protocol
 * versions, revocation, verified-once sessions, client certificates and the
 * KB909425 issuer-list flow.
 */
#include "test.h"
#include <winhttp.h>
#include <wincrypt.h>
#define SECURITY_WIN32
#include <sspi.h>
#include <schannel.h>
#include "peers.h"

#ifndef WINHTTP_CALLBACK_STATUS_FLAG_CERT_WRONG_USAGE
#define WINHTTP_CALLBACK_STATUS_FLAG_CERT_WRONG_USAGE 0x00000040
#endif

#define FLAG_REV_FAILED   WINHTTP_CALLBACK_STATUS_FLAG_CERT_REV_FAILED
#define FLAG_REVOKED      WINHTTP_CALLBACK_STATUS_FLAG_CERT_REVOKED
#define FLAG_INVALID_CA   WINHTTP_CALLBACK_STATUS_FLAG_INVALID_CA
#define FLAG_CN_INVALID   WINHTTP_CALLBACK_STATUS_FLAG_CERT_CN_INVALID
#define FLAG_DATE_INVALID WINHTTP_CALLBACK_STATUS_FLAG_CERT_DATE_INVALID
#define FLAG_WRONG_USAGE  WINHTTP_CALLBACK_STATUS_FLAG_CERT_WRONG_USAGE

static int port_valid, port_expired, port_wronghost, port_selfsigned, port_wrongusage, port_revoked, port_chain,
           port_storeca, port_badsig, port_reneg, port_clientcert, port_tls10, port_crl, port_ocsp, port_ocspgood, port_ocsprevoked, nginx_port, squid_port;

/* What the status callback saw. */
struct secure_failure
{
    LONG count;
    DWORD flags;
    DWORD info_len;
};
static struct secure_failure failure;

static void CALLBACK secure_callback(HINTERNET handle, DWORD_PTR context, DWORD status, void *info, DWORD len)
{
    if (status != WINHTTP_CALLBACK_STATUS_SECURE_FAILURE) return;
    InterlockedIncrement(&failure.count);
    failure.flags = info ? *(DWORD *)info : 0xdeadbeef;
    failure.info_len = len;
}

struct result
{
    DWORD error;            /* of WinHttpSendRequest or WinHttpReceiveResponse, 0 on success */
    DWORD status;
    char body[512];
    LONG failures;          /* SECURE_FAILURE callbacks */
    DWORD flags;            /* their flags */
};

static HINTERNET open_session(void)
{
    HINTERNET s = WinHttpOpen(L"winhttp-tests", WINHTTP_ACCESS_TYPE_NO_PROXY, NULL, NULL, 0);
    ok(s != NULL, "WinHttpOpen failed: %lu\n", GetLastError());
    return s;
}

static HINTERNET open_request(HINTERNET session, const WCHAR *host, int port, const WCHAR *path, HINTERNET *connect)
{
    HINTERNET request;

    *connect = WinHttpConnect(session, host, (INTERNET_PORT)port, 0);
    ok(*connect != NULL, "WinHttpConnect failed: %lu\n", GetLastError());
    request = WinHttpOpenRequest(*connect, L"GET", path, NULL, NULL, NULL, WINHTTP_FLAG_SECURE);
    ok(request != NULL, "WinHttpOpenRequest failed: %lu\n", GetLastError());
    WinHttpSetStatusCallback(request, secure_callback, WINHTTP_CALLBACK_FLAG_SECURE_FAILURE, 0);
    return request;
}

static void set_dword(HINTERNET handle, DWORD option, DWORD value)
{
    ok(WinHttpSetOption(handle, option, &value, sizeof(value)), "WinHttpSetOption(%lu) failed: %lu\n", option,
       GetLastError());
}

/* Send, receive, read; the request stays open for queries. */
static void run_request(HINTERNET request, struct result *r)
{
    DWORD size, n, len = 0;

    memset(r, 0, sizeof(*r));
    memset(&failure, 0, sizeof(failure));
    if (!WinHttpSendRequest(request, NULL, 0, NULL, 0, 0, 0) || !WinHttpReceiveResponse(request, NULL))
        r->error = GetLastError();
    else
    {
        size = sizeof(r->status);
        WinHttpQueryHeaders(request, WINHTTP_QUERY_STATUS_CODE | WINHTTP_QUERY_FLAG_NUMBER, NULL, &r->status, &size, NULL);
        while (len < sizeof(r->body) - 1 && WinHttpReadData(request, r->body + len, sizeof(r->body) - 1 - len, &n) && n)
            len += n;
    }
    r->failures = failure.count;
    r->flags = failure.flags;
}

/* One GET in a new session, with security_flags set on the request. */
static void fetch(const WCHAR *host, int port, const WCHAR *path, DWORD security_flags, struct result *r)
{
    HINTERNET session = open_session(), connect, request;

    request = open_request(session, host, port, path, &connect);
    if (security_flags) set_dword(request, WINHTTP_OPTION_SECURITY_FLAGS, security_flags);
    run_request(request, r);
    WinHttpCloseHandle(request);
    WinHttpCloseHandle(connect);
    WinHttpCloseHandle(session);
}

#define check_ok(r, expect_body) check_ok_(__LINE__, r, expect_body)
static void check_ok_(int line, const struct result *r, const char *expect_body)
{
    test_report(!r->error && r->status == 200 && !r->failures && (!expect_body || !strcmp(r->body, expect_body)),
                __FILE__, line, "expected 200 \"%s\", got error %lu status %lu body \"%s\" (%ld secure failures, %#lx)",
                expect_body ? expect_body : "*", r->error, r->status, r->body, r->failures, r->flags);
}

#define check_failure(r, expect_flags) check_failure_(__LINE__, r, expect_flags)
static void check_failure_(int line, const struct result *r, DWORD expect_flags)
{
    test_report(r->error == ERROR_WINHTTP_SECURE_FAILURE && r->failures == 1 && r->flags == expect_flags, __FILE__, line,
                "expected ERROR_WINHTTP_SECURE_FAILURE with flags %#lx, got error %lu, %ld callbacks, flags %#lx",
                expect_flags, r->error, r->failures, r->flags);
}

static BOOL have_peers(void)
{
    if (port_valid) return TRUE;
    skip("no TLS peers (run through tools/run-tests)\n");
    return FALSE;
}

/* ------------------------------------------------------------------ */

static void test_valid_server(void)
{
    struct result r;

    if (!have_peers()) return;
    fetch(L"localhost", port_valid, L"/", 0, &r);
    check_ok(&r, "tls valid\n");
    fetch(L"127.0.0.1", port_valid, L"/", 0, &r);
    check_ok(&r, "tls valid\n");
    fetch(L"localhost", port_valid, L"/static/small.txt", 0, &r);
    check_ok(&r, PEER_SMALL_TEXT);
    /* An intermediate CA sent along with the server's certificate. */
    fetch(L"localhost", port_chain, L"/", 0, &r);
    check_ok(&r, "tls chain\n");
}

static void test_keep_alive(void)
{
    HINTERNET session, connect, request;
    struct result r;
    int i;

    if (!have_peers()) return;
    session = open_session();
    connect = WinHttpConnect(session, L"localhost", (INTERNET_PORT)port_valid, 0);
    for (i = 0; i < 3; i++)
    {
        request = WinHttpOpenRequest(connect, L"GET", L"/static/text.txt", NULL, NULL, NULL, WINHTTP_FLAG_SECURE);
        run_request(request, &r);
        ok(!r.error && r.status == 200, "request %d: error %lu status %lu\n", i, r.error, r.status);
        ok(!memcmp(r.body, PEER_SMALL_TEXT, PEER_SMALL_LEN), "request %d: body \"%.20s\"\n", i, r.body);
        WinHttpCloseHandle(request);
    }
    WinHttpCloseHandle(connect);
    WinHttpCloseHandle(session);
}

static void test_bad_certificates(void)
{
    struct result r;

    if (!have_peers()) return;
    fetch(L"localhost", port_expired, L"/", 0, &r);
    check_failure(&r, FLAG_DATE_INVALID);
    fetch(L"localhost", port_wronghost, L"/", 0, &r);
    check_failure(&r, FLAG_CN_INVALID);
    fetch(L"localhost", port_selfsigned, L"/", 0, &r);
    check_failure(&r, FLAG_INVALID_CA);
    fetch(L"localhost", port_wrongusage, L"/", 0, &r);
    check_failure(&r, FLAG_WRONG_USAGE);
    /* The valid certificate names neither this host nor this address. */
    fetch(L"127.0.0.2", port_valid, L"/", 0, &r);
    if (r.error != ERROR_WINHTTP_CANNOT_CONNECT) check_failure(&r, FLAG_CN_INVALID);
    /* Every problem at once. */
    fetch(L"127.0.0.2", port_expired, L"/", 0, &r);
    if (r.error != ERROR_WINHTTP_CANNOT_CONNECT) check_failure(&r, FLAG_DATE_INVALID | FLAG_CN_INVALID);
    /* Its issuer is trusted, its signature is wrong: no flag makes that right. */
    fetch(L"localhost", port_badsig, L"/", 0, &r);
    check_failure(&r, WINHTTP_CALLBACK_STATUS_FLAG_INVALID_CERT);
    fetch(L"localhost", port_badsig, L"/", SECURITY_FLAG_IGNORE_ALL_CERT_ERRORS, &r);
    check_failure(&r, WINHTTP_CALLBACK_STATUS_FLAG_INVALID_CERT);
    /* Revocation is only checked when asked for. */
    fetch(L"localhost", port_revoked, L"/", 0, &r);
    check_ok(&r, "tls revoked\n");
}

static void test_ignore_flags(void)
{
    struct result r;

    if (!have_peers()) return;
    fetch(L"localhost", port_expired, L"/", SECURITY_FLAG_IGNORE_CERT_DATE_INVALID, &r);
    check_ok(&r, "tls expired\n");
    fetch(L"localhost", port_wronghost, L"/", SECURITY_FLAG_IGNORE_CERT_CN_INVALID, &r);
    check_ok(&r, "tls wronghost\n");
    fetch(L"localhost", port_selfsigned, L"/", SECURITY_FLAG_IGNORE_UNKNOWN_CA, &r);
    check_ok(&r, "tls selfsigned\n");
    fetch(L"localhost", port_wrongusage, L"/", SECURITY_FLAG_IGNORE_CERT_WRONG_USAGE, &r);
    check_ok(&r, "tls wrongusage\n");
    fetch(L"localhost", port_selfsigned, L"/", SECURITY_FLAG_IGNORE_ALL_CERT_ERRORS, &r);
    check_ok(&r, "tls selfsigned\n");
    /* Exactly what is named, nothing else. */
    fetch(L"localhost", port_expired, L"/", SECURITY_FLAG_IGNORE_CERT_CN_INVALID | SECURITY_FLAG_IGNORE_UNKNOWN_CA |
          SECURITY_FLAG_IGNORE_CERT_WRONG_USAGE, &r);
    check_failure(&r, FLAG_DATE_INVALID);
    fetch(L"localhost", port_selfsigned, L"/", SECURITY_FLAG_IGNORE_CERT_DATE_INVALID |
          SECURITY_FLAG_IGNORE_CERT_CN_INVALID, &r);
    check_failure(&r, FLAG_INVALID_CA);
    fetch(L"127.0.0.2", port_expired, L"/", SECURITY_FLAG_IGNORE_CERT_CN_INVALID, &r);
    if (r.error != ERROR_WINHTTP_CANNOT_CONNECT) check_failure(&r, FLAG_DATE_INVALID);
}

/* The application looks at the certificate, then decides to go on. */
static void test_ignore_after_failure(void)
{
    HINTERNET session, connect, request;
    struct result r;

    if (!have_peers()) return;
    session = open_session();
    request = open_request(session, L"localhost", port_selfsigned, L"/", &connect);
    run_request(request, &r);
    check_failure(&r, FLAG_INVALID_CA);
    set_dword(request, WINHTTP_OPTION_SECURITY_FLAGS, SECURITY_FLAG_IGNORE_UNKNOWN_CA);
    run_request(request, &r);
    check_ok(&r, "tls selfsigned\n");
    WinHttpCloseHandle(request);
    WinHttpCloseHandle(connect);
    WinHttpCloseHandle(session);
}

/* WinHTTP Security Considerations: a certificate verified in a session
 * stays verified for it, whatever the flags say afterwards. */
static void test_verified_once_per_session(void)
{
    HINTERNET session, connect, request;
    struct result r;

    if (!have_peers()) return;
    session = open_session();
    request = open_request(session, L"localhost", port_expired, L"/", &connect);
    set_dword(request, WINHTTP_OPTION_SECURITY_FLAGS, SECURITY_FLAG_IGNORE_CERT_DATE_INVALID);
    set_dword(request, WINHTTP_OPTION_DISABLE_FEATURE, WINHTTP_DISABLE_KEEP_ALIVE);
    run_request(request, &r);
    check_ok(&r, "tls expired\n");
    WinHttpCloseHandle(request);

    request = WinHttpOpenRequest(connect, L"GET", L"/", NULL, NULL, NULL, WINHTTP_FLAG_SECURE);
    WinHttpSetStatusCallback(request, secure_callback, WINHTTP_CALLBACK_FLAG_SECURE_FAILURE, 0);
    run_request(request, &r);
    check_ok(&r, "tls expired\n");
    WinHttpCloseHandle(request);
    WinHttpCloseHandle(connect);
    WinHttpCloseHandle(session);

    /* A new session verifies again. */
    fetch(L"localhost", port_expired, L"/", 0, &r);
    check_failure(&r, FLAG_DATE_INVALID);
}

/* ------------------------------------------------------------------ */
/* Trust comes from the certificate stores                             */

/* The second root of the PKI (storeca.pem), which nothing trusts. */
static const CERT_CONTEXT *load_store_ca(void)
{
    const CERT_CONTEXT *cert = NULL;
    char path[MAX_PATH], *pem;
    const char *dir = getenv("WINHTTP_TEST_TLS_DIR");
    DWORD der_len = 0;
    size_t len;
    BYTE *der;

    if (!dir) return NULL;
    snprintf(path, sizeof(path), "%s/pki/storeca.pem", dir);
    if (!(pem = peer_read_file_len(path, &len))) return NULL;
    if (CryptStringToBinaryA(pem, len, CRYPT_STRING_BASE64HEADER, NULL, &der_len, NULL, NULL) &&
        (der = malloc(der_len)))
    {
        if (CryptStringToBinaryA(pem, len, CRYPT_STRING_BASE64HEADER, der, &der_len, NULL, NULL))
            cert = CertCreateCertificateContext(X509_ASN_ENCODING, der, der_len);
        free(der);
    }
    free(pem);
    return cert;
}

/* Remove cert from the user's ROOT store; how many copies went.  Through
 * the registry store: Wine 8 does not carry a deletion made through the
 * "ROOT" system store (a collection) over to the registry. */
static int remove_from_root(const CERT_CONTEXT *cert)
{
    HCERTSTORE store = CertOpenStore(CERT_STORE_PROV_SYSTEM_REGISTRY_W, 0, 0, CERT_SYSTEM_STORE_CURRENT_USER, L"ROOT");
    const CERT_CONTEXT *found;
    int removed = 0;

    ok(store != NULL, "cannot open the user's ROOT registry store: %lu\n", GetLastError());
    if (!store) return 0;
    while ((found = CertFindCertificateInStore(store, X509_ASN_ENCODING, 0, CERT_FIND_EXISTING, cert, NULL)))
    {
        if (!CertDeleteCertificateFromStore(found)) break;
        removed++;
    }
    ok(CertCloseStore(store, 0), "CertCloseStore failed: %lu\n", GetLastError());
    return removed;
}

/* What Windows trusts is what its certificate stores say: a root a program
 * adds to ROOT is trusted from then on, and no longer once removed.  Each
 * step is a new session (a session verifies a server once). */
static void test_root_store(void)
{
    const CERT_CONTEXT *ca;
    HCERTSTORE root;
    struct result r;

    if (!have_peers()) return;
    if (!port_storeca || !(ca = load_store_ca()))
    {
        ok(0, "no STORECA peer or no storeca.pem\n");
        return;
    }
    remove_from_root(ca);   /* left over by an interrupted run */

    fetch(L"localhost", port_storeca, L"/", 0, &r);
    check_failure(&r, FLAG_INVALID_CA);

    root = CertOpenSystemStoreW(0, L"ROOT");
    ok(root != NULL, "CertOpenSystemStore(ROOT) failed: %lu\n", GetLastError());
    ok(CertAddCertificateContextToStore(root, ca, CERT_STORE_ADD_REPLACE_EXISTING, NULL),
       "CertAddCertificateContextToStore failed: %lu\n", GetLastError());
    ok(CertCloseStore(root, 0), "CertCloseStore failed: %lu\n", GetLastError());

    fetch(L"localhost", port_storeca, L"/", 0, &r);
    check_ok(&r, "tls storeca\n");
    fetch(L"127.0.0.1", port_storeca, L"/", 0, &r);
    check_ok(&r, "tls storeca\n");
    /* Trusted, and still checked: the name is not the server's. */
    fetch(L"127.0.0.2", port_storeca, L"/", 0, &r);
    if (r.error != ERROR_WINHTTP_CANNOT_CONNECT) check_failure(&r, FLAG_CN_INVALID);

    ok(remove_from_root(ca) == 1, "the root was not in the user's ROOT registry store\n");
    fetch(L"localhost", port_storeca, L"/", 0, &r);
    check_failure(&r, FLAG_INVALID_CA);
    /* As ever, an application may choose to go on. */
    fetch(L"localhost", port_storeca, L"/", SECURITY_FLAG_IGNORE_UNKNOWN_CA, &r);
    check_ok(&r, "tls storeca\n");
    CertFreeCertificateContext(ca);
}

static void test_server_cert_context(void)
{
    HINTERNET session, connect, request;
    const CERT_CONTEXT *cert = NULL;
    WCHAR name[256];
    DWORD size, count;
    struct result r;

    if (!have_peers()) return;
    session = open_session();
    request = open_request(session, L"localhost", port_chain, L"/", &connect);
    size = sizeof(cert);
    ok(!WinHttpQueryOption(request, WINHTTP_OPTION_SERVER_CERT_CONTEXT, &cert, &size), "query before sending succeeded\n");
    run_request(request, &r);
    check_ok(&r, "tls chain\n");

    size = sizeof(cert);
    ok(WinHttpQueryOption(request, WINHTTP_OPTION_SERVER_CERT_CONTEXT, &cert, &size),
       "WINHTTP_OPTION_SERVER_CERT_CONTEXT failed: %lu\n", GetLastError());
    ok_u(size, sizeof(cert));
    if (cert)
    {
        CertGetNameStringW(cert, CERT_NAME_SIMPLE_DISPLAY_TYPE, 0, NULL, name, ARRAYSIZE(name));
        ok_wstr(name, L"localhost");
        CertGetNameStringW(cert, CERT_NAME_SIMPLE_DISPLAY_TYPE, CERT_NAME_ISSUER_FLAG, NULL, name, ARRAYSIZE(name));
        ok_wstr(name, L"WinHTTP Test Intermediate CA");
        CertGetNameStringW(cert, CERT_NAME_DNS_TYPE, 0, NULL, name, ARRAYSIZE(name));
        ok_wstr(name, L"localhost");
        /* The intermediate the server sent is in the context's store. */
        const CERT_CONTEXT *c = NULL;
        for (count = 0; (c = CertEnumCertificatesInStore(cert->hCertStore, c)); ) count++;
        ok_u(count, 2);
        CertFreeCertificateContext(cert);
    }
    WinHttpCloseHandle(request);
    WinHttpCloseHandle(connect);
    WinHttpCloseHandle(session);
}

static void test_certificate_struct(void)
{
    HINTERNET session, connect, request;
    WINHTTP_CERTIFICATE_INFO info;
    DWORD size, bits = 0, flags = 0;
    struct result r;

    if (!have_peers()) return;
    session = open_session();
    request = open_request(session, L"localhost", port_valid, L"/", &connect);
    run_request(request, &r);
    check_ok(&r, "tls valid\n");

    memset(&info, 0xcc, sizeof(info));
    size = sizeof(info);
    if (WinHttpQueryOption(request, WINHTTP_OPTION_SECURITY_CERTIFICATE_STRUCT, &info, &size))
    {
        ok_u(size, sizeof(info));
        ok(info.lpszSubjectInfo && wcsstr(info.lpszSubjectInfo, L"localhost"), "subject %ls\n",
           info.lpszSubjectInfo ? info.lpszSubjectInfo : L"(null)");
        ok(info.lpszSubjectInfo && wcsstr(info.lpszSubjectInfo, L"winhttp-for-wine tests\r\n"), "subject %ls\n",
           info.lpszSubjectInfo ? info.lpszSubjectInfo : L"(null)");
        ok(info.lpszIssuerInfo && wcsstr(info.lpszIssuerInfo, L"WinHTTP Test Root CA"), "issuer %ls\n",
           info.lpszIssuerInfo ? info.lpszIssuerInfo : L"(null)");
        /* Documented as not set. */
        ok(!info.lpszProtocolName && !info.lpszSignatureAlgName && !info.lpszEncryptionAlgName, "names set\n");
        ok(CompareFileTime(&info.ftStart, &info.ftExpiry) < 0, "start after expiry\n");
        LocalFree(info.lpszSubjectInfo);
        LocalFree(info.lpszIssuerInfo);
    }
    else ok(0, "WINHTTP_OPTION_SECURITY_CERTIFICATE_STRUCT failed: %lu\n", GetLastError());

    size = sizeof(bits);
    ok(WinHttpQueryOption(request, WINHTTP_OPTION_SECURITY_KEY_BITNESS, &bits, &size),
       "WINHTTP_OPTION_SECURITY_KEY_BITNESS failed: %lu\n", GetLastError());
    ok(bits == 128 || bits == 256, "key bitness %lu\n", bits);

    size = sizeof(flags);
    ok(WinHttpQueryOption(request, WINHTTP_OPTION_SECURITY_FLAGS, &flags, &size),
       "WINHTTP_OPTION_SECURITY_FLAGS failed: %lu\n", GetLastError());
    ok((flags & (SECURITY_FLAG_SECURE | SECURITY_FLAG_STRENGTH_STRONG)) == (SECURITY_FLAG_SECURE | SECURITY_FLAG_STRENGTH_STRONG),
       "security flags %#lx\n", flags);
    WinHttpCloseHandle(request);
    WinHttpCloseHandle(connect);
    WinHttpCloseHandle(session);
}

/* WINHTTP_OPTION_SERVER_CBT: RFC 5929 tls-server-end-point, the SHA-256 of
 * the (ECDSA-SHA256 signed) certificate. */
static void test_channel_binding(void)
{
    static const char prefix[] = "tls-server-end-point:";
    HINTERNET session, connect, request;
    const CERT_CONTEXT *cert = NULL;
    SecPkgContext_Bindings *b;
    SEC_CHANNEL_BINDINGS *cb;
    BYTE buf[512], hash[32];
    DWORD size, hash_len = sizeof(hash);
    struct result r;

    if (!have_peers()) return;
    session = open_session();
    request = open_request(session, L"localhost", port_valid, L"/", &connect);
    run_request(request, &r);
    check_ok(&r, "tls valid\n");
    size = 0;
    ok(!WinHttpQueryOption(request, WINHTTP_OPTION_SERVER_CBT, NULL, &size) &&
       GetLastError() == ERROR_INSUFFICIENT_BUFFER, "size query: error %lu\n", GetLastError());
    ok(size > sizeof(*b) + sizeof(*cb) && size <= sizeof(buf), "size %lu\n", size);
    size = sizeof(buf);
    if (WinHttpQueryOption(request, WINHTTP_OPTION_SERVER_CBT, buf, &size))
    {
        b = (SecPkgContext_Bindings *)buf;
        cb = b->Bindings;
        ok(cb && b->BindingsLength == sizeof(*cb) + sizeof(prefix) - 1 + 32, "bindings length %lu\n", b->BindingsLength);
        if (cb && cb->cbApplicationDataLength == sizeof(prefix) - 1 + 32)
        {
            const BYTE *app = (const BYTE *)cb + cb->dwApplicationDataOffset;
            ok(!memcmp(app, prefix, sizeof(prefix) - 1), "prefix %.21s\n", (const char *)app);
            size = sizeof(cert);
            if (WinHttpQueryOption(request, WINHTTP_OPTION_SERVER_CERT_CONTEXT, &cert, &size) && cert)
            {
                CryptHashCertificate2(L"SHA256", 0, NULL, cert->pbCertEncoded, cert->cbCertEncoded, hash, &hash_len);
                ok(!memcmp(app + sizeof(prefix) - 1, hash, 32), "binding is not the certificate's SHA-256\n");
                CertFreeCertificateContext(cert);
            }
        }
        else ok(0, "application data length %lu\n", cb ? cb->cbApplicationDataLength : 0);
    }
    else ok(0, "WINHTTP_OPTION_SERVER_CBT failed: %lu\n", GetLastError());
    WinHttpCloseHandle(request);
    WinHttpCloseHandle(connect);
    WinHttpCloseHandle(session);
}

static void test_protocols(void)
{
    HINTERNET session, connect, request;
    struct result r;

    if (!have_peers()) return;
    /* TLS 1.0 is not offered unless the application enables it: "an
     * incompatible SSL protocol" (ERROR_WINHTTP_CONNECTION_ERROR). */
    fetch(L"localhost", port_tls10, L"/", 0, &r);
    ok(r.error == ERROR_WINHTTP_CONNECTION_ERROR, "expected ERROR_WINHTTP_CONNECTION_ERROR, got %lu\n", r.error);
    ok(!r.failures, "%ld secure failure callbacks\n", r.failures);

    session = open_session();
    set_dword(session, WINHTTP_OPTION_SECURE_PROTOCOLS, WINHTTP_FLAG_SECURE_PROTOCOL_TLS1 |
              WINHTTP_FLAG_SECURE_PROTOCOL_TLS1_2);
    request = open_request(session, L"localhost", port_tls10, L"/", &connect);
    run_request(request, &r);
    ok(!r.error && r.status == 200, "TLS 1.0 when enabled: error %lu status %lu\n", r.error, r.status);
    WinHttpCloseHandle(request);
    WinHttpCloseHandle(connect);
    WinHttpCloseHandle(session);

    /* SSL 3.0 is never negotiated: asking for it alone leaves nothing. */
    session = open_session();
    set_dword(session, WINHTTP_OPTION_SECURE_PROTOCOLS, WINHTTP_FLAG_SECURE_PROTOCOL_SSL3);
    request = open_request(session, L"localhost", port_valid, L"/", &connect);
    run_request(request, &r);
    ok(r.error == ERROR_WINHTTP_CONNECTION_ERROR, "expected ERROR_WINHTTP_CONNECTION_ERROR, got %lu\n", r.error);
    ok(!r.failures, "%ld secure failure callbacks\n", r.failures);
    WinHttpCloseHandle(request);
    WinHttpCloseHandle(connect);
    WinHttpCloseHandle(session);

    session = open_session();
    set_dword(session, WINHTTP_OPTION_SECURE_PROTOCOLS, WINHTTP_FLAG_SECURE_PROTOCOL_TLS1_2);
    request = open_request(session, L"localhost", port_valid, L"/", &connect);
    run_request(request, &r);
    check_ok(&r, "tls valid\n");
    WinHttpCloseHandle(request);
    WinHttpCloseHandle(connect);
    WinHttpCloseHandle(session);
}

/* https to a server that speaks plain HTTP: a failure of the secure channel
 * (SEC_E_*, ERROR_WINHTTP_SECURE_CHANNEL_ERROR), not of a certificate. */
static void test_not_tls(void)
{
    struct result r;

    if (!have_peers() || !nginx_port) return;
    fetch(L"127.0.0.1", nginx_port, L"/", 0, &r);
    ok(r.error == ERROR_WINHTTP_SECURE_CHANNEL_ERROR, "expected ERROR_WINHTTP_SECURE_CHANNEL_ERROR, got %lu\n", r.error);
    ok(!r.failures, "%ld secure failure callbacks\n", r.failures);
}

static void test_revocation(void)
{
    HINTERNET session, connect, request;
    struct result r;

    if (!have_peers()) return;
    session = open_session();
    request = open_request(session, L"localhost", port_revoked, L"/", &connect);
    set_dword(request, WINHTTP_OPTION_ENABLE_FEATURE, WINHTTP_ENABLE_SSL_REVOCATION);
    run_request(request, &r);
    check_failure(&r, FLAG_REVOKED);
    WinHttpCloseHandle(request);

    request = WinHttpOpenRequest(connect, L"GET", L"/", NULL, NULL, NULL, WINHTTP_FLAG_SECURE);
    WinHttpSetStatusCallback(request, secure_callback, WINHTTP_CALLBACK_FLAG_SECURE_FAILURE, 0);
    set_dword(request, WINHTTP_OPTION_SECURITY_FLAGS, SECURITY_FLAG_IGNORE_ALL_CERT_ERRORS);
    set_dword(request, WINHTTP_OPTION_ENABLE_FEATURE, WINHTTP_ENABLE_SSL_REVOCATION);
    run_request(request, &r);
    /* No IGNORE flag covers revocation. */
    check_failure(&r, FLAG_REVOKED);
    WinHttpCloseHandle(request);
    WinHttpCloseHandle(connect);

    request = open_request(session, L"localhost", port_valid, L"/", &connect);
    set_dword(request, WINHTTP_OPTION_ENABLE_FEATURE, WINHTTP_ENABLE_SSL_REVOCATION);
    run_request(request, &r);
    check_ok(&r, "tls valid\n");
    WinHttpCloseHandle(request);
    WinHttpCloseHandle(connect);
    WinHttpCloseHandle(session);
}

/* A certificate that names an OCSP responder is checked there. */
static void test_revocation_ocsp(void)
{
    HINTERNET session, connect, request;
    struct result r;

    if (!have_peers()) return;
    if (!port_ocsp)
    {
        skip("no OCSP responder (openssl is not installed)\n");
        return;
    }
    session = open_session();
    request = open_request(session, L"localhost", port_ocspgood, L"/", &connect);
    set_dword(request, WINHTTP_OPTION_ENABLE_FEATURE, WINHTTP_ENABLE_SSL_REVOCATION);
    run_request(request, &r);
    check_ok(&r, "tls ocspgood\n");
    WinHttpCloseHandle(request);
    WinHttpCloseHandle(connect);

    request = open_request(session, L"localhost", port_ocsprevoked, L"/", &connect);
    set_dword(request, WINHTTP_OPTION_ENABLE_FEATURE, WINHTTP_ENABLE_SSL_REVOCATION);
    run_request(request, &r);
    check_failure(&r, FLAG_REVOKED);
    WinHttpCloseHandle(request);
    WinHttpCloseHandle(connect);
    WinHttpCloseHandle(session);

    /* Not asked for: not checked. */
    fetch(L"localhost", port_ocsprevoked, L"/", 0, &r);
    check_ok(&r, "tls ocsprevoked\n");
}

/* The CRL comes the way everything of the session comes: through its
 * proxy (here squid, which also tunnels the https). */
static void test_revocation_through_proxy(void)
{
    HINTERNET session, connect, request;
    WCHAR proxy[64];
    char marker[64];
    struct result r;

    if (!have_peers() || !squid_port || !port_crl) return;
    swprintf(proxy, ARRAYSIZE(proxy), L"127.0.0.1:%d", squid_port);
    session = WinHttpOpen(L"winhttp-tests", WINHTTP_ACCESS_TYPE_NAMED_PROXY, proxy, WINHTTP_NO_PROXY_BYPASS, 0);
    request = open_request(session, L"localhost", port_revoked, L"/", &connect);
    set_dword(request, WINHTTP_OPTION_ENABLE_FEATURE, WINHTTP_ENABLE_SSL_REVOCATION);
    run_request(request, &r);
    check_failure(&r, FLAG_REVOKED);
    snprintf(marker, sizeof(marker), "127.0.0.1:%d/ca.crl", port_crl);
    ok(peer_wait_log("WINHTTP_TEST_SQUID_ACCESS_LOG", marker, 1, 3000) >= 1, "the CRL was not fetched through the proxy\n");
    WinHttpCloseHandle(request);
    WinHttpCloseHandle(connect);
    WinHttpCloseHandle(session);
}

/* KB915787: the revocation check must not fail just because the proxy
 * wants credentials: the CRL fetch uses the session's proxy credentials
 * (WINHTTP_OPTION_PROXY_USERNAME/PASSWORD on the session), like the tunnel. */
static void test_revocation_through_auth_proxy(void)
{
    int auth_proxy = peer_port("WINHTTP_TEST_AUTH_SQUID_PORT");
    WCHAR proxy[64], user[64], password[64];
    HINTERNET session, connect, request;
    char marker[64];
    struct result r;

    if (!have_peers() || !auth_proxy || !port_crl ||
        !GetEnvironmentVariableW(L"WINHTTP_TEST_AUTH_PROXY_USER", user, ARRAYSIZE(user)) ||
        !GetEnvironmentVariableW(L"WINHTTP_TEST_AUTH_PROXY_PASSWORD", password, ARRAYSIZE(password)))
    {
        skip("no authenticating proxy\n");
        return;
    }
    swprintf(proxy, ARRAYSIZE(proxy), L"127.0.0.1:%d", auth_proxy);
    session = WinHttpOpen(L"winhttp-tests", WINHTTP_ACCESS_TYPE_NAMED_PROXY, proxy, WINHTTP_NO_PROXY_BYPASS, 0);
    ok(WinHttpSetOption(session, WINHTTP_OPTION_PROXY_USERNAME, user, lstrlenW(user)), "proxy user %lu\n", GetLastError());
    ok(WinHttpSetOption(session, WINHTTP_OPTION_PROXY_PASSWORD, password, lstrlenW(password)), "proxy password %lu\n",
       GetLastError());

    /* A revoked certificate is caught: the CRL came through the proxy. */
    request = open_request(session, L"localhost", port_revoked, L"/", &connect);
    set_dword(request, WINHTTP_OPTION_ENABLE_FEATURE, WINHTTP_ENABLE_SSL_REVOCATION);
    run_request(request, &r);
    check_failure(&r, FLAG_REVOKED);
    snprintf(marker, sizeof(marker), "127.0.0.1:%d/ca.crl", port_crl);
    ok(peer_wait_log("WINHTTP_TEST_AUTH_SQUID_ACCESS_LOG", marker, 1, 3000) >= 1,
       "the CRL was not fetched through the authenticating proxy\n");
    WinHttpCloseHandle(request);
    WinHttpCloseHandle(connect);

    /* A good certificate with revocation checking passes. */
    request = open_request(session, L"localhost", port_valid, L"/", &connect);
    set_dword(request, WINHTTP_OPTION_ENABLE_FEATURE, WINHTTP_ENABLE_SSL_REVOCATION);
    run_request(request, &r);
    check_ok(&r, "tls valid\n");
    WinHttpCloseHandle(request);
    WinHttpCloseHandle(connect);
    WinHttpCloseHandle(session);
}

/* ------------------------------------------------------------------ */
/* Client certificates                                                 */

static BOOL issuer_has(const SecPkgContext_IssuerListInfoEx *list, const WCHAR *cn)
{
    WCHAR name[512];
    DWORD i;

    for (i = 0; i < list->cIssuers; i++)
    {
        CertNameToStrW(X509_ASN_ENCODING, &list->aIssuers[i], CERT_SIMPLE_NAME_STR, name, ARRAYSIZE(name));
        if (wcsstr(name, cn)) return TRUE;
    }
    return FALSE;
}

static void test_client_cert_needed(void)
{
    SecPkgContext_IssuerListInfoEx *list = NULL;
    HINTERNET session, connect, request;
    DWORD size;
    struct result r;

    if (!have_peers()) return;
    session = open_session();
    request = open_request(session, L"localhost", port_clientcert, L"/", &connect);
    run_request(request, &r);
    ok(r.error == ERROR_WINHTTP_CLIENT_AUTH_CERT_NEEDED, "expected ERROR_WINHTTP_CLIENT_AUTH_CERT_NEEDED, got %lu\n",
       r.error);
    ok(!r.failures, "%ld secure failure callbacks\n", r.failures);

    size = sizeof(list);
    ok(WinHttpQueryOption(request, WINHTTP_OPTION_CLIENT_CERT_ISSUER_LIST, &list, &size),
       "WINHTTP_OPTION_CLIENT_CERT_ISSUER_LIST failed: %lu\n", GetLastError());
    if (list)
    {
        ok_u(list->cIssuers, 2);
        ok(issuer_has(list, L"WinHTTP Test Client CA One"), "first client CA not named\n");
        ok(issuer_has(list, L"WinHTTP Test Client CA Two"), "second client CA not named\n");
        /* One block: this frees everything (KB909425). */
        ok(GlobalFree(list) == NULL, "GlobalFree failed\n");
    }

    /* The server asks but does not insist: go on without. */
    ok(WinHttpSetOption(request, WINHTTP_OPTION_CLIENT_CERT_CONTEXT, WINHTTP_NO_CLIENT_CERT_CONTEXT, 0),
       "WINHTTP_NO_CLIENT_CERT_CONTEXT failed: %lu\n", GetLastError());
    run_request(request, &r);
    check_ok(&r, "verify=NONE dn=\n");
    WinHttpCloseHandle(request);
    WinHttpCloseHandle(connect);
    WinHttpCloseHandle(session);
}

/* The client certificate's PKCS #12 file, which peer-start names. */
static BOOL read_pfx(CRYPT_DATA_BLOB *blob)
{
    size_t len;

    blob->pbData = (BYTE *)peer_read_file_len(getenv("WINHTTP_TEST_TLS_CLIENT_PFX"), &len);
    blob->cbData = len;
    return blob->pbData != NULL;
}

/* The KB909425 sample: ask for the issuer list, find a certificate of ours
 * a listed CA issued (CertFindChainInStore), set it, send again. */
static void test_kb909425(void)
{
    SecPkgContext_IssuerListInfoEx *list = NULL;
    CERT_CHAIN_FIND_BY_ISSUER_PARA para;
    const CERT_CHAIN_CONTEXT *chain;
    const CERT_CONTEXT *cert = NULL;
    HINTERNET session, connect, request;
    CRYPT_DATA_BLOB pfx;
    HCERTSTORE store;
    struct result r;
    DWORD size;

    if (!have_peers()) return;
    if (!read_pfx(&pfx))
    {
        ok(0, "cannot read the client certificate (WINHTTP_TEST_TLS_CLIENT_PFX)\n");
        return;
    }
    store = PFXImportCertStore(&pfx, L"test", CRYPT_USER_KEYSET);
    free(pfx.pbData);
    ok(store != NULL, "PFXImportCertStore failed: %#lx\n", GetLastError());
    if (!store) return;

    session = open_session();
    request = open_request(session, L"localhost", port_clientcert, L"/", &connect);
    run_request(request, &r);
    ok(r.error == ERROR_WINHTTP_CLIENT_AUTH_CERT_NEEDED, "expected ERROR_WINHTTP_CLIENT_AUTH_CERT_NEEDED, got %lu\n",
       r.error);
    size = sizeof(list);
    ok(WinHttpQueryOption(request, WINHTTP_OPTION_CLIENT_CERT_ISSUER_LIST, &list, &size),
       "WINHTTP_OPTION_CLIENT_CERT_ISSUER_LIST failed: %lu\n", GetLastError());
    if (list)
    {
        memset(&para, 0, sizeof(para));
        para.cbSize = sizeof(para);
        para.cIssuer = list->cIssuers;
        para.rgIssuer = list->aIssuers;
        chain = CertFindChainInStore(store, X509_ASN_ENCODING, CERT_CHAIN_FIND_BY_ISSUER_CACHE_ONLY_URL_FLAG |
                                     CERT_CHAIN_FIND_BY_ISSUER_CACHE_ONLY_FLAG, CERT_CHAIN_FIND_BY_ISSUER, &para, NULL);
        if (chain)
        {
            cert = CertDuplicateCertificateContext(chain->rgpChain[0]->rgpElement[0]->pCertContext);
            CertFreeCertificateChain(chain);
        }
        else
        {
            const CERT_CONTEXT *c = NULL;
            DWORD i;

            /* Wine 8's crypt32 has CertFindChainInStore as a stub (and its
             * CERT_FIND_ISSUER_NAME matches nothing): compare the names. */
            skip("CertFindChainInStore found nothing (%#lx), comparing issuer names\n", GetLastError());
            while (!cert && (c = CertEnumCertificatesInStore(store, c)))
                for (i = 0; i < list->cIssuers && !cert; i++)
                    if (CertCompareCertificateName(X509_ASN_ENCODING, &c->pCertInfo->Issuer, &list->aIssuers[i]))
                        cert = CertDuplicateCertificateContext(c);
            if (c) CertFreeCertificateContext(c);
        }
        ok(cert != NULL, "no certificate of ours from a CA of the issuer list\n");
        GlobalFree(list);
    }
    if (cert)
    {
        ok(WinHttpSetOption(request, WINHTTP_OPTION_CLIENT_CERT_CONTEXT, (void *)cert, sizeof(*cert)),
           "WINHTTP_OPTION_CLIENT_CERT_CONTEXT failed: %lu\n", GetLastError());
        /* WinHTTP holds its own reference. */
        CertFreeCertificateContext(cert);
        run_request(request, &r);
        check_ok(&r, "verify=SUCCESS dn=CN=WinHTTP Test Client,O=winhttp-for-wine tests\n");
    }
    WinHttpCloseHandle(request);
    WinHttpCloseHandle(connect);
    WinHttpCloseHandle(session);
    CertCloseStore(store, 0);
}

/* A client key that lives only in memory (PKCS12_NO_PERSIST_KEY): no key
 * container names it, the certificate context holds the key itself. */
static void test_client_cert_memory_key(void)
{
    HINTERNET session, connect, request;
    const CERT_CONTEXT *cert;
    CRYPT_DATA_BLOB pfx;
    HCERTSTORE store;
    struct result r;
    DWORD size = 0;

    if (!have_peers()) return;
    if (!read_pfx(&pfx))
    {
        ok(0, "cannot read the client certificate (WINHTTP_TEST_TLS_CLIENT_PFX)\n");
        return;
    }
    store = PFXImportCertStore(&pfx, L"test", CRYPT_USER_KEYSET | PKCS12_NO_PERSIST_KEY);
    free(pfx.pbData);
    ok(store != NULL, "PFXImportCertStore failed: %#lx\n", GetLastError());
    if (!store) return;
    cert = CertFindCertificateInStore(store, X509_ASN_ENCODING, 0, CERT_FIND_ANY, NULL, NULL);
    ok(cert != NULL, "no certificate in the PKCS #12 file\n");
    if (cert)
    {
        ok(!CertGetCertificateContextProperty(cert, CERT_KEY_PROV_INFO_PROP_ID, NULL, &size),
           "the key is in a container\n");
        session = open_session();
        request = open_request(session, L"localhost", port_clientcert, L"/", &connect);
        ok(WinHttpSetOption(request, WINHTTP_OPTION_CLIENT_CERT_CONTEXT, (void *)cert, sizeof(*cert)),
           "WINHTTP_OPTION_CLIENT_CERT_CONTEXT failed: %lu\n", GetLastError());
        run_request(request, &r);
        check_ok(&r, "verify=SUCCESS dn=CN=WinHTTP Test Client,O=winhttp-for-wine tests\n");
        WinHttpCloseHandle(request);
        WinHttpCloseHandle(connect);
        WinHttpCloseHandle(session);
        CertFreeCertificateContext(cert);
    }
    CertCloseStore(store, 0);
}

/* ------------------------------------------------------------------ */
/* A server that asks for a client certificate by renegotiating         */

/* The client certificate of the PKCS #12 file, its key in a container. */
static const CERT_CONTEXT *load_client_cert(HCERTSTORE *store)
{
    CRYPT_DATA_BLOB pfx;

    *store = NULL;
    if (!read_pfx(&pfx)) return NULL;
    *store = PFXImportCertStore(&pfx, L"test", CRYPT_USER_KEYSET);
    free(pfx.pbData);
    if (!*store) return NULL;
    return CertFindCertificateInStore(*store, X509_ASN_ENCODING, 0, CERT_FIND_ANY, NULL, NULL);
}

/* Apache with a per-directory SSLVerifyClient (TLS 1.2): the request goes
 * out, then the server starts a new handshake that asks for a certificate.
 * Windows goes along; without a certificate the request fails with
 * ERROR_WINHTTP_CLIENT_AUTH_CERT_NEEDED, and sent again with one it works. */
static void test_renegotiation(void)
{
    HINTERNET session, connect, request;
    const CERT_CONTEXT *cert;
    HCERTSTORE store;
    WCHAR dn[256];
    DWORD size;
    struct result r;

    if (!have_peers()) return;
    if (!port_reneg)
    {
        ok(0, "no RENEG peer\n");
        return;
    }
    fetch(L"localhost", port_reneg, L"/index.txt", 0, &r);
    check_ok(&r, "apache tls\n");

    cert = load_client_cert(&store);
    ok(cert != NULL, "cannot load the client certificate\n");
    if (!cert) return;

    session = open_session();
    request = open_request(session, L"localhost", port_reneg, L"/clientcert/ok.txt", &connect);
    run_request(request, &r);
    ok(r.error == ERROR_WINHTTP_CLIENT_AUTH_CERT_NEEDED, "expected ERROR_WINHTTP_CLIENT_AUTH_CERT_NEEDED, got %lu\n",
       r.error);
    ok(!r.failures, "%ld secure failure callbacks\n", r.failures);

    ok(WinHttpSetOption(request, WINHTTP_OPTION_CLIENT_CERT_CONTEXT, (void *)cert, sizeof(*cert)),
       "WINHTTP_OPTION_CLIENT_CERT_CONTEXT failed: %lu\n", GetLastError());
    run_request(request, &r);
    check_ok(&r, "client certificate accepted\n");
    size = sizeof(dn);
    dn[0] = 0;
    ok(WinHttpQueryHeaders(request, WINHTTP_QUERY_CUSTOM, L"X-Client-DN", dn, &size, WINHTTP_NO_HEADER_INDEX),
       "no X-Client-DN: %lu\n", GetLastError());
    ok_wstr(dn, L"CN=WinHTTP Test Client,O=winhttp-for-wine tests");
    WinHttpCloseHandle(request);

    /* The server may ask again on a connection whose first request, the
     * one that set the certificate, is gone: the connection still has it
     * (it holds a reference), or says it needs one; never a crash. */
    request = WinHttpOpenRequest(connect, L"GET", L"/index.txt", NULL, NULL, NULL, WINHTTP_FLAG_SECURE);
    ok(WinHttpSetOption(request, WINHTTP_OPTION_CLIENT_CERT_CONTEXT, (void *)cert, sizeof(*cert)),
       "WINHTTP_OPTION_CLIENT_CERT_CONTEXT failed: %lu\n", GetLastError());
    run_request(request, &r);
    check_ok(&r, "apache tls\n");
    WinHttpCloseHandle(request);
    request = WinHttpOpenRequest(connect, L"GET", L"/clientcert/ok.txt", NULL, NULL, NULL, WINHTTP_FLAG_SECURE);
    run_request(request, &r);
    ok((!r.error && r.status == 200) || r.error == ERROR_WINHTTP_CLIENT_AUTH_CERT_NEEDED,
       "got error %lu status %lu\n", r.error, r.status);
    WinHttpCloseHandle(request);

    WinHttpCloseHandle(connect);
    WinHttpCloseHandle(session);
    CertFreeCertificateContext(cert);
    CertCloseStore(store, 0);
}

/* ------------------------------------------------------------------ */
/* Asynchronous mode                                                   */

struct async_state
{
    HANDLE done;
    DWORD error;            /* of WINHTTP_CALLBACK_STATUS_REQUEST_ERROR */
    DWORD_PTR api;
    LONG secure_failures;
    DWORD flags;
    BOOL sent;
};

static void CALLBACK async_callback(HINTERNET handle, DWORD_PTR context, DWORD status, void *info, DWORD len)
{
    struct async_state *st = (struct async_state *)context;
    WINHTTP_ASYNC_RESULT *result = info;

    switch (status)
    {
    case WINHTTP_CALLBACK_STATUS_SECURE_FAILURE:
        InterlockedIncrement(&st->secure_failures);
        st->flags = *(DWORD *)info;
        break;
    case WINHTTP_CALLBACK_STATUS_REQUEST_ERROR:
        st->error = result->dwError;
        st->api = result->dwResult;
        SetEvent(st->done);
        break;
    case WINHTTP_CALLBACK_STATUS_SENDREQUEST_COMPLETE:
        st->sent = TRUE;
        SetEvent(st->done);
        break;
    }
}

static void test_async_secure_failure(void)
{
    HINTERNET session, connect, request;
    struct async_state st;

    if (!have_peers()) return;
    memset(&st, 0, sizeof(st));
    st.done = CreateEventW(NULL, FALSE, FALSE, NULL);
    session = WinHttpOpen(L"winhttp-tests", WINHTTP_ACCESS_TYPE_NO_PROXY, NULL, NULL, WINHTTP_FLAG_ASYNC);
    connect = WinHttpConnect(session, L"localhost", (INTERNET_PORT)port_expired, 0);
    request = WinHttpOpenRequest(connect, L"GET", L"/", NULL, NULL, NULL, WINHTTP_FLAG_SECURE);
    WinHttpSetStatusCallback(request, async_callback, WINHTTP_CALLBACK_FLAG_SECURE_FAILURE |
                             WINHTTP_CALLBACK_FLAG_REQUEST_ERROR | WINHTTP_CALLBACK_FLAG_SENDREQUEST_COMPLETE, 0);
    ok(WinHttpSendRequest(request, NULL, 0, NULL, 0, 0, (DWORD_PTR)&st), "WinHttpSendRequest failed: %lu\n",
       GetLastError());
    ok(WaitForSingleObject(st.done, 10000) == WAIT_OBJECT_0, "no completion\n");
    ok(!st.sent, "request sent to a server with an expired certificate\n");
    ok_u(st.error, ERROR_WINHTTP_SECURE_FAILURE);
    ok_u(st.api, API_SEND_REQUEST);
    ok_u(st.secure_failures, 1);
    ok_u(st.flags, FLAG_DATE_INVALID);
    WinHttpSetStatusCallback(request, NULL, 0, 0);
    WinHttpCloseHandle(request);
    WinHttpCloseHandle(connect);
    WinHttpCloseHandle(session);
    CloseHandle(st.done);
}

int main(void)
{
    port_valid = peer_port("WINHTTP_TEST_TLS_VALID_PORT");
    port_expired = peer_port("WINHTTP_TEST_TLS_EXPIRED_PORT");
    port_wronghost = peer_port("WINHTTP_TEST_TLS_WRONGHOST_PORT");
    port_selfsigned = peer_port("WINHTTP_TEST_TLS_SELFSIGNED_PORT");
    port_wrongusage = peer_port("WINHTTP_TEST_TLS_WRONGUSAGE_PORT");
    port_revoked = peer_port("WINHTTP_TEST_TLS_REVOKED_PORT");
    port_chain = peer_port("WINHTTP_TEST_TLS_CHAIN_PORT");
    port_storeca = peer_port("WINHTTP_TEST_TLS_STORECA_PORT");
    port_badsig = peer_port("WINHTTP_TEST_TLS_BADSIG_PORT");
    port_reneg = peer_port("WINHTTP_TEST_TLS_RENEG_PORT");
    port_clientcert = peer_port("WINHTTP_TEST_TLS_CLIENTCERT_PORT");
    port_tls10 = peer_port("WINHTTP_TEST_TLS_TLS10_PORT");
    port_crl = peer_port("WINHTTP_TEST_TLS_CRL_PORT");
    port_ocsp = peer_port("WINHTTP_TEST_TLS_OCSP_PORT");
    port_ocspgood = peer_port("WINHTTP_TEST_TLS_OCSPGOOD_PORT");
    port_ocsprevoked = peer_port("WINHTTP_TEST_TLS_OCSPREVOKED_PORT");
    nginx_port = peer_port("WINHTTP_TEST_NGINX_PORT");
    squid_port = peer_port("WINHTTP_TEST_SQUID_PORT");

    run_test("valid_server", test_valid_server);
    run_test("keep_alive", test_keep_alive);
    run_test("bad_certificates", test_bad_certificates);
    run_test("ignore_flags", test_ignore_flags);
    run_test("ignore_after_failure", test_ignore_after_failure);
    run_test("verified_once_per_session", test_verified_once_per_session);
    run_test("root_store", test_root_store);
    run_test("server_cert_context", test_server_cert_context);
    run_test("certificate_struct", test_certificate_struct);
    run_test("channel_binding", test_channel_binding);
    run_test("protocols", test_protocols);
    run_test("not_tls", test_not_tls);
    run_test("revocation", test_revocation);
    run_test("revocation_ocsp", test_revocation_ocsp);
    run_test("revocation_through_proxy", test_revocation_through_proxy);
    run_test("revocation_through_auth_proxy", test_revocation_through_auth_proxy);
    run_test("client_cert_needed", test_client_cert_needed);
    run_test("kb909425", test_kb909425);
    run_test("client_cert_memory_key", test_client_cert_memory_key);
    run_test("renegotiation", test_renegotiation);
    run_test("async_secure_failure", test_async_secure_failure);
    return test_summary();
}
