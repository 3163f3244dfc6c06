/*
 * The machine's default proxy (WinHttpGet/SetDefaultProxyConfiguration) and
 * the current user's IE proxy settings, kept in the registry.
 *
 * The default proxy is the REG_BINARY value WinHttpSettings under
 * HKLM\Software\Microsoft\Windows\CurrentVersion\Internet Settings\Connections
 * (where "netsh winhttp set proxy" keeps it).  Its layout, the same as the
 * start of the IE connection blobs, little-endian:
 *
 *   DWORD version      0x18 as Wine's builtin writes it; netsh writes 0x28
 *   DWORD counter      0
 *   DWORD flags        PROXY_TYPE_DIRECT 1, PROXY_TYPE_PROXY 2
 *   DWORD length       then that many bytes: the proxy list (ASCII, no NUL)
 *   DWORD length       then that many bytes: the bypass list
 *
 * The IE settings are HKCU's Connections\DefaultConnectionSettings blob,
 * which continues with the auto-config URL and has PROXY_TYPE_AUTO_PROXY_URL
 * 4 and PROXY_TYPE_AUTO_DETECT 8 flags, or, where no blob was written (a
 * fresh Wine prefix), the older ProxyEnable / ProxyServer / ProxyOverride /
 * AutoConfigURL values of the Internet Settings key.
 */
#include "winhttp_private.h"
#include "autoproxy.h"

WINE_DEFAULT_DEBUG_CHANNEL(winhttp);

static const WCHAR internet_settings_keyW[] =
    {'S','o','f','t','w','a','r','e','\\','M','i','c','r','o','s','o','f','t','\\','W','i','n','d','o','w','s','\\',
     'C','u','r','r','e','n','t','V','e','r','s','i','o','n','\\','I','n','t','e','r','n','e','t',' ',
     'S','e','t','t','i','n','g','s',0};
static const WCHAR connections_keyW[] =
    {'S','o','f','t','w','a','r','e','\\','M','i','c','r','o','s','o','f','t','\\','W','i','n','d','o','w','s','\\',
     'C','u','r','r','e','n','t','V','e','r','s','i','o','n','\\','I','n','t','e','r','n','e','t',' ',
     'S','e','t','t','i','n','g','s','\\','C','o','n','n','e','c','t','i','o','n','s',0};
static const WCHAR winhttp_settingsW[] = {'W','i','n','H','t','t','p','S','e','t','t','i','n','g','s',0};
static const WCHAR default_connection_settingsW[] =
    {'D','e','f','a','u','l','t','C','o','n','n','e','c','t','i','o','n','S','e','t','t','i','n','g','s',0};
static const WCHAR proxy_enableW[] = {'P','r','o','x','y','E','n','a','b','l','e',0};
static const WCHAR proxy_serverW[] = {'P','r','o','x','y','S','e','r','v','e','r',0};
static const WCHAR proxy_overrideW[] = {'P','r','o','x','y','O','v','e','r','r','i','d','e',0};
static const WCHAR auto_config_urlW[] = {'A','u','t','o','C','o','n','f','i','g','U','R','L',0};

#define WINHTTP_SETTINGS_VERSION        0x18
#define WINHTTP_SETTINGS_VERSION_NETSH  0x28

#define PROXY_TYPE_DIRECT          0x1
#define PROXY_TYPE_PROXY           0x2
#define PROXY_TYPE_AUTO_PROXY_URL  0x4
#define PROXY_TYPE_AUTO_DETECT     0x8

/* ------------------------------------------------------------------ */
/* Strings handed to the application (it frees them with GlobalFree)   */

static WCHAR *global_strdupW(const WCHAR *s)
{
    size_t len = strlenW(s);
    WCHAR *ret = GlobalAlloc(GMEM_FIXED, (len + 1) * sizeof(WCHAR));
    if (ret)
    {
        memcpy(ret, s, len * sizeof(WCHAR));
        ret[len] = 0;
    }
    return ret;
}

/* The blobs hold single-byte strings; they may stop early at a NUL. */
static WCHAR *global_strdup_bytes(const BYTE *s, DWORD len)
{
    WCHAR *ret;
    DWORD i;

    for (i = 0; i < len && s[i]; i++);
    len = i;
    if (!(ret = GlobalAlloc(GMEM_FIXED, (len + 1) * sizeof(WCHAR)))) return NULL;
    for (i = 0; i < len; i++) ret[i] = s[i];
    ret[len] = 0;
    return ret;
}

