/**
 * A plan candidate as the fields that make a deployment into it: the ones the planner varies
 * (hardware, parallelism, formats, concurrency, price). Applying a candidate sets these and
 * nothing else, so the rest of the file (its comments, targets, plan and workload) stays as written.
 */

export interface FieldValue {
  path: (string | number)[];
  value: unknown;
}

/** Every field the planner varies, in the order they are written. */
export const CANDIDATE_PATHS: readonly (readonly string[])[] = [
  ['hardware'],
  ['parallelism', 'tensor'],
  ['parallelism', 'pipeline'],
  ['parallelism', 'expert'],
  ['quantization', 'weights'],
  ['quantization', 'activations'],
  ['quantization', 'kv_cache'],
  ['serving', 'concurrency'],
  ['serving', 'disaggregated'],
  ['cost', 'gpu_hour_usd'],
];

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * The fields of a candidate's deployment. Parallelism the planner leaves out is 1 (it writes only
 * degrees above one); a co-located candidate's pools are null (SetFields takes out a split the file
 * has); a price it leaves out is left alone.
 */
export function candidateFields(deployment: Record<string, unknown>): FieldValue[] {
  const fields: FieldValue[] = [];
  for (const path of CANDIDATE_PATHS) {
    let value: unknown = deployment;
    for (const key of path) value = isObject(value) ? value[key] : undefined;
    if (value === undefined && path[0] === 'parallelism') value = 1;
    if (value === undefined && path[1] === 'disaggregated') value = null;
    if (value !== undefined) fields.push({ path: [...path], value });
  }
  return fields;
}

/** True when `path` is one a candidate sets (the only fields SetFields writes). */
export function isCandidatePath(path: readonly (string | number)[]): boolean {
  const key = JSON.stringify(path);
  return CANDIDATE_PATHS.some((candidate) => JSON.stringify(candidate) === key);
}
