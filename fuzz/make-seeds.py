#!/usr/bin/env python3
"""Writes the hand-made seed inputs of fuzz/corpus/TARGET (run once; afl-fuzz grows the corpus from them).

Converter seeds are signed HS256 with FuzzTargets.InboundSecret (a fixed, public, test-only secret) and expire in 2100,
so the valid ones convert and the fuzzer reaches the code after validation.
"""
import base64, hashlib, hmac, json, os, sys

root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus")
secret = b"scopeclaims-fuzz-inbound-hs256-secret!!"
iss, aud, exp = "https://fuzz.issuer.test/", "https://fuzz.api.test", 4102444800

def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()

def token(header: str, payload: str, sign=True) -> str:
    signing_input = b64(header.encode()) + "." + b64(payload.encode())
    mac = hmac.new(secret, signing_input.encode(), hashlib.sha256).digest() if sign else b""
    return signing_input + "." + b64(mac)

def claims(**extra):
    body = {"iss": iss, "aud": aud, "sub": "client-1", "iat": 1700000000, "exp": exp, "azp": "client-1"}
    body.update(extra)
    return json.dumps(body, separators=(",", ":"))

HS = '{"alg":"HS256","kid":"fuzz-inbound","typ":"JWT"}'
sig = token(HS, '{"iss":"%s","aud":"%s","sub":"client-1","exp":%d,"scope":"read:a"}' % (iss, aud, exp)).split(".")[2]
seeds = {
    "normalizer-json": [
        '{"scope":"read:a write:b"}',
        '{"scp":["read:a","write:b"]}',
        '{"scope":"a","scp":["b","a"]}',
        '{"http://schemas.microsoft.com/identity/claims/scope":"a b"}',
        '{"sub":"x","n":{"a":[1,2,{"b":null}]},"scope":"a\\u0041 b"}',
        '{"scope":["a",1]}',
        '{"scope":"a","scope":"b"}',
        '{"scope":"a\\"b"}',
        '[{"scope":"a"}]',
        '{"scope":[]}',
    ],
    "scopeset": [
        "read:a write:b",
        "  a   b  a ",
        "a\tb",
        "",
        "r\u00e9ad",
        'a"b c\\d',
        "~!#$%&'()*+,-./0123456789:;<=>?@[]^_`{|}",
    ],
    "converter": [
        token(HS, claims(scope="read:a write:b")),
        token(HS, claims(scp=["read:a", "write:b"])),
        token(HS, claims(scope="a", scp=["b"])),
        token(HS, claims(scope=["a", 1])),
        token(HS, claims(scope="a", exp=1700000100)),
        token(HS, claims(scope="a", iss="https://other.test/")),
        token('{"alg":"none","typ":"JWT"}', claims(scope="a"), sign=False),
        token('{"alg":"HS256","kid":"fuzz-inbound","jku":"http://127.0.0.1/jwks"}', claims(scope="a")),
        token('{"alg":"HS256","kid":"fuzz-inbound","crit":["exp"]}', claims(scope="a")),
        token(HS, '{"iss":"%s","aud":"%s","exp":%d,"scope":"a","scope":"b"}' % (iss, aud, exp)),
        "e30.e30",
        "a.b.c.d.e",
    ],
    # Header JSON, a line feed, payload JSON: the target encodes and signs them. Named: the replay test checks that
    # valid-* convert and refused-* do not.
    "converter-json": {
        "valid-string": HS + "\n" + claims(scope="read:a write:b"),
        "valid-array-nested": HS + "\n" + '{"iss":"%s","aud":["%s","x"],"exp":%d,"scp":["read:a","write:b"],"ext":{"a":[1,{"b":null}],"c":"\\u00e9"}}' % (iss, aud, exp),
        "valid-escaped-names": '{"\\u0061lg":"HS256","kid":"fuzz-inbound"}\n{"\\u0069ss":"%s","aud":"%s","exp":%d,"sc\\u006fpe":"a b a"}' % (iss, aud, exp),
        "refused-crit": '{"alg":"HS256","kid":"fuzz-inbound","crit":["exp"]}\n' + claims(scope="read:a write:b"),
        "refused-nested-duplicate": HS + "\n" + '{"iss":"%s","aud":"%s","exp":%d,"scope":"a","ext":{"k":1,"\\u006b":2}}' % (iss, aud, exp),
        "refused-jku": '{"alg":"HS256","jku":"http://127.0.0.1/"}\n' + claims(scope="read:a write:b"),
        "refused-nested-lone-surrogate": HS + "\n" + '{"iss":"%s","aud":"%s","exp":%d,"scope":"a","foo":{"a":{"b":["\\uDFFF"]}}}' % (iss, aud, exp),
        "refused-copied-lone-surrogate": HS + "\n" + '{"iss":"%s","aud":"%s","exp":%d,"scope":"a","gty":{"x":"\\uD800"}}' % (iss, aud, exp),
        "refused-string-exp": HS + "\n" + '{"iss":"%s","aud":"%s","exp":"%d","scope":"a"}' % (iss, aud, exp),
    },
    # The signature part alone, replacing that of one fixed token (FuzzTargets.s_signatureSeed).
    "converter-signature": {
        "valid-canonical": sig,
        "refused-padded": sig + "==",
        "refused-plus": sig[:-2] + "+" + sig[-1:],
        "refused-space": sig + " ",
        "refused-short": sig[:-1],
    },
}

for target, inputs in seeds.items():
    directory = os.path.join(root, target)
    os.makedirs(directory, exist_ok=True)
    named = inputs.items() if isinstance(inputs, dict) else ((f"seed-{i:02d}", text) for i, text in enumerate(inputs))
    for name, text in named:
        with open(os.path.join(directory, name), "wb") as f:
            f.write(text.encode("utf-8"))
print("seeds written to", root, file=sys.stderr)
