// Every modal dialog of the desk, on React Aria (react-aria-components): focus moves into it and
// stays there, the rest of the desk is hidden from assistive technology and cannot be scrolled,
// Escape cancels it, and when it goes the focus returns to where it was (usually the button that
// opened it). A field inside with autoFocus gets the focus; otherwise the dialog itself has it.
import { Dialog as AriaDialog, Heading, Modal, ModalOverlay } from 'react-aria-components';
import type { ReactNode } from 'react';

/** Is a modal dialog open on the page? (A scan or a shortcut meant for the screen then waits.) */
export function isDialogOpen(): boolean {
  return (
    typeof document !== 'undefined' &&
    document.querySelector('[role="dialog"], [role="alertdialog"], dialog[open]') !== null
  );
}

export function Dialog({ title, onCancel, children }: { title: string; onCancel(): void; children: ReactNode }) {
  return (
    <ModalOverlay
      className="modal-overlay"
      isOpen
      isKeyboardDismissDisabled={false}
      onOpenChange={(open) => (open ? undefined : onCancel())}
    >
      <Modal className="modal dialog">
        <AriaDialog className="dialog-body">
          <Heading slot="title" level={2}>
            {title}
          </Heading>
          {children}
        </AriaDialog>
      </Modal>
    </ModalOverlay>
  );
}
