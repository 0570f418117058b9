/**
 * A deployment given as a plain value (the library API) rather than as text. Positions are only
 * needed to place problems, so the text and its syntax tree are made on first use: an analysis
 * without problems never serialises and re-parses what the caller already handed over.
 */
import { parseJson } from './parseJson';
import type { DocumentKind, ParsedDocument } from './types';

export function plainDocument(uri: string, value: unknown, kind: DocumentKind): ParsedDocument {
  let parsed: ParsedDocument | undefined;
  const positioned = (): ParsedDocument => {
    if (!parsed) {
      let text = '';
      try {
        text = JSON.stringify(value, null, 2) ?? '';
      } catch {
        // Not plain data (a cycle, a BigInt): problems then sit on the document as a whole.
      }
      parsed = parseJson(uri, text, kind);
    }
    return parsed;
  };
  return {
    uri,
    kind,
    value,
    syntaxProblems: [],
    get text() {
      return positioned().text;
    },
    locate: (path) => positioned().locate(path),
    pathAt: (offset) => positioned().pathAt(offset),
  };
}
