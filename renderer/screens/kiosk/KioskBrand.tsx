// The library's name, large, with the branch's, and its logo when the library has set one (Settings › Library ›
// Self-checkout kiosk). The logo is decorative beside the name written out (alt=""), so a screen
// reader says the name once.
import { useSession } from '../../state/session';

export function KioskBrand() {
  const name = useSession((s) => s.setup?.libraryName ?? '');
  const branch = useSession((s) => s.setup?.branchName ?? null);
  const logo = useSession((s) => s.setup?.kiosk?.logo ?? null);
  return (
    <div className="kiosk-brand">
      {logo ? <img src={logo} alt="" className="kiosk-logo" data-testid="kiosk-logo" /> : null}
      <span className="kiosk-library-name">
        {name}
        {branch ? <span className="kiosk-branch-name">{branch}</span> : null}
      </span>
    </div>
  );
}
