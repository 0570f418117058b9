// Regenerates the preset data shipped with the product (language-server/src/presets/data/*.json)
// from the reference tables gathered for the project (hardware.json, models.json) and the
// project's own additions (language-server/src/presets/additions/*.json: accelerators and models
// the reference lacks, and figures it lacks, each with its source). Run once when either changes:
// `node scripts/generate-presets.mjs [referenceDir]`. The build and the tests read only the
// generated files, never the reference folder.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const referenceDir = resolve(process.argv[2] ?? join(root, '..', 'shared', 'reference'));
const outputDir = join(root, 'language-server', 'src', 'presets', 'data');
const additionsDir = join(root, 'language-server', 'src', 'presets', 'additions');

const hardwareReference = JSON.parse(readFileSync(join(referenceDir, 'hardware.json'), 'utf8'));
const modelsReference = JSON.parse(readFileSync(join(referenceDir, 'models.json'), 'utf8'));

/** Precisions a hardware file's `peak_tflops` takes; other reference keys (fp16_fp16acc, nvfp4) are variants. */
const PRECISIONS = ['fp32', 'tf32', 'fp16', 'bf16', 'fp8', 'int8', 'fp6', 'fp4', 'int4'];

/** The reference's `source` map uses per-entry keys; these are the keys to try, in order, per figure. */
const SOURCE_KEYS = {
  memory_gib: ['memory', 'all', 'gpu', 'module'],
  memory_bandwidth_gb_s: ['bw', 'memory', 'all'],
  peak: (precision) => [precision, 'tflops', 'all', 'gpu'],
  interconnect: ['ic', 'all'],
};

function sourceOf(source, keys) {
  for (const key of keys) if (typeof source[key] === 'string' && source[key] !== '-') return source[key];
  return undefined;
}

function hardwarePreset(entry) {
  const figures = { memory_gib: entry.memory_gb ?? null, memory_bandwidth_gb_s: entry.memory_bandwidth_gb_s ?? null, peak_tflops: {} };
  const sources = {};
  const notes = [...(entry.notes ?? [])];
  if (entry.memory_gb != null) {
    sources.memory_gib = sourceOf(entry.source, SOURCE_KEYS.memory_gib) ?? 'not given';
    // The reference prints capacity in GB as vendors do; the bytes behind it are GiB (80 GB H100 = 80 GiB).
    notes.push(`Capacity ${entry.memory_gb} GB read as GiB: GB as printed is usually GiB.`);
  }
  if (entry.memory_bandwidth_gb_s != null) {
    sources.memory_bandwidth_gb_s = sourceOf(entry.source, SOURCE_KEYS.memory_bandwidth_gb_s) ?? 'not given';
  }
  for (const [key, value] of Object.entries(entry.dense_peak_tflops ?? {})) {
    if (value == null) continue;
    if (PRECISIONS.includes(key)) {
      figures.peak_tflops[key] = value;
      sources[`peak_tflops.${key}`] = sourceOf(entry.source, SOURCE_KEYS.peak(key)) ?? 'not given';
    } else {
      notes.push(`Reference also lists ${key} = ${value} (not used: ${key.includes('acc') ? 'accumulate-mode variant' : 'format variant'}).`);
    }
  }
  const uni = entry.interconnect?.uni_gbps;
  if (typeof uni === 'number') {
    figures.interconnect = { bandwidth_gb_s: uni };
    sources.interconnect = sourceOf(entry.source, SOURCE_KEYS.interconnect) ?? 'not given';
  }
  if (entry.interconnect?.name) notes.push(`Interconnect: ${entry.interconnect.name}${typeof uni === 'number' ? ` (${uni} GB/s one direction)` : ' (no one-direction figure)'}.`);
  const references = {};
  for (const [key, text] of Object.entries(entry.source_refs ?? {})) references[key] = text;
  return {
    id: entry.id.replace(/_/g, '-'),
    referenceId: entry.id,
    name: entry.name,
    vendor: entry.vendor,
    figures,
    sources,
    references,
    confidence: entry.confidence,
    notes,
  };
}

/** HF `model_type` of each architecture class in the reference (as in the models' own config.json). */
const MODEL_TYPES = {
  LlamaForCausalLM: 'llama',
  MistralForCausalLM: 'mistral',
  MixtralForCausalLM: 'mixtral',
  Qwen2ForCausalLM: 'qwen2',
  Qwen3MoeForCausalLM: 'qwen3_moe',
  DeepseekV3ForCausalLM: 'deepseek_v3',
  Gemma2ForCausalLM: 'gemma2',
  Phi3ForCausalLM: 'phi3',
  GptOssForCausalLM: 'gpt_oss',
  OPTForCausalLM: 'opt',
};

