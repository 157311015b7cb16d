import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserFixture, hasBrowser } from './browser-fixture.js';

// An admin sets a team up with the web UI alone: people, a group with an owner, a resource with a member at a
// level, and an on-call rotation (edited, previewed) that the group follows.

const fx = browserFixture();

describe.runIf(hasBrowser)('setting up with the web UI alone', () => {
  beforeAll(() => fx.start(), 60_000);
  afterAll(() => fx.stop());

  it('lets an admin add people, a group with an owner, a resource member and a previewed rotation', async () => {
    const page = await fx.signIn(await fx.admin(), '/people');
    for (const [name, email] of [
      ['Olga Setup', 'olga.setup@example.test'],
      ['Sam Setup', 'sam.setup@example.test'],
    ] as const) {
      const form = page.getByRole('form', { name: 'Add a person' });
      await form.getByRole('textbox', { name: /Name/ }).fill(name);
      await form.getByRole('textbox', { name: /E-mail/ }).fill(email);
      await form.getByRole('button', { name: 'Add person' }).click();
      await expect.poll(() => page.getByRole('link', { name }).first().isVisible()).toBe(true);
    }

    // A group, and its owner.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Inventory' }).click();
    await page.getByRole('button', { name: 'New group' }).click();
    const dialog = page.getByRole('dialog', { name: 'New group' });
    await dialog.getByRole('textbox', { name: /Name/ }).fill('payments-oncall');
    await dialog.getByRole('button', { name: 'Create group' }).click();
    await expect
      .poll(() => page.getByRole('heading', { level: 1, name: 'payments-oncall' }).isVisible())
      .toBe(true);
    await page.getByRole('link', { name: 'Owners' }).click();
    await page.getByRole('button', { name: 'Edit owners' }).click();
    await page
      .getByRole('combobox', { name: 'Choose to add to Owner people' })
      .selectOption({ label: 'Olga Setup (olga.setup@example.test)' });
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    await page.getByRole('button', { name: 'Save owners' }).click();
    await expect.poll(() => page.getByText('Owners saved.').isVisible()).toBe(true);

    // A resource, and Sam as a member at one of its levels.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Inventory' }).click();
    await page.getByRole('button', { name: 'New resource' }).click();
    const res = page.getByRole('dialog', { name: 'New resource' });
    await res.getByRole('textbox', { name: /Name/ }).fill('ledger-db');
    await res.getByRole('textbox', { name: /^Type/ }).fill('postgres');
    await res.getByRole('textbox', { name: /Access levels/ }).fill('read, write');
    await res.getByRole('button', { name: 'Create resource' }).click();
    await expect
      .poll(() => page.getByRole('heading', { level: 1, name: 'ledger-db' }).isVisible())
      .toBe(true);
    const add = page.getByRole('form', { name: 'Add a member' });
    await add
      .getByRole('combobox', { name: /User/ })
      .selectOption({ label: 'Sam Setup (sam.setup@example.test)' });
    await add.getByRole('combobox', { name: 'Access level' }).selectOption('write');
    await add.getByRole('button', { name: 'Add member' }).click();
    await expect.poll(() => page.getByText('Sam Setup was added.').isVisible()).toBe(true);

    // A rotation of the two, a day each, edited to add a second layer, previewed, and followed by the group.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).click();
    await page.getByRole('link', { name: 'On-call schedules' }).click();
    const schedule = page.getByRole('form', { name: 'Add a schedule' });
    await schedule.getByRole('textbox', { name: /Name/ }).fill('Payments primary');
    await schedule.getByRole('spinbutton', { name: 'Layer 1: shift length (hours)' }).fill('24');
    for (const who of ['Olga Setup (olga.setup@example.test)', 'Sam Setup (sam.setup@example.test)']) {
      await schedule
        .getByRole('combobox', { name: 'Choose to add to Layer 1: people, in turn' })
        .selectOption({ label: who });
      await schedule.getByRole('button', { name: 'Add', exact: true }).click();
    }
    await schedule.getByRole('button', { name: 'Add schedule' }).click();
    await expect.poll(() => page.getByText('Schedule added.').isVisible()).toBe(true);
    const card = page
      .getByRole('listitem')
      .filter({ has: page.getByRole('heading', { name: 'Payments primary' }) });
    await card.getByText('Next two weeks', { exact: true }).click();
    const timeline = card.getByRole('list', {
      name: 'Who is on call on Payments primary over the next two weeks',
    });
    await expect.poll(() => timeline.getByRole('listitem').count()).toBeGreaterThanOrEqual(14);
    await expect.poll(() => timeline.getByText('Sam Setup').first().isVisible()).toBe(true);

    await card.getByRole('button', { name: 'Edit Payments primary' }).click();
    const edit = card.getByRole('form', { name: 'Edit Payments primary' });
    await edit.getByRole('button', { name: 'Add an override' }).click();
    await edit.getByRole('textbox', { name: 'Override 1: until' }).fill('2020-01-01T10:00');
    await edit.getByRole('button', { name: 'Save rotation' }).click();
    // Errors are said by field label, not by path.
    await expect.poll(() => edit.getByText('Check the fields marked below.').isVisible()).toBe(true);
    expect(await edit.getByRole('textbox', { name: 'Override 1: until' }).getAttribute('aria-invalid')).toBe(
      'true',
    );
    expect(await edit.getByText(/layers\.|overrides\./).count()).toBe(0);
    await edit.getByRole('button', { name: 'Remove override 1' }).click();
    await edit.getByRole('button', { name: 'Save rotation' }).click();
    await expect
      .poll(() => card.getByRole('button', { name: 'Edit Payments primary' }).isVisible())
      .toBe(true);

    const group = (await fx.api('GET', '/groups?query=payments-oncall')).items[0];
    await page.goto(`${fx.url}/inventory/groups/${group.id}/on-call`);
    await page.getByRole('checkbox', { name: /Payments primary/ }).check();
    await page.getByRole('button', { name: 'Save schedules' }).click();
    await expect.poll(() => page.getByText(/Saved. Members follow the schedules/).isVisible()).toBe(true);

    const olga = (await fx.api('GET', '/users?query=olga.setup')).items[0];
    expect((await fx.api('GET', `/groups/${group.id}`)).ownerUserIds).toEqual([olga.id]);
    const members = await fx.api('GET', `/groups/${group.id}/members`);
    expect(members.items.length).toBe(1);
    expect(fx.pageProblems).toEqual([]);
    await page.close();
  });
});
