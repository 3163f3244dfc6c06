/*
 * Auto-proxy against real peers: PAC files served by nginx (plain and
 * https) and by the scripted server (slow), run by our winhttp-pac helper;
 * WPAD through a DHCP lease file and a DNS responder for the zone
 * winhttp.test (tests/peers/autoproxy); the resolver's Ex APIs; sessions
 * with WINHTTP_ACCESS_TYPE_AUTOMATIC_PROXY going through the squid the PAC
 * names, failing over to the next proxy and to DIRECT; proxy change
 * notifications.
 *
 * Expected errors are the documented ones: a PAC file that cannot be
 * fetched is ERROR_WINHTTP_UNABLE_TO_DOWNLOAD_SCRIPT, one that does not run
 * to a usable result ERROR_WINHTTP_BAD_AUTO_PROXY_SCRIPT, discovery that
 * finds nothing ERROR_WINHTTP_AUTODETECTION_FAILED.
 */
#include "test.h"
#include <winhttp.h>
#include "peers.h"
#include "client.h"

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#endif

static int nginx_port, scripted_port, squid_port, closed_port, tls_port;
static char www_dir[MAX_PATH * 2];
static char marker_base[32];

/* ------------------------------------------------------------------ */
/* Helpers                                                             */

static BOOL write_unix_file(const char *unix_path, const char *data, size_t len)
{
    char *win = peer_unix_to_windows(unix_path);
    HANDLE h;
    DWORD written = 0;
    BOOL ret;

    if (!win) return FALSE;
    h = CreateFileA(win, GENERIC_WRITE, FILE_SHARE_READ, NULL, CREATE_ALWAYS, 0, NULL);
    free(win);
    if (h == INVALID_HANDLE_VALUE) return FALSE;
    ret = WriteFile(h, data, (DWORD)len, &written, NULL) && written == len;
    CloseHandle(h);
    return ret;
}

/* A PAC file under nginx's /static/pac/. */
static BOOL write_pac(const char *name, const char *text)
{
    char path[MAX_PATH * 2], dir[MAX_PATH * 2], *win;

    snprintf(dir, sizeof(dir), "%s/static/pac", www_dir);
    if ((win = peer_unix_to_windows(dir)))
    {
        CreateDirectoryA(win, NULL);
        free(win);
    }
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    return write_unix_file(path, text, strlen(text));
}

static WCHAR *pac_url(const char *name)
{
    static WCHAR buf[8][256];
    static int next;
    WCHAR *url = buf[next++ % 8];
    swprintf(url, 256, L"http://127.0.0.1:%d/static/pac/%hs", nginx_port, name);
    return url;
}

static HINTERNET open_session(DWORD flags)
{
    HINTERNET s = WinHttpOpen(L"autoproxy-test", WINHTTP_ACCESS_TYPE_NO_PROXY, NULL, NULL, flags);
    ok(s != NULL, "WinHttpOpen failed: %lu\n", GetLastError());
    return s;
}

/* WinHttpGetProxyForUrl with a PAC URL: the error (0 on success) and, on
 * success, the access type and proxy string. */
static DWORD get_proxy(HINTERNET session, const WCHAR *url, const WCHAR *config_url, DWORD extra_flags,
                       DWORD *access, WCHAR *proxy, size_t proxy_size)
{
    WINHTTP_AUTOPROXY_OPTIONS options;
    WINHTTP_PROXY_INFO info;
    DWORD err;

    memset(&options, 0, sizeof(options));
    memset(&info, 0, sizeof(info));
    options.dwFlags = WINHTTP_AUTOPROXY_CONFIG_URL | extra_flags;
    options.lpszAutoConfigUrl = config_url;
    SetLastError(0xdeadbeef);
    if (!WinHttpGetProxyForUrl(session, url, &options, &info)) return GetLastError();
    err = GetLastError();
    ok(err == ERROR_SUCCESS, "last error %lu after success\n", err);
    if (access) *access = info.dwAccessType;
    if (proxy)
    {
        proxy[0] = 0;
        if (info.lpszProxy) lstrcpynW(proxy, info.lpszProxy, (int)proxy_size);
        else lstrcpynW(proxy, L"(null)", (int)proxy_size);
    }
    ok(info.lpszProxyBypass == NULL, "bypass %ls\n", info.lpszProxyBypass);
    GlobalFree(info.lpszProxy);
    GlobalFree(info.lpszProxyBypass);
    return 0;
}

/* A /proc file (their size reads as 0: read to the end instead). */
static char *read_proc(const char *path)
{
    char win[MAX_PATH], *buf;
    HANDLE h;
    DWORD n, len = 0;

    snprintf(win, sizeof(win), "Z:%s", path);
    for (n = 0; win[n]; n++) if (win[n] == '/') win[n] = '\\';
    h = CreateFileA(win, GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL, OPEN_EXISTING, 0, NULL);
    if (h == INVALID_HANDLE_VALUE) return NULL;
    buf = calloc(1, 4096);
    while (len < 4095 && ReadFile(h, buf + len, 4095 - len, &n, NULL) && n) len += n;
    buf[len] = 0;
    CloseHandle(h);
    return buf;
}

/* Whether /proc/PID/environ has NAME=VALUE (the helpers inherit the DLL
 * process's environment). */
static BOOL proc_has_env(const char *pid, const char *name, const char *value)
{
    char win[MAX_PATH], want[MAX_PATH * 2], *buf;
    HANDLE h;
    DWORD n, len = 0, i, wlen;
    BOOL found = FALSE;

    wlen = snprintf(want, sizeof(want), "%s=%s", name, value) + 1;   /* with its NUL */
    snprintf(win, sizeof(win), "Z:\\proc\\%s\\environ", pid);
    h = CreateFileA(win, GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL, OPEN_EXISTING, 0, NULL);
    if (h == INVALID_HANDLE_VALUE) return FALSE;
    buf = malloc(65536);
    while (len < 65536 && ReadFile(h, buf + len, 65536 - len, &n, NULL) && n) len += n;
    CloseHandle(h);
    for (i = 0; i + wlen <= len && !found; i++)
        found = (!i || !buf[i - 1]) && !memcmp(buf + i, want, wlen);
    free(buf);
    return found;
}

/* winhttp-pac processes whose parent is this test program, from /proc (a
 * process under Wine sees another pid as /proc/self: the parent is known by
 * its command line, which names autoproxy.exe, and the run by the peers
 * directory in the helper's environment: another checkout's tests may run
 * at the same time, in a chroot that sees the same /proc, say). */
static int count_helpers(void)
{
    WIN32_FIND_DATAA fd;
    HANDLE find;
    char path[MAX_PATH], *p, run_dir[MAX_PATH];
    int n = 0;
    DWORD len = GetEnvironmentVariableA("WINHTTP_TEST_PEERS_DIR", run_dir, sizeof(run_dir));

    if (!len || len >= sizeof(run_dir)) run_dir[0] = 0;

    if ((find = FindFirstFileA("Z:\\proc\\*", &fd)) == INVALID_HANDLE_VALUE) return -1;
    do
    {
        char *stat, *cmdline;
        size_t i;

        if (fd.cFileName[0] < '1' || fd.cFileName[0] > '9') continue;
        snprintf(path, sizeof(path), "/proc/%s/stat", fd.cFileName);
        if (!(stat = read_proc(path))) continue;
        /* "pid (comm) state ppid ..." */
        if (strstr(stat, "(winhttp-pac)") && (p = strrchr(stat, ')')))
        {
            snprintf(path, sizeof(path), "/proc/%lu/cmdline", strtoul(p + 4, NULL, 10));
            if ((cmdline = read_proc(path)))
            {
                for (i = 0; i < 4095 && (cmdline[i] || cmdline[i + 1]); i++) if (!cmdline[i]) cmdline[i] = ' ';
                if (strstr(cmdline, "autoproxy.exe") &&
                    (!run_dir[0] || proc_has_env(fd.cFileName, "WINHTTP_TEST_PEERS_DIR", run_dir)))
                    n++;
                free(cmdline);
            }
        }
        free(stat);
    } while (FindNextFileA(find, &fd));
    FindClose(find);
    return n;
}

