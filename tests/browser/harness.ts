/**
 * What every browser test shares: the context (browser, proxy, worker), assertions that say what they saw, and
 * helpers to open a view of the test page and keep a screenshot. Tests live in one module per area (datasource.ts,
 * alerting.ts, inventory.ts), each exporting a `Record<string, Test>`; run.ts runs them all.
 */
import { join } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';

import type { RunningProxy } from './proxy';
import { REPO_ROOT, type DemoWorker } from './worker';

export const OUTPUT = join(REPO_ROOT, 'tests', 'output');
export const UID = 'missioncontrol';
export const TIMEOUT_MS = 15_000;

export interface Context {
  browser: Browser;
  proxy: RunningProxy;
  worker: DemoWorker;
}

export type Test = (page: Page, context: Context) => Promise<void>;

export class Failure extends Error {}

export function check(condition: boolean, message: string): void {
  if (!condition) {
    throw new Failure(message);
  }
}

/** Polls until `read` gives a value `accept` takes, or fails saying what it saw last. */
export async function until<T>(what: string, read: () => Promise<T>, accept: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + TIMEOUT_MS;
  let last: T | undefined;
  while (Date.now() < deadline) {
    last = await read();
    if (accept(last)) {
      return last;
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Failure(`${what}: still ${JSON.stringify(last)} after ${TIMEOUT_MS / 1000} s`);
}

export async function open(page: Page, context: Context, query: string): Promise<void> {
  await page.goto(`${context.proxy.url}/?${query}`);
  await page.getByRole('heading', { level: 1 }).waitFor({ timeout: TIMEOUT_MS });
}

export async function visible(locator: Locator): Promise<void> {
  await locator.first().waitFor({ state: 'visible', timeout: TIMEOUT_MS });
}

export async function screenshot(page: Page, name: string): Promise<void> {
  // Icons arrive after the text: wait for them, so the picture shows what a user sees a moment later.
  await page.waitForLoadState('networkidle');
  await page.screenshot({ path: join(OUTPUT, `${name}.png`), fullPage: true });
}
