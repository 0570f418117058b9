/**
 * A deployment document → the engine's input: schema problems, then `model:` and `hardware:`
 * (presets, files, inline maps, `extends:`), then defaults (workload 1 / 1024 / 256, fp16,
 * FlashAttention on for `conventions: default` and off for `llm-viewer`, tensor parallelism 1)
 * and number formats read with the engine's own parser. Never throws for bad input.
 */
import { isRooflineInputError } from '../engine/errors';
import { CheckStopped } from './checkBudget';
import { parseNumberFormat, parseWeightFormats } from '../engine/formats';
import type { Conventions, EngineInput, NumberFormat, TechniquesSpec, VariantSpec } from '../engine/types';
import { parseTechniques } from '../engine/techniques/spec';
import { valueAt } from './parse';
import { dedupeProblems, hasErrors, isUnder, problemAt } from './problems';
import { newContext, type ResolutionContext } from './references';
import { resolveHardwareValue, type HardwareOrigin } from './resolveHardware';
import { resolveModelValue, type ModelOrigin, type ResolvedModel } from './resolveModel';
import { efficiencyOf, gpuHourUsdOf, memoryUtilizationOf, servingOf, speculativeOf } from './resolveServing';
import type { ConfigHost, ConfigProblem, JsonPath, ParsedDocument, ResolvedDeployment } from './types';
import { validateDocument } from './validate';
import { SERVING_ENGINES } from '../engine/expected/engines';
import { withEngineArgs, type EngineArgsResolution } from '../engineArgs/applyEngineArgs';
import { completeEngineDefaults } from '../engineArgs/engineDefaults';

export const DEFAULT_WORKLOAD = { batchSize: 1, promptTokens: 1024, outputTokens: 256 } as const;
export const DEFAULT_FORMAT = 'fp16';
export const DEFAULT_TENSOR_PARALLELISM = 1;
const DEFAULT_NUMBER_FORMAT = parseNumberFormat(DEFAULT_FORMAT, ['quantization']);

/** Resolution with what engine-error placement needs. */
export interface DetailedResolution {
  resolved: ResolvedDeployment;
  modelOrigin?: ModelOrigin;
  hardwareOrigin?: HardwareOrigin;
  documents: Map<string, ParsedDocument>;
  /**
   * When the engine's input could not be built but the model was resolved: what the checks that
   * need no hardware read, so they still run (engine `checkWithoutHardware`).
   */
  withoutHardware?: Omit<EngineInput, 'hardware'>;
  /** A deployment written with `vllm:` or `sglang:`: its arguments as our keys. */
  engineArgs?: EngineArgsResolution;
}

function numberAt(root: unknown, path: JsonPath, fallback: number): number {
  const value = valueAt(root, path);
  return typeof value === 'number' ? value : fallback;
}

/** Tensor parallelism always; pipeline and expert parallelism only when written (engine default 1). */
function parallelismAt(root: unknown): EngineInput['parallelism'] {
  const parallelism: EngineInput['parallelism'] = { tensor: numberAt(root, ['parallelism', 'tensor'], DEFAULT_TENSOR_PARALLELISM) };
  const pipeline = valueAt(root, ['parallelism', 'pipeline']);
  if (typeof pipeline === 'number') parallelism.pipeline = pipeline;
  const expert = valueAt(root, ['parallelism', 'expert']);
  if (typeof expert === 'number') parallelism.expert = expert;
  return parallelism;
}

function formatAt(context: ResolutionContext, doc: ParsedDocument, key: 'activations' | 'kv_cache'): NumberFormat | undefined {
  const path: JsonPath = ['quantization', key];
  const value = valueAt(doc.value, path) ?? DEFAULT_FORMAT;
  try {
    return parseNumberFormat(value, path);
  } catch (error) {
    if (!isRooflineInputError(error)) throw error;
    // A map's sub-field (`weights: { group_size: 0 }`) gets the problem on that sub-field.
    context.problems.push(problemAt(doc, error.path, error.code, error.message));
    return undefined;
  }
}

/** `techniques:` read with the engine's own parser; a bad entry is a problem on its exact sub-key. */
function techniquesAt(context: ResolutionContext, doc: ParsedDocument, root: Record<string, unknown>): { ok: boolean; spec?: TechniquesSpec } {
  if (root.techniques === undefined || root.techniques === null) return { ok: true };
  try {
    return { ok: true, spec: parseTechniques(root.techniques) };
  } catch (error) {
    if (!isRooflineInputError(error)) throw error;
    context.problems.push(problemAt(doc, error.path, error.code, error.message));
    return { ok: false };
  }
}

/**
 * `variants:` — each with its own model (resolved as `model:` is, problems on the variant's key)
 * and technique set (checked like `techniques:`, problems on the variant's sub-key).
 */
