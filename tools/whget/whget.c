/*
 * whget: a small curl-like client for WinHTTP, built with mingw-w64 and run
 * under Wine (make demo, or tools/winhttp-wine tools/whget/whget.exe ...).
 *
 *   whget [options] URL      fetch URL, body to stdout (or -o FILE)
 *     -v                     request and response headers, protocol and timing on stderr
 *     -X METHOD              request method (default GET, POST with -d)
 *     -H "Name: value"       add a request header (repeatable)
 *     -d DATA                request body (@FILE reads a file)
 *     -o FILE                write the body to FILE
 *     --proxy HOST:PORT      use a named proxy
 *     --pac URL              ask the PAC file at URL for the proxy (WinHttpGetProxyForUrl)
 *     --auto-proxy           find the PAC file by WPAD (DHCP, then DNS) and ask it
 *     -u USER:PASSWORD       answer the server's 401 (the strongest scheme offered:
 *                            Negotiate, NTLM, Digest, Basic)
 *     --negotiate            answer a 401 with Negotiate and the logged-on user's
 *                            credentials (a Kerberos ticket: kinit)
 *     --proxy-user USER:PASSWORD  answer the proxy's 407
 *     --compressed           ask for and decode gzip/deflate
 *     --max-redirs N / --no-redirect
 *     --http2                offer HTTP/2 (WINHTTP_OPTION_ENABLE_HTTP_PROTOCOL; https only);
 *                            -v says which protocol was used and, over h2,
 *                            the response's stream id
 *   whget --ws URL           WebSocket (ws:// or wss://): each stdin line out as a
 *                            message, each message back printed (-H, --proxy, -v apply)
 *   whget --crack URL        crack a URL with WinHttpCrackUrl and print its parts
 *   whget --create URL       crack, then rebuild it with WinHttpCreateUrl
 *   whget --version          which winhttp.dll is loaded
 *
 * Only documented WinHTTP is used, so the same binary runs against Windows'
 * winhttp.dll, Wine's builtin and ours.
 */
#include <windows.h>
#include <wincrypt.h>
#define SECURITY_WIN32
#include <schannel.h>
#include <winhttp.h>
#include "winhttp_wine.h"
#include <stdio.h>
#include <wchar.h>
#include <io.h>
#include <fcntl.h>

static const char *scheme_name(INTERNET_SCHEME scheme)
{
    switch (scheme)
    {
    case INTERNET_SCHEME_HTTP: return "http";
    case INTERNET_SCHEME_HTTPS: return "https";
    case INTERNET_SCHEME_FTP: return "ftp";
    case INTERNET_SCHEME_SOCKS: return "socks";
    default: return "?";
    }
}

static void print_part(const char *name, const WCHAR *ptr, DWORD len)
{
    printf("  %-10s %.*ls\n", name, (int)len, ptr ? ptr : L"");
}

static int crack(const WCHAR *url, URL_COMPONENTS *uc)
{
    memset(uc, 0, sizeof(*uc));
    uc->dwStructSize = sizeof(*uc);
    uc->dwSchemeLength = uc->dwHostNameLength = uc->dwUserNameLength = uc->dwPasswordLength =
        uc->dwUrlPathLength = uc->dwExtraInfoLength = (DWORD)-1;
    if (!WinHttpCrackUrl(url, 0, 0, uc))
    {
        fprintf(stderr, "whget: WinHttpCrackUrl failed: error %lu\n", GetLastError());
        return 0;
    }
    return 1;
}

static int do_crack(const WCHAR *url)
{
    URL_COMPONENTS uc;
    if (!crack(url, &uc)) return 1;
    printf("URL %ls\n", url);
    print_part("scheme", uc.lpszScheme, uc.dwSchemeLength);
    printf("  %-10s %d (%s)\n", "nScheme", uc.nScheme, scheme_name(uc.nScheme));
    print_part("user", uc.lpszUserName, uc.dwUserNameLength);
    print_part("password", uc.lpszPassword, uc.dwPasswordLength);
    print_part("host", uc.lpszHostName, uc.dwHostNameLength);
    printf("  %-10s %u\n", "port", uc.nPort);
    print_part("path", uc.lpszUrlPath, uc.dwUrlPathLength);
    print_part("extra", uc.lpszExtraInfo, uc.dwExtraInfoLength);
    return 0;
}

