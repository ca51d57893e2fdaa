"""Writes a large C source of N functions (loops, switches, inlinable helpers) to FILE, for gcc -O2.
Usage: gen-c.py FILE N"""
import sys

n = int(sys.argv[2])
with open(sys.argv[1], "w") as f:
    f.write("#include <stdint.h>\n")
    f.write("static inline uint64_t mix(uint64_t a, uint64_t b) { a ^= b * 0x9E3779B97F4A7C15ull; return (a << 7) | (a >> 57); }\n")
    for i in range(n):
        f.write(f"uint64_t f{i}(const uint64_t *v, int n, int k) {{\n  uint64_t acc = {i}u;\n")
        f.write("  for (int j = 0; j < n; j++) {\n    switch ((v[j] + k) & 15) {\n")
        for c in range(16):
            f.write(f"      case {c}: acc = mix(acc, v[j] * {c * 31 + i % 97}u + {c}u); break;\n")
        f.write("    }\n  }\n")
        f.write(f"  for (int j = 0; j < 8; j++) acc = mix(acc, acc + j * {i % 13 + 1}u);\n  return acc;\n}}\n")
    f.write("uint64_t all(const uint64_t *v, int n) {\n  uint64_t s = 0;\n")
    for i in range(n):
        f.write(f"  s ^= f{i}(v, n, {i % 7});\n")
    f.write("  return s;\n}\n")
