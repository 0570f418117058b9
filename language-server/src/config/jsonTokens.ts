/**
 * Questions about JSON text answered from `jsonc-parser`'s scanner, one token at a time, without
 * building a tree: the parser recurses per level, so a 10,000-deep file overflowed the stack.
 */
import { createScanner, type SyntaxKind as ScannerKind } from 'jsonc-parser';
import type { WorkMeter } from './checkBudget';

/**
 * `jsonc-parser`'s `SyntaxKind` values (a `const enum` in its typings, which isolated modules cannot
 * read), as its main.d.ts declares them.
 */
const SyntaxKind = {
  OpenBraceToken: 1,
  CloseBraceToken: 2,
  OpenBracketToken: 3,
  CloseBracketToken: 4,
  CommaToken: 5,
  StringLiteral: 10,
  LineCommentTrivia: 12,
  BlockCommentTrivia: 13,
  LineBreakTrivia: 14,
  Trivia: 15,
  EOF: 17,
} as const satisfies Record<string, ScannerKind>;

/**
 * Where the nesting first goes deeper than `limit` (strings and comments are tokens, not brackets).
 * Each token is a unit of `meter`'s work (it throws `CheckStopped` when the check's budget is spent).
 */
export function jsonTooDeepAt(text: string, limit: number, meter?: WorkMeter): number | undefined {
  const scanner = createScanner(text, false);
  let depth = 0;
  for (let kind = scanner.scan(); kind !== SyntaxKind.EOF; kind = scanner.scan()) {
    meter?.unit();
    if (kind === SyntaxKind.OpenBraceToken || kind === SyntaxKind.OpenBracketToken) {
      if (++depth > limit) return scanner.getTokenOffset();
    } else if (kind === SyntaxKind.CloseBraceToken || kind === SyntaxKind.CloseBracketToken) {
      depth = Math.max(0, depth - 1);
    }
  }
  return undefined;
}

function isTrivia(kind: ScannerKind): boolean {
  return (
    kind === SyntaxKind.Trivia ||
    kind === SyntaxKind.LineBreakTrivia ||
    kind === SyntaxKind.LineCommentTrivia ||
    kind === SyntaxKind.BlockCommentTrivia
  );
}

/**
 * The property names of the top-level object (none when the text is not an object), up to the first
 * for which `enough` says so: a 128 KB config.json took 10 to 35 ms to scan to its end.
 */
export function jsonTopLevelKeys(text: string, enough: (key: string) => boolean = () => false): string[] {
  const scanner = createScanner(text, false);
  const next = (): ScannerKind => {
    let kind = scanner.scan();
    while (isTrivia(kind)) kind = scanner.scan();
    return kind;
  };
  if (next() !== SyntaxKind.OpenBraceToken) return [];
  const keys: string[] = [];
  let depth = 1;
  let expectingKey = true;
  for (let kind = next(); kind !== SyntaxKind.EOF && depth > 0; kind = next()) {
    if (kind === SyntaxKind.OpenBraceToken || kind === SyntaxKind.OpenBracketToken) depth++;
    else if (kind === SyntaxKind.CloseBraceToken || kind === SyntaxKind.CloseBracketToken) depth--;
    else if (depth === 1 && kind === SyntaxKind.CommaToken) expectingKey = true;
    else if (depth === 1 && expectingKey && kind === SyntaxKind.StringLiteral) {
      const key = scanner.getTokenValue();
      keys.push(key);
      if (enough(key)) break;
      expectingKey = false;
    }
  }
  return keys;
}
