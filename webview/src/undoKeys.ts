/**
 * Undo and redo in the panel act on the document, the one source of truth: these are the keys
 * that ask for them. No DOM types, so it is tested without a browser.
 */
/** Undo / redo shortcuts: Ctrl or Cmd + Z, with Shift for redo, and Ctrl + Y. */
/** The parts of a keydown event that decide it. */
export interface KeyChord {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  shiftKey: boolean;
  altKey: boolean;
}

export function undoRedoOf(event: KeyChord): 'undo' | 'redo' | undefined {
  if (!(event.ctrlKey || event.metaKey) || event.altKey) return undefined;
  const key = event.key.toLowerCase();
  if (key === 'z') return event.shiftKey ? 'redo' : 'undo';
  if (key === 'y' && !event.shiftKey) return 'redo';
  return undefined;
}
