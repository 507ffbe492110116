// API Gateway limits each WebSocket frame to 32 KB and each message to 128 KB: a larger message must arrive in
// several frames, and a larger frame closes the connection with 1009. The ws library bounds only the message
// (maxPayload), so this reads the frame headers of the client's stream, beside ws, and reports the first frame
// over the limit. RFC 6455 §5.2 framing: 2 header bytes, 0/2/8 extended length bytes, 4 mask bytes.
export const FRAME_LIMIT_BYTES = 32 * 1024;

type State = 'header' | 'payload';

/** Returns a feeder for the client's raw bytes; `onOversize` is called once, for the first frame too large. */
export function createFrameWatcher(limitBytes: number, onOversize: (length: number) => void): (chunk: Buffer) => void {
  let state: State = 'header';
  let header = Buffer.alloc(0);
  let remaining = 0;
  let tripped = false;
  return (chunk) => {
    if (tripped) return;
    let offset = 0;
    while (offset < chunk.length) {
      if (state === 'payload') {
        const skip = Math.min(remaining, chunk.length - offset);
        remaining -= skip;
        offset += skip;
        if (remaining === 0) state = 'header';
        continue;
      }
      // Collect header bytes until the full header (whose size depends on its second byte) is here.
      header = Buffer.concat([header, chunk.subarray(offset, offset + 14)]);
      if (header.length < 2) {
        offset = chunk.length;
        continue;
      }
      const len7 = (header[1] as number) & 0x7f;
      const masked = ((header[1] as number) & 0x80) !== 0;
      const extra = len7 === 126 ? 2 : len7 === 127 ? 8 : 0;
      const headerLength = 2 + extra + (masked ? 4 : 0);
      const taken = Math.min(14, chunk.length - offset);
      if (header.length < headerLength) {
        offset += taken;
        continue;
      }
      // Bytes of this chunk consumed by the header: what was taken minus what overshot the header.
      const overshoot = header.length - headerLength;
      offset += taken - overshoot;
      let length: number;
      if (len7 === 126) length = header.readUInt16BE(2);
      else if (len7 === 127) length = Number(header.readBigUInt64BE(2));
      else length = len7;
      header = Buffer.alloc(0);
      if (length > limitBytes) {
        tripped = true;
        onOversize(length);
        return;
      }
      remaining = length;
      state = remaining > 0 ? 'payload' : 'header';
    }
  };
}
