/*
 * Charset names, Content-Type charset parameters and byte order marks for
 * WinHttpRequest (see httprequest_charset.h).  Win32-free.
 *
 * Names are matched ASCII case-insensitively (RFC 2978: charset names are
 * case-insensitive); the table holds the IANA names and the aliases Windows
 * programs use, with the Windows code page of each.
 */
#include "httprequest_charset.h"

static const struct { const char *name; unsigned int cp; } charsets[] =
{
    { "utf-8", CHARSET_CP_UTF8 }, { "utf8", CHARSET_CP_UTF8 }, { "unicode-1-1-utf-8", CHARSET_CP_UTF8 },
    { "us-ascii", 20127 }, { "ascii", 20127 },
    { "iso-8859-1", 28591 }, { "latin1", 28591 }, { "iso-8859-2", 28592 },
    { "iso-8859-3", 28593 }, { "iso-8859-4", 28594 }, { "iso-8859-5", 28595 },
    { "iso-8859-6", 28596 }, { "iso-8859-7", 28597 }, { "iso-8859-8", 28598 },
    { "iso-8859-9", 28599 }, { "iso-8859-13", 28603 }, { "iso-8859-15", 28605 },
    { "windows-1250", 1250 }, { "windows-1251", 1251 }, { "windows-1252", 1252 },
    { "windows-1253", 1253 }, { "windows-1254", 1254 }, { "windows-1255", 1255 },
    { "windows-1256", 1256 }, { "windows-1257", 1257 }, { "windows-1258", 1258 },
    { "utf-16", CHARSET_CP_UTF16LE }, { "utf-16le", CHARSET_CP_UTF16LE }, { "unicode", CHARSET_CP_UTF16LE },
    { "utf-16be", CHARSET_CP_UTF16BE },
    { "koi8-r", 20866 }, { "koi8-u", 21866 }, { "shift_jis", 932 }, { "euc-jp", 20932 },
    { "iso-2022-jp", 50220 }, { "gb2312", 936 }, { "gbk", 936 }, { "gb18030", 54936 },
    { "big5", 950 }, { "euc-kr", 949 }, { "ks_c_5601-1987", 949 },
};

static uint16_t lower(uint16_t c)
{
    return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

static int is_space(uint16_t c)
{
    return c == ' ' || c == '\t';
}

static int name_is(const uint16_t *s, size_t len, const char *name)
{
    size_t i;
    for (i = 0; i < len; i++)
        if (!name[i] || lower(s[i]) != (unsigned char)name[i]) return 0;
    return !name[len];
}

unsigned int charset_codepage(const uint16_t *name, size_t len)
{
    unsigned int cp = 0;
    size_t i;

    if (!name) return 0;
    while (len && (is_space(*name) || *name == '"' || *name == '\'')) { name++; len--; }
    while (len && (is_space(name[len - 1]) || name[len - 1] == '"' || name[len - 1] == '\'')) len--;
    if (!len) return 0;
    for (i = 0; i < sizeof(charsets) / sizeof(charsets[0]); i++)
        if (name_is(name, len, charsets[i].name)) return charsets[i].cp;
    for (i = 0; i < len; i++)
    {
        if (name[i] < '0' || name[i] > '9') return 0;
        cp = cp * 10 + (name[i] - '0');
        if (cp > 65535) return 0;
    }
    return cp;
}

unsigned int content_type_codepage(const uint16_t *type, size_t len)
{
    size_t i = 0, start;

    if (!type) return 0;
    for (;;)
    {
        /* The next parameter: after a ';' outside a quoted string. */
        int quoted = 0;
        for (; i < len; i++)
        {
            if (type[i] == '"') quoted = !quoted;
            else if (type[i] == ';' && !quoted) break;
        }
        if (i >= len) return 0;
        i++;
        while (i < len && is_space(type[i])) i++;
        start = i;
        while (i < len && type[i] != '=' && type[i] != ';' && !is_space(type[i])) i++;
        if (!name_is(type + start, i - start, "charset")) continue;
        while (i < len && is_space(type[i])) i++;
        if (i >= len || type[i] != '=') continue;
        start = ++i;
        while (i < len && type[i] != ';') i++;
        return charset_codepage(type + start, i - start);
    }
}

unsigned int body_codepage(const unsigned char *data, size_t len, const uint16_t *type, size_t type_len,
                           size_t *bom_len)
{
    *bom_len = 0;
    if (len >= 3 && data[0] == 0xef && data[1] == 0xbb && data[2] == 0xbf)
    {
        *bom_len = 3;
        return CHARSET_CP_UTF8;
    }
    if (len >= 2 && data[0] == 0xff && data[1] == 0xfe)
    {
        *bom_len = 2;
        return CHARSET_CP_UTF16LE;
    }
    if (len >= 2 && data[0] == 0xfe && data[1] == 0xff)
    {
        *bom_len = 2;
        return CHARSET_CP_UTF16BE;
    }
    return content_type_codepage(type, type_len);
}
