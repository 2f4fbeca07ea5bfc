import type { HrTime } from '@opentelemetry/api';

const varintSize = (n: number): number => (n < 0x80 ? 1 : n < 0x4000 ? 2 : n < 0x200000 ? 3 : n < 0x10000000 ? 4 : 5);

/** A growing protobuf buffer: varints, fixed64 and doubles, strings, and length-delimited bodies whose length is written when they end. */
export class ProtoWriter {
  private buf: Uint8Array;
  private view: DataView;
  pos = 0;
  // The last two times converted: within a collection every point has the same start and the
  // same end time, so after the first point both hit.
  private readonly times = [{ s: -1, n: -1, lo: 0, hi: 0 }, { s: -1, n: -1, lo: 0, hi: 0 }];
  private nextTime = 0;

  constructor(size: number) {
    this.buf = new Uint8Array(size);
    this.view = new DataView(this.buf.buffer);
  }

  private ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }

  tag(field: number, wire: number): void {
    this.varint((field << 3) | wire);
  }

  varint(value: number): void {
    this.ensure(10);
    const b = this.buf;
    if (value >= 0 && value <= 0xffffffff) {
      let v = value >>> 0;
      while (v > 127) {
        b[this.pos++] = (v & 127) | 128;
        v >>>= 7;
      }
      b[this.pos++] = v;
      return;
    }
    let [lo, hi] = split64(value);
    while (hi > 0 || lo > 127) {
      b[this.pos++] = (lo & 127) | 128;
      lo = ((lo >>> 7) | (hi << 25)) >>> 0;
      hi >>>= 7;
    }
    b[this.pos++] = lo & 127;
  }

  fixed64(lo: number, hi: number): void {
    this.ensure(8);
    this.view.setUint32(this.pos, lo, true);
    this.view.setUint32(this.pos + 4, hi, true);
    this.pos += 8;
  }

  /**
   * A safe integer as 8 little-endian bytes, two's complement when negative: OTLP's fixed64
   * counts and sfixed64 values are the same bytes. No array on the way (this runs per point).
   */
  fixed64Number(value: number): void {
    if (value >= 0) return this.fixed64(value >>> 0, (value / 4294967296) >>> 0);
    const [lo, hi] = split64(value);
    this.fixed64(lo, hi);
  }

  double(value: number): void {
    this.ensure(8);
    this.view.setFloat64(this.pos, value, true);
    this.pos += 8;
  }

  /** An HrTime as fixed64 nanoseconds, exact beyond 2^53 (32-bit halves throughout). */
  time(t: HrTime): void {
    const s = t[0];
    const n = t[1];
    for (const c of this.times) if (c.s === s && c.n === n) return this.fixed64(c.lo, c.hi);
    const low16 = (s & 0xffff) * 1e9;
    const high = Math.floor(s / 65536) * 1e9;
    const lowSum = (low16 >>> 0) + (((high % 65536) * 65536) >>> 0) + n;
    const c = this.times[this.nextTime]!;
    this.nextTime ^= 1;
    c.s = s;
    c.n = n;
    c.lo = lowSum >>> 0;
    c.hi = (Math.floor(low16 / 4294967296) + Math.floor(high / 65536) + Math.floor(lowSum / 4294967296)) >>> 0;
    this.fixed64(c.lo, c.hi);
  }

  string(s: string): void {
    const len = s.length;
    let ascii = true;
    for (let i = 0; i < len; i++) {
      if (s.charCodeAt(i) > 127) {
        ascii = false;
        break;
      }
    }
    if (ascii) {
      this.varint(len);
      this.ensure(len);
      const b = this.buf;
      for (let i = 0; i < len; i++) b[this.pos++] = s.charCodeAt(i);
      return;
    }
    const bytes = Buffer.from(s, 'utf8');
    this.varint(bytes.length);
    this.raw(bytes);
  }

  raw(bytes: Uint8Array): void {
    this.ensure(bytes.length);
    this.buf.set(bytes, this.pos);
    this.pos += bytes.length;
  }

  /** Starts a length-delimited body with `reserve` bytes kept for its length. */
  begin(reserve: number): number {
    this.ensure(reserve);
    this.pos += reserve;
    return this.pos - reserve;
  }

  /** Writes the body's length at its start, moving the body when the length takes another size. */
  end(start: number, reserve: number): void {
    const len = this.pos - start - reserve;
    const size = varintSize(len);
    if (size !== reserve) {
      this.ensure(size - reserve);
      this.buf.copyWithin(start + size, start + reserve, this.pos);
      this.pos += size - reserve;
    }
    const at = this.pos;
    this.pos = start;
    this.varint(len);
    this.pos = at;
  }

  /** A copy of what was written from `start` on. */
  copy(start: number): Uint8Array {
    return this.buf.slice(start, this.pos);
  }

  finish(): Uint8Array {
    return this.buf.subarray(0, this.pos);
  }
}

/** A safe integer as two's-complement 32-bit halves. */
function split64(value: number): [number, number] {
  if (value >= 0) return [value >>> 0, (value / 4294967296) >>> 0];
  const abs = -value;
  let lo = ~(abs >>> 0) >>> 0;
  let hi = ~((abs / 4294967296) >>> 0) >>> 0;
  lo = (lo + 1) >>> 0;
  if (lo === 0) hi = (hi + 1) >>> 0;
  return [lo, hi];
}
