/**
 * Controls turn into setField messages against the version of the last analysis; slider drags are
 * throttled and coalesced (one edit in flight, the final value sent after the next analysis);
 * refused edits show a notice and the controls return to what the document says.
 */
import { strict as assert } from 'node:assert';
import type { DocumentAnalysis } from '../../language-server/src/protocol/lsp';
import { loadFixture, panelSuite, type PanelPage } from './harness';

/** The analysis the host would send after an edit: same document, next version, new value. */
function edited(analysis: DocumentAnalysis, path: (string | number)[], value: unknown): DocumentAnalysis {
  const next = structuredClone(analysis);
  next.version += 1;
  const field = next.editableFields.find((f) => JSON.stringify(f.path) === JSON.stringify(path));
  if (field) field.value = value;
  return next;
}

describe('roofline panel: controls', function () {
  this.timeout(60_000);
  const suite = panelSuite();
  let panel: PanelPage;
  let analysis: DocumentAnalysis;

  beforeEach(async () => {
    panel = await suite.open();
    analysis = loadFixture('llama-3.1-8b-l4');
    await panel.showAnalysis(analysis);
  });

  it('shows the values of the document', async () => {
    const page = panel.page;
    assert.equal(await page.locator('input[data-control="batchSize"]').inputValue(), '8');
    assert.equal(await page.locator('input[data-control="promptTokens"]').inputValue(), '1024');
    assert.equal(await page.locator('input[data-control="outputTokens"]').inputValue(), '256');
    assert.equal(await page.locator('select[data-control="weightFormat"]').inputValue(), '"bf16"');
    assert.equal(await page.locator('input[data-control="flashAttention"]').isChecked(), true);
    assert.equal(await page.locator('input[data-control="tensorParallel"]').inputValue(), '1');
    // A new analysis moves the controls: the document is the source of truth.
    await panel.showAnalysis(edited(analysis, ['workload', 'prompt_tokens'], 2048));
    assert.equal(await page.locator('input[data-control="promptTokens"]').inputValue(), '2048');
  });

  it('posts one setField per committed change, with the analysis version', async () => {
    const page = panel.page;
    await page.locator('input[data-control="promptTokens"]').fill('4096');
    await page.locator('input[data-control="promptTokens"]').press('Enter');
    let edits = await panel.postedOfType('setField');
    assert.deepEqual(edits, [{ type: 'setField', uri: analysis.uri, version: analysis.version, path: ['workload', 'prompt_tokens'], value: 4096 }]);

    let current = edited(analysis, ['workload', 'prompt_tokens'], 4096);
    await panel.showAnalysis(current);
    await page.locator('select[data-control="weightFormat"]').selectOption('"int4"');
    edits = await panel.postedOfType('setField');
    assert.deepEqual(edits.at(-1), { type: 'setField', uri: analysis.uri, version: current.version, path: ['quantization', 'weights'], value: 'int4' });

    current = edited(current, ['quantization', 'weights'], 'int4');
    await panel.showAnalysis(current);
    await page.locator('input[data-control="flashAttention"]').uncheck();
    edits = await panel.postedOfType('setField');
    assert.deepEqual(edits.at(-1), { type: 'setField', uri: analysis.uri, version: current.version, path: ['flash_attention'], value: false });

    current = edited(current, ['flash_attention'], false);
    await panel.showAnalysis(current);
    await page.locator('input[data-control="tensorParallel"]').fill('2');
    await page.locator('input[data-control="tensorParallel"]').press('Tab');
    edits = await panel.postedOfType('setField');
    assert.deepEqual(edits.at(-1), { type: 'setField', uri: analysis.uri, version: current.version, path: ['parallelism', 'tensor'], value: 2 });
    assert.equal(edits.length, 4);
  });

  it('refuses to post values that are not whole numbers', async () => {
    const input = panel.page.locator('input[data-control="outputTokens"]');
    await input.fill('0');
    await input.press('Enter');
    assert.equal(await input.getAttribute('aria-invalid'), 'true');
    await panel.page.getByText('Output tokens must be a whole number').waitFor();
    assert.deepEqual(await panel.postedOfType('setField'), []);
  });

  it('throttles a slider drag to one edit in flight and sends the final value after the next analysis', async () => {
    const page = panel.page;
    const slider = page.locator('input[data-control="batchSizeSlider"]');
    const box = await slider.boundingBox();
    assert.ok(box);
    const y = box.y + box.height / 2;
    await page.mouse.move(box.x + box.width * 0.4, y);
    const started = Date.now();
    await page.mouse.down();
    for (let step = 1; step <= 30; step += 1) await page.mouse.move(box.x + box.width * (0.4 + step * 0.015), y);
    await page.mouse.up();
    const dragMs = Date.now() - started;
    const finalBatch = Number(await page.locator('input[data-control="batchSize"]').inputValue());
    assert.ok(finalBatch > 16, `dragged to a larger batch (${finalBatch})`);

    let edits = await panel.postedOfType('setField');
    assert.equal(edits.length, 1, `one edit in flight while the document has not answered (drag took ${dragMs} ms): ${JSON.stringify(edits)}`);
    assert.equal(edits[0].version, analysis.version);
    assert.deepEqual(edits[0].path, ['workload', 'batch_size']);

    // The host answers the first edit; the panel then sends the final value against the new version.
    const answered = edited(analysis, ['workload', 'batch_size'], edits[0].value);
    await panel.showAnalysis(answered);
    edits = await panel.postedOfType('setField');
    // Both edits belong to one gesture; the last one closes it, so the editor makes one undo step
    // of the drag (it is sent even when the first edit already had the final value).
    assert.equal(edits.length, 2);
    assert.deepEqual(edits[0].gesture, { id: edits[1].gesture?.id, last: false });
    assert.deepEqual(edits[1], { type: 'setField', uri: analysis.uri, version: answered.version, path: ['workload', 'batch_size'], value: finalBatch, gesture: { id: edits[0].gesture?.id, last: true } });
  });

  it('works from the keyboard: End on the slider posts the largest batch', async () => {
    const slider = panel.page.locator('input[data-control="batchSizeSlider"]');
    await slider.focus();
    await slider.press('End');
    await panel.page.waitForFunction(() => (globalThis as unknown as { __panelTest: { posted: { type: string }[] } }).__panelTest.posted.some((m) => m.type === 'setField'));
    const edits = await panel.postedOfType('setField');
    assert.deepEqual(edits[0].path, ['workload', 'batch_size']);
    assert.equal(edits[0].value, 1024);
    assert.equal(await slider.getAttribute('aria-valuetext'), 'batch size 1024');
  });

  it('shows a notice when an edit is refused and returns to the document values', async () => {
    const page = panel.page;
    await page.locator('input[data-control="promptTokens"]').fill('999');
    await page.locator('input[data-control="promptTokens"]').press('Enter');
    await panel.post({ type: 'editRefused', reason: 'the document changed' });
    await page.locator('.notice', { hasText: 'Edit not applied: the document changed' }).waitFor();
    assert.equal(await page.locator('input[data-control="promptTokens"]').inputValue(), '1024');
    // The next edit goes out at once (nothing is left in flight).
    await page.locator('select[data-control="kvCacheFormat"]').selectOption('"fp8"');
    const edits = await panel.postedOfType('setField');
    assert.equal(edits.length, 2);
    assert.deepEqual(edits[1].path, ['quantization', 'kv_cache']);
    await panel.screenshot('edit-refused');
  });

  it('disables the controls of fields the server does not list as editable', async () => {
    const limited = structuredClone(analysis);
    limited.version += 1;
    limited.editableFields = limited.editableFields.filter((f) => f.path[0] === 'workload');
    await panel.showAnalysis(limited);
    assert.equal(await panel.page.locator('input[data-control="batchSize"]').isDisabled(), false);
    assert.equal(await panel.page.locator('select[data-control="weightFormat"]').isDisabled(), true);
  });
});
