// The list of keyboard shortcuts, opened with `?` or the header's button: a modal dialog (React
// Aria: focus moves in and stays, Escape or Close closes it, focus goes back where it was).
import { Button, Dialog, Heading, Modal, ModalOverlay } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { BARCODE_KEY, HELP_KEY, screenShortcut, type ScreenId } from './shortcuts';

export function KeyboardHelp({
  open,
  onClose,
  screens,
}: {
  open: boolean;
  onClose(): void;
  screens: readonly ScreenId[];
}) {
  const { t } = useTranslation();
  const rows: [string, string][] = [
    ...screens.map((s): [string, string] => [screenShortcut(s), t('shell.keyboard.screen', { screen: t(`nav.${s}`) })]),
    [BARCODE_KEY, t('shell.keyboard.barcode')],
    ['Enter', t('shell.keyboard.enter')],
    ['Tab', t('shell.keyboard.tab')],
    ['Esc', t('shell.keyboard.escape')],
    [HELP_KEY, t('shell.keyboard.help')],
  ];
  return (
    <ModalOverlay
      className="modal-overlay"
      isOpen={open}
      onOpenChange={(isOpen) => (isOpen ? undefined : onClose())}
      isDismissable
    >
      <Modal className="modal">
        <Dialog className="dialog-body keyboard-help">
          <Heading slot="title">{t('shell.keyboard.title')}</Heading>
          <p>{t('shell.keyboard.intro')}</p>
          <table className="data-table">
            <thead>
              <tr>
                <th scope="col">{t('shell.keyboard.key')}</th>
                <th scope="col">{t('shell.keyboard.action')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map(([keys, action]) => (
                <tr key={keys}>
                  <td>
                    <kbd>{keys}</kbd>
                  </td>
                  <td>{action}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <div className="form-buttons">
            <Button className="button primary" slot="close" autoFocus>
              {t('shell.keyboard.close')}
            </Button>
          </div>
        </Dialog>
      </Modal>
    </ModalOverlay>
  );
}
