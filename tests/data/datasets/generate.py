# Writes the small files beside this script (run once, needs ~/.cache/cdx-deps from scripts/fetch-deps.sh
# and cjpeg from libjpeg-turbo-progs; the bytes are committed, so tests never run it).
import os, struct, zlib, wave, subprocess
home = os.path.expanduser("~/.cache/cdx-deps/data/mnist")
out = os.path.dirname(os.path.abspath(__file__))
os.makedirs(out + "/digits", exist_ok=True)
os.makedirs(out + "/speech", exist_ok=True)
img = open(home + "/t10k-images-idx3-ubyte", "rb").read()
lab = open(home + "/t10k-labels-idx1-ubyte", "rb").read()
N = 20
open(out + "/mnist20-images-idx3-ubyte", "wb").write(struct.pack(">IIII", 0x803, N, 28, 28) + img[16:16 + N * 784])
open(out + "/mnist20-labels-idx1-ubyte", "wb").write(struct.pack(">II", 0x801, N) + lab[8:8 + N])

def npy(path, descr, shape, payload):
    header = "{'descr': '%s', 'fortran_order': False, 'shape': (%s), }" % (
        descr, ", ".join(str(d) for d in shape) + ("," if len(shape) == 1 else ""))
    total = 10 + len(header) + 1
    header += " " * ((64 - total % 64) % 64) + "\n"
    open(path, "wb").write(b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) + header.encode() + payload)

vals = [i * 0.5 for i in range(4 * 2 * 3)]
npy(out + "/tiny-f4.npy", "<f4", (4, 2, 3), struct.pack("<24f", *vals))
npy(out + "/tiny-labels-i8.npy", "<i8", (4,), struct.pack("<4q", 3, 1, 4, 1))
npy(out + "/tiny-u1.npy", "|u1", (2, 3), bytes([0, 128, 255, 1, 2, 3]))

def png_gray(path, w, h, pixels):
    raw = b"".join(b"\x00" + pixels[y * w:(y + 1) * w] for y in range(h))
    def chunk(t, d):
        return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d) & 0xffffffff)
    open(path, "wb").write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 0, 0, 0, 0)) +
                           chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))

for i in range(3):
    png_gray(out + "/digits/digit%d.png" % i, 28, 28, img[16 + i * 784:16 + (i + 1) * 784])
pgm = out + "/digit3.pgm"
open(pgm, "wb").write(b"P5 28 28 255\n" + img[16 + 3 * 784:16 + 4 * 784])
subprocess.run(["cjpeg", "-quality", "100", "-grayscale", "-outfile", out + "/digits/digit3.jpg", pgm], check=True)
os.remove(pgm)
open(out + "/digits/labels.csv", "w").write("file,label\n" + "".join(
    "digit%d.%s,%d\n" % (i, "png" if i < 3 else "jpg", lab[8 + i]) for i in range(4)))

def wav(path, rate, samples):
    w = wave.open(path, "wb")
    w.setnchannels(1); w.setsampwidth(2); w.setframerate(rate)
    w.writeframes(struct.pack("<%dh" % len(samples), *samples)); w.close()
wav(out + "/speech/a.wav", 16000, [(i % 64) * 256 for i in range(1000)])
wav(out + "/speech/b.wav", 16000, [-(i % 32) * 512 for i in range(500)])
open(out + "/speech/labels.csv", "w").write("a.wav,1\nb.wav,0\n")
wav(out + "/rate8k.wav", 8000, [0] * 400)
print(lab[8:8 + N])
