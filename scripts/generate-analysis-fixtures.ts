/**
 * Regenerates test/fixtures/analysis/*.json, the analyses the panel tests draw, from the real
 * engine: each fixture is an example deployment (examples/), optionally changed by the same
 * minimal edits the panel's controls make (config/edit.ts), analysed through the config layer
 * with files read from disk, and wrapped as the language server wraps it (analysisProtocol.ts
 * `documentAnalysis`: editable fields with their ranges). Fixtures that draw a sweep carry the
 * sweeps the extension host sends (extension/src/panel/panelSweep.ts) in a `sweep` field.
 *
 * Run: npx tsx scripts/generate-analysis-fixtures.ts
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { nodeHost } from '../language-server/src/cli/nodeHost';
import { applyOffsetEdits, setValueEdits } from '../language-server/src/config/edit';
import { analyzeDocument, parseDocument } from '../language-server/src/config/index';
import type { JsonPath } from '../language-server/src/config/types';
import type { DocumentAnalysis } from '../language-server/src/protocol/lsp';
import type { SweepData } from '../language-server/src/protocol/webview';
import { documentAnalysis } from '../language-server/src/server/analysisProtocol';
import type { CheckedEntry } from '../language-server/src/server/checker';
import { sweepsOf } from '../language-server/src/server/sweeps';
import { servingCurveOf } from '../language-server/src/server/servingCurve';
import { planDeployment } from '../language-server/src/plan/planDocument';
import { planOutcome } from '../language-server/src/plan/planRows';
import type { PlanOutcome, ServingCurve } from '../language-server/src/protocol/lsp';

const REPO_ROOT = resolve(dirname(new URL(import.meta.url).pathname), '..');
const OUTPUT_DIR = join(REPO_ROOT, 'test', 'fixtures', 'analysis');
/** Fixture uris do not depend on where the repository is checked out. */
const FIXTURE_FOLDER_URI = 'file:///workspace/';

interface FixtureRecipe {
  /** Output file (without .json) and document name (`<name>.roofline.yaml`). */
  name: string;
  /** The deployment it starts from, relative to the repository root. */
  source: string;
  /** Field edits applied in order, as the panel's controls would write them. */
  edits: readonly (readonly [JsonPath, unknown])[];
  /** Attach the batch-size and prompt-length sweeps. */
  withSweep: boolean;
  /** Attach the serving curve and the plan the extension host sends (deployments with serving: and plan:). */
  withPlan?: boolean;
  /** Attach the serving curve alone (deployments with serving: and no targets). */
  withServingCurve?: boolean;
}

const L4_EXAMPLE = 'examples/llama-3.1-8b-l4.roofline.yaml';

const RECIPES: readonly FixtureRecipe[] = [
  { name: 'llama-3.1-8b-l4', source: L4_EXAMPLE, edits: [], withSweep: true },
  {
    name: 'llama-3.1-8b-l4-does-not-fit',
    source: L4_EXAMPLE,
    edits: [
      [['workload', 'batch_size'], 64],
      [['workload', 'prompt_tokens'], 4096],
      [['flash_attention'], false],
      [['targets', 'min_tokens_per_second'], 1000],
    ],
    withSweep: false,
  },
  {
    name: 'llama-3.1-8b-l4-int4',
    source: L4_EXAMPLE,
    edits: [
      [['quantization', 'weights'], 'int4'],
      [['quantization', 'kv_cache'], 'fp8'],
    ],
    withSweep: true,
  },
  { name: 'llama-3.1-8b-l4-plan', source: 'examples/llama-3.1-8b-l4-plan.roofline.yaml', edits: [], withSweep: true, withPlan: true },
  { name: 'llama-2-7b-a100-techniques', source: 'examples/llama-2-7b-a100-techniques.roofline.yaml', edits: [], withSweep: false },
  { name: 'deployment-with-errors', source: L4_EXAMPLE, edits: [[['hardware'], 'nvidia-l5']], withSweep: false },
  {
    name: 'mixtral-a100-pipeline-speculative',
    source: 'examples/mixtral-a100.roofline.yaml',
    edits: [
      [['parallelism', 'pipeline'], 2],
      [['efficiency'], 'achievable'],
      [['speculative'], { draft_model: 'mistralai/Mistral-7B-v0.1', draft_tokens: 4, acceptance_rate: 0.7 }],
    ],
    withSweep: false,
  },
  { name: 'qwen3-next-h100-tp2', source: 'examples/qwen3-next-h100-tp2.roofline.yaml', edits: [], withSweep: false },
  {
    name: 'llama-3.2-3b-l40s-measured',
    source: 'test/fixtures/measurements/vllm-bench-serve/llama-3.2-3b-l40s.roofline.yaml',
    edits: [],
    withSweep: true,
    withServingCurve: true,
  },
];

