/**
 * Reads the JSON Schemas of the three file kinds for hovers and completion: what a key means,
 * which keys a map takes, which values a field allows. `$ref`, `allOf`, `anyOf` and `oneOf` are
 * followed; alternatives are merged, so `model:` (a preset id, a path, or an inline config) offers
 * the union of what each alternative allows.
 */
import deploymentSchema from '../../../schemas/deployment.schema.json';
import hardwareSchema from '../../../schemas/hardware.schema.json';
import modelSchema from '../../../schemas/model.schema.json';
import type { DocumentKind, JsonPath } from '../config/types';

export interface JsonSchema {
  $ref?: string;
  type?: string | string[];
  description?: string;
  markdownDescription?: string;
  enum?: unknown[];
  const?: unknown;
  examples?: unknown[];
  default?: unknown;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  properties?: Record<string, JsonSchema>;
  patternProperties?: Record<string, JsonSchema>;
  additionalProperties?: boolean | JsonSchema;
  required?: string[];
  items?: JsonSchema;
  allOf?: JsonSchema[];
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  definitions?: Record<string, JsonSchema>;
  $defs?: Record<string, JsonSchema>;
  enumDescriptions?: string[];
  markdownEnumDescriptions?: string[];
}

const ROOTS: Record<DocumentKind, JsonSchema> = {
  deployment: deploymentSchema as JsonSchema,
  hardware: hardwareSchema as JsonSchema,
  model: modelSchema as JsonSchema,
  'hf-config': modelSchema as JsonSchema,
};

function resolveRef(root: JsonSchema, ref: string): JsonSchema | undefined {
  const external = /^(\w+)\.schema\.json(#.*)?$/.exec(ref);
  let base = root;
  let pointer = ref;
  if (external) {
    const kind = external[1] as DocumentKind;
    base = ROOTS[kind] ?? root;
    pointer = external[2] ?? '#';
  }
  if (!pointer.startsWith('#')) return undefined;
  let node: unknown = base;
  for (const part of pointer.slice(1).split('/').filter((p) => p.length > 0)) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[part.replace(/~1/g, '/').replace(/~0/g, '~')];
  }
  return node !== null && typeof node === 'object' ? (node as JsonSchema) : undefined;
}

/** The schema and every alternative it stands for, references followed (depth-limited against cycles). */
function expand(root: JsonSchema, schema: JsonSchema | undefined, depth = 0): JsonSchema[] {
  if (!schema || depth > 12) return [];
  const base = schema.$ref ? expand(root, resolveRef(root, schema.$ref), depth + 1) : [];
  const alternatives = [...(schema.allOf ?? []), ...(schema.anyOf ?? []), ...(schema.oneOf ?? [])].flatMap((s) =>
    expand(root, s, depth + 1),
  );
  return [schema, ...base, ...alternatives];
}

function childSchemas(root: JsonSchema, schemas: JsonSchema[], key: string | number): JsonSchema[] {
  const children: JsonSchema[] = [];
  for (const schema of schemas) {
    if (typeof key === 'number') {
      if (schema.items) children.push(...expand(root, schema.items));
      continue;
    }
    const direct = schema.properties?.[key];
    if (direct) children.push(...expand(root, direct));
    for (const [pattern, patternSchema] of Object.entries(schema.patternProperties ?? {})) {
      if (safeRegExp(pattern)?.test(key)) children.push(...expand(root, patternSchema));
    }
  }
  return children;
}

function safeRegExp(pattern: string): RegExp | undefined {
  try {
    return new RegExp(pattern, 'u');
  } catch {
    return undefined;
  }
}

/** Every schema that applies at `path` in a document of `kind`. */
export function schemasAt(kind: DocumentKind, path: JsonPath): JsonSchema[] {
  const root = ROOTS[kind];
  let current = expand(root, root);
  for (const key of path) {
    current = childSchemas(root, current, key);
    if (current.length === 0) break;
  }
  return current;
}

export function descriptionAt(kind: DocumentKind, path: JsonPath): string | undefined {
  for (const schema of schemasAt(kind, path)) {
    const text = schema.markdownDescription ?? schema.description;
    if (text) return text;
  }
  return undefined;
}

export interface KeyInfo {
  name: string;
  description?: string;
  required: boolean;
  schema: JsonSchema;
}

/** The keys the map at `path` takes. */
export function keysAt(kind: DocumentKind, path: JsonPath): KeyInfo[] {
  const root = ROOTS[kind];
  const keys = new Map<string, KeyInfo>();
  const schemas = schemasAt(kind, path);
  const required = new Set(schemas.flatMap((schema) => schema.required ?? []));
  for (const schema of schemas) {
    for (const [name, property] of Object.entries(schema.properties ?? {})) {
      if (keys.has(name)) continue;
      const expanded = expand(root, property);
      const description = expanded.map((s) => s.markdownDescription ?? s.description).find((d) => d !== undefined);
      keys.set(name, { name, description, required: required.has(name), schema: property });
    }
  }
  return [...keys.values()];
}

export interface ValueInfo {
  value: string | number | boolean;
  description?: string;
}

/** The values a field allows or suggests (enums, consts, examples), with their descriptions. */
export function valuesAt(kind: DocumentKind, path: JsonPath): ValueInfo[] {
  const values = new Map<string, ValueInfo>();
  for (const schema of schemasAt(kind, path)) {
    const descriptions = schema.markdownEnumDescriptions ?? schema.enumDescriptions ?? [];
    (schema.enum ?? []).forEach((value, index) => addValue(values, value, descriptions[index] ?? schema.description));
    if (schema.const !== undefined) addValue(values, schema.const, schema.description);
    for (const example of schema.examples ?? []) addValue(values, example, schema.description);
    if (schema.type === 'boolean') {
      addValue(values, true, schema.description);
      addValue(values, false, schema.description);
    }
  }
  return [...values.values()];
}

function addValue(values: Map<string, ValueInfo>, value: unknown, description: string | undefined): void {
  if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') return;
  const key = JSON.stringify(value);
  if (!values.has(key)) values.set(key, { value, description });
}
