import { describe, expect, it, vi } from 'vitest';
import { userEvent } from 'vitest/browser';
import { ApiError } from '../../api/client';
import { renderInDesk } from '../../components/testing';
import { RulesEditor, type Rule, type RulesEditorProps } from './Rules';

const base: Rule = {
  id: 'r-all',
  branchId: '*',
  categoryCode: '*',
  itemTypeCode: '*',
  loanLength: 21,
  loanUnit: 'days',
  hardDueDate: null,
  hardDueDateMode: 'before',
  maxLoans: null,
  renewalsAllowed: 2,
  renewalPeriod: null,
  noRenewalBeforeDays: null,
  fineAmount: 10,
  finePeriod: 1,
  graceDays: 0,
  fineCap: 500,
  capFineAtReplacementPrice: true,
  holdsAllowed: true,
  holdsPerTitle: 1,
  onShelfHoldsAllowed: true,
  pickupPeriodDays: 7,
};
const dvd: Rule = {
  ...base,
  id: 'r-dvd',
  itemTypeCode: 'DVD',
  loanLength: 7,
  renewalsAllowed: 1,
  fineAmount: 100,
  hardDueDate: '2026-12-20',
};
/** A rule of one branch: rules name it by id, the list of branches also carries its code. */
const mainDvd: Rule = { ...dvd, id: 'r-main-dvd', branchId: 'b1', loanLength: 14 };

function setup(over: Partial<RulesEditorProps> = {}) {
  const props: RulesEditorProps = {
    rules: [dvd, base],
    branches: [{ id: 'b1', code: 'MAIN', name: 'Main Street' }],
    categories: [
      { code: 'ADULT', name: 'Adult' },
      { code: 'CHILD', name: 'Child' },
    ],
    itemTypes: [
      { code: 'BOOK', name: 'Book' },
      { code: 'DVD', name: 'DVD' },
    ],
    currency: 'USD',
    locale: 'en-US',
    onSave: vi.fn(() => Promise.resolve()),
    onDelete: vi.fn(() => Promise.resolve()),
    ...over,
  };
  return { props, screen: renderInDesk(<RulesEditor {...props} />) };
}

describe('<RulesEditor>: the circulation rules matrix', () => {
  it('lists the rules, least specific first, with periods, fines and dates in words', async () => {
    const { screen: rendering } = setup();
    const screen = await rendering;
    const rows = screen.getByTestId('rule-row');
    await expect.element(rows.nth(0)).toHaveTextContent('Any (*)Any (*)Any (*)21 days2$0.10 a day0 days$5.00none');
    await expect
      .element(rows.nth(1))
      .toHaveTextContent('Any (*)Any (*)DVD7 days1$1.00 a day0 days$5.00no later than Dec 20, 2026');
  });

  it("names a branch's own rule by the branch's name, not its id or code", async () => {
    const screen = await setup({ rules: [mainDvd, dvd, base] }).screen;
    await expect.element(screen.getByTestId('rule-row').nth(2)).toHaveTextContent(/^Main StreetAny \(\*\)DVD14 days/);
  });

  it('edits a cell: the loan period for DVDs, saved with every field of the rule', async () => {
    const { props, screen: rendering } = setup();
    const screen = await rendering;
    await screen.getByRole('button', { name: 'Edit the rule for Any (*) / Any (*) / DVD' }).click();
    const dialog = screen.getByRole('dialog', { name: 'Edit circulation rule' });
    await expect.element(dialog).toBeVisible();
    await expect.element(dialog.getByLabelText('Branch')).toHaveFocus();
    await dialog.getByLabelText('Loan period', { exact: true }).fill('3');
    await dialog.getByLabelText('Fine (USD)').fill('0.25');
    await dialog.getByLabelText('Hard due date', { exact: true }).fill('');
    await dialog.getByLabelText('Holds allowed', { exact: true }).click();
    await dialog.getByRole('button', { name: 'Save the rule' }).click();
    expect(props.onSave).toHaveBeenCalledWith(
      { ...dvd, id: undefined, loanLength: 3, fineAmount: 25, hardDueDate: null, holdsAllowed: false },
      dvd,
    );
  });

  it('checks every number before saving and says which field is wrong', async () => {
    const { props, screen: rendering } = setup();
    const screen = await rendering;
    await screen.getByRole('button', { name: 'Add a rule' }).click();
    const dialog = screen.getByRole('dialog', { name: 'New circulation rule' });
    await dialog.getByLabelText('Item type').selectOptions('DVD');
    await dialog.getByLabelText('Loan period', { exact: true }).fill('two weeks');
    await dialog.getByLabelText('Charged every (days)').fill('0');
    await dialog.getByLabelText('Fine (USD)').fill('1.234');
    await dialog.getByRole('button', { name: 'Save the rule' }).click();
    await expect.element(dialog.getByLabelText('Loan period', { exact: true })).toHaveAttribute('aria-invalid', 'true');
    await expect
      .element(dialog.getByLabelText('Loan period', { exact: true }))
      .toHaveAccessibleDescription('A whole number from 0 to 100000.');
    await expect
      .element(dialog.getByLabelText('Charged every (days)'))
      .toHaveAccessibleDescription('A whole number from 1 to 1000.');
    await expect.element(dialog.getByLabelText('Fine (USD)')).toHaveAccessibleDescription('An amount, like 1.50.');
    expect(props.onSave).not.toHaveBeenCalled();
    // Fixed, it saves a new DVD rule for any branch and category, from the catch-all rule's values.
    await dialog.getByLabelText('Loan period', { exact: true }).fill('14');
    await dialog.getByLabelText('Charged every (days)').fill('1');
    await dialog.getByLabelText('Fine (USD)').fill('1');
    await userEvent.keyboard('{Enter}');
    expect(props.onSave).toHaveBeenCalledWith(
      { ...base, id: undefined, itemTypeCode: 'DVD', loanLength: 14, fineAmount: 100 },
      null,
    );
  });

  it('shows the station refusal inside the dialog, and Escape cancels', async () => {
    const refuse = vi.fn(() => Promise.reject(new ApiError({ code: 'FORBIDDEN', message: 'no' })));
    const { screen: rendering } = setup({ onSave: refuse });
    const screen = await rendering;
    await screen.getByRole('button', { name: 'Edit the rule for Any (*) / Any (*) / Any (*)' }).click();
    const dialog = screen.getByRole('dialog');
    await dialog.getByRole('button', { name: 'Save the rule' }).click();
    await expect.element(dialog.getByRole('alert')).toHaveTextContent('Your account may not do that.');
    await userEvent.keyboard('{Escape}');
    await expect.element(screen.getByRole('dialog')).not.toBeInTheDocument();
  });

  it('deletes a rule', async () => {
    const { props, screen: rendering } = setup();
    const screen = await rendering;
    await screen.getByRole('button', { name: 'Delete the rule for Any (*) / Any (*) / DVD' }).click();
    expect(props.onDelete).toHaveBeenCalledWith(dvd);
  });

  it('speaks Spanish', async () => {
    const screen = await renderInDesk(
      <RulesEditor
        rules={[base]}
        branches={[]}
        categories={[]}
        itemTypes={[]}
        currency="EUR"
        locale="es-ES"
        onSave={() => Promise.resolve()}
        onDelete={() => Promise.resolve()}
      />,
      'es',
    );
    await expect.element(screen.getByRole('heading', { name: 'Reglas de circulación' })).toBeVisible();
    await expect.element(screen.getByTestId('rule-row')).toHaveTextContent('21 días');
    await expect.element(screen.getByTestId('rule-row')).toHaveTextContent('0,10 € al día');
  });
});
