import { test, expect } from '@playwright/test';

test('the app shell opens cross-origin isolated, with its layout and working tabs', async ({
  page,
}) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto('/');
  await expect(page.getByRole('heading', { name: 'SDR Explorer' })).toBeVisible();
  await expect(page.getByRole('complementary', { name: 'Data and settings' })).toBeVisible();
  // COOP/COEP are what give onnxruntime-web its threads.
  expect(await page.evaluate(() => self.crossOriginIsolated)).toBe(true);
  await page.getByRole('tab', { name: 'Data' }).click();
  await expect(page.getByRole('tab', { name: 'Data' })).toHaveAttribute('aria-selected', 'true');
  expect(await page.evaluate(() => window.__sdrExplorer?.getState().view)).toBe('data');
  expect(errors).toEqual([]);
});
