/**
 * The library entry point (`dist/api.js`, CommonJS):
 *
 *   const { analyze, listPresets } = require('llm-roofline/dist/api.js');
 *   const result = analyze({ model: 'meta-llama/Llama-3.1-8B', hardware: 'nvidia-l4', workload: { batch_size: 8 } });
 *   const table = sweep(deployment, { path: 'workload.batch_size', values: '1..256' });
 *
 * `analyze` takes a deployment as the files write it (snake_case keys; `model` and `hardware` as
 * preset ids, paths relative to `baseDir`, or inline objects) and returns the same
 * `AnalysisResult` the editor and the CLI show. Invalid input throws an `Error` whose message names
 * each field and what is wrong with it.
 */
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';
import { analyzeDocument } from './config/analyze';
import { parseDocument } from './config/parse';
import { plainDocument } from './config/plainDocument';
import { formatPath } from './config/problems';
import type { ConfigProblem } from './config/types';
import { nodeHost, displayPath } from './cli/nodeHost';
import type { AnalysisResult, EngineInput } from './engine/types';
import { isRooflineInputError } from './engine/errors';
import { isSweepPath, parseSweepValues, sweepResolved, SWEEPABLE_PATHS, type SweepResult } from './engine/sweep';
import { listHardwarePresets, listModelPresets, type HardwarePreset, type ModelPreset } from './presets/index';
import { validateDocument } from './config/validate';
import type { PlanResult } from './plan/planner';
import { analyzeValue, planDeployment } from './plan/planDocument';
import { ResolutionCache } from './config/resolutionCache';
import { analyzeResolved } from './engine/index';

export type * from './engine/types';
export type { HardwarePreset, ModelPreset } from './presets/index';
export type { SweepResult, SweepResultPoint, SweepPath } from './engine/sweep';
export type { PlanResult, PlanCandidate } from './plan/planner';

export interface AnalyzeOptions {
  /** Folder that relative `model`/`hardware` paths are read from. Default: `process.cwd()`. */
  baseDir?: string;
}

/** True when every number in a plain value is finite: the common case, checked without building paths. */
function allNumbersFinite(value: unknown, depth: number): boolean {
  if (typeof value === 'number') return Number.isFinite(value);
  if (value === null || typeof value !== 'object' || depth > 64) return true;
  if (Array.isArray(value)) {
    for (let index = 0; index < value.length; index++) if (!allNumbersFinite(value[index], depth + 1)) return false;
    return true;
  }
  for (const key in value) {
    if (Object.prototype.hasOwnProperty.call(value, key) && !allNumbersFinite((value as Record<string, unknown>)[key], depth + 1)) return false;
  }
  return true;
}

/** The first non-finite number in a plain value (JSON would silently turn it into null). */
function findNonFinite(value: unknown, path: (string | number)[] = [], depth = 0): { path: (string | number)[]; value: number } | undefined {
  if (depth > 64) return undefined;
  if (typeof value === 'number') return Number.isFinite(value) ? undefined : { path, value };
  if (Array.isArray(value)) {
    for (let index = 0; index < value.length; index++) {
      const found = findNonFinite(value[index], [...path, index], depth + 1);
      if (found) return found;
    }
  } else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      const found = findNonFinite(item, [...path, key], depth + 1);
      if (found) return found;
    }
  }
  return undefined;
}

function describeProblem(problem: ConfigProblem, deploymentUri: string): string {
  const inFile = problem.uri === deploymentUri ? '' : `${displayPath(problem.uri)}: `;
  // Messages about a field already start with its dotted path.
  const needsPath = problem.path.length > 0 && !problem.message.startsWith(formatPath(problem.path)) && problem.code !== 'unknown-key';
  return `${inFile}${needsPath ? `${formatPath(problem.path)}: ` : ''}${problem.message}`;
}

export function analyze(deployment: unknown, options: AnalyzeOptions = {}): AnalysisResult {
  return analyzeWithInput(deployment, options).result;
}

/** The last few deployments' resolutions, for calls that change only the workload (config/resolutionCache.ts). */
const resolutions = new ResolutionCache();

let lastVirtualUri: { baseDir: string; uri: string } | undefined;

/** A virtual file in baseDir, so relative paths resolve against it (kept for the next call from the same folder). */
function virtualDeploymentUri(baseDir: string): string {
  if (lastVirtualUri?.baseDir !== baseDir) {
    lastVirtualUri = { baseDir, uri: pathToFileURL(`${resolve(baseDir)}/deployment.roofline.json`).toString() };
  }
  return lastVirtualUri.uri;
}

