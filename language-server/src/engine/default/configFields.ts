/**
 * Reading optional architecture fields of a Hugging Face config, each under the names the
 * families use for it; a present but bad value is a RooflineInputError on that exact key.
 */
import { RooflineInputError } from '../errors';
import { modelCountTooLarge } from '../model';
import { MAX_MODEL_COUNT } from '../validate';
import type { HfConfig } from '../types';

export type FieldPath = readonly (string | number)[];

/** The first of `names` the config sets to something other than null. */
export function firstField(config: HfConfig, names: readonly string[]): [string, unknown] | undefined {
  for (const name of names) {
    const value = config[name];
    if (value !== undefined && value !== null) return [name, value];
  }
  return undefined;
}

function isWholeNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && Number.isInteger(value);
}

/** A whole number ≥ `minimum` under one of `names`, or undefined when none is set. */
export function optionalWholeNumber(config: HfConfig, names: readonly string[], at: FieldPath, minimum: number): number | undefined {
  const found = firstField(config, names);
  if (!found) return undefined;
  const [name, value] = found;
  if (!isWholeNumber(value) || value < minimum) {
    const expected = minimum <= 0 ? 'a whole number ≥ 0' : 'a positive whole number';
    throw new RooflineInputError([...at, name], `${name} must be ${expected}, got ${JSON.stringify(value)}`);
  }
  if (value > MAX_MODEL_COUNT) throw modelCountTooLarge([...at, name], name, value);
  return value;
}

/** A positive whole number that must be present, under one of `names`. */
export function requiredPositive(config: HfConfig, names: readonly string[], at: FieldPath, why: string): number {
  const value = optionalWholeNumber(config, names, at, 1);
  if (value === undefined) {
    throw new RooflineInputError(at, `${why}: expected one of ${names.join(', ')}`, 'missing-field');
  }
  return value;
}

/** A list of whole numbers in [0, limit) (layer indices), or an empty list when absent. */
export function optionalIndexList(config: HfConfig, name: string, limit: number, at: FieldPath): number[] {
  const value = config[name];
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || !value.every((item) => isWholeNumber(item) && item >= 0 && item < limit)) {
    throw new RooflineInputError([...at, name], `${name} must be a list of layer indices from 0 to ${limit - 1}`);
  }
  return value as number[];
}
