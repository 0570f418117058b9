import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import Ajv from 'ajv';
import { analyzeDocument } from '../../../language-server/src/config/analyze';
import { detectKind } from '../../../language-server/src/config/detect';
import { parseDocument } from '../../../language-server/src/config/parse';
import { resolveHardwareDocument, resolveModelDocument } from '../../../language-server/src/config/resolveDocuments';
import { SCHEMAS } from '../../../language-server/src/config/schemas';
import type { ConfigProblem, ParsedDocument } from '../../../language-server/src/config/types';
import { validateDocument } from '../../../language-server/src/config/validate';
import { HARDWARE_RANGES, type FigureRange } from '../../../language-server/src/engine/validate';
import { NAMED_FORMATS, ALLOWED_BIT_COUNTS, FORMAT_NAMES, WEIGHT_FORMAT_KEYS } from '../../../language-server/src/engine/formats';
import { diskHost, expectationsOf, FIXTURES, filesIn, fixtureUri, lineCol, REPO_ROOT } from '../config/fixtures';

function parseFile(uri: string): ParsedDocument {
  const text = diskHost.readFile(uri)!;
  const kind = detectKind(uri, text);
  assert.ok(kind, `${uri} should be recognised as a config file`);
  return parseDocument(uri, text, kind);
}

function allProblems(doc: ParsedDocument): ConfigProblem[] {
  if (doc.kind === 'deployment') return analyzeDocument(doc, diskHost).problems;
  if (doc.kind === 'hardware') return resolveHardwareDocument(doc, diskHost).problems;
  return resolveModelDocument(doc, diskHost).problems;
}

function describe_(problem: ConfigProblem): string {
  const text = diskHost.readFile(problem.uri) ?? '';
  return `${problem.code} ${problem.uri.split('/').pop()} ${lineCol(text, problem.range.start)} ${problem.message}`;
}

/** Every property schema, with its path, walking properties and anyOf branches. */
function propertySchemas(schema: Record<string, unknown>, path = ''): [string, Record<string, unknown>][] {
  const found: [string, Record<string, unknown>][] = [];
  const properties = (schema.properties ?? {}) as Record<string, Record<string, unknown>>;
  for (const [name, property] of Object.entries(properties)) {
    found.push([`${path}${name}`, property]);
    found.push(...propertySchemas(property, `${path}${name}.`));
  }
  return found;
}

describe('schemas', () => {
  it('are draft-07 and compile (with every reference resolved)', () => {
    const ajv = new Ajv({ strict: false });
    ajv.addSchema(SCHEMAS.model, 'model.schema.json');
    ajv.addSchema(SCHEMAS.hardware, 'hardware.schema.json');
    for (const schema of Object.values(SCHEMAS)) {
      assert.equal(schema.$schema, 'http://json-schema.org/draft-07/schema#');
      assert.doesNotThrow(() => ajv.compile(schema));
    }
  });

  it('describe every property (descriptions are the hover text)', () => {
    for (const [kind, schema] of Object.entries(SCHEMAS)) {
      for (const [path, property] of propertySchemas(schema)) {
        assert.ok(typeof property.description === 'string' && property.description.length > 20, `${kind}: ${path} has no description`);
      }
    }
  });

  it('close our own formats to unknown keys and leave model files open to Hugging Face keys', () => {
    assert.equal(SCHEMAS.deployment.additionalProperties, false);
    assert.equal(SCHEMAS.hardware.additionalProperties, false);
    assert.equal(SCHEMAS.model.additionalProperties, true);
  });

  it('offer exactly the engine\'s named formats and bit counts for every quantization field, or a grouped-format map', () => {
    type Alternative = { enum?: unknown[]; enumDescriptions?: string[]; $ref?: string; then?: { $ref?: string }; else?: { properties?: Record<string, unknown> } };
    const quantization = (SCHEMAS.deployment.properties as Record<string, { properties: Record<string, { anyOf: Alternative[] }> }>).quantization;
    for (const field of ['weights', 'activations', 'kv_cache']) {
      const [names, map] = quantization.properties[field]!.anyOf;
      assert.deepEqual(names!.enum, [...FORMAT_NAMES, ...ALLOWED_BIT_COUNTS]);
      assert.equal(names!.enumDescriptions!.length, names!.enum!.length);
      // weights: a grouped-format map when it has `format`, else a map per kind of weight.
      assert.equal(field === 'weights' ? map!.then!.$ref : map!.$ref, '#/definitions/groupedFormat');
      if (field === 'weights') assert.deepEqual(Object.keys(map!.else!.properties!), [...WEIGHT_FORMAT_KEYS]);
    }
  });

  it('offer a peak for every named format in hardware files', () => {
    const peaks = (SCHEMAS.hardware.properties as Record<string, { properties: Record<string, unknown> }>).peak_tflops;
    assert.deepEqual(Object.keys(peaks.properties).sort(), Object.keys(NAMED_FORMATS).sort());
  });

  it('bound every hardware figure by the range the engine computes within', () => {
    const schemas = Object.fromEntries(propertySchemas(SCHEMAS.hardware as Record<string, unknown>));
    const bounded: [string, FigureRange][] = [
      ['memory_bandwidth_gb_s', HARDWARE_RANGES.memory_bandwidth_gb_s],
      ['memory_gib', HARDWARE_RANGES.memory_gib],
      ['on_chip_buffer_kb', HARDWARE_RANGES.on_chip_buffer_kb],
      ['interconnect.bandwidth_gb_s', HARDWARE_RANGES.interconnect_bandwidth_gb_s],
      ['interconnect.latency_us', HARDWARE_RANGES.interconnect_latency_us],
      ...Object.keys(NAMED_FORMATS).map((format): [string, FigureRange] => [`peak_tflops.${format}`, HARDWARE_RANGES.peak_tflops]),
    ];
    for (const [path, range] of bounded) {
      const schema = schemas[path]!;
      const low = range.minInclusive ? schema.minimum : schema.exclusiveMinimum;
      assert.deepEqual([low, schema.maximum], [range.min, range.max], path);
    }
  });
});