function analyzeWithInput(deployment: unknown, options: AnalyzeOptions): { input: EngineInput; result: AnalysisResult } {
  if (deployment === null || typeof deployment !== 'object' || Array.isArray(deployment)) {
    throw new Error(`deployment: expected an object with at least model and hardware, got ${deployment === null ? 'null' : Array.isArray(deployment) ? 'an array' : typeof deployment}`);
  }
  const uri = virtualDeploymentUri(options.baseDir ?? process.cwd());
  // A kept resolution is found only for a deployment equal to one whose numbers were all finite,
  // with a workload of finite numbers (config/resolutionCache.ts): the walk below is for the rest.
  const reused = resolutions.inputFor(deployment as Record<string, unknown>, uri, nodeHost);
  if (!reused) {
    const nonFinite = allNumbersFinite(deployment, 0) ? undefined : findNonFinite(deployment);
    if (nonFinite) throw new Error(`${formatPath(nonFinite.path)}: must be a finite number, got ${nonFinite.value}`);
  }
  if (reused) {
    try {
      return { input: reused.input, result: analyzeResolved(reused.input) };
    } catch {
      // The full way below places the problem on its field.
    }
  } else {
    // The value as given, without a text round trip: text and positions are made only if a problem needs placing.
    const analysed = analyzeValue(deployment, uri, nodeHost, resolutions);
    if (analysed) return analysed;
  }
  throw new Error(problemsMessage(deployment, uri));
}

/** The problems of an invalid deployment, each on its field, from its text as a file would hold it. */
function problemsMessage(deployment: object, uri: string): string {
  let text: string;
  try {
    text = JSON.stringify(deployment, null, 2);
  } catch (error) {
    return `deployment: cannot be read as plain data (${error instanceof Error ? error.message : String(error)})`;
  }
  const host = { readFile: (target: string) => (target === uri ? text : nodeHost.readFile(target)) };
  const analysis = analyzeDocument(parseDocument(uri, text, 'deployment'), host);
  const messages = analysis.problems.filter((problem) => problem.severity === 'error').map((problem) => describeProblem(problem, uri));
  return messages.length > 0 ? messages.join('\n') : 'deployment: could not be analysed';
}

export interface SweepSpec {
  /** The field to vary: `workload.batch_size`, `workload.prompt_tokens` or `workload.output_tokens`. */
  path: string;
  /** The values: a list of whole numbers, or the command line's syntax (`1..256`, `1..256:8`, `1,8,32`). */
  values: readonly number[] | string;
}

/**
 * The deployment at every value of one workload field, in one call: TTFT, TPOT, end-to-end time,
 * tokens/s, memory and whether it fits, per value. The deployment is resolved and checked once;
 * invalid input or values throw an `Error` naming the field.
 */
export function sweep(deployment: unknown, spec: SweepSpec, options: AnalyzeOptions = {}): SweepResult {
  if (spec === null || typeof spec !== 'object' || typeof spec.path !== 'string' || !isSweepPath(spec.path)) {
    throw new Error(`sweep.path: must be one of ${SWEEPABLE_PATHS.join(', ')}, got ${JSON.stringify((spec as { path?: unknown } | null)?.path)}`);
  }
  const path = spec.path;
  const { input } = analyzeWithInput(deployment, options);
  try {
    const values = typeof spec.values === 'string' ? parseSweepValues(spec.values, path.split('.')) : [...spec.values];
    return sweepResolved(input, { path, values });
  } catch (error) {
    if (isRooflineInputError(error)) throw new Error(`sweep ${error.message}`);
    throw error;
  }
}

export interface PresetList {
  hardware: readonly HardwarePreset[];
  models: readonly ModelPreset[];
}

export function listPresets(): PresetList {
  return { hardware: listHardwarePresets(), models: listModelPresets() };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * The cheapest deployments that meet the deployment's `targets:`, searched over its `plan:`
 * (hardware × parallelism × formats × concurrency, under load), best first. Each candidate's
 * `deployment` is accepted by `analyze()` and meets the targets when analysed on its own.
 */
export function plan(deployment: unknown, options: AnalyzeOptions = {}): PlanResult {
  if (!isPlainObject(deployment)) throw new Error('deployment: expected an object with at least model and hardware');
  const uri = virtualDeploymentUri(options.baseDir ?? process.cwd());
  const schemaProblems = validateDocument(plainDocument(uri, deployment, 'deployment')).filter((problem) => problem.severity === 'error');
  if (schemaProblems.length > 0) throw new Error(problemsMessage(deployment, uri));
  return planDeployment(deployment, uri, nodeHost);
}
