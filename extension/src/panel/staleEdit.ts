/**
 * Whether an edit asked for by the panel may be applied. The panel edits the document as it last
 * saw it; if the user typed since, the edit would land on text the panel never showed, so it is
 * refused and the panel gets a fresh analysis instead. Imports nothing from `vscode`.
 */
import type { EditableField, SetFieldResult } from '../../../language-server/src/protocol/lsp';

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

/**
 * Whether the panel may edit `path` in `uri` at all: only its own document, and only a field it
 * has a control for (the editable fields of that document's analysis). The page is not trusted,
 * so a message naming another document or another key is refused whatever it says.
 */
export function decideFieldTarget(
  uri: string,
  path: readonly (string | number)[],
  panelUri: string | undefined,
  editableFields: readonly EditableField[] | undefined,
): EditDecision {
  if (panelUri === undefined || uri !== panelUri) return { apply: false, reason: 'The panel edits only the deployment it shows.' };
  const key = JSON.stringify(path);
  if (!editableFields?.some((field) => JSON.stringify(field.path) === key)) {
    return { apply: false, reason: 'The panel has no control for that field.' };
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
