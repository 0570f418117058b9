/**
 * Field edits from the controls to the host. One edit is in flight at a time: it carries the
 * version of the last analysis, and the next one waits for the analysis that edit produces (a
 * newer version). Later requests for the same field replace earlier ones, so a slider drag ends
 * in one edit with the final value and no edit is sent against a stale version. A refused edit
 * drops everything pending: the next analysis says what the document holds.
 */
import type { EditGesture, FromWebviewMessage } from '../../language-server/src/protocol/webview';
import { pathKey, type FieldPath } from './fields';
import type { Timers } from './throttle';

type SetFieldMessage = Extract<FromWebviewMessage, { type: 'setField' }>;

export interface EditQueueOptions {
  post(message: SetFieldMessage): void;
  /** The document's current value of a field, to skip edits that change nothing. */
  currentValue(path: FieldPath): unknown;
  timers: Timers;
  /** How long to wait for the analysis of an edit before sending the next one anyway. */
  answerTimeoutMs: number;
}

interface PendingEdit {
  path: (string | number)[];
  value: unknown;
  gesture?: EditGesture;
}

export class EditQueue {
  private document: { uri: string; version: number } | undefined;
  private inFlight: { uri: string; version: number } | undefined;
  private timeoutHandle: unknown;
  private readonly pending = new Map<string, PendingEdit>();
  /** Gestures with an edit sent: their last edit must be sent too, to close the undo step. */
  private readonly openGestures = new Set<number>();

  constructor(private readonly options: EditQueueOptions) {}

  /** A new analysis arrived: the in-flight edit is answered if the version moved on. */
  analysisArrived(uri: string, version: number): void {
    const changedDocument = this.document !== undefined && this.document.uri !== uri;
    this.document = { uri, version };
    if (changedDocument) this.pending.clear();
    if (this.inFlight && (this.inFlight.uri !== uri || version > this.inFlight.version)) this.settle();
    this.flush();
  }

  /** The panel has no document any more. */
  documentClosed(): void {
    this.document = undefined;
    this.pending.clear();
    this.settle();
  }

  request(path: FieldPath, value: unknown, gesture?: EditGesture): void {
    if (!this.document) return;
    this.pending.set(pathKey(path), { path: [...path], value, ...(gesture ? { gesture } : {}) });
    this.flush();
  }

  /** The host refused the last edit: drop what is pending and wait for the next analysis. */
  refused(): void {
    this.pending.clear();
    this.openGestures.clear();
    this.settle();
  }

  get isBusy(): boolean {
    return this.inFlight !== undefined || this.pending.size > 0;
  }

  private settle(): void {
    if (this.timeoutHandle !== undefined) this.options.timers.clearTimeout(this.timeoutHandle);
    this.timeoutHandle = undefined;
    this.inFlight = undefined;
  }

  private flush(): void {
    if (this.inFlight || !this.document) return;
    for (const [key, edit] of this.pending) {
      this.pending.delete(key);
      const closesGesture = edit.gesture?.last === true && this.openGestures.has(edit.gesture.id);
      if (sameValue(this.options.currentValue(edit.path), edit.value) && !closesGesture) continue;
      if (edit.gesture) {
        if (edit.gesture.last) this.openGestures.delete(edit.gesture.id);
        else this.openGestures.add(edit.gesture.id);
      }
      const { uri, version } = this.document;
      this.inFlight = { uri, version };
      this.options.post({ type: 'setField', uri, version, path: edit.path, value: edit.value, ...(edit.gesture ? { gesture: edit.gesture } : {}) });
      this.timeoutHandle = this.options.timers.setTimeout(() => {
        this.timeoutHandle = undefined;
        this.inFlight = undefined;
        this.flush();
      }, this.options.answerTimeoutMs);
      return;
    }
  }
}

function sameValue(a: unknown, b: unknown): boolean {
  return a === b || (typeof a === 'object' && typeof b === 'object' && JSON.stringify(a) === JSON.stringify(b));
}
