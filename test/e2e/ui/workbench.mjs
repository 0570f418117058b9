// Steps on the code-server workbench, each waiting on what the page shows.
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchChromium } from '../lib/browser.mjs';
import { KEYS, SELECTORS } from './selectors.mjs';

/** Where the README's screenshots are committed; E2E_UPDATE_SCREENSHOTS=1 refreshes them. */
export const README_IMAGES_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'docs', 'images');

export const STEP_TIMEOUT_MS = 30_000;
const WORKBENCH_TIMEOUT_MS = 90_000;

export async function openWorkbench(page, serverUrl, folder) {
  await page.goto(`${serverUrl}/?folder=${encodeURIComponent(folder)}`);
  await page.locator(SELECTORS.workbench).waitFor({ timeout: WORKBENCH_TIMEOUT_MS });
}

/** Opens a file from the Explorer and resolves once its first line is rendered. */
export async function openFromExplorer(page, fileName, firstLineText) {
  const row = page.locator(SELECTORS.explorerRow, { hasText: fileName }).first();
  await row.waitFor({ timeout: WORKBENCH_TIMEOUT_MS });
  await row.click();
  await editorContaining(page, firstLineText).waitFor({ timeout: STEP_TIMEOUT_MS });
}

/** Expands a folder of the Explorer's root, then opens one of its files like openFromExplorer. */
export async function openFromExplorerFolder(page, folderName, fileName, firstLineText) {
  const folderRow = page.locator(SELECTORS.explorerRow, { hasText: new RegExp(`^${escapeRegExp(folderName)}$`) }).first();
  await folderRow.waitFor({ timeout: WORKBENCH_TIMEOUT_MS });
  if ((await folderRow.getAttribute('aria-expanded')) !== 'true') await folderRow.click();
  await openFromExplorer(page, fileName, firstLineText);
}

/** The visible editor whose rendered text matches `text` (a string or a RegExp). */
export function editorContaining(page, text) {
  return page.locator(SELECTORS.editorLines, { hasText: text }).first();
}

/** The rendered span of the first token equal to `token` in the editor. */
export function tokenInEditor(page, token) {
  return page.locator(`${SELECTORS.editorLine} span`, { hasText: new RegExp(`^${escapeRegExp(token)}$`) }).first();
}

export async function focusProblems(page) {
  await page.keyboard.press(KEYS.focusProblems);
  const panel = page.locator(SELECTORS.problemsPanel);
  await panel.waitFor({ timeout: STEP_TIMEOUT_MS });
  return panel;
}

/**
 * Rests the mouse on `token` until the editor's hover appears. Code lenses and inlay hints arrive
 * after the text and move it, and the editor only reacts to mouse moves: so while no hover shows,
 * the mouse follows the token whenever its position has changed. A re-render under a resting mouse
 * (an inlay hint arriving on the same line) can cancel the hover without moving the token, so a
 * mouse that has rested for a while without a hover steps off the token and back. A hover counts
 * only while the token is still where the mouse was aimed, and, given `expectedText`, only once it
 * says it (a hover of the line that took the token's place does not).
 */
export async function hoverWithMouse(page, token, expectedText) {
  const span = tokenInEditor(page, token);
  const anyHover = page.locator(SELECTORS.hover);
  const hover = (expectedText ? anyHover.filter({ hasText: expectedText }) : anyHover).first();
  const deadline = Date.now() + STEP_TIMEOUT_MS;
  let aimedAt;
  let restingSince = 0;
  while (Date.now() < deadline) {
    const box = await span.boundingBox();
    if (box) {
      const centre = { x: box.x + box.width / 2, y: box.y + box.height / 2 };
      const moved = !aimedAt || centre.x !== aimedAt.x || centre.y !== aimedAt.y;
      if (moved || Date.now() - restingSince > HOVER_RETRY_MS) {
        if (!moved) await page.mouse.move(centre.x, centre.y + box.height * 3);
        await page.mouse.move(centre.x, centre.y);
        aimedAt = centre;
        restingSince = Date.now();
      }
    }
    try {
      await hover.waitFor({ state: 'visible', timeout: 500 });
      // A hover that came up after the token moved (a code lens arriving above it) is the hover of
      // whatever took its place under the mouse: follow the token instead.
      const now = await span.boundingBox();
      if (now && aimedAt && (now.x + now.width / 2 !== aimedAt.x || now.y + now.height / 2 !== aimedAt.y)) continue;
      return hover;
    } catch {
      // Not shown yet: look again where the token is now.
    }
  }
  throw new Error(`no hover${expectedText ? ` saying ${expectedText}` : ''} appeared over "${token}" within ${STEP_TIMEOUT_MS} ms`);
}

/** How long the mouse rests on a token without a hover before it steps off and back. */
const HOVER_RETRY_MS = 5_000;

/**
 * The extension's document inside a webview: the workbench's host iframe holds an inner
 * `#active-frame`. Returns the Playwright Frame, for evaluating in the page.
 */
export async function webviewContentFrame(page) {
  const host = page.locator(SELECTORS.webviewHost).first();
  await host.waitFor({ timeout: STEP_TIMEOUT_MS });
  const hostFrame = await (await host.elementHandle()).contentFrame();
  const content = hostFrame.locator(SELECTORS.webviewContent);
  await content.waitFor({ timeout: STEP_TIMEOUT_MS });
  return (await content.elementHandle()).contentFrame();
}

/** The workbench's class for each theme kind (VS Code's `vs-dark` and `vs`; a class selector matches whole names). */
const WORKBENCH_THEME = { dark: '.monaco-workbench.vs-dark', light: '.monaco-workbench.vs' };

