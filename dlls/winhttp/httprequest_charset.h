/*
 * Which code page decodes a WinHttpRequest response (ResponseText) and which
 * one a URLCodePage name means: charset names, the charset parameter of a
 * Content-Type value, byte order marks.  Win32-free (strings are UTF-16 code
 * units), so it is unit-tested and fuzzed natively.
 */
#ifndef WINHTTP_HTTPREQUEST_CHARSET_H
#define WINHTTP_HTTPREQUEST_CHARSET_H

#include <stddef.h>
#include <stdint.h>

#define CHARSET_CP_UTF16LE 1200
#define CHARSET_CP_UTF16BE 1201
#define CHARSET_CP_UTF8    65001

/* A charset name ("utf-8", "\"ISO-8859-1\"") or a decimal code page number
 * ("1252") to a code page; 0 if unknown.  A number is not checked against
 * the installed code pages: the caller does that. */
unsigned int charset_codepage(const uint16_t *name, size_t len);

/* The code page of the charset parameter of a Content-Type value
 * ("text/html; charset=utf-8"); 0 if there is none or it is unknown. */
unsigned int content_type_codepage(const uint16_t *type, size_t len);

/* The code page of a response body: its byte order mark (UTF-8, UTF-16 LE
 * or BE; *bom_len says how many bytes to skip), else the charset of its
 * Content-Type (type may be NULL); 0 if neither says. */
unsigned int body_codepage(const unsigned char *data, size_t len, const uint16_t *type, size_t type_len,
                           size_t *bom_len);

#endif
