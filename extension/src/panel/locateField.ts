/**
 * Where a field is in a config document's text, for the panel's "show in source": from the start
 * of its key to the end of its value. Imports nothing from `vscode`.
 */
import { detectKind, parseDocument } from '../../../language-server/src/config/index';
import type { JsonPath, OffsetRange } from '../../../language-server/src/config/types';

export function locateField(uri: string, text: string, path: JsonPath): OffsetRange | undefined {
  const kind = detectKind(uri, text) ?? 'deployment';
  const location = parseDocument(uri, text, kind).locate(path);
  if (!location) return undefined;
  return { start: location.keyRange?.start ?? location.valueRange.start, end: location.valueRange.end };
}
