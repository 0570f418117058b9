/**
 * Every command the extension contributes, declared once. `package.json` `contributes.commands`
 * lists the same ids and titles (a unit test keeps them equal). Imports nothing from `vscode`.
 */
export const COMMAND_CATEGORY = 'LLM Roofline';

export const CommandId = {
  openPanel: 'llmRoofline.openPanel',
  newDeployment: 'llmRoofline.newDeployment',
  compareHardware: 'llmRoofline.compareHardware',
  planDeployment: 'llmRoofline.planDeployment',
  exportReport: 'llmRoofline.exportReport',
  restartServer: 'llmRoofline.restartServer',
  copyVllmCommand: 'llmRoofline.copyVllmCommand',
  copySglangCommand: 'llmRoofline.copySglangCommand',
  importMeasured: 'llmRoofline.importMeasured',
  fitMeasured: 'llmRoofline.fitMeasured',
} as const;

export type CommandId = (typeof CommandId)[keyof typeof CommandId];

export interface CommandDeclaration {
  command: CommandId;
  title: string;
  /** A codicon, for commands shown as editor title buttons. */
  icon?: string;
}

export const COMMAND_DECLARATIONS: readonly CommandDeclaration[] = [
  { command: CommandId.openPanel, title: 'Open Roofline Panel', icon: '$(graph-line)' },
  { command: CommandId.newDeployment, title: 'New Deployment File...' },
  { command: CommandId.compareHardware, title: 'Compare Hardware' },
  { command: CommandId.planDeployment, title: 'Find the Cheapest Deployment That Meets the Targets' },
  { command: CommandId.exportReport, title: 'Export Markdown Report...' },
  { command: CommandId.restartServer, title: 'Restart Language Server' },
  { command: CommandId.copyVllmCommand, title: 'Copy as vllm serve Command' },
  { command: CommandId.copySglangCommand, title: 'Copy as SGLang Launch Command' },
  { command: CommandId.importMeasured, title: 'Import Measured Results...' },
  { command: CommandId.fitMeasured, title: 'Fit the Hardware to Measured Results' },
];
