"""Hostile NTLM and Negotiate challenges for the scripted server (scripted.py).

  /hostile-auth/ntlm/CASE        the NTLM scheme
  /hostile-auth/negotiate/CASE   the Negotiate scheme

A request without our scheme's Authorization gets a bare "WWW-Authenticate:
NTLM" (or Negotiate) 401; one carrying the client's first token gets a 401
whose challenge carries the token CASE names (below; final-* cases send
it with a 200, as the last token of mutual authentication), built here from
MS-NLMP 2.2.1.2 / 2.2.2.1 and RFC 4178 by hand.  An NTLM AUTHENTICATE_MESSAGE
(type 3) is accepted with a 200 "authenticated\\n" without checking it: the
"valid" cases show that a well-formed challenge still gets answered.
GET /hostile-auth/ lists the cases.
"""
import base64
import struct
import time

# NegotiateFlags (MS-NLMP 2.2.2.5)
UNICODE = 0x00000001
REQUEST_TARGET = 0x00000004
NTLM = 0x00000200
ALWAYS_SIGN = 0x00008000
TARGET_TYPE_DOMAIN = 0x00010000
EXTENDED_SESSIONSECURITY = 0x00080000
TARGET_INFO = 0x00800000
VERSION = 0x02000000
N128 = 0x20000000
KEY_EXCH = 0x40000000
N56 = 0x80000000
FLAGS = (UNICODE | REQUEST_TARGET | NTLM | ALWAYS_SIGN | TARGET_TYPE_DOMAIN | EXTENDED_SESSIONSECURITY
         | TARGET_INFO | VERSION | N128 | KEY_EXCH | N56)

# AvId (MS-NLMP 2.2.2.1)
EOL, NB_COMPUTER, NB_DOMAIN, DNS_COMPUTER, DNS_DOMAIN, TIMESTAMP = 0, 1, 2, 3, 4, 7

SIGNATURE = b"NTLMSSP\0"
HEADER = 56                     # through the Version field


def utf16(s):
    return s.encode("utf-16-le")


def av(avid, value, length=None):
    return struct.pack("<HH", avid, len(value) if length is None else length) + value


def filetime():
    """Now, as a FILETIME: gss-ntlmssp refuses a challenge whose MsvAvTimestamp is too far off."""
    return int((time.time() + 11644473600) * 10000000)


def standard_pairs():
    return [av(NB_DOMAIN, utf16("WINHTTP")), av(NB_COMPUTER, utf16("SCRIPTED")),
            av(DNS_DOMAIN, utf16("winhttp.test")), av(DNS_COMPUTER, utf16("scripted.winhttp.test")),
            av(TIMESTAMP, struct.pack("<Q", filetime()))]


def challenge(flags=FLAGS, target_name=utf16("WINHTTP"), pairs=None, eol=True, target_info=None,
              name_fields=None, info_fields=None, msgtype=2, signature=SIGNATURE):
    """A CHALLENGE_MESSAGE; *_fields = (len, maxlen, offset) override the real ones."""
    if target_info is None:
        target_info = b"".join(standard_pairs() if pairs is None else pairs) + (av(EOL, b"") if eol else b"")
    name_off = HEADER
    info_off = name_off + len(target_name)
    name_fields = name_fields or (len(target_name), len(target_name), name_off)
    info_fields = info_fields or (len(target_info), len(target_info), info_off)
    msg = signature + struct.pack("<I", msgtype)
    msg += struct.pack("<HHI", *name_fields)
    msg += struct.pack("<I", flags)
    msg += bytes(range(1, 9))                   # ServerChallenge
    msg += b"\0" * 8                            # Reserved
    msg += struct.pack("<HHI", *info_fields)
    msg += bytes([10, 0, 0x61, 0x4a, 0, 0, 0, 15])  # Version: 10.0.19041, NTLMSSP_REVISION_W2K3
    return msg + target_name + target_info


# ---------------------------------------------------------------- DER

def der_len(n):
    if n < 0x80:
        return bytes([n])
    b = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([0x80 | len(b)]) + b


def tlv(tag, content):
    return bytes([tag]) + der_len(len(content)) + content


NTLM_OID = bytes.fromhex("2b0601040182370202 0a".replace(" ", ""))


def neg_token_resp(state=None, mech=None, token=None):
    """NegTokenResp (RFC 4178 section 4.2.2) inside its [1] tag."""
    inner = b""
    if state is not None:
        inner += tlv(0xa0, tlv(0x0a, bytes([state])))
    if mech is not None:
        inner += tlv(0xa1, tlv(0x06, mech))
    if token is not None:
        inner += tlv(0xa2, tlv(0x04, token))
    return tlv(0xa1, tlv(0x30, inner))


def deep(levels):
    t = tlv(0x04, b"x")
    for _ in range(levels):
        t = tlv(0x30, t)
    return tlv(0xa1, t)


def no_eol_ntlm():
    return challenge(eol=False)