function variantsAt(context: ResolutionContext, doc: ParsedDocument, root: Record<string, unknown>): { ok: boolean; variants?: VariantSpec[] } {
  if (!Array.isArray(root.variants)) return { ok: true };
  let ok = true;
  const variants: VariantSpec[] = [];
  root.variants.forEach((entry: unknown, index: number) => {
    if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) return;
    const fields = entry as Record<string, unknown>;
    const at: JsonPath = ['variants', index];
    let model: ResolvedModel | undefined;
    if (fields.model !== undefined) {
      model = resolveModelValue(context, doc, fields.model, [...at, 'model']);
      if (!model.config) ok = false;
    }
    let techniques: TechniquesSpec | undefined;
    if (fields.techniques !== undefined) {
      try {
        techniques = fields.techniques === null ? {} : parseTechniques(fields.techniques);
      } catch (error) {
        if (!isRooflineInputError(error)) throw error;
        // parseTechniques names paths under `techniques`; the variant's are under its own key.
        context.problems.push(problemAt(doc, [...at, ...error.path], error.code, `${[...at, ...error.path].join('.')}: ${error.detail}`));
        ok = false;
      }
    }
    const modelName = model?.name;
    const name = typeof fields.name === 'string' && fields.name.length > 0 ? fields.name : (modelName ?? `variant ${index + 1}`);
    variants.push({
      name,
      ...(model?.config ? { model: model.config, modelName: modelName ?? name } : {}),
      ...(techniques ? { techniques } : {}),
    });
  });
  return ok ? { ok, variants } : { ok };
}

/** `quantization.weights`: one format, or a map per kind of weight (`{ experts: mxfp4, default: bf16 }`). */
function weightFormatsAt(context: ResolutionContext, doc: ParsedDocument): ReturnType<typeof parseWeightFormats> | undefined {
  const path: JsonPath = ['quantization', 'weights'];
  const value = valueAt(doc.value, path) ?? DEFAULT_FORMAT;
  try {
    return parseWeightFormats(value, path, parseNumberFormat(DEFAULT_FORMAT, path));
  } catch (error) {
    if (!isRooflineInputError(error)) throw error;
    context.problems.push(problemAt(doc, error.path, error.code, error.message));
    return undefined;
  }
}

