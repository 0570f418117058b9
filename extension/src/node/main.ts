/** The extension's desktop entry (dist/extension.js, `main` in package.json): the extension on the node platform. */
import type * as vscode from 'vscode';
import { activateOn, deactivate, type LlmRooflineApi } from '../extension';
import { nodePlatform } from './nodePlatform';

export function activate(context: vscode.ExtensionContext): LlmRooflineApi {
  return activateOn(nodePlatform(context), context);
}

export { deactivate };
