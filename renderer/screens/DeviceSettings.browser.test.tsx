import { I18nextProvider } from 'react-i18next';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { userEvent } from 'vitest/browser';
import type { ApiInput, ApiOutput, StationEvent } from '../../src/api/contract';
import { DevicesConfig } from '../../src/api/devices-config';
import { client } from '../api/client';
import { renderInDesk } from '../components/testing';
import { i18n } from '../i18n';
import { Devices } from './DeviceSettings';

type Config = ApiOutput<'devices.get'>['config'];
const EMPTY: Config = DevicesConfig.parse({
  slips: { libraryName: 'Springfield', header: '', footer: 'Open 9-5', cardDigits: 4, language: 'en' },
  wedge: { maxGapMs: 90 },
});

/** A station that keeps what devices.configure is sent (checked by the API schema, as the station does) and hands it back. */
function station(start: Config = EMPTY) {
  let config = start;
  const configure = vi.fn((input: ApiInput<'devices.configure'>) => {
    config = DevicesConfig.parse(input);
    return config;
  });
  vi.spyOn(client, 'call').mockImplementation((async (name: string, input: unknown) => {
    if (name === 'devices.get') return { config, states: [], jobs: [] };
    if (name === 'devices.preview') return { columns: 48, lines: ['SPRINGFIELD'] };
    if (name === 'devices.configure') return configure(input as ApiInput<'devices.configure'>);
    throw new Error(name);
  }) as typeof client.call);
  vi.spyOn(client, 'subscribe').mockImplementation(() => () => undefined);
  return { configure, saved: () => config };
}

