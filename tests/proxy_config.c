/*
 * The registry-backed proxy settings: WinHttpSetDefaultProxyConfiguration /
 * WinHttpGetDefaultProxyConfiguration (the machine default, HKLM
 * ...\Internet Settings\Connections\WinHttpSettings) and
 * WinHttpGetIEProxyConfigForCurrentUser (HKCU ...\Internet Settings).
 *
 * Every test that writes the registry saves what was there first and puts it
 * back afterwards.  The WinHttpSettings layout and the validation follow the
 * documentation and black-box observation of Wine's builtin; where they
 * disagree (an empty proxy list reads back as NO_PROXY, as documented) the
 * check says so.
 */
#include "test.h"
#include <winhttp.h>

static const WCHAR connections_key[] = L"Software\\Microsoft\\Windows\\CurrentVersion\\Internet Settings\\Connections";
static const WCHAR settings_key[] = L"Software\\Microsoft\\Windows\\CurrentVersion\\Internet Settings";

/* ------------------------------------------------------------------ */
/* Saving and restoring registry values                                */

struct saved_value
{
    HKEY root;
    const WCHAR *path, *name;
    BOOL key_present, present;
    DWORD type, size;
    BYTE data[4096];
};

static void save_value(struct saved_value *v, HKEY root, const WCHAR *path, const WCHAR *name)
{
    HKEY key;
    v->root = root;
    v->path = path;
    v->name = name;
    v->present = v->key_present = FALSE;
    v->size = sizeof(v->data);
    if (RegOpenKeyExW(root, path, 0, KEY_READ, &key)) return;
    v->key_present = TRUE;
    v->present = !RegQueryValueExW(key, name, NULL, &v->type, v->data, &v->size);
    RegCloseKey(key);
}

static LONG write_value(HKEY root, const WCHAR *path, const WCHAR *name, DWORD type, const void *data, DWORD size)
{
    HKEY key;
    LONG ret = RegCreateKeyExW(root, path, 0, NULL, 0, KEY_SET_VALUE, NULL, &key, NULL);
    if (ret) return ret;
    ret = RegSetValueExW(key, name, 0, type, data, size);
    RegCloseKey(key);
    return ret;
}

static void delete_value(HKEY root, const WCHAR *path, const WCHAR *name)
{
    HKEY key;
    if (RegOpenKeyExW(root, path, 0, KEY_SET_VALUE, &key)) return;
    RegDeleteValueW(key, name);
    RegCloseKey(key);
}

/* A key the test created goes again once it is empty. */
static void delete_key_if_empty(HKEY root, const WCHAR *path)
{
    DWORD subkeys = 1, values = 1;
    HKEY key;

    if (RegOpenKeyExW(root, path, 0, KEY_READ, &key)) return;
    RegQueryInfoKeyW(key, NULL, NULL, NULL, &subkeys, NULL, NULL, &values, NULL, NULL, NULL, NULL);
    RegCloseKey(key);
    if (!subkeys && !values) RegDeleteKeyW(root, path);
}

static void restore_value(const struct saved_value *v)
{
    if (v->present) ok(!write_value(v->root, v->path, v->name, v->type, v->data, v->size), "cannot restore %ls\n", v->name);
    else delete_value(v->root, v->path, v->name);
    if (!v->key_present) delete_key_if_empty(v->root, v->path);
}

/* The WinHttpSettings value as bytes; size 0 when absent. */
static DWORD read_settings(BYTE *buf, DWORD size, DWORD *type)
{
    HKEY key;
    LONG ret;
    if (RegOpenKeyExW(HKEY_LOCAL_MACHINE, connections_key, 0, KEY_READ, &key)) return 0;
    ret = RegQueryValueExW(key, L"WinHttpSettings", NULL, type, buf, &size);
    RegCloseKey(key);
    return ret ? 0 : size;
}

static struct saved_value saved_settings;

static void save_default_proxy(void)
{
    save_value(&saved_settings, HKEY_LOCAL_MACHINE, connections_key, L"WinHttpSettings");
}

static void restore_default_proxy(void)
{
    restore_value(&saved_settings);
}

static LONG write_settings(const void *blob, DWORD size, DWORD type)
{
    return write_value(HKEY_LOCAL_MACHINE, connections_key, L"WinHttpSettings", type, blob, size);
}

/* ------------------------------------------------------------------ */
/* Checking results                                                    */

/* A string the application frees with GlobalFree. */
static BOOL global_string_ok(WCHAR *s)
{
    return s && GlobalSize(s) >= (lstrlenW(s) + 1) * sizeof(WCHAR);
}

