/**
 * The three JSON Schemas, compiled once (lazily, on first use) with ajv. Our schemas carry
 * VS Code's extra keywords (`enumDescriptions`, `markdownDescription`) for hover and completion;
 * they are declared so ajv's strict mode accepts them.
 */
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import deploymentSchema from '../../../schemas/deployment.schema.json';
import hardwareSchema from '../../../schemas/hardware.schema.json';
import modelSchema from '../../../schemas/model.schema.json';
import type { DocumentKind } from './types';

export type SchemaObject = Record<string, unknown>;

export const SCHEMAS: Readonly<Record<'deployment' | 'hardware' | 'model', SchemaObject>> = {
  deployment: deploymentSchema as SchemaObject,
  hardware: hardwareSchema as SchemaObject,
  model: modelSchema as SchemaObject,
};

let compiled: Record<'deployment' | 'hardware' | 'model', ValidateFunction> | undefined;

function compileAll(): Record<'deployment' | 'hardware' | 'model', ValidateFunction> {
  const ajv = new Ajv({
    allErrors: true,
    verbose: true,
    strict: true,
    // Hugging Face fields may be null ("not used"); union types are intended.
    strictTypes: false,
    allowUnionTypes: true,
    // YAML's .inf and .nan are numbers to JavaScript but never valid figures.
    strictNumbers: true,
  });
  for (const keyword of ['enumDescriptions', 'markdownDescription', 'markdownEnumDescriptions']) ajv.addKeyword({ keyword });
  ajv.addSchema(SCHEMAS.model, 'model.schema.json');
  ajv.addSchema(SCHEMAS.hardware, 'hardware.schema.json');
  ajv.addSchema(SCHEMAS.deployment, 'deployment.schema.json');
  return {
    deployment: ajv.getSchema('deployment.schema.json')!,
    hardware: ajv.getSchema('hardware.schema.json')!,
    model: ajv.getSchema('model.schema.json')!,
  };
}

export function schemaKeyOf(kind: DocumentKind): 'deployment' | 'hardware' | 'model' {
  return kind === 'hf-config' ? 'model' : kind;
}

/** ajv's errors for `value` against the schema of `kind` (empty when valid). */
export function schemaErrors(kind: DocumentKind, value: unknown): ErrorObject[] {
  compiled ??= compileAll();
  const validate = compiled[schemaKeyOf(kind)];
  return validate(value) ? [] : [...(validate.errors ?? [])];
}

/** The property names a schema object allows (for did-you-mean on unknown keys). */
export function propertyNames(schema: unknown): string[] {
  if (schema === null || typeof schema !== 'object') return [];
  const properties = (schema as { properties?: Record<string, unknown> }).properties;
  return properties ? Object.keys(properties) : [];
}
