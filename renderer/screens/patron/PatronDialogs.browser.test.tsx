import { describe, expect, it, vi } from 'vitest';
import { userEvent } from 'vitest/browser';
import { renderInDesk } from '../../components/testing';
import { useScans } from '../../state/scans';
import { AddBlockDialog } from './Blocks';
import { ReplaceCardDialog, SetPinDialog } from './CardDialogs';

describe("a patron's card, PIN and blocks", () => {
  it("checks a replacement card against the library's barcode rules (a misread check digit)", async () => {
    const onSave = vi.fn((_card: string) => Promise.resolve());
    const screen = await renderInDesk(<ReplaceCardDialog onSave={onSave} onCancel={vi.fn()} />);
    await expect.element(screen.getByLabelText('New card barcode')).toHaveFocus();
    await userEvent.keyboard('20234000000018{Enter}');
    await expect.element(screen.getByLabelText('New card barcode')).toHaveAccessibleDescription('The check digit is wrong: a misread or a typing mistake?');
    await screen.getByLabelText('New card barcode').fill('30234000000012');
    await userEvent.keyboard('{Enter}');
    await expect.element(screen.getByLabelText('New card barcode')).toHaveAccessibleDescription("This card barcode does not start as the library's cards do.");
    expect(onSave).not.toHaveBeenCalled();
    await screen.getByLabelText('New card barcode').fill('20234000000019');
    await userEvent.keyboard('{Enter}');
    expect(onSave).toHaveBeenCalledWith('20234000000019');
  });

  it('takes the new card from a scan', async () => {
    const onSave = vi.fn((_card: string) => Promise.resolve());
    const screen = await renderInDesk(<ReplaceCardDialog onSave={onSave} onCancel={vi.fn()} />);
    useScans.getState().push({ barcode: '20234000000027', kind: 'patron', source: 'device' });
    await expect.element(screen.getByLabelText('New card barcode')).toHaveValue('20234000000027');
    await userEvent.keyboard('{Enter}');
    expect(onSave).toHaveBeenCalledWith('20234000000027');
  });

  it('takes a PIN of 4 to 8 digits, typed the same twice', async () => {
    const onSave = vi.fn((_pin: string) => Promise.resolve());
    const screen = await renderInDesk(<SetPinDialog onSave={onSave} onCancel={vi.fn()} />);
    await screen.getByLabelText('Self-checkout PIN (4 to 8 digits)').fill('12a4');
    await screen.getByRole('button', { name: 'Save the PIN' }).click();
    await expect.element(screen.getByLabelText('Self-checkout PIN (4 to 8 digits)')).toHaveAccessibleDescription('4 to 8 digits.');
    await screen.getByLabelText('Self-checkout PIN (4 to 8 digits)').fill('2468');
    await screen.getByLabelText('Type the PIN again').fill('2469');
    await screen.getByRole('button', { name: 'Save the PIN' }).click();
    await expect.element(screen.getByLabelText('Type the PIN again')).toHaveAccessibleDescription('The two PINs differ.');
    await screen.getByLabelText('Type the PIN again').fill('2468');
    await screen.getByRole('button', { name: 'Save the PIN' }).click();
    expect(onSave).toHaveBeenCalledWith('2468');
  });

  it('adds a block with a reason and an end date from the date field; Escape cancels', async () => {
    const onSave = vi.fn((_block: unknown) => Promise.resolve());
    const onCancel = vi.fn();
    const screen = await renderInDesk(<AddBlockDialog onSave={onSave} onCancel={onCancel} />);
    await screen.getByRole('button', { name: 'Add the block' }).click();
    await expect.element(screen.getByLabelText('Reason')).toHaveAccessibleDescription('Please fill this in.');
    await screen.getByLabelText('Kind of block').selectOptions('Barred');
    await screen.getByLabelText('Reason').fill('Abusive to staff');
    await screen.getByLabelText('Blocked until').fill('2027-03-01');
    await screen.getByRole('button', { name: 'Add the block' }).click();
    expect(onSave).toHaveBeenCalledWith({ kind: 'barred', reason: 'Abusive to staff', until: '2027-03-01' });
    await userEvent.keyboard('{Escape}');
    expect(onCancel).toHaveBeenCalled();
  });
});