/* ------------------------------------------------------------------ */
/* Registry access                                                     */

/* A whole value, malloc'ed; NULL (with *err) when absent or unreadable. */
static BYTE *read_value(HKEY root, const WCHAR *path, const WCHAR *name, DWORD *type, DWORD *size, LONG *err)
{
    BYTE *data = NULL, *tmp;
    HKEY key;
    int tries;

    if ((*err = RegOpenKeyExW(root, path, 0, KEY_READ, &key))) return NULL;
    for (tries = 0; tries < 4; tries++)
    {
        *size = 0;
        if ((*err = RegQueryValueExW(key, name, NULL, type, NULL, size))) break;
        /* room for a terminator, so strings without one (or with an odd
         * byte count) stay safe */
        if (!(tmp = realloc(data, *size + 2 * sizeof(WCHAR))))
        {
            *err = ERROR_NOT_ENOUGH_MEMORY;
            break;
        }
        data = tmp;
        *err = RegQueryValueExW(key, name, NULL, type, data, size);
        if (*err != ERROR_MORE_DATA) break;   /* ERROR_MORE_DATA: it grew meanwhile */
    }
    RegCloseKey(key);
    if (*err)
    {
        free(data);
        return NULL;
    }
    memset(data + *size, 0, 2 * sizeof(WCHAR));
    return data;
}

/* Reads the little-endian DWORDs and length-prefixed strings of a blob. */
struct blob_reader
{
    const BYTE *data;
    DWORD size, pos;
};

static BOOL blob_dword(struct blob_reader *r, DWORD *value)
{
    if (r->size - r->pos < 4) return FALSE;
    *value = r->data[r->pos] | r->data[r->pos + 1] << 8 | r->data[r->pos + 2] << 16 | (DWORD)r->data[r->pos + 3] << 24;
    r->pos += 4;
    return TRUE;
}

static BOOL blob_string(struct blob_reader *r, const BYTE **str, DWORD *len)
{
    if (!blob_dword(r, len)) return FALSE;
    if (r->size - r->pos < *len) return FALSE;
    *str = r->data + r->pos;
    r->pos += *len;
    return TRUE;
}

static void blob_put_dword(BYTE *p, DWORD value)
{
    p[0] = value;
    p[1] = value >> 8;
    p[2] = value >> 16;
    p[3] = value >> 24;
}

/* ------------------------------------------------------------------ */
/* The machine default proxy                                           */

/* The documented result for no usable setting. */
static void set_no_proxy(WINHTTP_PROXY_INFO *info)
{
    info->dwAccessType = WINHTTP_ACCESS_TYPE_NO_PROXY;
    info->lpszProxy = info->lpszProxyBypass = NULL;
}

/* Fills *info from a WinHttpSettings blob: ERROR_SUCCESS, or
 * ERROR_NOT_ENOUGH_MEMORY.  Garbage reads as "no proxy". */
static DWORD parse_winhttp_settings(const BYTE *data, DWORD size, WINHTTP_PROXY_INFO *info)
{
    struct blob_reader r = { data, size, 0 };
    DWORD version, counter, flags, proxy_len, bypass_len;
    const BYTE *proxy, *bypass;

    set_no_proxy(info);
    if (!blob_dword(&r, &version) || !blob_dword(&r, &counter) || !blob_dword(&r, &flags) ||
        !blob_string(&r, &proxy, &proxy_len) || !blob_string(&r, &bypass, &bypass_len))
    {
        WARN("truncated WinHttpSettings (%u bytes), using no proxy\n", size);
        return ERROR_SUCCESS;
    }
    /* Wine's builtin only reads its own 0x18; netsh's 0x28 has the same
     * layout, so a value imported from Windows works too. */
    if (version != WINHTTP_SETTINGS_VERSION && version != WINHTTP_SETTINGS_VERSION_NETSH)
    {
        WARN("unknown WinHttpSettings version %#x, using no proxy\n", version);
        return ERROR_SUCCESS;
    }
    if (r.pos != size) TRACE("ignoring %u trailing bytes\n", size - r.pos);
    if (!(flags & PROXY_TYPE_PROXY)) return ERROR_SUCCESS;
    /* Documented: "If the registry contains a list of proxy servers,
     * dwAccessType is NAMED_PROXY, otherwise NO_PROXY."  Wine's builtin
     * reports NAMED_PROXY with "" for an empty list; the documentation wins. */
    if (!proxy_len || !proxy[0]) return ERROR_SUCCESS;

    /* Both strings are allocated, the bypass list as "" when empty, as
     * Wine's builtin does. */
    if (!(info->lpszProxy = global_strdup_bytes(proxy, proxy_len)) ||
        !(info->lpszProxyBypass = global_strdup_bytes(bypass, bypass_len)))
    {
        GlobalFree(info->lpszProxy);
        set_no_proxy(info);
        return ERROR_NOT_ENOUGH_MEMORY;
    }
    info->dwAccessType = WINHTTP_ACCESS_TYPE_NAMED_PROXY;
    return ERROR_SUCCESS;
}

