/**
 * A deployment given as a plain value (the library API) rather than as text. Positions are only
 * needed to place problems, so the text and its syntax tree are made on first use: an analysis
 * without problems never serialises and re-parses what the caller already handed over.
 */
import { parseJson } from './parseJson';
import type { DocumentKind, JsonPath, NodeLocation, ParsedDocument } from './types';

// A class rather than an object literal with a getter: one is made per library call, and V8 makes
// a literal with an accessor much more slowly than an instance.
class PlainDocument implements ParsedDocument {
  readonly syntaxProblems = [];
  private parsed: ParsedDocument | undefined;

  constructor(
    readonly uri: string,
    readonly value: unknown,
    readonly kind: DocumentKind,
  ) {}

  private positioned(): ParsedDocument {
    if (!this.parsed) {
      let text = '';
      try {
        text = JSON.stringify(this.value, null, 2) ?? '';
      } catch {
        // Not plain data (a cycle, a BigInt): problems then sit on the document as a whole.
      }
      this.parsed = parseJson(this.uri, text, this.kind);
    }
    return this.parsed;
  }

  get text(): string {
    return this.positioned().text;
  }

  locate(path: JsonPath): NodeLocation | undefined {
    return this.positioned().locate(path);
  }

  pathAt(offset: number): { path: JsonPath; onKey: boolean } | undefined {
    return this.positioned().pathAt(offset);
  }
}

export function plainDocument(uri: string, value: unknown, kind: DocumentKind): ParsedDocument {
  return new PlainDocument(uri, value, kind);
}