#define check_default_proxy(access, proxy, bypass) check_default_proxy_(__LINE__, access, proxy, bypass)
static void check_default_proxy_(int line, DWORD access, const WCHAR *proxy, const WCHAR *bypass)
{
    WINHTTP_PROXY_INFO info;
    BOOL ret;

    memset(&info, 0xcc, sizeof(info));
    SetLastError(0xdeadbeef);
    ret = WinHttpGetDefaultProxyConfiguration(&info);
    test_report(ret, __FILE__, line, "WinHttpGetDefaultProxyConfiguration failed: %lu", GetLastError());
    if (!ret) return;
    test_report(GetLastError() == ERROR_SUCCESS, __FILE__, line, "expected last error 0, got %lu", GetLastError());
    test_report(info.dwAccessType == access, __FILE__, line, "expected access type %lu, got %lu", access, info.dwAccessType);
    test_report(test_wcs_eq(info.lpszProxy, proxy), __FILE__, line, "expected proxy %ls, got %ls",
                proxy ? proxy : L"(null)", info.lpszProxy ? info.lpszProxy : L"(null)");
    test_report(test_wcs_eq(info.lpszProxyBypass, bypass), __FILE__, line, "expected bypass %ls, got %ls",
                bypass ? bypass : L"(null)", info.lpszProxyBypass ? info.lpszProxyBypass : L"(null)");
    if (info.lpszProxy)
    {
        test_report(global_string_ok(info.lpszProxy), __FILE__, line, "proxy string is not a global allocation");
        test_report(!GlobalFree(info.lpszProxy), __FILE__, line, "GlobalFree(proxy) failed");
    }
    if (info.lpszProxyBypass)
    {
        test_report(global_string_ok(info.lpszProxyBypass), __FILE__, line, "bypass string is not a global allocation");
        test_report(!GlobalFree(info.lpszProxyBypass), __FILE__, line, "GlobalFree(bypass) failed");
    }
}

#define check_settings_bytes(expect) check_settings_bytes_(__LINE__, expect, sizeof(expect))
static void check_settings_bytes_(int line, const BYTE *expect, DWORD expect_size)
{
    BYTE buf[512];
    DWORD size, type = 0, i;
    char got[3 * 512 + 1];

    size = read_settings(buf, sizeof(buf), &type);
    for (i = 0; i < size && i < 512; i++) sprintf(got + 3 * i, "%02x ", buf[i]);
    got[3 * i] = 0;
    test_report(type == REG_BINARY, __FILE__, line, "expected REG_BINARY, got type %lu", type);
    test_report(size == expect_size && !memcmp(buf, expect, size), __FILE__, line,
                "WinHttpSettings: expected %lu bytes, got %lu: %s", expect_size, size, got);
}

static BOOL set_default(DWORD access, const WCHAR *proxy, const WCHAR *bypass)
{
    WINHTTP_PROXY_INFO info;
    info.dwAccessType = access;
    info.lpszProxy = (WCHAR *)proxy;
    info.lpszProxyBypass = (WCHAR *)bypass;
    return WinHttpSetDefaultProxyConfiguration(&info);
}

/* ------------------------------------------------------------------ */
/* WinHttpSetDefaultProxyConfiguration / Get...                         */

/* Only ours carries this product name (see tests/loader.c). */
static BOOL testing_our_dll(void)
{
    char path[MAX_PATH];
    DWORD handle, len;
    void *info, *value;
    UINT value_len;
    BOOL ret = FALSE;

    GetModuleFileNameA(GetModuleHandleA("winhttp.dll"), path, sizeof(path));
    if (!(len = GetFileVersionInfoSizeA(path, &handle))) return FALSE;
    info = malloc(len);
    if (GetFileVersionInfoA(path, 0, len, info) &&
        VerQueryValueA(info, "\\StringFileInfo\\040904b0\\ProductName", &value, &value_len) && value_len)
        ret = !strcmp(value, "WinHTTP for Wine (clean-room)");
    free(info);
    return ret;
}

static void test_default_null_arguments(void)
{
    ok_err(WinHttpSetDefaultProxyConfiguration(NULL), ERROR_INVALID_PARAMETER);
    /* Undocumented; the usual invalid-parameter failure.  Wine's builtin
     * faults, which would end an informational WINHTTP=builtin run. */
    if (testing_our_dll()) ok_err(WinHttpGetDefaultProxyConfiguration(NULL), ERROR_INVALID_PARAMETER);
    else skip("WinHttpGetDefaultProxyConfiguration(NULL) faults in Wine's builtin\n");
}

static void test_default_without_value(void)
{
    save_default_proxy();
    delete_value(HKEY_LOCAL_MACHINE, connections_key, L"WinHttpSettings");
    check_default_proxy(WINHTTP_ACCESS_TYPE_NO_PROXY, NULL, NULL);
    restore_default_proxy();
}

static void test_set_named_proxy(void)
{
    static const BYTE expect[] =
    {
        0x18,0,0,0, 0,0,0,0, 2,0,0,0,
        18,0,0,0, 'p','r','o','x','y','.','e','x','a','m','p','l','e',':','8','0','8','0',
        21,0,0,0, '<','l','o','c','a','l','>',';','*','.','e','x','a','m','p','l','e','.','c','o','m',
    };

    save_default_proxy();
    SetLastError(0xdeadbeef);
    ok(set_default(WINHTTP_ACCESS_TYPE_NAMED_PROXY, L"proxy.example:8080", L"<local>;*.example.com"),
       "set failed: %lu\n", GetLastError());
    ok_u(GetLastError(), ERROR_SUCCESS);
    check_settings_bytes(expect);
    check_default_proxy(WINHTTP_ACCESS_TYPE_NAMED_PROXY, L"proxy.example:8080", L"<local>;*.example.com");
    restore_default_proxy();
}

