// A small ZIP reader for OSV database exports (`<Ecosystem>/all.zip`), on node:zlib alone. It reads the central
// directory (ZIP64 included: the npm export holds far more than 65,535 records), then each entry's stored or deflated
// bytes. Zip-bomb safe: an entry whose declared size exceeds the per-entry limit is refused before inflating, the
// inflater is capped at the declared size (an entry that inflates past it is refused), the sum of sizes read is
// capped, and every entry's CRC-32 is checked. Encrypted entries and other compression methods are refused.
// Format: https://pkware.cachefly.net/webdocs/casestudies/APPNOTE.TXT (sections 4.3 and 4.5.3).
import { promisify } from "node:util";
import zlib from "node:zlib";

/** One file in the archive, from the central directory. */
export interface ZipEntry {
  name: string;
  /** 0 stored, 8 deflate; others are refused. */
  method: number;
  flags: number;
  compressedSize: number;
  size: number;
  crc32: number;
  localOffset: number;
}

/** Bounds on what a caller is willing to read. */
export interface ZipLimits {
  /** Largest uncompressed entry (declared or actual), bytes. */
  maxEntrySize: number;
  /** Most entries in the central directory. */
  maxEntries: number;
  /** Most uncompressed bytes read in total through one reader. */
  maxTotalSize: number;
}

/** Defaults sized for OSV exports: a record is a few KiB (the largest about 1 MiB); npm's export has ~10^6 of them. */
export const DEFAULT_ZIP_LIMITS: ZipLimits = { maxEntrySize: 16 * 1024 * 1024, maxEntries: 5_000_000, maxTotalSize: 16 * 1024 * 1024 * 1024 };

/** A malformed archive or a refused entry. */
export class ZipError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ZipError";
  }
}

const EOCD = 0x06054b50;
const ZIP64_LOCATOR = 0x07064b50;
const ZIP64_EOCD = 0x06064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

/** Reads entries of a ZIP archive held in memory. */
export class ZipReader {
  private totalRead = 0;

  private constructor(private readonly data: Buffer, readonly entries: readonly ZipEntry[], private readonly limits: ZipLimits) {}

  /** Parses the central directory; throws ZipError when the archive is malformed or over the entry-count limit. */
  static open(data: Buffer, limits: ZipLimits = DEFAULT_ZIP_LIMITS): ZipReader {
    const eocd = findEocd(data);
    let count = data.readUInt16LE(eocd + 10);
    let cdSize = data.readUInt32LE(eocd + 12);
    let cdOffset = data.readUInt32LE(eocd + 16);
    if (count === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) {
      const locator = eocd - 20;
      if (locator < 0 || data.readUInt32LE(locator) !== ZIP64_LOCATOR) throw new ZipError("ZIP64 end of central directory locator missing");
      const record = u64(data, locator + 8);
      if (record + 56 > data.length || data.readUInt32LE(record) !== ZIP64_EOCD) throw new ZipError("ZIP64 end of central directory record missing");
      count = u64(data, record + 32);
      cdSize = u64(data, record + 40);
      cdOffset = u64(data, record + 48);
    }
    if (count > limits.maxEntries) throw new ZipError(`${count} entries, more than the limit of ${limits.maxEntries}`);
    if (cdOffset + cdSize > data.length) throw new ZipError("central directory lies outside the file");
    const entries: ZipEntry[] = [];
    let at = cdOffset;
    for (let i = 0; i < count; i++) {
      if (at + 46 > data.length || data.readUInt32LE(at) !== CENTRAL) throw new ZipError(`central directory entry ${i + 1} is damaged`);
      const flags = data.readUInt16LE(at + 8);
      const method = data.readUInt16LE(at + 10);
      const crc32 = data.readUInt32LE(at + 16);
      let compressedSize = data.readUInt32LE(at + 20);
      let size = data.readUInt32LE(at + 24);
      const nameLength = data.readUInt16LE(at + 28);
      const extraLength = data.readUInt16LE(at + 30);
      const commentLength = data.readUInt16LE(at + 32);
      let localOffset = data.readUInt32LE(at + 42);
      const end = at + 46 + nameLength + extraLength + commentLength;
      if (end > data.length) throw new ZipError(`central directory entry ${i + 1} runs past the end of the file`);
      const name = data.toString("utf8", at + 46, at + 46 + nameLength);
      // ZIP64 extended information (header 0x0001): the 64-bit values of the fields saturated above, in order.
      let extra = at + 46 + nameLength;
      const extraEnd = extra + extraLength;
      while (extra + 4 <= extraEnd) {
        const id = data.readUInt16LE(extra);
        const length = data.readUInt16LE(extra + 2);
        if (id === 0x0001) {
          let field = extra + 4;
          const fieldEnd = Math.min(extra + 4 + length, extraEnd);
          if (size === 0xffffffff && field + 8 <= fieldEnd) {
            size = u64(data, field);
            field += 8;
          }
          if (compressedSize === 0xffffffff && field + 8 <= fieldEnd) {
            compressedSize = u64(data, field);
            field += 8;
          }
          if (localOffset === 0xffffffff && field + 8 <= fieldEnd) localOffset = u64(data, field);
        }
        extra += 4 + length;
      }
      entries.push({ name, method, flags, compressedSize, size, crc32, localOffset });
      at = end;
    }
    return new ZipReader(data, entries, limits);
  }