static DWORD get_default_proxy(WINHTTP_PROXY_INFO *info)
{
    DWORD type, size, ret;
    LONG err;
    BYTE *data;

    set_no_proxy(info);
    if (!(data = read_value(HKEY_LOCAL_MACHINE, connections_keyW, winhttp_settingsW, &type, &size, &err)))
    {
        if (err == ERROR_NOT_ENOUGH_MEMORY) return err;
        TRACE("no WinHttpSettings (%d), no proxy\n", err);
        return ERROR_SUCCESS;
    }
    if (type != REG_BINARY)
    {
        WARN("WinHttpSettings has type %u, not REG_BINARY; using no proxy\n", type);
        ret = ERROR_SUCCESS;
    }
    else ret = parse_winhttp_settings(data, size, info);
    free(data);
    return ret;
}

BOOL proxy_config_get_default(WINHTTP_PROXY_INFO *info)
{
    return get_default_proxy(info) == ERROR_SUCCESS;
}

/* The proxy and bypass lists are stored as single bytes: anything beyond
 * ASCII cannot be, and Wine's builtin rejects it (ERROR_INVALID_PARAMETER). */
static BOOL is_ascii(const WCHAR *s)
{
    for (; s && *s; s++) if (*s >= 0x80) return FALSE;
    return TRUE;
}

static DWORD set_default_proxy(const WINHTTP_PROXY_INFO *info)
{
    const WCHAR *proxy = NULL, *bypass = NULL;
    DWORD proxy_len = 0, bypass_len = 0, size, i;
    BYTE *blob, *p;
    HKEY key;
    LONG err;

    switch (info->dwAccessType)
    {
    case WINHTTP_ACCESS_TYPE_NO_PROXY:
        /* strings given with NO_PROXY are ignored, not stored */
        break;
    case WINHTTP_ACCESS_TYPE_NAMED_PROXY:
        if (!info->lpszProxy) return ERROR_INVALID_PARAMETER;
        if (!is_ascii(info->lpszProxy) || !is_ascii(info->lpszProxyBypass)) return ERROR_INVALID_PARAMETER;
        proxy = info->lpszProxy;
        bypass = info->lpszProxyBypass;
        proxy_len = strlenW(proxy);
        bypass_len = strlenW(bypass);
        break;
    default:
        /* The documentation's remark that DEFAULT_PROXY may be passed when no
         * proxy is wanted does not hold: DEFAULT_PROXY, AUTOMATIC_PROXY and
         * anything else are ERROR_INVALID_PARAMETER (Wine's builtin too). */
        return ERROR_INVALID_PARAMETER;
    }

    size = 5 * sizeof(DWORD) + proxy_len + bypass_len;
    if (!(blob = malloc(size))) return ERROR_NOT_ENOUGH_MEMORY;
    p = blob;
    blob_put_dword(p, WINHTTP_SETTINGS_VERSION); p += 4;
    blob_put_dword(p, 0); p += 4;
    blob_put_dword(p, proxy ? PROXY_TYPE_PROXY : PROXY_TYPE_DIRECT); p += 4;
    blob_put_dword(p, proxy_len); p += 4;
    for (i = 0; i < proxy_len; i++) *p++ = proxy[i];
    blob_put_dword(p, bypass_len); p += 4;
    for (i = 0; i < bypass_len; i++) *p++ = bypass[i];

    if (!(err = RegCreateKeyExW(HKEY_LOCAL_MACHINE, connections_keyW, 0, NULL, 0, KEY_SET_VALUE, NULL, &key, NULL)))
    {
        err = RegSetValueExW(key, winhttp_settingsW, 0, REG_BINARY, blob, size);
        RegCloseKey(key);
    }
    free(blob);
    if (err) WARN("cannot write WinHttpSettings: %d\n", err);
    else autoproxy_notify_change();
    return err;
}