describe('Devices › the device settings form', () => {
  afterEach(async () => {
    vi.restoreAllMocks();
    await i18n.changeLanguage('en');
  });

  it('adds a serial scanner and a network printer, saves them, and shows them again as saved', async () => {
    const s = station();
    const screen = await renderInDesk(<Devices />);
    await expect
      .element(screen.getByText('No serial or USB scanner is set up. Keyboard (wedge) scanners need no setting here.'))
      .toBeVisible();

    await screen.getByRole('button', { name: 'Add a scanner' }).click();
    const scanner = screen.getByRole('group', { name: 'Scanner 1' });
    // The new scanner's first field has the focus.
    await expect.element(scanner.getByLabelText('Kind of scanner')).toHaveFocus();
    await scanner.getByLabelText('Name', { exact: true }).fill('desk-scanner');
    await scanner.getByLabelText('Serial port').fill('/dev/ttyACM0');
    await scanner.getByLabelText('Baud rate').fill('19200');
    await scanner.getByLabelText('Parity').selectOptions('even');
    await scanner.getByLabelText('Data bits').selectOptions('7');
    await scanner.getByLabelText('End of each barcode').selectOptions('CRLF');

    await screen.getByRole('button', { name: 'Add a receipt printer' }).click();
    const printer = screen.getByRole('group', { name: 'Printer 1' });
    await printer.getByLabelText('Name', { exact: true }).fill('receipts');
    await expect.element(printer.getByLabelText('Connection')).toHaveValue('tcp');
    await printer.getByLabelText('Address').fill('10.0.0.7');
    await expect.element(printer.getByLabelText('Port', { exact: true })).toHaveValue('9100');
    await printer.getByLabelText('Code page').selectOptions('cp858');
    await printer.getByLabelText('A cash drawer is connected to this printer').click();

    await screen.getByLabelText('Footer lines').fill('Open 9 to 8');
    await screen.getByLabelText('Card digits shown').fill('3');
    await screen.getByLabelText('Language of receipts').selectOptions('es');
    await screen.getByRole('button', { name: 'Save device settings' }).click();

    await expect.element(screen.getByRole('status').filter({ hasText: 'Saved. Devices restarted.' })).toBeVisible();
    expect(s.configure).toHaveBeenCalledTimes(1);
    expect(s.configure.mock.calls[0]![0]).toEqual({
      scanners: [
        {
          kind: 'serial',
          id: 'desk-scanner',
          path: '/dev/ttyACM0',
          baudRate: 19200,
          dataBits: 7,
          parity: 'even',
          stopBits: 1,
          suffix: 'CRLF',
        },
      ],
      printers: [
        {
          id: 'receipts',
          connection: { kind: 'tcp', host: '10.0.0.7', port: 9100 },
          columns: 48,
          paperWidth: 80,
          codePage: 'cp858',
          model: 'epson-tm-t88vi',
          cashDrawer: true,
        },
      ],
      slips: { libraryName: 'Springfield', header: '', footer: 'Open 9 to 8', cardDigits: 3, language: 'es' },
      // Not on this form (Settings › Library): kept as it was.
      wedge: { maxGapMs: 90 },
    });

    // Opened again, the screen shows what was saved.
    await screen.rerender(
      <I18nextProvider i18n={i18n}>
        <Devices key="opened again" />
      </I18nextProvider>,
    );
    const again = screen;
    const scannerAgain = again.getByRole('group', { name: 'Scanner 1' });
    await expect.element(scannerAgain.getByLabelText('Serial port')).toHaveValue('/dev/ttyACM0');
    await expect.element(scannerAgain.getByLabelText('Baud rate')).toHaveValue('19200');
    await expect.element(scannerAgain.getByLabelText('Data bits')).toHaveValue('7');
    await expect.element(scannerAgain.getByLabelText('Parity')).toHaveValue('even');
    await expect.element(scannerAgain.getByLabelText('End of each barcode')).toHaveValue('CRLF');
    const printerAgain = again.getByRole('group', { name: 'Printer 1' });
    await expect.element(printerAgain.getByLabelText('Address')).toHaveValue('10.0.0.7');
    await expect.element(printerAgain.getByLabelText('Code page')).toHaveValue('cp858');
    await expect.element(printerAgain.getByLabelText('A cash drawer is connected to this printer')).toBeChecked();
    await expect.element(again.getByLabelText('Footer lines')).toHaveValue('Open 9 to 8');
    await expect.element(again.getByLabelText('Language of receipts')).toHaveValue('es');
    // Saving it unchanged sends the same settings.
    await again.getByRole('button', { name: 'Save device settings' }).click();
    await expect.poll(() => s.configure.mock.calls.length).toBe(2);
    expect(s.configure.mock.calls[1]![0]).toEqual(s.configure.mock.calls[0]![0]);
  });

  it('shows an invalid port next to the port, focuses it, and saves nothing', async () => {
    const s = station();
    const screen = await renderInDesk(<Devices />);
    await screen.getByRole('button', { name: 'Add a receipt printer' }).click();
    const printer = screen.getByRole('group', { name: 'Printer 1' });
    await printer.getByLabelText('Address').fill('10.0.0.7');
    await printer.getByLabelText('Port', { exact: true }).fill('99999');
    await screen.getByRole('button', { name: 'Save device settings' }).click();
    const port = printer.getByLabelText('Port', { exact: true });
    await expect.element(port).toHaveAccessibleDescription(/At most 65535\./);
    await expect.element(port).toHaveAttribute('aria-invalid', 'true');
    await expect.element(port).toHaveFocus();
    await expect
      .element(screen.getByRole('alert'))
      .toHaveTextContent('Nothing was saved: please correct the marked fields.');

    await port.fill('91OO');
    await screen.getByRole('button', { name: 'Save device settings' }).click();
    await expect.element(port).toHaveAccessibleDescription(/A whole number, please\./);
    await printer.getByLabelText('Address').fill('');
    await port.fill('9100');
    await screen.getByRole('button', { name: 'Save device settings' }).click();
    await expect.element(printer.getByLabelText('Address')).toHaveAccessibleDescription(/Please fill this in\./);
    expect(s.configure).not.toHaveBeenCalled();
  });

  it('refuses 58 mm paper with 48 characters per line, saying what fits', async () => {
    const s = station();
    const screen = await renderInDesk(<Devices />);
    await screen.getByRole('button', { name: 'Add a receipt printer' }).click();
    const printer = screen.getByRole('group', { name: 'Printer 1' });
    await printer.getByLabelText('Connection').selectOptions('usb-file');
    await printer.getByLabelText('Device file').fill('/dev/usb/lp0');
    await printer.getByLabelText('Paper width').selectOptions('58');
    await screen.getByRole('button', { name: 'Save device settings' }).click();
    await expect
      .element(printer.getByLabelText('Characters per line'))
      .toHaveAccessibleDescription(
        /58 mm paper takes 32 characters per line, not 48\. Change the paper width or the characters per line\./,
      );
    expect(s.configure).not.toHaveBeenCalled();
    // 80 mm takes 42 or 48.
    await printer.getByLabelText('Paper width').selectOptions('80');
    await printer.getByLabelText('Characters per line').selectOptions('32');
    await screen.getByRole('button', { name: 'Save device settings' }).click();
    await expect
      .element(printer.getByLabelText('Characters per line'))
      .toHaveAccessibleDescription(/80 mm paper takes 42 or 48 characters per line, not 32\./);
    await printer.getByLabelText('Characters per line').selectOptions('42');
    await screen.getByRole('button', { name: 'Save device settings' }).click();
    await expect.poll(() => s.configure.mock.calls.length).toBe(1);
    expect(s.saved().printers[0]).toMatchObject({
      connection: { kind: 'usb-file', path: '/dev/usb/lp0' },
      paperWidth: 80,
      columns: 42,
    });
  });

  it('takes USB ids in hexadecimal, names a HID scanner that cannot be found, and a name used twice', async () => {
    const s = station();
    const screen = await renderInDesk(<Devices />);
    await screen.getByRole('button', { name: 'Add a scanner' }).click();
    const scanner = screen.getByRole('group', { name: 'Scanner 1' });
    await scanner.getByLabelText('Kind of scanner').selectOptions('hid');
    await scanner.getByLabelText('Name', { exact: true }).fill('usb-scanner');
    await scanner.getByLabelText('Vendor id').fill('0x05e0');
    await screen.getByRole('button', { name: 'Save device settings' }).click();
    await expect.element(scanner).toHaveTextContent('Give both the vendor id and the product id, or the device path.');
    await scanner.getByLabelText('Product id').fill('zz');
    await screen.getByRole('button', { name: 'Save device settings' }).click();
    await expect
      .element(scanner.getByLabelText('Product id'))
      .toHaveAccessibleDescription(/A hexadecimal id of up to four digits/);
    await scanner.getByLabelText('Product id').fill('1200');
    await screen.getByRole('button', { name: 'Add a receipt printer' }).click();
    const printer = screen.getByRole('group', { name: 'Printer 1' });
    await printer.getByLabelText('Name', { exact: true }).fill('usb-scanner');
    await printer.getByLabelText('Address').fill('printer.local');
    await screen.getByRole('button', { name: 'Save device settings' }).click();
    await expect
      .element(printer.getByLabelText('Name', { exact: true }))
      .toHaveAccessibleDescription(/Another device is already named "usb-scanner"/);
    expect(s.configure).not.toHaveBeenCalled();

    await printer.getByLabelText('Name', { exact: true }).fill('receipts');
    await screen.getByRole('button', { name: 'Save device settings' }).click();
    await expect.poll(() => s.configure.mock.calls.length).toBe(1);
    expect(s.saved().scanners).toEqual([{ kind: 'hid', id: 'usb-scanner', vendorId: 0x05e0, productId: 0x1200 }]);
    // Shown again as lsusb writes them.
    await screen.rerender(
      <I18nextProvider i18n={i18n}>
        <Devices key="opened again" />
      </I18nextProvider>,
    );
    const again = screen;
    await expect.element(again.getByLabelText('Vendor id')).toHaveValue('0x05e0');
    await expect.element(again.getByLabelText('Product id')).toHaveValue('0x1200');
  });

  it('removes a device, and works from the keyboard alone', async () => {
    const s = station(
      DevicesConfig.parse({ ...EMPTY, printers: [{ id: 'receipts', connection: { kind: 'tcp', host: '10.0.0.7' } }] }),
    );
    const screen = await renderInDesk(<Devices />);
    await expect
      .element(screen.getByRole('group', { name: 'Printer 1' }).getByLabelText('Address'))
      .toHaveValue('10.0.0.7');
    await screen.getByRole('button', { name: 'Remove printer 1' }).click();
    await expect
      .element(screen.getByText('No receipt printer is set up: receipts go to the system printer.'))
      .toBeVisible();
    await expect.element(screen.getByRole('button', { name: 'Add a receipt printer' })).toHaveFocus();
    // Enter on "Add a scanner", type, Tab through, Enter in a field saves.
    screen.getByRole('button', { name: 'Add a scanner' }).element().focus();
    await userEvent.keyboard('{Enter}');
    const scanner = screen.getByRole('group', { name: 'Scanner 1' });
    await expect.element(scanner.getByLabelText('Kind of scanner')).toHaveFocus();
    await userEvent.tab();
    await expect.element(scanner.getByLabelText('Name', { exact: true })).toHaveFocus();
    await userEvent.keyboard('{Control>}a{/Control}front-desk');
    await userEvent.tab();
    await userEvent.keyboard('/dev/ttyUSB0{Enter}');
    await expect.poll(() => s.configure.mock.calls.length).toBe(1);
    expect(s.saved().printers).toEqual([]);
    expect(s.saved().scanners).toEqual([
      {
        kind: 'serial',
        id: 'front-desk',
        path: '/dev/ttyUSB0',
        baudRate: 9600,
        dataBits: 8,
        parity: 'none',
        stopBits: 1,
        suffix: 'CR',
      },
    ]);
  });

  it("updates a device's state when the station says it changed, and keeps what is being typed", async () => {
    let status = 'disconnected';
    let hear: (e: StationEvent) => void = () => undefined;
    const config = DevicesConfig.parse({
      ...EMPTY,
      printers: [{ id: 'receipts', connection: { kind: 'tcp', host: '10.0.0.7' } }],
    });
    vi.spyOn(client, 'call').mockImplementation((async (name: string) => {
      if (name === 'devices.get')
        return { config, states: [{ id: 'receipts', kind: 'printer', status, reason: null }], jobs: [] };
      if (name === 'devices.preview') return { columns: 48, lines: [] };
      throw new Error(name);
    }) as typeof client.call);
    vi.spyOn(client, 'subscribe').mockImplementation((listener) => {
      hear = listener;
      return () => undefined;
    });
    const screen = await renderInDesk(<Devices />);
    await expect.element(screen.getByTestId('device-row')).toHaveTextContent('receiptsPrinterdisconnected');
    await screen.getByRole('group', { name: 'Printer 1' }).getByLabelText('Address').fill('10.0.0.8');
    status = 'connected';
    hear({ type: 'device', deviceId: 'receipts', state: { status } });
    await expect.element(screen.getByTestId('device-row')).toHaveTextContent('receiptsPrinterconnected');
    await expect
      .element(screen.getByRole('group', { name: 'Printer 1' }).getByLabelText('Address'))
      .toHaveValue('10.0.0.8');
  });

  it('speaks Spanish: labels and the errors', async () => {
    station();
    const screen = await renderInDesk(<Devices />, 'es');
    await screen.getByRole('button', { name: 'Añadir una impresora de tiques' }).click();
    const printer = screen.getByRole('group', { name: 'Impresora 1' });
    await printer.getByLabelText('Dirección').fill('10.0.0.7');
    await printer.getByLabelText('Puerto', { exact: true }).fill('0');
    await printer.getByLabelText('Ancho del papel').selectOptions('58');
    await screen.getByRole('button', { name: 'Guardar configuración' }).click();
    await expect
      .element(printer.getByLabelText('Puerto', { exact: true }))
      .toHaveAccessibleDescription(/Como mínimo 1\./);
    await expect
      .element(printer.getByLabelText('Caracteres por línea'))
      .toHaveAccessibleDescription(/El papel de 58 mm admite 32 caracteres por línea, no 48\./);
    await expect.element(screen.getByRole('heading', { name: 'Recibos' })).toBeVisible();
  });
});
