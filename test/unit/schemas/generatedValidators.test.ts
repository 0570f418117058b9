/**
 * The validators compiled at build time (language-server/src/config/schemaValidators.generated.ts)
 * are those of the schemas as they are now: the file is exactly what the generator makes from
 * schemas/*.schema.json, and it answers every fixture and example, and mutations of them, with
 * the same errors as ajv compiling the schemas at run time with the same options.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import type Ajv from 'ajv';
import type { ErrorObject } from 'ajv';
import { detectKind } from '../../../language-server/src/config/detect';
import { parseDocument } from '../../../language-server/src/config/parse';
import { schemaErrors, schemaKeyOf } from '../../../language-server/src/config/schemas';
import type { DocumentKind } from '../../../language-server/src/config/types';
import { FIXTURES, REPO_ROOT } from '../config/fixtures';

interface Generator {
  GENERATED_VALIDATORS_FILE: string;
  createAjv(): Ajv;
  validatorsSource(): Promise<string>;
}

function configFilesUnder(folder: string): string[] {
  return readdirSync(folder).flatMap((name) => {
    const path = join(folder, name);
    if (statSync(path).isDirectory()) return configFilesUnder(path);
    return /\.(ya?ml|json)$/.test(name) ? [path] : [];
  });
}

interface Sample {
  label: string;
  kind: DocumentKind;
  value: unknown;
}

/** Values that break each kind of schema rule: type, range, enum, length, unknown keys. */
const REPLACEMENTS: unknown[] = [-1, 0, 0.5, 1e308, 'x', '', null, true, [], [1, 2, 3], {}, { unknown_key: 1 }];

/** The document itself, then every leaf and every map in it replaced by each REPLACEMENTS value. */
function mutations(value: unknown): unknown[] {
  const found: unknown[] = [value];
  const visit = (node: unknown, replace: (next: unknown) => unknown): void => {
    for (const replacement of REPLACEMENTS) found.push(replace(replacement));
    if (node !== null && typeof node === 'object') {
      for (const [key, child] of Object.entries(node)) {
        visit(child, (next) => replace(Array.isArray(node) ? node.map((item, index) => (String(index) === key ? next : item)) : { ...node, [key]: next }));
      }
    }
  };
  if (value !== null && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) visit(child, (next) => ({ ...(value as object), [key]: next }));
  }
  return found;
}

function samples(): Sample[] {
  const files = [...configFilesUnder(FIXTURES), ...configFilesUnder(join(REPO_ROOT, 'examples'))];
  const found: Sample[] = [];
  for (const path of files) {
    const uri = pathToFileURL(path).toString();
    const text = readFileSync(path, 'utf8');
    const kind = detectKind(uri, text);
    if (!kind) continue;
    const doc = parseDocument(uri, text, kind);
    if (doc.value === undefined) continue;
    mutations(doc.value).forEach((value, index) => found.push({ label: `${relative(REPO_ROOT, path)} #${index}`, kind, value }));
  }
  return found;
}

/** An error as a user could ever see it: every field, the schema objects compared by value. */
function comparable(errors: ErrorObject[]): unknown[] {
  return errors.map((error) => JSON.parse(JSON.stringify(error)) as unknown);
}

describe('the validators compiled at build time', function () {
  let generator: Generator;

  before(async function () {
    const modulePath = '../../../scripts/generate-validators.mjs';
    generator = (await import(modulePath)) as Generator;
  });

  it('are exactly what the generator makes from the schemas now (run `npm run generate:validators` after a schema change)', async function () {
    const committed = readFileSync(generator.GENERATED_VALIDATORS_FILE, 'utf8');
    assert.ok(committed === (await generator.validatorsSource()), `${relative(REPO_ROOT, generator.GENERATED_VALIDATORS_FILE)} is out of date with schemas/`);
  });

  it('give the same errors as the schemas compiled at run time, on every fixture, example and mutation of them', function () {
    this.timeout(60_000);
    const ajv = generator.createAjv();
    const all = samples();
    // Every fixture folder and example contributes: hundreds of documents, thousands of mutations.
    assert.ok(all.length > 1000, `only ${all.length} samples`);
    let invalid = 0;
    for (const sample of all) {
      const validate = ajv.getSchema(`${schemaKeyOf(sample.kind)}.schema.json`)!;
      const expected = validate(sample.value) ? [] : [...(validate.errors ?? [])];
      const actual = schemaErrors(sample.kind, sample.value);
      if (expected.length > 0) invalid++;
      assert.deepEqual(comparable(actual), comparable(expected), sample.label);
    }
    // The mutations exercise the error paths, not only the valid ones.
    assert.ok(invalid > all.length / 2, `${invalid} of ${all.length} samples had errors`);
  });
});
