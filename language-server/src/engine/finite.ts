import type { LayerResult } from './types';

/**
 * The last line of defence for "never show NaN or Infinity": walks a result and throws if any
 * number in it is not finite. Input validation should make this unreachable; if it is reached,
 * the caller reports an internal error rather than showing a wrong figure. The path is built only
 * on failure: this runs on every analysis, and string building would dominate its cost.
 */
export function assertAllFinite(value: unknown): void {
  if (!allFinite(value)) throw new Error(`internal error: ${findNonFinite(value, 'result')}`);
}

function isLayerList(value: unknown[]): value is LayerResult[] {
  const first = value[0] as Partial<LayerResult> | undefined;
  return first !== undefined && typeof first === 'object' && typeof first.arithmetic_intensity === 'number' && typeof first.bytes === 'object';
}

/** Per-layer results all have one shape: checked field by field, most of a result's numbers are in them. */
function layersFinite(layers: readonly LayerResult[], pending: unknown[]): void {
  for (let index = 0; index < layers.length; index++) {
    const layer = layers[index]!;
    const bytes = layer.bytes;
    if (
      !Number.isFinite(layer.count + layer.flops + layer.arithmetic_intensity + layer.seconds) ||
      !Number.isFinite(bytes.weights + bytes.activations_in + bytes.activations_out + bytes.kv_read + bytes.kv_write)
    ) {
      // A sum of finite numbers can still overflow: look at each before calling it bad.
      pending.push(layer);
    }
  }
}

/** Objects still to look into; kept between calls (the walk never runs inside another). */
const pending: unknown[] = [];

/**
 * A loop over the objects still to look into rather than a recursion: one small function, which
 * V8 optimizes early and cheaply (the recursive walk, inlined into itself, took the optimizing
 * compiler longer than a thousand analyses, so early calls ran unoptimized).
 */
export function allFinite(root: unknown): boolean {
  if (typeof root === 'number') return Number.isFinite(root);
  pending.length = 0;
  pending.push(root);
  while (pending.length > 0) {
    const value = pending.pop();
    if (value === null || typeof value !== 'object') continue;
    if (Array.isArray(value)) {
      if (isLayerList(value)) {
        layersFinite(value, pending);
        continue;
      }
      for (let index = 0; index < value.length; index++) {
        const item: unknown = value[index];
        if (typeof item === 'number') {
          if (!Number.isFinite(item)) return fail();
        } else if (typeof item === 'object' && item !== null) pending.push(item);
      }
      continue;
    }
    const record = value as Record<string, unknown>;
    // for…in rather than Object.keys: no array of keys made per object (a result has about a hundred
    // objects, walked on every analysis). Results are plain objects: nothing inherited to visit.
    for (const key in record) {
      const item = record[key];
      if (typeof item === 'number') {
        if (!Number.isFinite(item)) return fail();
      } else if (typeof item === 'object' && item !== null) pending.push(item);
    }
  }
  return true;
}

function fail(): false {
  pending.length = 0;
  return false;
}

function findNonFinite(value: unknown, path: string): string {
  if (typeof value === 'number') return `${path} is ${value}`;
  const entries: [string, unknown][] = Array.isArray(value)
    ? value.map((item, index) => [`${path}[${index}]`, item])
    : Object.entries(value as Record<string, unknown>).map(([key, item]) => [`${path}.${key}`, item]);
  const bad = entries.find(([, item]) => !allFinite(item));
  return bad ? findNonFinite(bad[1], bad[0]) : path;
}