static void test_set_named_proxy_without_bypass(void)
{
    static const BYTE expect[] = { 0x18,0,0,0, 0,0,0,0, 2,0,0,0, 3,0,0,0, 'p',':','1', 0,0,0,0 };

    save_default_proxy();
    ok(set_default(WINHTTP_ACCESS_TYPE_NAMED_PROXY, L"p:1", NULL), "set failed: %lu\n", GetLastError());
    check_settings_bytes(expect);
    /* the bypass list comes back as an empty string, not NULL */
    check_default_proxy(WINHTTP_ACCESS_TYPE_NAMED_PROXY, L"p:1", L"");

    ok(set_default(WINHTTP_ACCESS_TYPE_NAMED_PROXY, L"p:1", L""), "set failed: %lu\n", GetLastError());
    check_settings_bytes(expect);
    check_default_proxy(WINHTTP_ACCESS_TYPE_NAMED_PROXY, L"p:1", L"");
    restore_default_proxy();
}

static void test_set_named_proxy_list(void)
{
    static const BYTE expect[] =
    {
        0x18,0,0,0, 0,0,0,0, 2,0,0,0,
        22,0,0,0, 'h','t','t','p','=','a',':','1',';','h','t','t','p','s','=','b',':','2',' ','c',':','3',
        5,0,0,0, 'x',' ','y','\t','z',
    };

    save_default_proxy();
    ok(set_default(WINHTTP_ACCESS_TYPE_NAMED_PROXY, L"http=a:1;https=b:2 c:3", L"x y\tz"), "set failed: %lu\n", GetLastError());
    check_settings_bytes(expect);
    check_default_proxy(WINHTTP_ACCESS_TYPE_NAMED_PROXY, L"http=a:1;https=b:2 c:3", L"x y\tz");
    restore_default_proxy();
}

static void test_set_no_proxy(void)
{
    static const BYTE expect[] = { 0x18,0,0,0, 0,0,0,0, 1,0,0,0, 0,0,0,0, 0,0,0,0 };

    save_default_proxy();
    ok(set_default(WINHTTP_ACCESS_TYPE_NAMED_PROXY, L"p:1", NULL), "set failed: %lu\n", GetLastError());
    SetLastError(0xdeadbeef);
    ok(set_default(WINHTTP_ACCESS_TYPE_NO_PROXY, NULL, NULL), "set failed: %lu\n", GetLastError());
    ok_u(GetLastError(), ERROR_SUCCESS);
    check_settings_bytes(expect);
    check_default_proxy(WINHTTP_ACCESS_TYPE_NO_PROXY, NULL, NULL);

    /* strings given with NO_PROXY are not stored */
    ok(set_default(WINHTTP_ACCESS_TYPE_NO_PROXY, L"ignored:1", L"ignored"), "set failed: %lu\n", GetLastError());
    check_settings_bytes(expect);
    check_default_proxy(WINHTTP_ACCESS_TYPE_NO_PROXY, NULL, NULL);
    restore_default_proxy();
}

static void test_set_invalid_access_types(void)
{
    static const BYTE expect[] = { 0x18,0,0,0, 0,0,0,0, 2,0,0,0, 3,0,0,0, 'p',':','1', 0,0,0,0 };

    save_default_proxy();
    ok(set_default(WINHTTP_ACCESS_TYPE_NAMED_PROXY, L"p:1", NULL), "set failed: %lu\n", GetLastError());
    /* Only NO_PROXY and NAMED_PROXY can be stored; the setting is unchanged. */
    ok_err(set_default(WINHTTP_ACCESS_TYPE_DEFAULT_PROXY, NULL, NULL), ERROR_INVALID_PARAMETER);
    ok_err(set_default(WINHTTP_ACCESS_TYPE_DEFAULT_PROXY, L"x:1", NULL), ERROR_INVALID_PARAMETER);
    ok_err(set_default(WINHTTP_ACCESS_TYPE_AUTOMATIC_PROXY, NULL, NULL), ERROR_INVALID_PARAMETER);
    ok_err(set_default(2, L"x:1", NULL), ERROR_INVALID_PARAMETER);
    ok_err(set_default(99, L"x:1", NULL), ERROR_INVALID_PARAMETER);
    check_settings_bytes(expect);
    restore_default_proxy();
}

static void test_set_named_requires_proxy(void)
{
    static const BYTE expect[] = { 0x18,0,0,0, 0,0,0,0, 1,0,0,0, 0,0,0,0, 0,0,0,0 };

    save_default_proxy();
    ok(set_default(WINHTTP_ACCESS_TYPE_NO_PROXY, NULL, NULL), "set failed: %lu\n", GetLastError());
    ok_err(set_default(WINHTTP_ACCESS_TYPE_NAMED_PROXY, NULL, NULL), ERROR_INVALID_PARAMETER);
    ok_err(set_default(WINHTTP_ACCESS_TYPE_NAMED_PROXY, NULL, L"bypass"), ERROR_INVALID_PARAMETER);
    check_settings_bytes(expect);
    restore_default_proxy();
}

