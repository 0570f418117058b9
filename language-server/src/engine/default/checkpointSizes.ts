/**
 * Element sizes from a checkpoint's exact bytes (a model folder's safetensors): each kind of weight
 * costs what the checkpoint stores for it, scales and zero points included, over the elements the
 * config gives that kind. Quantized checkpoints (AWQ/GPTQ int4 with scales and zeros, fp8 with
 * scales, MXFP4, bf16 with some fp32 tensors) then need no format guessing, and the weights held
 * equal the checkpoint's size to the byte on an unsplit deployment.
 *
 * With only the index's total (the shards not present), each kind keeps its format's share and
 * the sizes are scaled so the total is exact.
 */
import { RooflineInputError } from '../errors';
import { WEIGHT_KINDS, type CheckpointWeights, type WeightBytesOfKind, type WeightKind } from '../types';
import type { ElementBytes } from './plan';
import type { CountedLayer } from './stage';

type StoredPart = WeightKind | 'vectors';
const STORED_PARTS: readonly StoredPart[] = [...WEIGHT_KINDS, 'vectors'];

/** Elements stored per part of the model in `layers`. */
export function elementsByPart(layers: readonly CountedLayer[]): Record<StoredPart, number> {
  const elements = Object.fromEntries(STORED_PARTS.map((part) => [part, 0])) as Record<StoredPart, number>;
  for (const { template, count } of layers) {
    if (template.weightKind) elements[template.weightKind] += count * template.stored.matrixElements;
    elements.vectors += count * template.stored.vectorElements;
  }
  return elements;
}

export interface CheckpointSizing {
  sizes: ElementBytes;
  /** Weight bytes one device holds, for the layers it stores. */
  deviceBytes(layers: readonly CountedLayer[]): number;
  /** The same by kind, with the checkpoint's bits per weight of each. */
  byKind(layers: readonly CountedLayer[], formatOf: (kind: WeightKind) => string): WeightBytesOfKind[];
  notes: string[];
}

function bitsLabel(bytes: number, elements: number): string {
  return `${((8 * bytes) / elements).toFixed(2)} bits/weight`;
}

function sizeOf(part: StoredPart, sizes: ElementBytes): number {
  return part === 'vectors' ? sizes.vectorParameter : sizes.weight[part];
}

function withSizes(sizes: ElementBytes, bytesPerElement: Record<StoredPart, number>): ElementBytes {
  const weight = Object.fromEntries(WEIGHT_KINDS.map((kind) => [kind, bytesPerElement[kind]])) as Record<WeightKind, number>;
  // The checkpoint's bytes are the layout on disk: no kernel padding on top.
  const { expertAlignment: _padding, ...rest } = sizes;
  return { ...rest, weight, vectorParameter: bytesPerElement.vectors };
}

/**
 * The sizes a checkpoint gives, from the model's element counts per part (`model`, unsplit and
 * unpadded) and the format sizes resolved without it (`formatSizes`).
 */