static int do_create(const WCHAR *url)
{
    URL_COMPONENTS uc;
    WCHAR *out;
    DWORD len = 0;

    if (!crack(url, &uc)) return 1;
    if (WinHttpCreateUrl(&uc, 0, NULL, &len) || GetLastError() != ERROR_INSUFFICIENT_BUFFER)
    {
        fprintf(stderr, "whget: WinHttpCreateUrl did not report a length: error %lu\n", GetLastError());
        return 1;
    }
    out = malloc((len + 1) * sizeof(WCHAR));
    if (!WinHttpCreateUrl(&uc, 0, out, &len))
    {
        fprintf(stderr, "whget: WinHttpCreateUrl failed: error %lu\n", GetLastError());
        return 1;
    }
    printf("%ls\n", out);
    free(out);
    return 0;
}

static int do_version(void)
{
    WCHAR path[MAX_PATH];
    GetModuleFileNameW(GetModuleHandleW(L"winhttp.dll"), path, MAX_PATH);
    printf("winhttp.dll: %ls\n", path);
    return 0;
}

struct fetch
{
    const WCHAR *url;
    const WCHAR *method;
    const WCHAR *headers[64];
    int header_count;
    char *data;
    DWORD data_len;
    const WCHAR *output;
    const WCHAR *proxy;
    const WCHAR *pac;                   /* --pac */
    BOOL auto_proxy;                    /* --auto-proxy */
    BOOL verbose, compressed, no_redirect, negotiate, http2;
    int max_redirs;
    WCHAR *user, *password;             /* -u */
    WCHAR *proxy_user, *proxy_password; /* --proxy-user */
};

/* "user:password" into two strings (the password may hold ':'). */
static BOOL split_credentials(const WCHAR *arg, WCHAR **user, WCHAR **password)
{
    const WCHAR *colon = wcschr(arg, ':');
    size_t len = colon ? (size_t)(colon - arg) : wcslen(arg);

    *user = malloc((len + 1) * sizeof(WCHAR));
    memcpy(*user, arg, len * sizeof(WCHAR));
    (*user)[len] = 0;
    *password = _wcsdup(colon ? colon + 1 : L"");
    return TRUE;
}

/* The challenge at hand (401 or 407): the scheme to answer it with, 0 if none. */
static DWORD choose_scheme(HINTERNET request, BOOL negotiate_only, DWORD *target)
{
    static const DWORD preference[] = { WINHTTP_AUTH_SCHEME_NEGOTIATE, WINHTTP_AUTH_SCHEME_NTLM,
                                        WINHTTP_AUTH_SCHEME_DIGEST, WINHTTP_AUTH_SCHEME_BASIC };
    DWORD supported, first;
    unsigned int i;

    if (!WinHttpQueryAuthSchemes(request, &supported, &first, target)) return 0;
    if (negotiate_only) return supported & WINHTTP_AUTH_SCHEME_NEGOTIATE;
    for (i = 0; i < ARRAYSIZE(preference); i++) if (supported & preference[i]) return preference[i];
    return 0;
}

static const char *scheme_label(DWORD scheme)
{
    switch (scheme)
    {
    case WINHTTP_AUTH_SCHEME_NEGOTIATE: return "Negotiate";
    case WINHTTP_AUTH_SCHEME_NTLM: return "NTLM";
    case WINHTTP_AUTH_SCHEME_DIGEST: return "Digest";
    case WINHTTP_AUTH_SCHEME_BASIC: return "Basic";
    }
    return "?";
}

static void fail(const char *what)
{
    fprintf(stderr, "whget: %s failed: error %lu\n", what, GetLastError());
}

static void print_query(HINTERNET request, DWORD level, const char *prefix)
{
    DWORD len = 0;
    WCHAR *buf;

    WinHttpQueryHeaders(request, level, WINHTTP_HEADER_NAME_BY_INDEX, NULL, &len, WINHTTP_NO_HEADER_INDEX);
    if (GetLastError() != ERROR_INSUFFICIENT_BUFFER) return;
    buf = malloc(len + sizeof(WCHAR));
    if (WinHttpQueryHeaders(request, level, WINHTTP_HEADER_NAME_BY_INDEX, buf, &len, WINHTTP_NO_HEADER_INDEX))
    {
        WCHAR *line = buf, *end;
        while (*line && (end = wcsstr(line, L"\r\n")))
        {
            if (end > line) fprintf(stderr, "%s%.*ls\n", prefix, (int)(end - line), line);
            line = end + 2;
        }
    }
    free(buf);
}

