/*
 * whget: a small curl-like client for WinHTTP, built with mingw-w64 and run
 * under Wine (make demo, or tools/winhttp-wine tools/whget/whget.exe ...).
 *
 *   whget --crack URL        crack a URL with WinHttpCrackUrl and print its parts
 *   whget --create URL       crack, then rebuild it with WinHttpCreateUrl
 *   whget --version          which winhttp.dll is loaded
 *
 * Only documented WinHTTP is used, so the same binary runs against Windows'
 * winhttp.dll, Wine's builtin and ours.
 */
#include <windows.h>
#include <winhttp.h>
#include <stdio.h>
#include <wchar.h>

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

static void usage(void)
{
    fprintf(stderr, "usage: whget --crack URL | --create URL | --version\n");
}

int wmain(int argc, WCHAR **argv)
{
    if (argc >= 2 && !wcscmp(argv[1], L"--version")) return do_version();
    if (argc == 3 && !wcscmp(argv[1], L"--crack")) return do_crack(argv[2]);
    if (argc == 3 && !wcscmp(argv[1], L"--create")) return do_create(argv[2]);
    usage();
    return 2;
}
