// The desk's keyboard shortcuts, in one table: the navigation tabs show them, the help overlay
// (`?`) lists them and docs/circulation.md ("Keyboard") documents them.
//
// Screens go with Alt and a letter, as in Koha's staff interface (Alt+U check out, Alt+R check in,
// Alt+W renew, Alt+Q catalogue, Alt+Y patrons). Letters the browsers keep for themselves are
// avoided: Alt+D (address bar), Alt+F and Alt+E (the browser menu), and Firefox's menu letters
// (F, E, V, S, B, T, H); so are Alt+digits (they switch browser tabs on Linux) and F1, F3, F5,
// F6, F7, F10, F11 and F12. F2 puts the cursor in the screen's barcode field. Keys are matched by
// their physical position (KeyboardEvent.code), so they work on every keyboard layout and with
// macOS's Option key, which types a letter of its own.

export type ScreenId =
  | 'checkout'
  | 'checkin'
  | 'renew'
  | 'holds'
  | 'patrons'
  | 'catalogue'
  | 'shelf'
  | 'ill'
  | 'reports'
  | 'devices'
  | 'settings';

/** Alt + this letter opens the screen. */
export const SCREEN_KEYS: Record<ScreenId, string> = {
  checkout: 'U',
  checkin: 'R',
  renew: 'W',
  holds: 'O',
  patrons: 'Y',
  catalogue: 'Q',
  // iNventory: shelf reading (L is interlibrary loan's).
  shelf: 'N',
  reports: 'J',
  ill: 'L',
  devices: 'I',
  settings: 'G',
};

/** The key that moves the cursor into the current screen's barcode field. */
export const BARCODE_KEY = 'F2';
/** The key that opens the list of shortcuts (when the cursor is not in a text field). */
export const HELP_KEY = '?';

/** As a person reads it, e.g. "Alt+U"; the same text goes in aria-keyshortcuts. */
export const screenShortcut = (screen: ScreenId): string => `Alt+${SCREEN_KEYS[screen]}`;

type KeyFacts = Pick<KeyboardEvent, 'key' | 'code' | 'altKey' | 'ctrlKey' | 'metaKey' | 'shiftKey'>;

/** The screen this key press asks for, if any. */
export function screenForKey(e: KeyFacts, screens: readonly ScreenId[]): ScreenId | null {
  if (!e.altKey || e.ctrlKey || e.metaKey || e.shiftKey) return null;
  const letter = /^Key([A-Z])$/.exec(e.code)?.[1];
  if (!letter) return null;
  return screens.find((s) => SCREEN_KEYS[s] === letter) ?? null;
}

export const isBarcodeKey = (e: KeyFacts): boolean =>
  e.key === BARCODE_KEY && !e.altKey && !e.ctrlKey && !e.metaKey && !e.shiftKey;

/** Is the cursor where `?` is text to type (a text field, a text area, an editable element)? */
export function typesText(target: EventTarget | null): boolean {
  if (typeof HTMLElement === 'undefined' || !(target instanceof HTMLElement)) return false;
  if (target.isContentEditable || target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement)
    return true;
  if (!(target instanceof HTMLInputElement)) return false;
  return !['checkbox', 'radio', 'button', 'submit', 'reset', 'range', 'color', 'file', 'image'].includes(target.type);
}

export const isHelpKey = (e: KeyFacts, target: EventTarget | null): boolean =>
  e.key === HELP_KEY && !e.altKey && !e.ctrlKey && !e.metaKey && !typesText(target);

/**
 * The current screen's barcode field: one marked `data-barcode-field`, else the item barcode, else
 * any barcode field (a patron's card), else the screen's search box.
 */
export function findBarcodeField(root: ParentNode = document): HTMLInputElement | null {
  const selectors = [
    '[data-barcode-field]',
    'input[name="itemBarcode"]',
    'input[name$="Barcode"]',
    'input[name$="barcode"]',
    'input[type="search"]',
  ];
  for (const selector of selectors) {
    for (const el of root.querySelectorAll<HTMLInputElement>(`main ${selector}`)) {
      if (!el.disabled && el.getClientRects().length > 0) return el;
    }
  }
  return null;
}