function modelPreset(entry) {
  const architecture = entry.architectures?.[0];
  const config = { architectures: entry.architectures, ...(MODEL_TYPES[architecture] ? { model_type: MODEL_TYPES[architecture] } : {}) };
  const notes = [...(entry.notes ?? [])];
  for (const [key, value] of Object.entries(entry.config)) {
    if (key === 'layer_types' && typeof value === 'string') {
      // The reference summarises gpt-oss's list as a phrase; the config itself alternates, sliding first.
      const layers = entry.config.num_hidden_layers;
      config.layer_types = Array.from({ length: layers }, (_, index) => (index % 2 === 0 ? 'sliding_attention' : 'full_attention'));
      notes.push(`layer_types expanded from the reference's "${value}".`);
      continue;
    }
    config[key] = value;
  }
  const derived = entry.derived_by_researcher ?? {};
  return {
    id: entry.id,
    config,
    publishedParameters: entry.published_params,
    ...(typeof derived.total_params === 'number' ? { parameters: derived.total_params } : {}),
    ...(typeof derived.active_params_per_token === 'number' ? { activeParameters: derived.active_params_per_token } : {}),
    source: entry.source,
    confidence: entry.confidence,
    notes,
  };
}

/** The project's own accelerators, and its amendments to reference entries (figures the reference lacks). */
function withHardwareAdditions(presets, additions) {
  const byId = new Map(presets.map((preset) => [preset.id, preset]));
  for (const amendment of additions.amendments ?? []) {
    const preset = byId.get(amendment.id);
    if (!preset) throw new Error(`hardware additions: no reference preset ${amendment.id} to amend`);
    const { peak_tflops: peaks = {}, ...figures } = amendment.figures;
    Object.assign(preset.figures, figures);
    Object.assign(preset.figures.peak_tflops, peaks);
    Object.assign(preset.sources, amendment.sources);
    for (const key of referenceKeysIn(amendment.sources)) preset.references[key] = additions.references[key];
    preset.notes = preset.notes.filter((note) => !(amendment.supersedes ?? []).some((prefix) => note.startsWith(prefix)));
    preset.notes.push(...amendment.notes);
    preset.confidence = amendment.confidence;
  }
  for (const addition of additions.presets ?? []) {
    if (byId.has(addition.id)) throw new Error(`hardware additions: ${addition.id} is already a reference preset (amend it instead)`);
    const references = Object.fromEntries(referenceKeysIn(addition.sources).map((key) => [key, additions.references[key]]));
    presets.push({ ...addition, referenceId: null, references });
  }
  return presets;
}

/** Keys of `references` that the source texts start with (`AIC b300_sxm.yaml: ...` → AIC). */
function referenceKeysIn(sources) {
  const keys = new Set();
  for (const text of Object.values(sources)) {
    const key = /^([A-Z][A-Z0-9_]+)\b/.exec(text)?.[1];
    if (key) keys.add(key);
  }
  return [...keys];
}

mkdirSync(outputDir, { recursive: true });
const hardwareAdditions = JSON.parse(readFileSync(join(additionsDir, 'hardware.json'), 'utf8'));
const hardware = {
  generatedFrom: 'reference hardware.json (accelerators; dense figures only) and language-server/src/presets/additions/hardware.json',
  units: { memory_gib: 'GiB', memory_bandwidth_gb_s: 'GB/s (1e9 B/s)', peak_tflops: 'dense TFLOPS / TOPS', interconnect: 'GB/s one direction' },
  presets: withHardwareAdditions(hardwareReference.accelerators.map(hardwarePreset), hardwareAdditions),
};
const modelAdditions = JSON.parse(readFileSync(join(additionsDir, 'models.json'), 'utf8'));
const referenceModels = modelsReference.models.map(modelPreset);
for (const addition of modelAdditions.presets) {
  if (referenceModels.some((preset) => preset.id === addition.id)) throw new Error(`model additions: ${addition.id} is already a reference preset`);
}
const models = {
  generatedFrom: 'reference models.json and language-server/src/presets/additions/models.json',
  presets: [...referenceModels, ...modelAdditions.presets],
};
writeFileSync(join(outputDir, 'hardware.json'), JSON.stringify(hardware, null, 2) + '\n');
writeFileSync(join(outputDir, 'models.json'), JSON.stringify(models, null, 2) + '\n');
console.log(`wrote ${hardware.presets.length} hardware and ${models.presets.length} model presets to ${outputDir}`);