/* ------------------------------------------------------------------ */
/* The PAC files                                                       */

static const char basic_pac[] =
    "function FindProxyForURL(url, host) {\n"
    "  if (host == \"list.example\") return \"PROXY p1.example:3128; PROXY p2.example; DIRECT\";\n"
    "  if (shExpMatch(url, \"*/go-direct/*\")) return \"DIRECT\";\n"
    "  if (dnsDomainIs(host, \".socks.example\")) return \"SOCKS s.example:1080\";\n"
    "  if (isPlainHostName(host)) return \"PROXY plain-host-proxy:8000; DIRECT\";\n"
    "  if (host == \"upper.example\") return \"PROXY saw-lowercase:1\";\n"
    "  if (host == \"UPPER.example\") return \"PROXY saw-uppercase:1\";\n"
    "  if (host == \"junk.example\") return \"FTP x; BOGUS\";\n"
    "  return \"PROXY only.example:8080\";\n"
    "}\n";

static void write_pac_files(void)
{
    char *big;
    size_t i;

    ok(write_pac("basic.pac", basic_pac), "cannot write basic.pac\n");
    ok(write_pac("syntax.pac", "function FindProxyForURL(url, host) { return \"DIRECT\"; \n"), "write\n");
    ok(write_pac("nofunc.pac", "function SomethingElse(url, host) { return \"DIRECT\"; }\n"), "write\n");
    ok(write_pac("throws.pac", "function FindProxyForURL(url, host) { throw new Error(\"no\"); }\n"), "write\n");
    ok(write_pac("number.pac", "function FindProxyForURL(url, host) { return 42; }\n"), "write\n");
    ok(write_pac("loop.pac", "function FindProxyForURL(url, host) { for (;;) {} }\n"), "write\n");
    ok(write_pac("alloc.pac", "function FindProxyForURL(url, host) {\n"
                 "  var s = \"xxxxxxxxxxxxxxxx\", keep = []; for (;;) { s = s + s; keep.push(s + keep.length); }\n}\n"), "write\n");
    ok(write_pac("empty-result.pac", "function FindProxyForURL(url, host) { return \"\"; }\n"), "write\n");
    /* 2 MiB of comment: more than a PAC file may be. */
    big = malloc(2 * 1024 * 1024 + 64);
    strcpy(big, "function FindProxyForURL(u, h) { return \"DIRECT\"; }\n//");
    for (i = strlen(big); i < 2 * 1024 * 1024; i++) big[i] = 'x';
    big[i++] = '\n';
    big[i] = 0;
    ok(write_pac("oversized.pac", big), "write\n");
    free(big);
}

/* ------------------------------------------------------------------ */
/* WinHttpGetProxyForUrl                                               */

static void test_parameters(void)
{
    WINHTTP_AUTOPROXY_OPTIONS options;
    WINHTTP_PROXY_INFO info;
    HINTERNET session = open_session(0), connect;

    memset(&options, 0, sizeof(options));
    options.dwFlags = WINHTTP_AUTOPROXY_CONFIG_URL;
    options.lpszAutoConfigUrl = pac_url("basic.pac");

    ok_err(WinHttpGetProxyForUrl(NULL, L"http://a.example/", &options, &info), ERROR_INVALID_HANDLE);
    ok_err(WinHttpGetProxyForUrl((HINTERNET)0xdead, L"http://a.example/", &options, &info), ERROR_INVALID_HANDLE);
    connect = WinHttpConnect(session, L"127.0.0.1", (INTERNET_PORT)nginx_port, 0);
    ok_err(WinHttpGetProxyForUrl(connect, L"http://a.example/", &options, &info), ERROR_WINHTTP_INCORRECT_HANDLE_TYPE);
    WinHttpCloseHandle(connect);
    /* The handle is checked before anything else. */
    ok_err(WinHttpGetProxyForUrl(NULL, NULL, NULL, NULL), ERROR_INVALID_HANDLE);
    ok_err(WinHttpGetProxyForUrl(session, NULL, &options, &info), ERROR_INVALID_PARAMETER);
    ok_err(WinHttpGetProxyForUrl(session, L"", &options, &info), ERROR_INVALID_PARAMETER);
    ok_err(WinHttpGetProxyForUrl(session, L"http://a.example/", NULL, &info), ERROR_INVALID_PARAMETER);
    ok_err(WinHttpGetProxyForUrl(session, L"http://a.example/", &options, NULL), ERROR_INVALID_PARAMETER);

    options.dwFlags = 0;
    ok_err(WinHttpGetProxyForUrl(session, L"http://a.example/", &options, &info), ERROR_INVALID_PARAMETER);
    options.dwFlags = WINHTTP_AUTOPROXY_AUTO_DETECT;
    options.dwAutoDetectFlags = 0;
    ok_err(WinHttpGetProxyForUrl(session, L"http://a.example/", &options, &info), ERROR_INVALID_PARAMETER);
    options.dwFlags = WINHTTP_AUTOPROXY_CONFIG_URL;
    options.lpszAutoConfigUrl = NULL;
    ok_err(WinHttpGetProxyForUrl(session, L"http://a.example/", &options, &info), ERROR_INVALID_PARAMETER);
    options.dwFlags = WINHTTP_AUTOPROXY_AUTO_DETECT | WINHTTP_AUTOPROXY_CONFIG_URL;
    options.dwAutoDetectFlags = WINHTTP_AUTO_DETECT_TYPE_DNS_A;
    ok_err(WinHttpGetProxyForUrl(session, L"http://a.example/", &options, &info), ERROR_INVALID_PARAMETER);
    options.dwFlags = WINHTTP_AUTOPROXY_CONFIG_URL;
    options.lpszAutoConfigUrl = pac_url("basic.pac");
    options.dwReserved = 1;
    ok_err(WinHttpGetProxyForUrl(session, L"http://a.example/", &options, &info), ERROR_INVALID_PARAMETER);
    options.dwReserved = 0;

    /* A URL that does not crack. */
    ok(!WinHttpGetProxyForUrl(session, L"http:", &options, &info), "\"http:\" succeeded\n");
    ok(!WinHttpGetProxyForUrl(session, L"ftp://a.example/", &options, &info), "ftp succeeded\n");

    ok_err(WinHttpDetectAutoProxyConfigUrl(0, NULL), ERROR_INVALID_PARAMETER);
    WinHttpCloseHandle(session);
}

