/**
 * Which blocks are which kind, for hovers, the panel and notes: softmax attention by its kind
 * (full, sliding window, chunked), the constant-state mixers of hybrid models, and blocks without
 * a token mixer (Nemotron-H's MLP blocks).
 */
import type { BlockKindSummary } from '../types';
import type { ArchitectureShape } from './shape';
import { MIXER_LABELS } from './stateLayers';
import type { AttentionKind } from './windowConfig';

const ATTENTION_LABELS: Readonly<Record<AttentionKind, string>> = {
  full: 'full attention',
  sliding: 'sliding-window attention',
  chunked: 'chunked attention',
};

function kindOf(shape: ArchitectureShape, index: number): Omit<BlockKindSummary, 'blocks' | 'indices'> {
  const mixer = shape.mixers.blockMixers[index]!;
  if (mixer === 'attention') {
    const attention = ATTENTION_LABELS[shape.attentionSchedule.blockKinds[index]!];
    return { kind: shape.mixers.parallelMamba2 ? `${attention} beside Mamba-2` : attention, keeps: 'kv-cache' };
  }
  if (mixer === 'none') return { kind: shape.mixers.mlpBlocks[index] ? MIXER_LABELS.none : 'empty', keeps: 'none' };
  return { kind: MIXER_LABELS[mixer], keeps: 'state' };
}

export function blockKinds(shape: ArchitectureShape): BlockKindSummary[] {
  const byKind = new Map<string, BlockKindSummary>();
  for (let index = 0; index < shape.numLayers; index++) {
    const { kind, keeps } = kindOf(shape, index);
    const entry = byKind.get(kind) ?? { kind, blocks: 0, indices: [], keeps };
    entry.blocks += 1;
    entry.indices.push(index);
    byKind.set(kind, entry);
  }
  return [...byKind.values()];
}
