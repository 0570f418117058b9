/**
 * The three JSON Schemas and their validators. The validators are compiled at build time
 * (scripts/generate-validators.mjs writes ./schemaValidators.generated.ts, ajv standalone code),
 * so no process pays ajv's compilation, 150-250 ms, at start-up.
 */
import type { ErrorObject, ValidateFunction } from 'ajv';
import deploymentSchema from '../../../schemas/deployment.schema.json';
import hardwareSchema from '../../../schemas/hardware.schema.json';
import modelSchema from '../../../schemas/model.schema.json';
import * as generated from './schemaValidators.generated';
import type { DocumentKind } from './types';

export type SchemaObject = Record<string, unknown>;

export const SCHEMAS: Readonly<Record<'deployment' | 'hardware' | 'model', SchemaObject>> = {
  deployment: deploymentSchema as SchemaObject,
  hardware: hardwareSchema as SchemaObject,
  model: modelSchema as SchemaObject,
};

const VALIDATORS: Readonly<Record<'deployment' | 'hardware' | 'model', ValidateFunction>> = {
  deployment: generated.deployment as unknown as ValidateFunction,
  hardware: generated.hardware as unknown as ValidateFunction,
  model: generated.model as unknown as ValidateFunction,
};

export function schemaKeyOf(kind: DocumentKind): 'deployment' | 'hardware' | 'model' {
  return kind === 'hf-config' ? 'model' : kind;
}

/** ajv's errors for `value` against the schema of `kind` (empty when valid). */
export function schemaErrors(kind: DocumentKind, value: unknown): ErrorObject[] {
  const validate = VALIDATORS[schemaKeyOf(kind)];
  return validate(value) ? [] : [...(validate.errors ?? [])];
}

/** The property names a schema object allows (for did-you-mean on unknown keys). */
export function propertyNames(schema: unknown): string[] {
  if (schema === null || typeof schema !== 'object') return [];
  const properties = (schema as { properties?: Record<string, unknown> }).properties;
  return properties ? Object.keys(properties) : [];
}
