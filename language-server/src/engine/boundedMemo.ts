/**
 * A memo of at most `limit` entries, oldest first out: for figures that stay the same while a
 * user edits other fields (a preparation's activations at one prompt length), so a long session
 * or a large plan does not grow it without end.
 */
export class BoundedMemo<K, V> {
  private readonly entries = new Map<K, V>();

  constructor(private readonly limit: number) {}

  /** The value for `key`, computed by `compute` when not yet held. */
  get(key: K, compute: () => V): V {
    const known = this.entries.get(key);
    if (known !== undefined) return known;
    const value = compute();
    if (this.entries.size >= this.limit) this.entries.delete(this.entries.keys().next().value as K);
    this.entries.set(key, value);
    return value;
  }

  get size(): number {
    return this.entries.size;
  }
}
