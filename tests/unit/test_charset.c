/*
 * Unit tests of httprequest_charset.c: charset names (RFC 2978: case-
 * insensitive), the charset parameter of a Content-Type (RFC 9110 §8.3.1:
 * parameters after ';', value a token or a quoted string) and byte order
 * marks, as WinHttpRequest uses them for ResponseText and URLCodePage.
 */
// unit-sources: dlls/winhttp/httprequest_charset.c
#include <stdlib.h>
#include <string.h>

#include "httprequest_charset.h"
#include "unit.h"

/* An ASCII string as UTF-16 code units (static buffer, one at a time). */
static const uint16_t *u16(const char *s, size_t *len)
{
    static uint16_t buf[256];
    size_t i;
    for (i = 0; s[i] && i < 255; i++) buf[i] = (unsigned char)s[i];
    buf[i] = 0;
    if (len) *len = i;
    return buf;
}

static unsigned int name_cp(const char *s)
{
    size_t len;
    const uint16_t *w = u16(s, &len);
    return charset_codepage(w, len);
}

static unsigned int type_cp(const char *s)
{
    size_t len;
    const uint16_t *w = u16(s, &len);
    return content_type_codepage(w, len);
}

static void test_names(void)
{
    ok_int(name_cp("utf-8"), 65001);
    ok_int(name_cp("UTF-8"), 65001);
    ok_int(name_cp("Utf8"), 65001);
    ok_int(name_cp("\"utf-8\""), 65001);
    ok_int(name_cp("  iso-8859-1 "), 28591);
    ok_int(name_cp("ISO-8859-15"), 28605);
    ok_int(name_cp("windows-1251"), 1251);
    ok_int(name_cp("koi8-r"), 20866);
    ok_int(name_cp("Shift_JIS"), 932);
    ok_int(name_cp("utf-16"), 1200);
    ok_int(name_cp("UTF-16BE"), 1201);
    ok_int(name_cp("1252"), 1252);
    ok_int(name_cp("65001"), 65001);
    ok_int(name_cp("70000"), 0);
    ok_int(name_cp("99999999999999999999"), 0);
    ok_int(name_cp("12a"), 0);
    ok_int(name_cp("utf-88"), 0);
    ok_int(name_cp("utf-"), 0);
    ok_int(name_cp(""), 0);
    ok_int(name_cp("\"\""), 0);
    ok_int(charset_codepage(NULL, 3), 0);
}

static void test_content_types(void)
{
    ok_int(type_cp("text/html; charset=utf-8"), 65001);
    ok_int(type_cp("text/html;charset=UTF-8"), 65001);
    ok_int(type_cp("text/plain; format=flowed; charset=windows-1251"), 1251);
    ok_int(type_cp("text/plain; charset=\"iso-8859-1\"; format=fixed"), 28591);
    ok_int(type_cp("text/plain; CHARSET = koi8-r"), 20866);
    ok_int(type_cp("text/plain; x=\"a;charset=utf-8\"; charset=iso-8859-2"), 28592);
    ok_int(type_cp("text/plain"), 0);
    ok_int(type_cp("text/plain;"), 0);
    ok_int(type_cp("text/plain; charset"), 0);
    ok_int(type_cp("text/plain; charset="), 0);
    ok_int(type_cp("text/plain; charsets=utf-8"), 0);
    ok_int(type_cp("text/plain; mycharset=utf-8"), 0);
    ok_int(type_cp("text/plain; charset=no-such"), 0);
    ok_int(type_cp("charset=utf-8"), 0);
    ok_int(content_type_codepage(NULL, 0), 0);
}

static void test_boms(void)
{
    size_t len, bom = 99;
    const uint16_t *type;

    type = u16("text/plain; charset=iso-8859-1", &len);
    ok_int(body_codepage((const unsigned char *)"\xef\xbb\xbfx", 4, type, len, &bom), 65001);
    ok_int(bom, 3);
    ok_int(body_codepage((const unsigned char *)"\xff\xfex\0", 4, type, len, &bom), 1200);
    ok_int(bom, 2);
    ok_int(body_codepage((const unsigned char *)"\xfe\xff\0x", 4, type, len, &bom), 1201);
    ok_int(bom, 2);
    ok_int(body_codepage((const unsigned char *)"\xef\xbb", 2, type, len, &bom), 28591);
    ok_int(bom, 0);
    ok_int(body_codepage((const unsigned char *)"plain", 5, NULL, 0, &bom), 0);
    ok_int(bom, 0);
    ok_int(body_codepage((const unsigned char *)"", 0, type, len, &bom), 28591);
}

int main(void)
{
    run_test(test_names);
    run_test(test_content_types);
    run_test(test_boms);
    return unit_summary();
}
