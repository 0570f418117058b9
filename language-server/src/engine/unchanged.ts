/**
 * Whether a model config or hardware spec still holds what it held when a cache entry was made
 * from it. Caches find their entries by these objects (presets resolve to the same object on
 * every analysis), but a library caller may edit an object in place between two calls: the entry
 * then keeps a copy of what it was made from, and is used only while the object still equals it.
 * Presets are frozen all the way down and marked, so they need no comparison.
 */

/** Objects frozen all the way down by `freezeDeep`: they cannot have changed. */
const frozenDeep = new WeakSet<object>();

const MAX_DEPTH = 32;

/** Freezes `value` and every object in it, and marks them as unable to change. */
export function freezeDeep<T>(value: T, depth = 0): T {
  if (value === null || typeof value !== 'object' || frozenDeep.has(value) || depth > MAX_DEPTH) return value;
  for (const item of Object.values(value)) freezeDeep(item, depth + 1);
  Object.freeze(value);
  frozenDeep.add(value);
  return value;
}

/** True for objects `freezeDeep` froze: they hold what they held when first seen. */
export function isFrozenDeep(value: object): boolean {
  return frozenDeep.has(value);
}

/** What an entry made from `value` keeps to compare with later: the value itself when it cannot change, else a copy. */
export function snapshotOf(value: object): unknown {
  return frozenDeep.has(value) ? value : copyPlain(value, 0);
}

/** True when `value` still equals the `snapshot` taken of it. */
export function unchangedSince(value: object, snapshot: unknown): boolean {
  return snapshot === value ? frozenDeep.has(value) : equalPlain(value, snapshot, 0);
}

function copyPlain(value: unknown, depth: number): unknown {
  if (value === null || typeof value !== 'object' || frozenDeep.has(value)) return value;
  // Deeper than any config: compared by identity only from here on.
  if (depth > MAX_DEPTH) return value;
  if (Array.isArray(value)) return value.map((item) => copyPlain(item, depth + 1));
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(value)) copy[key] = copyPlain((value as Record<string, unknown>)[key], depth + 1);
  return copy;
}

function equalPlain(value: unknown, snapshot: unknown, depth: number): boolean {
  // The same object: a primitive, or one the copy kept as it was (frozen, or past the depth limit).
  if (value === snapshot) return true;
  if (typeof value === 'number' && typeof snapshot === 'number') return Number.isNaN(value) && Number.isNaN(snapshot);
  if (value === null || snapshot === null || typeof value !== 'object' || typeof snapshot !== 'object') return false;
  if (Array.isArray(value)) {
    if (!Array.isArray(snapshot) || value.length !== snapshot.length) return false;
    for (let index = 0; index < value.length; index++) if (!equalPlain(value[index], snapshot[index], depth + 1)) return false;
    return true;
  }
  if (Array.isArray(snapshot)) return false;
  const keys = Object.keys(value);
  if (keys.length !== Object.keys(snapshot).length) return false;
  for (const key of keys) {
    if (!Object.prototype.hasOwnProperty.call(snapshot, key)) return false;
    if (!equalPlain((value as Record<string, unknown>)[key], (snapshot as Record<string, unknown>)[key], depth + 1)) return false;
  }
  return true;
}
