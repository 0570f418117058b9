/**
 * The language status items: on deployment files, which model and hardware the deployment
 * resolved to, with TTFT / TPOT, and a link to the panel; on every file of ours, whether the
 * language server answers, with a restart.
 */
import * as vscode from 'vscode';
import type { DocumentAnalysis } from '../../../language-server/src/protocol/lsp';
import type { AnalysisStore } from '../analysisStore';
import { CommandId } from '../commands';
import { ALL_ROLES, documentFilters, isDeploymentPath } from '../documents';
import { serverHealthContent, statusContentOf, type ServerHealth } from '../statusText';

export class ResolvedStatusItem implements vscode.Disposable {
  private readonly item: vscode.LanguageStatusItem;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly store: AnalysisStore,
    /** Asks the server for an analysis that the store does not have yet. */
    private readonly requestAnalysis: (uri: string) => Promise<DocumentAnalysis | undefined>,
  ) {
    this.item = vscode.languages.createLanguageStatusItem('llmRoofline.resolved', documentFilters(['deployment']));
    this.item.name = 'LLM Roofline: resolved model and hardware';
    this.disposables.push(
      this.item,
      store.onDidUpdate((analysis) => {
        if (analysis.uri === this.activeDeploymentUri()) this.show(analysis);
      }),
      vscode.window.onDidChangeActiveTextEditor(() => void this.refresh()),
    );
    void this.refresh();
  }

  private activeDeploymentUri(): string | undefined {
    const uri = vscode.window.activeTextEditor?.document.uri;
    return uri && isDeploymentPath(uri.path) ? uri.toString() : undefined;
  }

  private async refresh(): Promise<void> {
    const uri = this.activeDeploymentUri();
    if (!uri) return;
    const known = this.store.get(uri);
    this.show(known);
    if (!known) {
      this.item.busy = true;
      try {
        const fetched = await this.requestAnalysis(uri);
        if (uri === this.activeDeploymentUri()) this.show(fetched);
      } finally {
        this.item.busy = false;
      }
    }
  }

  private show(analysis: DocumentAnalysis | undefined): void {
    const content = statusContentOf(analysis);
    this.item.text = content.text;
    this.item.detail = content.detail;
    this.item.severity = content.severity === 'error' ? vscode.LanguageStatusSeverity.Error : vscode.LanguageStatusSeverity.Information;
    const uri = this.activeDeploymentUri();
    this.item.command = uri ? { command: CommandId.openPanel, title: 'Open panel', arguments: [uri] } : undefined;
  }

  dispose(): void {
    for (const disposable of this.disposables.splice(0)) disposable.dispose();
  }
}

/** Whether the language server answers: quiet while it does, an error with a restart when not. */
export class ServerHealthItem implements vscode.Disposable {
  private readonly item: vscode.LanguageStatusItem;
  private readonly subscription: vscode.Disposable;

  constructor(
    health: ServerHealth,
    onDidChangeHealth: vscode.Event<ServerHealth>,
    private readonly runsIn: 'node' | 'browser',
  ) {
    this.item = vscode.languages.createLanguageStatusItem('llmRoofline.server', documentFilters(ALL_ROLES));
    this.item.name = 'LLM Roofline: language server';
    this.item.command = { command: CommandId.restartServer, title: 'Restart' };
    this.show(health);
    this.subscription = onDidChangeHealth((next) => this.show(next));
  }

  private show(health: ServerHealth): void {
    const content = serverHealthContent(health, this.runsIn);
    this.item.text = content.text;
    this.item.detail = content.detail;
    this.item.severity = content.severity === 'error' ? vscode.LanguageStatusSeverity.Error : vscode.LanguageStatusSeverity.Information;
    this.item.busy = health.state === 'unresponsive';
  }

  dispose(): void {
    this.subscription.dispose();
    this.item.dispose();
  }
}