static void test_results(void)
{
    HINTERNET session = open_session(0);
    WCHAR proxy[256];
    DWORD access = 0, err;

    if (!session) return;
    err = get_proxy(session, L"http://list.example/x", pac_url("basic.pac"), 0, &access, proxy, ARRAY_SIZE(proxy));
    ok_u(err, 0);
    ok_u(access, WINHTTP_ACCESS_TYPE_NAMED_PROXY);
    ok_wstr(proxy, L"p1.example:3128;p2.example");

    err = get_proxy(session, L"http://other.example/go-direct/", pac_url("basic.pac"), 0, &access, proxy,
                    ARRAY_SIZE(proxy));
    ok_u(err, 0);
    ok_u(access, WINHTTP_ACCESS_TYPE_NO_PROXY);
    ok_wstr(proxy, L"(null)");

    err = get_proxy(session, L"https://other.example:8443/a?b#c", pac_url("basic.pac"), 0, &access, proxy,
                    ARRAY_SIZE(proxy));
    ok_u(err, 0);
    ok_u(access, WINHTTP_ACCESS_TYPE_NAMED_PROXY);
    ok_wstr(proxy, L"only.example:8080");

    err = get_proxy(session, L"http://intranet/", pac_url("basic.pac"), 0, &access, proxy, ARRAY_SIZE(proxy));
    ok_u(err, 0);
    ok_wstr(proxy, L"plain-host-proxy:8000");

    /* Host names reach the script in lower case unless HOST_KEEPCASE. */
    err = get_proxy(session, L"http://UPPER.example/", pac_url("basic.pac"), 0, &access, proxy, ARRAY_SIZE(proxy));
    ok_u(err, 0);
    ok_wstr(proxy, L"saw-lowercase:1");
    err = get_proxy(session, L"http://UPPER.example/", pac_url("basic.pac"), WINHTTP_AUTOPROXY_HOST_KEEPCASE, &access,
                    proxy, ARRAY_SIZE(proxy));
    ok_u(err, 0);
    ok_wstr(proxy, L"saw-uppercase:1");

    /* Only SOCKS: nothing WinHTTP can use. */
    ok_u(get_proxy(session, L"http://a.socks.example/", pac_url("basic.pac"), 0, NULL, NULL, 0),
         ERROR_WINHTTP_AUTO_PROXY_SERVICE_ERROR);
    /* Nothing usable at all. */
    ok_u(get_proxy(session, L"http://junk.example/", pac_url("basic.pac"), 0, NULL, NULL, 0),
         ERROR_WINHTTP_BAD_AUTO_PROXY_SCRIPT);
    ok_u(get_proxy(session, L"http://a.example/", pac_url("empty-result.pac"), 0, NULL, NULL, 0),
         ERROR_WINHTTP_BAD_AUTO_PROXY_SCRIPT);

    /* In process on request, and out of process only: the same answers. */
    err = get_proxy(session, L"http://list.example/", pac_url("basic.pac"), WINHTTP_AUTOPROXY_RUN_INPROCESS, &access,
                    proxy, ARRAY_SIZE(proxy));
    ok_u(err, 0);
    ok_wstr(proxy, L"p1.example:3128;p2.example");
    err = get_proxy(session, L"http://list.example/", pac_url("basic.pac"), WINHTTP_AUTOPROXY_RUN_OUTPROCESS_ONLY,
                    &access, proxy, ARRAY_SIZE(proxy));
    ok_u(err, 0);
    ok_wstr(proxy, L"p1.example:3128;p2.example");
    WinHttpCloseHandle(session);
}

static void test_https_pac(void)
{
    HINTERNET session;
    WCHAR url[256], proxy[256];
    DWORD err;

    if (!tls_port)
    {
        skip("no TLS peer\n");
        return;
    }
    session = open_session(0);
    swprintf(url, ARRAY_SIZE(url), L"https://localhost:%d/static/pac/basic.pac", tls_port);
    err = get_proxy(session, L"http://list.example/", url, 0, NULL, proxy, ARRAY_SIZE(proxy));
    ok_u(err, 0);
    ok_wstr(proxy, L"p1.example:3128;p2.example");
    WinHttpCloseHandle(session);
}

/* fAutoLogonIfChallenged: a PAC file behind Negotiate (Kerberos) is
 * fetched with the logged-on user's credentials only when asked to. */
static void test_autologon(void)
{
    WINHTTP_AUTOPROXY_OPTIONS options;
    WINHTTP_PROXY_INFO info;
    HINTERNET session;
    char dir[MAX_PATH * 2], path[MAX_PATH * 2];
    WCHAR url[256];
    int port = peer_port("WINHTTP_TEST_AUTH_APACHE_PORT");
    DWORD policy;
    BOOL ret;

    if (!port || !peer_env("WINHTTP_TEST_PEERS_DIR", dir, sizeof(dir)))
    {
        skip("no apache with Negotiate\n");
        return;
    }
    snprintf(path, sizeof(path), "%s/auth/www/negotiate/autologon.pac", dir);
    if (!write_unix_file(path, basic_pac, strlen(basic_pac)))
    {
        skip("cannot write %s\n", path);
        return;
    }
    swprintf(url, ARRAY_SIZE(url), L"http://localhost:%d/negotiate/autologon.pac", port);
    session = open_session(0);
    /* No automatic logon by the session's own policy (MEDIUM would log on
     * to an intranet name like localhost anyway). */
    policy = WINHTTP_AUTOLOGON_SECURITY_LEVEL_HIGH;
    ok(WinHttpSetOption(session, WINHTTP_OPTION_AUTOLOGON_POLICY, &policy, sizeof(policy)), "set policy\n");
    memset(&options, 0, sizeof(options));
    options.dwFlags = WINHTTP_AUTOPROXY_CONFIG_URL;
    options.lpszAutoConfigUrl = url;
    ok_err(WinHttpGetProxyForUrl(session, L"http://list.example/", &options, &info),
           ERROR_WINHTTP_UNABLE_TO_DOWNLOAD_SCRIPT);
    options.fAutoLogonIfChallenged = TRUE;
    memset(&info, 0, sizeof(info));
    ret = WinHttpGetProxyForUrl(session, L"http://list.example/", &options, &info);
    ok(ret, "with autologon: %lu\n", GetLastError());
    ok_wstr(info.lpszProxy, L"p1.example:3128;p2.example");
    GlobalFree(info.lpszProxy);
    WinHttpCloseHandle(session);
}

/* Every hostile case ends in its documented error, within the session's
 * timeouts, and leaves no helper process behind. */
static void test_hostile(void)
{
    static const struct { const char *name; DWORD flags; DWORD error; }
    cases[] =
    {
        { "missing.pac",   0, ERROR_WINHTTP_UNABLE_TO_DOWNLOAD_SCRIPT },
        { "oversized.pac", 0, ERROR_WINHTTP_UNABLE_TO_DOWNLOAD_SCRIPT },
        { "syntax.pac",    0, ERROR_WINHTTP_BAD_AUTO_PROXY_SCRIPT },
        { "nofunc.pac",    0, ERROR_WINHTTP_BAD_AUTO_PROXY_SCRIPT },
        { "throws.pac",    0, ERROR_WINHTTP_BAD_AUTO_PROXY_SCRIPT },
        { "number.pac",    0, ERROR_WINHTTP_BAD_AUTO_PROXY_SCRIPT },
        { "loop.pac",      0, ERROR_WINHTTP_BAD_AUTO_PROXY_SCRIPT },
        { "alloc.pac",     0, ERROR_WINHTTP_BAD_AUTO_PROXY_SCRIPT },
        { "loop.pac",      WINHTTP_AUTOPROXY_RUN_OUTPROCESS_ONLY, ERROR_WINHTTP_BAD_AUTO_PROXY_SCRIPT },
        { "syntax.pac",    WINHTTP_AUTOPROXY_RUN_INPROCESS, ERROR_WINHTTP_BAD_AUTO_PROXY_SCRIPT },
        { "alloc.pac",     WINHTTP_AUTOPROXY_RUN_INPROCESS, ERROR_WINHTTP_BAD_AUTO_PROXY_SCRIPT },
    };
    HINTERNET session = open_session(0);
    WCHAR url[256];
    DWORD i, start, elapsed;

    if (!session) return;
    /* 2 s for everything: the download, and the script's run. */
    ok(WinHttpSetTimeouts(session, 2000, 2000, 2000, 2000), "WinHttpSetTimeouts failed\n");
    for (i = 0; i < ARRAY_SIZE(cases); i++)
    {
        start = GetTickCount();
        ok_u(get_proxy(session, L"http://a.example/", pac_url(cases[i].name), cases[i].flags, NULL, NULL, 0),
             cases[i].error);
        elapsed = GetTickCount() - start;
        ok(elapsed < 6000, "%s: took %lu ms\n", cases[i].name, elapsed);
        ok(count_helpers() == 0, "%s: helper processes left: %d\n", cases[i].name, count_helpers());
    }

    /* A server that takes longer than the receive timeout. */
    swprintf(url, ARRAY_SIZE(url), L"http://127.0.0.1:%d/delay?ms=5000", scripted_port);
    start = GetTickCount();
    ok_u(get_proxy(session, L"http://a.example/", url, 0, NULL, NULL, 0), ERROR_WINHTTP_UNABLE_TO_DOWNLOAD_SCRIPT);
    elapsed = GetTickCount() - start;
    ok(elapsed < 4500, "slow PAC: took %lu ms\n", elapsed);
    /* Nobody listening. */
    swprintf(url, ARRAY_SIZE(url), L"http://127.0.0.1:%d/wpad.dat", closed_port);
    ok_u(get_proxy(session, L"http://a.example/", url, 0, NULL, NULL, 0), ERROR_WINHTTP_UNABLE_TO_DOWNLOAD_SCRIPT);
    ok(count_helpers() == 0, "helper processes left: %d\n", count_helpers());
    WinHttpCloseHandle(session);
}