BOOL WINAPI WinHttpGetDefaultProxyConfiguration(WINHTTP_PROXY_INFO *info)
{
    DWORD err;

    TRACE("(%p)\n", info);

    /* Wine's builtin faults on NULL; nothing is documented, so it is the
     * usual invalid-parameter failure. */
    if (!info) err = ERROR_INVALID_PARAMETER;
    else err = get_default_proxy(info);

    if (err)
    {
        SetLastError(err);
        return FALSE;
    }
    TRACE("-> access %u, proxy %s, bypass %s\n", info->dwAccessType, debugstr_w(info->lpszProxy),
          debugstr_w(info->lpszProxyBypass));
    SetLastError(ERROR_SUCCESS);
    return TRUE;
}

BOOL WINAPI WinHttpSetDefaultProxyConfiguration(WINHTTP_PROXY_INFO *info)
{
    DWORD err;

    TRACE("(%p)\n", info);
    if (info) TRACE("access %u, proxy %s, bypass %s\n", info->dwAccessType, debugstr_w(info->lpszProxy),
                    debugstr_w(info->lpszProxyBypass));

    if (!info) err = ERROR_INVALID_PARAMETER;
    else err = set_default_proxy(info);

    if (err)
    {
        SetLastError(err);
        return FALSE;
    }
    SetLastError(ERROR_SUCCESS);
    return TRUE;
}

/* ------------------------------------------------------------------ */
/* The current user's IE settings                                      */

static void free_ie_config(WINHTTP_CURRENT_USER_IE_PROXY_CONFIG *config)
{
    GlobalFree(config->lpszAutoConfigUrl);
    GlobalFree(config->lpszProxy);
    GlobalFree(config->lpszProxyBypass);
    config->lpszAutoConfigUrl = config->lpszProxy = config->lpszProxyBypass = NULL;
}

/* An empty string in the settings means "not set": NULL, not "". */
static BOOL set_blob_string(WCHAR **out, const BYTE *s, DWORD len)
{
    if (!len || !s[0]) return TRUE;
    return (*out = global_strdup_bytes(s, len)) != NULL;
}

/* From a DefaultConnectionSettings blob: FALSE if it is unusable (too
 * short to hold the flags), ERROR_NOT_ENOUGH_MEMORY in *err. */
static BOOL ie_config_from_blob(const BYTE *data, DWORD size, WINHTTP_CURRENT_USER_IE_PROXY_CONFIG *config, DWORD *err)
{
    struct blob_reader r = { data, size, 0 };
    DWORD version, counter, flags, proxy_len, bypass_len, url_len;
    const BYTE *proxy, *bypass, *url;

    *err = ERROR_SUCCESS;
    /* The version differs between IE releases (0x3c, 0x46, ...), the layout
     * does not; it is not checked. */
    if (!blob_dword(&r, &version) || !blob_dword(&r, &counter) || !blob_dword(&r, &flags))
    {
        WARN("DefaultConnectionSettings too short (%u bytes), ignored\n", size);
        return FALSE;
    }
    TRACE("version %#x, counter %u, flags %#x\n", version, counter, flags);
    config->fAutoDetect = (flags & PROXY_TYPE_AUTO_DETECT) != 0;

    /* The strings are kept even while their checkbox is off; only the
     * enabled ones are reported (documented for lpszProxy and
     * lpszAutoConfigUrl, and so in Wine's builtin). */
    if (!blob_string(&r, &proxy, &proxy_len) || !blob_string(&r, &bypass, &bypass_len))
    {
        if (flags & (PROXY_TYPE_PROXY | PROXY_TYPE_AUTO_PROXY_URL))
            WARN("DefaultConnectionSettings truncated (%u bytes), no proxy strings\n", size);
        return TRUE;
    }
    if (flags & PROXY_TYPE_PROXY)
    {
        if (!set_blob_string(&config->lpszProxy, proxy, proxy_len) ||
            !set_blob_string(&config->lpszProxyBypass, bypass, bypass_len))
            goto oom;
    }
    if (!blob_string(&r, &url, &url_len))
    {
        if (flags & PROXY_TYPE_AUTO_PROXY_URL)
            WARN("DefaultConnectionSettings truncated (%u bytes), no auto-config URL\n", size);
        return TRUE;
    }
    if ((flags & PROXY_TYPE_AUTO_PROXY_URL) && !set_blob_string(&config->lpszAutoConfigUrl, url, url_len))
        goto oom;
    return TRUE;

oom:
    free_ie_config(config);
    *err = ERROR_NOT_ENOUGH_MEMORY;
    return TRUE;
}

