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
function layersFinite(layers: readonly LayerResult[]): boolean {
  for (let index = 0; index < layers.length; index++) {
    const layer = layers[index]!;
    const bytes = layer.bytes;
    if (
      !Number.isFinite(layer.count + layer.flops + layer.arithmetic_intensity + layer.seconds) ||
      !Number.isFinite(bytes.weights + bytes.activations_in + bytes.activations_out + bytes.kv_read + bytes.kv_write)
    ) {
      // A sum of finite numbers can still overflow: look at each before calling it bad.
      if (!allFiniteGeneric(layer)) return false;
    }
  }
  return true;
}

function allFinite(value: unknown): boolean {
  if (Array.isArray(value) && isLayerList(value)) return layersFinite(value);
  return allFiniteGeneric(value);
}

function allFiniteGeneric(value: unknown): boolean {
  if (typeof value === 'number') return Number.isFinite(value);
  if (value === null || typeof value !== 'object') return true;
  if (Array.isArray(value)) {
    for (let index = 0; index < value.length; index++) {
      const item: unknown = value[index];
      if (typeof item === 'number' ? !Number.isFinite(item) : typeof item === 'object' && item !== null && !allFinite(item)) return false;
    }
    return true;
  }
  const record = value as Record<string, unknown>;
  // for…in rather than Object.keys: no array of keys made per object (a result has about a hundred
  // objects, walked on every analysis). Results are plain objects: nothing inherited to visit.
  for (const key in record) {
    const item = record[key];
    if (typeof item === 'number' ? !Number.isFinite(item) : typeof item === 'object' && item !== null && !allFinite(item)) return false;
  }
  return true;
}

function findNonFinite(value: unknown, path: string): string {
  if (typeof value === 'number') return `${path} is ${value}`;
  const entries: [string, unknown][] = Array.isArray(value)
    ? value.map((item, index) => [`${path}[${index}]`, item])
    : Object.entries(value as Record<string, unknown>).map(([key, item]) => [`${path}.${key}`, item]);
  const bad = entries.find(([, item]) => !allFinite(item));
  return bad ? findNonFinite(bad[1], bad[0]) : path;
}