export function sizeFromCheckpoint(checkpoint: CheckpointWeights, model: Record<StoredPart, number>, formatSizes: ElementBytes, tiedLmHead: boolean): CheckpointSizing {
  if (!Number.isSafeInteger(checkpoint.totalBytes) || checkpoint.totalBytes <= 0) {
    throw new RooflineInputError(['model'], `the checkpoint's size must be a positive whole number of bytes, got ${checkpoint.totalBytes}`);
  }
  const notes: string[] = [];
  const byPart = checkpoint.bytesByPart;
  if (!byPart) {
    // Index only: each part keeps its format's share; one factor makes the total exact.
    const formatTotal = STORED_PARTS.reduce((sum, part) => sum + model[part] * sizeOf(part, formatSizes), 0);
    if (formatTotal <= 0) throw new RooflineInputError(['model'], 'the config gives the model no weights to size from the checkpoint');
    const factor = checkpoint.totalBytes / formatTotal;
    const scaled = Object.fromEntries(STORED_PARTS.map((part) => [part, sizeOf(part, formatSizes) * factor])) as Record<StoredPart, number>;
    const formatBytes = (layers: readonly CountedLayer[]): number => {
      const device = elementsByPart(layers);
      return STORED_PARTS.reduce((sum, part) => sum + device[part] * sizeOf(part, formatSizes), 0);
    };
    notes.push(
      `Weight bytes from the checkpoint's index: ${checkpoint.totalBytes} bytes in all (metadata.total_size). The shards' headers were not read, so the split across kinds of layer follows the formats, scaled to that total.`,
    );
    return {
      sizes: withSizes(formatSizes, scaled),
      // On an unsplit deployment the ratio is exactly 1 and the total exactly the index's.
      deviceBytes: (layers) => (checkpoint.totalBytes * formatBytes(layers)) / formatTotal,
      byKind: (layers, formatOf) => {
        const device = elementsByPart(layers);
        return STORED_PARTS.filter((part) => device[part] > 0).map((part) => ({
          kind: part,
          format: `${part === 'vectors' ? 'norms and biases' : formatOf(part)} scaled to the index's total: ${bitsLabel(scaled[part], 1)}`,
          bytes: (checkpoint.totalBytes * device[part] * sizeOf(part, formatSizes)) / formatTotal,
        }));
      },
      notes,
    };
  }
  const perElement = {} as Record<StoredPart, number>;
  let otherBytes = byPart.other ?? 0;
  const counted: StoredPart[] = [];
  const missing: StoredPart[] = [];
  for (const part of STORED_PARTS) {
    const bytes = byPart[part] ?? 0;
    if (model[part] > 0 && bytes > 0) {
      perElement[part] = bytes / model[part];
      counted.push(part);
    } else if (model[part] > 0) {
      perElement[part] = sizeOf(part, formatSizes);
      missing.push(part);
    } else {
      // Stored nowhere in this model's layers: held, not read per token.
      otherBytes += bytes;
      perElement[part] = sizeOf(part, formatSizes);
    }
  }
  notes.push(
    `Weight bytes from the checkpoint's safetensors headers: ${checkpoint.totalBytes} bytes in all; each kind of layer is sized from its own tensors (${counted.map((part) => `${part} ${((8 * perElement[part]).toFixed(2))} bits/weight`).join(', ')}).`,
  );
  // A tied lm_head reads the embedding's matrix.
  if (tiedLmHead && model.lm_head === 0 && counted.includes('embedding')) perElement.lm_head = perElement.embedding;
  if (missing.length > 0) {
    notes.push(`The checkpoint has no ${missing.join(', ')} tensors the config's layers need; those are counted in their format, so the weights differ from the checkpoint's size.`);
  }
  if (otherBytes > 0) {
    notes.push(`${otherBytes} bytes of the checkpoint's tensors are outside the language model's layers (a vision tower, multi-token-prediction layers): held on every device, not read per token.`);
  }
  const deviceByPart = (layers: readonly CountedLayer[]): Record<StoredPart, number> => {
    const device = elementsByPart(layers);
    // Whole checkpoint bytes times the device's share of each part's elements (exactly 1 unsplit).
    return Object.fromEntries(
      STORED_PARTS.map((part) => [part, counted.includes(part) ? (byPart[part]! * device[part]) / model[part] : device[part] * perElement[part]]),
    ) as Record<StoredPart, number>;
  };
  return {
    sizes: withSizes(formatSizes, perElement),
    deviceBytes: (layers) => {
      const device = deviceByPart(layers);
      return STORED_PARTS.reduce((sum, part) => sum + device[part], 0) + otherBytes;
    },
    byKind: (layers, formatOf) => {
      const device = deviceByPart(layers);
      const rows: WeightBytesOfKind[] = STORED_PARTS.filter((part) => device[part] > 0).map((part) => ({
        kind: part,
        format: `${part === 'vectors' ? 'norms and biases' : formatOf(part)}, ${bitsLabel(perElement[part], 1)}${counted.includes(part) ? ' (checkpoint)' : ''}`,
        bytes: device[part],
      }));
      if (otherBytes > 0) rows.push({ kind: 'other', format: 'checkpoint tensors outside the layers', bytes: otherBytes });
      return rows;
    },
    notes,
  };
}
