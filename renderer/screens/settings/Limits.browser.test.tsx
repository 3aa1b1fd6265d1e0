import { describe, expect, it, vi } from 'vitest';
import { userEvent } from 'vitest/browser';
import { ApiError } from '../../api/client';
import { renderInDesk } from '../../components/testing';
import { LimitsEditor, type LimitsEditorProps, type PatronLimits, type ReturnPolicy } from './Limits';

const everyone: PatronLimits = { id: 'l-all', branchId: '*', categoryCode: '*', totalMaxLoans: 50, maxHolds: null };
const children: PatronLimits = { id: 'l-child', branchId: 'b1', categoryCode: 'CHILD', totalMaxLoans: 5, maxHolds: 2 };
const dvdsStay: ReturnPolicy = { id: 'p-dvd', branchId: 'b1', itemTypeCode: 'DVD', returnPolicy: 'stays' };
const floating: ReturnPolicy = { id: 'p-all', branchId: '*', itemTypeCode: '*', returnPolicy: 'holding_branch' };

function setup(over: Partial<LimitsEditorProps> = {}) {
  const props: LimitsEditorProps = {
    patronLimits: [children, everyone],
    returnPolicies: [dvdsStay, floating],
    branches: [
      { id: 'b1', code: 'MAIN', name: 'Main Street' },
      { id: 'b2', code: 'NORTH', name: 'North' },
    ],
    categories: [
      { code: 'ADULT', name: 'Adult' },
      { code: 'CHILD', name: 'Child' },
    ],
    itemTypes: [
      { code: 'BOOK', name: 'Book' },
      { code: 'DVD', name: 'DVD' },
    ],
    loadError: null,
    saveLimits: vi.fn(() => Promise.resolve()),
    saveReturnPolicy: vi.fn(() => Promise.resolve()),
    reload: vi.fn(() => Promise.resolve()),
    ...over,
  };
  return { props, screen: renderInDesk(<LimitsEditor {...props} />) };
}

