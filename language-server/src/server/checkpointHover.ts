/**
 * The hover lines of a `model:` value that names a model folder: where the weight bytes come from
 * (the shards' headers, or the index's total), the bytes per dtype and per part of the model.
 */
import type { CheckpointSummary } from '../config/checkpoint/checkpointWeights';
import type { CheckpointPart } from '../engine/types';
import { formatBytes, formatInteger } from '../format/units';
import { escapeMarkdown } from '../userText';

const PART_ORDER: readonly CheckpointPart[] = ['embedding', 'attention', 'mlp', 'experts', 'router', 'lm_head', 'vectors', 'other'];
const PART_NAMES: Readonly<Record<CheckpointPart, string>> = {
  embedding: 'embedding',
  attention: 'attention',
  mlp: 'MLP',
  experts: 'experts',
  router: 'router',
  lm_head: 'lm_head',
  vectors: 'norms and biases',
  other: 'outside the layers',
};

function plural(count: number, word: string): string {
  return `${formatInteger(count)} ${word}${count === 1 ? '' : 's'}`;
}

export function checkpointHoverLines(summary: CheckpointSummary): string[] {
  const total = summary.totalBytes;
  switch (summary.source) {
    case 'headers': {
      const lines = [
        `**Weight bytes from the checkpoint**: ${formatBytes(total!)} (${formatInteger(total!)} B), the sum over the headers of ${plural(summary.shards, 'safetensors file')} (${plural(summary.tensors, 'tensor')}); each kind of layer is sized from its own tensors, scales included.`,
      ];
      const dtypes = Object.entries(summary.bytesByDtype ?? {}).sort((a, b) => b[1] - a[1]);
      if (dtypes.length > 0) lines.push(`Dtypes: ${dtypes.map(([dtype, bytes]) => `${escapeMarkdown(dtype)} ${formatBytes(bytes)}`).join(' · ')}`);
      const parts = PART_ORDER.filter((part) => (summary.bytesByPart?.[part] ?? 0) > 0);
      if (parts.length > 0) lines.push(`By part: ${parts.map((part) => `${PART_NAMES[part]} ${formatBytes(summary.bytesByPart![part]!)}`).join(' · ')}`);
      if (summary.otherTensors && summary.otherTensors.length > 0) {
        lines.push(`Held but outside the language model's layers, e.g. \`${summary.otherTensors.map(escapeMarkdown).join('`, `')}\``);
      }
      return lines;
    }
    case 'index':
      return [
        `**Weight bytes from the checkpoint**: ${formatBytes(total!)} (${formatInteger(total!)} B), metadata.total_size of model.safetensors.index.json (${plural(summary.tensors, 'tensor')} in ${plural(summary.shards, 'shard')}).`,
        `The shards are not all in the folder, so their headers were not read: the total is exact, the split across kinds of layer follows the formats and dtypes are not known.`,
      ];
    case 'none':
      return [`No safetensors weights were read from the folder (${summary.shards === 0 ? 'none found' : `${formatInteger(summary.headersRead)} of ${plural(summary.shards, 'shard')} read`}): weights are sized from config.json and the formats.`];
  }
}
