import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCsv } from '../support/access-reviews.js';
import { axeViolations, browserFixture, hasBrowser, screenshot, type TestUser } from './browser-fixture.js';

// Access reviews in the web UI. An owner decides the rows of a campaign about their group on the Reviews
// screen: one kept, one revoked with a comment, the rest chosen with the keyboard and kept together. The auditor
// who started it follows its progress, downloads the report and closes it, which revokes the access the owner
// revoked. An admin starts a campaign through the form, whose field errors come from the API.

const fx = browserFixture();
let auditor: TestUser,
  olga: TestUser,
  rick: TestUser,
  sam: TestUser,
  tia: TestUser,
  uma: TestUser,
  vic: TestUser;
let payroll: { id: string }, payments: { id: string };

const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();
const two = (n: number) => String(n).padStart(2, '0');
/** A `datetime-local` input's value for a moment `days` away. */
function localValue(days: number) {
  const d = new Date(Date.now() + days * 86_400_000);
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())}T${two(d.getHours())}:${two(d.getMinutes())}`;
}

async function seed() {
  auditor = await fx.user('Audrey Auditor', 'auditor');
  [olga, rick, sam, tia, uma, vic] = await Promise.all([
    fx.user('Olga Owner'),
    fx.user('Rick Keeper'),
    fx.user('Sam Leaver'),
    fx.user('Tia Stayer'),
    fx.user('Uma Stayer'),
    fx.user('Vic Nested'),
  ]);
  payroll = await fx.group('payroll-db', { ownerUserIds: [olga.id] });
  payments = await fx.group('payments', { ownerUserIds: [olga.id] });
  const finance = await fx.group('finance-team');
  for (const u of [rick, sam, tia, uma])
    await fx.api('POST', `/groups/${payroll.id}/members`, { userId: u.id });
  await fx.api('POST', `/groups/${payments.id}/members`, { userId: rick.id });
  await fx.api('POST', `/groups/${finance.id}/assets`, { groupId: payroll.id });
  await fx.api('POST', `/groups/${finance.id}/members`, { userId: vic.id });
}

/** The row of a person in the list of rows, found by their name. */
function rowOf(page: Page, name: string) {
  return page.getByRole('row').filter({ has: page.getByRole('rowheader', { name: new RegExp(`^${name}`) }) });
}

/** The report's lines as objects keyed by the CSV header. */
function reportLines(csv: string) {
  const [header, ...rows] = parseCsv(csv);
  return rows.map((cells) => Object.fromEntries(header!.map((h, i) => [h, cells[i] ?? ''])));
}

async function downloadReport(page: Page) {
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: 'Download report (CSV)' }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/^access-review-.*\.csv$/);
  return reportLines(readFileSync((await download.path())!, 'utf8'));
}

describe.runIf(hasBrowser)('access reviews in the web UI', () => {
  beforeAll(async () => {
    await fx.start();
    await seed();
  }, 60_000);
  afterAll(() => fx.stop());

  it('lets an owner decide their rows and the auditor follow, report and close the campaign', async () => {
    const review = await fx.api(
      'POST',
      '/access-reviews',
      {
        name: 'Q3 payroll',
        scope: { groupIds: [payroll.id] },
        reviewers: { type: 'owners' },
        deadline: inDays(14),
      },
      auditor.token,
    );
    expect(review.progress.total).toBe(5);

    // Someone with nothing to review is not offered the screen.
    const member = await fx.signIn(rick);
    expect(
      await member.getByRole('navigation', { name: 'Main' }).getByRole('link').allTextContents(),
    ).not.toContain('Reviews');
    await member.close();

    const page = await fx.signIn(olga);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Reviews' }).click();
    await page.getByRole('heading', { level: 1, name: 'Access reviews' }).waitFor();
    const campaign = page.getByRole('region', { name: 'Q3 payroll' });
    await expect.poll(() => campaign.getByRole('row').count()).toBe(6);
    await expect.poll(() => campaign.getByText('0 of 5 decided').first().isVisible()).toBe(true);
    // Each row says how the access came about, in names.
    expect(await rowOf(page, 'Vic Nested').textContent()).toContain(
      'Through nesting: finance-team → payroll-db',
    );
    expect(await rowOf(page, 'Rick Keeper').textContent()).toContain('Member of payroll-db');

    await page.getByRole('button', { name: 'Keep Rick Keeper’s access to payroll-db' }).click();
    await expect
      .poll(() => page.getByText('Decided to keep Rick Keeper’s access to payroll-db.').isVisible())
      .toBe(true);
    expect(await rowOf(page, 'Rick Keeper').textContent()).toContain('Keep');

    // Revoking asks why: without a reason the dialog says so at the field.
    await page.getByRole('button', { name: 'Revoke Sam Leaver’s access to payroll-db…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Revoke access' });
    await dialog.getByRole('button', { name: 'Revoke' }).click();
    const why = dialog.getByRole('textbox', { name: /Why is it revoked/ });
    await expect.poll(() => why.getAttribute('aria-invalid')).toBe('true');
    expect(await dialog.getByText('Say why the access is revoked.').isVisible()).toBe(true);
    expect(await axeViolations(page)).toEqual([]);
    await why.fill('Left the payroll team in June');
    await dialog.getByRole('button', { name: 'Revoke' }).click();
    await expect.poll(() => dialog.isVisible()).toBe(false);
    await expect
      .poll(() => rowOf(page, 'Sam Leaver').textContent())
      .toContain('Left the payroll team in June');

    // The rest, chosen with the keyboard among the rows not decided yet, are kept together. The rows not decided
    // are asked of the server, so that a reviewer with more rows than one list holds reaches them all.
    const undecidedAsked = page.waitForRequest((r) => /\/rows\?.*decision=undecided/.test(r.url()));
    await campaign.getByRole('combobox', { name: 'Decision' }).selectOption('undecided');
    await undecidedAsked;
    await expect.poll(() => campaign.getByRole('row').count()).toBe(4);
    const boxes = campaign.getByRole('table').getByRole('checkbox');
    await boxes.first().focus();
    await page.keyboard.press('Space');
    await page.keyboard.press('j');
    await page.keyboard.press('Space');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Space');
    await expect.poll(() => campaign.getByText('3 chosen').isVisible()).toBe(true);
    const checked = await Promise.all((await boxes.all()).map((b) => b.isChecked()));
    expect(checked.filter(Boolean)).toHaveLength(3);
    await screenshot(page, 'access-reviews-owner-choosing');
    await campaign.getByRole('button', { name: 'Keep chosen' }).click();
    await expect.poll(() => campaign.getByText('Decided to keep 3 rows.').isVisible()).toBe(true);
    await expect.poll(() => campaign.getByText('No rows match these filters.').isVisible()).toBe(true);
    await expect.poll(() => campaign.getByText('5 of 5 decided').first().isVisible()).toBe(true);
    expect(await axeViolations(page)).toEqual([]);
    await page.close();

    // The auditor follows the campaign, downloads its report and closes it.
    const desk = await fx.signIn(auditor);
    await desk.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Reviews' }).click();
    await desk.getByRole('link', { name: 'Q3 payroll' }).click();
    await desk.getByRole('heading', { level: 1, name: 'Q3 payroll' }).waitFor();
    await expect.poll(() => desk.getByText('5 of 5 decided').first().isVisible()).toBe(true);
    await expect.poll(() => desk.getByRole('row').count()).toBe(6);
    expect(await rowOf(desk, 'Sam Leaver').textContent()).toContain('Olga Owner');
    // One reviewer's rows are asked of the server.
    const olgasAsked = desk.waitForRequest((r) => r.url().includes(`reviewerId=${olga.id}`));
    await desk.getByRole('combobox', { name: 'Reviewer' }).selectOption({ label: 'Olga Owner' });
    await olgasAsked;
    await expect.poll(() => desk.getByRole('row').count()).toBe(6);
    await desk.getByRole('combobox', { name: 'Reviewer' }).selectOption({ label: 'Anyone' });
    // So are one item's.
    const itemAsked = desk.waitForRequest((r) => r.url().includes(`groupId=${payroll.id}`));
    await desk.getByRole('combobox', { name: 'Item' }).selectOption({ label: 'payroll-db' });
    await itemAsked;
    await expect.poll(() => desk.getByRole('row').count()).toBe(6);
    await desk.getByRole('combobox', { name: 'Item' }).selectOption({ label: 'Any item' });

    const before = await downloadReport(desk);
    expect(before).toHaveLength(5);
    const line = (lines: typeof before, name: string) =>
      lines.find((l) => l.user_email!.startsWith(`${name.toLowerCase().replace(' ', '.')}.`))!;
    expect(line(before, 'Rick Keeper')).toMatchObject({
      item_name: 'payroll-db',
      decision: 'keep',
      effect: '',
    });
    expect(line(before, 'Sam Leaver')).toMatchObject({
      decision: 'revoke',
      comment: 'Left the payroll team in June',
    });
    for (const name of ['Tia Stayer', 'Uma Stayer']) expect(line(before, name).decision).toBe('keep');
    expect(line(before, 'Vic Nested')).toMatchObject({ decision: 'keep', path: 'finance-team > payroll-db' });
    expect(before.every((l) => l.decided_by!.startsWith('olga.owner.'))).toBe(true);

    const [printable] = await Promise.all([
      desk.context().waitForEvent('page'),
      desk.getByRole('link', { name: /^Printable report/ }).click(),
    ]);
    await printable.waitForLoadState();
    expect(await printable.getByRole('table').textContent()).toContain('Left the payroll team in June');
    await printable.close();

    await desk.getByRole('button', { name: 'Close campaign…' }).click();
    const closing = desk.getByRole('dialog', { name: 'Close Q3 payroll?' });
    await closing.getByRole('button', { name: 'Close campaign' }).click();
    await expect
      .poll(() => desk.getByText('The campaign is closed and its decisions were applied.').isVisible())
      .toBe(true);
    await expect.poll(() => rowOf(desk, 'Sam Leaver').textContent()).toContain('revoked');
    const after = await downloadReport(desk);
    expect(line(after, 'Sam Leaver')).toMatchObject({ decision: 'revoke', effect: 'revoked' });
    const check = await fx.api('GET', `/access/check?userId=${sam.id}&groupId=${payroll.id}`);
    expect(check.allowed).toBe(false);
    expect(fx.pageProblems).toEqual([]);
    await desk.close();
  }, 60_000);

  it('lets an admin start a campaign through the form, with the API’s objections at the fields', async () => {
    const page = await fx.signIn(await fx.admin());
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Reviews' }).click();
    await page.getByRole('link', { name: 'Start a campaign' }).click();
    await page.getByRole('heading', { level: 1, name: 'Start an access review' }).waitFor();
    const form = page.getByRole('form', { name: 'New access review' });
    await form.getByRole('textbox', { name: /^Name/ }).fill('Payments check');
    const groups = form.getByRole('group', { name: 'Groups' });
    await groups
      .getByRole('combobox', { name: 'Choose to add to Groups' })
      .selectOption({ label: 'payments' });
    await groups.getByRole('button', { name: 'Add' }).click();
    await form.getByRole('radio', { name: 'Named people' }).check();
    const named = form.getByRole('group', { name: 'Reviewers', exact: true });
    await named.getByRole('combobox').selectOption(olga.id);
    await named.getByRole('button', { name: 'Add' }).click();
    const deadline = form.getByLabel(/^Deadline/);
    await deadline.fill(localValue(-1));
    await form.getByRole('checkbox', { name: 'Revoke access nobody decided on' }).check();
    await form.getByRole('button', { name: 'Start campaign' }).click();
    await expect.poll(() => deadline.getAttribute('aria-invalid')).toBe('true');
    expect(await form.getByText('must be in the future').isVisible()).toBe(true);
    await screenshot(page, 'access-reviews-form-error');
    expect(await axeViolations(page)).toEqual([]);

    await deadline.fill(localValue(7));
    await form.getByRole('button', { name: 'Start campaign' }).click();
    await page.getByRole('heading', { level: 1, name: 'Payments check' }).waitFor();
    await expect.poll(() => page.getByText('0 of 1 decided').first().isVisible()).toBe(true);
    const about = page.getByRole('region', { name: 'About this campaign' });
    expect(await about.textContent()).toContain('Named people: Olga Owner');
    expect(await about.textContent()).toContain('Access nobody decided on is revoked.');
    expect(await rowOf(page, 'Rick Keeper').textContent()).toContain('Member of payments');
    expect(fx.pageProblems).toEqual([]);
    await page.close();
  });
});
