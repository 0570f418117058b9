/**
 * The "Fit to these measurements" request: the fit (measured/fit.ts) run in slices with the event
 * loop given back between them, then the edits that write the fitted terms with their source. A
 * hardware file is edited through its syntax tree (comments kept); a preset gets a new
 * `<preset>.hardware.yaml` beside the deployment that `extends` it, and the deployment's
 * `hardware:` points at it; inline hardware is edited in place. A deployment not on
 * `efficiency: expected` is set to it, since the fitted host times only count there.
 */
import { applyOffsetEdits, setValueEdits, syntaxOfUri, type OffsetEdit } from '../config/edit';
import { fileNameOf } from '../config/detect';
import { resolveReferenceUri } from '../config/references';
import type { ConfigHost, JsonPath } from '../config/types';
import { fitSteps, type FitOutcome, type FittedTerms } from '../measured/fit';
import { formatNumber, formatPercent } from '../format/units';
import type { FitFileEdit, FitMeasuredParams, FitMeasuredResult } from '../protocol/lsp';
import type { CheckedEntry } from './checker';
import type { PlanPacing } from './planRequest';
import { singleSpanEdit } from './setFields';

const SLICE_MILLISECONDS = 10;

function round(value: number, digits: number): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

/** The values written, rounded to what a measurement can say. */
function writtenTerms(terms: FittedTerms): { path: JsonPath; value: number }[] {
  return [
    { path: ['achievable', 'memory'], value: round(terms.memoryFraction, 3) },
    { path: ['achievable', 'compute', terms.computePrecision], value: round(terms.computeFraction, 3) },
    { path: ['expected', 'step_us'], value: Math.round(terms.stepUs) },
    { path: ['expected', 'request_us'], value: Math.round(terms.requestUs) },
  ];
}

function sourceText(files: readonly string[], figures: number, date: string, outcome: FitOutcome): string {
  return `fitted to ${files.join(', ')} (${figures} figures, efficiency: expected) on ${date}: geometric-mean error ${formatPercent(outcome.before)} → ${formatPercent(outcome.after)}`;
}

/** Edits applied one after another, as one edit of the span they change (one undo step). */
function combinedEdit(text: string, steps: readonly ((current: string) => OffsetEdit[] | undefined)[]): { edit: OffsetEdit } | undefined {
  let current = text;
  for (const step of steps) {
    const edits = step(current);
    if (!edits) return undefined;
    current = applyOffsetEdits(current, edits);
  }
  return { edit: singleSpanEdit(text, current) ?? { start: 0, end: 0, newText: '' } };
}

function wireEdit(text: string, edit: OffsetEdit): { range: { start: { line: number; character: number }; end: { line: number; character: number } }; newText: string } {
  const position = (offset: number): { line: number; character: number } => {
    const before = text.slice(0, offset);
    const line = before.split('\n').length - 1;
    return { line, character: offset - (before.lastIndexOf('\n') + 1) };
  };
  return { range: { start: position(edit.start), end: position(edit.end) }, newText: edit.newText };
}

function presetFileText(presetId: string, values: { path: JsonPath; value: number }[], source: string): string {
  const value = (path: JsonPath): number => values.find((entry) => entry.path.join('.') === path.join('.'))!.value;
  const precision = values[1]!.path[2] as string;
  return [
    `# ${presetId} with efficiency terms fitted to measured results (docs/measured.md).`,
    `extends: ${presetId}`,
    'achievable:',
    `  memory: ${value(['achievable', 'memory'])}`,
    '  compute:',
    `    ${precision}: ${value(['achievable', 'compute', precision])}`,
    `  source: ${JSON.stringify(source)}`,
    'expected:',
    `  step_us: ${value(['expected', 'step_us'])}`,
    `  request_us: ${value(['expected', 'request_us'])}`,
    `  source: ${JSON.stringify(source)}`,
    '',
  ].join('\n');
}

/** A file name beside the deployment that no file has yet: `nvidia-l40s.hardware.yaml`, then `-fitted`, `-fitted-2`, ... */
function freeHardwareFile(deploymentUri: string, presetId: string, host: ConfigHost): string {
  const base = presetId.replace(/[^A-Za-z0-9._-]/g, '-');
  for (let index = 0; index < 100; index++) {
    const name = index === 0 ? `${base}.hardware.yaml` : index === 1 ? `${base}-fitted.hardware.yaml` : `${base}-fitted-${index}.hardware.yaml`;
    const uri = resolveReferenceUri(deploymentUri, `./${name}`);
    if (uri && host.readFile(uri) === undefined) return name;
  }
  return `${base}-fitted-${Date.now()}.hardware.yaml`;
}