  /** The uncompressed bytes of an entry, size and CRC-32 checked; throws ZipError when refused or damaged. */
  read(entry: ZipEntry): Buffer {
    const raw = this.compressed(entry);
    let bytes: Buffer;
    try {
      bytes = entry.method === 0 ? raw : zlib.inflateRawSync(raw, { maxOutputLength: Math.max(1, entry.size) });
    } catch (error) {
      throw inflateError(entry, error);
    }
    this.checkSize(entry, bytes);
    this.checkCrc(entry, bytes);
    return bytes;
  }

  /**
   * The uncompressed bytes of an entry, inflated on libuv's thread pool (several at once use several cores), with
   * its size checked. The CRC-32 is left to {@link checkCrc}: a caller that discards most entries unparsed (the OSV
   * reader keeps a few records out of hundreds of thousands) checks only the ones it keeps.
   */
  async readUnverified(entry: ZipEntry): Promise<Buffer> {
    const raw = this.compressed(entry);
    let bytes: Buffer;
    try {
      bytes = entry.method === 0 ? raw : await inflateRaw(raw, { maxOutputLength: Math.max(1, entry.size) });
    } catch (error) {
      throw inflateError(entry, error);
    }
    this.checkSize(entry, bytes);
    return bytes;
  }

  /** Throws ZipError when the bytes do not have the entry's CRC-32. */
  checkCrc(entry: ZipEntry, bytes: Buffer): void {
    if (crc32(bytes) !== entry.crc32) throw new ZipError(`${entry.name}: CRC-32 mismatch`);
  }

  /** The entry's stored bytes, after the checks that come before inflating (flags, method, declared size, bounds). */
  private compressed(entry: ZipEntry): Buffer {
    if (entry.flags & 0x1) throw new ZipError(`${entry.name}: encrypted`);
    if (entry.method !== 0 && entry.method !== 8) throw new ZipError(`${entry.name}: unsupported compression method ${entry.method}`);
    if (entry.size > this.limits.maxEntrySize) throw new ZipError(`${entry.name}: declared size ${entry.size} exceeds the limit of ${this.limits.maxEntrySize} bytes`);
    if (this.totalRead + entry.size > this.limits.maxTotalSize) throw new ZipError(`reading ${entry.name} would exceed the total limit of ${this.limits.maxTotalSize} bytes`);
    // Counted before inflating, so concurrent reads cannot overshoot the total together.
    this.totalRead += entry.size;
    const local = entry.localOffset;
    if (local + 30 > this.data.length || this.data.readUInt32LE(local) !== LOCAL) throw new ZipError(`${entry.name}: local header missing`);
    const start = local + 30 + this.data.readUInt16LE(local + 26) + this.data.readUInt16LE(local + 28);
    const end = start + entry.compressedSize;
    if (end > this.data.length) throw new ZipError(`${entry.name}: data runs past the end of the file`);
    if (entry.method === 0 && entry.compressedSize !== entry.size) throw new ZipError(`${entry.name}: stored entry with mismatched sizes`);
    return this.data.subarray(start, end);
  }

  private checkSize(entry: ZipEntry, bytes: Buffer): void {
    if (bytes.length !== entry.size) throw new ZipError(`${entry.name}: inflated to ${bytes.length} bytes, declared ${entry.size}`);
  }
}

const inflateRaw = promisify(zlib.inflateRaw);

function inflateError(entry: ZipEntry, error: unknown): ZipError {
  const code = (error as NodeJS.ErrnoException).code;
  return new ZipError(code === "ERR_BUFFER_TOO_LARGE" ? `${entry.name}: inflates past its declared size of ${entry.size} bytes` : `${entry.name}: damaged deflate data (${code ?? "error"})`);
}

/** The end-of-central-directory record: searched backwards over the longest possible comment. */
function findEocd(data: Buffer): number {
  if (data.length < 22) throw new ZipError("not a ZIP file (too short)");
  const stop = Math.max(0, data.length - 22 - 0xffff);
  for (let at = data.length - 22; at >= stop; at--) {
    if (data.readUInt32LE(at) === EOCD && at + 22 + data.readUInt16LE(at + 20) <= data.length) return at;
  }
  throw new ZipError("not a ZIP file (no end of central directory record)");
}

function u64(data: Buffer, at: number): number {
  if (at + 8 > data.length) throw new ZipError("ZIP64 field runs past the end of the file");
  const value = data.readBigUInt64LE(at);
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw new ZipError("ZIP64 value too large");
  return Number(value);
}

let table: Uint32Array | undefined;

/** CRC-32 (IEEE 802.3, as ZIP uses it). */
export function crc32(bytes: Uint8Array): number {
  if (!table) {
    table = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      table[n] = c >>> 0;
    }
  }
  let crc = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) crc = (table[(crc ^ (bytes[i] as number)) & 0xff] as number) ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}
