#!/usr/bin/env python3
"""Independent reimplementation of the das-bloom/v2 encoding (include/das/seal/bloom.h) in plain Python,
used to compute the known answers in bloom_test.cc and seal_test.cc. SipHash-2-4 is written out here from
the SipHash paper (Aumasson & Bernstein 2012) and checked against the paper's test vector; BLAKE2b comes
from hashlib. Run: python3 tests/unit/seal/bloom_known_answers.py
"""
import base64
import hashlib

MASK = (1 << 64) - 1


def rotl(x, b):
    return ((x << b) | (x >> (64 - b))) & MASK


def siphash24(key16: bytes, msg: bytes) -> int:
    k0 = int.from_bytes(key16[:8], "little")
    k1 = int.from_bytes(key16[8:], "little")
    v0 = k0 ^ 0x736F6D6570736575
    v1 = k1 ^ 0x646F72616E646F6D
    v2 = k0 ^ 0x6C7967656E657261
    v3 = k1 ^ 0x7465646279746573

    def rounds(n):
        nonlocal v0, v1, v2, v3
        for _ in range(n):
            v0 = (v0 + v1) & MASK; v1 = rotl(v1, 13); v1 ^= v0; v0 = rotl(v0, 32)
            v2 = (v2 + v3) & MASK; v3 = rotl(v3, 16); v3 ^= v2
            v0 = (v0 + v3) & MASK; v3 = rotl(v3, 21); v3 ^= v0
            v2 = (v2 + v1) & MASK; v1 = rotl(v1, 17); v1 ^= v2; v2 = rotl(v2, 32)

    full = len(msg) // 8 * 8
    for i in range(0, full, 8):
        m = int.from_bytes(msg[i:i + 8], "little")
        v3 ^= m
        rounds(2)
        v0 ^= m
    last = ((len(msg) & 0xFF) << 56) | int.from_bytes(msg[full:], "little")
    v3 ^= last
    rounds(2)
    v0 ^= last
    v2 ^= 0xFF
    rounds(4)
    return v0 ^ v1 ^ v2 ^ v3


# Test vector of the SipHash paper (Appendix A): key 00..0f, message 00..0e.
assert siphash24(bytes(range(16)), bytes(range(15))) == 0xA129CA6149BE45E5


def subkey(key: bytes, field: str) -> bytes:
    msg = b"das-bloom/v2\0" + field.encode() + b"\0"
    return hashlib.blake2b(msg, key=key, digest_size=16).digest()


def add(bits, sk, element: bytes, m, k):
    h = siphash24(sk, element)
    h1 = h & 0xFFFFFFFF
    h2 = (h >> 32) | 1
    for i in range(k):
        bits[(h1 + i * h2) % m] = 1


def bigrams(value: str):
    cps = ["_"] + list(value) + ["_"]
    return [(a + b).encode() for a, b in zip(cps, cps[1:])]


def encode_name(key, field, value, m=512, k=20):
    sk = subkey(key, field)
    bits = [0] * m
    if value:
        for e in bigrams(value):
            add(bits, sk, e, m, k)
    return bits


def encode_date(key, y, mo, d, field="geboortedatum", m=256, k=6):
    sk = subkey(key, field)
    bits = [0] * m
    digits = f"{y:04d}{mo:02d}{d:02d}"
    for tok in ("d" + digits[6:8], "m" + digits[4:6], "y" + digits[0:4], "v" + digits[6:8], "v" + digits[4:6]):
        add(bits, sk, tok.encode(), m, k)
    for e in bigrams(digits):
        add(bits, sk, e, m, k)
    return bits


def b64(bits):
    out = bytearray()
    for j in range(len(bits) // 8):
        out.append(sum(bits[8 * j + b] << b for b in range(8)))
    return base64.b64encode(bytes(out)).decode().rstrip("=")


if __name__ == "__main__":
    counting = bytes(range(32))  # CountingKey() of bloom_test.cc
    jansen = encode_name(counting, "achternaam", "jansen")
    janssen = encode_name(counting, "achternaam", "janssen")
    both = sum(a & b for a, b in zip(jansen, janssen))
    print("jansen popcount", sum(jansen), b64(jansen))
    print("janssen popcount", sum(janssen), "common", both,
          "dice", 2 * both / (sum(jansen) + sum(janssen)))
    print("jansen/voornaam", b64(encode_name(counting, "voornaam", "jansen")))
    print("çelik", b64(encode_name(counting, "achternaam", "çelik")))
    date = encode_date(counting, 1985, 7, 3)
    print("1985-07-03 popcount", sum(date), b64(date))
    print("jan/voornaam", b64(encode_name(counting, "voornaam", "jan")))
