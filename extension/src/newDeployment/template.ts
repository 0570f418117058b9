/**
 * The commented deployment file that `LLM Roofline: New Deployment File` creates. Every key is
 * written with its default, so the file documents itself; the comments follow the deployment
 * format of the product's README. Imports nothing from `vscode`.
 */
import { slugOfPresetId } from '../documents';

export interface TemplateChoice {
  modelId: string;
  hardwareId: string;
}

/** YAML text of a plain scalar, quoted when YAML would read it as something else. */
function yamlString(value: string): string {
  return /^[A-Za-z0-9_][A-Za-z0-9_./-]*$/.test(value) && !/^(true|false|yes|no|on|off|null|y|n)$/i.test(value)
    ? value
    : JSON.stringify(value);
}

export function deploymentTemplate(choice: TemplateChoice): string {
  return [
    '# LLM Roofline deployment: one model served on one kind of hardware.',
    '# Hover a key for its meaning; the roofline panel shows the per-layer analysis.',
    '',
    '# A model preset id, a relative path to a config.json / *.model.yaml, or inline config fields.',
    `model: ${yamlString(choice.modelId)}`,
    '# A hardware preset id, or a relative path to a *.hardware.yaml.',
    `hardware: ${yamlString(choice.hardwareId)}`,
    '',
    'workload:',
    '  batch_size: 1        # sequences decoded together',
    '  prompt_tokens: 1024  # tokens in each prompt (prefill)',
    '  output_tokens: 256   # tokens generated for each sequence (decode)',
    '',
    '# Number formats: fp32, bf16, fp16, fp8, int8, int4, ... or a bit count (16, 8, 4, 2, 1).',
    'quantization:',
    '  weights: fp16',
    '  activations: fp16',
    '  kv_cache: fp16',
    '',
    'flash_attention: true',
    '',
    'parallelism:',
    '  tensor: 1            # accelerators the model is split across',
    '',
    '# default: our formulas; llm-viewer: LLM-Viewer\'s, quirks included.',
    'conventions: default',
    '',
    '# Optional service-level targets, checked against the analysis.',
    '# targets:',
    '#   ttft_ms: 500',
    '#   tpot_ms: 50',
    '#   min_tokens_per_second: 20',
    '',
  ].join('\n');
}

/** A file name for the new deployment, e.g. `llama-2-7b-hf-on-nvidia-h100-sxm.roofline.yaml`. */
export function deploymentFileName(choice: TemplateChoice): string {
  return `${slugOfPresetId(choice.modelId)}-on-${slugOfPresetId(choice.hardwareId)}.roofline.yaml`;
}