static void test_set_named_non_ascii(void)
{
    static const BYTE expect[] = { 0x18,0,0,0, 0,0,0,0, 1,0,0,0, 0,0,0,0, 0,0,0,0 };

    save_default_proxy();
    ok(set_default(WINHTTP_ACCESS_TYPE_NO_PROXY, NULL, NULL), "set failed: %lu\n", GetLastError());
    /* the value holds single-byte strings */
    ok_err(set_default(WINHTTP_ACCESS_TYPE_NAMED_PROXY, L"pr\x00f6xy:1", NULL), ERROR_INVALID_PARAMETER);
    ok_err(set_default(WINHTTP_ACCESS_TYPE_NAMED_PROXY, L"proxy:1", L"\x4e2d"), ERROR_INVALID_PARAMETER);
    check_settings_bytes(expect);
    restore_default_proxy();
}

static void test_set_named_empty_proxy(void)
{
    static const BYTE expect[] = { 0x18,0,0,0, 0,0,0,0, 2,0,0,0, 0,0,0,0, 0,0,0,0 };

    save_default_proxy();
    ok(set_default(WINHTTP_ACCESS_TYPE_NAMED_PROXY, L"", NULL), "set failed: %lu\n", GetLastError());
    check_settings_bytes(expect);
    /* Documented: NAMED_PROXY only "if the registry contains a list of
     * proxy servers".  (Wine's builtin reports NAMED_PROXY with "".) */
    check_default_proxy(WINHTTP_ACCESS_TYPE_NO_PROXY, NULL, NULL);
    restore_default_proxy();
}

static void test_get_blob_variants(void)
{
    static const BYTE both[] = { 0x18,0,0,0, 0,0,0,0, 3,0,0,0, 3,0,0,0, 'a',':','1', 2,0,0,0, 'b','c' };
    static const BYTE flags_all[] = { 0x18,0,0,0, 0,0,0,0, 7,0,0,0, 3,0,0,0, 'a',':','1', 0,0,0,0 };
    static const BYTE flags_direct[] = { 0x18,0,0,0, 0,0,0,0, 1,0,0,0, 3,0,0,0, 'a',':','1', 0,0,0,0 };
    static const BYTE flags_none[] = { 0x18,0,0,0, 0,0,0,0, 0,0,0,0, 3,0,0,0, 'a',':','1', 0,0,0,0 };
    static const BYTE netsh[] = { 0x28,0,0,0, 0,0,0,0, 3,0,0,0, 3,0,0,0, 'a',':','1', 0,0,0,0 };
    static const BYTE counter[] = { 0x18,0,0,0, 5,0,0,0, 3,0,0,0, 3,0,0,0, 'a',':','1', 0,0,0,0 };
    static const BYTE with_nul[] = { 0x18,0,0,0, 0,0,0,0, 3,0,0,0, 4,0,0,0, 'a',':','1',0, 0,0,0,0 };
    static const BYTE high_byte[] = { 0x18,0,0,0, 0,0,0,0, 3,0,0,0, 3,0,0,0, 0xe9,':','1', 0,0,0,0 };
    static const BYTE trailing[] = { 0x18,0,0,0, 0,0,0,0, 3,0,0,0, 3,0,0,0, 'a',':','1', 0,0,0,0, 1,2,3,4,5,6,7,8 };

    save_default_proxy();
    ok(!write_settings(both, sizeof(both), REG_BINARY), "cannot write\n");
    check_default_proxy(WINHTTP_ACCESS_TYPE_NAMED_PROXY, L"a:1", L"bc");
    /* PROXY_TYPE_PROXY (2) is what makes it a named proxy */
    ok(!write_settings(flags_all, sizeof(flags_all), REG_BINARY), "cannot write\n");
    check_default_proxy(WINHTTP_ACCESS_TYPE_NAMED_PROXY, L"a:1", L"");
    ok(!write_settings(flags_direct, sizeof(flags_direct), REG_BINARY), "cannot write\n");
    check_default_proxy(WINHTTP_ACCESS_TYPE_NO_PROXY, NULL, NULL);
    ok(!write_settings(flags_none, sizeof(flags_none), REG_BINARY), "cannot write\n");
    check_default_proxy(WINHTTP_ACCESS_TYPE_NO_PROXY, NULL, NULL);
    /* the version netsh writes, and a change counter, are read too
     * (Wine's builtin reads neither) */
    ok(!write_settings(netsh, sizeof(netsh), REG_BINARY), "cannot write\n");
    check_default_proxy(WINHTTP_ACCESS_TYPE_NAMED_PROXY, L"a:1", L"");
    ok(!write_settings(counter, sizeof(counter), REG_BINARY), "cannot write\n");
    check_default_proxy(WINHTTP_ACCESS_TYPE_NAMED_PROXY, L"a:1", L"");
    /* a NUL ends a string early; bytes are Latin-1; trailing data is ignored */
    ok(!write_settings(with_nul, sizeof(with_nul), REG_BINARY), "cannot write\n");
    check_default_proxy(WINHTTP_ACCESS_TYPE_NAMED_PROXY, L"a:1", L"");
    ok(!write_settings(high_byte, sizeof(high_byte), REG_BINARY), "cannot write\n");
    check_default_proxy(WINHTTP_ACCESS_TYPE_NAMED_PROXY, L"\x00e9:1", L"");
    ok(!write_settings(trailing, sizeof(trailing), REG_BINARY), "cannot write\n");
    check_default_proxy(WINHTTP_ACCESS_TYPE_NAMED_PROXY, L"a:1", L"");
    restore_default_proxy();
}

