/**
 * Whether an edit asked for by the panel may be applied. The panel edits the document as it last
 * saw it; if the user typed since, the edit would land on text the panel never showed, so it is
 * refused and the panel gets a fresh analysis instead. Imports nothing from `vscode`.
 */
import type { SetFieldResult } from '../../../language-server/src/protocol/lsp';

export type EditDecision = { apply: true } | { apply: false; reason: string };

/**
 * `seenVersion` is the version the panel's analysis was made from; `currentVersion` the
 * document's version now (undefined when the document is not open any more).
 */
export function decideFieldEdit(seenVersion: number, currentVersion: number | undefined): EditDecision {
  if (currentVersion === undefined) return { apply: false, reason: 'The document is no longer open.' };
  if (currentVersion !== seenVersion) {
    return {
      apply: false,
      reason: `The document changed since the panel showed it (version ${seenVersion}, now ${currentVersion}); the panel now shows the current values.`,
    };
  }
  return { apply: true };
}

/** The message to show when the server refused to make an edit; undefined when it made one. */
export function refusalOf(result: SetFieldResult): string | undefined {
  if (result.edits !== undefined && result.refusedBecause === undefined) return undefined;
  if (result.message) return result.message;
  switch (result.refusedBecause) {
    case 'stale-version':
      return 'The document changed since the panel showed it; the panel now shows the current values.';
    case 'invalid-value':
      return 'That value is not valid for this field.';
    case 'unknown-document':
      return 'The language server does not know this document.';
    case undefined:
      return 'The language server made no edit.';
  }
}
