/**
 * The header of a `.safetensors` file, as the format defines it
 * (https://github.com/huggingface/safetensors, "Format"): 8 bytes, a little-endian unsigned 64-bit
 * header length N; N bytes of UTF-8 JSON mapping each tensor name to `{ dtype, shape,
 * data_offsets: [begin, end] }` (offsets into the data that follows the header), plus an optional
 * `__metadata__` map of strings. Only the header is ever read, never the tensor data.
 */

/**
 * Headers longer than this are refused: the safetensors library itself refuses them
 * (`MAX_HEADER_SIZE = 100_000_000` in safetensors/src/tensor.rs), so no loader would open the file.
 */
export const MAX_HEADER_BYTES = 100_000_000;

/** Bytes per element of each safetensors dtype (safetensors/src/tensor.rs `Dtype::bitsize`). */
export const DTYPE_BITS: Readonly<Record<string, number>> = {
  BOOL: 8,
  U8: 8,
  I8: 8,
  F8_E5M2: 8,
  F8_E4M3: 8,
  F8_E8M0: 8,
  F6_E2M3: 6,
  F6_E3M2: 6,
  F4: 4,
  I16: 16,
  U16: 16,
  F16: 16,
  BF16: 16,
  I32: 32,
  U32: 32,
  F32: 32,
  I64: 64,
  U64: 64,
  F64: 64,
  C64: 64,
};

export interface HeaderTensor {
  name: string;
  dtype: string;
  shape: number[];
  bytes: number;
}

export type HeaderLength = { lengthBytes: number } | { problem: string };

/** The header length from a file's first 8 bytes, checked against the limit and the file's size. */
export function headerLength(prefix: Uint8Array, fileSizeBytes: number): HeaderLength {
  if (prefix.length < 8) return { problem: `is ${fileSizeBytes} bytes long, shorter than the 8-byte header length every safetensors file starts with` };
  const view = new DataView(prefix.buffer, prefix.byteOffset, 8);
  const length = view.getBigUint64(0, true);
  if (prefix[0] === 0x76 && prefix[1] === 0x65 && prefix[2] === 0x72) {
    // "ver": a Git LFS pointer ("version https://git-lfs...") checked out without `git lfs pull`.
    return { problem: 'is a Git LFS pointer, not the weights: run `git lfs pull` in the model folder' };
  }
  if (length > BigInt(MAX_HEADER_BYTES)) {
    return { problem: `declares a ${length} byte header, over the 100 MB safetensors allows (MAX_HEADER_SIZE): not a safetensors file, or a damaged one` };
  }
  const lengthBytes = Number(length);
  if (lengthBytes < 2) return { problem: `declares a ${lengthBytes} byte header, too short to hold the JSON header` };
  if (8 + lengthBytes > fileSizeBytes) {
    return { problem: `declares a ${lengthBytes} byte header but the file is ${fileSizeBytes} bytes long (an interrupted download?)` };
  }
  return { lengthBytes };
}

export type ParsedHeader = { tensors: HeaderTensor[]; dataBytes: number } | { problem: string; offset?: number };

function isNonNegativeInteger(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

function product(shape: readonly number[]): number {
  return shape.reduce((total, size) => total * size, 1);
}

/**
 * The tensors of a header's JSON text. Checks what safetensors checks when it opens a file
 * (safetensors/src/tensor.rs `Metadata::validate`): a known dtype, offsets that tile the data
 * from 0 without gaps or overlaps, and each tensor's byte size equal to its shape times its dtype.
 */
export function parseHeader(text: string, fileSizeBytes: number, headerBytes: number): ParsedHeader {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const at = /position (\d+)/.exec(error instanceof Error ? error.message : '');
    return { problem: `has a header that is not valid JSON${at ? ` (at byte ${8 + Number(at[1])})` : ''}`, ...(at ? { offset: 8 + Number(at[1]) } : {}) };
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return { problem: 'has a header that is not a JSON object' };
  const tensors: (HeaderTensor & { begin: number; end: number })[] = [];
  for (const [name, entry] of Object.entries(value as Record<string, unknown>)) {
    if (name === '__metadata__') continue;
    if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) return { problem: `has a header entry ${JSON.stringify(name)} that is not an object` };
    const { dtype, shape, data_offsets: offsets } = entry as Record<string, unknown>;
    if (typeof dtype !== 'string' || DTYPE_BITS[dtype] === undefined) {
      return { problem: `gives tensor ${name} the dtype ${JSON.stringify(dtype)}, which safetensors does not define (${Object.keys(DTYPE_BITS).join(', ')})` };
    }
    if (!Array.isArray(shape) || !shape.every(isNonNegativeInteger)) return { problem: `gives tensor ${name} a shape that is not a list of whole numbers` };
    if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every(isNonNegativeInteger) || offsets[1] < offsets[0]) {
      return { problem: `gives tensor ${name} data_offsets that are not [begin, end] with begin ≤ end` };
    }
    const bytes = (offsets[1] as number) - (offsets[0] as number);
    const expectedBits = product(shape as number[]) * DTYPE_BITS[dtype]!;
    if (bytes * 8 !== expectedBits && Math.ceil(expectedBits / 8) !== bytes) {
      return { problem: `gives tensor ${name} (${dtype} ${JSON.stringify(shape)}) ${bytes} bytes of data where its shape and dtype need ${Math.ceil(expectedBits / 8)}` };
    }
    tensors.push({ name, dtype, shape: shape as number[], bytes, begin: offsets[0] as number, end: offsets[1] as number });
  }
  // The data must be tiled exactly: sorted by offset, each tensor starts where the last one ended.
  const ordered = [...tensors].sort((a, b) => a.begin - b.begin);
  let end = 0;
  for (const tensor of ordered) {
    if (tensor.begin !== end) return { problem: `has tensor ${tensor.name} at byte ${tensor.begin} of the data where ${end} was expected (a gap or an overlap)` };
    end = tensor.end;
  }
  if (8 + headerBytes + end > fileSizeBytes) {
    return { problem: `needs ${8 + headerBytes + end} bytes for its header and tensors but the file is ${fileSizeBytes} bytes long (an interrupted download?)` };
  }
  return { tensors: tensors.map(({ name, dtype, shape, bytes }) => ({ name, dtype, shape, bytes })), dataBytes: end };
}