/* The script is fetched once per session until WinHttpResetAutoProxy. */
static void test_cache(void)
{
    HINTERNET session = open_session(0);
    char name[64], text[256], marker[80];
    WCHAR proxy[64];
    DWORD err;
    int i;

    snprintf(name, sizeof(name), "cache-%s.pac", marker_base);
    snprintf(marker, sizeof(marker), "/static/pac/%s", name);
    snprintf(text, sizeof(text), "function FindProxyForURL(u, h) { return \"PROXY cached:1\"; }\n");
    ok(write_pac(name, text), "write\n");
    for (i = 0; i < 3; i++)
    {
        err = get_proxy(session, L"http://a.example/", pac_url(name), 0, NULL, proxy, ARRAY_SIZE(proxy));
        ok_u(err, 0);
        ok_wstr(proxy, L"cached:1");
    }
    ok_u(peer_wait_log("WINHTTP_TEST_NGINX_ACCESS_LOG", marker, 1, 3000), 1);
    Sleep(200);
    ok_u(peer_wait_log("WINHTTP_TEST_NGINX_ACCESS_LOG", marker, 1, 0), 1);

    /* A changed script is seen only after a reset. */
    snprintf(text, sizeof(text), "function FindProxyForURL(u, h) { return \"PROXY changed:2\"; }\n");
    ok(write_pac(name, text), "write\n");
    err = get_proxy(session, L"http://a.example/", pac_url(name), 0, NULL, proxy, ARRAY_SIZE(proxy));
    ok_wstr(proxy, L"cached:1");
    ok_u(WinHttpResetAutoProxy(session, WINHTTP_RESET_SCRIPT_CACHE), ERROR_SUCCESS);
    err = get_proxy(session, L"http://a.example/", pac_url(name), 0, NULL, proxy, ARRAY_SIZE(proxy));
    ok_u(err, 0);
    ok_wstr(proxy, L"changed:2");
    ok_u(peer_wait_log("WINHTTP_TEST_NGINX_ACCESS_LOG", marker, 2, 3000), 2);
    /* NO_CACHE_CLIENT fetches again. */
    err = get_proxy(session, L"http://a.example/", pac_url(name), WINHTTP_AUTOPROXY_NO_CACHE_CLIENT, NULL, proxy,
                    ARRAY_SIZE(proxy));
    ok_u(err, 0);
    ok_u(peer_wait_log("WINHTTP_TEST_NGINX_ACCESS_LOG", marker, 3, 3000), 3);

    ok_u(WinHttpResetAutoProxy(NULL, WINHTTP_RESET_ALL), ERROR_INVALID_HANDLE);
    ok_u(WinHttpResetAutoProxy(session, 0x80000000), ERROR_INVALID_PARAMETER);
    WinHttpCloseHandle(session);
}

/* ------------------------------------------------------------------ */
/* Discovery                                                           */

static BOOL write_lease(const char *text)
{
    char path[MAX_PATH * 2];
    if (!peer_env("WINHTTP_DHCP_LEASES", path, sizeof(path))) return FALSE;
    return write_unix_file(path, text, strlen(text));
}

static void test_detect_dhcp(void)
{
    char lease[512];
    WCHAR *url, expect[256], proxy[64];
    WINHTTP_AUTOPROXY_OPTIONS options;
    WINHTTP_PROXY_INFO info;
    HINTERNET session;
    BOOL ret;

    if (!write_lease(""))
    {
        skip("no lease file (WINHTTP_DHCP_LEASES)\n");
        return;
    }
    url = (WCHAR *)0xdeadbeef;
    SetLastError(0xdeadbeef);
    ret = WinHttpDetectAutoProxyConfigUrl(WINHTTP_AUTO_DETECT_TYPE_DHCP, &url);
    ok(!ret && GetLastError() == ERROR_WINHTTP_AUTODETECTION_FAILED, "ret %d, error %lu\n", ret, GetLastError());
    ok(url == NULL, "url %p\n", url);

    /* dhclient's lease, the option counted with its NUL as servers send it,
     * an older lease first (the last one is current). */
    snprintf(lease, sizeof(lease),
             "lease {\n  interface \"eth0\";\n  option wpad \"http://old.example/old.pac\";\n}\n"
             "lease {\n  interface \"eth0\";\n  fixed-address 10.0.0.2;\n"
             "  option wpad \"http://127.0.0.1:%d/static/pac/basic.pac\\000\";\n  renew 4 2026/12/03 10:00:00;\n}\n",
             nginx_port);
    ok(write_lease(lease), "write\n");
    url = NULL;
    SetLastError(0xdeadbeef);
    ret = WinHttpDetectAutoProxyConfigUrl(WINHTTP_AUTO_DETECT_TYPE_DHCP, &url);
    ok(ret, "detection failed: %lu\n", GetLastError());
    ok_u(GetLastError(), ERROR_SUCCESS);
    swprintf(expect, ARRAY_SIZE(expect), L"http://127.0.0.1:%d/static/pac/basic.pac", nginx_port);
    ok_wstr(url, expect);
    GlobalFree(url);

    /* AUTO_DETECT follows it. */
    session = open_session(0);
    memset(&options, 0, sizeof(options));
    memset(&info, 0, sizeof(info));
    options.dwFlags = WINHTTP_AUTOPROXY_AUTO_DETECT;
    options.dwAutoDetectFlags = WINHTTP_AUTO_DETECT_TYPE_DHCP;
    ret = WinHttpGetProxyForUrl(session, L"http://list.example/", &options, &info);
    ok(ret, "WinHttpGetProxyForUrl failed: %lu\n", GetLastError());
    ok_wstr(info.lpszProxy, L"p1.example:3128;p2.example");
    GlobalFree(info.lpszProxy);
    WinHttpCloseHandle(session);

    /* An option that is no http(s) URL is ignored. */
    ok(write_lease("lease {\n  option wpad \"file:///etc/passwd\";\n}\n"), "write\n");
    url = NULL;
    ok_err(WinHttpDetectAutoProxyConfigUrl(WINHTTP_AUTO_DETECT_TYPE_DHCP, &url), ERROR_WINHTTP_AUTODETECTION_FAILED);
    /* systemd-networkd's form: OPTION_252 in hex. */
    ok(write_lease("ADDRESS=10.0.0.2\nOPTION_252=687474703a2f2f6e6574776f726b642e6578616d706c652f702e70616300\n"),
       "write\n");
    ret = WinHttpDetectAutoProxyConfigUrl(WINHTTP_AUTO_DETECT_TYPE_DHCP, &url);
    ok(ret, "networkd lease: %lu\n", GetLastError());
    if (ret) ok_wstr(url, L"http://networkd.example/p.pac");
    GlobalFree(url);

    /* With both the configured URL is the fallback of a failed detection. */
    write_lease("");
    session = open_session(0);
    memset(&info, 0, sizeof(info));
    options.dwFlags = WINHTTP_AUTOPROXY_AUTO_DETECT | WINHTTP_AUTOPROXY_CONFIG_URL;
    options.lpszAutoConfigUrl = pac_url("basic.pac");
    ret = WinHttpGetProxyForUrl(session, L"http://other.example/", &options, &info);
    ok(ret, "WinHttpGetProxyForUrl failed: %lu\n", GetLastError());
    ok_wstr(info.lpszProxy, L"only.example:8080");
    GlobalFree(info.lpszProxy);
    options.dwFlags = WINHTTP_AUTOPROXY_AUTO_DETECT;
    ok_err(WinHttpGetProxyForUrl(session, L"http://other.example/", &options, &info), ERROR_WINHTTP_AUTODETECTION_FAILED);
    WinHttpCloseHandle(session);
    (void)proxy;
}

