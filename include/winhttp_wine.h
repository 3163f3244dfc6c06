/*
 * Extensions of this WinHTTP for Wine that Microsoft's SDK does not have.
 *
 * Not part of the Windows API: nothing here exists on Windows, where
 * WinHttpQueryOption fails with ERROR_WINHTTP_INVALID_OPTION for these
 * ids, so a program can use them where present and do without elsewhere.
 * The ids are far above Microsoft's option numbers (which count up from 1)
 * so that no future SDK option can take them.  Query-only, per request, and
 * they show what the program could already learn from the traffic itself.
 */
#ifndef WINHTTP_WINE_H
#define WINHTTP_WINE_H

/* DWORD: the HTTP/2 stream id that carried the response last received on
 * the request handle (after WinHttpReceiveResponse), 0 when it came over
 * HTTP/1.1; ERROR_WINHTTP_INCORRECT_HANDLE_STATE before any response.
 * Diagnostics (whget -v); no documented option gives the stream id. */
#define WINHTTP_OPTION_WINE_HTTP2_STREAM_ID     0x57480001

#endif /* WINHTTP_WINE_H */