/* A REG_SZ / REG_EXPAND_SZ value as a GlobalAlloc'ed string; NULL (and
 * ERROR_SUCCESS) when absent, empty or of another type. */
static DWORD read_string_value(const WCHAR *name, WCHAR **out)
{
    DWORD type, size, err = ERROR_SUCCESS;
    LONG ret;
    BYTE *data;

    *out = NULL;
    if (!(data = read_value(HKEY_CURRENT_USER, internet_settings_keyW, name, &type, &size, &ret)))
        return ret == ERROR_NOT_ENOUGH_MEMORY ? ERROR_NOT_ENOUGH_MEMORY : ERROR_SUCCESS;
    if (type != REG_SZ && type != REG_EXPAND_SZ)
        WARN("%s has type %u, ignored\n", debugstr_w(name), type);
    else if (((WCHAR *)data)[0] && !(*out = global_strdupW((WCHAR *)data)))
        err = ERROR_NOT_ENOUGH_MEMORY;
    free(data);
    return err;
}

static BOOL proxy_enabled(void)
{
    DWORD type, size, value = 0;
    LONG err;
    BYTE *data;

    if (!(data = read_value(HKEY_CURRENT_USER, internet_settings_keyW, proxy_enableW, &type, &size, &err)))
        return FALSE;
    if (type == REG_DWORD && size == sizeof(DWORD)) memcpy(&value, data, sizeof(value));
    else WARN("ProxyEnable has type %u size %u, ignored\n", type, size);
    free(data);
    return value != 0;
}

/* The values WinINet kept before the connection blobs, and that Wine's own
 * configuration (and its users) still write. */
static DWORD ie_config_from_values(WINHTTP_CURRENT_USER_IE_PROXY_CONFIG *config)
{
    DWORD err;

    /* Without a blob, IE's default -- "automatically detect settings" on --
     * is what Windows reports, and Wine's builtin too. */
    config->fAutoDetect = TRUE;
    if ((err = read_string_value(auto_config_urlW, &config->lpszAutoConfigUrl))) goto fail;
    if (!proxy_enabled()) return ERROR_SUCCESS;
    if ((err = read_string_value(proxy_serverW, &config->lpszProxy))) goto fail;
    if (!config->lpszProxy) return ERROR_SUCCESS;
    if ((err = read_string_value(proxy_overrideW, &config->lpszProxyBypass))) goto fail;
    return ERROR_SUCCESS;

fail:
    free_ie_config(config);
    return err;
}

static DWORD get_ie_config(WINHTTP_CURRENT_USER_IE_PROXY_CONFIG *config)
{
    DWORD type, size, err = ERROR_SUCCESS;
    BOOL used = FALSE;
    LONG ret;
    BYTE *data;

    memset(config, 0, sizeof(*config));
    if ((data = read_value(HKEY_CURRENT_USER, connections_keyW, default_connection_settingsW, &type, &size, &ret)))
    {
        if (type == REG_BINARY) used = ie_config_from_blob(data, size, config, &err);
        else WARN("DefaultConnectionSettings has type %u, ignored\n", type);
        free(data);
    }
    else if (ret == ERROR_NOT_ENOUGH_MEMORY) return ret;
    if (err) return err;
    if (!used) err = ie_config_from_values(config);
    return err;
}

BOOL WINAPI WinHttpGetIEProxyConfigForCurrentUser(WINHTTP_CURRENT_USER_IE_PROXY_CONFIG *config)
{
    DWORD err;

    TRACE("(%p)\n", config);

    if (!config) err = ERROR_INVALID_PARAMETER;
    else err = get_ie_config(config);

    if (err)
    {
        SetLastError(err);
        return FALSE;
    }
    TRACE("-> auto-detect %d, auto-config URL %s, proxy %s, bypass %s\n", config->fAutoDetect,
          debugstr_w(config->lpszAutoConfigUrl), debugstr_w(config->lpszProxy), debugstr_w(config->lpszProxyBypass));
    SetLastError(ERROR_SUCCESS);
    return TRUE;
}
