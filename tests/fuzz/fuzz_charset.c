/*
 * Fuzz the WinHttpRequest charset logic (httprequest_charset.c): the input's
 * first byte splits it into a body and a Content-Type value (UTF-16 code
 * units from byte pairs); every answer must be a code page or 0, and a byte
 * order mark never longer than the body.
 */
// fuzz-sources: dlls/winhttp/httprequest_charset.c
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "httprequest_charset.h"

#define CHECK(x) do { if (!(x)) __builtin_trap(); } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    size_t split, type_len, i, bom = 0;
    uint16_t *type;
    unsigned int cp;

    if (!size) return 0;
    split = data[0] % size;
    data++;
    size--;
    if (split > size) split = size;
    type_len = (size - split) / 2;
    if (!(type = malloc((type_len + 1) * sizeof(*type)))) return 0;
    for (i = 0; i < type_len; i++) type[i] = data[split + 2 * i] | (data[split + 2 * i + 1] << 8);

    cp = body_codepage(data, split, type, type_len, &bom);
    CHECK(cp <= 65535);
    CHECK(bom <= split && bom <= 3);
    CHECK(content_type_codepage(type, type_len) <= 65535);
    CHECK(charset_codepage(type, type_len) <= 65535);
    free(type);
    return 0;
}
