/**
 * Which blocks are which kind, for hovers, the panel and notes: softmax attention by its kind
 * (full, sliding window, chunked), the constant-state mixers of hybrid models, and blocks without
 * a token mixer (Nemotron-H's MLP blocks).
 */
import type { BlockKindSummary } from '../types';
import { engineWorkUnit } from '../workMeter';
import type { ArchitectureShape } from './shape';
import { hasMlp, mixerOf } from './mixerConfig';
import { MIXER_LABELS } from './stateLayers';
import type { AttentionKind } from './windowConfig';

const ATTENTION_LABELS: Readonly<Record<AttentionKind, string>> = {
  full: 'full attention',
  sliding: 'sliding-window attention',
  chunked: 'chunked attention',
};

/** Indices kept per kind: enough to show the pattern, bounded for configs of millions of blocks. */
export const MAX_LISTED_BLOCKS = 64;

function kindOf(shape: ArchitectureShape, index: number): string {
  const mixer = mixerOf(shape.mixers, index);
  if (mixer === 'attention') {
    const attention = ATTENTION_LABELS[shape.attentionSchedule.blockKinds[index]!];
    return shape.mixers.parallelMamba2 ? `${attention} beside Mamba-2` : attention;
  }
  if (mixer === 'none') return hasMlp(shape.mixers, index) ? MIXER_LABELS.none : 'empty';
  return MIXER_LABELS[mixer];
}

function keepsOf(shape: ArchitectureShape, index: number): BlockKindSummary['keeps'] {
  const mixer = mixerOf(shape.mixers, index);
  return mixer === 'attention' ? 'kv-cache' : mixer === 'none' ? 'none' : 'state';
}

export function blockKinds(shape: ArchitectureShape): BlockKindSummary[] {
  const L = shape.numLayers;
  const layers = shape.attentionSchedule.layers;
  // Every block the same kind (most transformers): no walk over the blocks.
  if (shape.attentionLayers === L && !shape.mixers.parallelMamba2 && (layers.full === L || layers.sliding === L || layers.chunked === L)) {
    return [{ kind: kindOf(shape, 0), blocks: L, indices: Array.from({ length: Math.min(L, MAX_LISTED_BLOCKS) }, (_, index) => index), keeps: 'kv-cache' }];
  }
  const byKind = new Map<string, BlockKindSummary>();
  for (let index = 0; index < L; index++) {
    engineWorkUnit();
    const kind = kindOf(shape, index);
    let entry = byKind.get(kind);
    if (!entry) {
      entry = { kind, blocks: 0, indices: [], keeps: keepsOf(shape, index) };
      byKind.set(kind, entry);
    }
    entry.blocks += 1;
    if (entry.indices.length < MAX_LISTED_BLOCKS) entry.indices.push(index);
  }
  return [...byKind.values()];
}