function editedText(text: string, recipe: FixtureRecipe): string {
  let edited = text;
  for (const [path, value] of recipe.edits) {
    const edits = setValueEdits(edited, 'yaml', path, value);
    if (!edits) throw new Error(`${recipe.name}: cannot write ${path.join('.')} into ${recipe.source}`);
    edited = applyOffsetEdits(edited, edits);
  }
  return edited;
}

/** The analysis the language server would send for this text, plus the sweeps when asked. */
function fixtureOf(recipe: FixtureRecipe): DocumentAnalysis & { sweep?: SweepData; serving_curve?: ServingCurve; plan?: PlanOutcome } {
  const sourcePath = join(REPO_ROOT, recipe.source);
  const text = editedText(readFileSync(sourcePath, 'utf8'), recipe);
  // The document sits beside its source so that relative model and hardware paths resolve.
  const uri = pathToFileURL(join(dirname(sourcePath), `${recipe.name}.roofline.yaml`)).toString();
  const parsed = parseDocument(uri, text, 'deployment');
  const analysis = analyzeDocument(parsed, nodeHost);
  const input = analysis.resolved.input;
  const check = {
    problems: analysis.problems,
    dependencies: analysis.resolved.dependencies,
    resolved: analysis.resolved,
    ...(input ? { input } : {}),
    ...(analysis.result ? { result: analysis.result } : {}),
    ...(analysis.measuredPoints ? { measuredPoints: analysis.measuredPoints } : {}),
  };
  const entry: CheckedEntry = {
    uri,
    version: 1,
    text,
    kind: 'deployment',
    parsed,
    lines: TextDocument.create(uri, 'yaml', 1, text),
    unreadFiles: [],
    problems: analysis.problems,
    cpuMs: 0,
    steps: 1,
    longestStepCpuMs: 0,
    stopped: false,
    dependencies: analysis.resolved.dependencies,
    check,
    ...(input ? { input } : {}),
    ...(analysis.result ? { result: analysis.result } : {}),
    handlingMs: 0,
  };
  const analysed = documentAnalysis(entry);
  // Result files are named by their file name in the fixture, as they are by their full uri in the product.
  const measured = analysed.measured ? { ...analysed.measured, points: analysed.measured.points.map((point) => ({ ...point, file: `${FIXTURE_FOLDER_URI}${point.file.slice(point.file.lastIndexOf('/') + 1)}` })) } : undefined;
  const wire = { ...analysed, ...(measured ? { measured } : {}), uri: `${FIXTURE_FOLDER_URI}${recipe.name}.roofline.yaml` };
  if (recipe.withServingCurve) {
    const curve = input && analysis.result ? servingCurveOf(input, analysis.result) : undefined;
    if (!curve) throw new Error(`${recipe.name}: a serving curve needs serving:`);
    if (!recipe.withSweep) return { ...wire, serving_curve: curve };
    return { ...wire, serving_curve: curve, sweep: sweepsOf(input!, analysis.result!.capacity) };
  }
  if (!recipe.withSweep) return wire;
  if (!input || !analysis.result) throw new Error(`${recipe.name}: a sweep needs an analysable deployment`);
  const sweep = sweepsOf(input, analysis.result.capacity);
  if (!recipe.withPlan) return { ...wire, sweep };
  const curve = servingCurveOf(input, analysis.result);
  if (!curve) throw new Error(`${recipe.name}: a serving curve needs serving:`);
  const plan = planOutcome(wire.uri, 1, planDeployment(parsed.value as Record<string, unknown>, uri, nodeHost));
  return { ...wire, sweep, serving_curve: curve, plan };
}

/** All fixtures, or only those named on the command line (`npx tsx scripts/generate-analysis-fixtures.ts NAME...`). */
function main(): void {
  const only = process.argv.slice(2);
  for (const recipe of RECIPES.filter((candidate) => only.length === 0 || only.includes(candidate.name))) {
    const fixture = fixtureOf(recipe);
    const file = join(OUTPUT_DIR, `${recipe.name}.json`);
    writeFileSync(file, `${JSON.stringify(fixture, null, 2)}\n`);
    const outcome = fixture.result ? `analysed, ${fixture.result.memory.fits ? 'fits' : 'does not fit'}` : `not analysed: ${fixture.errors.join('; ')}`;
    process.stdout.write(`${recipe.name}.json: ${outcome}\n`);
  }
}

main();
