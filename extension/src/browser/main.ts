/**
 * The extension's browser entry (dist/web/extension.js, `browser` in package.json): the extension
 * on the browser platform, for vscode.dev, github.dev and browser workbenches. Bundled for the
 * browser: nothing here or below may need node.
 */
import type * as vscode from 'vscode';
import { activateOn, deactivate, type LlmRooflineApi } from '../extension';
import { browserPlatform } from './browserPlatform';

export function activate(context: vscode.ExtensionContext): LlmRooflineApi {
  return activateOn(browserPlatform(context), context);
}

export { deactivate };
