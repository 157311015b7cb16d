import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations, browserFixture, hasBrowser, screenshot, type TestUser } from './browser-fixture.js';

// Handing access-review rows over in the web UI. An owner going away hands their rows to a colleague until a
// date through the campaign page, which then says so in words; the colleague finds those rows among theirs and
// decides one; the owner takes the rows back before the date, and the colleague has only their own rows again.

const fx = browserFixture();
let auditor: TestUser, olga: TestUser, dana: TestUser, rick: TestUser, sam: TestUser, tia: TestUser;
let payroll: { id: string }, ledger: { id: string };

const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();
const two = (n: number) => String(n).padStart(2, '0');
/** A `datetime-local` input's value for 17:00 local time, `days` from today. */
function fivePmIn(days: number) {
  const d = new Date(Date.now() + days * 86_400_000);
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())}T17:00`;
}

async function seed() {
  auditor = await fx.user('Audrey Auditor', 'auditor');
  [olga, dana, rick, sam, tia] = await Promise.all([
    fx.user('Olga Owner'),
    fx.user('Dana Smith'),
    fx.user('Rick Keeper'),
    fx.user('Sam Member'),
    fx.user('Tia Ledger'),
  ]);
  payroll = await fx.group('payroll-db', { ownerUserIds: [olga.id] });
  ledger = await fx.group('ledger', { ownerUserIds: [dana.id] });
  for (const u of [rick, sam]) await fx.api('POST', `/groups/${payroll.id}/members`, { userId: u.id });
  await fx.api('POST', `/groups/${ledger.id}/members`, { userId: tia.id });
}

/** The names of the people in the rows under "Your rows". */
async function peopleInYourRows(page: Page): Promise<string[]> {
  const rows = page.getByRole('region', { name: 'Your rows' }).getByRole('table').getByRole('rowheader');
  // Each row header reads a name, then the person's e-mail on a line of its own.
  return (await rows.allInnerTexts()).map((t) => t.split('\n')[0]!.trim()).sort();
}

/** The campaign page of `reviewId`, signed in as `user`, once its rows are shown. */
async function campaignPage(user: TestUser, reviewId: string, name: string): Promise<Page> {
  const page = await fx.signIn(user, `/reviews/${reviewId}`);
  await page.getByRole('heading', { level: 1, name }).waitFor();
  await page.getByRole('region', { name: 'Your rows' }).getByRole('table').waitFor();
  return page;
}

describe.runIf(hasBrowser)('handing access-review rows over in the web UI', () => {
  beforeAll(async () => {
    await fx.start();
    await seed();
  }, 60_000);
  afterAll(() => fx.stop());

  it('lets a reviewer hand their rows to someone until a date, and take them back', async () => {
    const review = await fx.api(
      'POST',
      '/access-reviews',
      {
        name: 'Finance access',
        scope: { groupIds: [payroll.id, ledger.id] },
        reviewers: { type: 'owners' },
        deadline: inDays(30),
      },
      auditor.token,
    );

    // Olga hands her rows to Dana, found by name, until five in the afternoon ten days from now.
    const owner = await campaignPage(olga, review.id, 'Finance access');
    const form = owner.getByRole('form', { name: 'Hand over your rows' });
    const handTo = form.getByRole('combobox', { name: /^Hand to/ });
    await form.getByRole('button', { name: 'Hand over' }).click();
    await expect.poll(() => handTo.getAttribute('aria-invalid')).toBe('true');
    expect(await form.getByText('Choose who decides the rows.').isVisible()).toBe(true);
    await handTo.fill('dana');
    await form
      .getByRole('listbox', { name: 'Matches for Hand to' })
      .getByRole('option', { name: /Dana/ })
      .waitFor();
    await handTo.press('Enter');
    await expect.poll(() => form.getByText('Dana Smith', { exact: true }).isVisible()).toBe(true);
    // A date gone by is turned down by the API, at the field.
    const untilField = form.getByLabel(/^Until/);
    await untilField.fill(fivePmIn(-1));
    await form.getByRole('button', { name: 'Hand over' }).click();
    await expect.poll(() => untilField.getAttribute('aria-invalid')).toBe('true');
    expect(await form.getByText('must be in the future').isVisible()).toBe(true);
    const until = fivePmIn(10);
    await untilField.fill(until);
    await form.getByRole('button', { name: 'Hand over' }).click();

    // The date as the page writes dates: in the browser's own words and time zone.
    const when = await owner.evaluate(
      (local) =>
        new Intl.DateTimeFormat(undefined, {
          day: 'numeric',
          month: 'short',
          year: 'numeric',
          hour: '2-digit',
          minute: '2-digit',
        }).format(new Date(local)),
      until,
    );
    await expect
      .poll(() => form.getByRole('status').filter({ hasText: 'Your rows go to' }).textContent())
      .toBe(`Your rows go to Dana Smith until ${when}.`);
    const about = owner.getByRole('region', { name: 'About this campaign' });
    await expect.poll(() => about.textContent()).toContain(`Your rows to Dana Smith until ${when}`);
    const handed = await fx.api('GET', `/access-reviews/${review.id}`, undefined, auditor.token);
    expect(handed.delegations).toMatchObject([
      { fromUserId: olga.id, toUserId: dana.id, createdBy: olga.id },
    ]);
    expect(new Date(handed.delegations[0].until).getTime()).toBe(
      new Date(await owner.evaluate((local) => new Date(local).toISOString(), until)).getTime(),
    );
    await screenshot(owner, 'access-review-handed-over');
    expect(await axeViolations(owner)).toEqual([]);
    await owner.close();

    // Dana finds Olga's rows among her own and decides one; she may not take them back, only Olga may.
    const delegate = await campaignPage(dana, review.id, 'Finance access');
    await expect.poll(() => peopleInYourRows(delegate)).toEqual(['Rick Keeper', 'Sam Member', 'Tia Ledger']);
    expect(await delegate.getByRole('region', { name: 'About this campaign' }).textContent()).toContain(
      `Olga Owner’s rows to Dana Smith (you) until ${when}`,
    );
    expect(await delegate.getByRole('button', { name: /^Take back/ }).count()).toBe(0);
    await delegate.getByRole('button', { name: 'Keep Rick Keeper’s access to payroll-db' }).click();
    await expect
      .poll(() => delegate.getByText('Decided to keep Rick Keeper’s access to payroll-db.').isVisible())
      .toBe(true);
    const rows = await fx.api('GET', `/access-reviews/${review.id}/rows?limit=500`, undefined, auditor.token);
    const rickRow = rows.items.find((r: { userId: string }) => r.userId === rick.id);
    expect(rickRow).toMatchObject({ decision: 'keep', decidedBy: dana.id });
    await delegate.close();

    // Olga takes her rows back before the date.
    const back = await campaignPage(olga, review.id, 'Finance access');
    await back.getByRole('button', { name: 'Take back your rows from Dana Smith' }).click();
    await expect
      .poll(() =>
        back.getByText('Your rows are back with you; Dana Smith no longer decides them.').isVisible(),
      )
      .toBe(true);
    await expect
      .poll(() => back.getByRole('region', { name: 'About this campaign' }).textContent())
      .not.toContain('Handed over');
    const ended = await fx.api('GET', `/access-reviews/${review.id}`, undefined, auditor.token);
    expect(new Date(ended.delegations[0].until).getTime()).toBeLessThanOrEqual(Date.now());
    expect(await axeViolations(back)).toEqual([]);
    await back.close();

    // Dana is back to her own rows only.
    const after = await campaignPage(dana, review.id, 'Finance access');
    await expect.poll(() => peopleInYourRows(after)).toEqual(['Tia Ledger']);
    expect(await after.getByRole('region', { name: 'About this campaign' }).textContent()).not.toContain(
      'Olga Owner’s rows',
    );
    expect(fx.pageProblems).toEqual([]);
    await after.close();
  }, 60_000);

  it('lets an auditor hand any reviewer’s rows over and take them back', async () => {
    const review = await fx.api(
      'POST',
      '/access-reviews',
      {
        name: 'Payroll check',
        scope: { groupIds: [payroll.id, ledger.id] },
        reviewers: { type: 'owners' },
        deadline: inDays(30),
      },
      auditor.token,
    );
    const page = await fx.signIn(auditor, `/reviews/${review.id}`);
    const form = page.getByRole('form', { name: 'Hand over rows' });
    const whose = form.getByRole('combobox', { name: /^Whose rows/ });
    // The auditor reviews nothing here, so nobody is chosen for them.
    await expect.poll(() => whose.inputValue()).toBe('');
    await whose.selectOption({ label: 'Olga Owner' });
    const handTo = form.getByRole('combobox', { name: /^Hand to/ });
    await handTo.fill('dana sm');
    await form
      .getByRole('listbox', { name: 'Matches for Hand to' })
      .getByRole('option', { name: /Dana/ })
      .click();
    await form.getByLabel(/^Until/).fill(fivePmIn(3));
    await form.getByRole('button', { name: 'Hand over' }).click();
    await expect
      .poll(() => form.getByRole('status').filter({ hasText: 'rows go to' }).textContent())
      .toMatch(/^Olga Owner’s rows go to Dana Smith until /);
    await page.getByRole('button', { name: 'Take back Olga Owner’s rows from Dana Smith' }).click();
    await expect
      .poll(() =>
        page
          .getByText('Olga Owner’s rows are back with them; Dana Smith no longer decides them.')
          .isVisible(),
      )
      .toBe(true);
    const ended = await fx.api('GET', `/access-reviews/${review.id}`, undefined, auditor.token);
    expect(ended.delegations).toHaveLength(1);
    expect(new Date(ended.delegations[0].until).getTime()).toBeLessThanOrEqual(Date.now());
    expect(await axeViolations(page)).toEqual([]);
    expect(fx.pageProblems).toEqual([]);
    await page.close();
  });
});
