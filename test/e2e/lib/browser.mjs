// Debian's Chromium driven by playwright-core (no browser download: only npm and apt are reachable).
import { chromium } from 'playwright-core';

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  // Offline machine: these stop floods of refused background connections.
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

export function launchChromium() {
  return chromium.launch({
    executablePath: process.env.E2E_CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_ARGS,
  });
}

/** Messages the offline workbench logs about the marketplace and telemetry: harmless, and noisy. */
export function isOfflineNoise(text) {
  return /ENOTFOUND|ERR_NAME_NOT_RESOLVED|ERR_INTERNET_DISCONNECTED|open-vsx\.org|marketplace|net::ERR_CONNECTION_REFUSED|Failed to fetch/i.test(text);
}
