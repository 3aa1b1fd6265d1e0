import { Suspense, lazy, useCallback, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { LANGUAGES, type Language } from '../src/i18n';
import { client } from './api/client';
import { isDialogShortcut, isKioskWindow } from './kioskMode';
import { isDialogOpen } from './components/Dialog';
import { StatusBar } from './components/StatusBar';
import { KeyboardHelp } from './components/ui/KeyboardHelp';
import {
  HELP_KEY,
  findBarcodeField,
  isBarcodeKey,
  isHelpKey,
  screenForKey,
  screenShortcut,
  type ScreenId,
} from './components/ui/shortcuts';
import { THEMES, applyTheme, readTheme, useTheme, type Theme } from './components/ui/theme';
import { useWedgeScanner } from './scanner/useWedgeScanner';
import { Checkin } from './screens/Checkin';
import { Checkout } from './screens/Checkout';
import { Renew } from './screens/Renew';
import { SignIn } from './screens/SignIn';
import { mayUseSettings } from './screens/settings/access';
import { restoreStaffSession, useSession } from './state/session';

// The desk's first load is what a technician needs at once: sign-in and the three circulation
// screens. The rest (and the kiosk, set-up, settings) load the first time they are opened, each
// a chunk of its own, so the first load stays small (#17: the one bundle was over 500 kB).
const Kiosk = lazy(() => import('./screens/Kiosk').then((m) => ({ default: m.Kiosk })));
const Setup = lazy(() => import('./screens/Setup').then((m) => ({ default: m.Setup })));
const LoadingLibrary = lazy(() => import('./screens/Setup').then((m) => ({ default: m.LoadingLibrary })));
const Patrons = lazy(() => import('./screens/Patrons').then((m) => ({ default: m.Patrons })));
const Holds = lazy(() => import('./screens/Holds').then((m) => ({ default: m.Holds })));
const Catalogue = lazy(() => import('./screens/Catalogue').then((m) => ({ default: m.Catalogue })));
const Shelf = lazy(() => import('./screens/Shelf').then((m) => ({ default: m.Shelf })));
const Reports = lazy(() => import('./screens/Reports').then((m) => ({ default: m.Reports })));
const Settings = lazy(() => import('./screens/settings/Settings').then((m) => ({ default: m.Settings })));
const Ill = lazy(() => import('./screens/Ill').then((m) => ({ default: m.Ill })));
const Devices = lazy(() => import('./screens/DeviceSettings').then((m) => ({ default: m.Devices })));

type Screen = ScreenId;
const SCREENS: Screen[] = [
  'checkout',
  'checkin',
  'renew',
  'holds',
  'patrons',
  'catalogue',
  'shelf',
  'ill',
  'reports',
  'devices',
];

// The theme is on <html> before the first paint, so a dark desk never flashes white.
applyTheme(readTheme());

/**
 * The desk's own keys (renderer/components/ui/shortcuts.ts): Alt+letter to a screen, F2 into its
 * barcode field, `?` for the list. None while a dialog is open: its keys are its own.
 */
function useDeskShortcuts(
  screens: readonly Screen[],
  open: (screen: Screen) => void,
  showHelp: () => void,
  active: boolean,
) {
  useEffect(() => {
    if (!active) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || isDialogOpen()) return;
      const screen = screenForKey(e, screens);
      if (screen) {
        e.preventDefault();
        open(screen);
        return;
      }
      if (isBarcodeKey(e)) {
        const field = findBarcodeField();
        if (!field) return;
        e.preventDefault();
        field.focus();
        field.select();
        return;
      }
      if (isHelpKey(e, e.target)) {
        e.preventDefault();
        showHelp();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [screens, open, showHelp, active]);
}

/**
 * The kiosk's own guards, in the page: no staff session carries on into it (a desk that turned
 * into the kiosk in the same window signs its staff out), and the keys that would open a system
 * print, save or open-file dialog do nothing.
 */
function useKioskGuards(kiosk: boolean) {
  const staff = useSession((s) => s.staff);
  const signedOut = useSession((s) => s.signedOut);
  useEffect(() => {
    if (!kiosk || !staff) return;
    void client.call('auth.signOut', {}).catch(() => undefined);
    client.setToken(null);
    signedOut();
    // Only when the window becomes the kiosk (not on `staff`): staff who sign in to leave it stay signed in.
  }, [kiosk]);
  useEffect(() => {
    if (!kiosk) return;
    const onKey = (e: KeyboardEvent) => {
      if (isDialogShortcut(e)) e.preventDefault();
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, [kiosk]);
}

function ThemeSwitch() {
  const { t } = useTranslation();
  const [theme, setTheme] = useTheme();
  return (
    <label className="language theme-switch">
      {t('shell.theme')}{' '}
      <select value={theme} onChange={(e) => setTheme(e.target.value as Theme)}>
        {THEMES.map((name) => (
          <option key={name} value={name}>
            {t(`shell.themes.${name}`)}
          </option>
        ))}
      </select>
    </label>
  );
}

function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  return (
    <label className="language language-switch">
      {t('app.language')}{' '}
      <select value={i18n.language.slice(0, 2)} onChange={(e) => void i18n.changeLanguage(e.target.value as Language)}>
        {Object.entries(LANGUAGES).map(([code, name]) => (
          <option key={code} value={code} lang={code}>
            {name}
          </option>
        ))}
      </select>
    </label>
  );
}

export function App() {
  const { t } = useTranslation();
  const { setup, setSetup, staff, signedOut, permissions } = useSession();
  const [screen, setScreen] = useState<Screen>('checkout');
  /** A patron another screen linked to (a sync exception's borrower), opened on the patrons screen. */
  const [openCard, setOpenCard] = useState<string | null>(null);
  const openPatron = (card: string) => {
    setOpenCard(card);
    setScreen('patrons');
  };
  /** A copy another screen linked to (a sync exception's copy), looked up by barcode in the catalogue. */
  const [openCopy, setOpenCopy] = useState<string | null>(null);
  const openCopyAt = (barcode: string) => {
    setOpenCopy(barcode);
    setScreen('catalogue');
  };
  /** The status bar's exceptions button opens Reports at the exceptions (a new number each time, so a second click finds them again). */
  const [exceptionsAsked, setExceptionsAsked] = useState(0);
  /** A catalogue search that found nothing, carried to a new interlibrary loan request. */
  const [illDraft, setIllDraft] = useState<string | null>(null);
  const requestIll = (query: string) => {
    setIllDraft(query);
    setScreen('ill');
  };
  const [location, setLocation] = useState(window.location.href);
  useEffect(() => {
    const onPop = () => setLocation(window.location.href);
    window.addEventListener('popstate', onPop);
    window.addEventListener('hashchange', onPop);
    return () => {
      window.removeEventListener('popstate', onPop);
      window.removeEventListener('hashchange', onPop);
    };
  }, []);
  const url = new URL(location);
  const kiosk = isKioskWindow(url);
  useWedgeScanner();
  useKioskGuards(kiosk);
  const restored = useSession((s) => s.restored);
  // Once, at start: this tab's staff session, kept over a reload (never in a kiosk window).
  useEffect(() => void restoreStaffSession(client, kiosk), []);

  const loadSetup = () => void client.call('setup.status', {}).then(setSetup);
  useEffect(loadSetup, [setSetup]);

  const screens = useMemo(
    () => (mayUseSettings(permissions) ? [...SCREENS, 'settings' as const] : SCREENS),
    [permissions],
  );
  const [helpOpen, setHelpOpen] = useState(false);
  const goTo = useCallback((s: Screen) => {
    // A tab opens its screen as it is, not at what a link last opened there.
    setOpenCard(null);
    setOpenCopy(null);
    setScreen(s);
  }, []);
  const showHelp = useCallback(() => setHelpOpen(true), []);
  const desk = !!setup && !!staff && !kiosk && setup.configured && !setup.loadingLibrary;
  useDeskShortcuts(screens, goTo, showHelp, desk);

  if (!setup || !restored) return null;
  const header = (
    <header className="top">
      <a className="skip" href="#main">
        {t('app.skip')}
      </a>
      <span className="brand">{[t('app.title'), setup.libraryName, setup.branchName].filter(Boolean).join(' · ')}</span>
      <LanguageSwitch />
      <ThemeSwitch />
      {desk ? (
        <button type="button" className="quiet" aria-keyshortcuts={HELP_KEY} onClick={showHelp}>
          {t('shell.keyboardButton')} <kbd aria-hidden="true">{HELP_KEY}</kbd>
        </button>
      ) : null}
      {staff && !kiosk ? (
        <>
          <span className="signed-in">{t('app.signedInAs', { name: staff.displayName })}</span>
          <button
            type="button"
            onClick={() => {
              void client.call('auth.signOut', {});
              client.setToken(null);
              signedOut();
              setScreen('checkout');
            }}
          >
            {t('app.signOut')}
          </button>
        </>
      ) : null}
    </header>
  );

  // A screen loading its chunk (a moment, once) shows nothing rather than a flash of words.
  if (!setup.configured)
    return (
      <>
        {header}
        <Suspense fallback={null}>
          <Setup onDone={loadSetup} />
        </Suspense>
      </>
    );
  if (setup.loadingLibrary)
    return (
      <>
        {header}
        <Suspense fallback={null}>
          <LoadingLibrary onDone={loadSetup} />
        </Suspense>
      </>
    );
  if (kiosk)
    return (
      <>
        {header}
        <Suspense fallback={null}>
          <Kiosk />
        </Suspense>
      </>
    );
  if (!staff)
    return (
      <>
        {header}
        <SignIn />
      </>
    );
  return (
    <>
      {header}
      {/* Navigation between pages of one app: buttons marked aria-current, each with its key shown (and given to assistive technology as aria-keyshortcuts). */}
      <nav aria-label={t('nav.label')} className="tabs">
        {screens.map((s) => (
          <button
            key={s}
            type="button"
            aria-current={screen === s ? 'page' : undefined}
            aria-keyshortcuts={screenShortcut(s)}
            onClick={() => goTo(s)}
          >
            <span className="tab-label">{t(`nav.${s}`)}</span>
            <kbd aria-hidden="true">{screenShortcut(s)}</kbd>
          </button>
        ))}
      </nav>
      <Suspense fallback={null}>
        {screen === 'checkout' ? (
          <Checkout />
        ) : screen === 'checkin' ? (
          <Checkin />
        ) : screen === 'renew' ? (
          <Renew />
        ) : screen === 'patrons' ? (
          <Patrons openCard={openCard} />
        ) : screen === 'holds' ? (
          <Holds />
        ) : screen === 'catalogue' ? (
          <Catalogue onRequestIll={requestIll} openBarcode={openCopy} />
        ) : screen === 'shelf' ? (
          <Shelf />
        ) : screen === 'ill' ? (
          <Ill draftTitle={illDraft} />
        ) : screen === 'reports' ? (
          <Reports onOpenPatron={openPatron} onOpenCopy={openCopyAt} focusExceptions={exceptionsAsked} />
        ) : screen === 'settings' ? (
          <Settings onOpenDevices={() => setScreen('devices')} />
        ) : (
          <Devices />
        )}
      </Suspense>
      <StatusBar
        onOpenExceptions={() => {
          setScreen('reports');
          setExceptionsAsked((n) => n + 1);
        }}
      />
      <KeyboardHelp open={helpOpen} onClose={() => setHelpOpen(false)} screens={screens} />
    </>
  );
}
