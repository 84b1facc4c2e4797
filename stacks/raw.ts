import { TerraformStack } from 'cdktn';

/**
 * A stack whose large plain data (the for_each maps and locals built from the
 * access model) bypasses cdktf's token resolution. cdktf resolves every value
 * of a stack twice, string by string, looking for tokens; for 100,000 account
 * assignments that is most of the synth time, and the data holds no tokens.
 * `raw(value)` hands cdktf a unique stand-in string and `toTerraform` puts the
 * value back in its place, so the JSON is exactly what cdktf would have
 * written.
 */
export class DataStack extends TerraformStack {
  private readonly rawValues = new Map<string, unknown>();

  /** A stand-in for plain data (strings, numbers, booleans, lists and maps of them, no tokens). */
  protected raw<T>(value: T): T {
    const key = `@@accessctl-raw-${this.rawValues.size}@@`;
    this.rawValues.set(key, value);
    return key as unknown as T;
  }

  override toTerraform(): any {
    const tf: unknown = super.toTerraform();
    return this.rawValues.size === 0 ? tf : this.substitute(tf);
  }

  private substitute(v: unknown): unknown {
    if (typeof v === 'string') return this.rawValues.has(v) ? this.rawValues.get(v) : v;
    if (Array.isArray(v)) return v.map((x) => this.substitute(x));
    if (v !== null && typeof v === 'object') {
      // defineProperty, not assignment: a key such as "__proto__" (an AWS tag key may be one) must stay a key.
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) Object.defineProperty(out, k, { value: this.substitute(x), enumerable: true, writable: true, configurable: true });
      return out;
    }
    return v;
  }
}