static const WCHAR tcpip_key[] = L"System\\CurrentControlSet\\Services\\Tcpip\\Parameters";

struct saved_string
{
    const WCHAR *name;
    BOOL present;
    WCHAR value[1024];
};

static void save_string(struct saved_string *s, const WCHAR *name)
{
    HKEY key;
    DWORD size = sizeof(s->value) - sizeof(WCHAR), type;
    s->name = name;
    s->present = FALSE;
    if (RegOpenKeyExW(HKEY_LOCAL_MACHINE, tcpip_key, 0, KEY_READ, &key)) return;
    s->present = !RegQueryValueExW(key, name, NULL, &type, (BYTE *)s->value, &size) && type == REG_SZ;
    s->value[size / sizeof(WCHAR)] = 0;
    RegCloseKey(key);
}

static void set_string(const WCHAR *name, const WCHAR *value)
{
    HKEY key;
    if (RegCreateKeyExW(HKEY_LOCAL_MACHINE, tcpip_key, 0, NULL, 0, KEY_SET_VALUE, NULL, &key, NULL)) return;
    if (value) RegSetValueExW(key, name, 0, REG_SZ, (const BYTE *)value, (lstrlenW(value) + 1) * sizeof(WCHAR));
    else RegDeleteValueW(key, name);
    RegCloseKey(key);
}

static void test_detect_dns(void)
{
    static const WCHAR *const names[] = { L"SearchList", L"Domain", L"NV Domain", L"DhcpDomain" };
    struct saved_string saved[ARRAY_SIZE(names)];
    char zone[64], *log;
    WCHAR *url = NULL, suffix[128];
    DWORD i;
    BOOL ret;

    if (!peer_env("WINHTTP_TEST_DNS_ZONE", zone, sizeof(zone)))
    {
        skip("no DNS responder (the run is not isolated, or port 53 is taken)\n");
        return;
    }
    for (i = 0; i < ARRAY_SIZE(names); i++)
    {
        save_string(&saved[i], names[i]);
        set_string(names[i], NULL);
    }
    /* Three labels below the zone: the lookups devolve to wpad.<zone>,
     * which answers, and go no further. */
    swprintf(suffix, ARRAY_SIZE(suffix), L"x.y.%hs", zone);
    set_string(L"Domain", suffix);
    ret = WinHttpDetectAutoProxyConfigUrl(WINHTTP_AUTO_DETECT_TYPE_DNS_A, &url);
    ok(ret, "DNS detection failed: %lu\n", GetLastError());
    if (ret)
    {
        WCHAR expect[128];
        swprintf(expect, ARRAY_SIZE(expect), L"http://wpad.%hs/wpad.dat", zone);
        ok_wstr(url, expect);
        GlobalFree(url);
    }
    log = peer_read_env_file("WINHTTP_TEST_DNS_LOG");
    ok(log && strstr(log, "QUERY wpad.x.y.winhttp.test 1"), "no query for wpad.x.y: %s\n", log ? log : "(null)");
    ok(log && strstr(log, "QUERY wpad.y.winhttp.test 1"), "no query for wpad.y\n");
    ok(log && strstr(log, "QUERY wpad.winhttp.test 1"), "no query for wpad.<zone>\n");
    free(log);

    /* A single label is never completed into wpad.<top-level domain>. */
    set_string(L"Domain", L"test");
    url = (WCHAR *)0xdeadbeef;
    ok_err(WinHttpDetectAutoProxyConfigUrl(WINHTTP_AUTO_DETECT_TYPE_DNS_A, &url), ERROR_WINHTTP_AUTODETECTION_FAILED);
    ok(url == NULL, "url %p\n", url);
    log = peer_read_env_file("WINHTTP_TEST_DNS_LOG");
    ok(log && !strstr(log, "QUERY wpad.test "), "queried wpad.test\n");
    free(log);

    /* A suffix whose wpad names do not exist. */
    swprintf(suffix, ARRAY_SIZE(suffix), L"nowpad.%hs", zone);
    set_string(L"Domain", suffix);
    set_string(L"SearchList", NULL);
    /* (wpad.nowpad.<zone> is NXDOMAIN, then wpad.<zone> answers) */
    ret = WinHttpDetectAutoProxyConfigUrl(WINHTTP_AUTO_DETECT_TYPE_DNS_A, &url);
    ok(ret, "DNS detection failed: %lu\n", GetLastError());
    if (ret) GlobalFree(url);

    for (i = 0; i < ARRAY_SIZE(names); i++) set_string(names[i], saved[i].present ? saved[i].value : NULL);
}

/* ------------------------------------------------------------------ */
/* The resolver                                                        */

struct resolver_wait
{
    HANDLE event;
    DWORD status, error, api;
    HINTERNET handle;
    DWORD_PTR context;
};

static void CALLBACK resolver_callback(HINTERNET handle, DWORD_PTR context, DWORD status, void *info, DWORD len)
{
    struct resolver_wait *w = (struct resolver_wait *)context;
    if (status != WINHTTP_CALLBACK_STATUS_GETPROXYFORURL_COMPLETE && status != WINHTTP_CALLBACK_STATUS_REQUEST_ERROR &&
        status != WINHTTP_CALLBACK_STATUS_GETPROXYSETTINGS_COMPLETE)
        return;
    w->status = status;
    w->handle = handle;
    w->context = context;
    if (status == WINHTTP_CALLBACK_STATUS_REQUEST_ERROR)
    {
        w->api = ((WINHTTP_ASYNC_RESULT *)info)->dwResult;
        w->error = ((WINHTTP_ASYNC_RESULT *)info)->dwError;
    }
    SetEvent(w->event);
}

