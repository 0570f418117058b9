/**
 * The latest analysis of each document, as the server last reported it. The language status item
 * and the panel both read from here, so a notification is handled once. Imports nothing from
 * `vscode`.
 */
import type { DocumentAnalysis } from '../../language-server/src/protocol/lsp';

export type AnalysisListener = (analysis: DocumentAnalysis) => void;

export interface Unsubscribe {
  dispose(): void;
}

export class AnalysisStore {
  private readonly byUri = new Map<string, DocumentAnalysis>();
  private readonly listeners = new Set<AnalysisListener>();

  /**
   * Records an analysis unless a newer version of the same document is already known (a request
   * answered after a notification must not roll the panel back). Returns whether it was kept.
   */
  update(analysis: DocumentAnalysis): boolean {
    const known = this.byUri.get(analysis.uri);
    if (known && known.version > analysis.version) return false;
    this.byUri.set(analysis.uri, analysis);
    for (const listener of [...this.listeners]) listener(analysis);
    return true;
  }

  get(uri: string): DocumentAnalysis | undefined {
    return this.byUri.get(uri);
  }

  forget(uri: string): void {
    this.byUri.delete(uri);
  }

  clear(): void {
    this.byUri.clear();
  }

  onDidUpdate(listener: AnalysisListener): Unsubscribe {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }
}
