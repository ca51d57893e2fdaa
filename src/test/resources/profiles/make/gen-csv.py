"""Writes a CSV of ROWS rows (id, group, x, y, label, when) to FILE. Usage: gen-csv.py FILE ROWS"""
import random
import sys

rnd = random.Random(42)
with open(sys.argv[1], "w") as f:
    f.write("id,group,x,y,label,when\n")
    for i in range(int(sys.argv[2])):
        f.write(f"{i},g{rnd.randrange(100)},{rnd.random():.6f},{rnd.gauss(0, 1):.6f},"
                f"lbl{rnd.randrange(10000)},2026-0{rnd.randrange(1, 10)}-1{rnd.randrange(10)}\n")