static const char *protocol_name(DWORD protocol)
{
    if (protocol & SP_PROT_TLS1_3_CLIENT) return "TLS 1.3";
    if (protocol & SP_PROT_TLS1_2_CLIENT) return "TLS 1.2";
    if (protocol & SP_PROT_TLS1_1_CLIENT) return "TLS 1.1";
    if (protocol & SP_PROT_TLS1_0_CLIENT) return "TLS 1.0";
    return "?";
}

/* -v over https: protocol, cipher and the certificate chain, from the
 * documented options only. */
static void print_tls(HINTERNET request)
{
    struct { SecPkgContext_ConnectionInfo connection; SecPkgContext_CipherInfo cipher; } info;
    const CERT_CHAIN_CONTEXT *chain = NULL;
    DWORD size = sizeof(info), bits = 0, i;
    WCHAR name[512];

    if (WinHttpQueryOption(request, WINHTTP_OPTION_SECURITY_INFO, &info, &size))
        fprintf(stderr, "* TLS: %s, cipher suite %ls (%lu bits)\n", protocol_name(info.connection.dwProtocol),
                info.cipher.szCipherSuite, info.connection.dwCipherStrength);
    else
    {
        size = sizeof(bits);
        if (WinHttpQueryOption(request, WINHTTP_OPTION_SECURITY_KEY_BITNESS, &bits, &size))
            fprintf(stderr, "* TLS: %lu-bit cipher\n", bits);
    }
    size = sizeof(chain);
    if (WinHttpQueryOption(request, WINHTTP_OPTION_SERVER_CERT_CHAIN_CONTEXT, &chain, &size) && chain &&
        chain->cChain)
    {
        for (i = 0; i < chain->rgpChain[0]->cElement; i++)
        {
            const CERT_CONTEXT *cert = chain->rgpChain[0]->rgpElement[i]->pCertContext;
            CertGetNameStringW(cert, CERT_NAME_SIMPLE_DISPLAY_TYPE, 0, NULL, name, ARRAYSIZE(name));
            fprintf(stderr, "* certificate %lu: subject %ls\n", i, name);
            CertGetNameStringW(cert, CERT_NAME_SIMPLE_DISPLAY_TYPE, CERT_NAME_ISSUER_FLAG, NULL, name, ARRAYSIZE(name));
            fprintf(stderr, "*                issuer  %ls\n", name);
        }
        CertFreeCertificateChain(chain);
    }
}

static char *read_file_data(const WCHAR *path, DWORD *len)
{
    FILE *f = _wfopen(path, L"rb");
    char *buf;
    long size;
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    size = ftell(f);
    fseek(f, 0, SEEK_SET);
    buf = malloc(size ? size : 1);
    *len = (DWORD)fread(buf, 1, size, f);
    fclose(f);
    return buf;
}

/* --pac / --auto-proxy: the documented pattern, WinHttpGetProxyForUrl and
 * WINHTTP_OPTION_PROXY on the request; without an answer we go direct. */
static void apply_auto_proxy(const struct fetch *f, HINTERNET session, HINTERNET request)
{
    WINHTTP_AUTOPROXY_OPTIONS options;
    WINHTTP_PROXY_INFO info;

    memset(&options, 0, sizeof(options));
    memset(&info, 0, sizeof(info));
    if (f->auto_proxy)
    {
        options.dwFlags |= WINHTTP_AUTOPROXY_AUTO_DETECT;
        options.dwAutoDetectFlags = WINHTTP_AUTO_DETECT_TYPE_DHCP | WINHTTP_AUTO_DETECT_TYPE_DNS_A;
    }
    if (f->pac)
    {
        options.dwFlags |= WINHTTP_AUTOPROXY_CONFIG_URL;
        options.lpszAutoConfigUrl = f->pac;
    }
    options.fAutoLogonIfChallenged = TRUE;
    if (!WinHttpGetProxyForUrl(session, f->url, &options, &info))
    {
        if (f->verbose) fprintf(stderr, "* auto-proxy: error %lu, going direct\n", GetLastError());
        return;
    }
    if (f->verbose)
        fprintf(stderr, "* auto-proxy: %ls\n", info.dwAccessType == WINHTTP_ACCESS_TYPE_NAMED_PROXY && info.lpszProxy ?
                info.lpszProxy : L"DIRECT");
    if (!WinHttpSetOption(request, WINHTTP_OPTION_PROXY, &info, sizeof(info))) fail("WINHTTP_OPTION_PROXY");
    GlobalFree(info.lpszProxy);
    GlobalFree(info.lpszProxyBypass);
}


