/**
 * What the language status item says about a deployment: which model and hardware it resolved to.
 * Imports nothing from `vscode`.
 */
import type { DocumentAnalysis } from '../../language-server/src/protocol/lsp';
import { headline } from '../../language-server/src/report/headline';

export interface StatusContent {
  text: string;
  detail: string;
  /** Error severity when the document cannot be analysed. */
  severity: 'information' | 'error';
}

export function statusContentOf(analysis: DocumentAnalysis | undefined): StatusContent {
  if (!analysis) return { text: 'LLM Roofline', detail: 'Waiting for the analysis', severity: 'information' };
  const model = analysis.modelName ?? 'unresolved model';
  const hardware = analysis.hardwareName ?? 'unresolved hardware';
  const text = `${model} on ${hardware}`;
  if (!analysis.result) {
    const count = analysis.errors.length;
    const detail = count === 0 ? 'Not analysed' : count === 1 ? analysis.errors[0]! : `${count} errors prevent the analysis`;
    return { text, detail, severity: 'error' };
  }
  return { text, detail: headline(analysis.result), severity: analysis.result.memory.fits ? 'information' : 'error' };
}

/**
 * What the language status says about the server itself: answering, stuck, or given up on. In the
 * browser it also says where the server runs and what that changes, so nothing a browser cannot do
 * fails unexplained.
 */
export function serverHealthContent(health: ServerHealth, runsIn: 'node' | 'browser' = 'node'): StatusContent {
  if (health.state === 'responsive' && runsIn === 'browser') {
    return {
      text: 'Language server (web worker)',
      detail: 'Responding. In the browser, referenced files are read through the editor (the workspace, not your disk); the llm-roofline CLI and the API need Node.js',
      severity: 'information',
    };
  }
  if (health.state === 'responsive') return { text: 'Language server', detail: 'Responding', severity: 'information' };
  if (health.state === 'stopped') return { text: 'Language server stopped', detail: 'It kept failing; restart it to try again', severity: 'error' };
  const seconds = Math.max(1, Math.round(health.restartInMs / 1000));
  return {
    text: 'Language server not responding',
    detail: `Restarting it in ${seconds} s unless it answers`,
    severity: 'error',
  };
}

/** Whether the language server answers; when not, how long until it is restarted. */
export type ServerHealth = { state: 'responsive' } | { state: 'unresponsive'; restartInMs: number } | { state: 'stopped' };
