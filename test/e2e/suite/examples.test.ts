import * as assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import { DIAGNOSTIC_SOURCE, hoverText, positionOf, revertAndCloseAll, workspaceFile } from './helpers';
import { extensionApi, openAndSettle, settledAnalysis } from './settle';

/** Where the run copies the repository's examples/ inside the test workspace (lib/workspace.mjs). */
const EXAMPLES_FOLDER = 'examples';

/** The realistic deployments the README points to; every other example deployment is checked too. */
const NAMED_EXAMPLES = [
  'llama-3.1-8b-l4.roofline.yaml',
  'llama-3.1-70b-int4-h100-tp2.roofline.yaml',
  'mixtral-a100.roofline.yaml',
  'deepseek-v3-h200.roofline.yaml',
  'llama-3.1-8b-h100-capped.roofline.yaml',
];
const CAPPED_DEPLOYMENT = `${EXAMPLES_FOLDER}/llama-3.1-8b-h100-capped.roofline.yaml`;
const CAPPED_HARDWARE = `${EXAMPLES_FOLDER}/h100-capped.hardware.yaml`;

/** Example deployments in the workspace copy, read when the suite loads so each gets its own test. */
function exampleDeployments(): string[] {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) return [];
  return readdirSync(path.join(folder.uri.fsPath, EXAMPLES_FOLDER))
    .filter((name) => /\.roofline\.(ya?ml|json)$/.test(name))
    .sort();
}

const PRECISION_SCALE: Record<string, number> = { T: 1e12, P: 1e15, G: 1e9 };

suite('Examples', () => {
  suiteSetup(extensionApi);
  teardown(revertAndCloseAll);

  const deployments = exampleDeployments();

  test('the workspace has the example deployments the README names', () => {
    for (const name of NAMED_EXAMPLES) assert.ok(deployments.includes(name), `${EXAMPLES_FOLDER}/${name} exists (found: ${deployments.join(', ')})`);
  });

  for (const name of deployments) {
    test(`${name} is analysed with no errors`, async () => {
      const { document, analysis, diagnostics } = await openAndSettle(workspaceFile(`${EXAMPLES_FOLDER}/${name}`));

      const errors = diagnostics.filter((d) => d.severity === vscode.DiagnosticSeverity.Error);
      assert.deepEqual(
        errors.map((d) => `${d.source ?? '?'} ${document.lineAt(d.range.start.line).text.trim()}: ${d.message}`),
        [],
        'no errors on an example',
      );
      assert.deepEqual(analysis.errors, [], 'the analysis has no blocking errors');
      assert.equal(analysis.kind, 'deployment');
      assert.ok(analysis.result, 'the deployment is analysed');
      const { metrics, memory } = analysis.result;
      assert.ok(metrics.ttft_seconds > 0 && metrics.tpot_seconds > 0, `TTFT and TPOT are positive: ${metrics.ttft_seconds} s, ${metrics.tpot_seconds} s`);
      assert.ok(memory.weights_bytes > 0, 'the weights take memory');
      // Warnings (a missed target) are fine; anything we report is on a real line of the file.
      for (const diagnostic of diagnostics.filter((d) => d.source === DIAGNOSTIC_SOURCE)) {
        assert.ok(diagnostic.range.start.line < document.lineCount, `${diagnostic.message} is inside the document`);
      }
    });
  }

  test('hovering hardware: in the capped-H100 example shows the figures of its hardware file', async () => {
    const hardwareFile = await vscode.workspace.openTextDocument(workspaceFile(CAPPED_HARDWARE));
    const fileTflops = (precision: string): number | undefined => {
      const match = new RegExp(`^\\s+${precision}:\\s*([\\d.]+)`, 'm').exec(hardwareFile.getText());
      return match ? Number(match[1]) : undefined;
    };

    const { document } = await settledAnalysis(workspaceFile(CAPPED_DEPLOYMENT));
    const onKey = positionOf(document, 'hardware:', 2);
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', document.uri, onKey);
    const text = hoverText(hovers);

    // The headline precision's peak, as the hover prints it (e.g. "fp8 1.4 PFLOP/s").
    const peak = /\b(fp8|bf16|fp16|int8|fp4|int4)\s+([\d.]+)\s*([GTP])(?:FLOP|OP)\/s/.exec(text);
    assert.ok(peak, `the hover shows a peak rate: ${text}`);
    const [, precision, value, prefix] = peak;
    const expectedTflops = fileTflops(precision!);
    assert.ok(expectedTflops, `${CAPPED_HARDWARE} sets ${precision} (the hover's headline precision): ${text}`);
    const shownTflops = (Number(value) * PRECISION_SCALE[prefix!]!) / 1e12;
    assert.ok(Math.abs(shownTflops - expectedTflops) / expectedTflops < 0.01, `the hover shows the file's ${precision} rate ${expectedTflops} TFLOPS, not the preset's: ${text}`);

    // What the file does not set comes from the preset it extends (80 GiB, 3.35 TB/s), and the
    // ridge point is the file's peak over that bandwidth.
    const bandwidth = /bandwidth\s+([\d.]+)\s*TB\/s/.exec(text);
    assert.ok(bandwidth, `the hover shows the bandwidth: ${text}`);
    // 80 GiB, in whichever unit the hover prints it (85.9 GB decimal).
    assert.match(text, /memory\s+(?:80(?:\.0)?\s*GiB|85\.9\s*GB)/, `the hover shows the preset's memory: ${text}`);
    const ridge = /ridge\s+([\d.,]+)\s*FLOP\/B/.exec(text);
    assert.ok(ridge, `the hover shows the ridge point: ${text}`);
    const expectedRidge = (expectedTflops * 1e12) / (Number(bandwidth[1]) * 1e12);
    const shownRidge = Number(ridge[1]!.replace(/,/g, ''));
    assert.ok(Math.abs(shownRidge - expectedRidge) / expectedRidge < 0.01, `ridge ${shownRidge} FLOP/B = ${expectedTflops} TFLOPS / ${bandwidth[1]} TB/s: ${text}`);
  });
});
