/*
 * MD5 (RFC 1321) of a part, for the Content-MD5 header each part PUT carries so the bucket refuses a part
 * whose bytes changed on the way. WebCrypto (crypto.subtle.digest) offers only the SHA family, and S3
 * checks part integrity with Content-MD5, hence this small implementation. Not for anything security-related.
 */

/** Left-rotation amounts per step. */
const SHIFTS = [
  7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 5, 9, 14, 20, 5, 9, 14, 20, 5, 9, 14, 20, 5, 9, 14, 20, 4, 11, 16, 23, 4, 11,
  16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21,
];
/** K[i] = floor(|sin(i + 1)| · 2^32), as 32-bit integers. */
const K = Int32Array.from({ length: 64 }, (_, i) => Math.floor(Math.abs(Math.sin(i + 1)) * 2 ** 32) | 0);

type State = [number, number, number, number];

/** Runs the 64 steps on one 64-byte block at `offset` of `view`. */
function compress(state: State, view: DataView, offset: number, words: Int32Array): void {
  for (let j = 0; j < 16; j++) words[j] = view.getInt32(offset + j * 4, true);
  let [a, b, c, d] = state;
  for (let i = 0; i < 64; i++) {
    let f: number;
    let g: number;
    if (i < 16) {
      f = (b & c) | (~b & d);
      g = i;
    } else if (i < 32) {
      f = (d & b) | (~d & c);
      g = (5 * i + 1) & 15;
    } else if (i < 48) {
      f = b ^ c ^ d;
      g = (3 * i + 5) & 15;
    } else {
      f = c ^ (b | ~d);
      g = (7 * i) & 15;
    }
    const sum = (a + f + K[i]! + words[g]!) | 0;
    const shift = SHIFTS[i]!;
    a = d;
    d = c;
    c = b;
    b = (b + ((sum << shift) | (sum >>> (32 - shift)))) | 0;
  }
  state[0] = (state[0] + a) | 0;
  state[1] = (state[1] + b) | 0;
  state[2] = (state[2] + c) | 0;
  state[3] = (state[3] + d) | 0;
}

/** The 16-byte MD5 digest of `data`. */
export function md5(data: Uint8Array): Uint8Array {
  const state: State = [0x67452301, 0xefcdab89 | 0, 0x98badcfe | 0, 0x10325476];
  const words = new Int32Array(16);
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const fullBlocks = Math.floor(data.length / 64);
  for (let block = 0; block < fullBlocks; block++) compress(state, view, block * 64, words);

  // The tail, the 0x80 marker and the message length in bits (64-bit little-endian) fill one or two blocks.
  const rest = data.length - fullBlocks * 64;
  const tail = new Uint8Array(rest < 56 ? 64 : 128);
  tail.set(data.subarray(fullBlocks * 64));
  tail[rest] = 0x80;
  const tailView = new DataView(tail.buffer);
  tailView.setUint32(tail.length - 8, (data.length * 8) >>> 0, true);
  tailView.setUint32(tail.length - 4, Math.floor(data.length / 2 ** 29), true);
  for (let offset = 0; offset < tail.length; offset += 64) compress(state, tailView, offset, words);

  const digest = new Uint8Array(16);
  const out = new DataView(digest.buffer);
  state.forEach((word, i) => out.setInt32(i * 4, word, true));
  return digest;
}

/** Base64 of the MD5 digest: the value of a Content-MD5 header. */
export function md5Base64(data: Uint8Array): string {
  return btoa(String.fromCharCode(...md5(data)));
}