describe('valid fixtures', () => {
  const valid: string[] = [
    ...filesIn('deployments').map((name) => fixtureUri('deployments', name)),
    ...filesIn('hardware').map((name) => fixtureUri('hardware', name)),
    ...filesIn('models').map((name) => fixtureUri('models', name)),
    ...readdirSync(join(FIXTURES, 'hf'))
      .filter((name) => statSync(join(FIXTURES, 'hf', name)).isDirectory())
      .map((name) => fixtureUri('hf', name, 'config.json')),
  ];
  const examples = join(REPO_ROOT, 'examples');
  valid.push(
    ...readdirSync(examples)
      .filter((name) => /\.(ya?ml|json)$/.test(name))
      .map((name) => pathToFileURL(join(examples, name)).toString()),
    pathToFileURL(join(examples, 'models', 'llama-3.1-8b', 'config.json')).toString(),
  );

  it('include deployments, hardware files, model files and Hugging Face configs', () => {
    const kinds = new Set(valid.map((uri) => parseFile(uri).kind));
    assert.deepEqual([...kinds].sort(), ['deployment', 'hardware', 'hf-config', 'model']);
  });

  for (const uri of valid) {
    const shown = uri.slice(uri.indexOf('/test/fixtures/') + 1 || uri.indexOf('/examples/') + 1);
    it(`${shown} passes schema validation and resolves without problems`, () => {
      const doc = parseFile(uri);
      assert.deepEqual(validateDocument(doc).map(describe_), []);
      assert.deepEqual(allProblems(doc).map(describe_), []);
    });
  }
});

describe('invalid fixtures', () => {
  for (const name of filesIn('invalid')) {
    it(`${name} gives its expected problems at the expected positions`, () => {
      const uri = fixtureUri('invalid', name);
      const text = diskHost.readFile(uri)!;
      const expected = expectationsOf(text);
      assert.ok(expected.problems.length > 0, `${name} has no "# expect:" line`);
      const problems = allProblems(parseFile(uri));
      assert.ok(problems.some((problem) => problem.severity === 'error'), `${name} should give an error`);
      for (const expectation of expected.problems) {
        const targetUri = expectation.file ? fixtureUri('invalid', expectation.file) : uri;
        const targetText = diskHost.readFile(targetUri)!;
        const match = problems.find(
          (problem) =>
            problem.code === expectation.code &&
            problem.uri === targetUri &&
            lineCol(targetText, problem.range.start) === expectation.position &&
            problem.message.includes(expectation.message),
        );
        assert.ok(match, `${name}: expected ${expectation.code} at ${expectation.position} "${expectation.message}", got:\n${problems.map(describe_).join('\n')}`);
        assert.ok(!/\b(NaN|Infinity|undefined)\b/.test(match.message), `${name}: message shows a non-number: ${match.message}`);
      }
      for (const suggestion of expected.suggestions) {
        assert.ok(problems.some((problem) => problem.suggestions?.includes(suggestion)), `${name}: no problem suggests ${suggestion}`);
      }
    });
  }
});

describe('fixture files on disk', () => {
  it('every invalid fixture is also flagged by the file-kind detection', () => {
    for (const name of filesIn('invalid')) {
      const uri = fixtureUri('invalid', name);
      assert.ok(detectKind(uri, readFileSync(join(FIXTURES, 'invalid', name), 'utf8')), name);
    }
  });
});