static void test_get_corrupt_blobs(void)
{
    static const BYTE valid[] = { 0x18,0,0,0, 0,0,0,0, 3,0,0,0, 3,0,0,0, 'a',':','1', 2,0,0,0, 'b','c' };
    static const BYTE proxy_too_long[] = { 0x18,0,0,0, 0,0,0,0, 3,0,0,0, 10,0,0,0, 'a',':','1' };
    static const BYTE bypass_too_long[] = { 0x18,0,0,0, 0,0,0,0, 3,0,0,0, 3,0,0,0, 'a',':','1', 5,0,0,0, 'x' };
    static const BYTE huge_length[] = { 0x18,0,0,0, 0,0,0,0, 3,0,0,0, 0xff,0xff,0xff,0xff, 'a',':','1', 0,0,0,0 };
    static const BYTE no_bypass_length[] = { 0x18,0,0,0, 0,0,0,0, 3,0,0,0, 3,0,0,0, 'a',':','1' };
    static const BYTE header_only[] = { 0x18,0,0,0, 0,0,0,0, 3,0,0,0 };
    static const BYTE short_header[] = { 0x18,0,0,0, 0,0 };
    static const BYTE unknown_version[] = { 0x46,0,0,0, 0,0,0,0, 3,0,0,0, 3,0,0,0, 'a',':','1', 0,0,0,0 };
    static const struct { const BYTE *data; DWORD size; DWORD type; } blobs[] =
    {
        { proxy_too_long, sizeof(proxy_too_long), REG_BINARY },
        { bypass_too_long, sizeof(bypass_too_long), REG_BINARY },
        { huge_length, sizeof(huge_length), REG_BINARY },
        { no_bypass_length, sizeof(no_bypass_length), REG_BINARY },
        { header_only, sizeof(header_only), REG_BINARY },
        { short_header, sizeof(short_header), REG_BINARY },
        { valid, 1, REG_BINARY },
        { valid, 0, REG_BINARY },
        { unknown_version, sizeof(unknown_version), REG_BINARY },
        { valid, sizeof(valid), REG_SZ },
        { valid, 4, REG_DWORD },
    };
    unsigned int i;

    /* Whatever the value holds, the answer is "no proxy", never a fault. */
    save_default_proxy();
    for (i = 0; i < ARRAYSIZE(blobs); i++)
    {
        ok(!write_settings(blobs[i].data, blobs[i].size, blobs[i].type), "cannot write blob %u\n", i);
        check_default_proxy(WINHTTP_ACCESS_TYPE_NO_PROXY, NULL, NULL);
    }
    /* and a corrupt value is simply replaced by the next Set */
    ok(set_default(WINHTTP_ACCESS_TYPE_NAMED_PROXY, L"a:1", L"bc"), "set failed: %lu\n", GetLastError());
    check_default_proxy(WINHTTP_ACCESS_TYPE_NAMED_PROXY, L"a:1", L"bc");
    restore_default_proxy();
}

static void test_get_random_blobs(void)
{
    /* Random bytes after a valid header: any answer, never a fault, and a
     * named proxy only with a proxy string. */
    BYTE blob[64];
    unsigned int i, j, size, seed = 4321, failures = 0;
    WINHTTP_PROXY_INFO info;

    save_default_proxy();
    for (i = 0; i < 200; i++)
    {
        for (j = 0; j < sizeof(blob); j++)
        {
            seed = seed * 1103515245 + 12345;
            blob[j] = (seed >> 16) % 4 ? (BYTE)(seed >> 8) % 24 : (BYTE)(seed >> 8);
        }
        blob[0] = 0x18; blob[1] = blob[2] = blob[3] = 0;
        size = (seed >> 20) % sizeof(blob);
        write_settings(blob, size, REG_BINARY);
        if (!WinHttpGetDefaultProxyConfiguration(&info)) { failures++; continue; }
        if (info.dwAccessType == WINHTTP_ACCESS_TYPE_NAMED_PROXY ? !info.lpszProxy || !info.lpszProxy[0] || !info.lpszProxyBypass
                                                                 : info.dwAccessType != WINHTTP_ACCESS_TYPE_NO_PROXY || info.lpszProxy)
            failures++;
        GlobalFree(info.lpszProxy);
        GlobalFree(info.lpszProxyBypass);
    }
    ok_u(failures, 0);
    restore_default_proxy();
}

static void test_get_does_not_read_input(void)
{
    WINHTTP_PROXY_INFO info;

    /* [in, out] in the prototype, but nothing is read from it */
    save_default_proxy();
    delete_value(HKEY_LOCAL_MACHINE, connections_key, L"WinHttpSettings");
    info.dwAccessType = WINHTTP_ACCESS_TYPE_NAMED_PROXY;
    info.lpszProxy = (WCHAR *)0xdeadbeef;
    info.lpszProxyBypass = (WCHAR *)0xdeadbeef;
    ok(WinHttpGetDefaultProxyConfiguration(&info), "get failed: %lu\n", GetLastError());
    ok_u(info.dwAccessType, WINHTTP_ACCESS_TYPE_NO_PROXY);
    ok(!info.lpszProxy && !info.lpszProxyBypass, "expected NULL strings, got %p %p\n", info.lpszProxy, info.lpszProxyBypass);
    restore_default_proxy();
}