static void test_resolver(void)
{
    WINHTTP_AUTOPROXY_OPTIONS options;
    WINHTTP_PROXY_RESULT result;
    WINHTTP_PROXY_RESULT_EX result_ex;
    struct resolver_wait w = {0};
    HINTERNET sync_session = open_session(0), session = open_session(WINHTTP_FLAG_ASYNC), resolver = NULL;
    DWORD err;

    ok_u(WinHttpCreateProxyResolver(sync_session, &resolver), ERROR_WINHTTP_INCORRECT_HANDLE_TYPE);
    WinHttpCloseHandle(sync_session);
    ok_u(WinHttpCreateProxyResolver(session, NULL), ERROR_INVALID_PARAMETER);
    ok_u(WinHttpCreateProxyResolver(session, &resolver), ERROR_SUCCESS);
    if (!resolver) return;
    w.event = CreateEventW(NULL, FALSE, FALSE, NULL);
    WinHttpSetStatusCallback(resolver, resolver_callback, WINHTTP_CALLBACK_FLAG_ALL_NOTIFICATIONS, 0);

    memset(&result, 0, sizeof(result));
    ok_u(WinHttpGetProxyResult(resolver, &result), ERROR_WINHTTP_INCORRECT_HANDLE_STATE);
    ok_u(WinHttpGetProxyResult(session, &result), ERROR_WINHTTP_INCORRECT_HANDLE_TYPE);

    memset(&options, 0, sizeof(options));
    options.dwFlags = WINHTTP_AUTOPROXY_CONFIG_URL;
    options.lpszAutoConfigUrl = pac_url("basic.pac");
    ok_u(WinHttpGetProxyForUrlEx(resolver, NULL, &options, (DWORD_PTR)&w), ERROR_INVALID_PARAMETER);
    ok_u(WinHttpGetProxyForUrlEx(session, L"http://list.example/", &options, (DWORD_PTR)&w),
         ERROR_WINHTTP_INCORRECT_HANDLE_TYPE);

    err = WinHttpGetProxyForUrlEx(resolver, L"http://list.example/", &options, (DWORD_PTR)&w);
    ok_u(err, ERROR_IO_PENDING);
    ok(!WaitForSingleObject(w.event, 10000), "no completion\n");
    ok_u(w.status, WINHTTP_CALLBACK_STATUS_GETPROXYFORURL_COMPLETE);
    ok(w.handle == resolver, "callback for %p\n", w.handle);
    ok(w.context == (DWORD_PTR)&w, "context %#Ix\n", w.context);

    ok_u(WinHttpGetProxyResult(resolver, &result), ERROR_SUCCESS);
    ok_u(result.cEntries, 3);
    if (result.cEntries == 3)
    {
        ok(result.pEntries[0].fProxy && !result.pEntries[0].fBypass, "entry 0 flags\n");
        ok_u(result.pEntries[0].ProxyScheme, INTERNET_SCHEME_HTTP);
        ok_wstr(result.pEntries[0].pwszProxy, L"p1.example");
        ok_u(result.pEntries[0].ProxyPort, 3128);
        ok_wstr(result.pEntries[1].pwszProxy, L"p2.example");
        ok_u(result.pEntries[1].ProxyPort, 80);
        ok(!result.pEntries[2].fProxy && !result.pEntries[2].pwszProxy, "entry 2 is not DIRECT\n");
    }
    WinHttpFreeProxyResult(&result);
    ok(!result.cEntries && !result.pEntries, "not cleared\n");

    /* Ex2, and the Ex result. */
    err = WinHttpGetProxyForUrlEx2(resolver, L"http://a.socks.example/", &options, 0, NULL, (DWORD_PTR)&w);
    ok_u(err, ERROR_IO_PENDING);
    ok(!WaitForSingleObject(w.event, 10000), "no completion\n");
    ok_u(w.status, WINHTTP_CALLBACK_STATUS_GETPROXYFORURL_COMPLETE);
    memset(&result_ex, 0xcc, sizeof(result_ex));
    ok_u(WinHttpGetProxyResultEx(resolver, &result_ex), ERROR_SUCCESS);
    ok_u(result_ex.cEntries, 1);
    if (result_ex.cEntries == 1)
    {
        ok_u(result_ex.pEntries[0].ProxyScheme, INTERNET_SCHEME_SOCKS);
        ok_wstr(result_ex.pEntries[0].pwszProxy, L"s.example");
        ok_u(result_ex.pEntries[0].ProxyPort, 1080);
    }
    WinHttpFreeProxyResultEx(&result_ex);

    /* A failure arrives as REQUEST_ERROR naming API_GET_PROXY_FOR_URL. */
    options.lpszAutoConfigUrl = pac_url("missing.pac");
    err = WinHttpGetProxyForUrlEx(resolver, L"http://list.example/", &options, (DWORD_PTR)&w);
    ok_u(err, ERROR_IO_PENDING);
    ok(!WaitForSingleObject(w.event, 10000), "no completion\n");
    ok_u(w.status, WINHTTP_CALLBACK_STATUS_REQUEST_ERROR);
    ok_u(w.api, API_GET_PROXY_FOR_URL);
    ok_u(w.error, ERROR_WINHTTP_UNABLE_TO_DOWNLOAD_SCRIPT);

    /* While a script runs, its helper is a child of ours; after it ran out
     * of time, it is gone (this is what test_hostile's checks rely on). */
    {
        DWORD start = GetTickCount();
        int seen = 0;

        WinHttpSetTimeouts(session, 2000, 2000, 2000, 2000);
        options.lpszAutoConfigUrl = pac_url("loop.pac");
        err = WinHttpGetProxyForUrlEx(resolver, L"http://list.example/", &options, (DWORD_PTR)&w);
        ok_u(err, ERROR_IO_PENDING);
        while (!seen && GetTickCount() - start < 1500)
        {
            seen = count_helpers();
            Sleep(50);
        }
        ok(seen == 1, "%d helpers seen while the script ran\n", seen);
        ok(!WaitForSingleObject(w.event, 10000), "no completion\n");
        ok_u(w.status, WINHTTP_CALLBACK_STATUS_REQUEST_ERROR);
        ok_u(w.error, ERROR_WINHTTP_BAD_AUTO_PROXY_SCRIPT);
        ok(count_helpers() == 0, "helpers left: %d\n", count_helpers());
    }

    /* The settings: the user's AutoConfigURL as we set it. */
    {
        WINHTTP_PROXY_SETTINGS_EX settings;
        HKEY key;
        WCHAR saved[1024], *url = pac_url("settings.pac");
        DWORD size = sizeof(saved), type;
        BOOL had = FALSE;

        memset(&settings, 0, sizeof(settings));
        ok_u(WinHttpGetProxySettingsResultEx(resolver, &settings), ERROR_WINHTTP_INCORRECT_HANDLE_STATE);
        ok_u(WinHttpGetProxySettingsEx(resolver, WinHttpProxySettingsTypeUnknown, NULL, 0), ERROR_INVALID_PARAMETER);
        if (!RegCreateKeyExW(HKEY_CURRENT_USER, L"Software\\Microsoft\\Windows\\CurrentVersion\\Internet Settings", 0,
                             NULL, 0, KEY_READ | KEY_SET_VALUE, NULL, &key, NULL))
        {
            had = !RegQueryValueExW(key, L"AutoConfigURL", NULL, &type, (BYTE *)saved, &size) && type == REG_SZ;
            RegSetValueExW(key, L"AutoConfigURL", 0, REG_SZ, (const BYTE *)url, (lstrlenW(url) + 1) * sizeof(WCHAR));
            err = WinHttpGetProxySettingsEx(resolver, WinHttpProxySettingsTypeWsl, NULL, (DWORD_PTR)&w);
            ok_u(err, ERROR_IO_PENDING);
            ok(!WaitForSingleObject(w.event, 10000), "no completion\n");
            ok_u(w.status, WINHTTP_CALLBACK_STATUS_GETPROXYSETTINGS_COMPLETE);
            ok_u(WinHttpGetProxySettingsResultEx(resolver, &settings), ERROR_SUCCESS);
            ok(settings.ullFlags & WINHTTP_PROXY_TYPE_AUTO_PROXY_URL, "flags %#I64x\n", settings.ullFlags);
            ok(settings.ullGenerationId != 0, "no generation\n");
            ok_wstr(settings.pcwszAutoconfigUrl, url);
            ok_u(WinHttpFreeProxySettingsEx(WinHttpProxySettingsTypeWsl, &settings), ERROR_SUCCESS);
            ok(!settings.pcwszAutoconfigUrl, "not cleared\n");
            if (had) RegSetValueExW(key, L"AutoConfigURL", 0, REG_SZ, (const BYTE *)saved, size);
            else RegDeleteValueW(key, L"AutoConfigURL");
            RegCloseKey(key);
        }
        ok_u(WinHttpFreeProxySettingsEx(WinHttpProxySettingsTypeWsl, NULL), ERROR_INVALID_PARAMETER);
    }

    WinHttpCloseHandle(resolver);
    WinHttpCloseHandle(session);
    CloseHandle(w.event);
}

/* ------------------------------------------------------------------ */
/* AUTOMATIC_PROXY sessions                                            */

static const WCHAR settings_key[] = L"Software\\Microsoft\\Windows\\CurrentVersion\\Internet Settings";

