// The frame watcher reads client frame headers (masked, 7/16/64-bit lengths) across arbitrary chunking.
import { expect } from 'chai';
import { createFrameWatcher, FRAME_LIMIT_BYTES } from '../../../../local/gateway/frame-limit.ts';

function frame(length: number, opcode = 0x1, fin = true): Buffer {
  const ext = length < 126 ? 0 : length < 65536 ? 2 : 8;
  const head = Buffer.alloc(2 + ext + 4);
  head[0] = (fin ? 0x80 : 0) | opcode;
  head[1] = 0x80 | (ext === 0 ? length : ext === 2 ? 126 : 127);
  if (ext === 2) head.writeUInt16BE(length, 2);
  if (ext === 8) head.writeBigUInt64BE(BigInt(length), 2);
  head.writeUInt32BE(0x01020304, 2 + ext);
  return Buffer.concat([head, Buffer.alloc(length, 0x61)]);
}

function feed(stream: Buffer, chunkSize: number): number[] {
  const seen: number[] = [];
  const watch = createFrameWatcher(FRAME_LIMIT_BYTES, (n) => seen.push(n));
  for (let i = 0; i < stream.length; i += chunkSize) watch(stream.subarray(i, i + chunkSize));
  return seen;
}

describe('local/gateway frame limit', () => {
  const fragmented = Buffer.concat([
    frame(32 * 1024, 0x1, false),
    frame(32 * 1024, 0x0, false),
    frame(32 * 1024, 0x0, false),
    frame(4 * 1024, 0x0, true),
    frame(0, 0x9),
    frame(125),
    frame(126),
  ]);

  it('accepts a 100 KB message in 32 KB fragments, whatever the chunking', () => {
    for (const size of [1, 2, 3, 7, 13, 14, 1000, 65536, fragmented.length]) {
      expect(feed(fragmented, size), `chunks of ${size}`).to.deep.equal([]);
    }
  });

  it('reports the first frame over 32 KB once, with its length (16- and 64-bit lengths)', () => {
    const stream = Buffer.concat([frame(10), frame(32 * 1024 + 1), frame(40_000)]);
    for (const size of [1, 5, 4096, stream.length]) expect(feed(stream, size)).to.deep.equal([32 * 1024 + 1]);
    expect(feed(frame(100 * 1024), 1024)).to.deep.equal([100 * 1024]);
  });
});