/* ------------------------------------------------------------------ */
/* WinHttpGetIEProxyConfigForCurrentUser                               */

static struct saved_value saved_ie[5];

static void save_ie_settings(void)
{
    save_value(&saved_ie[0], HKEY_CURRENT_USER, connections_key, L"DefaultConnectionSettings");
    save_value(&saved_ie[1], HKEY_CURRENT_USER, settings_key, L"ProxyEnable");
    save_value(&saved_ie[2], HKEY_CURRENT_USER, settings_key, L"ProxyServer");
    save_value(&saved_ie[3], HKEY_CURRENT_USER, settings_key, L"ProxyOverride");
    save_value(&saved_ie[4], HKEY_CURRENT_USER, settings_key, L"AutoConfigURL");
}

static void restore_ie_settings(void)
{
    unsigned int i;
    for (i = 0; i < ARRAYSIZE(saved_ie); i++) restore_value(&saved_ie[i]);
}

static void clear_ie_settings(void)
{
    unsigned int i;
    for (i = 0; i < ARRAYSIZE(saved_ie); i++) delete_value(saved_ie[i].root, saved_ie[i].path, saved_ie[i].name);
}

static void set_ie_dword(const WCHAR *name, DWORD value)
{
    ok(!write_value(HKEY_CURRENT_USER, settings_key, name, REG_DWORD, &value, sizeof(value)), "cannot write %ls\n", name);
}

static void set_ie_string(const WCHAR *name, const WCHAR *value)
{
    ok(!write_value(HKEY_CURRENT_USER, settings_key, name, REG_SZ, value, (lstrlenW(value) + 1) * sizeof(WCHAR)),
       "cannot write %ls\n", name);
}

static void set_ie_blob(const BYTE *blob, DWORD size)
{
    ok(!write_value(HKEY_CURRENT_USER, connections_key, L"DefaultConnectionSettings", REG_BINARY, blob, size),
       "cannot write DefaultConnectionSettings\n");
}

#define check_ie_config(a, u, p, b) check_ie_config_(__LINE__, a, u, p, b)
static void check_ie_config_(int line, BOOL auto_detect, const WCHAR *url, const WCHAR *proxy, const WCHAR *bypass)
{
    WINHTTP_CURRENT_USER_IE_PROXY_CONFIG config;
    BOOL ret;

    memset(&config, 0xcc, sizeof(config));
    SetLastError(0xdeadbeef);
    ret = WinHttpGetIEProxyConfigForCurrentUser(&config);
    test_report(ret, __FILE__, line, "WinHttpGetIEProxyConfigForCurrentUser failed: %lu", GetLastError());
    if (!ret) return;
    test_report(GetLastError() == ERROR_SUCCESS, __FILE__, line, "expected last error 0, got %lu", GetLastError());
    test_report(config.fAutoDetect == auto_detect, __FILE__, line, "expected fAutoDetect %d, got %d", auto_detect, config.fAutoDetect);
    test_report(test_wcs_eq(config.lpszAutoConfigUrl, url), __FILE__, line, "expected URL %ls, got %ls",
                url ? url : L"(null)", config.lpszAutoConfigUrl ? config.lpszAutoConfigUrl : L"(null)");
    test_report(test_wcs_eq(config.lpszProxy, proxy), __FILE__, line, "expected proxy %ls, got %ls",
                proxy ? proxy : L"(null)", config.lpszProxy ? config.lpszProxy : L"(null)");
    test_report(test_wcs_eq(config.lpszProxyBypass, bypass), __FILE__, line, "expected bypass %ls, got %ls",
                bypass ? bypass : L"(null)", config.lpszProxyBypass ? config.lpszProxyBypass : L"(null)");
    if (config.lpszAutoConfigUrl)
        test_report(global_string_ok(config.lpszAutoConfigUrl) && !GlobalFree(config.lpszAutoConfigUrl),
                    __FILE__, line, "URL is not a global allocation");
    if (config.lpszProxy)
        test_report(global_string_ok(config.lpszProxy) && !GlobalFree(config.lpszProxy),
                    __FILE__, line, "proxy is not a global allocation");
    if (config.lpszProxyBypass)
        test_report(global_string_ok(config.lpszProxyBypass) && !GlobalFree(config.lpszProxyBypass),
                    __FILE__, line, "bypass is not a global allocation");
}

static void test_ie_null_argument(void)
{
    ok_err(WinHttpGetIEProxyConfigForCurrentUser(NULL), ERROR_INVALID_PARAMETER);
}

static void test_ie_nothing_configured(void)
{
    /* IE's default: "automatically detect settings", nothing else */
    save_ie_settings();
    clear_ie_settings();
    check_ie_config(TRUE, NULL, NULL, NULL);
    restore_ie_settings();
}