static DWORD automatic_get(const char *marker, DWORD *error)
{
    HINTERNET session, connect, request;
    WCHAR path[128];
    DWORD status;

    session = WinHttpOpen(L"autoproxy-test", WINHTTP_ACCESS_TYPE_AUTOMATIC_PROXY, NULL, NULL, 0);
    ok(session != NULL, "WinHttpOpen(AUTOMATIC_PROXY) failed: %lu\n", GetLastError());
    WinHttpSetTimeouts(session, 5000, 5000, 5000, 5000);
    connect = WinHttpConnect(session, L"127.0.0.1", (INTERNET_PORT)scripted_port, 0);
    swprintf(path, ARRAY_SIZE(path), L"/echo/%hs", marker);
    request = WinHttpOpenRequest(connect, NULL, path, NULL, NULL, NULL, 0);
    status = send_request(request, error);
    WinHttpCloseHandle(request);
    WinHttpCloseHandle(connect);
    WinHttpCloseHandle(session);
    return status;
}

/* The same in asynchronous mode: the script is fetched and run on the
 * engine's threads, the completion arrives as usual. */
static DWORD automatic_get_async(const char *marker)
{
    HINTERNET session, connect, request;
    struct async_wait w = {0};
    WCHAR path[128];
    DWORD status;

    w.event = CreateEventW(NULL, FALSE, FALSE, NULL);
    session = WinHttpOpen(L"autoproxy-test", WINHTTP_ACCESS_TYPE_AUTOMATIC_PROXY, NULL, NULL, WINHTTP_FLAG_ASYNC);
    ok(session != NULL, "WinHttpOpen(AUTOMATIC_PROXY, ASYNC) failed: %lu\n", GetLastError());
    WinHttpSetTimeouts(session, 5000, 5000, 5000, 5000);
    WinHttpSetStatusCallback(session, async_wait_callback, WINHTTP_CALLBACK_FLAG_ALL_COMPLETIONS, 0);
    connect = WinHttpConnect(session, L"127.0.0.1", (INTERNET_PORT)scripted_port, 0);
    swprintf(path, ARRAY_SIZE(path), L"/echo/%hs", marker);
    request = WinHttpOpenRequest(connect, NULL, path, NULL, NULL, NULL, 0);
    status = async_send(request, &w);
    ok(status || w.error, "no completion\n");
    WinHttpCloseHandle(request);
    WinHttpCloseHandle(connect);
    WinHttpCloseHandle(session);
    Sleep(100);
    CloseHandle(w.event);
    return status;
}

static void test_automatic_session(void)
{
    WINHTTP_CURRENT_USER_IE_PROXY_CONFIG ie;
    WCHAR *url, saved[1024];
    char text[1024], marker[64];
    DWORD size = sizeof(saved), type, err, status;
    BOOL had_value = FALSE;
    HKEY key;

    if (!squid_port)
    {
        skip("no squid\n");
        return;
    }
    snprintf(text, sizeof(text),
             "function FindProxyForURL(url, host) {\n"
             "  if (url.indexOf(\"/echo/squid-\") >= 0 || url.substring(0, 6) == \"https:\") return \"PROXY 127.0.0.1:%d\";\n"
             "  if (url.indexOf(\"/echo/failover-\") >= 0) return \"PROXY 127.0.0.1:%d; PROXY 127.0.0.1:%d; DIRECT\";\n"
             "  if (url.indexOf(\"/echo/todirect-\") >= 0) return \"PROXY 127.0.0.1:%d; DIRECT\";\n"
             "  if (url.indexOf(\"/echo/nowhere-\") >= 0) return \"PROXY 127.0.0.1:%d\";\n"
             "  return \"DIRECT\";\n}\n",
             squid_port, closed_port, squid_port, closed_port, closed_port);
    ok(write_pac("session.pac", text), "write\n");
    url = pac_url("session.pac");

    if (RegCreateKeyExW(HKEY_CURRENT_USER, settings_key, 0, NULL, 0, KEY_READ | KEY_SET_VALUE, NULL, &key, NULL))
    {
        skip("cannot open the Internet Settings key\n");
        return;
    }
    had_value = !RegQueryValueExW(key, L"AutoConfigURL", NULL, &type, (BYTE *)saved, &size) && type == REG_SZ;
    RegSetValueExW(key, L"AutoConfigURL", 0, REG_SZ, (const BYTE *)url, (lstrlenW(url) + 1) * sizeof(WCHAR));

    memset(&ie, 0, sizeof(ie));
    ok(WinHttpGetIEProxyConfigForCurrentUser(&ie), "WinHttpGetIEProxyConfigForCurrentUser failed\n");
    if (!ie.lpszAutoConfigUrl || lstrcmpW(ie.lpszAutoConfigUrl, url))
        skip("the IE settings do not report AutoConfigURL (%ls): a connection blob overrides it\n", ie.lpszAutoConfigUrl);
    else
    {
        /* The PAC names squid: the request goes through it. */
        snprintf(marker, sizeof(marker), "squid-%s", marker_base);
        status = automatic_get(marker, &err);
        ok_u(status, 200);
        ok_u(peer_wait_log("WINHTTP_TEST_SQUID_ACCESS_LOG", marker, 1, 3000), 1);

        snprintf(marker, sizeof(marker), "squid-async-%s", marker_base);
        status = automatic_get_async(marker);
        ok_u(status, 200);
        ok_u(peer_wait_log("WINHTTP_TEST_SQUID_ACCESS_LOG", marker, 1, 3000), 1);

        /* https through the proxy the PAC names: a CONNECT tunnel in squid's log. */
        if (tls_port)
        {
            HINTERNET session, connect, request;
            char connect_line[64];

            session = WinHttpOpen(L"autoproxy-test", WINHTTP_ACCESS_TYPE_AUTOMATIC_PROXY, NULL, NULL, 0);
            connect = WinHttpConnect(session, L"localhost", (INTERNET_PORT)tls_port, 0);
            request = WinHttpOpenRequest(connect, NULL, L"/static/small.txt", NULL, NULL, NULL, WINHTTP_FLAG_SECURE);
            ok_status(request, 200);
            WinHttpCloseHandle(request);
            WinHttpCloseHandle(connect);
            WinHttpCloseHandle(session);
            snprintf(connect_line, sizeof(connect_line), "CONNECT localhost:%d", tls_port);
            ok(peer_wait_log("WINHTTP_TEST_SQUID_ACCESS_LOG", connect_line, 1, 3000) >= 1, "no %s in squid's log\n",
               connect_line);
        }

        /* The first proxy refuses the connection: the second one. */
        snprintf(marker, sizeof(marker), "failover-%s", marker_base);
        status = automatic_get(marker, &err);
        ok_u(status, 200);
        ok_u(peer_wait_log("WINHTTP_TEST_SQUID_ACCESS_LOG", marker, 1, 3000), 1);

        /* Then DIRECT: the server sees it, squid does not. */
        snprintf(marker, sizeof(marker), "todirect-%s", marker_base);
        status = automatic_get(marker, &err);
        ok_u(status, 200);
        ok_u(peer_wait_log("WINHTTP_TEST_SCRIPTED_LOG", marker, 1, 3000), 1);
        ok_u(peer_wait_log("WINHTTP_TEST_SQUID_ACCESS_LOG", marker, 0, 0), 0);

        /* Only a proxy that refuses: the request fails as a connection does. */
        snprintf(marker, sizeof(marker), "nowhere-%s", marker_base);
        status = automatic_get(marker, &err);
        ok_u(status, 0);
        ok_u(err, ERROR_WINHTTP_CANNOT_CONNECT);
        ok_u(peer_wait_log("WINHTTP_TEST_SCRIPTED_LOG", marker, 0, 0), 0);
        /* Twice in a row on one request: a failed list never turns into DIRECT. */
        {
            HINTERNET session, connect, request;
            WCHAR path[128];

            session = WinHttpOpen(L"autoproxy-test", WINHTTP_ACCESS_TYPE_AUTOMATIC_PROXY, NULL, NULL, 0);
            connect = WinHttpConnect(session, L"127.0.0.1", (INTERNET_PORT)scripted_port, 0);
            swprintf(path, ARRAY_SIZE(path), L"/echo/%hs-again", marker);
            request = WinHttpOpenRequest(connect, NULL, path, NULL, NULL, NULL, 0);
            ok_err(WinHttpSendRequest(request, NULL, 0, NULL, 0, 0, 0), ERROR_WINHTTP_CANNOT_CONNECT);
            ok_err(WinHttpSendRequest(request, NULL, 0, NULL, 0, 0, 0), ERROR_WINHTTP_CANNOT_CONNECT);
            WinHttpCloseHandle(request);
            WinHttpCloseHandle(connect);
            WinHttpCloseHandle(session);
            ok_u(peer_wait_log("WINHTTP_TEST_SCRIPTED_LOG", marker, 0, 0), 0);
        }
    }
    GlobalFree(ie.lpszAutoConfigUrl);
    GlobalFree(ie.lpszProxy);
    GlobalFree(ie.lpszProxyBypass);

    if (had_value) RegSetValueExW(key, L"AutoConfigURL", 0, REG_SZ, (const BYTE *)saved, size);
    else RegDeleteValueW(key, L"AutoConfigURL");
    RegCloseKey(key);
    ok(count_helpers() == 0, "helper processes left: %d\n", count_helpers());
}