static int do_fetch(struct fetch *f)
{
    HINTERNET session = NULL, connect = NULL, request = NULL;
    URL_COMPONENTS uc;
    WCHAR host[256], path[4096];
    LARGE_INTEGER freq, t0, t1, t2;
    DWORD status = 0, len, total = 0, flags = 0, value;
    FILE *out = stdout;
    int ret = 1, i;
    BOOL server_tried = FALSE, proxy_tried = FALSE;
    char *buf;

    QueryPerformanceFrequency(&freq);
    QueryPerformanceCounter(&t0);
    memset(&uc, 0, sizeof(uc));
    uc.dwStructSize = sizeof(uc);
    uc.lpszHostName = host;
    uc.dwHostNameLength = ARRAYSIZE(host);
    uc.lpszUrlPath = path;
    uc.dwUrlPathLength = ARRAYSIZE(path);
    uc.dwSchemeLength = uc.dwExtraInfoLength = (DWORD)-1;
    if (!WinHttpCrackUrl(f->url, 0, 0, &uc)) { fail("WinHttpCrackUrl"); return 1; }
    if (uc.dwExtraInfoLength && uc.lpszExtraInfo)
        wcsncat(path, uc.lpszExtraInfo, ARRAYSIZE(path) - wcslen(path) - 1);

    session = WinHttpOpen(L"whget/1.0", f->proxy ? WINHTTP_ACCESS_TYPE_NAMED_PROXY : WINHTTP_ACCESS_TYPE_NO_PROXY,
                          f->proxy ? f->proxy : WINHTTP_NO_PROXY_NAME, WINHTTP_NO_PROXY_BYPASS, 0);
    if (!session) { fail("WinHttpOpen"); goto done; }
    if (f->compressed)
    {
        value = WINHTTP_DECOMPRESSION_FLAG_ALL;
        if (!WinHttpSetOption(session, WINHTTP_OPTION_DECOMPRESSION, &value, sizeof(value)))
            fail("WINHTTP_OPTION_DECOMPRESSION");
    }
    if (f->http2)
    {
        value = WINHTTP_PROTOCOL_FLAG_HTTP2;
        if (!WinHttpSetOption(session, WINHTTP_OPTION_ENABLE_HTTP_PROTOCOL, &value, sizeof(value)))
            fail("WINHTTP_OPTION_ENABLE_HTTP_PROTOCOL");
    }
    if (!(connect = WinHttpConnect(session, host, uc.nPort, 0))) { fail("WinHttpConnect"); goto done; }
    if (uc.nScheme == INTERNET_SCHEME_HTTPS) flags |= WINHTTP_FLAG_SECURE;
    request = WinHttpOpenRequest(connect, f->method ? f->method : (f->data ? L"POST" : L"GET"), path, NULL,
                                 WINHTTP_NO_REFERER, WINHTTP_DEFAULT_ACCEPT_TYPES, flags);
    if (!request) { fail("WinHttpOpenRequest"); goto done; }
    if (f->pac || f->auto_proxy) apply_auto_proxy(f, session, request);
    if (f->no_redirect)
    {
        value = WINHTTP_DISABLE_REDIRECTS;
        WinHttpSetOption(request, WINHTTP_OPTION_DISABLE_FEATURE, &value, sizeof(value));
    }
    if (f->max_redirs >= 0)
    {
        value = f->max_redirs;
        WinHttpSetOption(request, WINHTTP_OPTION_MAX_HTTP_AUTOMATIC_REDIRECTS, &value, sizeof(value));
    }
    for (i = 0; i < f->header_count; i++)
        if (!WinHttpAddRequestHeaders(request, f->headers[i], (DWORD)-1, WINHTTP_ADDREQ_FLAG_ADD))
            fail("WinHttpAddRequestHeaders");
    /* The authentication dance of "Authentication in WinHTTP": answer each
     * of the server's and the proxy's challenges once. */
    for (;;)
    {
        DWORD scheme, target;

        if (!WinHttpSendRequest(request, WINHTTP_NO_ADDITIONAL_HEADERS, 0, f->data, f->data_len, f->data_len, 0))
        {
            if (GetLastError() == ERROR_WINHTTP_RESEND_REQUEST) continue;
            fail("WinHttpSendRequest");
            goto done;
        }
        if (!WinHttpReceiveResponse(request, NULL))
        {
            if (GetLastError() == ERROR_WINHTTP_RESEND_REQUEST) continue;
            fail("WinHttpReceiveResponse");
            goto done;
        }
        len = sizeof(status);
        WinHttpQueryHeaders(request, WINHTTP_QUERY_STATUS_CODE | WINHTTP_QUERY_FLAG_NUMBER,
                            WINHTTP_HEADER_NAME_BY_INDEX, &status, &len, WINHTTP_NO_HEADER_INDEX);
        if (status == HTTP_STATUS_DENIED && !server_tried && (f->user || f->negotiate))
        {
            /* --negotiate without a name (or -u :) means the logged-on user's. */
            BOOL logged_on = f->negotiate && (!f->user || !f->user[0]);
            server_tried = TRUE;
            if (!(scheme = choose_scheme(request, f->negotiate, &target))) break;
            if (f->verbose) fprintf(stderr, "* answering the server's 401 with %s\n", scheme_label(scheme));
            if (!WinHttpSetCredentials(request, WINHTTP_AUTH_TARGET_SERVER, scheme, logged_on ? NULL : f->user,
                                       logged_on ? NULL : f->password, NULL))
            {
                fail("WinHttpSetCredentials");
                break;
            }
            continue;
        }
        if (status == HTTP_STATUS_PROXY_AUTH_REQ && !proxy_tried && f->proxy_user)
        {
            proxy_tried = TRUE;
            if (!(scheme = choose_scheme(request, FALSE, &target))) break;
            if (f->verbose) fprintf(stderr, "* answering the proxy's 407 with %s\n", scheme_label(scheme));
            if (!WinHttpSetCredentials(request, WINHTTP_AUTH_TARGET_PROXY, scheme, f->proxy_user, f->proxy_password, NULL))
            {
                fail("WinHttpSetCredentials");
                break;
            }
            continue;
        }
        break;
    }
    QueryPerformanceCounter(&t1);
    if (f->verbose)
    {
        print_query(request, WINHTTP_QUERY_RAW_HEADERS_CRLF | WINHTTP_QUERY_FLAG_REQUEST_HEADERS, "> ");
        print_query(request, WINHTTP_QUERY_RAW_HEADERS_CRLF, "< ");
        if (flags & WINHTTP_FLAG_SECURE) print_tls(request);
        len = sizeof(value);
        value = 0;
        if (WinHttpQueryOption(request, WINHTTP_OPTION_HTTP_PROTOCOL_USED, &value, &len))
            fprintf(stderr, "* protocol: %s\n", value & WINHTTP_PROTOCOL_FLAG_HTTP2 ? "HTTP/2" : "HTTP/1.1");
        /* Our extension (include/winhttp_wine.h); Windows has no such option. */
        len = sizeof(value);
        value = 0;
        if (WinHttpQueryOption(request, WINHTTP_OPTION_WINE_HTTP2_STREAM_ID, &value, &len) && value)
            fprintf(stderr, "* stream id: %lu\n", value);
    }
    len = sizeof(status);
    WinHttpQueryHeaders(request, WINHTTP_QUERY_STATUS_CODE | WINHTTP_QUERY_FLAG_NUMBER, WINHTTP_HEADER_NAME_BY_INDEX,
                        &status, &len, WINHTTP_NO_HEADER_INDEX);

    if (f->output && !(out = _wfopen(f->output, L"wb")))
    {
        fprintf(stderr, "whget: cannot write %ls\n", f->output);
        goto done;
    }
    buf = malloc(256 * 1024);
    for (;;)
    {
        DWORD n = 0;
        if (!WinHttpReadData(request, buf, 256 * 1024, &n)) { fail("WinHttpReadData"); free(buf); goto done; }
        if (!n) break;
        fwrite(buf, 1, n, out);
        total += n;
    }
    free(buf);
    QueryPerformanceCounter(&t2);
    if (f->verbose)
    {
        double head = (double)(t1.QuadPart - t0.QuadPart) / freq.QuadPart;
        double all = (double)(t2.QuadPart - t0.QuadPart) / freq.QuadPart;
        fprintf(stderr, "* status %lu, %lu body bytes, response head after %.3f s, done after %.3f s (%.1f MB/s)\n",
                status, total, head, all, all > 0 ? total / all / 1e6 : 0.0);
    }
    ret = status >= 400 ? 22 : 0;

done:
    if (out && out != stdout) fclose(out);
    WinHttpCloseHandle(request);
    WinHttpCloseHandle(connect);
    WinHttpCloseHandle(session);
    return ret;
}

