// A modal that stops the desk until staff answer it (React Aria's Modal and Dialog): focus moves
// in and stays, the rest of the page is inert, and it is announced as an alert dialog. Escape
// and a click outside do nothing when `mustAnswer`: staff must press one of its buttons.
import type { ReactNode } from 'react';
import { Dialog, Heading, Modal, ModalOverlay } from 'react-aria-components';

export function AlertModal({
  title,
  tone = 'info',
  mustAnswer = true,
  onDismiss,
  children,
  testId,
}: {
  title: string;
  tone?: 'info' | 'hold' | 'warning';
  mustAnswer?: boolean;
  /** Escape (when it may be dismissed). */
  onDismiss?(): void;
  children: ReactNode;
  testId?: string;
}) {
  return (
    <ModalOverlay
      className="modal-overlay"
      isOpen
      isDismissable={false}
      isKeyboardDismissDisabled={mustAnswer}
      onOpenChange={(open) => {
        if (!open) onDismiss?.();
      }}
    >
      <Modal className={`modal modal-${tone}`}>
        <Dialog role="alertdialog" className="modal-dialog" data-testid={testId}>
          <Heading slot="title">{title}</Heading>
          {children}
        </Dialog>
      </Modal>
    </ModalOverlay>
  );
}