static void test_ie_values(void)
{
    /* Without a connection blob, the Internet Settings values count (what
     * Wine's configuration writes; Wine's builtin ignores them). */
    save_ie_settings();
    clear_ie_settings();
    set_ie_string(L"ProxyServer", L"srv:80");
    check_ie_config(TRUE, NULL, NULL, NULL);          /* not enabled */
    set_ie_dword(L"ProxyEnable", 0);
    check_ie_config(TRUE, NULL, NULL, NULL);
    set_ie_dword(L"ProxyEnable", 1);
    check_ie_config(TRUE, NULL, L"srv:80", NULL);
    set_ie_string(L"ProxyOverride", L"<local>;*.x");
    check_ie_config(TRUE, NULL, L"srv:80", L"<local>;*.x");
    set_ie_string(L"AutoConfigURL", L"http://pac/x.pac");
    check_ie_config(TRUE, L"http://pac/x.pac", L"srv:80", L"<local>;*.x");
    set_ie_dword(L"ProxyEnable", 0);
    check_ie_config(TRUE, L"http://pac/x.pac", NULL, NULL);
    restore_ie_settings();
}

static void test_ie_values_empty_and_odd(void)
{
    save_ie_settings();
    clear_ie_settings();
    /* empty strings are "not set" */
    set_ie_dword(L"ProxyEnable", 1);
    set_ie_string(L"ProxyServer", L"");
    set_ie_string(L"ProxyOverride", L"<local>");
    set_ie_string(L"AutoConfigURL", L"");
    check_ie_config(TRUE, NULL, NULL, NULL);
    /* any non-zero ProxyEnable enables */
    set_ie_dword(L"ProxyEnable", 5);
    set_ie_string(L"ProxyServer", L"srv:80");
    check_ie_config(TRUE, NULL, L"srv:80", L"<local>");
    /* values of the wrong type are ignored */
    ok(!write_value(HKEY_CURRENT_USER, settings_key, L"ProxyEnable", REG_SZ, L"1", 4), "cannot write\n");
    check_ie_config(TRUE, NULL, NULL, NULL);
    set_ie_dword(L"ProxyEnable", 1);
    {
        DWORD seven = 7;
        ok(!write_value(HKEY_CURRENT_USER, settings_key, L"ProxyServer", REG_DWORD, &seven, 4), "cannot write\n");
    }
    check_ie_config(TRUE, NULL, NULL, NULL);
    /* a string without its terminator is still read safely */
    ok(!write_value(HKEY_CURRENT_USER, settings_key, L"ProxyServer", REG_SZ, L"srv:81", 6 * sizeof(WCHAR)), "cannot write\n");
    check_ie_config(TRUE, NULL, L"srv:81", L"<local>");
    ok(!write_value(HKEY_CURRENT_USER, settings_key, L"ProxyServer", REG_SZ, L"srv:81", 6 * sizeof(WCHAR) - 1), "cannot write\n");
    {
        WINHTTP_CURRENT_USER_IE_PROXY_CONFIG config;
        ok(WinHttpGetIEProxyConfigForCurrentUser(&config), "odd-sized string: failed %lu\n", GetLastError());
        GlobalFree(config.lpszAutoConfigUrl);
        GlobalFree(config.lpszProxy);
        GlobalFree(config.lpszProxyBypass);
    }
    restore_ie_settings();
}

static void test_ie_blob(void)
{
    static const BYTE autodetect[] = { 0x46,0,0,0, 2,0,0,0, 9,0,0,0, 0,0,0,0, 0,0,0,0, 0,0,0,0, 0,0,0,0 };
    static const BYTE direct[] = { 0x46,0,0,0, 2,0,0,0, 1,0,0,0, 0,0,0,0, 0,0,0,0, 0,0,0,0, 0,0,0,0 };
    static const BYTE manual[] =
        { 0x46,0,0,0, 2,0,0,0, 3,0,0,0, 5,0,0,0, 'b','p',':','9','9', 3,0,0,0, 'b','y','p', 0,0,0,0 };
    static const BYTE pac[] =
        { 0x46,0,0,0, 2,0,0,0, 5,0,0,0, 0,0,0,0, 0,0,0,0, 10,0,0,0, 'h','t','t','p',':','/','/','p','a','c' };
    static const BYTE all[] =
        { 0x46,0,0,0, 2,0,0,0, 0xf,0,0,0, 5,0,0,0, 'b','p',':','9','9', 3,0,0,0, 'b','y','p',
          10,0,0,0, 'h','t','t','p',':','/','/','p','a','c', 0,0,0,0, 0,0,0,0 };
    static const BYTE disabled[] =
        { 0x46,0,0,0, 2,0,0,0, 1,0,0,0, 5,0,0,0, 'b','p',':','9','9', 3,0,0,0, 'b','y','p',
          10,0,0,0, 'h','t','t','p',':','/','/','p','a','c' };
    static const BYTE no_bypass[] =
        { 0x46,0,0,0, 2,0,0,0, 3,0,0,0, 5,0,0,0, 'b','p',':','9','9', 0,0,0,0, 0,0,0,0 };
    static const BYTE ie6[] = { 0x3c,0,0,0, 2,0,0,0, 9,0,0,0, 0,0,0,0, 0,0,0,0, 0,0,0,0 };

    save_ie_settings();
    clear_ie_settings();
    set_ie_blob(autodetect, sizeof(autodetect));
    check_ie_config(TRUE, NULL, NULL, NULL);
    set_ie_blob(direct, sizeof(direct));
    check_ie_config(FALSE, NULL, NULL, NULL);
    set_ie_blob(manual, sizeof(manual));
    check_ie_config(FALSE, NULL, L"bp:99", L"byp");
    set_ie_blob(pac, sizeof(pac));
    check_ie_config(FALSE, L"http://pac", NULL, NULL);
    set_ie_blob(all, sizeof(all));
    check_ie_config(TRUE, L"http://pac", L"bp:99", L"byp");
    /* strings whose checkbox is off are not reported (documented for the
     * proxy: "if ... specifies 'use a proxy server'") */
    set_ie_blob(disabled, sizeof(disabled));
    check_ie_config(FALSE, NULL, NULL, NULL);
    set_ie_blob(no_bypass, sizeof(no_bypass));
    check_ie_config(FALSE, NULL, L"bp:99", NULL);
    /* the blob's version is not checked */
    set_ie_blob(ie6, sizeof(ie6));
    check_ie_config(TRUE, NULL, NULL, NULL);
    restore_ie_settings();
}

