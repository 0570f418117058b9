/**
 * Turns what the panel exports (a PNG data URL, or CSV / Markdown text) into file bytes and a safe
 * file name. Imports nothing from `vscode`.
 */
export type ExportMime = 'image/png' | 'text/csv' | 'text/markdown';

export const EXTENSION_OF_MIME: Readonly<Record<ExportMime, string>> = {
  'image/png': 'png',
  'text/csv': 'csv',
  'text/markdown': 'md',
};

/** Save-dialog filters, keyed by the label VS Code shows. */
export const FILTER_OF_MIME: Readonly<Record<ExportMime, Record<string, string[]>>> = {
  'image/png': { 'PNG image': ['png'] },
  'text/csv': { CSV: ['csv'] },
  'text/markdown': { Markdown: ['md'] },
};

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** Base64 to bytes with what both node and the browser's extension host have (no `Buffer` in a browser). */
function base64Bytes(base64: string): Uint8Array {
  return Uint8Array.from(atob(base64.replace(/\s+/g, '')), (character) => character.charCodeAt(0));
}

export type DecodedExport = { bytes: Uint8Array } | { error: string };

export function decodeExportData(mime: ExportMime, data: string): DecodedExport {
  if (mime === 'image/png') {
    const match = /^data:image\/png;base64,([A-Za-z0-9+/=\s]*)$/.exec(data);
    if (!match) return { error: 'The chart image was not a PNG data URL.' };
    let bytes: Uint8Array;
    try {
      bytes = base64Bytes(match[1]!);
    } catch {
      return { error: 'The chart image is not a PNG.' };
    }
    if (bytes.length < PNG_SIGNATURE.length || PNG_SIGNATURE.some((byte, index) => bytes[index] !== byte)) {
      return { error: 'The chart image is not a PNG.' };
    }
    return { bytes };
  }
  // Text may come as a plain string or as a data URL (base64 or percent-encoded).
  const dataUrl = /^data:[^,;]*(;charset=[^,;]*)?(;base64)?,(.*)$/s.exec(data);
  if (dataUrl) {
    const payload = dataUrl[3]!;
    try {
      const text = dataUrl[2] ? new TextDecoder('utf-8').decode(base64Bytes(payload)) : decodeURIComponent(payload);
      return { bytes: new TextEncoder().encode(text) };
    } catch {
      return { error: 'The exported text could not be decoded.' };
    }
  }
  return { bytes: new TextEncoder().encode(data) };
}

/** A plain file name (no folders) ending in the extension of `mime`. */
export function safeFileName(suggestedName: string, mime: ExportMime): string {
  const extension = EXTENSION_OF_MIME[mime];
  const base = (suggestedName.split(/[\\/]/).pop() ?? '')
    .replace(/[<>:"|?*\u0000-\u001f]/g, '-')
    .replace(/^\.+/, '')
    .trim();
  const named = base === '' ? `roofline.${extension}` : base;
  return named.toLowerCase().endsWith(`.${extension}`) ? named : `${named}.${extension}`;
}
