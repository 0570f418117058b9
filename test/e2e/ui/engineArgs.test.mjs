// A deployment written as a vllm serve command, as a user sees it: the refusal to start squiggled
// on --max-model-len inside the string, in the Problems panel with the KV pool and concurrency,
// and the hover of the argument. Run by ui/run.mjs.
import assert from 'node:assert/strict';
import { SELECTORS } from './selectors.mjs';
import { focusProblems, openFromExplorer, screenshot, workbenchSuite } from './workbench.mjs';

const screenshots = process.env.E2E_SCREENSHOTS;

describe('vLLM arguments in the workbench', function () {
  this.timeout(120_000);
  const suite = workbenchSuite();
  let page;
  before(() => {
    page = suite.page;
  });

  it('squiggles the --max-model-len vLLM would refuse, and says why in Problems', async () => {
    await openFromExplorer(page, 'vllm-start.roofline.yaml', 'Will vLLM start');
    await page.locator(SELECTORS.errorSquiggle).first().waitFor();
    const problems = await focusProblems(page);
    const row = problems.locator('.monaco-list-row', { hasText: 'vLLM would refuse to start' }).first();
    await row.waitFor();
    const text = await row.innerText();
    assert.match(text, /--max-model-len 65536/);
    assert.match(text, /KV pool/);
    await screenshot(page, screenshots, 'vllm-refusal-problems');
  });

  it('explains the argument on hover', async () => {
    // The code lens above the first line moves every line down when it arrives: measure after it.
    await page.locator(SELECTORS.codeLens).first().waitFor();
    const hover = page.locator(SELECTORS.hover, { hasText: 'serving.max_model_len' }).first();
    // The folded line is one token with its indentation: aim a third of the way in, on the name.
    // Measured again on each try, so a late layout change cannot leave the mouse on the line above.
    for (let attempt = 1; ; attempt++) {
      const line = page.locator(SELECTORS.editorLine, { hasText: /max-model-len/ }).first();
      const span = line.locator('span', { hasText: /max-model-len/ }).last();
      const box = await span.boundingBox();
      assert.ok(box, 'the --max-model-len line is rendered');
      await page.mouse.move(box.x + box.width / 3, box.y + box.height * 8); // empty lines below the file
      await page.mouse.move(box.x + box.width / 3, box.y + box.height / 2);
      try {
        await hover.waitFor({ timeout: 10_000 });
        break;
      } catch (error) {
        if (attempt === 3) throw error;
      }
    }
    assert.match(await hover.innerText(), /--max-model-len 65536/);
    await screenshot(page, screenshots, 'vllm-argument-hover');
  });
});