NTLM_CASES = {
    # Well-formed: the client answers, the server says 200.
    "valid": lambda: challenge(),
    "valid-unknown-avid": lambda: challenge(pairs=standard_pairs() + [av(0x7777, b"\x01\x02\x03")]),
    "valid-no-version": lambda: challenge(flags=FLAGS & ~VERSION),
    # Malformed, each one way.
    # gss-ntlmssp 1.2.0 dereferences a NULL name on this one (SIGSEGV).
    "empty-target-name": lambda: challenge(target_name=b""),
    "truncated": lambda: challenge()[:40],
    "truncated-payload": lambda: challenge()[:-6],
    "bad-signature": lambda: challenge(signature=b"NTLMSSQ\0"),
    "bad-type": lambda: challenge(msgtype=3),
    "offset-past-end": lambda: challenge(info_fields=(40, 40, 0x7ffffff0)),
    "length-past-end": lambda: challenge(info_fields=(0xfff0, 0xfff0, HEADER + 14)),
    "overlap-header": lambda: challenge(name_fields=(14, 14, 16)),
    "overlap-buffers": lambda: challenge(name_fields=(14, 14, HEADER + 4)),
    "maxlen-below-len": lambda: challenge(name_fields=(14, 2, HEADER)),
    "no-eol": no_eol_ntlm,
    "huge-avlen": lambda: challenge(pairs=[av(NB_DOMAIN, utf16("WINHTTP"), 0xfff0)]),
    "empty-targetinfo": lambda: challenge(target_info=b""),
    "bad-timestamp": lambda: challenge(pairs=[av(NB_DOMAIN, utf16("W")), av(TIMESTAMP, b"\0\0\0\0")]),
    "duplicate-avid": lambda: challenge(pairs=standard_pairs() + [av(NB_COMPUTER, utf16("OTHER"))]),
    "odd-name": lambda: challenge(pairs=[av(NB_DOMAIN, b"WIN")]),
    "eol-not-last": lambda: challenge(target_info=av(EOL, b"") + av(NB_DOMAIN, utf16("W")) + av(EOL, b"")),
    # Not base64 at all (a str is sent as it is), and base64 with a lone
    # final character (6 bits: no byte).
    "not-base64": lambda: "TlRMTVNTUAACAAAA*invalid*",
    "lone-base64-char": lambda: base64.b64encode(challenge()).decode().rstrip("=") + "QUFBQ",
}

NEGOTIATE_CASES = {
    # Well-formed SPNEGO that refuses us: GSSAPI sees it and says no (401).
    "reject": lambda: neg_token_resp(state=2),
    "garbage": lambda: b"this is not DER at all, just text",
    "length-past-end": lambda: b"\xa1\x82\x10\x00" + neg_token_resp(state=1)[2:],
    "inner-length-past-end": lambda: tlv(0xa1, b"\x30\x20\xa0\x03\x0a\x01\x01"),
    "indefinite": lambda: b"\xa1\x80\x30\x80\xa0\x03\x0a\x01\x01\x00\x00\x00\x00",
    "too-deep": lambda: deep(100),
    "trailing": lambda: neg_token_resp(state=1) + b"\0\0",
    "truncated": lambda: neg_token_resp(state=1, mech=NTLM_OID, token=challenge())[:30],
    "ntlm-no-eol": lambda: neg_token_resp(state=1, mech=NTLM_OID, token=no_eol_ntlm()),
    "ntlm-huge-avlen": lambda: neg_token_resp(state=1, mech=NTLM_OID,
                                              token=challenge(pairs=[av(NB_DOMAIN, b"", 0xfff0)])),
    "ntlm-empty-target-name": lambda: neg_token_resp(state=1, mech=NTLM_OID, token=challenge(target_name=b"")),
    "raw-ntlm-no-eol": no_eol_ntlm,
    # With the 200 that ends the exchange (mutual authentication's last token).
    "final-indefinite": lambda: b"\xa1\x80\x30\x80\xa0\x03\x0a\x01\x00\x00\x00\x00\x00",
    "final-ntlm-no-eol": lambda: neg_token_resp(state=0, mech=NTLM_OID, token=no_eol_ntlm()),
}


def cases():
    return sorted("ntlm/" + c for c in NTLM_CASES) + sorted("negotiate/" + c for c in NEGOTIATE_CASES)


def handle(req):
    """(status, headers, body) for a request of /hostile-auth/..."""
    parts = req.path.split("/")[2:]
    if len(parts) != 2:
        return 200, [], "".join(c + "\n" for c in cases()).encode()
    scheme, case = parts
    table = {"ntlm": NTLM_CASES, "negotiate": NEGOTIATE_CASES}.get(scheme)
    if table is None or case not in table:
        return 404, [], b"no such case\n"
    name = "NTLM" if scheme == "ntlm" else "Negotiate"
    auth = req.header("authorization") or ""
    given, _, token = auth.partition(" ")
    if given.lower() != name.lower() or not token.strip():
        return 401, [("WWW-Authenticate", name)], b"who are you?\n"
    try:
        data = base64.b64decode(token.strip())
    except ValueError:
        data = b""
    if data.startswith(SIGNATURE) and len(data) >= 12 and struct.unpack("<I", data[8:12])[0] == 3:
        return 200, [], b"authenticated\n"
    bad = table[case]()
    if isinstance(bad, bytes):
        bad = base64.b64encode(bad).decode()
    if case.startswith("final-"):
        return 200, [("WWW-Authenticate", name + " " + bad)], b"authenticated?\n"
    return 401, [("WWW-Authenticate", name + " " + bad)], b"here is a challenge\n"
