/**
 * Writes `.safetensors` files in the real format (8-byte little-endian header length, JSON header
 * with dtype, shape and data_offsets, padded with spaces to 8 bytes as the safetensors library
 * does, then the data) for tests of the header path. The data is zeros and is never written: the
 * file is extended to its full size, which file systems keep sparse, so a checkpoint of real
 * shapes costs no disk.
 */
import { closeSync, ftruncateSync, openSync, writeSync } from 'node:fs';
import { DTYPE_BITS } from '../../../../language-server/src/config/checkpoint/safetensorsHeader';

export interface TensorSpec {
  name: string;
  dtype: string;
  shape: number[];
}

export function tensorBytes(tensor: TensorSpec): number {
  return Math.ceil((tensor.shape.reduce((product, size) => product * size, 1) * DTYPE_BITS[tensor.dtype]!) / 8);
}

/** The header bytes (length prefix included) for `tensors`, laid out one after another. */
export function headerOf(tensors: readonly TensorSpec[]): { header: Buffer; dataBytes: number } {
  const entries: Record<string, unknown> = { __metadata__: { format: 'pt' } };
  let offset = 0;
  for (const tensor of tensors) {
    const bytes = tensorBytes(tensor);
    entries[tensor.name] = { dtype: tensor.dtype, shape: tensor.shape, data_offsets: [offset, offset + bytes] };
    offset += bytes;
  }
  let json = JSON.stringify(entries);
  json += ' '.repeat((8 - (Buffer.byteLength(json) % 8)) % 8);
  const length = Buffer.alloc(8);
  length.writeBigUInt64LE(BigInt(Buffer.byteLength(json)));
  return { header: Buffer.concat([length, Buffer.from(json)]), dataBytes: offset };
}

/** Writes the file and returns the bytes of its tensors. */
export function writeSafetensors(path: string, tensors: readonly TensorSpec[]): number {
  const { header, dataBytes } = headerOf(tensors);
  const descriptor = openSync(path, 'w');
  try {
    writeSync(descriptor, header);
    ftruncateSync(descriptor, header.length + dataBytes);
  } finally {
    closeSync(descriptor);
  }
  return dataBytes;
}

/** Writes raw bytes as a file (a damaged header, a Git LFS pointer). */
export function writeRaw(path: string, bytes: Buffer): void {
  const descriptor = openSync(path, 'w');
  try {
    writeSync(descriptor, bytes);
  } finally {
    closeSync(descriptor);
  }
}