static void test_ie_blob_wins_over_values(void)
{
    static const BYTE direct[] = { 0x46,0,0,0, 2,0,0,0, 1,0,0,0, 0,0,0,0, 0,0,0,0, 0,0,0,0, 0,0,0,0 };

    save_ie_settings();
    clear_ie_settings();
    set_ie_dword(L"ProxyEnable", 1);
    set_ie_string(L"ProxyServer", L"srv:80");
    set_ie_string(L"AutoConfigURL", L"http://pac/");
    set_ie_blob(direct, sizeof(direct));
    check_ie_config(FALSE, NULL, NULL, NULL);
    restore_ie_settings();
}

static void test_ie_corrupt_blob(void)
{
    static const BYTE flags_only[] = { 0x46,0,0,0, 2,0,0,0, 0xf,0,0,0 };
    static const BYTE short_blob[] = { 0x46,0,0,0, 2,0,0,0, 9,0 };
    static const BYTE proxy_too_long[] = { 0x46,0,0,0, 2,0,0,0, 0xb,0,0,0, 50,0,0,0, 'b','p' };
    static const BYTE huge_length[] = { 0x46,0,0,0, 2,0,0,0, 0xb,0,0,0, 0xff,0xff,0xff,0xff, 'b','p' };
    static const BYTE url_too_long[] =
        { 0x46,0,0,0, 2,0,0,0, 0xf,0,0,0, 5,0,0,0, 'b','p',':','9','9', 0,0,0,0, 9,0,0,0, 'h' };

    save_ie_settings();
    clear_ie_settings();
    /* the flags alone are enough to read */
    set_ie_blob(flags_only, sizeof(flags_only));
    check_ie_config(TRUE, NULL, NULL, NULL);
    /* truncated strings are left out, the flags still count */
    set_ie_blob(proxy_too_long, sizeof(proxy_too_long));
    check_ie_config(TRUE, NULL, NULL, NULL);
    if (testing_our_dll())
    {
        set_ie_blob(huge_length, sizeof(huge_length));
        check_ie_config(TRUE, NULL, NULL, NULL);
        set_ie_blob(url_too_long, sizeof(url_too_long));
        check_ie_config(TRUE, NULL, L"bp:99", NULL);
    }
    else skip("Wine's builtin faults on string lengths beyond the blob\n");
    /* a blob too short for the flags is ignored: the values count */
    set_ie_dword(L"ProxyEnable", 1);
    set_ie_string(L"ProxyServer", L"srv:80");
    set_ie_blob(short_blob, sizeof(short_blob));
    check_ie_config(TRUE, NULL, L"srv:80", NULL);
    set_ie_blob(short_blob, 0);
    check_ie_config(TRUE, NULL, L"srv:80", NULL);
    restore_ie_settings();
}

int main(void)
{
    run_test("default_null_arguments", test_default_null_arguments);
    run_test("default_without_value", test_default_without_value);
    run_test("set_named_proxy", test_set_named_proxy);
    run_test("set_named_proxy_without_bypass", test_set_named_proxy_without_bypass);
    run_test("set_named_proxy_list", test_set_named_proxy_list);
    run_test("set_no_proxy", test_set_no_proxy);
    run_test("set_invalid_access_types", test_set_invalid_access_types);
    run_test("set_named_requires_proxy", test_set_named_requires_proxy);
    run_test("set_named_non_ascii", test_set_named_non_ascii);
    run_test("set_named_empty_proxy", test_set_named_empty_proxy);
    run_test("get_blob_variants", test_get_blob_variants);
    run_test("get_corrupt_blobs", test_get_corrupt_blobs);
    run_test("get_random_blobs", test_get_random_blobs);
    run_test("get_does_not_read_input", test_get_does_not_read_input);
    run_test("ie_null_argument", test_ie_null_argument);
    run_test("ie_nothing_configured", test_ie_nothing_configured);
    run_test("ie_values", test_ie_values);
    run_test("ie_values_empty_and_odd", test_ie_values_empty_and_odd);
    run_test("ie_blob", test_ie_blob);
    run_test("ie_blob_wins_over_values", test_ie_blob_wins_over_values);
    run_test("ie_corrupt_blob", test_ie_corrupt_blob);
    return test_summary();
}