export async function fitMeasured(entry: CheckedEntry | undefined, params: FitMeasuredParams, host: ConfigHost, pacing: PlanPacing): Promise<FitMeasuredResult> {
  if (!entry || entry.kind !== 'deployment') return { error: 'Only a deployment with measured: can be fitted.' };
  if (entry.version !== params.version) return { error: `The document changed (version ${entry.version}); fit again.` };
  const points = entry.check.measuredPoints;
  const input = entry.input;
  if (!input || !entry.result) return { error: 'Fix the errors in the document before fitting.' };
  if (!points || points.length === 0) return { error: 'Name measured results under measured: to fit to (docs/measured.md).' };
  const steps = fitSteps(input, points);
  let sliceStart = pacing.now();
  let step = steps.next();
  while (!step.done) {
    if (pacing.now() - sliceStart >= SLICE_MILLISECONDS) {
      await pacing.pause();
      if (pacing.currentVersion() !== params.version) return { error: 'The document changed while fitting; fit again.' };
      sliceStart = pacing.now();
    }
    step = steps.next();
  }
  const outcome = step.value;
  if (!(outcome.after < outcome.before)) return { error: `The hardware's terms already fit these measurements best (geometric-mean error ${formatPercent(outcome.before)}); nothing to write.` };
  const files = [...new Set(points.map((point) => decodeURIComponent(fileNameOf(point.file))))];
  const source = sourceText(files, outcome.figures, params.date, outcome);
  const values = writtenTerms(outcome.terms);
  const summary = `Fitted to ${outcome.figures} measured figures: geometric-mean error ${formatPercent(outcome.before)} → ${formatPercent(outcome.after)}. Memory ${formatPercent(outcome.terms.memoryFraction)} of the datasheet bandwidth, ${outcome.terms.computePrecision} compute ${formatPercent(outcome.terms.computeFraction)} of peak, ${formatNumber(outcome.terms.stepUs / 1000)} ms per step, ${formatNumber(outcome.terms.requestUs / 1000)} ms per request.`;
  const deployment = entry.parsed.value as Record<string, unknown>;
  const deploymentSyntax = syntaxOfUri(entry.uri);
  const deploymentSteps: ((text: string) => OffsetEdit[] | undefined)[] = [];
  if (deployment.efficiency !== 'expected') deploymentSteps.push((text) => setValueEdits(text, deploymentSyntax, ['efficiency'], 'expected'));
  const hardware = entry.check.resolved?.hardwareSource;
  const result: FitFileEdit[] = [];
  let createsFile: string | undefined;
  /** The fitted values and their source, written under `at` in a document of `syntax`. */
  const withSource = (at: JsonPath, syntax: ReturnType<typeof syntaxOfUri>): ((text: string) => OffsetEdit[] | undefined)[] => [
    ...values.map(({ path, value }) => (text: string) => setValueEdits(text, syntax, [...at, ...path], value)),
    (text: string) => setValueEdits(text, syntax, [...at, 'achievable', 'source'], source),
    (text: string) => setValueEdits(text, syntax, [...at, 'expected', 'source'], source),
  ];
  if (hardware?.origin === 'file' && hardware.uri) {
    const text = host.readFile(hardware.uri);
    if (typeof text !== 'string') return { error: `The hardware file ${hardware.id} could not be read.` };
    const combined = combinedEdit(text, withSource([], syntaxOfUri(hardware.uri)));
    if (!combined) return { error: `Cannot write the fitted terms into ${hardware.id} (fix its syntax first).` };
    result.push({ uri: hardware.uri, create: false, edit: wireEdit(text, combined.edit) });
  } else if (hardware?.origin === 'inline') {
    deploymentSteps.push(...withSource(['hardware'], deploymentSyntax));
  } else {
    const presetId = hardware?.id ?? input.hardware.name;
    const name = freeHardwareFile(entry.uri, presetId, host);
    const uri = resolveReferenceUri(entry.uri, `./${name}`)!;
    createsFile = name;
    result.push({ uri, create: true, text: presetFileText(presetId, values, source) });
    deploymentSteps.push((text) => setValueEdits(text, deploymentSyntax, ['hardware'], `./${name}`));
  }
  if (deploymentSteps.length > 0) {
    const combined = combinedEdit(entry.text, deploymentSteps);
    if (!combined) return { error: 'Cannot edit this deployment (fix its syntax first).' };
    result.push({ uri: entry.uri, create: false, edit: wireEdit(entry.text, combined.edit) });
  }
  return { files: result, summary, ...(createsFile ? { createsFile } : {}) };
}
