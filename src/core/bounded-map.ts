/**
 * A Map that holds at most `capacity` entries and drops the oldest insertion to make room: for the memories kept of
 * things that arrive from outside (presented tokens, SQL texts, rows read), which must not grow without end.
 */
export class BoundedMap<K, V> extends Map<K, V> {
  constructor(private readonly capacity: number) {
    super();
  }

  override set(key: K, value: V): this {
    if (!this.has(key) && this.size >= this.capacity) this.delete(this.keys().next().value!);
    return super.set(key, value);
  }
}
