/**
 * A running 64-bit digest of a run (two 32-bit FNV-1a style lanes), fed with every processed event and every
 * store write. Equal digests mean, with overwhelming likelihood, identical runs; it is cheap enough to update per
 * event (a few integer multiplies, no allocation).
 */
export class Digest {
  private a = 0x811c9dc5 | 0;
  private b = 0x01000193 ^ 0x5bd1e995;

  /** Mixes one number (its integer part and the low 32 bits of the fraction, so ms times and ids are exact). */
  number(x: number): void {
    const lo = x | 0;
    const hi = Math.floor(x / 4294967296) | 0;
    this.word(lo);
    this.word(hi);
  }

  /** Mixes a string, char by char. */
  string(s: string): void {
    for (let i = 0; i < s.length; i++) this.word(s.charCodeAt(i));
    this.word(s.length);
  }

  private word(w: number): void {
    this.a = Math.imul(this.a ^ w, 0x01000193);
    this.b = Math.imul(this.b ^ w, 0x5bd1e995);
    this.b ^= this.b >>> 15;
  }

  /** The digest as 16 hex digits. */
  hex(): string {
    return (this.a >>> 0).toString(16).padStart(8, "0") + (this.b >>> 0).toString(16).padStart(8, "0");
  }
}
