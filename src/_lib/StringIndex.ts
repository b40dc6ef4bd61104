/**
 * A fixed-capacity string → non-negative integer index (open addressing, linear probing, FNV-1a).
 * Used where a `Map<string, number>` with up to millions of keys would spend its time growing and
 * rehashing: the capacity is known up front, storage is two typed arrays plus the key references,
 * and there is no allocation per insert.
 */
export class StringIndex {
  private readonly mask: number;
  private readonly hashes: Int32Array;
  private readonly values: Int32Array;
  private readonly keys: (string | undefined)[];

  /** @param maxKeys the most keys that will ever be inserted. */
  constructor(maxKeys: number) {
    let size = 16;
    while (size < maxKeys * 2) size *= 2;
    this.mask = size - 1;
    this.hashes = new Int32Array(size);
    this.values = new Int32Array(size).fill(-1);
    this.keys = new Array<string | undefined>(size);
  }

  private static hash(key: string): number {
    let h = 0x811c9dc5;
    for (let i = 0; i < key.length; i++) {
      h ^= key.charCodeAt(i);
      h = Math.imul(h, 0x01000193);
    }
    return h | 0;
  }

  private slot(key: string, h: number): number {
    let i = h & this.mask;
    for (;;) {
      if (this.values[i] === -1) return i;
      if (this.hashes[i] === h && this.keys[i] === key) return i;
      i = (i + 1) & this.mask;
    }
  }

  /** The value stored for `key`, or -1. */
  get(key: string): number {
    return this.values[this.slot(key, StringIndex.hash(key))] as number;
  }

  /**
   * Stores `value` (>= 0) for `key` unless present; returns the value already stored, or -1 when
   * the key was new (one probe sequence for both the lookup and the insert).
   */
  getOrSet(key: string, value: number): number {
    const h = StringIndex.hash(key);
    const i = this.slot(key, h);
    const prior = this.values[i] as number;
    if (prior === -1) {
      this.hashes[i] = h;
      this.values[i] = value;
      this.keys[i] = key;
    }
    return prior;
  }

  /** Replaces the value of a key that is present. */
  set(key: string, value: number): void {
    const h = StringIndex.hash(key);
    const i = this.slot(key, h);
    this.hashes[i] = h;
    this.values[i] = value;
    this.keys[i] = key;
  }
}