export function resolveDeploymentDetailed(written: ParsedDocument, host: ConfigHost): DetailedResolution {
  const context = newContext(host);
  // `vllm:` / `sglang:` arguments become the keys they mean; the rest reads the result as written.
  const engineArgs = hasErrors(written.syntaxProblems) ? undefined : withEngineArgs(written, host);
  const doc = engineArgs?.doc ?? written;
  if (engineArgs) {
    context.problems.push(...engineArgs.problems);
    context.dependencies.push(...engineArgs.dependencies);
  }
  const schemaProblems = validateDocument(doc);
  if (hasErrors(doc.syntaxProblems) || doc.value === null || typeof doc.value !== 'object' || Array.isArray(doc.value)) {
    return { resolved: { problems: schemaProblems, dependencies: [] }, documents: context.documents };
  }
  const root = doc.value as Record<string, unknown>;
  const model = resolveModelValue(context, doc, root.model);
  const hardware = resolveHardwareValue(context, doc, root.hardware);

  const conventionsValue = root.conventions;
  const conventions: Conventions = conventionsValue === 'llm-viewer' ? 'llm-viewer' : 'default';
  const weightFormats = weightFormatsAt(context, doc);
  const weights = weightFormats?.weights;
  const activations = formatAt(context, doc, 'activations');
  const kvCache = formatAt(context, doc, 'kv_cache');
  const speculative = speculativeOf(context, doc, root);
  const efficiency = efficiencyOf(root);
  let memoryUtilization = memoryUtilizationOf(root);
  const serving = servingOf(root);
  if (engineArgs && serving) {
    const parallelism = parallelismAt(root);
    const given = (path: JsonPath): boolean => valueAt(root, path) !== undefined;
    memoryUtilization =
      completeEngineDefaults(
        engineArgs,
        serving,
        {
          maxBatchedTokens: given(['serving', 'max_batched_tokens']),
          maxRunningRequests: given(['serving', 'max_running_requests']),
          maxModelLen: given(['serving', 'max_model_len']),
          memoryUtilization: given(['memory', 'utilization']),
        },
        model.config,
        hardware.spec,
        parallelism.tensor * (parallelism.pipeline ?? 1),
      ) ?? memoryUtilization;
  }
  const gpuHourUsd = gpuHourUsdOf(root);
  const engine = SERVING_ENGINES.find((id) => id === root.engine);
  const techniques = techniquesAt(context, doc, root);
  const variants = variantsAt(context, doc, root);
  const flashAttentionValue = root.flash_attention;
  // LLM-Viewer's analyzer defaults to use_flashattention=False; our default models what serving stacks do.
  const flashAttention = typeof flashAttentionValue === 'boolean' ? flashAttentionValue : conventions === 'default';

  // A field the schema already flags would be reported twice (e.g. `weights: 3`): keep the schema's message.
  const schemaErrorPaths = schemaProblems.filter((problem) => problem.severity === 'error' && problem.uri === doc.uri).map((problem) => problem.path);
  const ownProblems = context.problems.filter(
    (problem) => problem.uri !== doc.uri || !schemaErrorPaths.some((path) => path.length > 0 && isUnder(problem.path, path)),
  );
  const problems = dedupeProblems([...schemaProblems, ...ownProblems]);

  const resolved: ResolvedDeployment = { problems, dependencies: context.dependencies };
  if (model.origin) resolved.modelSource = model.origin.source;
  if (hardware.origin) resolved.hardwareSource = hardware.origin.source;
  if (model.checkpoint) resolved.checkpoint = model.checkpoint.summary;
  let withoutHardware: Omit<EngineInput, 'hardware'> | undefined;
  if (model.config) {
    // Optional keys assigned one by one rather than spread in: this runs on every keystroke and
    // every library call, and V8 builds objects from conditional spreads slowly.
    const quantization: EngineInput['quantization'] = {
      weights: weights ?? DEFAULT_NUMBER_FORMAT,
      activations: activations ?? DEFAULT_NUMBER_FORMAT,
      kvCache: kvCache ?? DEFAULT_NUMBER_FORMAT,
    };
    if (weightFormats?.byKind) quantization.weightsByKind = weightFormats.byKind;
    const built: Omit<EngineInput, 'hardware'> = {
      model: model.config,
      modelName: model.name ?? 'model',
      ...(model.checkpoint?.weights ? { checkpoint: model.checkpoint.weights } : {}),
      workload: {
        batchSize: numberAt(root, ['workload', 'batch_size'], DEFAULT_WORKLOAD.batchSize),
        promptTokens: numberAt(root, ['workload', 'prompt_tokens'], DEFAULT_WORKLOAD.promptTokens),
        outputTokens: numberAt(root, ['workload', 'output_tokens'], DEFAULT_WORKLOAD.outputTokens),
      },
      // Stand-ins when a format failed: the checks without hardware do not read them.
      quantization,
      flashAttention,
      parallelism: parallelismAt(root),
      conventions,
    };
    if (efficiency !== undefined) built.efficiency = efficiency;
    if (memoryUtilization !== undefined) built.memoryUtilization = memoryUtilization;
    if (speculative.spec) built.speculative = speculative.spec;
    if (serving) built.serving = serving;
    if (engine) built.engine = engine;
    if (gpuHourUsd !== undefined) built.gpuHourUsd = gpuHourUsd;
    if (techniques.spec) built.techniques = techniques.spec;
    if (variants.variants && variants.variants.length > 0) built.variants = variants.variants;
    withoutHardware = built;
  }
  if (!hasErrors(problems) && withoutHardware && hardware.spec && weights && activations && kvCache && speculative.ok && techniques.ok && variants.ok) {
    const input = withoutHardware as EngineInput;
    input.hardware = hardware.spec;
    resolved.input = input;
    withoutHardware = undefined;
  }
  // Optional keys assigned rather than spread in (see the engine input above); the order is the one
  // this object always had.
  const detailed = { resolved } as DetailedResolution;
  if (model.origin) detailed.modelOrigin = model.origin;
  if (hardware.origin) detailed.hardwareOrigin = hardware.origin;
  detailed.documents = context.documents;
  if (withoutHardware) detailed.withoutHardware = withoutHardware;
  if (engineArgs) detailed.engineArgs = engineArgs;
  return detailed;
}

export function resolveDeployment(doc: ParsedDocument, host: ConfigHost): ResolvedDeployment {
  try {
    return resolveDeploymentDetailed(doc, host).resolved;
  } catch (error) {
    return { problems: [internalResolutionProblem(doc, error)], dependencies: [] };
  }
}

export function internalResolutionProblem(doc: ParsedDocument, error: unknown): ConfigProblem {
  // A check stopped over its budget is not a failure: it goes on up to the check, which says where it stopped.
  if (error instanceof CheckStopped) throw error;
  return problemAt(doc, [], 'internal-error', `the file could not be resolved: ${error instanceof Error ? error.message : String(error)}`, {
    range: { start: 0, end: Math.max(0, doc.text.indexOf('\n') === -1 ? doc.text.length : doc.text.indexOf('\n')) },
  });
}
