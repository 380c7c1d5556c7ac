// openWakeWord's own front end (melspectrogram.onnx, embedding_model.onnx) run over a 16 kHz mono
// 16-bit WAV: writes the windows of WINDOW consecutive 96-value embeddings that a wake-word head
// such as hello_deepa takes, as a .npy [N, 16, 96] float32.
// Usage: node owwfeatures.mjs MELSPEC.onnx EMBEDDING.onnx IN.wav OUT.npy WINDOW STRIDE
import fs from 'fs';
import { createRequire } from 'module';
const require = createRequire(process.cwd() + '/');
const ort = require('onnxruntime-node');

const [melPath, embPath, wavPath, outPath, windowText, strideText] = process.argv.slice(2);
const length = Number(windowText);
const stride = Number(strideText);

function readWav16(path) {
  const b = fs.readFileSync(path);
  let p = 12, fmt = null, data = null;
  while (p + 8 <= b.length) {
    const id = b.toString('ascii', p, p + 4), size = b.readUInt32LE(p + 4);
    if (id === 'fmt ') fmt = { channels: b.readUInt16LE(p + 10), rate: b.readUInt32LE(p + 12), bits: b.readUInt16LE(p + 22) };
    if (id === 'data') data = b.subarray(p + 8, p + 8 + size);
    p += 8 + size + (size & 1);
  }
  if (!fmt || fmt.channels !== 1 || fmt.rate !== 16000 || fmt.bits !== 16) throw new Error(path + ': want 16 kHz mono 16-bit');
  const out = new Float32Array(data.length / 2);
  for (let i = 0; i < out.length; ++i) out[i] = data.readInt16LE(2 * i);  // openWakeWord feeds int16 values as float
  return out;
}

const audio = readWav16(wavPath);
const mel = await ort.InferenceSession.create(melPath);
const emb = await ort.InferenceSession.create(embPath);
const melOut = (await mel.run({ [mel.inputNames[0]]: new ort.Tensor('float32', audio, [1, audio.length]) }))[mel.outputNames[0]];
const frames = melOut.dims[melOut.dims.length - 2], bins = melOut.dims[melOut.dims.length - 1];
const spec = Float32Array.from(melOut.data, (v) => v / 10 + 2);  // openWakeWord's melspectrogram transform
const embeddings = [];
for (let f = 0; f + 76 <= frames; f += 8) {
  const window = spec.slice(f * bins, (f + 76) * bins);
  const y = (await emb.run({ [emb.inputNames[0]]: new ort.Tensor('float32', window, [1, 76, bins, 1]) }))[emb.outputNames[0]];
  embeddings.push(Float32Array.from(y.data));
}
const windows = [];
for (let e = 0; e + length <= embeddings.length; e += stride) windows.push(embeddings.slice(e, e + length));
const header = `{'descr': '<f4', 'fortran_order': False, 'shape': (${windows.length}, ${length}, 96), }`;
const pad = 64 - ((10 + header.length + 1) % 64);
const head = Buffer.concat([Buffer.from([0x93]), Buffer.from('NUMPY'), Buffer.from([1, 0]), Buffer.alloc(2), Buffer.from(header + ' '.repeat(pad % 64) + '\n')]);
head.writeUInt16LE(head.length - 10, 8);
const body = Buffer.alloc(windows.length * length * 96 * 4);
let o = 0;
for (const w of windows) for (const e of w) for (const v of e) { body.writeFloatLE(v, o); o += 4; }
fs.writeFileSync(outPath, Buffer.concat([head, body]));
console.error(`${frames} mel frames x ${bins}, ${embeddings.length} embeddings, ${windows.length} windows -> ${outPath}`);