/* "Automatically detect settings" (the IE blob's AUTO_DETECT flag) with
 * the PAC named by the DHCP lease: an AUTOMATIC_PROXY session follows it. */
static void test_automatic_wpad(void)
{
    static const WCHAR connections[] = L"Software\\Microsoft\\Windows\\CurrentVersion\\Internet Settings\\Connections";
    BYTE saved[4096], blob[20];
    DWORD size = sizeof(saved), type, status, err;
    char lease[512], marker[64];
    BOOL had;
    HKEY key;

    if (!squid_port || !write_lease(""))
    {
        skip("no squid or no lease file\n");
        return;
    }
    if (RegCreateKeyExW(HKEY_CURRENT_USER, connections, 0, NULL, 0, KEY_READ | KEY_SET_VALUE, NULL, &key, NULL))
    {
        skip("cannot open the Connections key\n");
        return;
    }
    had = !RegQueryValueExW(key, L"DefaultConnectionSettings", NULL, &type, saved, &size);
    /* version, counter, flags DIRECT | AUTO_DETECT, empty proxy and bypass */
    memset(blob, 0, sizeof(blob));
    blob[0] = 0x46;
    blob[8] = 0x1 | 0x8;
    RegSetValueExW(key, L"DefaultConnectionSettings", 0, REG_BINARY, blob, sizeof(blob));
    snprintf(lease, sizeof(lease), "lease {\n  option wpad \"http://127.0.0.1:%d/static/pac/session.pac\";\n}\n",
             nginx_port);
    ok(write_lease(lease), "write\n");

    snprintf(marker, sizeof(marker), "squid-wpad-%s", marker_base);
    status = automatic_get(marker, &err);
    ok_u(status, 200);
    ok_u(peer_wait_log("WINHTTP_TEST_SQUID_ACCESS_LOG", marker, 1, 3000), 1);

    write_lease("");
    if (had) RegSetValueExW(key, L"DefaultConnectionSettings", 0, type, saved, size);
    else RegDeleteValueW(key, L"DefaultConnectionSettings");
    RegCloseKey(key);
}

/* ------------------------------------------------------------------ */
/* Proxy change notifications                                          */

static LONG notified;
static void *notified_context;

static void CALLBACK change_callback(ULONGLONG flags, void *context)
{
    ok(flags == WINHTTP_PROXY_NOTIFY_CHANGE, "flags %#I64x\n", flags);
    notified_context = context;
    InterlockedIncrement(&notified);
}

static void test_change_notification(void)
{
    WINHTTP_PROXY_CHANGE_REGISTRATION_HANDLE handle = NULL;
    WINHTTP_PROXY_INFO saved, info;
    BOOL restore;

    ok_u(WinHttpRegisterProxyChangeNotification(WINHTTP_PROXY_NOTIFY_CHANGE, NULL, NULL, &handle),
         ERROR_INVALID_PARAMETER);
    ok_u(WinHttpRegisterProxyChangeNotification(WINHTTP_PROXY_NOTIFY_CHANGE, change_callback, NULL, NULL),
         ERROR_INVALID_PARAMETER);
    ok_u(WinHttpRegisterProxyChangeNotification(WINHTTP_PROXY_NOTIFY_CHANGE, change_callback, &notified, &handle),
         ERROR_SUCCESS);

    memset(&saved, 0, sizeof(saved));
    restore = WinHttpGetDefaultProxyConfiguration(&saved);
    info.dwAccessType = WINHTTP_ACCESS_TYPE_NAMED_PROXY;
    info.lpszProxy = (WCHAR *)L"changed.example:3128";
    info.lpszProxyBypass = NULL;
    ok(WinHttpSetDefaultProxyConfiguration(&info), "set failed: %lu\n", GetLastError());
    ok_u(notified, 1);
    ok(notified_context == &notified, "context %p\n", notified_context);

    ok_u(WinHttpUnregisterProxyChangeNotification(handle), ERROR_SUCCESS);
    ok_u(WinHttpUnregisterProxyChangeNotification(handle), ERROR_INVALID_HANDLE);
    if (restore)
    {
        if (saved.dwAccessType != WINHTTP_ACCESS_TYPE_NAMED_PROXY) saved.dwAccessType = WINHTTP_ACCESS_TYPE_NO_PROXY;
        ok(WinHttpSetDefaultProxyConfiguration(&saved), "restore failed: %lu\n", GetLastError());
        GlobalFree(saved.lpszProxy);
        GlobalFree(saved.lpszProxyBypass);
    }
    ok_u(notified, 1);
}

/* In process nothing can stop a script that never returns: the caller
 * still gets its documented error after the session's timeout.  (Last: the
 * script keeps one of the DLL's threads busy until the process ends.) */
static void test_inprocess_loop(void)
{
    HINTERNET session = open_session(0);
    DWORD start, elapsed;

    if (!session) return;
    WinHttpSetTimeouts(session, 2000, 2000, 2000, 2000);
    start = GetTickCount();
    ok_u(get_proxy(session, L"http://a.example/", pac_url("loop.pac"), WINHTTP_AUTOPROXY_RUN_INPROCESS, NULL, NULL, 0),
         ERROR_WINHTTP_BAD_AUTO_PROXY_SCRIPT);
    elapsed = GetTickCount() - start;
    ok(elapsed >= 1500 && elapsed < 6000, "took %lu ms\n", elapsed);
    WinHttpCloseHandle(session);
}

int main(void)
{
    if (!peers_available() || !(nginx_port = peer_port("WINHTTP_TEST_NGINX_PORT")) ||
        !peer_env("WINHTTP_TEST_WWW_DIR", www_dir, sizeof(www_dir)))
    {
        skip("no peers (run through tools/run-tests)\n");
        return test_summary();
    }
    scripted_port = peer_port("WINHTTP_TEST_SCRIPTED_PORT");
    squid_port = peer_port("WINHTTP_TEST_SQUID_PORT");
    closed_port = peer_port("WINHTTP_TEST_CLOSED_PORT");
    tls_port = peer_port("WINHTTP_TEST_TLS_VALID_PORT");
    snprintf(marker_base, sizeof(marker_base), "%lx-%lx", GetCurrentProcessId(), GetTickCount());
    write_pac_files();

    run_test("parameters", test_parameters);
    run_test("results", test_results);
    run_test("https_pac", test_https_pac);
    run_test("autologon", test_autologon);
    run_test("hostile", test_hostile);
    run_test("cache", test_cache);
    run_test("detect_dhcp", test_detect_dhcp);
    run_test("detect_dns", test_detect_dns);
    run_test("resolver", test_resolver);
    run_test("automatic_session", test_automatic_session);
    run_test("automatic_wpad", test_automatic_wpad);
    run_test("change_notification", test_change_notification);
    run_test("inprocess_loop", test_inprocess_loop);
    return test_summary();
}