static void usage(void)
{
    fprintf(stderr, "usage: whget [-v] [--http2] [-X METHOD] [-H header] [-d data|@file] [-o file] [--proxy host:port]\n"
                    "             [--pac URL] [--auto-proxy]\n"
                    "             [-u user:password] [--negotiate] [--proxy-user user:password]\n"
                    "             [--compressed] [--max-redirs N] [--no-redirect] URL\n"
                    "       whget [-v] [-H header] [--proxy host:port] --ws ws[s]://URL\n"
                    "       whget --crack URL | --create URL | --version\n");
}

int do_websocket(const WCHAR *url, const WCHAR **headers, int header_count, const WCHAR *proxy, BOOL verbose);

int wmain(int argc, WCHAR **argv)
{
    const WCHAR *ws_url = NULL;
    struct fetch f;
    int i;

    if (argc >= 2 && !wcscmp(argv[1], L"--version")) return do_version();
    if (argc == 3 && !wcscmp(argv[1], L"--crack")) return do_crack(argv[2]);
    if (argc == 3 && !wcscmp(argv[1], L"--create")) return do_create(argv[2]);

    /* The body goes to stdout byte for byte. */
    _setmode(_fileno(stdout), _O_BINARY);
    memset(&f, 0, sizeof(f));
    f.max_redirs = -1;
    for (i = 1; i < argc; i++)
    {
        const WCHAR *a = argv[i];
        if (!wcscmp(a, L"-v")) f.verbose = TRUE;
        else if (!wcscmp(a, L"--http2")) f.http2 = TRUE;
        else if (!wcscmp(a, L"--compressed")) f.compressed = TRUE;
        else if (!wcscmp(a, L"--no-redirect")) f.no_redirect = TRUE;
        else if (!wcscmp(a, L"--negotiate")) f.negotiate = TRUE;
        else if (i + 1 < argc && !wcscmp(a, L"-u")) split_credentials(argv[++i], &f.user, &f.password);
        else if (i + 1 < argc && !wcscmp(a, L"--proxy-user"))
            split_credentials(argv[++i], &f.proxy_user, &f.proxy_password);
        else if (i + 1 < argc && !wcscmp(a, L"-X")) f.method = argv[++i];
        else if (i + 1 < argc && !wcscmp(a, L"-o")) f.output = argv[++i];
        else if (i + 1 < argc && !wcscmp(a, L"--proxy")) f.proxy = argv[++i];
        else if (i + 1 < argc && !wcscmp(a, L"--pac")) f.pac = argv[++i];
        else if (!wcscmp(a, L"--auto-proxy")) f.auto_proxy = TRUE;
        else if (i + 1 < argc && !wcscmp(a, L"--ws")) ws_url = argv[++i];
        else if (i + 1 < argc && !wcscmp(a, L"--max-redirs")) f.max_redirs = _wtoi(argv[++i]);
        else if (i + 1 < argc && !wcscmp(a, L"-H"))
        {
            if (f.header_count < (int)ARRAYSIZE(f.headers)) f.headers[f.header_count++] = argv[++i];
        }
        else if (i + 1 < argc && !wcscmp(a, L"-d"))
        {
            const WCHAR *d = argv[++i];
            if (d[0] == '@')
            {
                if (!(f.data = read_file_data(d + 1, &f.data_len)))
                {
                    fprintf(stderr, "whget: cannot read %ls\n", d + 1);
                    return 2;
                }
            }
            else
            {
                int n = WideCharToMultiByte(CP_UTF8, 0, d, -1, NULL, 0, NULL, NULL);
                f.data = malloc(n);
                WideCharToMultiByte(CP_UTF8, 0, d, -1, f.data, n, NULL, NULL);
                f.data_len = n - 1;
            }
        }
        else if (a[0] != '-' && !f.url) f.url = a;
        else
        {
            usage();
            return 2;
        }
    }
    if (ws_url) return do_websocket(ws_url, (const WCHAR **)f.headers, f.header_count, f.proxy, f.verbose);
    if (!f.url)
    {
        usage();
        return 2;
    }
    return do_fetch(&f);
}
