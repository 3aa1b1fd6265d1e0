// The library's name, large, and its logo when the library has set one (Settings › Library ›
// Self-checkout kiosk). The logo is decorative beside the name written out (alt=""), so a screen
// reader says the name once.
import { useSession } from '../../state/session';

export function KioskBrand() {
  const name = useSession((s) => s.setup?.libraryName ?? '');
  const logo = useSession((s) => s.setup?.kiosk?.logo ?? null);
  return (
    <div className="kiosk-brand">
      {logo ? <img src={logo} alt="" className="kiosk-logo" data-testid="kiosk-logo" /> : null}
      <span className="kiosk-library-name">{name}</span>
    </div>
  );
}
