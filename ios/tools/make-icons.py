#!/usr/bin/env python3
"""Draws the app's three home-screen icons (1024 x 1024, opaque PNG) into the asset
catalog: Quire's own (a quire: a few sheets, one on another) and two neutral ones, a
notepad and a journal. Plain shapes only, written with the standard library, so that
the icons can be made again anywhere: python3 ios/tools/make-icons.py"""
import os
import struct
import zlib

SIZE = 1024
HERE = os.path.dirname(os.path.abspath(__file__))
ASSETS = os.path.join(HERE, "..", "Quire", "Resources", "Assets.xcassets")


def canvas(colour):
    return [[colour] * SIZE for _ in range(SIZE)]


def rect(img, x0, y0, x1, y1, colour, radius=0):
    """Fills [x0, x1) x [y0, y1), its corners rounded by radius."""
    for y in range(max(0, y0), min(SIZE, y1)):
        row = img[y]
        for x in range(max(0, x0), min(SIZE, x1)):
            if radius:
                cx = min(max(x, x0 + radius), x1 - 1 - radius)
                cy = min(max(y, y0 + radius), y1 - 1 - radius)
                if (x - cx) ** 2 + (y - cy) ** 2 > radius * radius:
                    continue
            row[x] = colour


def write_png(img, path):
    raw = b"".join(b"\x00" + bytes(c for px in row for c in px) for row in img)
    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)
    png = b"\x89PNG\r\n\x1a\n"
    png += chunk(b"IHDR", struct.pack(">IIBBBBB", SIZE, SIZE, 8, 2, 0, 0, 0))
    png += chunk(b"IDAT", zlib.compress(raw, 9))
    png += chunk(b"IEND", b"")
    with open(path, "wb") as f:
        f.write(png)


def quire():
    img = canvas((22, 92, 96))
    for i, shade in enumerate([(188, 214, 212), (222, 236, 234), (250, 252, 251)]):
        off = 56 * i
        rect(img, 232 + off, 200 + off, 680 + off, 760 + off, shade, radius=28)
    for j in range(5):
        y = 420 + 64 * j
        rect(img, 380, y, 740 - (80 if j == 4 else 0), y + 18, (140, 176, 174), radius=9)
    return img


def notes():
    img = canvas((246, 205, 84))
    rect(img, 196, 160, 828, 880, (255, 250, 232), radius=40)
    rect(img, 196, 160, 828, 260, (226, 120, 72), radius=40)
    rect(img, 196, 220, 828, 260, (226, 120, 72))
    for j in range(8):
        y = 330 + 64 * j
        rect(img, 250, y, 774, y + 10, (196, 206, 220))
    return img


def journal():
    img = canvas((38, 52, 94))
    rect(img, 250, 170, 790, 860, (210, 186, 150), radius=36)
    rect(img, 250, 170, 330, 860, (168, 138, 98), radius=36)
    rect(img, 300, 170, 330, 860, (168, 138, 98))
    rect(img, 620, 170, 680, 560, (176, 56, 64))
    rect(img, 390, 360, 590, 390, (150, 126, 92), radius=15)
    rect(img, 390, 430, 550, 460, (150, 126, 92), radius=15)
    return img


def main():
    for name, draw in [("AppIcon", quire), ("AppIconNotes", notes), ("AppIconJournal", journal)]:
        folder = os.path.join(ASSETS, name + ".appiconset")
        os.makedirs(folder, exist_ok=True)
        write_png(draw(), os.path.join(folder, name + ".png"))
        with open(os.path.join(folder, "Contents.json"), "w") as f:
            f.write('{\n  "images" : [\n    {\n      "filename" : "%s.png",\n'
                    '      "idiom" : "universal",\n      "platform" : "ios",\n'
                    '      "size" : "1024x1024"\n    }\n  ],\n'
                    '  "info" : {\n    "author" : "xcode",\n    "version" : 1\n  }\n}\n' % name)


if __name__ == "__main__":
    main()