describe('<LimitsEditor>: patron limits and the return policy', () => {
  it('lists both tables, the most general row first, in words', async () => {
    const { screen: rendering } = setup();
    const screen = await rendering;
    await expect.element(screen.getByRole('heading', { name: 'Patron limits' })).toBeVisible();
    await expect.element(screen.getByRole('heading', { name: 'Return policy' })).toBeVisible();
    const limits = screen.getByTestId('limit-row');
    await expect.element(limits.nth(0)).toHaveTextContent('Any (*)Any (*)50no limitEdit');
    await expect.element(limits.nth(1)).toHaveTextContent('Main StreetChild52Edit');
    const policies = screen.getByTestId('return-policy-row');
    await expect.element(policies.nth(0)).toHaveTextContent('Any (*)Any (*)To the branch that lent itEdit');
    await expect.element(policies.nth(1)).toHaveTextContent('Main StreetDVDStays where it was returnedEdit');
    await expect.element(screen.getByRole('columnheader', { name: 'Most loans' })).toBeVisible();
    await expect.element(screen.getByRole('columnheader', { name: 'Where it goes' })).toBeVisible();
  });

  it('adds limits for a category at any branch: an empty number is no limit; then the rows reload', async () => {
    const { props, screen: rendering } = setup();
    const screen = await rendering;
    await screen.getByRole('button', { name: 'Add patron limits' }).click();
    const dialog = screen.getByRole('dialog', { name: 'New patron limits' });
    await expect.element(dialog.getByLabelText('Branch')).toHaveFocus();
    await expect.element(dialog.getByLabelText('Branch')).toHaveValue('*');
    await dialog.getByLabelText('Patron category').selectOptions('Adult');
    await dialog.getByLabelText('Most loans at once, all item types').fill('20');
    await expect
      .element(dialog.getByLabelText('Most holds at once'))
      .toHaveAccessibleDescription('Leave empty for no limit.');
    await userEvent.keyboard('{Enter}');
    expect(props.saveLimits).toHaveBeenCalledWith({
      branchId: '*',
      categoryCode: 'ADULT',
      totalMaxLoans: 20,
      maxHolds: null,
    });
    await expect.element(screen.getByRole('dialog')).not.toBeInTheDocument();
    expect(props.reload).toHaveBeenCalled();
  });

  it('edits the limits of a cell, which stays the same cell', async () => {
    const { props, screen: rendering } = setup();
    const screen = await rendering;
    await screen.getByRole('button', { name: 'Edit the limits for Main Street / Child' }).click();
    const dialog = screen.getByRole('dialog', { name: 'Patron limits for Main Street / Child' });
    await expect.element(dialog.getByLabelText('Most loans at once, all item types')).toHaveFocus();
    await expect.element(dialog.getByLabelText('Most loans at once, all item types')).toHaveValue('5');
    await expect.element(dialog.getByLabelText('Branch')).not.toBeInTheDocument();
    await dialog.getByLabelText('Most loans at once, all item types').fill('');
    await dialog.getByLabelText('Most holds at once').fill('0');
    await dialog.getByRole('button', { name: 'Save the limits' }).click();
    expect(props.saveLimits).toHaveBeenCalledWith({
      branchId: 'b1',
      categoryCode: 'CHILD',
      totalMaxLoans: null,
      maxHolds: 0,
    });
  });

  it('checks both numbers before saving and says which field is wrong', async () => {
    const { props, screen: rendering } = setup();
    const screen = await rendering;
    await screen.getByRole('button', { name: 'Add patron limits' }).click();
    const dialog = screen.getByRole('dialog', { name: 'New patron limits' });
    await dialog.getByLabelText('Most loans at once, all item types').fill('five');
    await dialog.getByLabelText('Most holds at once').fill('20000');
    await dialog.getByRole('button', { name: 'Save the limits' }).click();
    await expect
      .element(dialog.getByLabelText('Most loans at once, all item types'))
      .toHaveAttribute('aria-invalid', 'true');
    await expect
      .element(dialog.getByLabelText('Most loans at once, all item types'))
      .toHaveAccessibleDescription('Leave empty for no limit. A whole number from 0 to 10000.');
    await expect
      .element(dialog.getByLabelText('Most holds at once'))
      .toHaveAccessibleDescription('Leave empty for no limit. A whole number from 0 to 10000.');
    expect(props.saveLimits).not.toHaveBeenCalled();
  });

  it('adds a return policy: DVDs returned at North stay there', async () => {
    const { props, screen: rendering } = setup();
    const screen = await rendering;
    await screen.getByRole('button', { name: 'Add a return policy' }).click();
    const dialog = screen.getByRole('dialog', { name: 'New return policy' });
    await expect.element(dialog.getByLabelText('Returned at')).toHaveFocus();
    await expect.element(dialog.getByLabelText('Where it goes')).toHaveValue('home_branch');
    await dialog.getByLabelText('Returned at').selectOptions('North');
    await dialog.getByLabelText('Item type').selectOptions('DVD');
    await dialog.getByLabelText('Where it goes').selectOptions('Stays where it was returned');
    await dialog.getByRole('button', { name: 'Save the return policy' }).click();
    expect(props.saveReturnPolicy).toHaveBeenCalledWith({ branchId: 'b2', itemTypeCode: 'DVD', returnPolicy: 'stays' });
    expect(props.reload).toHaveBeenCalled();
  });

  it('edits a return policy in its cell', async () => {
    const { props, screen: rendering } = setup();
    const screen = await rendering;
    await screen.getByRole('button', { name: 'Edit the return policy for Any (*) / Any (*)' }).click();
    const dialog = screen.getByRole('dialog', { name: 'Return policy for Any (*) / Any (*)' });
    await expect.element(dialog.getByLabelText('Where it goes')).toHaveFocus();
    await expect.element(dialog.getByLabelText('Where it goes')).toHaveValue('holding_branch');
    await dialog.getByLabelText('Where it goes').selectOptions('home_branch');
    await dialog.getByRole('button', { name: 'Save the return policy' }).click();
    expect(props.saveReturnPolicy).toHaveBeenCalledWith({
      branchId: '*',
      itemTypeCode: '*',
      returnPolicy: 'home_branch',
    });
  });

  it("shows the station's refusal inside the dialog, and Escape cancels", async () => {
    const refuse = vi.fn(() => Promise.reject(new ApiError({ code: 'FORBIDDEN', message: 'no' })));
    const { props, screen: rendering } = setup({ saveReturnPolicy: refuse });
    const screen = await rendering;
    await screen.getByRole('button', { name: 'Edit the return policy for Main Street / DVD' }).click();
    const dialog = screen.getByRole('dialog');
    await dialog.getByRole('button', { name: 'Save the return policy' }).click();
    await expect.element(dialog.getByRole('alert')).toHaveTextContent('Your account may not do that.');
    expect(props.reload).not.toHaveBeenCalled();
    await userEvent.keyboard('{Escape}');
    await expect.element(screen.getByRole('dialog')).not.toBeInTheDocument();
    await expect
      .element(screen.getByRole('button', { name: 'Edit the return policy for Main Street / DVD' }))
      .toHaveFocus();
  });

  it('shows a load error, and no tables until the rows arrive', async () => {
    const { screen: rendering } = setup({
      patronLimits: null,
      returnPolicies: null,
      loadError: { code: 'NETWORK', message: 'down' },
    });
    const screen = await rendering;
    await expect.element(screen.getByRole('alert')).toHaveTextContent('The station does not answer.');
    expect(screen.getByRole('table').elements()).toHaveLength(0);
  });

  it('speaks Spanish', async () => {
    const screen = await renderInDesk(
      <LimitsEditor
        patronLimits={[everyone]}
        returnPolicies={[dvdsStay]}
        branches={[{ id: 'b1', code: 'MAYOR', name: 'Calle Mayor' }]}
        categories={[]}
        itemTypes={[]}
        loadError={null}
        saveLimits={() => Promise.resolve()}
        saveReturnPolicy={() => Promise.resolve()}
        reload={() => Promise.resolve()}
      />,
      'es',
    );
    await expect.element(screen.getByRole('heading', { name: 'Límites por lector' })).toBeVisible();
    await expect
      .element(screen.getByTestId('limit-row'))
      .toHaveTextContent('Cualquiera (*)Cualquiera (*)50sin límiteEditar');
    await expect
      .element(screen.getByTestId('return-policy-row'))
      .toHaveTextContent('Calle MayorDVDSe queda donde se devolvióEditar');
    await screen.getByRole('button', { name: 'Añadir una política de devolución' }).click();
    await expect
      .element(screen.getByRole('dialog', { name: 'Nueva política de devolución' }).getByLabelText('Adónde va'))
      .toBeVisible();
  });
});
