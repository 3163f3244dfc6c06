/*
 * Checks of the tokens a server sends with the Negotiate scheme, made
 * before GSSAPI sees them: the DER framing of SPNEGO (RFC 4178) and of
 * GSS-API tokens (RFC 2743 section 3.1), and whatever NTLM message rides
 * inside (auth_ntlm_msg.h).  Free of Win32 and sockets: unit-tested
 * natively (tests/unit/test_spnego_msg.c) and fuzzed (tests/fuzz/
 * fuzz_spnego_msg.c).
 */
#ifndef WINHTTP_AUTH_SPNEGO_MSG_H
#define WINHTTP_AUTH_SPNEGO_MSG_H

#include <stddef.h>

/* How deep constructed DER elements may nest in one token.  SPNEGO's
 * NegTokenResp needs 3, a Kerberos AP-REP or KRB-ERROR about 6. */
#define DER_MAX_DEPTH 16

/* A whole number of well-formed DER elements filling len bytes exactly:
 * definite lengths of at most 4 bytes that fit their parent, tags of at
 * most 4 bytes, constructed elements nested at most DER_MAX_DEPTH deep.
 * NULL when so, otherwise why not. */
const char *der_check(const unsigned char *data, size_t len);

/* A server's Negotiate token of len bytes: a NegTokenResp ([1]), a
 * GSS-API framed token ([APPLICATION 0]) or a raw NTLM CHALLENGE_MESSAGE;
 * an NTLM message inside is checked as such.  NULL when well-formed,
 * otherwise why not (a constant string, for a WARN trace). */
const char *spnego_check_token(const unsigned char *token, size_t len);

#endif /* WINHTTP_AUTH_SPNEGO_MSG_H */