/**
 * Puts the workbench in `theme` ('dark' or 'light') with VS Code's toggle when it is in the other
 * one, and waits until its class says so. The theme is a user setting the server keeps, and the
 * toggle's write of it can be lost when a test closes its browser right after toggling back: a
 * suite after one that toggled may open in the light theme.
 */
export async function useWorkbenchTheme(page, theme) {
  if ((await page.locator(WORKBENCH_THEME[theme]).count()) > 0) return;
  await page.keyboard.press(KEYS.toggleLightDark);
  await page.locator(WORKBENCH_THEME[theme]).waitFor();
}

/**
 * Waits until the webview shows `theme`: its body carries VS Code's `vscode-dark` or
 * `vscode-light` class, and the editor background it was given (--vscode-editor-background) is
 * dark or light by its relative luminance (below or above 0.5).
 */
export async function assertWebviewTheme(frame, theme) {
  await frame.waitForFunction((light) => document.body.classList.contains(light ? 'vscode-light' : 'vscode-dark'), theme === 'light');
  const background = await frame.evaluate(() => getComputedStyle(document.documentElement).getPropertyValue('--vscode-editor-background').trim());
  const match = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})/i.exec(background);
  assert.ok(match, `the webview has an editor background colour (${background})`);
  const [red, green, blue] = match.slice(1).map((hex) => {
    const channel = Number.parseInt(hex, 16) / 255;
    return channel <= 0.04045 ? channel / 12.92 : ((channel + 0.055) / 1.055) ** 2.4;
  });
  const luminance = 0.2126 * red + 0.7152 * green + 0.0722 * blue;
  assert.ok(theme === 'light' ? luminance > 0.5 : luminance < 0.5, `the ${theme} theme's editor background ${background} (luminance ${luminance.toFixed(3)})`);
}

/**
 * Runs `check(theme, frame)` on the open panel in the dark theme, then in the light one (VS Code's
 * toggle), once the webview shows the theme (assertWebviewTheme); leaves the workbench dark again.
 */
export async function inDarkThenLight(page, check) {
  for (const theme of ['dark', 'light']) {
    await useWorkbenchTheme(page, theme);
    const frame = await webviewContentFrame(page);
    await assertWebviewTheme(frame, theme);
    await check(theme, frame);
  }
  await useWorkbenchTheme(page, 'dark');
}

/**
 * Resolves with the painted pixel counts of the canvases once at least `minimumCharts` of them
 * have more than `minimumPixels` non-transparent pixels (chart.js animates, so this waits for it).
 */
export async function waitForPaintedCanvases(frame, { minimumCharts = 1, minimumPixels = 2_000 } = {}) {
  const handle = await frame.waitForFunction(
    ({ selector, minimumCharts: charts, minimumPixels: pixels }) => {
      const counts = [...document.querySelectorAll(selector)].map((canvas) => {
        if (canvas.width === 0 || canvas.height === 0) return 0;
        const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
        let painted = 0;
        for (let index = 3; index < data.length; index += 4) if (data[index] !== 0) painted++;
        return painted;
      });
      return counts.filter((count) => count > pixels).length >= charts ? counts : false;
    },
    { selector: SELECTORS.webviewCanvas, minimumCharts, minimumPixels },
    { timeout: STEP_TIMEOUT_MS },
  );
  return handle.jsonValue();
}

export async function screenshot(page, directory, name) {
  mkdirSync(directory, { recursive: true });
  const file = path.join(directory, `${name}.png`);
  await page.screenshot({ path: file });
  return file;
}

/**
 * A screenshot for the README: kept with the run's screenshots, and copied over
 * docs/images/<name>.png when E2E_UPDATE_SCREENSHOTS=1.
 */
export async function readmeScreenshot(page, directory, name) {
  const file = await screenshot(page, directory, `readme-${name}`);
  if (process.env.E2E_UPDATE_SCREENSHOTS === '1') {
    mkdirSync(README_IMAGES_DIR, { recursive: true });
    copyFileSync(file, path.join(README_IMAGES_DIR, `${name}.png`));
  }
  return file;
}

function escapeRegExp(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * A UI suite's browser and workbench page (ui/run.mjs gives E2E_SERVER_URL, E2E_WORKSPACE and
 * E2E_SCREENSHOTS): the workbench opens on the test workspace before the suite's tests, then
 * `prepare(page)` runs; the browser closes after them, and a failed test leaves a screenshot named
 * `<failedPrefix>-<test title>`.
 */
export function workbenchSuite({ viewport = { width: 1400, height: 900 }, failedPrefix = 'failed', prepare } = {}) {
  const suite = { browser: undefined, page: undefined };
  const screenshots = process.env.E2E_SCREENSHOTS;
  before(async function () {
    const serverUrl = process.env.E2E_SERVER_URL;
    const workspace = process.env.E2E_WORKSPACE;
    assert.ok(serverUrl && workspace && screenshots, 'E2E_SERVER_URL, E2E_WORKSPACE and E2E_SCREENSHOTS are set');
    suite.browser = await launchChromium();
    suite.page = await suite.browser.newPage({ viewport });
    suite.page.setDefaultTimeout(STEP_TIMEOUT_MS);
    await openWorkbench(suite.page, serverUrl, workspace);
    await prepare?.(suite.page);
    // Every suite starts dark, whatever the one before it left in the user settings.
    await useWorkbenchTheme(suite.page, 'dark');
  });
  after(async () => {
    await suite.browser?.close();
  });
  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && suite.page) {
      await screenshot(suite.page, screenshots, `${failedPrefix}-${this.currentTest.title.replace(/\W+/g, '-')}`).catch(() => undefined);
    }
  });
  return suite;
}
